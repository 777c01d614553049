"""Explore: any published numeric series, by country where the table has countries, over any period."""

from __future__ import annotations

import pandas as pd

from dashboard.chart_registry import ChartSpec, ChartState, ChartView, register
from dashboard.chartdefs._shared import (
    WORLD_CODE,
    country_label,
    filter_period,
    in_every_language,
    no_data,
    source_line,
    sources_for,
)
from dashboard.chartdefs.generation import MID_YEAR, at_mid_year, with_mid_year
from dashboard.data import DataStore
from dashboard.figures.basic import make_lines
from dashboard.figures.common import Frame, rows_with_values
from dashboard.i18n import STRINGS, fmt_date, fmt_num, t

DEFAULT_TABLE = "owid_energy"
DEFAULT_SERIES = "oil_share_of_electricity_pct"
TIME_COLUMNS = ("year", "date")

# Every explorable series and dataset in words, in both languages, is in the catalogue (dashboard/i18n.py) under
# `explore_series_<column>` and `explore_table_<table>`: the title and subtitle of a chart that travels alone (embed,
# PNG) name the measure, the place and the period, never a column name.
SERIES_KEY = "explore_series_{}"
TABLE_KEY = "explore_table_{}"
UNIT_KEYS = {  # units as the package writes them → their key in the catalogue
    "people": "explore_unit_people",
    "persons": "explore_unit_persons",
    "hours": "explore_unit_hours",
    "hours per day": "explore_unit_hours_per_day",
    "MWh per person": "explore_unit_mwh_per_person",
    "kWh per person": "explore_unit_kwh_per_person",
    "CUP per USD": "explore_unit_cup_per_usd",
    "CUP per EUR": "explore_unit_cup_per_eur",
}


def series_name(series: str, field: dict, lang: str) -> str:
    """The measure in words (never the column name)."""
    key = SERIES_KEY.format(series)
    if key in STRINGS:
        return t(key, lang)
    text = field.get("description") or series.replace("_", " ").capitalize()
    return t("explore_series_untranslated", lang, text=text)


def choice_labels(store: DataStore, table: str, lang: str) -> tuple[list[dict], list[dict]]:
    """The explore controls' options in words, in the reader's language: datasets by their name (the catalogue's, else
    the package's title) and the chosen dataset's series by their measure, never a column or table id."""
    from dashboard.i18n import source_text

    tables = [
        {
            "label": t(TABLE_KEY.format(n), lang)
            if TABLE_KEY.format(n) in STRINGS
            else source_text(store.resource(n).get("title", n), lang),
            "value": n,
        }
        for n in explorable_tables(store)
    ]
    fields = {f["name"]: f for f in store.fields(table)} if table else {}
    series = [{"label": series_name(c, fields.get(c, {}), lang), "value": c} for c in numeric_series(store, table)]
    return tables, series


def _place_names(df: pd.DataFrame, entity_col: str | None, table: str, lang: str) -> str:
    if entity_col and "country" in df.columns and len(df):
        names = [country_label(c, lang) for c in dict.fromkeys(df["country"])]
    elif table.startswith("havana"):
        names = [t("explore_place_havana", lang)]
    else:
        names = ["Cuba"]
    if len(names) > 4:
        names = [*names[:3], t("explore_places_more", lang, n=len(names) - 3)]
    return names[0] if len(names) == 1 else t("explore_places_and", lang, names=", ".join(names[:-1]), last=names[-1])


def _when(value: object, time_col: str, lang: str) -> str:
    return fmt_date(pd.Timestamp(value).date(), lang) if time_col == "date" else str(int(value))


def explorable_tables(store: DataStore) -> list[str]:
    out = []
    for name in store.table_names():
        fields = {f["name"]: f for f in store.fields(name)}
        if any(c in fields for c in TIME_COLUMNS) and numeric_series(store, name):
            out.append(name)
    return sorted(out)


def numeric_series(store: DataStore, table: str | None) -> list[str]:
    table = table or DEFAULT_TABLE
    try:
        fields = store.fields(table)
    except KeyError:
        return []
    return [
        f["name"]
        for f in fields
        if f.get("type") in ("number", "integer") and f["name"] not in ("year",) and not f["name"].endswith("_year")
    ]


def entity_choices(store: DataStore) -> list[str]:
    codes: set[str] = {WORLD_CODE}
    for name in explorable_tables(store):
        df = store.table(name)
        if "iso_code" in df.columns:
            codes |= set(df["iso_code"].dropna().unique())
    return sorted(codes)


def explore_frame(store: DataStore, state: ChartState) -> tuple[pd.DataFrame, str, str, str | None]:
    table = state.table or DEFAULT_TABLE
    series = state.series or (DEFAULT_SERIES if table == DEFAULT_TABLE else numeric_series(store, table)[0])
    df = store.table(table)
    time_col = next(c for c in TIME_COLUMNS if c in df.columns)
    entity_col = "iso_code" if "iso_code" in df.columns else None
    if entity_col:
        codes = df[entity_col].fillna(WORLD_CODE).replace("", WORLD_CODE)
        df = df.assign(code=codes)
        df = df[df["code"].isin(state.countries or ("CUB",))]
        name_col = "country" if "country" in df.columns else "code"
        extra = [c for c in ("source",) if c in df.columns]
        group = df[name_col] + (" — " + df[extra[0]] if extra else "")
        df = df.assign(group=group)
    else:
        df = df.assign(group=table)
    df = rows_with_values(filter_period(df, time_col, state.start, state.end), [series])
    return df.sort_values(["group", time_col]), time_col, series, entity_col


def _explore(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    table = state.table or DEFAULT_TABLE
    df, time_col, series, entity_col = explore_frame(store, state)
    field = store.field(table, series)
    unit = field.get("unit", "")
    res = store.resource(table)
    # The measure and the place as the title; unit, period and dataset as the subtitle (in the language shown): the
    # embed and the image travel alone and must say what they show.
    measure = series_name(series, field, lang)
    places = _place_names(df, entity_col, table, lang)
    lead = measure[:1].lower() + measure[1:]
    title = f"{places}: {lead}"
    unit_words = t(UNIT_KEYS[unit], lang) if unit in UNIT_KEYS else unit
    table_key = TABLE_KEY.format(table)
    dataset = t(table_key, lang) if table_key in STRINGS else str(res.get("title", table))
    period = ""
    if len(df):
        first, last = _when(df[time_col].min(), time_col, lang), _when(df[time_col].max(), time_col, lang)
        period = first if first == last else f"{first}–{last}" if time_col == "year" else f"{first} – {last}"
    unit_title = t("explore_unit_per_cent", lang) if unit == "%" else unit_words
    subtitle = "; ".join(p for p in (unit_title, period, dataset) if p)
    sources = sources_for(store, table)
    as_of = _when(df[time_col].max(), time_col, lang) if len(df) else ""
    fr = Frame(title, subtitle, source_line(sources, as_of, lang), lang)
    if entity_col:
        df = df.assign(group=df["group"].map(lambda g: country_label(g, lang) if " — " not in g else g))
    if time_col == "year":  # a year is drawn at its middle, as on every time chart of the site
        fig = make_lines(
            with_mid_year(df),
            MID_YEAR,
            series,
            "group",
            fr,
            unit,
            no_data(lang),
            hover_format=",.2f",
            markers=len(df) < 400,
        )
        at_mid_year(fig)
    else:
        fig = make_lines(
            df, time_col, series, "group", fr, unit, no_data(lang), hover_format=",.2f", markers=len(df) < 400
        )
    keep = [c for c in ("country", "code", "source", time_col, series) if c in df.columns]
    frame_df = df[keep].reset_index(drop=True)
    if len(frame_df):
        # Each line's latest value, in words: "Cuba, share of electricity generated from oil: 82.3 % in 2024."
        latest = df.sort_values(time_col, kind="stable").groupby("group", sort=False).tail(1)
        spaced = f" {unit_words}" if unit_words and unit_words != "%" else unit_words
        values = [
            (
                g,
                f"{fmt_num(v, lang, None if abs(v) >= 100 or float(v).is_integer() else 1)}{spaced}",
                _when(w, time_col, lang),
            )
            for g, v, w in zip(latest["group"], latest[series], latest[time_col], strict=True)
        ]
        if len(values) == 1:
            _, value, when = values[0]
            key = "explore_summary_on_date" if time_col == "date" else "explore_summary_in_year"
            summary = t(key, lang, places=places, measure=lead, value=value, when=when)
        else:
            shown = "; ".join(f"{g} {v} ({w})" for g, v, w in values[:4])
            more = f"; +{len(values) - 4}" if len(values) > 4 else ""
            summary = t("explore_summary_latest", lang, measure=lead, values=shown + more)
    else:
        summary = no_data(lang)
    return ChartView(fig, frame_df, summary, title, subtitle, sources, as_of)


register(
    ChartSpec(
        id="explore",
        page="/explore",
        build=_explore,
        params=("table", "series", "country", "start", "end"),
        default_countries=("CUB",),
        country_choices=entity_choices,
        series_choices=numeric_series,
        table_choices=explorable_tables,
        title=in_every_language("explore_card_title"),
    )
)

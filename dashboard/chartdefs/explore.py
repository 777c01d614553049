"""Explore: any published numeric series, by country where the table has countries, over any period."""

from __future__ import annotations

import pandas as pd

from dashboard.chartdefs._shared import WORLD_CODE, country_label, no_data, sources_for
from dashboard.chartdefs.generation import MID_YEAR, at_mid_year, with_mid_year
from dashboard.charts import ChartSpec, ChartState, ChartView, filter_period, register, source_line
from dashboard.data import DataStore
from dashboard.figures.basic import make_lines
from dashboard.figures.common import Frame, rows_with_values
from dashboard.i18n import fmt_num

DEFAULT_TABLE = "owid_energy"
DEFAULT_SERIES = "oil_share_of_electricity_pct"
TIME_COLUMNS = ("year", "date")
ENTITY_COLUMNS = ("iso_code",)
KEY_LIKE = {"year", "population"}


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
    # The measure in words as the title (the column name stays in the URL, the table and the CSV).
    title = field.get("description") or series
    subtitle = str(res.get("title", table)) + (f" ({unit})" if unit else "")
    sources = sources_for(store, table)
    as_of = str(
        df[time_col].max().date() if time_col == "date" and len(df) else (int(df[time_col].max()) if len(df) else "")
    )
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
        last = frame_df.iloc[-1]
        when = last[time_col].date() if time_col == "date" else int(last[time_col])
        summary = (
            f"{len(frame_df)} values; the latest shown is {fmt_num(last[series], lang)} {unit} ({when})."
            if lang == "en"
            else f"{len(frame_df)} valores; el último mostrado es {fmt_num(last[series], lang)} {unit} ({when})."
        )
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
        title={"en": "Explore the data", "es": "Explorar los datos"},
    )
)

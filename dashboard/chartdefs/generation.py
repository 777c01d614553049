"""Generation and plants: generation by source, oil and fossil shares beside peers, two publishers' demand,
and the thermal power plants."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.chart_registry import ChartSpec, ChartState, ChartView, register
from dashboard.chartdefs._shared import (
    country_label,
    filter_period,
    in_every_language,
    no_data,
    owid_columns,
    owid_country_choices,
    pct,
    source_line,
    sources_for,
)
from dashboard.data import DataStore
from dashboard.figures.basic import make_bars, make_lines, make_stacked_area
from dashboard.figures.common import (
    PALETTE,
    Draft,
    Frame,
    base_figure,
    empty_figure,
    rows_with_values,
    trace,
    wrap,
    year_midpoints,
)
from dashboard.i18n import fmt_num, t

PAGE = "/generation"
PEERS = ("CUB", "DOM", "JAM", "MEX", "OWID_WRL")

SOURCES = {  # OWID's generation columns, in stacking order → the source's name key in the catalogue
    "oil_electricity_twh": "generation_source_oil",
    "gas_electricity_twh": "generation_source_gas",
    "coal_electricity_twh": "generation_source_coal",
    "solar_electricity_twh": "generation_source_solar",
    "wind_electricity_twh": "generation_source_wind",
    "hydro_electricity_twh": "generation_source_hydro",
    "biofuel_electricity_twh": "generation_source_bioenergy",
    "nuclear_electricity_twh": "generation_source_nuclear",
}


MID_YEAR = "year_midpoint"


def with_mid_year(df: pd.DataFrame) -> pd.DataFrame:
    """The rows with where each year's value is drawn: the middle of its year (`year_midpoints`), the convention of
    every time chart of the site, so an annual value sits at the same x on this page, /oil and the claim charts."""
    return df.assign(**{MID_YEAR: year_midpoints(df["year"]) if len(df) else pd.Series(dtype="datetime64[ns]")})


def at_mid_year(fig: Draft) -> Draft:
    """Hover names the year, not the midpoint's date."""
    for item in fig.data:
        item["xhoverformat"] = "%Y"
    return fig


def _cuba_generation(store: DataStore) -> pd.DataFrame:
    df = owid_columns(store, "electricity_generation_twh", *SOURCES)
    return rows_with_values(df[df["country"] == "Cuba"], ["electricity_generation_twh"])


def _generation_by_source(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    df = store.prepared("owid_energy:cuba:generation", _cuba_generation)
    df = filter_period(df, "year", state.start, state.end)
    columns = {
        c: t(key, lang)
        for c, key in SOURCES.items()
        if c in df.columns and np.nansum(df[c].to_numpy("float64", na_value=np.nan)) > 0
    }
    frame_df = df[["year", "electricity_generation_twh", *columns]].reset_index(drop=True)
    title = t("generation_by_source_title", lang)
    subtitle = t("generation_by_source_subtitle", lang)
    sources = sources_for(store, "owid_energy")
    latest = frame_df.iloc[-1] if len(frame_df) else None
    as_of = str(int(latest["year"])) if latest is not None else ""
    fr = Frame(title, subtitle, source_line(sources, as_of, lang, t("generation_by_source_source_extra", lang)), lang)
    fig = at_mid_year(make_stacked_area(with_mid_year(frame_df), MID_YEAR, columns, fr, "TWh", no_data(lang)))
    if latest is not None and latest.get("oil_electricity_twh") is not None:
        share = 100 * latest["oil_electricity_twh"] / latest["electricity_generation_twh"]
        summary = t(
            "generation_by_source_summary",
            lang,
            year=as_of,
            oil=fmt_num(latest["oil_electricity_twh"], lang, 1),
            total=fmt_num(latest["electricity_generation_twh"], lang, 1),
            share=pct(share, lang),
        )
    else:
        summary = no_data(lang)
    return ChartView(fig, frame_df, summary, title, subtitle, sources, as_of)


def _by_code(df: pd.DataFrame, column: str) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Each entity's rows with a value, by year (and an empty frame of the same shape): a chart of a few countries
    then concatenates a few small frames instead of searching the whole table."""
    df = df.dropna(subset=[column]).sort_values(["code", "year"])
    return df.iloc[:0], {str(code): part for code, part in df.groupby("code", sort=False)}


def _share_chart(column: str, title_key: str, summary_key: str):
    def builder(store: DataStore, state: ChartState) -> ChartView:
        lang = state.lang
        empty, by_code = store.prepared(
            f"owid_energy:{column}:by_code", lambda s: _by_code(owid_columns(s, column), column)
        )
        parts = [by_code[c] for c in state.countries if c in by_code]
        df = pd.concat(parts) if parts else empty
        df = filter_period(df, "year", state.start, state.end)
        df = df.assign(country_label=df["country"].map(lambda n: country_label(n, lang)))
        frame_df = df[["country", "code", "year", column]].reset_index(drop=True)
        title = t(title_key, lang)
        subtitle = t("generation_share_subtitle", lang)
        sources = sources_for(store, "owid_energy")
        as_of = str(int(frame_df["year"].max())) if len(frame_df) else ""
        cuba_years = frame_df.loc[frame_df["code"] == "CUB", "year"]
        if len(cuba_years) and int(cuba_years.max()) < int(frame_df["year"].max()):
            # The chart's subject ends earlier than the comparison countries: say both, so nobody quotes Cuba
            # "as of" a year it has no figure for.
            as_of = t("generation_share_as_of", lang, cuba=int(cuba_years.max()), others=as_of)
        fr = Frame(title, subtitle, source_line(sources, as_of, lang, t("generation_share_source_extra", lang)), lang)
        fig = make_lines(
            with_mid_year(df),
            MID_YEAR,
            column,
            "country_label",
            fr,
            "%",
            no_data(lang),
            highlight=country_label("Cuba", lang),
        )
        at_mid_year(fig)
        fig.update_yaxes(range=[0, 100])
        cuba = frame_df[frame_df["code"] == "CUB"]
        if len(cuba):
            last = cuba.iloc[-1]
            summary = t(summary_key, lang, year=int(last["year"]), share=pct(last[column], lang))
        else:
            summary = no_data(lang)
        return ChartView(fig, frame_df, summary, title, subtitle, sources, as_of)

    return builder


def _demand_by_code(store: DataStore) -> tuple[pd.DataFrame, dict[str, tuple[pd.DataFrame, pd.DataFrame]]]:
    """Per country: its rows with a series name (publisher and vintage), and each publisher's mean by year."""
    df = store.table("electricity_demand_by_source")
    # One line per publisher; a vintage (the retrieval date, not a data date) only tells lines apart when one
    # publisher has several.
    several = df.groupby("source")["vintage"].transform("nunique") > 1
    df = df.assign(series=df["source"].where(~several, df["source"] + " (" + df["vintage"].fillna("") + ")"))
    by_code = {}
    for code, rows in df.groupby("iso_code", sort=False):
        by_year = rows.groupby(["year", "source"])["electricity_demand_twh"].mean().unstack("source")
        by_code[str(code)] = (rows, by_year)
    return df.iloc[:0], by_code


def _demand_two_publishers(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    code = state.countries[0] if state.countries else "CUB"
    empty, by_code = store.prepared("electricity_demand_by_source:by_code", _demand_by_code)
    rows, by_year = by_code.get(code, (empty, empty))
    start, end = state.start or "2000", state.end
    df = filter_period(rows, "year", start, end)
    frame_df = df[["country", "year", "source", "vintage", "electricity_demand_twh"]].reset_index(drop=True)
    name = country_label(frame_df["country"].iloc[0], lang) if len(frame_df) else code
    title = t("generation_demand_title", lang, country=name)
    subtitle = t("generation_demand_subtitle", lang)
    sources = sources_for(store, "owid_energy", "ember_yearly")
    # Each publisher's latest year is this country's, not the table's (Ember's Cuba series ends a year earlier).
    last_year = frame_df.groupby("source")["year"].max() if len(frame_df) else pd.Series(dtype="int64")
    publisher_of = {"owid_energy": "OWID", "ember_yearly": "Ember"}
    sources = [
        replace(ref, latest_observation=f"{int(last_year[publisher_of[ref.table]])}-12-31")
        if publisher_of.get(ref.table) in last_year.index and ref.latest_observation
        else ref
        for ref in sources
    ]
    as_of = str(int(frame_df["year"].max())) if len(frame_df) else ""
    fr = Frame(title, subtitle, source_line(sources, as_of, lang), lang)
    fig = at_mid_year(
        make_lines(with_mid_year(df), MID_YEAR, "electricity_demand_twh", "series", fr, "TWh", no_data(lang))
    )
    wide = by_year[(by_year.index >= int(start[:4])) & (by_year.index <= int(end[:4]) if end else True)]
    both = rows_with_values(wide)
    if len(both.columns) == 2 and len(both):
        gap = (both["OWID"] - both["Ember"]).abs()
        year = int(gap.idxmax())
        a, b = both.loc[year, "OWID"], both.loc[year, "Ember"]
        summary = t("generation_demand_summary", lang, year=year, owid=fmt_num(a, lang, 1), ember=fmt_num(b, lang, 1))
    else:
        summary = no_data(lang)
    return ChartView(fig, frame_df, summary, title, subtitle, sources, as_of)


def _thermal_plants(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    plants = store.table("thermal_plants").copy()
    frame_df = plants[
        [
            c
            for c in (
                "plant",
                "province",
                "units_count",
                "installed_capacity_mw",
                "first_commissioned_year",
                "status_note",
                "status_as_of",
                "publisher",
                "url",
            )
            if c in plants.columns
        ]
    ].sort_values("installed_capacity_mw", ascending=False)
    title = t("generation_thermal_title", lang)
    subtitle = t("generation_thermal_subtitle", lang)
    sources = sources_for(store, "thermal_plants")
    as_of = (
        str(frame_df["status_as_of"].dropna().max().date())
        if "status_as_of" in frame_df and frame_df["status_as_of"].notna().any()
        else ""
    )
    fr = Frame(
        title,
        subtitle,
        source_line(sources, as_of, lang, t("generation_thermal_source_extra", lang)),
        lang,
    )
    hover = frame_df["status_note"].fillna("").str.slice(0, 120) if "status_note" in frame_df else None
    fig = make_bars(
        frame_df.assign(hover=hover, label=frame_df["plant"].map(lambda p: wrap(p, 22))),
        "label",
        "installed_capacity_mw",
        fr,
        "MW",
        no_data(lang),
        horizontal=True,
        hover="hover",
    )
    # Names wrap (the axis makes room for them); the axis leaves room right of the longest bar for its value.
    fig.update_layout(height=520)
    top = frame_df["installed_capacity_mw"].max()
    if pd.notna(top):
        fig.update_xaxes(range=[0, float(top) * 1.25])
    total = frame_df["installed_capacity_mw"].sum()
    known = int(frame_df["installed_capacity_mw"].notna().sum())
    summary = t("generation_thermal_summary", lang, plants=len(frame_df), known=known, total=fmt_num(total, lang))
    return ChartView(fig, frame_df.reset_index(drop=True), summary, title, subtitle, sources, as_of)


OUTLINE_PATH = Path(__file__).resolve().parents[1] / "static" / "geo" / "cuba_outline.json"


@lru_cache(maxsize=1)
def cuba_outline() -> tuple[list, list]:
    """Cuba's coastline (Natural Earth, derived by scripts/build_cuba_outline.py): a file of the app, no CDN."""
    doc = json.loads(OUTLINE_PATH.read_text())
    return doc["lon"], doc["lat"]


FUEL_KEYS = {  # WRI's fuel names → their key in the catalogue (a fuel it does not know stays as WRI writes it)
    "Natural Gas": "generation_fuel_natural_gas",
    "Oil": "generation_fuel_oil",
    "Wind": "generation_fuel_wind",
    "Solar": "generation_fuel_solar",
    "Hydro": "generation_fuel_hydro",
    "Biomass": "generation_fuel_biomass",
    "Gas": "generation_fuel_gas",
    "Coal": "generation_fuel_coal",
}
SIZE_KEY_MW = (100, 500)  # the key's two reference circles


def _marker_px(capacity_mw: pd.Series | float) -> pd.Series | float:
    """Marker diameter in px: area ∝ capacity, small enough that Havana's plants stay apart on a phone."""
    if isinstance(capacity_mw, pd.Series):
        return (capacity_mw.clip(lower=10) ** 0.5) * 0.95
    return (max(capacity_mw, 10) ** 0.5) * 0.95


def make_plants_map(df: pd.DataFrame, frame: Frame, no_data_text: str, lang: str = "en") -> Draft:
    """Plants over Cuba's outline, marker area by capacity, one symbol per fuel, with a key of two reference sizes.
    Plain scatter traces on a longitude/latitude grid (aspect corrected for Cuba's latitude), so the small embed
    bundle can draw it."""
    data = rows_with_values(df, ["latitude", "longitude"])
    if data.empty:
        return empty_figure(frame, no_data_text)
    fig = base_figure(frame, height=430)
    lon, lat = cuba_outline()
    fig.add_trace(
        trace(
            "scatter",
            x=lon,
            y=lat,
            mode="lines",
            fill="toself",
            fillcolor="#eeeeee",
            line={"color": "#999", "width": 0.8},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    symbols = ["circle", "diamond", "square", "triangle-up", "x", "star", "cross", "hexagon"]
    for i, (fuel, part) in enumerate(data.groupby("fuel", sort=True)):
        fig.add_trace(
            trace(
                "scatter",
                x=part["longitude"],
                y=part["latitude"],
                text=part["name"] + " — " + part["capacity_mw"].map(lambda v: f"{v:,.0f}") + " MW",
                name=t(FUEL_KEYS[str(fuel)], lang) if str(fuel) in FUEL_KEYS else str(fuel),
                mode="markers",
                hoverinfo="text",
                cliponaxis=False,  # a large plant on the coast is drawn whole, not cut at the frame
                marker={
                    "size": _marker_px(part["capacity_mw"]),
                    "color": PALETTE[i % len(PALETTE)],
                    "symbol": symbols[i % len(symbols)],
                    "line": {"width": 1, "color": "#333"},
                },
            )
        )
    for mw in SIZE_KEY_MW:  # what a marker's size means, in the key
        fig.add_trace(
            trace(
                "scatter",
                x=[None],
                y=[None],
                mode="markers",
                name=f"{fmt_num(mw, lang, 0)} MW",
                marker={"size": _marker_px(mw), "color": "rgba(0,0,0,0)", "line": {"width": 1.5, "color": "#555"}},
                hoverinfo="skip",
            )
        )
    # One degree of longitude is cos(latitude) times one degree of latitude: about 0.93 at 21.5° N.
    fig.update_xaxes(visible=False, range=[-85.2, -73.9])
    fig.update_yaxes(visible=False, range=[19.5, 23.8], scaleanchor="x", scaleratio=1 / 0.93)  # Havana's markers fit
    fig.update_layout(plot_bgcolor="#eaf3fb")
    return fig


def _plants_map(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    wri = store.table("power_plants_wri")
    frame_df = wri[["name", "fuel", "technology", "capacity_mw", "latitude", "longitude", "source_publication"]]
    title = t("generation_map_title", lang)
    subtitle = t("generation_map_subtitle", lang)
    sources = sources_for(store, "power_plants_wri")
    as_of = "2010"  # WRI compiled the Cuba file from sources of about 2010
    fig = make_plants_map(
        frame_df, Frame(title, subtitle, source_line(sources, as_of, lang), lang), no_data(lang), lang
    )
    summary = t(
        "generation_map_summary", lang, plants=len(frame_df), total=fmt_num(frame_df["capacity_mw"].sum(), lang)
    )
    return ChartView(fig, frame_df.reset_index(drop=True), summary, title, subtitle, sources, as_of)


register(
    ChartSpec(
        id="generation-by-source",
        page=PAGE,
        build=_generation_by_source,
        params=("start", "end"),
        title=in_every_language("generation_by_source_title"),
    )
)
register(
    ChartSpec(
        id="oil-share-of-electricity",
        page=PAGE,
        params=("country", "start", "end"),
        default_countries=PEERS,
        country_choices=owid_country_choices,
        build=_share_chart(
            "oil_share_of_electricity_pct", "generation_oil_share_title", "generation_oil_share_summary"
        ),
        title=in_every_language("generation_oil_share_title"),
    )
)
register(
    ChartSpec(
        id="fossil-share-of-electricity",
        page=PAGE,
        params=("country", "start", "end"),
        default_countries=PEERS,
        country_choices=owid_country_choices,
        build=_share_chart(
            "fossil_share_of_electricity_pct", "generation_fossil_share_title", "generation_fossil_share_summary"
        ),
        title=in_every_language("generation_fossil_share_title"),
    )
)
register(
    ChartSpec(
        id="electricity-demand-two-publishers",
        page=PAGE,
        params=("country", "start", "end"),
        default_countries=("CUB",),
        country_choices=lambda s: sorted(s.prepared("electricity_demand_by_source:by_code", _demand_by_code)[1]),
        build=_demand_two_publishers,
        title=in_every_language("generation_demand_card_title"),
    )
)
register(
    ChartSpec(
        id="thermal-plants",
        page=PAGE,
        build=_thermal_plants,
        title=in_every_language("generation_thermal_title"),
    )
)
register(
    ChartSpec(
        id="power-plants-map",
        page=PAGE,
        build=_plants_map,
        title=in_every_language("generation_map_card_title"),
    )
)

"""Explore: any published series, any country, any period, as chart or table; the URL keeps the view."""

from __future__ import annotations

from dataclasses import replace

import dash

from dashboard import components, pagekit
from dashboard.chartdefs._shared import country_label
from dashboard.chartdefs.explore import DEFAULT_SERIES, DEFAULT_TABLE, choice_labels, entity_choices, numeric_series
from dashboard.charts import ChartState
from dashboard.data import store
from dashboard.pages_index import PAGES

PATH = "/explore"
dash.register_page(
    __name__,
    path=PATH,
    title=pagekit.title_for("explore"),
    description=pagekit.description_for("explore"),
    name="Explore",
)

NAMES = {
    "CUB": "Cuba",
    "DOM": "Dominican Republic",
    "JAM": "Jamaica",
    "HTI": "Haiti",
    "PRI": "Puerto Rico",
    "TTO": "Trinidad and Tobago",
    "MEX": "Mexico",
    "BRA": "Brazil",
    "VEN": "Venezuela",
    "USA": "United States",
    "OWID_WRL": "World",
}


def body(state: ChartState, extras: dict, url: str) -> list:
    lang = state.lang
    data = store()
    table = state.table or DEFAULT_TABLE
    series = state.series or (DEFAULT_SERIES if table == DEFAULT_TABLE else numeric_series(data, table)[0])
    tables, series_opts = choice_labels(data, table, lang)
    countries = [(c, country_label(NAMES.get(c, c), lang)) for c in entity_choices(data)]
    years = list(range(1965, 2027))
    return [
        *pagekit.heading("explore", lang),
        components.controls(
            lang,
            replace(state, table=table, series=series),
            countries=countries,
            years=years,
            tables=tables,
            series=series_opts,
        ),
        *pagekit.cards(PAGES[PATH].charts, state, url),
    ]


def layout(**query: str):
    return pagekit.render(PATH, query, body)

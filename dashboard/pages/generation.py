"""Generation and plants: what Cuba's electricity is made from, beside other countries, and its thermal plants."""

from __future__ import annotations

import dash

from dashboard import components, pagekit
from dashboard.chartdefs._shared import country_label, owid_with_codes
from dashboard.charts import ChartState
from dashboard.data import store
from dashboard.pages_index import PAGES

PATH = "/generation"
dash.register_page(
    __name__,
    path=PATH,
    title=pagekit.title_for("generation"),
    description=pagekit.description_for("generation"),
    name="Generation",
)


def body(state: ChartState, extras: dict, url: str) -> list:
    lang = state.lang
    owid = owid_with_codes(store())
    names = owid.drop_duplicates("code").set_index("code")["country"]
    countries = [(code, country_label(names[code], lang)) for code in sorted(names.index, key=lambda c: names[c])]
    years = sorted(int(y) for y in owid["year"].dropna().unique() if y >= 1985)
    return [
        *pagekit.heading("generation", lang),
        components.controls(lang, state, countries=countries, years=years),
        *pagekit.cards(PAGES[PATH].charts, state, url),
    ]


def layout(**query: str):
    return pagekit.render(PATH, query, body)

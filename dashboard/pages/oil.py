"""Oil supply: what Cuba uses and produces, who ships it oil (each figure with its source), and the gap."""

from __future__ import annotations

import dash

from dashboard import components, pagekit
from dashboard.charts import ChartState
from dashboard.pages_index import PAGES

PATH = "/oil"
dash.register_page(
    __name__, path=PATH, title=pagekit.title_for("oil"), description=pagekit.description_for("oil"), name="Oil"
)


def body(state: ChartState, extras: dict, url: str) -> list:
    lang = state.lang
    years = list(range(2000, 2027))
    return [
        *pagekit.heading("oil", lang),
        components.controls(lang, state, years=years),
        *pagekit.cards(PAGES[PATH].charts, state, url),
    ]


def layout(**query: str):
    return pagekit.render(PATH, query, body)

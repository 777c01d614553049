"""Blackouts: the UNE's daily figures over time — supply and demand, cuts, share without power, estimated hours."""

from __future__ import annotations

import dash

from dashboard import components, pagekit
from dashboard.charts import ChartState
from dashboard.data import store
from dashboard.pages_index import PAGES

PATH = "/blackouts"
dash.register_page(
    __name__,
    path=PATH,
    title=pagekit.title_for("blackouts"),
    description=pagekit.description_for("blackouts"),
    name="Blackouts",
)


def body(state: ChartState, extras: dict, url: str) -> list:
    lang = state.lang
    daily = store().table("une_daily")
    first, last = daily["date"].min().date().isoformat(), daily["date"].max().date().isoformat()
    return [
        *pagekit.heading("blackouts", lang),
        components.controls(lang, state, dates=(first, last)),
        *pagekit.cards(PAGES[PATH].charts, state, url),
    ]


def layout(**query: str):
    return pagekit.render(PATH, query, body)

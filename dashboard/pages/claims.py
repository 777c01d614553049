"""Temporary page body until the claims data are published."""

from __future__ import annotations

import dash

from dashboard import pagekit
from dashboard.charts import ChartState

PATH = "/"
dash.register_page(__name__, path=PATH, title=pagekit.title_for("claims"), description=pagekit.description_for("claims"))


def body(state: ChartState, extras: dict, url: str) -> list:
    return [*pagekit.heading("claims", state.lang)]


def layout(**query: str):
    return pagekit.render(PATH, query, body)

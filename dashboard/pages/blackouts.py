"""Temporary page body until the blackouts data are published."""

from __future__ import annotations

import dash

from dashboard import pagekit
from dashboard.charts import ChartState

PATH = "/blackouts"
dash.register_page(__name__, path=PATH, title=pagekit.title_for("blackouts"), description=pagekit.description_for("blackouts"))


def body(state: ChartState, extras: dict, url: str) -> list:
    return [*pagekit.heading("blackouts", state.lang)]


def layout(**query: str):
    return pagekit.render(PATH, query, body)

"""Methodology: derived measures, estimates and their assumptions, and the rules that compare claims with data."""

from __future__ import annotations

from pathlib import Path

import dash
from dash import dcc

from dashboard import pagekit
from dashboard.charts import ChartState

PATH = "/methodology"
CONTENT = Path(__file__).resolve().parents[1] / "content"
dash.register_page(__name__, path=PATH, title=pagekit.title_for("methodology"),
                   description=pagekit.description_for("methodology"), name="Methodology")


def body(state: ChartState, extras: dict, url: str) -> list:
    text = (CONTENT / f"methodology.{state.lang}.md").read_text(encoding="utf-8")
    return [*pagekit.heading("methodology", state.lang), dcc.Markdown(text, className="prose", link_target="_blank")]


def layout(**query: str):
    return pagekit.render(PATH, query, body)

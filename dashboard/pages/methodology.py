"""Methodology: derived measures, estimates and their assumptions, and the rules that compare claims with data."""

from __future__ import annotations

import re
from pathlib import Path

import dash
from dash import dcc, html

from dashboard import pagekit
from dashboard.charts import ChartState

PATH = "/methodology"
CONTENT = Path(__file__).resolve().parents[1] / "content"
ANCHOR = re.compile(r"^(#{2,3} .*?)\s*\{#([a-z0-9-]+)\}\s*$")
dash.register_page(
    __name__,
    path=PATH,
    title=pagekit.title_for("methodology"),
    description=pagekit.description_for("methodology"),
    name="Methodology",
)


def sections(text: str) -> list:
    """Markdown split at headings marked `{#id}`, each part in a block with that id (so links can point to it)."""
    blocks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in text.splitlines():
        match = ANCHOR.match(line)
        if match:
            blocks.append((match.group(2), [match.group(1)]))
        else:
            blocks[-1][1].append(line)
    return [
        html.Div(dcc.Markdown("\n".join(lines), link_target="_blank"), id=anchor)
        if anchor
        else dcc.Markdown("\n".join(lines), link_target="_blank")
        for anchor, lines in blocks
        if any(line.strip() for line in lines)
    ]


def body(state: ChartState, extras: dict, url: str) -> list:
    text = (CONTENT / f"methodology.{state.lang}.md").read_text(encoding="utf-8")
    return [*pagekit.heading("methodology", state.lang), html.Div(sections(text), className="prose")]


def layout(**query: str):
    return pagekit.render(PATH, query, body)

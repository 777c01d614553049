"""What a built chart's figure draws, read for its description (`dashboard/describe.py`): the legend's names, the
annotations' and the shapes' text, as plain words. Kept apart from the paragraph's wording because it reads plotly's
structures (dicts or figure objects), which is a job of its own."""

from __future__ import annotations

import html
import re
from typing import Any

from dashboard.chart_registry import ChartView


def plain(text: str) -> str:
    """Figure text (with <br>, <b>, non-breaking spaces) as plain words."""
    text = re.sub(r"<br\s*/?>", " ", str(text))
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


def legend_names(view: ChartView) -> list[str]:
    """The names of the series the figure draws, as its legend shows them."""
    names: list[str] = []
    for item in traces(view):
        name = item.get("name")
        if name and item.get("showlegend") is not False and plain(name) not in names:
            names.append(plain(name))
    return names


def traces(view: ChartView) -> list[dict[str, Any]]:
    draft = view.draft
    data = getattr(draft, "data", [])
    return [d if isinstance(d, dict) else d.to_plotly_json() for d in data]


def annotations(view: ChartView) -> list[str]:
    draft = view.draft
    layout = draft.layout if isinstance(getattr(draft, "layout", None), dict) else draft.layout.to_plotly_json()
    return [plain(a.get("text", "")) for a in layout.get("annotations", []) or [] if a.get("text")]


def shapes(view: ChartView) -> list[dict[str, Any]]:
    draft = view.draft
    layout = draft.layout if isinstance(getattr(draft, "layout", None), dict) else draft.layout.to_plotly_json()
    return list(layout.get("shapes", []) or [])


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def date_span(view: ChartView) -> tuple[str, str] | None:
    """The first and last day the traces draw (ISO), or None when they draw no dates: what a claim chart's
    description may call the period drawn (rows left to the table lie outside it)."""
    days = [
        str(x)[:10]
        for trace in traces(view)
        for x in (trace.get("x") if isinstance(trace.get("x"), list | tuple) else [])
        if x is not None and ISO_DAY.match(str(x)[:10])
    ]
    return (min(days), max(days)) if days else None

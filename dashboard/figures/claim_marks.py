"""How a claim is drawn on a chart: black, dashed and labelled, never by colour alone; a claimed value as a line
across the plot (`add_claim_line`) and a claimed range as a band (`add_claim_band`), both under the data marks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dashboard.figures.common import Draft

CLAIM_COLOR = "#000000"  # claims are drawn black, dashed and labelled: never by colour alone


def _claim_label(text: str, y: float, yanchor: str) -> dict:
    return {
        "text": text,
        "font": {"size": 12, "color": CLAIM_COLOR},
        # Half-transparent: the label stays readable over grid lines but never hides a data mark behind it.
        "bgcolor": "rgba(255,255,255,0.5)",
        "showarrow": False,
        "x": 0,
        "xanchor": "left",
        "xref": "x domain",
        "y": y,
        "yanchor": yanchor,
        "yref": "y",
    }


def _across_plot(kind: str, y0: float, y1: float, line: dict, **props: Any) -> dict:
    """A shape spanning the plot's width between two values of the y axis."""
    return {"type": kind, "line": line, "x0": 0, "x1": 1, "xref": "x domain", "y0": y0, "y1": y1, "yref": "y", **props}


def add_claim_line(fig: Draft, value: float, label: str) -> None:
    """A claimed value as a black dashed line across the plot with a text label ("Claim: …"), drawn under the
    marks (and the grid) so that an estimate equal to the claim stays visible on it."""
    fig.add_shape(
        **_across_plot("line", value, value, {"color": CLAIM_COLOR, "dash": "dash", "width": 2}), layer="below"
    )
    fig.add_annotation(**_claim_label(label, value, "bottom"))


def add_claim_band(fig: Draft, low: float, high: float, label: str) -> None:
    """A claimed range as a grey band with dashed top and bottom edges (no side edges: a dashed side would run along
    the y axis and through its tick labels) and a text label."""
    line = {"color": CLAIM_COLOR, "dash": "dash", "width": 1.5}
    fig.add_shape(**_across_plot("rect", low, high, {"width": 0}, fillcolor="rgba(0,0,0,0.07)"))
    for edge in (low, high):
        fig.add_shape(**_across_plot("line", edge, edge, line), layer="below")
    fig.add_annotation(**_claim_label(label, high, "top"))

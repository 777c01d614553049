"""An embedded chart's figure: the JSON the interactive embed draws (with its dark layout beside it) and the full
figure of an SVG embed, each in the light or dark theme. Colours for a dark page are one job, apart from the page."""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from dashboard.charts import ChartView
from dashboard.figures.common import CLAIM_COLOR

DARK = {"paper": "#121417", "plot": "#121417", "text": "#e8e8e8", "muted": "#b5b5b5", "grid": "#33373d"}


def dark_layout(layout: dict[str, Any], transparent: bool) -> dict[str, Any]:
    """The same layout for a dark page: light text and grid, white claim lines (the claim stays labelled)."""
    out = json.loads(json.dumps(layout))
    bg = "rgba(0,0,0,0)" if transparent else DARK["paper"]
    out["paper_bgcolor"] = bg
    out["plot_bgcolor"] = "rgba(0,0,0,0)" if transparent else DARK["plot"]
    out.setdefault("font", {})["color"] = DARK["text"]
    for axis in [k for k in out if k.startswith(("xaxis", "yaxis"))]:
        out[axis]["gridcolor"] = DARK["grid"]
        out[axis]["zerolinecolor"] = DARK["grid"]
        out[axis]["linecolor"] = DARK["grid"]
        # Axis titles and ticks coloured for a light page ("#555") fall to about 2:1 on the dark one (graphics
        # review, round 7b): the dark theme's muted text instead.
        title = out[axis].get("title")
        if isinstance(title, dict) and (title.get("font") or {}).get("color"):
            title["font"]["color"] = DARK["muted"]
        if (out[axis].get("tickfont") or {}).get("color"):
            out[axis]["tickfont"]["color"] = DARK["muted"]
    out["template"] = out.get("template", {})
    for shape in out.get("shapes", []):
        if shape.get("line", {}).get("color") in (CLAIM_COLOR, "#000000", "black"):
            shape["line"]["color"] = "#ffffff"
        if shape.get("fillcolor") == "rgba(0,0,0,0.07)":
            shape["fillcolor"] = "rgba(255,255,255,0.10)"
    for note in out.get("annotations", []):
        font = note.setdefault("font", {})
        if font.get("color") in (CLAIM_COLOR, "#000000", "#555", "#444", None):
            font["color"] = DARK["text"]
        if note.get("bgcolor"):
            note["bgcolor"] = "rgba(18,20,23,0.85)"
    if "legend" in out:
        out["legend"].setdefault("font", {})["color"] = DARK["text"]
    if "plot_bgcolor" in out and out.get("geo"):
        out["geo"]["bgcolor"] = bg
    return out


def embed_figure(view: ChartView, transparent: bool) -> dict[str, Any]:
    """Figure JSON for the page (title and source are HTML text around it, so they wrap on phones)."""
    screen = view.screen()
    layout = {**screen["layout"], "autosize": True, "margin": {"l": 48, "r": 12, "t": 28, "b": 36}}
    layout.pop("height", None)
    if transparent:
        layout.update(paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)")
    doc = json.loads(pio.to_json({"data": screen["data"], "layout": layout}, validate=False))
    doc["layout"].pop("template", None)
    doc["layout_dark"] = dark_layout(doc["layout"], transparent)
    return doc


def static_figure(view: ChartView, theme: str, transparent: bool) -> go.Figure:
    """The full figure (title, source and date inside) for SVG embeds, in the requested theme."""
    fig = go.Figure(view.figure)
    if transparent:
        fig.update_layout(paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)")
    if theme == "dark":
        layout = json.loads(pio.to_json(fig, validate=False))["layout"]
        fig.layout = dark_layout(layout, transparent)
        fig.update_layout(
            template="plotly_dark", title_font_color=DARK["text"], title_subtitle_font_color=DARK["muted"]
        )
    return fig

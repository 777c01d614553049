"""Shared look of every chart: colour-blind-safe palette, title and subtitle with unit, and the source line and
"as of" date drawn inside the figure, so that exported PNG/SVG images carry their attribution."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import plotly.io as pio

from dashboard.i18n import plotly_separators

# Our figures set their own look (below). Plotly's default template costs ~40 ms per figure to validate and adds
# ~8 KB of JSON to each; with no default template a page of 20 charts builds in a fraction of the time.
pio.templates.default = "none"
GRID = "#e6eaef"
AXIS = {
    "gridcolor": GRID,
    "zerolinecolor": "#cfd6de",
    "linecolor": "#cfd6de",
    "showline": False,
    "ticks": "",
    "automargin": True,
}

# Okabe–Ito palette: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
CLAIM_COLOR = "#000000"  # claims are drawn black, dashed and labelled: never by colour alone
ESTIMATE_FILL = "rgba(0,114,178,0.18)"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
DASHES = ["solid", "dot", "dash", "longdash", "dashdot", "longdashdot"]


@dataclass(frozen=True)
class Frame:
    """The words a figure carries inside itself."""

    title: str
    subtitle: str
    source_line: str
    lang: str


def base_figure(frame: Frame, height: int = 460) -> go.Figure:
    """An empty figure with title, subtitle (unit) and the source + as-of line at the bottom."""
    layout = {
        "height": height,
        "xaxis": dict(AXIS),
        "yaxis": dict(AXIS),
        "font": {"family": FONT, "size": 13, "color": "#222"},
        "title": {
            "text": frame.title,
            "subtitle": {"text": frame.subtitle, "font": {"size": 13, "color": "#555"}},
            "x": 0.0,
            "xanchor": "left",
            "xref": "container",
            "pad": {"l": 12},
            "font": {"size": 17},
        },
        "margin": {"l": 60, "r": 24, "t": 118, "b": 64},
        "separators": plotly_separators(frame.lang),
        "colorway": PALETTE,
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.01,
            "x": 0,
            "xanchor": "left",
            "font": {"size": 12},
            "title": {"text": ""},
        },
        "hoverlabel": {"font": {"family": FONT}},
        "annotations": [source_annotation(frame.source_line)],
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }
    return go.Figure(layout=layout)  # one validation of a plain dict: much cheaper than update_layout paths


def source_annotation(text: str) -> dict:
    return {
        "name": "source-line",
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "yshift": -58,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "align": "left",
        "font": {"size": 10.5, "color": "#555"},
    }


def for_screen(fig: go.Figure) -> dict:
    """The on-page version: the card around it shows title, subtitle, sources and date as text (which wraps on a
    phone), so the figure drops them. Downloads (PNG/SVG) and embeds use the full figure. Returned as a plain dict
    (no second round of plotly validation)."""
    doc = fig.to_plotly_json()
    layout = dict(doc["layout"])
    layout["annotations"] = [a for a in layout.get("annotations", []) if a.get("name") != "source-line"]
    layout.pop("title", None)
    layout["margin"] = {**layout.get("margin", {}), "t": 36, "b": 40}
    return {"data": doc["data"], "layout": layout}


def wrap(text: str, width: int) -> str:
    """Break long lines for the source line (plotly does not wrap text)."""
    out, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    out.append(line)
    return "<br>".join(out)


def empty_figure(frame: Frame, message: str) -> go.Figure:
    """A figure that says there is nothing to show, instead of an exception or a blank box."""
    fig = base_figure(frame)
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 15})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def add_claim_line(fig: go.Figure, value: float, label: str, axis: str = "y") -> None:
    """A claimed value as a black dashed line with a text label ("Claim: …")."""
    fig.add_hline(
        y=value,
        line={"color": CLAIM_COLOR, "dash": "dash", "width": 2},
        annotation={"text": label, "font": {"size": 12, "color": CLAIM_COLOR}, "bgcolor": "rgba(255,255,255,0.85)"},
        annotation_position="top left",
    )


def add_claim_band(fig: go.Figure, low: float, high: float, label: str) -> None:
    """A claimed range as a grey band with dashed edges and a text label."""
    fig.add_hrect(
        y0=low,
        y1=high,
        line={"color": CLAIM_COLOR, "dash": "dash", "width": 1.5},
        fillcolor="rgba(0,0,0,0.07)",
        annotation={"text": label, "font": {"size": 12, "color": CLAIM_COLOR}, "bgcolor": "rgba(255,255,255,0.85)"},
        annotation_position="top left",
    )


def axis_title(unit: str) -> dict:
    return {"title": {"text": unit, "font": {"size": 12, "color": "#555"}}}

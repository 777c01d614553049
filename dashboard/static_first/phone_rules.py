"""Layout rules for a chart image at a width class: text a phone can read, Spanish numbers as the site writes them, no
"0" in a phone image's corner, and the home tile's month ticks and rows of marks. Pure: a layout in, a layout out."""

from __future__ import annotations

import re
from typing import Any

from dashboard.i18n import plotly_separators, plotly_si_suffixes

# A phone's image is drawn 360 px wide and shown about 340 px wide (a 375 px screen less the page's margins): its
# text is drawn this large so that no glyph is below 11 px on the screen (CHARTS.md).
PHONE_MIN_FONT_PX = {"tick": 12.0, "legend": 12.0, "annotation": 11.5}


def _font_at_least(font: Any, minimum: float, default: float) -> dict[str, Any]:
    font = dict(font or {})
    font["size"] = max(float(font.get("size") or default), minimum)
    return font


def readable_layout(layout: dict[str, Any], size: str, lang: str) -> dict[str, Any]:
    """The figure's layout as an image of this width class shows it: on a phone no text smaller than it can be read
    (tick labels, legend and notes at least PHONE_MIN_FONT_PX, so at least 11 px on a 375 px screen); in Spanish,
    whole numbers with the site's separators ("150.000", as dashboard/i18n.py writes them), never "150k"."""
    out = dict(layout)
    base = float((out.get("font") or {}).get("size") or 12)
    full_numbers = not plotly_si_suffixes(lang)  # Spanish: "150.000", not "150k"
    if full_numbers:
        out["separators"] = plotly_separators(lang)
    for key in [k for k in out if re.fullmatch(r"[xy]axis\d*", k)]:
        axis = dict(out[key] or {})
        if size == "s":
            axis["tickfont"] = _font_at_least(axis.get("tickfont"), PHONE_MIN_FONT_PX["tick"], base)
        if full_numbers and axis.get("type") != "date" and not axis.get("tickformat"):
            axis.update(exponentformat="none", separatethousands=True)
        out[key] = axis
    if size == "s":
        from dashboard.figures.common import phone_layout

        out = phone_layout(out)
        out["legend"] = {**(out.get("legend") or {})}
        out["legend"]["font"] = _font_at_least(out["legend"].get("font"), PHONE_MIN_FONT_PX["legend"], base)
        out["annotations"] = [
            {**note, "font": _font_at_least(note.get("font"), PHONE_MIN_FONT_PX["annotation"], base)}
            for note in (out.get("annotations") or [])
        ]
    return out


CORNER_ZERO_SHARE = 0.05  # a y range starting this little below 0 (room for a mark on zero) still starts at 0


def no_corner_zero(layout: dict[str, Any]) -> dict[str, Any]:
    """On a phone image a y axis starting at 0 does not label it: the "0" sat in the plot's corner, where the first x
    label ("2000", "mar 2025", a category's name) ran into it (graphics review, rounds 5-6). The baseline is still
    drawn, and the x labels below it mark the bottom. One rule for every chart, as the home tile does."""
    out = dict(layout)
    for key in [k for k in out if re.fullmatch(r"yaxis\d*", k)]:
        axis = out[key] or {}
        bounds = axis.get("range") or []
        if len(bounds) != 2 or axis.get("type") not in (None, "linear") or axis.get("ticktext") is not None:
            continue
        low, high = (float(b) for b in bounds)
        if low <= 0 < high and -low <= CORNER_ZERO_SHARE * (high - low):
            zero = f"{axis.get('tickprefix') or ''}0{axis.get('ticksuffix') or ''}"
            out[key] = {**axis, "labelalias": {**(axis.get("labelalias") or {}), zero: ""}}
    return out


TREND_MARK_GAP_PX = 12  # between the rows of the tile's key-event ▼ and grid-collapse × (about one mark's height)


def trend_marks(layout: dict[str, Any], data: list[Any], plot_px: float, lang: str) -> tuple[dict, list]:
    """The home tile's month ticks and its rows of marks: "Feb 2026 Mar 2026 Apr 2026" (plotly's English ticks)
    ran into one string 7.6 px apart at 1280 px, so English is written as Spanish is ("Feb 2026 Mar Apr"); and the
    grid-collapse × sat on the top edge over a ▼, one grey cluster (graphics review, rounds 5-6), so the × row goes
    one mark's height below the ▼ row (both on the chart's hidden 0-1 axis along the top)."""
    import pandas as pd

    from dashboard.chartdefs.month_ticks import month_ticks

    values = [str(x) for t in data if t.get("yaxis") in (None, "y") and t.get("x") is not None for x in list(t["x"])]
    stamps = pd.to_datetime(pd.Series(values), errors="coerce", format="mixed").dropna()
    out = dict(layout)
    ticks = month_ticks(stamps.min(), stamps.max(), lang) if len(stamps) else {}
    if ticks:
        out["xaxis"] = {**(out.get("xaxis") or {}), **ticks, "tickmode": "array"}
    top = float(((out.get("yaxis2") or {}).get("range") or [0, 1])[1])
    levels = [t["y"][0] for t in data if t.get("yaxis") == "y2" and isinstance(t.get("y"), list) and _symbol(t) != "x"]
    below = min(levels, default=0.95) - TREND_MARK_GAP_PX / plot_px * top  # (0.95: the ▼ row, on no ▼ in view)
    lowered = [
        {**t, "y": [below] * len(t["y"])}
        if t.get("yaxis") == "y2" and isinstance(t.get("y"), list) and _symbol(t) == "x"
        else t
        for t in data
    ]
    return out, lowered


def _symbol(trace: dict[str, Any]) -> Any:
    return (trace.get("marker") or {}).get("symbol")

"""What a phone shows of a figure: a narrower time window (`phone_window`), a y axis that stops short of an outlier
and names it (`off_scale`, `phone_y_with_off_scale`), the layout a phone-width image draws (`phone_layout`), and
level year ticks for long date axes (`phone_year_ticks`). The figure keeps its whole range; pages and embeds switch
while the plot is narrow (static/phone-window.js)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from dashboard.figures.common import Draft

PHONE_NOTE = "phone-note"
PHONE_NOTE_ROOM_PX = 24  # a 12 px line of text above the plot


def phone_window(fig: Draft, full: list, phone: list, note: str, phone_y: list | None = None) -> None:
    """A narrower time window for a narrow plot (86 monthly bars are 2 px wide on a phone): the figure keeps its whole
    range and names the window in `layout.meta`; the pages and embeds switch to it while the plot is narrow
    (static/phone-window.js) and phone images draw it (`phone_layout`), with `note` shown only then."""
    fig.layout["xaxis"].update(range=list(full), autorange=False)
    fig.layout["meta"] = {"full_range": list(full), "phone_range": list(phone)}
    if phone_y is not None:  # and the y range of what the window shows (the tallest bars may lie outside it)
        fig.layout["meta"].update(full_y=list(fig.layout.get("yaxis", {}).get("range") or []), phone_y=list(phone_y))
    fig.add_annotation(
        name=PHONE_NOTE,
        text=note,
        visible=False,
        xref="paper",
        yref="paper",
        x=0,
        y=1,
        xanchor="left",
        yanchor="bottom",
        yshift=2,
        showarrow=False,
        font={"size": 12, "color": "#555"},
    )


OFF_SCALE = 2.0  # on a phone, a value more than twice as far from zero as every other on its side is off the scale


def off_scale(values: Any) -> tuple[list[int], list[int]]:
    """The positions of the values above and below which a phone's y axis stops: the highest values each more than
    OFF_SCALE times the next (and the lowest, likewise), so that one outlier does not squeeze the rest."""
    found: tuple[list[int], list[int]] = ([], [])
    for sign, out in ((1.0, found[0]), (-1.0, found[1])):
        side = [(sign * float(v), i) for i, v in enumerate(values) if sign * float(v) > 0]  # (NaN: never > 0)
        side.sort(reverse=True)
        while len(side) >= 2 and side[0][0] > OFF_SCALE * side[1][0]:
            out.append(side.pop(0)[1])
    return found


def phone_y_with_off_scale(fig: Draft, phone_y: list[float], notes: list[dict]) -> None:
    """A phone shows the y range `phone_y` (the figure keeps its own): the values beyond it are each named by a note
    at the axis' end ("▲ 1,313 MW, off scale"), shown only then, so no mark leaves the chart unsaid."""
    full = [str(x) for x in fig.layout["xaxis"]["range"]]
    fig.layout["meta"] = {
        "full_range": full,
        "phone_range": full,
        "full_y": list(fig.layout["yaxis"]["range"]),
        "phone_y": list(phone_y),
    }
    for note in notes:
        fig.add_annotation(name=PHONE_NOTE, visible=False, showarrow=False, xref="x", yref="y", **note)


def phone_layout(layout: dict) -> dict:
    """A layout as a phone-width image draws it: the figure's phone window, and its note, where it names one."""
    meta = layout.get("meta") or {}
    if not isinstance(meta, dict) or not meta.get("phone_range"):
        return layout
    out = dict(layout)
    out["xaxis"] = {**(out.get("xaxis") or {}), "range": list(meta["phone_range"]), "autorange": False}
    if meta.get("phone_y"):
        out["yaxis"] = {**(out.get("yaxis") or {}), "range": list(meta["phone_y"]), "autorange": False}
    out["annotations"] = [
        {**a, "visible": True} if a.get("name") == PHONE_NOTE else a for a in (out.get("annotations") or [])
    ]
    if any(a.get("name") == PHONE_NOTE and a.get("yref") == "paper" for a in out["annotations"]):
        # the note above the plot gets its line of the top margin (16 px cut its top off: graphics review, round 6)
        margin = out.get("margin") or {}
        out["margin"] = {**margin, "t": max(int(margin.get("t") or 0), PHONE_NOTE_ROOM_PX)}
    return out


PHONE_YEAR_TICKS_DAYS = 2 * 365  # beyond two years a phone's date ticks are years alone ("2023  2024  2025  2026")
PHONE_MAX_YEAR_TICKS = 5  # at 360 px: five four-digit labels, level, well apart
YEAR_STEPS = (1, 2, 5, 10, 20, 50)
DATED = re.compile(r"\d{4}-\d{2}")  # a day or a month ("2024-03", "2024-03-01T00:00:00"), not a bare year


def phone_year_ticks(layout: dict[str, Any], data: list[Any]) -> dict[str, Any] | None:
    """On a phone image of a daily or monthly series spanning more than two years, the date axes get level ticks on
    1 January, labelled by the year alone, at most five (every 1, 2, 5, 10… years): "ene 2023 ene 2024 …" (plotly's,
    or the Spanish month ticks of dashboard/chartdefs/month_ticks.py) ran together into one string at 360 px (graphics
    review, round 4). Yearly series (x = years) keep plotly's own ticks. Every date x axis gets the same ticks; None
    where the axes keep their own."""
    keys = [k for k in layout if re.fullmatch(r"xaxis\d*", k) and (layout[k] or {}).get("type") in (None, "date")]
    values = [str(x) for trace in data if trace.get("x") is not None for x in list(trace.get("x")) if x is not None]
    if not keys or not values or not all(DATED.match(v) for v in values):
        return None
    stamps = pd.to_datetime(pd.Series(values), errors="coerce", format="mixed").dropna()
    if stamps.empty:
        return None
    first, last = stamps.min(), stamps.max()
    shown = (layout.get("xaxis") or {}).get("range")  # a phone window (figures/common.phone_layout)
    if shown and len(shown) == 2:
        first, last = pd.Timestamp(shown[0]), pd.Timestamp(shown[1])
    if (last - first).days <= PHONE_YEAR_TICKS_DAYS:
        return None
    years = list(range(first.year + (first.day_of_year > 1), last.year + 1))
    step = next((s for s in YEAR_STEPS if -(-len(years) // s) <= PHONE_MAX_YEAR_TICKS), YEAR_STEPS[-1])
    years = [y for y in years if y % step == 0]
    ticks: dict[str, Any] = {"tickvals": [f"{y}-01-01" for y in years], "ticktext": [str(y) for y in years]}
    windowed = bool((layout.get("meta") or {}).get("phone_range")) if isinstance(layout.get("meta"), dict) else False
    if step == 1 and windowed and any(trace.get("type") == "bar" for trace in data):
        ticks = year_periods(first, last)
    return {"axes": keys, "tickmode": "array", **ticks, "tickformat": None, "tickangle": 0}


def year_ticks_when_long(layout: dict[str, Any], data: list[Any]) -> dict[str, Any]:
    """The layout with `phone_year_ticks` on its date axes, as a phone image draws them."""
    ticks = phone_year_ticks(layout, data)
    if ticks is None:
        return layout
    out = dict(layout)
    for key in ticks["axes"]:  # (an axis without labels keeps none: a stacked panel's title sits where they would go)
        grid = (out[key] or {}).get("gridcolor")
        out[key] = {
            **(out[key] or {}),
            **{k: v for k, v in ticks.items() if k != "axes"},
            **({"minor": {**ticks["minor"], "gridcolor": grid}} if "minor" in ticks and grid else {}),
        }
    return out


PERIOD_LABEL_DAYS = 60  # a year with less than two months in view is not labelled (its label would hang off the end)


def year_periods(first: Any, last: Any) -> dict[str, Any]:
    """Bars in a phone window (the last three years of months) are labelled by year under the middle of each year's
    bars, the years parted by grid lines on 1 January: on a window starting in February, eleven bars of 2023 had no
    year (oil-imports-monthly read "2024 2025 2026"; graphics review, round 6). plotly's period labels drop part years."""
    vals, text = [], []
    for year in range(first.year, last.year + 1):
        start, end = max(first, pd.Timestamp(year, 1, 1)), min(last, pd.Timestamp(year + 1, 1, 1))
        if (end - start).days >= PERIOD_LABEL_DAYS:
            vals.append((start + (end - start) / 2).strftime("%Y-%m-%d"))
            text.append(str(year))
    bounds = [f"{y}-01-01" for y in range(first.year + 1, last.year + 1)]
    return {
        "tickvals": vals,
        "ticktext": text,
        "showgrid": False,
        "minor": {"tickmode": "array", "tickvals": bounds, "showgrid": True, "ticks": ""},
    }

"""Shared look of every chart: colour-blind-safe palette, title and subtitle with unit, and the source line and
"as of" date drawn inside the figure, so that exported PNG/SVG images carry their attribution."""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.i18n import plotly_separators

# Our figures set their own look (below). Plotly's default template costs ~40 ms per figure to validate and adds
# ~8 KB of JSON to each; with no default template a page of 20 charts builds in a fraction of the time.
pio.templates.default = "none"
TEMPLATE = pio.templates["none"].to_plotly_json()  # what go.Figure puts in the layout
# Figures are assembled as plain dicts (a `Draft`) and turned into a `go.Figure` once, without plotly's property
# validation: validating every property took three quarters of a callback (~35 ms of ~45 per chart). Tests build
# every chart with validation on and require the same JSON (tests/dashboard/test_fast_paths.py), and
# CUBA_VALIDATE_FIGURES=1 turns it on at runtime.
VALIDATE = os.environ.get("CUBA_VALIDATE_FIGURES", "") == "1"
GRID = "#e6eaef"
AXIS = {
    "gridcolor": GRID,
    "zerolinecolor": "#cfd6de",
    "linecolor": "#cfd6de",
    "showline": False,
    "ticks": "",
    "automargin": True,
}

X_LABEL_STANDOFF_PX = 6

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


def _merge(target: dict, updates: dict) -> None:
    """Nested update, as plotly's `update_layout` does it: dicts merge, everything else replaces."""
    for key, value in updates.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


# The base64 type codes plotly.js reads (plotly's own table of them): other dtypes are sent as plain lists.
TYPED_ARRAY_CODES = {
    "int8": "i1",
    "uint8": "u1",
    "int16": "i2",
    "uint16": "u2",
    "int32": "i4",
    "uint32": "u4",
    "float32": "f4",
    "float64": "f8",
}


def _array(value: Any) -> Any:
    """Turn a pandas column into the array plotly's validators would store (same JSON either way; checked against
    plotly in tests/dashboard/test_fast_paths.py and tests/dashboard/test_figure_arrays.py)."""
    if isinstance(value, pd.Series | pd.Index):
        if isinstance(value.dtype, np.dtype) and value.dtype.kind in "fiuMO":
            return value.to_numpy()
        if isinstance(value.dtype, pd.Int64Dtype):
            return value.to_numpy("float64", na_value=np.nan) if value.hasnans else value.to_numpy("int64")
        if isinstance(value, pd.Series) and isinstance(value.dtype, pd.DatetimeTZDtype):  # local time, as plotly
            value = value.dt.tz_localize(None)
        array = value.to_numpy()
        # As plotly stores them: numbers, dates and objects as they are; anything else (bools, ...) as objects.
        return array if array.dtype.kind in "uifOM" else array.astype(object)
    if isinstance(value, dict):
        return {k: _array(v) for k, v in value.items()}
    return value


def _typed_array(value: np.ndarray) -> Any:
    """plotly's `to_typed_array_spec` for a numpy array (base64 for plotly.js, int64 narrowed as plotly narrows it),
    without its general conversion first, which took most of its time."""
    if value.size == 0:
        return value
    if value.dtype.kind in "iu" and value.dtype.itemsize == 8:
        low, high = value.min(), value.max()
        narrow = ("int8", "int16", "int32") if value.dtype.kind == "i" else ("uint8", "uint16", "uint32")
        fitting = [t for t in narrow if np.iinfo(t).min <= low and high <= np.iinfo(t).max]
        if not fitting:
            return value
        value = value.astype(fitting[0])
    short = TYPED_ARRAY_CODES.get(str(value.dtype))
    if short is None:
        return value
    spec = {"dtype": short, "bdata": base64.b64encode(np.ascontiguousarray(value)).decode("ascii")}
    if value.ndim > 1:
        spec["shape"] = str(value.shape)[1:-1]
    return spec


def _for_json(value: Any, key: str = "") -> Any:
    """A trace's value as `go.Figure(...).to_dict()` has it: columns as numpy arrays, numeric ones base64-encoded.
    New dicts and lists all the way down, so the draft is not changed."""
    if isinstance(value, dict):
        return {k: _for_json(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_for_json(v) if isinstance(v, dict | list | tuple) else v for v in value]
    value = _array(value)
    if isinstance(value, np.ndarray) and key not in ("geojson", "layer", "layers", "range"):
        return _typed_array(value)
    return value


def rows_with_values(df: pd.DataFrame, columns: list[str] | None = None, how: str = "any") -> pd.DataFrame:
    """`df.dropna(subset=columns, how=how)`, a few times faster (pandas' dropna costs ~1 ms even on 200 rows, and
    a chart used to call it several times)."""
    masks = [df[c].notna().to_numpy() for c in (df.columns if columns is None else columns)]
    if not masks:
        return df.copy()
    keep = np.logical_and.reduce(masks) if how == "any" else np.logical_or.reduce(masks)
    return df[keep]


def trace(kind: str, **props: Any) -> dict:
    """A trace as a plain dict (`kind`: scatter, bar...); None values are left out, as plotly leaves them out."""
    return {"type": kind, **{k: v for k, v in props.items() if v is not None}}


class Draft:
    """A figure under construction: traces and layout as plain dicts, with the few plotly-style updates the chart
    definitions need. `figure()` makes the `go.Figure` in one step."""

    def __init__(self, layout: dict) -> None:
        self.data: list[dict] = []
        self.layout = layout

    def add_trace(self, item: dict) -> None:
        self.data.append(item)

    def update_layout(self, **props: Any) -> None:
        _merge(self.layout, props)

    def update_xaxes(self, **props: Any) -> None:
        self._update_axes("xaxis", props)

    def update_yaxes(self, **props: Any) -> None:
        self._update_axes("yaxis", props)

    def _update_axes(self, prefix: str, props: dict) -> None:
        # Like plotly without a selector: every axis of that direction (yaxis, yaxis2...).
        self.layout.setdefault(prefix, {})
        for key in [k for k in self.layout if k.startswith(prefix)]:
            _merge(self.layout[key], props)

    def add_annotation(self, **props: Any) -> None:
        self.layout.setdefault("annotations", []).append(props)

    def add_shape(self, **props: Any) -> None:
        self.layout.setdefault("shapes", []).append(props)

    def figure(self) -> go.Figure:
        """The plotly figure (validated only with CUBA_VALIDATE_FIGURES=1; see the note at the top)."""
        if VALIDATE:
            return go.Figure(data=self.data, layout=self.layout)
        data = [{k: _array(v) for k, v in item.items()} for item in self.data]
        return go.Figure(data=data, layout=self.layout, _validate=False)

    def screen(self) -> dict:
        """`for_screen(self.figure())`, made from the dicts directly: the figure's `to_dict` deep-copies every array
        first, which cost a page callback more than building the figure."""
        if VALIDATE:
            return for_screen(self.figure())
        data = [_for_json(item) for item in self.data]
        return screen_layout({"data": data, "layout": {**self.layout, "template": TEMPLATE}})


TITLE_FONT_PX = 17
TITLE_WRAP = 84  # characters per title line in a 960 px image


def base_figure(frame: Frame, height: int = 460) -> Draft:
    """An empty figure with a header (title, subtitle with the unit, the source and "as of" line) and the legend
    below the plot."""
    title = wrap(frame.title, TITLE_WRAP)
    lines = title.count("<br>") + 1
    # plotly.js (4.1) lifts a title of several lines by about its own height above a top-anchored position; the
    # padding puts its first line back at the top (measured in Chromium; tests/dashboard/test_chart_checks.py checks it).
    pad_top = 12 + (0 if lines == 1 else round(lines * TITLE_FONT_PX * 1.3))
    # Spanish numbers in full with the site's separators ("150.000"), never SI suffixes ("150k"), on every axis:
    # the interactive chart shows what the server-drawn first screen showed.
    numbers = {"exponentformat": "none", "separatethousands": True} if frame.lang == "es" else {}
    layout = {
        "height": height,
        # x labels a little below the axis: the y axis's "0" at the corner ran into the first date (graphics round 7)
        "xaxis": dict(AXIS, ticklabelstandoff=X_LABEL_STANDOFF_PX, **numbers),
        "yaxis": dict(AXIS, **numbers),
        "font": {"family": FONT, "size": 13, "color": "#222"},
        # Title, subtitle and the source line form the header of an image; plotly does not wrap text, so lines are
        # broken here, and `automargin` makes room for however many lines there are (nothing overlaps the plot).
        "title": {
            "text": title,
            "subtitle": {"text": header_subtitle(frame), "font": {"size": 13, "color": "#555"}},
            "x": 0.0,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "automargin": True,
            "pad": {"l": 12, "t": pad_top, "b": 14},
            "font": {"size": TITLE_FONT_PX},
        },
        "margin": {"l": 60, "r": 24, "t": 40, "b": 12},
        "separators": plotly_separators(frame.lang),
        "colorway": list(PALETTE),
        "legend": dict(LEGEND_BELOW),
        "hoverlabel": {"font": {"family": FONT}},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }
    return Draft(layout)


# The legend goes below the plot, at the bottom of the figure (never over the title or the data), in rows that wrap
# at the figure's width. The blank legend title keeps its first row clear of the x axis's tick labels.
LEGEND_BELOW = {
    "orientation": "h",
    "yref": "container",
    "yanchor": "bottom",
    "y": 0,
    "x": 0,
    "xanchor": "left",
    "font": {"size": 12},
    "title": {"text": " ", "side": "top", "font": {"size": 12}},
}
SOURCE_FONT_PX = 11


def header_subtitle(frame: Frame) -> str:
    """Subtitle (unit, scope, period) and, on its own smaller line, the source and "as of" date, both wrapped."""
    subtitle = wrap(frame.subtitle, 118) if frame.subtitle else ""
    if not frame.source_line:
        return subtitle
    source = "<br>".join(
        f'<span style="font-size:{SOURCE_FONT_PX}px">{line}</span>' for line in frame.source_line.split("<br>")
    )
    return f"{subtitle}<br>{source}" if subtitle else source


def period_midpoint(start: object, end: object) -> pd.Timestamp:
    """Where a figure for a period sits on a time axis: halfway between its first and last day (a year: 2 July).
    Every time chart of the site places period figures this way (and draws the period from start to end), so one
    value has one x everywhere."""
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    return first + (last - first) / 2


def year_midpoints(years: pd.Series) -> pd.Series:
    """`period_midpoint` of whole years (1 Jan to 31 Dec), for annual series."""
    first = pd.to_datetime(years.astype("int64").astype(str) + "-01-01")
    last = pd.to_datetime(years.astype("int64").astype(str) + "-12-31")
    return first + (last - first) / 2


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
    return screen_layout(fig.to_plotly_json())


def screen_layout(doc: dict) -> dict:
    layout = dict(doc["layout"])
    layout["annotations"] = [a for a in layout.get("annotations", []) if a.get("name") != "source-line"]
    layout.pop("title", None)
    layout["margin"] = {**layout.get("margin", {}), "t": 16, "b": 12}  # the legend below makes its own room
    return {"data": doc["data"], "layout": layout}


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


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a "#rrggbb" colour."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def readable_on(colour: str) -> str:
    """White or black, whichever contrasts more with a fill: a label printed inside a bar of that colour."""
    light = _luminance(colour)
    return "#ffffff" if (1.05 / (light + 0.05)) >= ((light + 0.05) / 0.05) else "#000000"


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


def empty_figure(frame: Frame, message: str) -> Draft:
    """A figure that says there is nothing to show, instead of an exception or a blank box."""
    fig = base_figure(frame)
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 15})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


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


def axis_title(unit: str) -> dict:
    return {"title": {"text": unit, "font": {"size": 12, "color": "#555"}}}


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

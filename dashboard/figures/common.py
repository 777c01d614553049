"""Shared look of every chart: colour-blind-safe palette, title and subtitle with unit, and the source line and
"as of" date drawn inside the figure, so that exported PNG/SVG images carry their attribution."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

# What a phone shows and how claims are drawn live in their own modules; their names stay importable from here.
from dashboard.figures.claim_marks import (  # noqa: F401
    CLAIM_COLOR,
    _across_plot,
    _claim_label,
    add_claim_band,
    add_claim_line,
)
from dashboard.figures.phone import (  # noqa: F401
    DATED,
    OFF_SCALE,
    PERIOD_LABEL_DAYS,
    PHONE_MAX_YEAR_TICKS,
    PHONE_NOTE,
    PHONE_NOTE_ROOM_PX,
    PHONE_YEAR_TICKS_DAYS,
    YEAR_STEPS,
    off_scale,
    phone_layout,
    phone_window,
    phone_y_with_off_scale,
    phone_year_ticks,
    year_periods,
    year_ticks_when_long,
)
from dashboard.i18n import plotly_separators, plotly_si_suffixes

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
    lift = 0 if lines == 1 else round(lines * TITLE_FONT_PX * 1.3)
    pad_top = 12 + lift
    # `automargin` counts that padding as header too, which left about 70 px blank between the source line and the
    # plot of every chart with a two-line title; the bottom padding gives it back (graphics review, 7 December 2026).
    pad_bottom = 14 - lift
    # Spanish numbers in full with the site's separators ("150.000"), never SI suffixes ("150k"), on every axis:
    # the interactive chart shows what the server-drawn first screen showed.
    numbers = {} if plotly_si_suffixes(frame.lang) else {"exponentformat": "none", "separatethousands": True}
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
            "pad": {"l": 12, "t": pad_top, "b": pad_bottom},
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


def for_screen(fig: go.Figure) -> dict:
    """The on-page version: the card around it shows title, subtitle, sources and date as text (which wraps on a
    phone), so the figure drops them. Downloads (PNG/SVG) and embeds use the full figure. Returned as a plain dict
    (no second round of plotly validation)."""
    return screen_layout(fig.to_plotly_json())


def screen_layout(doc: dict) -> dict:
    layout = dict(doc["layout"])
    layout["annotations"] = [a for a in layout.get("annotations", []) if a.get("name") != "source-line"]
    layout.pop("title", None)
    # The legend below makes its own room; a phone window's note above the plot needs its line (at 16 px the top of
    # "Últimos 3 años" was cut on a phone: graphics review, 7 December 2026).
    noted = any(a.get("name") == PHONE_NOTE and a.get("yref") == "paper" for a in layout["annotations"])
    layout["margin"] = {**layout.get("margin", {}), "t": PHONE_NOTE_ROOM_PX if noted else 16, "b": 12}
    return {"data": doc["data"], "layout": layout}


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
    """Break long lines for the source line (plotly does not wrap text). A separator "·" stays at the end of its line,
    never opening the next ("· %, 2003–2026" read as a stray dot: graphics review, 7 December 2026)."""
    words: list[str] = []
    for word in text.split(" "):
        if word == "·" and words:
            words[-1] += " ·"
        else:
            words.append(word)
    out, line = [], ""
    for word in words:
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


def axis_title(unit: str) -> dict:
    return {"title": {"text": unit, "font": {"size": 12, "color": "#555"}}}

"""The blackouts charts' shared parts: the view's days of the UNE's daily table as column arrays, gaps and weekly
means for long periods, the chart header, one daily line, and the grid collapses and key events along the top."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from dashboard.chart_registry import ChartState
from dashboard.chartdefs._shared import period_end, period_start, source_line, sources_for
from dashboard.data import DataStore
from dashboard.figures.common import Draft, Frame, header_subtitle, trace
from dashboard.i18n import fmt_date, t


def _columns(store: DataStore) -> dict[str, Any]:
    """The UNE's daily table as one array per column, sorted by date (numpy for dates and floats, pandas' arrays
    for the rest, so tables keep their types): charts slice these instead of filtering a 30-column frame."""
    df = store.table("une_daily").sort_values("date")
    return {c: df[c].to_numpy() if df[c].dtype.kind in "fM" else df[c].array for c in df.columns}


def _present(values: Any) -> np.ndarray:
    return ~np.isnan(values) if isinstance(values, np.ndarray) and values.dtype.kind == "f" else ~values.isna()


@dataclass(frozen=True)
class Days:
    """Some of the UNE's daily rows (the view's period, maybe only those with values), as column arrays: the charts
    of this page work on these, because each pandas step on a small frame costs about a millisecond and a date
    range used to rebuild six charts with dozens of them."""

    columns: dict[str, Any]
    rows: slice | np.ndarray

    def __getitem__(self, name: str) -> Any:
        return self.columns[name][self.rows]

    def __len__(self) -> int:
        return len(self["date"])

    def with_values(self, *names: str) -> Days:
        """Only the rows where every one of `names` has a value (`dropna(subset=names)`)."""
        keep = np.logical_and.reduce([_present(self[n]) for n in names])
        rows = self.rows if isinstance(self.rows, np.ndarray) else np.arange(len(self.columns["date"]))[self.rows]
        return Days(self.columns, rows[keep])

    def frame(self, *names: str) -> pd.DataFrame:
        return pd.DataFrame({n: self[n] for n in names})


def days_in_period(store: DataStore, state: ChartState) -> Days:
    columns = store.prepared("une_daily:columns", _columns)
    first, last = period_rows(columns["date"], state)
    return Days(columns, slice(first, last))


def period_rows(dates: np.ndarray, state: ChartState) -> tuple[int, int]:
    """The positions [first, last) of the view's period in sorted dates (what `filter_period` keeps)."""
    first = int(np.searchsorted(dates, period_start(state.start), "left")) if state.start else 0
    last = int(np.searchsorted(dates, period_end(state.end), "right")) if state.end else len(dates)
    return first, max(first, last)


def _as_plotted(values: Any) -> np.ndarray:
    """A column as plotly stores it: floats with NaN for gaps; whole numbers stay integers when none is missing."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        return values
    if values.isna().any():
        return values.to_numpy("float64", na_value=np.nan)
    return values.to_numpy("int64")


def with_gaps(dates: np.ndarray, columns: dict[str, Any]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Every calendar day from the first to the last (missing days empty), so lines and fills break at gaps instead
    of bridging them."""
    if not len(dates):
        return dates, {c: _as_plotted(v) for c, v in columns.items()}
    day = np.timedelta64(1, "D")
    offsets = (dates - dates[0]) // day
    n = int(offsets[-1]) + 1
    if n == len(dates):
        return dates, {c: _as_plotted(v) for c, v in columns.items()}
    out = {}
    for column, values in columns.items():
        full = np.full(n, np.nan)
        full[offsets] = values.to_numpy("float64", na_value=np.nan) if not isinstance(values, np.ndarray) else values
        out[column] = full
    return dates[0] + np.arange(n) * day, out


WEEKLY_AFTER_DAYS = 400


def for_display(
    store: DataStore, dates: np.ndarray, columns: dict[str, Any], weekly: dict[str, str]
) -> tuple[np.ndarray, dict[str, np.ndarray], bool]:
    """What a time-series chart draws: daily values (with gaps) for up to ~13 months; beyond that the published
    weekly means (une_weekly; `weekly` maps each of `columns` to its column there) of the weeks the period touches —
    a seventh of the points, so long views draw quickly and stay legible; downloads keep the daily values."""
    if not len(dates) or (dates[-1] - dates[0]) <= np.timedelta64(WEEKLY_AFTER_DAYS, "D"):
        return *with_gaps(dates, columns), False
    week = store.prepared("une_weekly:columns", lambda s: _arrays(s, "une_weekly", "week_start"))
    first_day = dates[0].astype("datetime64[D]")
    monday = first_day - (first_day.astype("int64") + 3) % 7  # day 0 (1970-01-01) was a Thursday
    first = int(np.searchsorted(week["week_start"], monday.astype(dates.dtype), "left"))
    rows = slice(first, int(np.searchsorted(week["week_start"], dates[-1], "right")))
    starts, values = week["week_start"][rows], {key: week[column][rows] for key, column in weekly.items()}
    if len(starts) < 2:
        return starts, values, True
    # Every Monday from the first week to the last, empty where no week is published, so lines break at weeks
    # without notes instead of joining across them.
    step = np.timedelta64(7, "D")
    every = np.arange(starts[0], starts[-1] + step, step).astype(starts.dtype)
    at = np.searchsorted(every, starts)
    full = {}
    for key, column in values.items():
        full[key] = np.full(len(every), np.nan)
        full[key][at] = column
    return every, full, True


def _arrays(store: DataStore, table: str, time_column: str) -> dict[str, np.ndarray]:
    """A published table as one array per column, sorted by its time column (floats for numbers)."""
    df = store.table(table).sort_values(time_column)
    out = {}
    for column in df.columns:
        values = df[column]
        if values.dtype.kind in "fM":
            out[column] = values.to_numpy()
        elif values.dtype.kind in "iu" or pd.api.types.is_numeric_dtype(values):
            out[column] = values.to_numpy("float64", na_value=np.nan)
        else:
            out[column] = values.to_numpy()
    return out


def _with_note(subtitle: str, aggregated: bool, lang: str) -> str:
    return f"{subtitle}; {t('blackouts_weekly_note', lang)}" if aggregated else subtitle


def set_subtitle(fig: Draft, frame: Frame, text: str) -> None:
    """Change a figure's subtitle, keeping the header's wrapping and its source line."""
    fig.update_layout(title={"subtitle": {"text": header_subtitle(replace(frame, subtitle=text))}})


def _frame(
    store: DataStore, state: ChartState, title: str, subtitle: str, dates: np.ndarray
) -> tuple[Frame, list, str]:
    lang = state.lang
    sources = sources_for(store, "une_daily")
    as_of = fmt_date(pd.Timestamp(dates.max()).date(), lang) if len(dates) else ""
    return (
        Frame(title, subtitle, source_line(sources, as_of, lang), lang),
        sources,
        as_of,
    )


def _daily_line(
    dates: np.ndarray, values: np.ndarray, name: str, line: dict, value: str = "%{y:,.0f} MW", label: bool = True
) -> dict:
    """One daily (or weekly) series: a single line path (not a marker per day, which is far slower to draw), with
    the date and value in the hover and, when `label`, the series name beside them."""
    return trace(
        "scatter",
        x=dates,
        y=values,
        name=name,
        mode="lines",
        line=line,
        hovertemplate="%{x|%Y-%m-%d}: " + value + "<extra>" + (name if label else "") + "</extra>",
    )


def _between(dates: np.ndarray, start: np.datetime64, end: np.datetime64) -> np.ndarray:
    return (dates >= start) & (dates <= end)


def _collapses(store: DataStore) -> dict[str, Any]:
    total = store.table("grid_collapses").query("scope == 'total'").drop_duplicates("date").sort_values("date")
    dates = total["date"]
    return {"date": dates.to_numpy(), "when": list(dates), "trigger": total["trigger"].fillna("").to_numpy()}


def add_events(fig: Draft, store: DataStore, start: np.datetime64, end: np.datetime64, lang: str) -> None:
    """Total grid collapses: a dotted vertical line each, plus a marker trace named in the legend (words, not
    colour) whose hover gives the date and the reported trigger."""
    collapses = store.prepared("grid_collapses:total", _collapses)
    shown = np.flatnonzero(_between(collapses["date"], start, end))
    fig.update_layout(yaxis2={"overlaying": "y", "range": [0, 1.05], "visible": False, "fixedrange": True})
    add_key_events(fig, store, start, end, lang)
    if not len(shown):
        return
    lines = [
        {
            "type": "line",
            "xref": "x",
            "yref": "y domain",
            "x0": collapses["when"][i],
            "x1": collapses["when"][i],
            "y0": 0,
            "y1": 1,
            "line": {"color": "#777777", "dash": "dot", "width": 1},
        }
        for i in shown
    ]
    fig.update_layout(shapes=[*fig.layout.get("shapes", []), *lines])
    name = t("blackouts_grid_collapse", lang)
    marker = {"symbol": "x", "size": 10, "color": "#777777"}
    hover = "%{x|%Y-%m-%d}: " + name + "<br>%{customdata}<extra></extra>"
    fig.add_trace(_top_markers(collapses["date"][shown], 1.0, name, marker, collapses["trigger"][shown], hover))


def _top_markers(dates: np.ndarray, level: float, name: str, marker: dict, hover: object, template: str) -> dict:
    """Markers along the top of a time chart (on a hidden 0–1 axis), one per dated event, with its text in the hover."""
    return trace(
        "scatter",
        x=dates,
        y=[level] * len(dates),
        yaxis="y2",
        mode="markers",
        name=name,
        marker=marker,
        customdata=hover,
        hovertemplate=template,
    )


def _key_events(store: DataStore) -> dict[str, np.ndarray]:
    events = store.table("events_timeline")
    events = events[events["category"] != "grid"]
    hover = events["category"] + ": " + events["event"].str.slice(0, 140) + " (" + events["publisher"] + ")"
    return {"date": events["date"].to_numpy(), "hover": hover.to_numpy()}


def add_key_events(fig: Draft, store: DataStore, start: np.datetime64, end: np.datetime64, lang: str) -> None:
    """Key events other than grid collapses (oil supply, policy, weather) as triangles along the top, each with its
    sentence and source in the hover; named in the legend, so they do not rely on colour."""
    events = store.prepared("events_timeline:key", _key_events)
    shown = _between(events["date"], start, end)
    if not shown.any():
        return
    name = t("blackouts_key_event", lang)
    marker = {"symbol": "triangle-down", "size": 9, "color": "#7a5195", "line": {"width": 1, "color": "#333"}}
    hover = "%{x|%Y-%m-%d}: %{customdata}<extra></extra>"
    fig.add_trace(_top_markers(events["date"][shown], 0.95, name, marker, events["hover"][shown], hover))


def area_between(dates: np.ndarray, low: np.ndarray, high: np.ndarray, name: str, fillcolor: str) -> dict:
    """A filled area between two series as one trace of closed polygons (`deficit_polygons`): the supply-demand gap
    and the outage-hours range are drawn the same way, never bridging days or months without figures."""
    xs, ys = deficit_polygons(dates, low, high)
    return trace(
        "scatter",
        x=xs,
        y=ys,
        fill="toself",
        mode="lines",
        line={"width": 0},
        name=name,
        fillcolor=fillcolor,
        hoverinfo="skip",
    )


def deficit_polygons(dates: np.ndarray, avail: np.ndarray, demand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The area between availability and demand as closed polygons, one per run of consecutive days (so the shading
    never bridges days without a report). One trace; each polygon ends with an empty value, which breaks the fill."""
    present = ~(np.isnan(avail) | np.isnan(demand))
    edges = np.flatnonzero(np.diff(np.concatenate(([0], present.astype(np.int8), [0]))))
    xs, ys = [], []
    for first, stop in zip(edges[::2], edges[1::2], strict=True):  # runs [first, stop) of present days
        if stop - first < 2:
            continue
        xs += [dates[first:stop], dates[first:stop][::-1], dates[first : first + 1], dates[first : first + 1]]
        ys += [avail[first:stop], demand[first:stop][::-1], avail[first : first + 1], [np.nan]]
    if not xs:
        return dates[:0], avail[:0]
    return np.concatenate(xs), np.concatenate(ys)

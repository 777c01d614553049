"""Blackouts: the UNE's daily figures — supply vs demand, planned vs actual load cuts, the share of the country
without power at the peak, estimated outage hours (with band and method), thermal units out, and a calendar."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.chart_registry import ChartSpec, ChartState, ChartView, register
from dashboard.chartdefs._shared import no_data, period_end, period_start, source_line, sources_for
from dashboard.data import DataStore
from dashboard.figures.common import (
    ESTIMATE_FILL,
    PALETTE,
    Draft,
    Frame,
    axis_title,
    base_figure,
    empty_figure,
    header_subtitle,
    off_scale,
    phone_y_with_off_scale,
    trace,
)
from dashboard.i18n import MONTHS_SHORT, fmt_date, fmt_num, t

PAGE = "/blackouts"
SOURCE_NOTE = {
    "en": "UNE daily notes (Cubadebate) and press reports",
    "es": "Notas diarias de la UNE (Cubadebate) y prensa",
}

CIVIDIS = [list(stop) for stop in go.scatter.Marker(colorscale="Cividis").colorscale]  # as plotly expands it


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
WEEKLY_NOTE = {
    "en": "weekly averages over periods longer than 13 months (daily values in the table and CSV)",
    "es": "medias semanales en periodos de más de 13 meses (valores diarios en la tabla y el CSV)",
}


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


def _with_note(subtitle: dict[str, str], aggregated: bool, lang: str) -> str:
    return f"{subtitle[lang]}; {WEEKLY_NOTE[lang]}" if aggregated else subtitle[lang]


def set_subtitle(fig: Draft, frame: Frame, text: str) -> None:
    """Change a figure's subtitle, keeping the header's wrapping and its source line."""
    fig.update_layout(title={"subtitle": {"text": header_subtitle(replace(frame, subtitle=text))}})


def _frame(
    store: DataStore, state: ChartState, title: dict, subtitle: dict, dates: np.ndarray
) -> tuple[Frame, list, str]:
    lang = state.lang
    sources = sources_for(store, "une_daily")
    as_of = fmt_date(pd.Timestamp(dates.max()).date(), lang) if len(dates) else ""
    return (
        Frame(title[lang], subtitle[lang], source_line(sources, as_of, lang, SOURCE_NOTE[lang]), lang),
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
    name = "Total grid collapse" if lang == "en" else "Colapso total de la red"
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
    name = "Key event (see timeline)" if lang == "en" else "Hecho destacado (ver cronología)"
    marker = {"symbol": "triangle-down", "size": 9, "color": "#7a5195", "line": {"width": 1, "color": "#333"}}
    hover = "%{x|%Y-%m-%d}: %{customdata}<extra></extra>"
    fig.add_trace(_top_markers(events["date"][shown], 0.95, name, marker, events["hover"][shown], hover))


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


def _supply_demand(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    days = days_in_period(store, state).with_values("peak_demand_mw")
    dates = days["date"]
    title = {
        "en": "Cuba's grid at the evening peak: available capacity vs demand",
        "es": "La red de Cuba en el pico nocturno: capacidad disponible frente a demanda",
    }
    subtitle = {
        "en": "Megawatts (MW), UNE forecast for each evening; dotted lines mark total grid collapses",
        "es": "Megavatios (MW), pronóstico de la UNE para cada noche; las líneas punteadas marcan colapsos totales",
    }
    fr, sources, as_of = _frame(store, state, title, subtitle, dates)
    frame_df = days.frame(
        "date", "peak_availability_mw", "peak_demand_mw", "peak_deficit_mw", "source_kind", "source_url"
    )
    if not len(days):
        return ChartView(
            empty_figure(fr, no_data(lang)), frame_df, no_data(lang), title[lang], subtitle[lang], sources, as_of
        )
    fig = base_figure(fr)
    avail_name = "Available capacity" if lang == "en" else "Capacidad disponible"
    demand_name = "Demand" if lang == "en" else "Demanda"
    avail, demand = days["peak_availability_mw"], days["peak_demand_mw"]
    shown, values, weekly = for_display(
        store, dates, {"avail": avail, "demand": demand}, {"avail": "peak_availability_mw", "demand": "peak_demand_mw"}
    )
    missing = np.isnan(values["avail"]) | np.isnan(values["demand"])  # draw both only where both are known
    shown_avail, shown_demand = np.where(missing, np.nan, values["avail"]), np.where(missing, np.nan, values["demand"])
    if weekly:
        set_subtitle(fig, fr, _with_note(subtitle, True, lang))
    gap_name = "Gap (demand above capacity)" if lang == "en" else "Faltante (demanda sobre capacidad)"
    xs, ys = deficit_polygons(shown, shown_avail, shown_demand)
    fig.add_trace(
        trace(
            "scatter",
            x=xs,
            y=ys,
            fill="toself",
            mode="lines",
            line={"width": 0},
            name=gap_name,
            fillcolor="rgba(213,94,0,0.18)",
            hoverinfo="skip",
        )
    )
    fig.add_trace(_daily_line(shown, shown_avail, avail_name, {"color": PALETTE[0], "width": 1.6}))
    fig.add_trace(_daily_line(shown, shown_demand, demand_name, {"color": PALETTE[3], "width": 1.6, "dash": "dot"}))
    add_events(fig, store, dates[0], dates[-1], lang)  # the reported days, also when weeks are drawn
    fig.update_yaxes(**axis_title("MW"), rangemode="tozero")
    both = np.flatnonzero(~(np.isnan(avail) | np.isnan(demand)))
    last = both[-1] if len(both) else len(days) - 1  # the last day the note gave both
    when = pd.Timestamp(dates[last]).date()
    summary = _peak_sentence(when, avail[last], demand[last], days["peak_deficit_mw"][last], lang)
    return ChartView(fig, frame_df, summary, title[lang], _with_note(subtitle, weekly, lang), sources, as_of)


def _load_cut_sentence(above: int, paired: int, days: np.ndarray, lang: str) -> str:
    """How often the day's largest cut (at any hour) exceeded the cut planned for the evening peak, over which days."""
    if not paired:
        return no_data(lang)
    share = fmt_num(100 * above / paired, lang, 0)
    first, last = (fmt_date(pd.Timestamp(d).date(), lang) for d in (days.min(), days.max()))
    if lang == "en":
        return (
            f"On {above} of the {paired} days with both figures ({share}%), {first} to {last}, the day's largest cut"
            " (reported next morning) exceeded the cut planned for the evening peak."
        )
    return (
        f"En {above} de los {paired} días con ambas cifras ({share} %), del {first} al {last}, la mayor afectación"
        " del día (informada a la mañana siguiente) superó la prevista para el pico nocturno."
    )


def _peak_sentence(when: Any, avail_mw: float, demand_mw: float, stated_deficit_mw: Any, lang: str) -> str:
    """The latest evening-peak forecast in words. The deficit is the UNE's stated figure (the published
    peak_deficit_mw, as in the CSV); where the note gives none, or a figure that differs from demand minus
    availability (the shaded gap), the difference is named as such."""
    gap_mw = demand_mw - avail_mw
    stated = None if pd.isna(stated_deficit_mw) else float(stated_deficit_mw)
    avail, demand, day = fmt_num(avail_mw, lang), fmt_num(demand_mw, lang), fmt_date(when, lang)
    if lang == "en":
        head = f"On {day}, the UNE forecast {avail} MW available against a demand of {demand} MW at the evening peak"
        if stated is None and gap_mw < 0:
            return f"{head}: availability exceeded demand by {fmt_num(-gap_mw, lang)} MW."
        if stated is None:
            return f"{head}: a gap of {fmt_num(gap_mw, lang)} MW (demand minus availability)."
        if abs(stated - gap_mw) < 1:
            return f"{head}, a deficit of {fmt_num(stated, lang)} MW."
        return (
            f"{head}; it stated a deficit of {fmt_num(stated, lang)} MW (demand minus availability: "
            f"{fmt_num(gap_mw, lang)} MW)."
        )
    head = f"El {day}, la UNE pronosticó {avail} MW disponibles frente a una demanda de {demand} MW en el pico nocturno"
    if stated is None and gap_mw < 0:
        return f"{head}: la disponibilidad superó a la demanda en {fmt_num(-gap_mw, lang)} MW."
    if stated is None:
        return f"{head}: un faltante de {fmt_num(gap_mw, lang)} MW (demanda menos disponibilidad)."
    if abs(stated - gap_mw) < 1:
        return f"{head}, un déficit de {fmt_num(stated, lang)} MW."
    return (
        f"{head}; declaró un déficit de {fmt_num(stated, lang)} MW (demanda menos disponibilidad: "
        f"{fmt_num(gap_mw, lang)} MW)."
    )


def _load_cut(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    days = days_in_period(store, state)
    title = {
        "en": "Load cuts: planned at the peak vs the actual maximum",
        "es": "Afectaciones: previstas en el pico frente al máximo real",
    }
    subtitle = {
        "en": "MW; the actual maximum is reported in the next morning's note and drawn on the day it happened",
        "es": "MW; el máximo real lo informa la nota de la mañana siguiente y se dibuja en el día en que ocurrió",
    }
    fr, sources, as_of = _frame(store, state, title, subtitle, days["date"])
    # Each note's actual maximum belongs to the day before it; days come from either column (dates are unique and
    # sorted, so their union is too).
    reported = days.with_values("prev_day_max_affectation_mw")
    note_dates, actual_dates = days["date"], reported["date"] - np.timedelta64(1, "D")
    dates = np.union1d(note_dates, actual_dates)
    planned = np.full(len(dates), np.nan)
    planned[np.searchsorted(dates, note_dates)] = days["peak_affectation_mw"]
    actual = np.full(len(dates), np.nan)
    actual[np.searchsorted(dates, actual_dates)] = reported["prev_day_max_affectation_mw"]
    frame_df = pd.DataFrame(
        {"date": dates, "planned_peak_affectation_mw": planned, "actual_max_affectation_mw": actual}
    )
    if np.isnan(planned).all() and np.isnan(actual).all():
        return ChartView(
            empty_figure(fr, no_data(lang)), frame_df, no_data(lang), title[lang], subtitle[lang], sources, as_of
        )
    fig = base_figure(fr)
    planned_name = "Planned (forecast) at the peak" if lang == "en" else "Prevista (pronóstico) en el pico"
    actual_name = "Actual maximum" if lang == "en" else "Máximo real"
    shown, values, weekly = for_display(
        store,
        dates,
        {"planned": planned, "actual": actual},
        {"planned": "peak_affectation_mw", "actual": "actual_max_affectation_mw"},
    )
    if weekly:
        set_subtitle(fig, fr, _with_note(subtitle, True, lang))
    fig.add_trace(_daily_line(shown, values["planned"], planned_name, {"color": PALETTE[1], "width": 1.4}))
    line = {"color": PALETTE[4], "width": 1.2, "dash": "dot"}
    fig.add_trace(_daily_line(shown, values["actual"], actual_name, line))
    fig.update_yaxes(**axis_title("MW"), rangemode="tozero")
    # The count comes from the published pairs of forecast and outcome (une_forecast_outcomes), the same the
    # forecast-miss chart draws: only the days of this view are counted.
    outcomes = store.prepared("une_forecast_outcomes:columns", _outcome_columns)
    in_view = (outcomes["date"] >= dates[0]) & (outcomes["date"] <= dates[-1])
    paired, above = int(in_view.sum()), int((outcomes["error_mw"][in_view] > 0).sum())
    summary = _load_cut_sentence(above, paired, outcomes["date"][in_view], lang)
    return ChartView(fig, frame_df, summary, title[lang], _with_note(subtitle, weekly, lang), sources, as_of)


def _rolling_30_days(store: DataStore) -> np.ndarray:
    """The published 30-day mean share (une_share_rolling) on the rows of the daily columns (empty where a day has
    no share figure): a day's mean is the same in every view, since it averages the 29 days before it too."""
    daily = store.prepared("une_daily:columns", _columns)
    rolling = store.prepared("une_share_rolling:columns", lambda s: _arrays(s, "une_share_rolling", "date"))
    rolled = np.full(len(daily["date"]), np.nan)
    at = np.searchsorted(daily["date"], rolling["date"])
    rolled[at] = rolling["rolling_30_day_mean_pct"]
    return rolled


def _share_dark(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    days = days_in_period(store, state).with_values("peak_share_of_demand_cut_pct")
    dates, share = days["date"], days["peak_share_of_demand_cut_pct"]
    title = {
        "en": "Share of demand cut at the evening peak",
        "es": "Parte de la demanda sin servicio en el pico nocturno",
    }
    subtitle = {
        "en": "% of forecast peak demand planned to be cut — about the share of the country without power at once",
        "es": "% de la demanda pico prevista que se planifica cortar: aproximadamente la parte del país sin corriente a la vez",
    }
    fr, sources, as_of = _frame(store, state, title, subtitle, dates)
    rolled = store.prepared("une_daily:rolling_30_day_share", _rolling_30_days)[days.rows]
    frame_df = pd.DataFrame({"date": dates, "peak_share_of_demand_cut_pct": share, "rolling_30_day_mean_pct": rolled})
    if not len(days):
        return ChartView(
            empty_figure(fr, no_data(lang)), frame_df, no_data(lang), title[lang], subtitle[lang], sources, as_of
        )
    fig = base_figure(fr)
    shown, values, weekly = for_display(
        store,
        dates,
        {"share": share, "mean": rolled},
        {"share": "peak_share_of_demand_cut_pct", "mean": "rolling_30_day_mean_pct"},
    )
    daily_name = (
        ("Weekly average" if lang == "en" else "Media semanal") if weekly else ("Daily" if lang == "en" else "Diario")
    )
    mean_name = "30-day average" if lang == "en" else "Media de 30 días"
    if weekly:
        set_subtitle(fig, fr, _with_note(subtitle, True, lang))
    daily_line = {"width": 0.8, "color": "rgba(0,114,178,0.45)"}
    fig.add_trace(_daily_line(shown, values["share"], daily_name, daily_line, "%{y:.1f}%", label=False))
    mean_line = {"color": PALETTE[0], "width": 2.5}
    fig.add_trace(_daily_line(shown, values["mean"], mean_name, mean_line, "%{y:.1f}%"))
    fig.update_yaxes(**axis_title("%"), range=[0, 100])  # before the events' hidden 0–1 axis, which it would reset
    add_events(fig, store, dates[0], dates[-1], lang)
    when = fmt_date(pd.Timestamp(dates[-1]).date(), lang)
    summary = (
        f"In the 30 days to {when}, on average {fmt_num(rolled[-1], lang, 0)}% of peak demand was planned to be cut."
        if lang == "en"
        else f"En los 30 días hasta el {when}, se planificó cortar en promedio el "
        f"{fmt_num(rolled[-1], lang, 0)}% de la demanda pico."
    )
    return ChartView(fig, frame_df, summary, title[lang], _with_note(subtitle, weekly, lang), sources, as_of)


HAVANA_MIN_DAYS = 60  # a Havana "yearly" figure over fewer days is not drawn (named in a note instead)


def _months_in_period(
    store: DataStore, dates: np.ndarray, columns: list[str]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The published monthly means (une_outage_hours_monthly) of the months the period's days fall in."""
    monthly = store.prepared(
        "une_outage_hours_monthly:columns", lambda s: _arrays(s, "une_outage_hours_monthly", "month_start")
    )
    starts = monthly["month_start"]
    if not len(dates):
        return starts[:0], {c: monthly[c][:0] for c in columns}
    first_month = dates[0].astype("datetime64[M]").astype(starts.dtype)
    rows = slice(int(np.searchsorted(starts, first_month, "left")), int(np.searchsorted(starts, dates[-1], "right")))
    months, values = starts[rows], {c: monthly[c][rows] for c in columns}
    if len(months) < 2:
        return months, values
    # Every month from the first to the last, empty where none is published, so the line breaks instead of joining.
    every = np.arange(months[0].astype("datetime64[M]"), months[-1].astype("datetime64[M]") + 1).astype(months.dtype)
    at = np.searchsorted(every, months)
    full = {c: np.full(len(every), np.nan) for c in columns}
    for c in columns:
        full[c][at] = values[c]
    return every, full


def _havana_per_year(store: DataStore) -> pd.DataFrame:
    """Havana's published yearly figures (havana_outages_yearly), with the period each covers as timestamps."""
    per_year = store.table("havana_outages_yearly").rename(
        columns={"first_message_date": "first", "last_message_date": "last"}
    )
    return per_year.assign(first=pd.to_datetime(per_year["first"]), last=pd.to_datetime(per_year["last"]))


def _period_words(first: pd.Timestamp, last: pd.Timestamp, lang: str) -> str:
    """'1 Aug–31 Dec 2022' / '1 ago–31 dic 2022', '1–17 Jan 2026'; a whole year is just '2023'."""
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        return str(first.year)
    months = MONTHS_SHORT[lang]
    if first.month == last.month:
        return f"{first.day}–{last.day} {months[last.month - 1]} {first.year}"
    return f"{first.day} {months[first.month - 1]}–{last.day} {months[last.month - 1]} {first.year}"


def _outage_hours(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    cols = [
        "estimated_outage_hours_per_day_low",
        "estimated_outage_hours_per_day_central",
        "estimated_outage_hours_per_day_high",
    ]
    days = days_in_period(store, state)
    months, means = _months_in_period(store, days["date"], cols)
    monthly = pd.DataFrame({"month": months, **means})
    low, central, high = (means[c] for c in cols)
    title = {
        "en": "Estimated hours without power per customer per day (ESTIMATE)",
        "es": "Horas sin corriente por cliente y día (ESTIMACIÓN)",
    }
    subtitle = {
        "en": "Model on UNE figures: monthly mean, assumption range. Diamonds: Havana, over each bar's period",
        "es": "Modelo sobre cifras de la UNE: media mensual y rango. Rombos: La Habana, periodo de cada barra",
    }
    fr, sources, as_of = _frame(store, state, title, subtitle, days["date"])
    # Havana's third-party figures are credited in the image's own source line too (embeds and downloads travel
    # without the page's list of sources), in a few words so a phone embed keeps room for the plot.
    havana_credit = {
        "en": "Havana: une-unwrapped-habana (third party)",
        "es": "La Habana: une-unwrapped-habana (terceros)",
    }
    fr = replace(fr, source_line=source_line(sources, as_of, lang, havana_credit[lang]))
    sources = sources + sources_for(store, "havana_block_outages")
    if not len(months):
        return ChartView(
            empty_figure(fr, no_data(lang)), monthly, no_data(lang), title[lang], subtitle[lang], sources, as_of
        )
    fig = base_figure(fr)
    band = "Assumption range" if lang == "en" else "Rango por supuestos"
    central_name = "Central estimate" if lang == "en" else "Estimación central"
    # The band as one closed shape per run of months with an estimate: a fill between two lines would bridge the
    # months left out (graphics review of 6 December 2026: wedges over months without estimates).
    band_x, band_y = deficit_polygons(months, low, high)
    fig.add_trace(
        trace(
            "scatter",
            x=band_x,
            y=band_y,
            fill="toself",
            mode="lines",
            line={"width": 0},
            fillcolor=ESTIMATE_FILL,
            name=band,
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        trace(
            "scatter",
            x=months,
            y=central,
            mode="lines+markers",
            name=central_name,
            line={"color": PALETTE[0], "width": 2},
            marker={"size": 4},
            hovertemplate="%{x|%Y-%m}: %{y:.1f} h<extra>" + central_name + "</extra>",
        )
    )
    per_year = store.prepared("havana_block_outages:per_year", _havana_per_year)
    # Havana's figures cover a period each (first to last message of the year): drawn across it, inside the view
    # and never past the chart's latest day; a figure over a few weeks only is left out and named in a note.
    view_first, view_last = pd.Timestamp(months[0]), pd.Timestamp(days["date"][-1])
    if state.start:
        view_first = max(view_first, period_start(state.start))
    shown = per_year[(per_year["last"] >= view_first) & (per_year["first"] <= view_last)]
    short = shown[shown["days_covered"] < HAVANA_MIN_DAYS]
    shown = shown[shown["days_covered"] >= HAVANA_MIN_DAYS]
    notes = []
    if len(short):
        left_out = ", ".join(_period_words(r.first, r.last, lang) for r in short.itertuples(index=False))
        notes.append(
            f"Havana {left_out} not drawn (too few days)."
            if lang == "en"
            else f"Sin La Habana {left_out} (pocos días)."
        )
    havana_top = 0.0
    if len(shown):
        name = "Havana (third party)" if lang == "en" else "La Habana (terceros)"
        firsts = shown["first"].clip(lower=view_first).to_numpy("datetime64[ns]")
        lasts = shown["last"].clip(upper=view_last).to_numpy("datetime64[ns]")
        values = shown["outage_hours_per_day"].to_numpy("float64")
        havana_top = float(values.max())
        labels = [_period_words(r.first, r.last, lang) for r in shown.itertuples(index=False)]
        xs = np.column_stack([firsts, firsts + (lasts - firsts) / 2, lasts, lasts]).ravel()
        ys = np.column_stack([values, values, values, np.full(len(values), np.nan)]).ravel()
        sizes = np.zeros(len(xs))
        sizes[1::4] = 11
        fig.add_trace(
            trace(
                "scatter",
                x=xs,
                y=ys,
                name=name,
                mode="lines+markers",
                line={"color": PALETTE[3], "width": 3},
                marker={"symbol": "diamond-open", "size": sizes, "color": PALETTE[3], "line": {"width": 2}},
                customdata=np.repeat(np.array(labels, dtype=object), 4),
                hovertemplate="%{customdata}: %{y:.1f} h<extra>Havana</extra>",
            )
        )
    top = max(float(np.nanmax(high)) if np.isfinite(high).any() else 0.0, havana_top)
    fig.update_yaxes(
        **axis_title("hours per day" if lang == "en" else "horas por día"),
        range=[0, min(24.0, max(1.0, top * 1.1))],
    )
    with_central = np.flatnonzero(~np.isnan(central))
    last = with_central[-1] if len(with_central) else len(months) - 1
    month = fmt_date(pd.Timestamp(months[last]).date(), lang, month_only=True)
    band_text = f"{fmt_num(low[last], lang, 1)}–{fmt_num(high[last], lang, 1)} h"
    summary = (
        f"Estimate for {month}: about {fmt_num(central[last], lang, 1)} hours a day without power on average "
        f"({band_text} over the stated assumptions); local durations vary widely."
        if lang == "en"
        else f"Estimación para {month}: unas {fmt_num(central[last], lang, 1)} horas al día sin corriente en promedio "
        f"({band_text} según los supuestos); la duración local varía mucho."
    )
    note = (
        "An estimate, not a reported figure (see Methodology)."
        if lang == "en"
        else "Estimación, no cifra publicada (ver Metodología)."
    )
    return ChartView(
        fig,
        monthly,
        summary,
        title[lang],
        subtitle[lang],
        sources,
        as_of,
        notes=[" ".join([note, *notes])],
        method_link="/methodology#outage-hours",
    )


def _units_out(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    days = days_in_period(store, state).with_values("thermal_units_out_of_service")
    dates, units = days["date"], days["thermal_units_out_of_service"]
    title = {"en": "Thermal generating units out of service", "es": "Unidades térmicas fuera de servicio"}
    subtitle = {
        "en": "Units the UNE's note lists in breakdown or maintenance, per day",
        "es": "Unidades que la nota de la UNE lista en avería o mantenimiento, por día",
    }
    fr, sources, as_of = _frame(store, state, title, subtitle, dates)
    frame_df = days.frame("date", "thermal_units_out_of_service", "units_breakdown", "units_maintenance")
    if not len(days):
        return ChartView(
            empty_figure(fr, no_data(lang)), frame_df, no_data(lang), title[lang], subtitle[lang], sources, as_of
        )
    fig = base_figure(fr)
    shown, values, weekly = for_display(store, dates, {"units": units}, {"units": "thermal_units_out_of_service"})
    if weekly:
        set_subtitle(fig, fr, _with_note(subtitle, True, lang))
    units_line = {"color": PALETTE[2], "width": 1, "shape": "hv"}
    name = "Units out" if lang == "en" else "Unidades fuera"
    fig.add_trace(_daily_line(shown, values["units"], name, units_line, "%{y:.1f} units", label=False))
    fig.update_yaxes(**axis_title("units" if lang == "en" else "unidades"), rangemode="tozero")
    when = fmt_date(pd.Timestamp(dates[-1]).date(), lang)
    summary = (
        f"On {when}, the note listed {int(units[-1])} thermal units in breakdown or maintenance."
        if lang == "en"
        else f"El {when}, la nota listaba {int(units[-1])} unidades térmicas en avería o mantenimiento."
    )
    return ChartView(fig, frame_df, summary, title[lang], _with_note(subtitle, weekly, lang), sources, as_of)


def calendar_frame(days: Days) -> pd.DataFrame:
    """Each day with a value, with its month (first day) and day of the month: the calendar's columns and rows."""
    days = days.with_values("peak_share_of_demand_cut_pct")
    dates = days["date"]
    months = dates.astype("datetime64[M]").astype(dates.dtype)
    day = (dates.astype("datetime64[D]") - months.astype("datetime64[D]")).astype("int64") + 1
    return pd.DataFrame(
        {
            "date": dates,
            "peak_share_of_demand_cut_pct": days["peak_share_of_demand_cut_pct"],
            "month": months,
            "day": day.astype("int32"),
        }
    )


def make_calendar(d: pd.DataFrame, frame: Frame, lang: str, no_data_text: str) -> Draft:
    """Months across, days of the month down, colour = share of demand cut (Cividis: readable with colour
    blindness; darker = worse), the value in the hover and the table. Each day is a bar one day tall and most of a
    month wide (not a heatmap, which the small plotly.js bundle of embeds lacks; not a marker of fixed pixels, which
    overlapped its neighbours into smears on a phone): a tile scales with the axis, so a blank day stays visible."""
    if d.empty:
        return empty_figure(frame, no_data_text)
    fig = base_figure(frame, height=520)
    tile_ms = 26 * 86_400_000  # of a month's ~30 days: a thin gap between months at every width
    fig.add_trace(
        trace(
            "bar",
            x=d["month"] + pd.Timedelta(days=15),
            y=np.full(len(d), 0.86),
            base=(d["day"].astype("float64") - 0.43).round(2).tolist(),  # a list: plotly sends `base` as one
            width=np.full(len(d), tile_ms),
            marker={
                "line": {"width": 0},
                "color": d["peak_share_of_demand_cut_pct"],
                "colorscale": CIVIDIS,
                "reversescale": True,
                "cmin": 0,
                "cmax": 80,
                "colorbar": {"title": {"text": "%"}, "thickness": 12},
            },
            customdata=np.datetime_as_string(d["date"].to_numpy(), unit="D").astype(object),
            hovertemplate="%{customdata}: %{marker.color:.0f}%<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_layout(bargap=0, barmode="overlay")
    fig.update_yaxes(
        range=[31.6, 0.4],
        showgrid=False,
        zeroline=False,
        dtick=5,
        title={"text": "day of month" if lang == "en" else "día del mes", "font": {"size": 12}},
    )
    # The axis ends with the last month drawn (plotly pads a date axis of markers by weeks past the data).
    fig.update_xaxes(
        showgrid=False,
        tickangle=0,
        tickformat="%Y",  # years only: "ene 2023ene 2024…" ran together on a phone (graphics review, round 4)
        dtick="M12",
        tick0="2020-01-01",
        range=[d["month"].min() - pd.Timedelta(days=3), d["month"].max() + pd.Timedelta(days=33)],
    )
    return fig


def _calendar(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    days = days_in_period(store, state)
    title = {
        "en": "Share of peak demand planned to be cut, day by day",
        "es": "Parte de la demanda pico que se planificó cortar, día a día",
    }
    subtitle = {
        "en": "%, UNE forecast for the evening peak; darker = more of the country without power; blank = no figure"
        " that day",
        "es": "%, previsión de la UNE para el pico nocturno; más oscuro = más país sin corriente; en blanco = sin"
        " cifra ese día",
    }
    fr, sources, as_of = _frame(store, state, title, subtitle, days["date"])
    d = calendar_frame(days)
    fig = make_calendar(d, fr, lang, no_data(lang))
    if len(d):
        worst = d.loc[d["peak_share_of_demand_cut_pct"].idxmax()]
        summary = (
            f"The most severe day in this period was {fmt_date(worst['date'].date(), lang)}, with "
            f"{fmt_num(worst['peak_share_of_demand_cut_pct'], lang, 0)}% of peak demand planned to be cut."
            if lang == "en"
            else f"El día más grave del periodo fue el {fmt_date(worst['date'].date(), lang)}, con el "
            f"{fmt_num(worst['peak_share_of_demand_cut_pct'], lang, 0)}% de la demanda pico previsto para cortar."
        )
    else:
        summary = no_data(lang)
    return ChartView(
        fig,
        d[["date", "peak_share_of_demand_cut_pct"]].reset_index(drop=True),
        summary,
        title[lang],
        subtitle[lang],
        sources,
        as_of,
    )


# -- The UNE's evening forecast against the next day's report ---------------------------------------------------------
OUTCOMES, OUTCOMES_MONTHLY = "une_forecast_outcomes", "une_forecast_outcomes_monthly"
MIN_MEDIAN_DAYS = 10  # a month's median over fewer paired days is drawn as tentative
OUTCOME_DOWNLOAD = (
    "date",
    "forecast_peak_cut_mw",
    "reported_max_cut_mw",
    "reported_max_cut_time",
    "error_mw",
    "error_pct",
    "forecast_source_url",
    "report_source_url",
)


def _published(store: DataStore, name: str) -> pd.DataFrame | None:
    """A published table, or None when the data version being served predates it (a last good copy made before the
    table existed): the chart then says it has no data instead of failing the page."""
    try:
        return store.table(name)
    except KeyError:
        return None


def _outcome_columns(store: DataStore) -> dict[str, Any]:
    df = _published(store, OUTCOMES)
    df = pd.DataFrame(columns=list(OUTCOME_DOWNLOAD)) if df is None else df.sort_values("date")
    return {c: df[c].to_numpy() if df[c].dtype.kind in "fM" else df[c].array for c in OUTCOME_DOWNLOAD}


def _monthly_medians(store: DataStore) -> dict[str, np.ndarray]:
    """Each month's published median error, drawn from its first to its last day (a figure for a period)."""
    df = _published(store, OUTCOMES_MONTHLY)
    if df is None or df.empty:
        empty = np.array([], dtype="datetime64[ns]")
        return {"first": empty, "last": empty, "median": np.array([], dtype="float64"), "days": np.array([], "int64")}
    df = df.sort_values("month")
    first = pd.to_datetime(df["month"].astype(str) + "-01")
    return {
        "first": first.to_numpy("datetime64[ns]"),
        "last": (first + pd.offsets.MonthEnd(0)).to_numpy("datetime64[ns]"),
        "median": df["median_error_mw"].to_numpy("float64", na_value=np.nan),
        "days": df["days_paired"].to_numpy("int64"),
    }


def month_segments(
    first: np.ndarray, last: np.ndarray, values: np.ndarray, start: np.datetime64, end: np.datetime64
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One horizontal segment per month across the days it covers (cut to the view [start, end]), as one line path
    broken by an empty value after each month; with the position of each point's month (for its hover)."""
    shown = np.flatnonzero((last >= start) & (first <= end) & ~np.isnan(values))
    lo, hi, v = np.maximum(first[shown], start), np.minimum(last[shown], end), values[shown]
    xs = np.column_stack([lo, hi, hi]).ravel()
    ys = np.column_stack([v, v, np.full(len(v), np.nan)]).ravel()
    return xs, ys, np.repeat(shown, 3)


def _signed(value: float, lang: str) -> str:
    return ("+" if value > 0 else "") + fmt_num(float(value), lang, 0)


def _forecast_error(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    columns = store.prepared("une_forecast_outcomes:columns", _outcome_columns)
    first_row, last_row = period_rows(columns["date"], state)
    days = Days(columns, slice(first_row, last_row))
    dates, error = days["date"], days["error_mw"]
    title, subtitle = t("une_forecast_title", lang), t("une_forecast_subtitle", lang)
    sources = sources_for(store, OUTCOMES) if _published(store, OUTCOMES) is not None else []
    as_of = fmt_date(pd.Timestamp(dates.max()).date(), lang) if len(dates) else ""
    fr = Frame(title, subtitle, source_line(sources, as_of, lang, SOURCE_NOTE[lang]), lang)
    frame_df = days.frame(*OUTCOME_DOWNLOAD)
    notes = [t("une_forecast_method_note", lang)]
    if not len(days):
        return ChartView(
            empty_figure(fr, no_data(lang)), frame_df, no_data(lang), title, subtitle, sources, as_of, notes
        )
    fig = base_figure(fr)
    forecast, reported = days["forecast_peak_cut_mw"], days["reported_max_cut_mw"]
    hover_pair = t("une_forecast_hover", lang, forecast="%{customdata[0]:,.0f}", reported="%{customdata[1]:,.0f}")
    fig.add_trace(
        trace(
            "scatter",
            x=dates,
            y=error,
            mode="markers",
            name=t("une_forecast_day", lang),
            # Light dots, so that the monthly medians over them stay readable on a phone (graphics review, round 1)
            marker={"size": 5, "color": "rgba(0,114,178,0.28)", "line": {"width": 0}},
            customdata=np.column_stack([forecast, reported]),
            hovertemplate="%{x|%Y-%m-%d}: %{y:+,.0f} MW<br>" + hover_pair + "<extra></extra>",
        )
    )
    monthly = store.prepared("une_forecast_outcomes_monthly:medians", _monthly_medians)
    median_hover = t("une_forecast_median_hover", lang, days="%{customdata}")
    # A median over a handful of days is drawn thin and dotted, and named so in the key.
    for thin in (False, True):
        keep = (monthly["days"] < MIN_MEDIAN_DAYS) == thin
        values = np.where(keep, monthly["median"], np.nan)
        xs, ys, months = month_segments(monthly["first"], monthly["last"], values, dates[0], dates[-1])
        if not len(xs):
            continue
        fig.add_trace(
            trace(
                "scatter",
                x=xs,
                y=ys,
                mode="lines",
                name=t("une_forecast_median_few" if thin else "une_forecast_median", lang, days=MIN_MEDIAN_DAYS),
                line={"color": PALETTE[3], "width": 2 if thin else 4, "dash": "dot" if thin else "solid"},
                customdata=monthly["days"][months],
                hovertemplate="%{x|%Y-%m}: %{y:+,.0f} MW, " + median_hover + "<extra></extra>",
            )
        )
    # The axis ends at the last pair (plotly's padding for markers would run it on to an empty next quarter).
    margin = max(np.timedelta64(2, "D"), (dates[-1] - dates[0]) / 80)
    fig.update_xaxes(range=[dates[0] - margin, dates[-1] + margin])
    low, high = float(np.nanmin(error)), float(np.nanmax(error))
    pad = max(50.0, 0.08 * (high - low))
    fig.update_yaxes(
        **axis_title(t("une_forecast_axis", lang)),
        range=[min(low, 0.0) - pad, max(high, 0.0) + pad],
        zeroline=True,
        zerolinecolor="#555555",
        zerolinewidth=1.5,
    )
    _phone_scale(fig, dates, error, lang)
    above = int((error > 0).sum())
    summary = t(
        "une_forecast_summary",
        lang,
        above=fmt_num(above, lang, 0),
        days=fmt_num(len(days), lang, 0),
        share=fmt_num(100 * above / len(days), lang, 0),
        first=fmt_date(pd.Timestamp(dates[0]).date(), lang),
        last=fmt_date(pd.Timestamp(dates[-1]).date(), lang),
        median=_signed(float(np.median(error)), lang),
    )
    return ChartView(fig, frame_df, summary, title, subtitle, sources, as_of, notes)


def _phone_scale(fig: Any, dates: np.ndarray, error: np.ndarray, lang: str) -> None:
    """On a phone one outlier (+1,313 MW on 18 February 2023) stretched the axis to twice the rest, the cloud of days
    squeezed into half the height (graphics review, rounds 5-6): the phone's axis stops at the other values and the
    outlier is named at its end, as off the scale."""
    high, low = off_scale(error)
    if not high and not low:
        return
    kept = np.delete(error, high + low)
    top, bottom = float(np.nanmax(kept)), float(np.nanmin(kept))
    pad = max(50.0, 0.08 * (top - bottom))
    phone_y = [min(bottom, 0.0) - pad, max(top, 0.0) + pad]
    middle = dates[0] + (dates[-1] - dates[0]) / 2
    notes = []
    for i, (mark, edge) in [(i, ("▲", 1)) for i in high] + [(i, ("▼", 0)) for i in low]:
        left = dates[i] < middle  # the note reads away from the axis' nearer end
        value = fmt_num(float(error[i]), lang, 0)
        text = t("une_forecast_off_scale", lang, mark=mark, value=value)
        notes.append(
            {
                "x": dates[i],
                "y": phone_y[edge],
                "text": text if left else text.replace(f"{mark} ", "") + f" {mark}",
                "xanchor": "left" if left else "right",
                "xshift": -5 if left else 5,  # the triangle over the day
                "yanchor": "top" if edge else "bottom",
                "font": {"size": 12, "color": "#333"},
            }
        )
    phone_y_with_off_scale(fig, phone_y, notes)


# -- Spanish month ticks ----------------------------------------------------------------------------------------------
# plotly.js writes month names in English unless a locale module is loaded (and the PNG renderer loads none), so a
# Spanish time axis gets its ticks from here: first days of months, every 1–12 months by the span, written "ene",
# "feb"... with the year after January and after the first tick ("ene 2023", "abr", "jul", "oct", "ene 2024").
MONTH_STEPS = ((7, 1), (14, 2), (26, 3), (40, 6), (120, 12), (240, 24))


def month_ticks(first: np.datetime64, last: np.datetime64, lang: str) -> dict[str, list]:
    first_month = pd.Timestamp(first).to_period("M")
    last_month = pd.Timestamp(last).to_period("M")
    span = (last_month - first_month).n + 1
    step = next((s for limit, s in MONTH_STEPS if span <= limit), 60)
    if step > 12 or (step == 12 and span > 72):  # ticks a year apart or more: plotly writes years, in any language
        return {}
    start = pd.Timestamp(first).normalize()
    months = [
        m
        for m in pd.period_range(first_month, last_month, freq="M")
        if (m.month - 1 + 12 * m.year) % step == 0 and m.start_time >= start
    ]
    names = MONTHS_SHORT[lang]
    vals, text = [], []
    for i, m in enumerate(months):
        vals.append(m.start_time.strftime("%Y-%m-%d"))
        if step == 12:  # every tick a January: the year alone ("2023 2024 …", as the phone images write it)
            text.append(str(m.year))
        else:  # as plotly writes English ticks: "ene 2023", then "abr", "jul"... until the next January
            text.append(f"{names[m.month - 1]} {m.year}" if (i == 0 or m.month == 1) else names[m.month - 1])
    return {"tickvals": vals, "ticktext": text}


def _x_dates(draft: Draft) -> np.ndarray:
    out = []
    for item in draft.data:
        xs = item.get("x")
        if xs is None or item.get("xaxis") not in (None, "x"):
            continue
        try:
            arr = pd.to_datetime(pd.Series(np.asarray(xs, dtype=object).ravel()), errors="coerce").dropna()
        except (TypeError, ValueError):
            continue
        out.append(arr.to_numpy("datetime64[ns]"))
    return np.concatenate(out) if out else np.array([], dtype="datetime64[ns]")


def spanish_months(draft: Draft, lang: str) -> None:
    """Month ticks in Spanish on the date axis of a figure (page, embed and PNG alike); English keeps plotly's."""
    if lang == "en" or not isinstance(draft, Draft):
        return
    dates = _x_dates(draft)
    if not len(dates):
        return
    ticks = month_ticks(dates.min(), dates.max(), lang)
    if not ticks:
        return
    for key in [k for k in draft.layout if k.startswith("xaxis")]:
        axis = draft.layout[key]
        if axis.get("type", "date") == "date" and axis.get("tickformat") != "%Y":  # years alone need no month names
            axis.update(ticks, tickmode="array")


def with_spanish_months(build):
    def built(store: DataStore, state: ChartState) -> ChartView:
        view = build(store, state)
        spanish_months(view.draft, state.lang)
        return view

    built.__name__ = getattr(build, "__name__", "built")
    return built


for chart_id, builder, en, es in (
    (
        "une-supply-demand",
        _supply_demand,
        "Available capacity vs demand at the evening peak",
        "Capacidad disponible frente a demanda en el pico",
    ),
    ("une-load-cut", _load_cut, "Load cuts: planned vs actual", "Afectaciones: previstas frente a reales"),
    ("une-share-dark", _share_dark, "Share of demand cut at the peak", "Parte de la demanda cortada en el pico"),
    (
        "une-outage-hours",
        _outage_hours,
        "Estimated hours without power per day",
        "Horas estimadas sin corriente por día",
    ),
    ("une-units-out", _units_out, "Thermal units out of service", "Unidades térmicas fuera de servicio"),
    (
        "une-calendar",
        _calendar,
        "Share of peak demand planned to be cut, day by day",
        "Parte de la demanda pico que se planificó cortar, día a día",
    ),
    ("une-forecast-error", _forecast_error, t("une_forecast_card", "en"), t("une_forecast_card", "es")),
):
    register(
        ChartSpec(
            id=chart_id,
            page=PAGE,
            build=with_spanish_months(builder),
            params=("start", "end"),
            title={"en": en, "es": es},
        )
    )

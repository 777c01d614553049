"""Blackouts: the UNE's evening forecast of the peak cut against the maximum cut its next note reports (each day's
miss, each month's median), with the phone's axis kept off a lone outlier."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard.chart_registry import ChartState, ChartView
from dashboard.chartdefs._shared import no_data, source_line, sources_for
from dashboard.chartdefs.blackouts.days import Days, period_rows
from dashboard.data import DataStore
from dashboard.figures.common import (
    PALETTE,
    Frame,
    axis_title,
    base_figure,
    empty_figure,
    off_scale,
    phone_y_with_off_scale,
    trace,
)
from dashboard.i18n import fmt_date, fmt_num, t

OUTCOMES, OUTCOMES_MONTHLY = "une_forecast_outcomes", "une_forecast_outcomes_monthly"
MIN_MEDIAN_DAYS = 10  # a month's median over fewer paired days is drawn as tentative
# The table and CSV show each published column but the forecast's own inputs, which the supply chart draws.
OUTCOME_NOT_SHOWN = ("forecast_peak_availability_mw", "forecast_peak_demand_mw", "forecast_peak_deficit_mw")


def _published(store: DataStore, name: str) -> pd.DataFrame | None:
    """A published table, or None when the data version being served predates it (a last good copy made before the
    table existed): the chart then says it has no data instead of failing the page."""
    try:
        return store.table(name)
    except KeyError:
        return None


def _outcome_columns(store: DataStore) -> dict[str, Any]:
    df = _published(store, OUTCOMES)
    df = pd.DataFrame(columns=["date", "error_mw"]) if df is None else df.sort_values("date")
    shown = [c for c in df.columns if c not in OUTCOME_NOT_SHOWN]
    return {c: df[c].to_numpy() if df[c].dtype.kind in "fM" else df[c].array for c in shown}


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
    fr = Frame(title, subtitle, source_line(sources, as_of, lang), lang)
    frame_df = days.frame(*columns)
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
    note_room = 0.18 * (top - bottom)  # the note's line at that end, clear of the days just inside (round 8)
    phone_y = [min(bottom, 0.0) - pad - (note_room if low else 0.0), max(top, 0.0) + pad + (note_room if high else 0.0)]
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

"""Blackouts: supply against demand at the evening peak, planned against actual load cuts, and the share of demand cut
at the peak (about the share of the country without power at once)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard.chart_registry import ChartState, ChartView
from dashboard.chartdefs._shared import no_data
from dashboard.chartdefs.blackouts.days import (
    _arrays,
    _columns,
    _daily_line,
    _frame,
    _with_note,
    add_events,
    area_between,
    days_in_period,
    for_display,
    set_subtitle,
)
from dashboard.chartdefs.blackouts.forecasts import _outcome_columns
from dashboard.data import DataStore
from dashboard.figures.common import PALETTE, axis_title, base_figure, empty_figure
from dashboard.i18n import fmt_date, fmt_num, t


def _supply_demand(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    days = days_in_period(store, state).with_values("peak_demand_mw")
    dates = days["date"]
    title, subtitle = t("blackouts_supply_title", lang), t("blackouts_supply_subtitle", lang)
    fr, sources, as_of = _frame(store, state, title, subtitle, dates)
    frame_df = days.frame(
        "date", "peak_availability_mw", "peak_demand_mw", "peak_deficit_mw", "source_kind", "source_url"
    )
    if not len(days):
        return ChartView(empty_figure(fr, no_data(lang)), frame_df, no_data(lang), title, subtitle, sources, as_of)
    fig = base_figure(fr)
    avail_name, demand_name = t("blackouts_available_capacity", lang), t("blackouts_demand", lang)
    avail, demand = days["peak_availability_mw"], days["peak_demand_mw"]
    shown, values, weekly = for_display(
        store, dates, {"avail": avail, "demand": demand}, {"avail": "peak_availability_mw", "demand": "peak_demand_mw"}
    )
    missing = np.isnan(values["avail"]) | np.isnan(values["demand"])  # draw both only where both are known
    shown_avail, shown_demand = np.where(missing, np.nan, values["avail"]), np.where(missing, np.nan, values["demand"])
    if weekly:
        set_subtitle(fig, fr, _with_note(subtitle, True, lang))
    gap_name = t("blackouts_gap", lang)
    fig.add_trace(area_between(shown, shown_avail, shown_demand, gap_name, "rgba(213,94,0,0.18)"))
    fig.add_trace(_daily_line(shown, shown_avail, avail_name, {"color": PALETTE[0], "width": 1.6}))
    fig.add_trace(_daily_line(shown, shown_demand, demand_name, {"color": PALETTE[3], "width": 1.6, "dash": "dot"}))
    add_events(fig, store, dates[0], dates[-1], lang)  # the reported days, also when weeks are drawn
    fig.update_yaxes(**axis_title("MW"), rangemode="tozero")
    both = np.flatnonzero(~(np.isnan(avail) | np.isnan(demand)))
    last = both[-1] if len(both) else len(days) - 1  # the last day the note gave both
    when = pd.Timestamp(dates[last]).date()
    summary = _peak_sentence(when, avail[last], demand[last], days["peak_deficit_mw"][last], lang)
    return ChartView(fig, frame_df, summary, title, _with_note(subtitle, weekly, lang), sources, as_of)


def _load_cut_sentence(above: int, paired: int, days: np.ndarray, lang: str) -> str:
    """How often the day's largest cut (at any hour) exceeded the cut planned for the evening peak, over which days."""
    if not paired:
        return no_data(lang)
    share = fmt_num(100 * above / paired, lang, 0)
    first, last = (fmt_date(pd.Timestamp(d).date(), lang) for d in (days.min(), days.max()))
    return t("blackouts_load_cut_summary", lang, above=above, paired=paired, share=share, first=first, last=last)


def _peak_sentence(when: Any, avail_mw: float, demand_mw: float, stated_deficit_mw: Any, lang: str) -> str:
    """The latest evening-peak forecast in words. The deficit is the UNE's stated figure (the published
    peak_deficit_mw, as in the CSV); where the note gives none, or a figure that differs from demand minus
    availability (the shaded gap), the difference is named as such."""
    gap_mw = demand_mw - avail_mw
    stated = None if pd.isna(stated_deficit_mw) else float(stated_deficit_mw)
    avail, demand, day = fmt_num(avail_mw, lang), fmt_num(demand_mw, lang), fmt_date(when, lang)
    head = t("blackouts_peak_head", lang, day=day, avail=avail, demand=demand)
    if stated is None and gap_mw < 0:
        return t("blackouts_peak_surplus", lang, head=head, surplus=fmt_num(-gap_mw, lang))
    if stated is None:
        return t("blackouts_peak_gap", lang, head=head, gap=fmt_num(gap_mw, lang))
    if abs(stated - gap_mw) < 1:
        return t("blackouts_peak_deficit", lang, head=head, deficit=fmt_num(stated, lang))
    return t(
        "blackouts_peak_deficit_differs", lang, head=head, deficit=fmt_num(stated, lang), gap=fmt_num(gap_mw, lang)
    )


def _load_cut(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    days = days_in_period(store, state)
    title, subtitle = t("blackouts_load_cut_title", lang), t("blackouts_load_cut_subtitle", lang)
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
        return ChartView(empty_figure(fr, no_data(lang)), frame_df, no_data(lang), title, subtitle, sources, as_of)
    fig = base_figure(fr)
    planned_name, actual_name = t("blackouts_planned_at_peak", lang), t("blackouts_actual_maximum", lang)
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
    return ChartView(fig, frame_df, summary, title, _with_note(subtitle, weekly, lang), sources, as_of)


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
    title, subtitle = t("blackouts_share_title", lang), t("blackouts_share_subtitle", lang)
    fr, sources, as_of = _frame(store, state, title, subtitle, dates)
    rolled = store.prepared("une_daily:rolling_30_day_share", _rolling_30_days)[days.rows]
    frame_df = pd.DataFrame({"date": dates, "peak_share_of_demand_cut_pct": share, "rolling_30_day_mean_pct": rolled})
    if not len(days):
        return ChartView(empty_figure(fr, no_data(lang)), frame_df, no_data(lang), title, subtitle, sources, as_of)
    fig = base_figure(fr)
    shown, values, weekly = for_display(
        store,
        dates,
        {"share": share, "mean": rolled},
        {"share": "peak_share_of_demand_cut_pct", "mean": "rolling_30_day_mean_pct"},
    )
    daily_name = t("blackouts_weekly_average" if weekly else "blackouts_daily", lang)
    mean_name = t("blackouts_30_day_average", lang)
    if weekly:
        set_subtitle(fig, fr, _with_note(subtitle, True, lang))
    daily_line = {"width": 0.8, "color": "rgba(0,114,178,0.45)"}
    fig.add_trace(_daily_line(shown, values["share"], daily_name, daily_line, "%{y:.1f}%", label=False))
    mean_line = {"color": PALETTE[0], "width": 2.5}
    fig.add_trace(_daily_line(shown, values["mean"], mean_name, mean_line, "%{y:.1f}%"))
    fig.update_yaxes(**axis_title("%"), range=[0, 100])  # before the events' hidden 0–1 axis, which it would reset
    add_events(fig, store, dates[0], dates[-1], lang)
    when = fmt_date(pd.Timestamp(dates[-1]).date(), lang)
    summary = t("blackouts_share_summary", lang, when=when, share=fmt_num(rolled[-1], lang, 0))
    return ChartView(fig, frame_df, summary, title, _with_note(subtitle, weekly, lang), sources, as_of)

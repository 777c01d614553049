"""Blackouts: estimated hours without power per customer per day (with its band, and Havana's third-party figures),
thermal units out of service, and a calendar of the share of peak demand planned to be cut."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.chart_registry import ChartState, ChartView
from dashboard.chartdefs._shared import no_data, period_start, source_line, sources_for
from dashboard.chartdefs.blackouts.days import (
    Days,
    _arrays,
    _daily_line,
    _frame,
    _with_note,
    area_between,
    days_in_period,
    for_display,
    set_subtitle,
)
from dashboard.data import DataStore
from dashboard.figures.common import ESTIMATE_FILL, PALETTE, Draft, Frame, axis_title, base_figure, empty_figure, trace
from dashboard.i18n import MONTHS_SHORT, fmt_date, fmt_num, t

CIVIDIS = [list(stop) for stop in go.scatter.Marker(colorscale="Cividis").colorscale]  # as plotly expands it
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
    title, subtitle = t("blackouts_outage_title", lang), t("blackouts_outage_subtitle", lang)
    fr, sources, as_of = _frame(store, state, title, subtitle, days["date"])
    # Havana's third-party figures are credited in the image's own source line too (embeds and downloads travel
    # without the page's list of sources), in a few words so a phone embed keeps room for the plot.
    fr = replace(fr, source_line=source_line(sources, as_of, lang, t("blackouts_havana_credit", lang)))
    sources = sources + sources_for(store, "havana_block_outages")
    if not len(months):
        return ChartView(empty_figure(fr, no_data(lang)), monthly, no_data(lang), title, subtitle, sources, as_of)
    fig = base_figure(fr)
    band, central_name = t("blackouts_assumption_range", lang), t("blackouts_central_estimate", lang)
    # The band as one closed shape per run of months with an estimate: a fill between two lines would bridge the
    # months left out (graphics review of 6 December 2026: wedges over months without estimates).
    fig.add_trace(area_between(months, low, high, band, ESTIMATE_FILL))
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
        notes.append(t("blackouts_havana_left_out", lang, periods=left_out))
    havana_top = 0.0
    if len(shown):
        name = t("blackouts_havana_third_party", lang)
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
                hovertemplate="%{customdata}: %{y:.1f} h<extra>" + t("blackouts_havana", lang) + "</extra>",
            )
        )
    top = max(float(np.nanmax(high)) if np.isfinite(high).any() else 0.0, havana_top)
    fig.update_yaxes(
        **axis_title(t("blackouts_hours_per_day", lang)),
        range=[0, min(24.0, max(1.0, top * 1.1))],
    )
    with_central = np.flatnonzero(~np.isnan(central))
    last = with_central[-1] if len(with_central) else len(months) - 1
    month = fmt_date(pd.Timestamp(months[last]).date(), lang, month_only=True)
    band_text = f"{fmt_num(low[last], lang, 1)}–{fmt_num(high[last], lang, 1)} h"
    summary = t("blackouts_outage_summary", lang, month=month, hours=fmt_num(central[last], lang, 1), band=band_text)
    note = t("blackouts_outage_estimate_note", lang)
    return ChartView(
        fig,
        monthly,
        summary,
        title,
        subtitle,
        sources,
        as_of,
        notes=[" ".join([note, *notes])],
        method_link="/methodology#outage-hours",
    )


def _units_out(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    days = days_in_period(store, state).with_values("thermal_units_out_of_service")
    dates, units = days["date"], days["thermal_units_out_of_service"]
    title, subtitle = t("blackouts_units_title", lang), t("blackouts_units_subtitle", lang)
    fr, sources, as_of = _frame(store, state, title, subtitle, dates)
    frame_df = days.frame("date", "thermal_units_out_of_service", "units_breakdown", "units_maintenance")
    if not len(days):
        return ChartView(empty_figure(fr, no_data(lang)), frame_df, no_data(lang), title, subtitle, sources, as_of)
    fig = base_figure(fr)
    shown, values, weekly = for_display(store, dates, {"units": units}, {"units": "thermal_units_out_of_service"})
    if weekly:
        set_subtitle(fig, fr, _with_note(subtitle, True, lang))
    units_line = {"color": PALETTE[2], "width": 1, "shape": "hv"}
    name = t("blackouts_units_out", lang)
    fig.add_trace(
        _daily_line(
            shown, values["units"], name, units_line, "%{y:.1f} " + t("blackouts_units_axis", lang), label=False
        )
    )
    fig.update_yaxes(**axis_title(t("blackouts_units_axis", lang)), rangemode="tozero")
    when = fmt_date(pd.Timestamp(dates[-1]).date(), lang)
    summary = t("blackouts_units_summary", lang, when=when, units=int(units[-1]))
    return ChartView(fig, frame_df, summary, title, _with_note(subtitle, weekly, lang), sources, as_of)


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
        title={"text": t("blackouts_day_of_month", lang), "font": {"size": 12}},
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
    title, subtitle = t("blackouts_calendar_title", lang), t("blackouts_calendar_subtitle", lang)
    fr, sources, as_of = _frame(store, state, title, subtitle, days["date"])
    d = calendar_frame(days)
    fig = make_calendar(d, fr, lang, no_data(lang))
    if len(d):
        worst = d.loc[d["peak_share_of_demand_cut_pct"].idxmax()]
        summary = t(
            "blackouts_calendar_summary",
            lang,
            day=fmt_date(worst["date"].date(), lang),
            share=fmt_num(worst["peak_share_of_demand_cut_pct"], lang, 0),
        )
    else:
        summary = no_data(lang)
    return ChartView(
        fig,
        d[["date", "peak_share_of_demand_cut_pct"]].reset_index(drop=True),
        summary,
        title,
        subtitle,
        sources,
        as_of,
    )

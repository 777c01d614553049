"""oil-shipments: the shipments by supplier as reported, flows (bbl/d) over periods longer than a month in one panel
and volumes in barrels on a log axis in a second, each figure with its publisher; the summary names each supplier's
latest confirmed report."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard.chart_registry import ChartState, ChartView
from dashboard.chartdefs._shared import no_data, period_end, period_start, source_line, sources_for
from dashboard.chartdefs.month_ticks import spanish_months
from dashboard.chartdefs.oil.groups import (
    ALL_IMPORTS,
    GROUPS,
    INCLUDES_DOMESTIC,
    MEASURES,
    OTHER,
    SUPPLIERS,
    group_name,
    reporter_round,
)
from dashboard.data import DataStore
from dashboard.figures.basic import groups
from dashboard.figures.common import Frame, axis_title, base_figure, empty_figure, trace
from dashboard.i18n import fmt_date, fmt_num, t


def _midpoint(df: pd.DataFrame) -> pd.Series:
    return df["period_start"] + (df["period_end"] - df["period_start"]) / 2


def _with_groups(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["supplier_group"] = np.select(
        [df["supplier"].isin(SUPPLIERS).to_numpy(), (df["supplier"] == "all origins").to_numpy()],
        [df["supplier"].to_numpy(), np.full(len(df), ALL_IMPORTS)],
        OTHER,
    )
    return df


SHIPMENT_COLUMNS = [
    "period_start",
    "period_end",
    "supplier",
    "supplier_group",
    "flow",
    "value",
    "basis",
    "publisher",
    "url",
    "verification",
    "approximate",
    "note",
]


MONTH_DAYS = 31  # a flow over at most a month is a monthly figure: drawn in the monthly chart (oil-imports-monthly)


def shipments_frame(store: DataStore) -> pd.DataFrame:
    """Average flows (bbl/d) over periods longer than a month (years, quarters, several months), one row per
    reported figure. Month-by-month figures are the monthly series' (oil_imports_monthly), drawn in its own chart:
    drawn here too, 60 points crowded 2021-2026 into an unreadable cloud on a phone."""
    df = store.table("oil_supply_reported")
    days = (df["period_end"] - df["period_start"]).dt.days + 1
    df = df[(df["unit"] == "bbl_per_day") & ~df["supplier"].isin([*MEASURES, INCLUDES_DOMESTIC]) & (days > MONTH_DAYS)]
    return _with_groups(df)[SHIPMENT_COLUMNS].rename(columns={"value": "value_bbl_per_day"})


def cargoes_frame(store: DataStore) -> pd.DataFrame:
    """Volumes reported in barrels (a cargo, or the barrels delivered over a period), one row per figure: drawn in
    the chart's second panel, never on the barrels-per-day axis."""
    df = store.table("oil_supply_reported")
    df = df[(df["unit"] == "bbl") & ~df["supplier"].isin([*MEASURES, INCLUDES_DOMESTIC])]
    return _with_groups(df)[SHIPMENT_COLUMNS].rename(columns={"value": "cargo_bbl"})


def _shipments_in_order(store: DataStore) -> dict[str, Any]:
    """The shipments in drawing order (supplier group, then period start), with what each marker needs, once per
    published package: sorting, grouping and converting these per callback cost about 10 ms of this chart. Flows
    (bbl/d) come first, then the volumes in barrels (`cargo`); `value` holds either."""
    flows = shipments_frame(store)
    cargoes = cargoes_frame(store)
    df = pd.concat([flows.assign(_cargo=False), cargoes.assign(_cargo=True)], ignore_index=True)
    df = df.sort_values(["_cargo", "supplier_group", "period_start"], kind="stable").reset_index(drop=True)
    value = df["value_bbl_per_day"].fillna(df["cargo_bbl"])
    return {
        "frame": df.drop(columns="_cargo"),
        "start": df["period_start"].to_numpy(),
        "end": df["period_end"].to_numpy(),
        "middle": _midpoint(df).to_numpy(),
        "value": value.to_numpy("float64", na_value=np.nan),
        "cargo": df["_cargo"].to_numpy(bool),
        "group": df["supplier_group"].to_numpy(),
        "confirmed": (df["verification"] == "confirmed").to_numpy(),
        "hover": df[["supplier", "flow", "publisher", "basis", "verification"]].to_numpy(),
    }


def _in_period(ends: np.ndarray, start: str | None, end: str | None) -> np.ndarray:
    """Positions of the periods ending within [start, end] (what `filter_period` keeps on `period_end`)."""
    keep = np.ones(len(ends), dtype=bool)
    if start:
        keep &= ends >= period_start(start).to_datetime64()
    if end:
        keep &= ends <= period_end(end).to_datetime64()
    return np.flatnonzero(keep)


def period_text(start: object, end: object, lang: str) -> str:
    """A reported period in words: '8 December 2025', '8–23 March 2026', 'March 2025', '2025',
    '15 December 2025 to 15 January 2026' (Spanish: '8–23 de marzo de 2026'...)."""
    first, last = pd.Timestamp(start).date(), pd.Timestamp(end).date()
    if first == last:
        return fmt_date(first, lang)
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return str(first.year)
    month_end = (pd.Timestamp(last) + pd.offsets.MonthEnd(0)).date()
    if first.day == 1 and last == month_end and (first.year, first.month) == (last.year, last.month):
        return fmt_date(first, lang, month_only=True)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{fmt_date(last, lang)}"
    return t("oil_period_to", lang, first=fmt_date(first, lang), last=fmt_date(last, lang))


def _shipments_summary(frame: pd.DataFrame, value: np.ndarray, cargo: np.ndarray, lang: str) -> str:
    """The latest confirmed report of each named supplier, latest first, in plain words."""
    df = frame.assign(amount=value, is_cargo=cargo)
    df = df[df["supplier_group"].isin(SUPPLIERS) & (df["verification"] == "confirmed")]
    if df.empty:
        return no_data(lang)
    latest = df.sort_values(["period_end", "period_start"], kind="stable").groupby("supplier_group").tail(1)
    parts = []
    for r in latest.sort_values("period_end", ascending=False).itertuples(index=False):
        name = group_name(r.supplier_group, lang)
        amount = fmt_num(reporter_round(r.amount), lang)
        when = period_text(r.period_start, r.period_end, lang)
        key = "oil_shipments_summary_cargo" if r.is_cargo else "oil_shipments_summary_flow"
        parts.append(t(key, lang, name=name, amount=amount, when=when))
    return t("oil_shipments_summary", lang, reports="; ".join(parts))


# The second panel: volumes in barrels on a log axis (single cargoes of 70,000 barrels beside totals of millions),
# ticks written out in each language (no "2M").
CARGO_TICKS = [1e5, 1e6, 1e7]
CARGO_TICKTEXT = ("oil_cargo_tick_100k", "oil_cargo_tick_1m", "oil_cargo_tick_10m")  # catalogue keys
# The flow panel (most reports) gets most of the height; the gap holds the cargo panel's heading, clear of the flow
# panel's marks at zero (on a phone they sat on it: graphics round 8).
FLOW_DOMAIN, CARGO_DOMAIN = [0.5, 0.94], [0.0, 0.31]


def _shipments(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    prepared = store.prepared("oil:shipments:in_order", _shipments_in_order)
    rows = _in_period(prepared["end"], state.start, state.end)
    df = prepared["frame"].iloc[rows].reset_index(drop=True)
    title = t("oil_shipments_title", lang)
    subtitle = t("oil_shipments_subtitle", lang)
    sources = sources_for(store, "oil_supply_reported")
    # "As of": the latest observation of everything the view holds (flows and cargoes), written out.
    as_of = fmt_date(pd.Timestamp(prepared["end"][rows].max()).date(), lang) if len(rows) else ""
    fr = Frame(
        title,
        subtitle,
        source_line(sources, as_of, lang, t("oil_shipments_source_extra", lang)),
        lang,
    )
    if df.empty:
        return ChartView(empty_figure(fr, no_data(lang)), df, no_data(lang), title, subtitle, sources, as_of)
    fig = base_figure(fr, height=620)
    unit = t("oil_unit_bbl_per_day", lang)
    # The key: one entry per supplier group (colour and symbol), shared by both panels.
    present = set(prepared["group"][rows])
    for group in (g for g in GROUPS if g in present):
        _, color, symbol = GROUPS[group]
        fig.add_trace(
            trace(
                "scatter",
                x=[None],
                y=[None],
                mode="lines+markers",
                name=group_name(group, lang),
                legendgroup=group,
                line={"color": color, "width": 4},
                marker={"size": 9, "symbol": symbol, "color": color},
            )
        )
    for group, part in groups(pd.Series(prepared["group"][rows])):
        _, color, symbol = GROUPS[group]
        for cargo in (False, True):
            at = rows[part][prepared["cargo"][rows[part]] == cargo]  # positions in the prepared arrays
            if not len(at):
                continue
            axes = {"xaxis": "x2", "yaxis": "y2"} if cargo else {}
            ends, value = prepared["end"][at], prepared["value"][at]
            spans = prepared["start"][at] < ends
            if spans.any():  # one segment per reported period (start → end), each ended by an empty value
                xs = np.column_stack([prepared["start"][at][spans], ends[spans], ends[spans]]).ravel()
                ys = np.column_stack([value[spans], value[spans], np.full(int(spans.sum()), np.nan)]).ravel()
                fig.add_trace(
                    trace(
                        "scatter",
                        x=xs,
                        y=ys,
                        mode="lines",
                        line={"color": color, "width": 4},
                        name=group_name(group, lang),
                        legendgroup=group,
                        showlegend=False,
                        hoverinfo="skip",
                        **axes,
                    )
                )
            per = t("oil_unit_barrels", lang) if cargo else unit
            fig.add_trace(
                trace(
                    "scatter",
                    x=prepared["middle"][at],
                    y=value,
                    mode="markers",
                    legendgroup=group,
                    showlegend=False,
                    marker={
                        "size": 9,
                        "symbol": [symbol + ("" if s else "-open") for s in prepared["confirmed"][at]],
                        "color": color,
                        "line": {"width": 1.5, "color": color},
                    },
                    customdata=prepared["hover"][at],
                    hovertemplate="%{customdata[0]} (%{customdata[1]}): %{y:,.0f} " + per + "<br>%{customdata[2]}<br>"
                    "%{customdata[3]}<br>%{customdata[4]}<extra></extra>",
                    **axes,
                )
            )
    has_cargo = bool(prepared["cargo"][rows].any())
    fig.update_layout(
        xaxis={"type": "date", "anchor": "y", "showticklabels": not has_cargo},
        # Full numbers ("150,000" / "150.000"): plotly's "150k" is not Spanish.
        yaxis={
            "domain": FLOW_DOMAIN if has_cargo else [0, 1],
            **axis_title(unit),
            "rangemode": "tozero",
            "tickformat": ",.0f",
        },
    )
    if has_cargo:  # two panels, each with its own heading
        headings = [
            (FLOW_DOMAIN[1], t("oil_shipments_flow_heading", lang)),
            (CARGO_DOMAIN[1], t("oil_shipments_cargo_heading", lang)),
        ]
        fig.update_layout(
            xaxis2={**fig.layout["xaxis"], "matches": "x", "anchor": "y2", "showticklabels": True},
            yaxis2={
                **{k: v for k, v in fig.layout["yaxis"].items() if k != "tickformat"},
                "domain": CARGO_DOMAIN,
                "anchor": "x2",
                "type": "log",
                **axis_title(t("oil_shipments_cargo_axis", lang)),
                "tickvals": CARGO_TICKS,
                "ticktext": [t(key, lang) for key in CARGO_TICKTEXT],
                "rangemode": "normal",
            },
        )
        for y, text in headings:
            fig.add_annotation(
                text=f"<b>{text}</b>",
                x=0,
                xref="paper",
                xanchor="left",
                y=y,
                yref="paper",
                yanchor="bottom",
                yshift=4,
                showarrow=False,
                font={"size": 13, "color": "#222"},
            )
    spanish_months(fig, lang)
    summary = _shipments_summary(df, prepared["value"][rows], prepared["cargo"][rows], lang)
    return ChartView(fig, df, summary, title, subtitle, sources, as_of, notes=[t("oil_shipments_total_note", lang)])

"""Oil supply: consumption vs domestic production, shipments by supplier as reported (each figure with its
source), and the import gap set against Mexico's and Brazil's output.

The charts are registered here, in the page's order; `groups` holds what they name alike (supplier groups,
measures, publishers), and `balance`, `shipments` and `gap` draw them. The names other modules and tests read
are kept importable from here."""

from __future__ import annotations

from dashboard.chart_registry import ChartSpec, register
from dashboard.chartdefs._shared import column_span, in_every_language
from dashboard.chartdefs.oil.balance import SYMBOLS, _balance, balance_frame, period_segments
from dashboard.chartdefs.oil.gap import COUNTRY_ORDER, GAP_MEASURES, _gap, gap_frame, million_ticks
from dashboard.chartdefs.oil.groups import (
    ALL_IMPORTS,
    GROUPS,
    INCLUDES_DOMESTIC,
    MEASURES,
    OTHER,
    PAGE,
    SUPPLIERS,
    group_name,
    reporter_round,
    short_publisher,
)
from dashboard.chartdefs.oil.shipments import (
    CARGO_TICKS,
    CARGO_TICKTEXT,
    MONTH_DAYS,
    _shipments,
    cargoes_frame,
    period_text,
    shipments_frame,
)

__all__ = [
    "ALL_IMPORTS",
    "CARGO_TICKS",
    "CARGO_TICKTEXT",
    "COUNTRY_ORDER",
    "GAP_MEASURES",
    "GROUPS",
    "INCLUDES_DOMESTIC",
    "MEASURES",
    "MONTH_DAYS",
    "OTHER",
    "PAGE",
    "SUPPLIERS",
    "SYMBOLS",
    "balance_frame",
    "cargoes_frame",
    "gap_frame",
    "group_name",
    "million_ticks",
    "period_segments",
    "period_text",
    "reporter_round",
    "shipments_frame",
    "short_publisher",
]

register(
    ChartSpec(
        id="oil-balance",
        page=PAGE,
        build=_balance,
        params=("start", "end"),
        title=in_every_language("oil_balance_title"),
        span=lambda store: column_span(store.table("oil_balance_estimates"), "year"),
    )
)
register(
    ChartSpec(
        id="oil-shipments",
        page=PAGE,
        build=_shipments,
        params=("start", "end"),
        title=in_every_language("oil_shipments_title"),
    )
)
register(
    ChartSpec(
        id="oil-gap-vs-producers",
        page=PAGE,
        build=_gap,
        title=in_every_language("oil_gap_card_title"),
    )
)

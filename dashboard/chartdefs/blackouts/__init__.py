"""Blackouts: the UNE's daily figures — supply vs demand, planned vs actual load cuts, the share of the country
without power at the peak, estimated outage hours (with band and method), thermal units out, a calendar, and how far
the UNE's evening forecast missed.

The charts are registered here, in the page's order; `days` holds what they share (the view's days, weekly means,
header, events), `supply`, `outages` and `forecasts` draw them, and every word comes from the catalogue."""

from __future__ import annotations

from dashboard.chart_registry import ChartSpec, register
from dashboard.chartdefs._shared import in_every_language
from dashboard.chartdefs.blackouts.forecasts import _forecast_error
from dashboard.chartdefs.blackouts.outages import _calendar, _outage_hours, _units_out
from dashboard.chartdefs.blackouts.supply import _load_cut, _share_dark, _supply_demand
from dashboard.chartdefs.month_ticks import with_spanish_months

PAGE = "/blackouts"

for chart_id, builder, card_title in (
    ("une-supply-demand", _supply_demand, "blackouts_supply_card"),
    ("une-load-cut", _load_cut, "blackouts_load_cut_card"),
    ("une-share-dark", _share_dark, "blackouts_share_card"),
    ("une-outage-hours", _outage_hours, "blackouts_outage_card"),
    ("une-units-out", _units_out, "blackouts_units_card"),
    ("une-calendar", _calendar, "blackouts_calendar_title"),  # the card's title is the chart's
    ("une-forecast-error", _forecast_error, "une_forecast_card"),
):
    register(
        ChartSpec(
            id=chart_id,
            page=PAGE,
            build=with_spanish_months(builder),
            params=("start", "end"),
            title=in_every_language(card_title),
        )
    )

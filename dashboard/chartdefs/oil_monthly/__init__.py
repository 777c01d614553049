"""Oil imports month by month (the published `oil_imports_monthly`: one figure per month and supplier) beside the
yearly estimates of consumption and domestic production and the 110,000 bbl/d the document cites; and each
supplier's share of the year's consumption (`oil_imports_yearly`). The figures only select and draw.

The charts are registered here, after the oil page's others (`dashboard/chartdefs/oil/`); `suppliers` holds what
both name alike, `monthly` and `share` draw them. The names other modules and tests read are kept importable from
here."""

from __future__ import annotations

from dashboard.chart_registry import ChartSpec, register
from dashboard.chartdefs._shared import column_span, in_every_language
from dashboard.chartdefs.oil_monthly.monthly import (
    CONTEXT,
    DOCUMENT_NEEDS_BBL_PER_DAY,
    KIND_KEYS,
    LOWER_BOUND,
    PARTIAL,
    PHONE_MONTHS,
    SCOPE_KEYS,
    ZERO_ROW_SHARE,
    _monthly,
)
from dashboard.chartdefs.oil_monthly.share import _share
from dashboard.chartdefs.oil_monthly.suppliers import (
    PAGE,
    SUPPLIER_CODES,
    SUPPLIER_KEYS,
    SUPPLIER_ORDER,
    supplier_colour,
    supplier_name,
)

__all__ = [
    "CONTEXT",
    "DOCUMENT_NEEDS_BBL_PER_DAY",
    "KIND_KEYS",
    "LOWER_BOUND",
    "PAGE",
    "PARTIAL",
    "PHONE_MONTHS",
    "SCOPE_KEYS",
    "SUPPLIER_CODES",
    "SUPPLIER_KEYS",
    "SUPPLIER_ORDER",
    "ZERO_ROW_SHARE",
    "supplier_colour",
    "supplier_name",
]

register(
    ChartSpec(
        id="oil-imports-monthly",
        page=PAGE,
        build=_monthly,
        params=("start", "end"),
        title=in_every_language("oil_monthly_title"),
        span=lambda store: column_span(store.table("oil_imports_monthly"), "month"),
    )
)
register(
    ChartSpec(
        id="oil-imports-share",
        page=PAGE,
        build=_share,
        params=("start", "end"),
        title=in_every_language("oil_monthly_share_title"),
        span=lambda store: column_span(store.table("oil_imports_yearly"), "year"),
    )
)

"""The suppliers of the monthly charts in one order, with their names (the shipments chart's where it has one) and
colours, so that the monthly bars and the yearly shares show a supplier alike."""

from __future__ import annotations

from dashboard.chartdefs.oil.groups import GROUPS, group_name
from dashboard.figures.common import PALETTE
from dashboard.i18n import t

PAGE = "/oil"
SUPPLIER_ORDER = ("Venezuela", "Mexico", "Russia", "Algeria", "Angola", "Other")
SUPPLIER_CODES = {"Venezuela": "VEN", "Mexico": "MEX", "Russia": "RUS", "Algeria": "DZA", "Angola": "AGO"}  # ISO 3166
SUPPLIER_KEYS = {  # suppliers outside the shipments chart's groups: their names in the catalogue (dashboard/i18n.py)
    "Algeria": "oil_monthly_supplier_algeria",
    "Angola": "oil_monthly_supplier_angola",
    "Other": "oil_monthly_supplier_other",
}


def supplier_name(supplier: str, lang: str) -> str:
    if supplier in GROUPS:
        return group_name(supplier, lang)
    return t(SUPPLIER_KEYS[supplier], lang) if supplier in SUPPLIER_KEYS else supplier


def supplier_colour(supplier: str) -> str:
    if supplier in GROUPS:
        return GROUPS[supplier][1]
    return PALETTE[4 + SUPPLIER_ORDER.index(supplier) % 3] if supplier in SUPPLIER_ORDER else PALETTE[7]

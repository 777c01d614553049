"""What the oil charts (and the monthly ones, `dashboard/chartdefs/oil_monthly/`) name alike: the supplier groups
with their colours and symbols, the measures, and publishers and figures as a legend or a sentence writes them."""

from __future__ import annotations

import numpy as np

from dashboard.figures.common import PALETTE
from dashboard.i18n import t

PAGE = "/oil"
SUPPLIERS = ("Venezuela", "Mexico", "Russia")
ALL_IMPORTS = "All origins (total imports)"
OTHER = "Other origins"
# Supplier groups of the shipments chart: fixed colour and symbol each (the same in every period), the name's key in
# the catalogue (dashboard/i18n.py). "all origins" is a total of imports; a total that also counts domestic production
# is not a shipment and is left out of the chart (said in a note; it is in the oil table and the balance's sources).
GROUPS = {
    "Venezuela": ("oil_group_venezuela", PALETTE[0], "circle"),
    "Mexico": ("oil_group_mexico", PALETTE[1], "square"),
    "Russia": ("oil_group_russia", PALETTE[2], "diamond"),
    ALL_IMPORTS: ("oil_group_all_imports", PALETTE[3], "triangle-up"),
    OTHER: ("oil_group_other", PALETTE[4], "star"),
}
INCLUDES_DOMESTIC = "all sources incl. domestic production"
MEASURES = {  # measure → its name's key in the catalogue
    "consumption": "oil_measure_consumption",
    "domestic production": "oil_measure_domestic_production",
}


def group_name(group: str, lang: str) -> str:
    """A supplier group of the shipments chart in words ("Todos los orígenes (importaciones totales)")."""
    return t(GROUPS[group][0], lang)


def short_publisher(name: str) -> str:
    """The publisher's name without the bracketed detail ("U.S. EIA (country analysis, July 2016)" → "U.S. EIA"),
    for legends; the full name is in the hover and the table."""
    return name.split(" (")[0].strip() or name


def reporter_round(value: float) -> float:
    """Two significant figures, as a reporter writes a figure: 9,528 → 9,500; 730,000 → 730,000."""
    if not value:
        return 0.0
    digits = int(np.floor(np.log10(abs(value))))
    return float(round(value, 1 - digits)) if digits >= 1 else float(round(value))

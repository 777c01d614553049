"""Component ids, in one place so pages cannot collide (kebab-case, prefixed by what they belong to)."""

from __future__ import annotations

# Page-level view controls (one set per page; their values are the URL state).
CONTROL_COUNTRIES = "control-countries"
CONTROL_START = "control-start"
CONTROL_END = "control-end"
CONTROL_TAB = "control-tab"
CONTROL_TABLE = "control-table"
CONTROL_SERIES = "control-series"
PAGE_STATE = "page-state"  # dcc.Store: {"page": path, "lang": ..., "charts": [...]}
URL_SYNC = "url-sync"  # dummy output of the clientside callback that writes the URL

# Claims page filters.
CLAIMS_TOPIC = "claims-topic"
CLAIMS_LABEL = "claims-label"
CLAIMS_COUNT = "claims-count"


def chart(kind: str, chart_id: str) -> dict[str, str]:
    """Pattern-matching id for a part of a chart card: graph, table, summary, links..."""
    return {"type": f"chart-{kind}", "chart": chart_id}

"""Staleness from content: a table is stale when its latest observation is older than its declared cadence allows,
whatever the fetch did. A nightly run that succeeds on a feed that stopped in April still leaves April's data; the
reader must see that, not "up to date". Fetch-failure staleness stays in `python -m etl status` beside it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd

from etl.meta import TableMeta


def content_staleness(
    latest_observation: str | date | None, cadence_days: int | None, today: date
) -> tuple[bool, str | None]:
    """(is_stale, stale_since). A new observation is due within `cadence_days` of the latest one: the table is stale
    from the first day past that (`latest + cadence + 1`). No cadence (curated, irregular tables) or no observation
    means we cannot say it is late, so it is never stale by content."""
    if not cadence_days or not latest_observation:
        return False, None
    latest = latest_observation if isinstance(latest_observation, date) else date.fromisoformat(latest_observation[:10])
    since = latest + timedelta(days=int(cadence_days) + 1)
    if today < since:
        return False, None
    return True, since.isoformat()


def _period_end(text: str) -> tuple[str, str] | None:
    """A published period ('2024', '2026-04', '2026-04-29', '2026-01-01/2026-03-31') → (last day, resolution)."""
    text = text.strip().split("/")[-1]
    try:
        if len(text) == 4 and text.isdigit():
            return f"{text}-12-31", "year"
        if len(text) == 7:
            end = pd.Timestamp(f"{text}-01") + pd.offsets.MonthEnd(0)
            return end.date().isoformat(), "month"
        return date.fromisoformat(text[:10]).isoformat(), "day"
    except ValueError:
        return None


def latest_observation(df: pd.DataFrame, table: TableMeta) -> tuple[str | None, str | None]:
    """(ISO date of the latest observation, resolution) from the table's declared time column: the last day of the
    latest period (a year ends on 31 Dec, a month on its last day). Works on published text and on typed frames
    (dates as Timestamps, years as integers or floats). (None, None) without a time column or rows."""
    column = table.time_column
    if not column or column not in df.columns or df.empty:
        return None, None
    rows = df
    for key, value in table.time_where:
        rows = rows[rows[key].astype("string") == str(value)]
    values = rows[column].dropna()
    if values.empty:
        return None, None
    kind = table.field(column).type
    if kind in ("integer", "number"):
        return f"{int(pd.to_numeric(values).max())}-12-31", "year"
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.max().date().isoformat(), "day"
    if kind == "date":  # validated YYYY-MM-DD text: the greatest string is the latest day
        return str(values.astype(str).max())[:10], "day"
    ends = [end for end in (_period_end(str(v)) for v in values.astype(str)) if end]
    if not ends:
        return None, None
    return max(ends)


def descriptor_fields(df: pd.DataFrame, table: TableMeta) -> dict[str, Any]:
    """What `datapackage.json` carries per resource so that any reader can tell current data from old data."""
    latest, resolution = latest_observation(df, table)
    return {
        "x_time_column": table.time_column,
        "x_time_resolution": resolution,
        "x_latest_observation": latest,
        "x_expected_cadence_days": table.expected_cadence_days,
    }


def declared_table(name: str) -> TableMeta | None:
    """The table's metadata from `etl/sources/*.meta.yaml` (cached per file), without importing source modules: for
    readers of a package published before tables carried their latest observation and cadence."""
    from etl.meta import load_source_meta
    from etl.registry import SOURCES_DIR

    for path in sorted(SOURCES_DIR.glob("*.meta.yaml")):
        table = load_source_meta(path).tables.get(name)
        if table is not None:
            return table
    return None

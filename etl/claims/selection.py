"""One evidence series of a claim resolved against its published table: filter (`where`, `period`), aggregate, and
say where the value came from, or why there is none. The one implementation of "which rows does a claim use"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from etl.claims.catalogue import say_each
from etl.claims.values import ISO_MONTH, ISO_YEAR, is_number, normalise, plain, time_text, to_number

TIME_COLUMNS: tuple[str, ...] = ("date", "as_of_date", "figure_date", "period_end", "year", "reference_year", "month")


@dataclass
class Selection:
    """One evidence series resolved against its table: the value and where it came from, or why there is none."""

    spec: dict[str, Any]
    status: str = "no data"  # ok | no data
    value: Any = None
    unit: str | None = None
    period: str = ""
    rows_used: int = 0
    publisher: str = ""
    url: str = ""
    retrieved: str = ""
    note_en: str = ""
    note_es: str = ""
    rows: pd.DataFrame | None = None  # the rows in the period
    time_col: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    matched: pd.DataFrame | None = None  # every row of the series (its `where`), any period: context for the chart
    used: pd.DataFrame | None = None  # the rows the value is computed from: the evidence behind the label

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def select(
    spec: Mapping[str, Any],
    tables: Mapping[str, pd.DataFrame],
    table_info: Mapping[str, Mapping[str, Any]],
    fallback_unit: str | None = None,
) -> Selection:
    """Filter (`where`, `period`) and aggregate one evidence series; never raises for missing tables or rows."""
    spec = normalise(dict(spec))
    name, column = spec["table"], spec["column"]
    info = table_info.get(name) or {}
    sel = Selection(spec=spec, publisher="; ".join(info.get("publishers") or []), retrieved=info.get("retrieved") or "")
    sel.url = (info.get("urls") or [""])[0]
    df = tables.get(name)
    if df is None:
        return no_data(sel, "table_unpublished", name=name)
    if column not in df.columns:
        return no_data(sel, "no_column", name=name, column=column)
    where = spec.get("where") or {}
    mask = pd.Series(True, index=df.index)
    for key, wanted in where.items():
        if key not in df.columns:
            return no_data(sel, "no_where_column", name=name, column=key)
        mask &= matches(df[key], wanted)
    if not mask.any():
        misses = [f"{k} = {v}" for k, v in where.items() if not matches(df[k], v).any()]
        what = " or ".join(misses) if misses else " and ".join(f"{k} = {v}" for k, v in where.items())
        return no_data(sel, "no_row_with" if misses else "no_row_matching_all", name=name, what=what)
    rows = df[mask & df[column].notna()]
    if rows.empty:
        return no_data(sel, "no_value", name=name, column=column)
    time_col = next((c for c in TIME_COLUMNS if c in df.columns), None)
    sel.time_col = time_col
    sel.matched = rows
    period = spec.get("period")
    if period is not None:
        if time_col is None and period != "latest":
            return no_data(sel, "no_time_column", name=name)
        in_window = _period_mask(rows, time_col, period) if time_col else pd.Series(True, index=rows.index)
        if not in_window.any():
            span = _span_text(rows, time_col)
            return no_data(sel, "no_row_in_period", name=name, period=_period_spec_text(period), span=span)
        rows = rows[in_window]
    return _aggregate(sel, rows, column, spec.get("aggregate", "last"), info, fallback_unit)


def no_data(sel: Selection, why: str, **values: object) -> Selection:
    """Mark a series as having no value, with why (catalogue key `note.<why>`) in both languages: the card and the
    CSV show it."""
    notes = say_each(f"note.{why}", **values)
    sel.status, sel.note_en, sel.note_es = "no data", notes["en"], notes["es"]
    return sel


def matches(series: pd.Series, wanted: Any) -> pd.Series:
    """Equality as text; a 'YYYY-MM' (or 'YYYY') value on a date column matches that month (year)."""
    wanted = normalise(wanted)
    if pd.api.types.is_bool_dtype(series):
        text = series.astype("string").str.lower()
        return (text == str(wanted).lower()).fillna(False).astype(bool)
    if pd.api.types.is_numeric_dtype(series) and is_number(to_number(wanted)):
        return (pd.to_numeric(series, errors="coerce") == to_number(wanted)).fillna(False).astype(bool)
    text = series.astype("string")
    wanted_text = str(wanted)
    if (ISO_MONTH.fullmatch(wanted_text) or ISO_YEAR.fullmatch(wanted_text)) and _is_date_series(text):
        return text.str.startswith(wanted_text + "-").fillna(False).astype(bool)
    return (text == wanted_text).fillna(False).astype(bool)


def _is_date_series(text: pd.Series) -> bool:
    values = text.dropna()
    return bool(len(values)) and bool(values.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all())


def _period_mask(rows: pd.DataFrame, time_col: str, period: Any) -> pd.Series:
    """Rows in the period; for period_start/period_end tables a row counts if its interval overlaps the window."""
    interval = time_col == "period_end" and "period_start" in rows.columns
    end = rows[time_col]
    if period == "latest":
        if end.isna().all():  # no dates at all: every row is as latest as any other
            return pd.Series(True, index=rows.index)
        if interval:
            latest = end.astype("string").max()
            return (end.astype("string") == latest).fillna(False).astype(bool)
        latest = end.max()
        return (end == latest).fillna(False).astype(bool)
    if "year" in period:
        year = int(period["year"])
        lo, hi = f"{year:04d}-01-01", f"{year:04d}-12-31"
    else:
        lo = str(period.get("from") or "0000-01-01")
        hi = str(period.get("to") or "9999-12-31")
    if pd.api.types.is_numeric_dtype(end) and not pd.api.types.is_bool_dtype(end):  # a year column
        years = pd.to_numeric(end, errors="coerce")
        return ((years >= int(lo[:4])) & (years <= int(hi[:4]))).fillna(False).astype(bool)
    end_text = _as_upper_date(end.astype("string"))
    if interval:
        start_text = _as_lower_date(rows["period_start"].astype("string").fillna(end.astype("string")))
        return ((start_text <= hi) & (end_text >= lo)).fillna(False).astype(bool)
    return ((_as_lower_date(end.astype("string")) <= hi) & (end_text >= lo)).fillna(False).astype(bool)


def _as_lower_date(text: pd.Series) -> pd.Series:
    """'2025' → '2025-01-01', '2025-03' → '2025-03-01' (dates pass unchanged): the start of what the value denotes."""
    return text.where(text.str.len() != 4, text + "-01-01").where(text.str.len() != 7, text + "-01")


def _as_upper_date(text: pd.Series) -> pd.Series:
    """'2025' → '2025-12-31', '2025-03' → '2025-03-31' (string comparison only needs ≥ every day of the month)."""
    return text.where(text.str.len() != 4, text + "-12-31").where(text.str.len() != 7, text + "-31")


def _aggregate(
    sel: Selection,
    rows: pd.DataFrame,
    column: str,
    how: str,
    info: Mapping[str, Any],
    fallback_unit: str | None,
) -> Selection:
    values = rows[column]
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    ordered = _sort_by_time(rows, sel.time_col)
    chosen = ordered  # the rows the value is attributed to (publisher, url, period)
    if how == "count":
        value: Any = len(rows)
    elif how == "last":
        chosen = ordered.iloc[[-1]]
        value = chosen[column].iloc[0]
    elif how in ("max", "min"):
        keyed = pd.to_numeric(ordered[column], errors="coerce") if numeric else ordered[column].astype("string")
        position = int(keyed.reset_index(drop=True).idxmax() if how == "max" else keyed.reset_index(drop=True).idxmin())
        chosen = ordered.iloc[[position]]
        value = chosen[column].iloc[0]
    elif not numeric:
        return no_data(sel, "non_numeric", how=how, column=column)
    elif how == "mean":
        value = float(pd.to_numeric(values).mean())
    else:
        value = float(pd.to_numeric(values).sum())
    sel.status, sel.value, sel.rows_used, sel.rows = "ok", plain(value), len(rows), rows
    sel.used = chosen if how in ("last", "max", "min") else rows
    sel.period = _span_text(chosen, sel.time_col)
    if "publisher" in chosen.columns:
        publishers = list(dict.fromkeys(str(p) for p in chosen["publisher"].dropna()))
        if publishers:
            sel.publisher = "; ".join(publishers[:3]) + (f" +{len(publishers) - 3}" if len(publishers) > 3 else "")
    if sel.spec.get("publisher"):  # a figure this dashboard derives (an estimate): credited to its maker, not the note
        sel.publisher = str(sel.spec["publisher"])
    for url_col in ("url", "source_url"):  # the row's own page beats the table's landing page
        if url_col in chosen.columns and chosen[url_col].notna().any():
            sel.url = str(chosen[url_col].dropna().iloc[0])
            break
    if "checked_date" in chosen.columns and chosen["checked_date"].notna().any():
        sel.retrieved = str(chosen["checked_date"].dropna().astype("string").max())
    sel.unit = "count" if how == "count" else _unit_of(chosen, column, info, fallback_unit)
    return sel


def _sort_by_time(rows: pd.DataFrame, time_col: str | None) -> pd.DataFrame:
    if time_col is None:
        return rows
    keys = [time_col] + (["period_start"] if time_col == "period_end" and "period_start" in rows.columns else [])
    return rows.sort_values(keys, kind="mergesort", na_position="first")


def _span_text(rows: pd.DataFrame, time_col: str | None) -> str:
    """The time the rows cover, as 'YYYY', 'YYYY-MM-DD' or 'A/B'."""
    if time_col is None or rows.empty:
        return ""
    ends = [time_text(v) for v in rows[time_col].dropna()]
    starts = ends
    if time_col == "period_end" and "period_start" in rows.columns:
        starts = [time_text(v) for v in rows["period_start"].dropna()] or ends
    if not ends:
        return ""
    lo, hi = min(starts), max(ends)
    return lo if lo == hi else f"{lo}/{hi}"


SUFFIX_UNITS = (
    "bbl_per_day",
    "hours_per_day",
    "pct",
    "mw",
    "twh",
    "gwh",
    "mwh",
    "kwh",
    "km",
    "mt",
)
PACKAGE_UNITS = {"%": "pct", "persons": "persons", "people": "persons", "MW": "mw", "TWh": "twh", "GWh": "gwh"}


def _unit_of(rows: pd.DataFrame, column: str, info: Mapping[str, Any], fallback: str | None) -> str | None:
    """The unit word of a value: the row's `unit` column, else the column-name suffix, else the package, else the claim's."""
    if column == "value" and "unit" in rows.columns:
        units = list(dict.fromkeys(str(u) for u in rows["unit"].dropna()))
        if units:
            return "/".join(units)
    for suffix in SUFFIX_UNITS:
        if column.endswith("_" + suffix):
            return suffix
    declared = (info.get("units") or {}).get(column)
    if declared:
        return PACKAGE_UNITS.get(declared) or declared.strip().lower().replace(" per ", "_per_").replace(" ", "_")
    if column in TIME_COLUMNS or column.endswith("_date"):
        return None
    return fallback


def _period_spec_text(period: Any) -> str:
    if period == "latest":
        return "latest"
    if isinstance(period, Mapping) and "year" in period:
        return str(period["year"])
    if isinstance(period, Mapping):
        return f"{period.get('from', '…')}/{period.get('to', '…')}"
    return str(period)

"""Weighing the evidence (../shared/guides/FACTCHECK.md): which series may decide a label, the caveats the card
shows, and the rows behind each series as published in claims.json for the chart to draw."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd

from etl.claims.catalogue import LANGS, each, field_key, localized, say_each
from etl.claims.formatting import capital, period_name, sentence
from etl.claims.schema import ROLE_CONTEXT, ROLE_EVIDENCE
from etl.claims.selection import Selection
from etl.claims.values import ISO_DATE, ISO_MONTH, ISO_YEAR, is_number, plain, time_text
from etl.claims.wording import chart_series_name, series_name

WEAK_VERIFICATION = ("unverified", "conflicting")
MAX_CONTEXT_ROWS = 60  # context rows per series, nearest the evidence in time: enough history for a chart
ROW_ID_COLUMNS = (
    "fact_id",
    "iso_code",
    "indicator",
    "supplier",
    "flow",
    "unit",
    "topic",
    "plant",
    "source",
    "publisher",
)


def claim_window(period: str) -> tuple[str, str] | None:
    """The claim's time as first and last day ('2026-02' → 2026-02-01, 2026-02-28); None when it names none."""
    text = str(period or "").strip()
    if not text:
        return None
    lo, _, hi = text.partition("/")
    start, end = _bounds(lo.strip()), _bounds((hi or lo).strip())
    if start is None or end is None:
        return None
    return start[0], end[1]


def _bounds(text: str) -> tuple[str, str] | None:
    """First and last day of a date, month or year written in ISO form."""
    if ISO_DATE.fullmatch(text):
        return text, text
    if ISO_MONTH.fullmatch(text):
        last = calendar.monthrange(int(text[:4]), int(text[5:7]))[1]
        return f"{text}-01", f"{text}-{last:02d}"
    if ISO_YEAR.fullmatch(text):
        return f"{text}-01-01", f"{text}-12-31"
    return None


def weigh(sel: Selection, window: tuple[str, str] | None, claim_period: str) -> tuple[bool, list[dict[str, str]]]:
    """Whether a series may decide the label, and the caveats the card shows.

    Context series, the document's own source, rows that are all unverified or conflicting, and evidence from outside the
    claim's period (unless the claim file says why, `period_note`) are shown but never decide the label alone."""
    spec = sel.spec
    name = each(lambda lang: series_name(spec, lang))
    if not sel.ok:
        return False, []
    if spec.get("role") == ROLE_CONTEXT:
        note = {lang: str(spec.get(field_key("note", lang)) or "").strip() for lang in LANGS}
        if not note["en"]:  # a Spanish note alone is not said: the English one is the claim file's own
            return False, [say_each("weigh.context", name=name)]
        return False, [
            say_each("weigh.context_note", name=name, note=each(lambda lang: sentence(note[lang] or note["en"])))
        ]
    if spec.get("document_source"):
        return False, [say_each("weigh.document_source", name=name)]
    used = sel.used if sel.used is not None else sel.rows
    if used is not None and "verification" in used.columns:
        marks = used["verification"].astype("string").fillna("").str.lower()
        if len(marks) and marks.isin(WEAK_VERIFICATION).all():
            mark = "conflicting" if (marks == "conflicting").any() else "unverified"
            return False, [say_each("weigh.marked", name=name, mark=say_each(f"weigh.mark_{mark}"))]
    span = frame_span(used, sel.time_col)
    if window is not None and span[0] and not _overlaps(span, window):
        head = say_each(
            "weigh.other_period",
            name=name,
            period=each(lambda lang: period_name(sel.period, lang)),
            claim_period=each(lambda lang: period_name(claim_period, lang)),
        )
        if str(spec.get("period_note") or "").strip():
            note = each(lambda lang: str(localized(spec, "period_note", lang) or "").strip())
            return True, [each(lambda lang: f"{head[lang]}. {capital(sentence(note[lang]))}")]
        return False, [say_each("weigh.other_period_context", head=head)]
    return True, []


def evidence_rows(sel: Selection, counted: bool) -> list[dict[str, Any]]:
    """The rows behind a series' value (role `evidence` when the series decides the label, else `context`) and the same
    series' other rows nearest in time (role `context`), as published in claims.json for the chart to draw."""
    if not sel.ok or sel.matched is None:
        return []
    used = sel.used if sel.used is not None else sel.rows
    used = used if used is not None else sel.matched.iloc[0:0]
    others = sel.matched.drop(index=[i for i in used.index if i in sel.matched.index])
    if is_number(sel.spec.get("context_max_days")):  # e.g. single cargoes, not multi-month totals of the same table
        spans = [_row_span(r, sel.time_col) for r in others.to_dict("records")]
        keep = [bool(a and b) and _days_between(b, a) <= sel.spec["context_max_days"] for a, b in spans]
        others = others[keep]
    if len(others) > MAX_CONTEXT_ROWS:
        middle = frame_span(used, sel.time_col)[1]
        ends = [_row_span(r, sel.time_col)[1] for r in others.to_dict("records")]
        order = sorted(range(len(ends)), key=lambda i: (abs(_days_between(ends[i], middle)), ends[i]))
        others = others.iloc[sorted(order[:MAX_CONTEXT_ROWS])]
    names = each(lambda lang: chart_series_name(sel.spec, lang))
    out = []
    for role, frame in ((ROLE_EVIDENCE if counted else ROLE_CONTEXT, used), (ROLE_CONTEXT, others)):
        for position, row in zip(frame.index, frame.to_dict("records"), strict=True):
            out.append(_row_out(sel, row, role, names, position))
    out.sort(key=lambda r: (r["x_start"], r["x_end"], r["role"], r["key"]))
    return out


def _row_out(
    sel: Selection, row: Mapping[str, Any], role: str, names: Mapping[str, str], position: Any
) -> dict[str, Any]:
    """One published row. Its key names the table, the value column, the row's time and identifying fields, and its
    position in the published table, so two rows (or two columns of one row) never share a key."""
    column = sel.spec["column"]
    x_start, x_end = _row_span(row, sel.time_col)
    time = time_text(row[sel.time_col]) if sel.time_col and plain(row.get(sel.time_col)) is not None else ""
    if sel.time_col == "period_end" and plain(row.get("period_start")) is not None:
        time = f"{time_text(row['period_start'])}/{time}" if time_text(row["period_start"]) != time else time
    ids = [str(plain(row[c])) for c in ROW_ID_COLUMNS if c in row and plain(row[c]) is not None]
    unit = sel.unit
    if column == "value" and plain(row.get("unit")) is not None:
        unit = str(row["unit"])
    url = next((str(row[c]) for c in ("url", "source_url") if plain(row.get(c)) is not None), sel.url)
    value = plain(row.get(column))
    return {
        "series": names["en"],
        "series_es": names["es"],
        "role": role,
        "table": sel.spec["table"],
        "key": "|".join([sel.spec["table"], time, *ids, f"{column}#{position}"]),
        "x_start": x_start,
        "x_end": x_end,
        "period": time,
        "value": value,
        "unit": unit,
        # A figure this dashboard derives (an estimate) is credited to its maker, as the series is (`publisher`).
        "publisher": sel.spec.get("publisher")
        or (str(row["publisher"]) if plain(row.get("publisher")) is not None else sel.publisher),
        "url": url,
        "retrieved": str(row["checked_date"]) if plain(row.get("checked_date")) is not None else sel.retrieved,
        "verification": str(row["verification"]) if plain(row.get("verification")) is not None else "",
    }


def _row_span(row: Mapping[str, Any], time_col: str | None) -> tuple[str, str]:
    """(first day, last day) a row's figure covers: a day, a month, a year or a period_start/period_end interval."""
    if time_col is None or plain(row.get(time_col)) is None:
        return "", ""
    end = time_text(row[time_col])
    start = end
    if time_col == "period_end" and plain(row.get("period_start")) is not None:
        start = time_text(row["period_start"])
    lo, hi = _bounds(start), _bounds(end)
    return (lo[0] if lo else ""), (hi[1] if hi else "")


def frame_span(rows: pd.DataFrame | None, time_col: str | None) -> tuple[str, str]:
    """(first day, last day) the rows cover together, '' where unknown."""
    if rows is None or rows.empty or time_col is None:
        return "", ""
    spans = [_row_span(row, time_col) for row in rows.to_dict("records")]
    starts = [s for s, _ in spans if s]
    ends = [e for _, e in spans if e]
    return (min(starts) if starts else ""), (max(ends) if ends else "")


def _overlaps(span: tuple[str, str], window: tuple[str, str]) -> bool:
    return bool(span[0] and span[1]) and span[0] <= window[1] and span[1] >= window[0]


def unique_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per key: a row two series share is published once, as evidence if either series counts it."""
    best: dict[str, dict[str, Any]] = {}
    for row in rows:
        kept = best.get(row["key"])
        if kept is None or (kept["role"] == ROLE_CONTEXT and row["role"] == ROLE_EVIDENCE):
            best[row["key"]] = row
    return [row for row in rows if best.get(row["key"]) is row]


def _days_between(a: str, b: str) -> int:
    try:
        return (date.fromisoformat(a) - date.fromisoformat(b)).days
    except ValueError:
        return 0

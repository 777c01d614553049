"""The rules' arithmetic: one measured number judged against the claimed value or range within the rule's tolerance,
and several series' labels combined into one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from etl.claims.labels import LABEL_CANNOT_CHECK, LABEL_CONSISTENT, LABEL_NOT_CONSISTENT, LABEL_PARTLY
from etl.claims.values import is_number


def _tolerance(rule: Mapping[str, Any], base: float) -> float:
    """Absolute tolerance: `tolerance_abs`, or `tolerance_pct` of the claimed figure it applies to (0 if none)."""
    if is_number(rule.get("tolerance_abs")):
        return abs(float(rule["tolerance_abs"]))
    if is_number(rule.get("tolerance_pct")):
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

"""The claim file's hand-written sentences (`headline`, `summary` and their Spanish) held to the figures behind the card,
so that a refresh that moves a figure can never leave a stale number in a published sentence."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from etl.claims.values import is_number

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
        if is_number(row.get("value")):
            figures.append(float(row["value"]))
    for ratio in result.get("ratios") or []:
        figures += [float(ratio[k]) for k in ("value", "numerator", "denominator") if is_number(ratio.get(k))]
    claimed = claim.get("claimed") or {}
    own = [float(claimed[k]) for k in ("value", "low", "high") if is_number(claimed.get(k))]
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

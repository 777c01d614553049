"""The claim evidence figure's input: the rows the verdict engine published (`EvidenceInput`), the words it prints
(`EvidenceWords`), and what decides which rows are drawn where — units, panels, series and lanes in time order, the
engine's ratios as rows, context far off the scale. No plotly here: the other modules draw what these choose."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dashboard.figures.basic import open_high
from dashboard.i18n import LOWER_IN_SENTENCE, normalize_lang, translation

FLAGGED = ("unverified", "conflicting")
UNIT_ALIASES = {"people": "persons"}  # the same measure under two spellings

MANY_PUBLISHERS = 3  # more publishers than this for one series: one legend entry, points never joined

HISTORY_ROWS = 5  # context rows in another unit get a panel of their own from this many on (else: the table)


@dataclass(frozen=True)
class EvidenceWords:
    """Every word the figure prints, already in the reader's language."""

    claim_label: str
    context: str  # "(context, outside the claim's period)", in hover labels
    flagged: str  # "(marked unverified or conflicting)"
    not_counted: str  # "(not counted by the check)", for a ratio the engine did not count
    context_key: str  # legend: "Lighter: context, outside the claim's period"
    flagged_key: str  # legend: "Hollow: marked unverified or conflicting"
    not_counted_key: str  # legend: "Lighter: not counted by the check"
    publishers: str  # "{n} publishers"
    other_reports: str  # "other reports ({n} publishers)": a series' context rows from many publishers
    ratio: str  # "{num} as a % of {den}"
    claim_period: str  # legend name of the shaded period the claim is about
    highlight: str  # rank claims: "{year}: the claim says lowest"
    no_data: str
    months: list[str]
    units: dict[str, str] = field(default_factory=dict)


@dataclass
class EvidenceInput:
    """What to draw, as the engine published it (`claims.json`)."""

    rows: list[dict[str, Any]]
    unit: str  # the claim's unit (the primary axis)
    kind: str  # the verdict rule: approx, range, at_least, at_most, ratio_range, rank_min
    claimed: dict[str, Any]
    ratios: list[dict[str, Any]] = field(default_factory=list)
    lang: str = "en"
    claim_period: tuple[str, str] | None = None  # ISO first and last day of the claim's period
    highlight_year: int | None = None  # rank claims: the year the claim ranks


def norm_unit(unit: str | None) -> str:
    return UNIT_ALIASES.get(unit or "", unit or "")


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def is_day(text: Any) -> bool:
    try:
        date.fromisoformat(str(text)[:10])
    except ValueError:
        return False
    return len(str(text)) == 10


def drawable(row: dict[str, Any]) -> bool:
    """A row the chart can place: a number on a dated period."""
    return is_number(row.get("value")) and is_day(row.get("x_start")) and is_day(row.get("x_end") or row["x_start"])


def panels(data: EvidenceInput) -> tuple[list[dict], list[dict], str, list[dict]]:
    """Rows on the claim's axis, rows on a second panel (one other unit), that unit, and rows left out (other units:
    the note says they are in the table). The second panel holds the unit with the most evidence rows; without
    evidence in another unit, the numerator and denominator of a ratio claim, or a history of context rows."""
    unit = norm_unit(data.unit)
    rows = [r for r in data.rows if drawable(r)]
    main = [r for r in rows if norm_unit(r.get("unit")) == unit]
    others: dict[str, list[dict]] = {}
    for r in rows:
        if norm_unit(r.get("unit")) != unit:
            others.setdefault(norm_unit(r.get("unit")), []).append(r)
    second_unit = ""
    with_evidence = {u: sum(r.get("role") == "evidence" for r in rs) for u, rs in others.items()}
    if with_evidence and max(with_evidence.values()) > 0:
        second_unit = max(with_evidence, key=lambda u: (with_evidence[u], len(others[u])))
    elif others and (data.kind == "ratio_range" or max(len(rs) for rs in others.values()) >= HISTORY_ROWS):
        second_unit = max(others, key=lambda u: len(others[u]))
    second = others.pop(second_unit, []) if second_unit else []
    left_out = [r for rs in others.values() for r in rs]
    return main, second, second_unit, left_out


def series_name(row: dict[str, Any], lang: str) -> str:
    return str(translation(row, "series", lang) or row.get("series") or "")


def mid_day(start: str, end: str) -> str:
    a, b = date.fromisoformat(start[:10]), date.fromisoformat(end[:10])
    return (a + (b - a) / 2).isoformat()


def _sorted(rows: Iterable[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (r["x_start"], r.get("x_end") or r["x_start"]))


def lanes(rows: list[dict]) -> list[list[dict]]:
    """Rows in time order, split so that no lane goes back in time (overlapping periods of one publisher, e.g.
    Jan-Oct and the whole year, go to a second lane drawn in the same legend group)."""
    lanes: list[list[dict]] = []
    for row in _sorted(rows):
        for lane in lanes:
            if (lane[-1].get("x_end") or lane[-1]["x_start"]) <= row["x_start"]:
                lane.append(row)
                break
        else:
            lanes.append([row])
    return lanes


@dataclass
class _Group:
    series: str
    rows: list[dict]


def series_groups(rows: list[dict]) -> list[_Group]:
    """Series in order of first appearance, evidence rows first (so colours follow what the label rests on)."""
    order: dict[str, _Group] = {}
    for row in sorted(rows, key=lambda r: r.get("role") != "evidence"):
        order.setdefault(row.get("series", ""), _Group(row.get("series", ""), [])).rows.append(row)
    return list(order.values())


def context_words(row: dict[str, Any], words: EvidenceWords) -> str:
    return words.not_counted if row.get("not_counted") else words.context


def unit_words(words: EvidenceWords, unit: str) -> str:
    return words.units.get(unit, unit.replace("_", " "))


def ratio_rows(data: EvidenceInput, words: EvidenceWords) -> list[dict]:
    """The engine's ratios as rows of the claim's axis (one per period), named in plain words."""
    out = []
    for r in data.ratios:
        if not is_number(r.get("value")) or not is_day(r.get("x_start")):
            continue
        num = translation(r, "numerator_label", data.lang) or r.get("numerator_label") or ""
        den = translation(r, "denominator_label", data.lang) or r.get("denominator_label") or ""
        own = translation(r, "label", data.lang) or r.get("label") or ""  # a share its publisher states itself
        series = words.ratio.format(num=num, den=inner(den, data.lang)) if num and den else str(own)
        # Spanish contracts "de el" ("como % del consumo"); no English name holds " de el ", so no language test
        series = series.replace(" de el ", " del ")
        out.append(
            {
                "series": series,
                "series_es": series,
                "role": "evidence" if r.get("counted", True) else "context",
                "not_counted": not r.get("counted", True),
                "x_start": r["x_start"],
                "x_end": r.get("x_end") or r["x_start"],
                "period": r.get("period", ""),
                "value": r["value"],
                "unit": data.unit,
                "publisher": r.get("source") or r.get("publisher", ""),  # the short credit: a legend line, not three
                "verification": "",
                "approximate": bool(r.get("stated")),  # a share in its publisher's words, not a computed figure
            }
        )
    return out


FAR = 5.0  # a context row more than this many times the evidence and the claim is off the scale (a cargo
# 3.6 times the claimed size is drawn: it is what tests "small shipments"; a ratio 1,000 times the claim is not)


def far_context(rows: list[dict], unit: str, claimed: dict[str, Any]) -> list[dict]:
    """Context rows in the claim's unit so far above the evidence and the claim that they would squeeze them into
    a corner (a 400,000 bbl cargo of 2024 beside 85,000 bbl ones): left off the chart, and named in its subtitle."""
    unit = norm_unit(unit)
    mine = [r for r in rows if drawable(r) and norm_unit(r.get("unit")) == unit]
    refs = [abs(r["value"]) for r in mine if r.get("role") == "evidence"]
    refs += [
        abs(float(claimed[k]))
        for k in ("value", "low", "high")
        if is_number(claimed.get(k)) and not (k == "high" and open_high(claimed))
    ]
    ref = max(refs, default=0.0)
    if ref <= 0:
        return []
    far = [r for r in mine if r.get("role") != "evidence" and abs(r["value"]) > FAR * ref]
    return far if len(far) < len(mine) else []


def inner(name: str, lang: str) -> str:
    """A Spanish name inside a sentence starts with a lower-case article ("… como % de las entregas mexicanas"); the
    words written so are dashboard/i18n.py's (none in English)."""
    first, _, rest = name.partition(" ")
    if first in LOWER_IN_SENTENCE.get(normalize_lang(lang), ()) and rest:
        return f"{first.lower()} {rest}"
    return name


def second_panel_rows(data: EvidenceInput, second: list[dict]) -> tuple[list[dict], list[dict]]:
    """Rows the lower panel draws, and rows it leaves to the table. Under a ratio the lower panel shows the two
    figures the ratio is made of; when both have other reports from many publishers (two pooled grey "other
    reports" entries), they would double the key on a phone, so they are left to the table and named under the
    chart. One pooled series (e.g. the denominator's history) stays drawn."""
    if data.kind != "ratio_range":
        return second, []
    pooled: set[str] = set()
    for group in series_groups(second):
        others = {r.get("publisher", "") for r in group.rows if r.get("role") != "evidence"}
        if len(others) > MANY_PUBLISHERS:
            pooled.add(group.series)
    if len(pooled) < 2:  # one pooled entry is one key line (e.g. the denominator's history): it stays
        return second, []
    keep = [r for r in second if not (r.get("series") in pooled and r.get("role") != "evidence")]
    return keep, [r for r in second if r.get("series") in pooled and r.get("role") != "evidence"]

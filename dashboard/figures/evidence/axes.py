"""The claim evidence figure's axes: value and time ranges set by the data and the claim, date ticks in the reader's
language, whole-number and full-number ticks, the claim period's shading width, and the lower panel's heading."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from typing import Any

from dashboard.figures.basic import open_high
from dashboard.figures.common import wrap
from dashboard.figures.evidence.rows import inner, is_number, series_name
from dashboard.i18n import plotly_si_suffixes, t

HEADROOM = 1.1

WHOLE_UNITS = {"cargoes", "count", "persons"}  # counted in whole numbers: no 0.2 ticks


def y_range(values: list[float], claimed: dict[str, Any]) -> list[float]:
    """From zero (or the lowest value) to the highest value or the claim's bounds, with ~10 % headroom. An
    open-ended bound (≥ 10,000 as the claim's `high`) never sets the range."""
    points = [v for v in values if is_number(v)]
    for key in ("value", "low", "high"):
        v = claimed.get(key)
        if is_number(v) and not (key == "high" and open_high(claimed)):
            points.append(float(v))
    top = max(points, default=0.0)
    bottom = min(points + [0.0])
    claim_top = max((p for p in points[len([v for v in values if is_number(v)]) :]), default=0.0)
    top = max(top * HEADROOM, claim_top * 1.18) if top > 0 else 1.0  # room for the claim's label above its line
    # A stated zero ("no cargo in February") is a mark on the axis: a little room below keeps it whole.
    bottom = bottom * HEADROOM if bottom < 0 else -0.03 * top if 0.0 in points else 0.0
    return [bottom, top]


def x_range(rows: list[dict], extra: tuple[str, str] | None = None) -> list[str]:
    starts = [r["x_start"][:10] for r in rows] + ([extra[0]] if extra else [])
    ends = [(r.get("x_end") or r["x_start"])[:10] for r in rows] + ([extra[1]] if extra else [])
    first, last = date.fromisoformat(min(starts)), date.fromisoformat(max(ends))
    # at least five weeks: a mark on the first or last day clears the axis' edge and its labels on a phone
    pad = max(timedelta(days=35), (last - first) * 0.04)
    return [(first - pad).isoformat(), (last + pad).isoformat()]


def date_ticks(bounds: list[str], months: list[str]) -> dict[str, Any]:
    """Tick positions and labels in the reader's language (plotly's month names are English): years for long
    ranges, months for shorter ones, days for a few weeks; at most ~5 ticks, so a phone has room for them."""
    first, last = date.fromisoformat(bounds[0]), date.fromisoformat(bounds[1])
    days = (last - first).days
    vals: list[str] = []
    text: list[str] = []
    years = list(range(first.year + (first > date(first.year, 1, 1)), last.year + 1))
    if days > 3 * 365 or (days > 540 and len(years) >= 2):  # whole years read better than "May 2023, Feb 2024, Nov"
        step = max(1, math.ceil(len(years) / 5))
        for y in years[::step]:
            vals.append(f"{y}-01-01")
            text.append(str(y))
    elif days > 62:
        month_list = []
        y, m = first.year, first.month
        while date(y, m, 1) <= last:
            if date(y, m, 1) >= first:
                month_list.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        step = max(1, math.ceil(len(month_list) / 4))
        for y, m in month_list[::step]:  # the year on the first tick and where it changes: "Oct 2025, Jan 2026"
            vals.append(f"{y}-{m:02d}-01")
            text.append(f"{months[m - 1]} {y}" if len(vals) == 1 or vals[-2][:4] != str(y) else months[m - 1])
    else:
        step = max(1, math.ceil(days / 4))
        d = first
        while d <= last:
            vals.append(d.isoformat())
            text.append(f"{d.day} {months[d.month - 1]}")
            d += timedelta(days=step)
    return {"tickmode": "array", "tickvals": vals, "ticktext": text, "type": "date"}


def whole_ticks(unit: str, bounds: list[float]) -> dict[str, Any]:
    """Whole-number ticks for small counts (1 cargo, not 0.2)."""
    return {"dtick": 1} if unit in WHOLE_UNITS and bounds[1] - bounds[0] <= 6 else {}


SECOND_TOP = 0.45  # the lower panel's top (paper fraction); its heading sits just above it
SECOND_TOP_TWO_LINES = 0.42  # ... lower still when the heading takes two lines
FIRST_BOTTOM_GAP = 0.10  # the gap between the panels above the heading's top line
MIN_PERIOD_SHARE = 0.02  # the claim's period is shaded at least this share of the x range wide, so it is seen


def visible_period(period: tuple[str, str], bounds: list[str]) -> tuple[str, str]:
    """The claim's period, widened around its middle to at least MIN_PERIOD_SHARE of the axis (a month on a
    decade-long axis is otherwise a hairline)."""
    first, last = date.fromisoformat(period[0][:10]), date.fromisoformat(period[1][:10])
    span = date.fromisoformat(bounds[1]) - date.fromisoformat(bounds[0])
    least = span * MIN_PERIOD_SHARE
    if last - first >= least:
        return period
    mid = first + (last - first) / 2
    return (mid - least / 2).isoformat(), (mid + least / 2).isoformat()


def number_ticks(lang: str) -> dict[str, Any]:
    """Full numbers with the reader's separators ("150.000"), never SI suffixes ("150k", "1M")."""
    return {} if plotly_si_suffixes(lang) else {"exponentformat": "none", "separatethousands": True}


def panel_heading(rows: list[dict], unit_text: str, lang: str, ratio: bool = False) -> str:
    """The second panel's own heading, at most two lines and never cut (a phone has little room between the
    panels): what it measures and in what unit ("Brazil's oil production and Brazil's oil consumption, TWh"); when
    every measure does not fit, the rest are counted ("and 2 more"), as the legend names them all."""
    # A heading names measures; the legend keeps the qualifiers ("(crude and products, each a mark)").
    names = list(dict.fromkeys(re.sub(r"\s*\([^)]*\)", "", n) for n in (series_name(r, lang) for r in rows) if n))
    if not names:
        return unit_text
    names = [names[0], *(inner(n, lang) for n in names[1:])]
    for shown in range(len(names), 0, -1):
        head, rest = names[:shown], len(names) - shown
        if rest:
            measure = t("evidence_and", lang, names=", ".join(head), last=t("evidence_more", lang, n=rest))
        else:
            measure = t("evidence_and", lang, names=", ".join(head[:-1]), last=head[-1]) if len(head) > 1 else head[0]
        if rest and ratio:  # under a share, "and 2 more" says less than what the panel is for
            return wrap(f"{t('evidence_ratio_parts', lang)}, {unit_text}", HEADING_CHARS)
        lines = wrap(f"{measure}, {unit_text}", HEADING_CHARS).split("<br>")
        if len(lines) <= 2:
            return "<br>".join(lines)
    return "<br>".join(lines)


HEADING_CHARS = 38  # one line of the heading at 375 px, 12 px type (the plot is ~280 px wide)

"""Claim evidence charts: exactly the rows the verdict engine published behind a label (`evidence_rows`), drawn as a
graphics desk would — one trace per series and publisher in time order, periods across their period, one unit per
axis, context lighter and named as context, unverified or conflicting rows hollow — with the claim drawn inside a
range set by the data. Pure: rows and words in, a Draft out; the chart definition chooses rows and words."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dashboard.figures.basic import open_high, with_claim
from dashboard.figures.common import PALETTE, Draft, Frame, axis_title, base_figure, empty_figure, trace, wrap

FLAGGED = ("unverified", "conflicting")
UNIT_ALIASES = {"people": "persons"}  # the same measure under two spellings
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "pentagon", "hexagon", "star", "triangle-down"]
MANY_PUBLISHERS = 3  # more publishers than this for one series: one legend entry, points never joined
LEGEND_WRAP = (
    44  # characters per legend line: fits a 375 px phone at 12 px (long Spanish words too; checked in Chromium)
)
HEADROOM = 1.1
HISTORY_ROWS = 5  # context rows in another unit get a panel of their own from this many on (else: the table)
WHOLE_UNITS = {"cargoes", "count", "persons"}  # counted in whole numbers: no 0.2 ticks
DAY_MS = 86_400_000
IMAGE_HEIGHT, IMAGE_HEIGHT_TWO_PANELS = 600, 740
PERIOD_FILL = "rgba(120,120,190,0.16)"  # the claim period: a pale blue-grey, unlike any series colour


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


def _text(row: dict[str, Any], lang: str) -> str:
    return str((row.get("series_es") if lang == "es" else None) or row.get("series") or "")


def _mid(start: str, end: str) -> str:
    a, b = date.fromisoformat(start[:10]), date.fromisoformat(end[:10])
    return (a + (b - a) / 2).isoformat()


def _sorted(rows: Iterable[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (r["x_start"], r.get("x_end") or r["x_start"]))


def _lanes(rows: list[dict]) -> list[list[dict]]:
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


def _series_groups(rows: list[dict]) -> list[_Group]:
    """Series in order of first appearance, evidence rows first (so colours follow what the label rests on)."""
    order: dict[str, _Group] = {}
    for row in sorted(rows, key=lambda r: r.get("role") != "evidence"):
        order.setdefault(row.get("series", ""), _Group(row.get("series", ""), [])).rows.append(row)
    return list(order.values())


def _context_words(row: dict[str, Any], words: EvidenceWords) -> str:
    return words.not_counted if row.get("not_counted") else words.context


def _legend_name(parts: list[str]) -> str:
    return wrap(" ".join(p for p in parts if p), LEGEND_WRAP)


def _segments(rows: list[dict], join: bool) -> dict[str, list]:
    """x, y, marker sizes and hover data: a period as a segment with its marker in the middle, a day as a point;
    days of one publisher joined in time order when `join`."""
    xs: list[Any] = []
    ys: list[Any] = []
    sizes: list[float] = []
    hover: list[list[str]] = []
    for row in rows:
        start, end = row["x_start"][:10], (row.get("x_end") or row["x_start"])[:10]
        label = [str(row.get("period") or start), str(row.get("publisher") or "")]
        if start < end:
            if xs and xs[-1] is not None:
                xs.append(None), ys.append(None), sizes.append(0), hover.append(["", ""])
            xs += [start, _mid(start, end), end]
            ys += [row["value"]] * 3
            sizes += [0, 8, 0]
            hover += [label] * 3
            xs.append(None), ys.append(None), sizes.append(0), hover.append(["", ""])
        else:
            if not join and xs and xs[-1] is not None:
                xs.append(None), ys.append(None), sizes.append(0), hover.append(["", ""])
            xs.append(start), ys.append(row["value"]), sizes.append(8), hover.append(label)
    while xs and xs[-1] is None:
        xs.pop(), ys.pop(), sizes.pop(), hover.pop()
    return {"x": xs, "y": ys, "sizes": sizes, "hover": hover}


def _unit(words: EvidenceWords, unit: str) -> str:
    return words.units.get(unit, unit.replace("_", " "))


def _hover(unit_text: str, name: str) -> str:
    short = name.replace("<br>", " ")[:60]
    return f"%{{customdata[0]}}: %{{y:,.4~g}} {unit_text}<br>%{{customdata[1]}}<extra>{short}</extra>"


class Styles:
    """(colour, symbol) pairs handed out once per figure, so two series never share both (the 9th pair repeats a
    colour with another symbol). Yellow and black come last: yellow is faint on white, black is the claim's."""

    ORDER = (0, 3, 2, 4, 1, 5, 7, 6)

    def __init__(self) -> None:
        self.used = 0
        self.by_key: dict[str, tuple[str, str]] = {}
        self.greys: dict[str, tuple[str, str]] = {}

    def grey(self, key: str) -> tuple[str, str]:
        """Pooled context ("other reports") is grey; two pooled series of one figure differ by symbol."""
        if key not in self.greys:
            self.greys[key] = (OTHER_GREY, SYMBOLS[len(self.greys) % len(SYMBOLS)])
        return self.greys[key]

    def get(self, key: str) -> tuple[str, str]:
        if key not in self.by_key:
            k = self.used
            self.used += 1
            self.by_key[key] = (PALETTE[self.ORDER[k % 8]], SYMBOLS[(k + k // 8) % len(SYMBOLS)])
        return self.by_key[key]


OTHER_GREY = "#7a7a7a"


def add_rows(
    fig: Draft,
    rows: list[dict],
    words: EvidenceWords,
    lang: str,
    unit: str,
    axes: tuple[str, str],
    bars: bool,
    styles: Styles | None = None,
) -> set[str]:
    """One trace per (series, publisher, role, verification), in time order: evidence solid, context lighter,
    unverified or conflicting rows hollow. Every publisher of evidence keeps its own keyed colour and symbol; a
    series' context rows from more than MANY_PUBLISHERS publishers are one grey entry ("other reports"), their points
    never joined. Bars (a rank claim's years) are one colour per series. What lighter and hollow mean is said once,
    by `add_key` below. Returns the styles used ("context", "not_counted", "flagged")."""
    styles = styles or Styles()
    unit_text = _unit(words, unit)
    used: set[str] = set()
    for group in _series_groups(rows):
        publishers = list(dict.fromkeys(r.get("publisher", "") for r in group.rows))
        context_publishers = list(
            dict.fromkeys(r.get("publisher", "") for r in group.rows if r.get("role") != "evidence")
        )
        pooled = bars or len(context_publishers) > MANY_PUBLISHERS  # context rows in one entry
        keys: dict[tuple, list[dict]] = {}
        for row in group.rows:
            flagged = row.get("verification") in FLAGGED
            context = row.get("role") != "evidence"
            publisher = "" if bars or (context and pooled) else row.get("publisher", "")
            keys.setdefault((context, flagged, publisher), []).append(row)
        shown: set[str] = set()
        base_key = f"{axes[1]}|{group.series}"
        for (context, flagged, publisher), part in sorted(keys.items(), key=lambda kv: kv[0][:2]):
            base = _text(part[0], lang)
            if bars:
                name = _legend_name([base])
                colour, symbol = styles.get(base_key)
                group_key = base_key
            elif context and pooled:  # organisations, as the source line counts them ("14ymedio (…)" is 14ymedio)
                n = len({str(p).split(" (")[0].strip() for p in context_publishers})
                name = _legend_name([base, f"— {words.other_reports.format(n=n)}"])
                group_key = base_key + "|other"
                colour, symbol = styles.grey(group_key)
            else:
                name = _legend_name([base + (f" — {publisher}" if len(publishers) > 1 and publisher else "")])
                group_key = f"{base_key}|{publisher}"
                colour, symbol = styles.get(group_key)
            if context:
                used.add("not_counted" if part[0].get("not_counted") else "context")
            if flagged:
                used.add("flagged")
            style = " ".join(
                w for w in (_context_words(part[0], words) if context else "", words.flagged if flagged else "") if w
            )
            join = not (context and pooled)
            for lane in _lanes(part):
                common = {
                    "name": name,
                    "legendgroup": group_key,
                    "showlegend": group_key not in shown,
                    "opacity": 0.45 if context and not pooled else (0.7 if context else 1.0),
                    "xaxis": axes[0],
                    "yaxis": axes[1],
                }
                shown.add(group_key)
                hover = _hover(unit_text, f"{name} {style}".strip())
                if bars:
                    _add_bars(fig, lane, colour, flagged, context, hover, common)
                    continue
                seg = _segments(lane, join=join and all(r["x_start"] == r.get("x_end", r["x_start"]) for r in lane))
                approx = any(r.get("approximate") for r in lane)
                if approx:  # "roughly a third": a hollow mark on a dotted period, and "≈" written beside it
                    for r in lane:
                        fig.add_annotation(
                            x=r["x_start"],
                            y=r["value"],
                            xref=axes[0],
                            yref=axes[1],
                            text=f"≈ {round(r['value'])}{' %' if lang == 'es' else '%'}",
                            showarrow=False,
                            # left of its dotted period: under its mark it covered another series' mark, and
                            # left of the mark it touched its own dots (graphics rounds 8)
                            xanchor="right",
                            yanchor="middle",
                            xshift=-6,
                            font={"size": 12, "color": colour},
                        )
                fig.add_trace(
                    trace(
                        "scatter",
                        x=seg["x"],
                        y=seg["y"],
                        mode="lines+markers",
                        line={"color": colour, "width": 3 if not context else 2, "dash": "dot" if approx else "solid"},
                        marker={
                            "color": colour,
                            "symbol": symbol + ("-open" if flagged or approx else ""),
                            "size": seg["sizes"],
                            "line": {"color": colour, "width": 2},
                        },
                        connectgaps=False,
                        cliponaxis=False,
                        customdata=seg["hover"],
                        hovertemplate=hover,
                        **common,
                    )
                )
    return used


def add_key(fig: Draft, used: set[str], words: EvidenceWords, bars: bool = False) -> None:
    """Legend entries that say, once, what a lighter (or hatched) mark and a hollow one mean (traces without data,
    drawn as the chart's marks are: bars for a bar chart)."""
    grey = "#666666"
    outline = {"line": {"color": grey, "width": 2}}
    if bars:
        hatched = {"color": grey, "pattern": {"shape": "/", "fgcolor": "#333"}, **outline}
        entries = [
            ("context", words.context_key, hatched, 0.45),
            ("not_counted", words.not_counted_key, {"color": grey, **outline}, 0.45),
            ("flagged", words.flagged_key, {"color": "rgba(0,0,0,0)", **outline}, 1),
        ]
    else:
        entries = [
            ("context", words.context_key, {"symbol": "circle", "color": grey, "size": 9}, 0.45),
            ("not_counted", words.not_counted_key, {"symbol": "circle", "color": grey, "size": 9}, 0.45),
            ("flagged", words.flagged_key, {"symbol": "circle-open", "color": grey, "size": 9, **outline}, 1),
        ]
    said: set[str] = set()
    for style, name, marker, opacity in entries:
        if style in used and name not in said:  # context and not counted may share one entry
            said.add(name)
            fig.add_trace(
                trace(
                    "bar" if bars else "scatter",
                    x=[None],
                    y=[None],
                    mode=None if bars else "markers",
                    name=_legend_name([name]),
                    marker=marker,
                    opacity=opacity,
                    hoverinfo="skip",
                    legendgroup=f"key|{style}",
                )
            )


def _add_bars(fig: Draft, rows: list[dict], colour: str, flagged: bool, context: bool, hover: str, common: dict):
    """Bars across their period (rank claims: one bar per year); hollow when unverified, hatched when context."""
    mids = [_mid(r["x_start"], r.get("x_end") or r["x_start"]) for r in rows]
    widths = [
        max(
            1,
            (date.fromisoformat((r.get("x_end") or r["x_start"])[:10]) - date.fromisoformat(r["x_start"][:10])).days,
        )
        * DAY_MS
        * 0.8
        for r in rows
    ]
    fig.add_trace(
        trace(
            "bar",
            x=mids,
            y=[r["value"] for r in rows],
            width=widths,
            marker={
                "color": "rgba(0,0,0,0)" if flagged else colour,
                "line": {"color": colour, "width": 2},
                "pattern": {"shape": "/" if context else "", "fgcolor": "#333", "bgcolor": "rgba(0,0,0,0)"},
            },
            customdata=[[str(r.get("period") or r["x_start"]), str(r.get("publisher") or "")] for r in rows],
            hovertemplate=hover,
            **common,
        )
    )


def ratio_rows(data: EvidenceInput, words: EvidenceWords) -> list[dict]:
    """The engine's ratios as rows of the claim's axis (one per period), named in plain words."""
    out = []
    for r in data.ratios:
        if not is_number(r.get("value")) or not is_day(r.get("x_start")):
            continue
        es = data.lang == "es"
        num = (r.get("numerator_label_es") if es else None) or r.get("numerator_label") or ""
        den = (r.get("denominator_label_es") if es else None) or r.get("denominator_label") or ""
        own = (r.get("label_es") if es else None) or r.get("label") or ""  # a share its publisher states itself
        series = words.ratio.format(num=num, den=inner(den, data.lang)) if num and den else str(own)
        series = series.replace(" de el ", " del ") if es else series  # "como % del consumo"
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


LABEL_EXTENT = 0.6  # share of the plot's width a claim label (anchored at the left) may cover on a phone
PHONE_PLOT_PX = 290  # a 375 px phone's plot width, for how far a label reaches
LABEL_CHAR_PX = 6.6  # a 12 px label's mean glyph width
LABEL_LINE_PX = 17  # a 12 px label's line
PHONE_PLOT_HEIGHT_PX = 200  # a claim chart's plot height on a 375 px phone
PHONE_PANELS_HEIGHT_PX = 165  # ... both panels of a two-panel chart (its upper panel is about 75 px)


def _label_reach(label: str) -> float:
    """The share of a phone's plot width the label's longest line covers (at least LABEL_EXTENT)."""
    longest = max((len(re.sub(r"<[^>]+>", "", line)) for line in label.split("<br>")), default=0)
    return min(1.0, max(LABEL_EXTENT, (longest * LABEL_CHAR_PX + 8) / PHONE_PLOT_PX))


LABEL_INDENT = 0.06  # a label at the left end starts this share of the plot in: beside the y axis it read as its tick
# ("100k Claim: 110,000 bbl/d", graphics round 8)
PERIOD_COST = 3  # a label across the shaded claim period cuts it in two: worse than hiding two context marks


def _label_clear_of_data(
    fig: Draft,
    label: str,
    marks: list[tuple[float, float]],
    bounds: list[float],
    evidence: list[tuple[float, float]],
    period: tuple[float, float] | None = None,
) -> None:
    """Put the claim's label where it hides the fewest marks: at the left end of its line (indented from the axis),
    at its right end, or just before the shaded claim period; above or below a line, inside, above or under a band.
    Marks are (x share of the axis, value); an evidence mark counts ten times (an evidence mark hidden by the claim's
    own label is the worst case), crossing the claim's period (x shares) counts PERIOD_COST."""
    note = next((a for a in reversed(fig.layout.get("annotations", [])) if a.get("text") == label), None)
    if note is None or note.get("yanchor") not in ("top", "bottom"):
        return
    line, span = float(note["y"]), bounds[1] - bounds[0]
    domain = (fig.layout.get("yaxis") or {}).get("domain") or [0, 1]
    lines = label.count("<br>") + 1  # a label of five lines reaches far above its line on a phone
    plot_px = PHONE_PLOT_HEIGHT_PX if domain[1] - domain[0] >= 0.99 else PHONE_PANELS_HEIGHT_PX
    tall = lines * LABEL_LINE_PX / (plot_px * (domain[1] - domain[0])) * span
    near = max(0.15 * span, tall)
    reach = _label_reach(label)
    band = note.get("yanchor") == "top"  # a band's label sits inside the band, under its top edge
    if band:
        low = next(
            (
                float(sh["y0"])
                for sh in fig.layout.get("shapes", [])
                if sh.get("type") == "rect" and sh.get("y1") == line
            ),
            line,
        )
        rows = {
            "inside": (line - near, line, {}),
            "above": (line, line + near, {"yanchor": "bottom", "yshift": 3}),
            "under": (low - near, low, {"y": low, "yshift": -3}),
        }
        if line + near > bounds[1] * 1.0001:
            del rows["above"]
        if low - tall < bounds[0] or low == line:
            del rows["under"]
    else:
        rows = {"above": (line, line + near, {}), "below": (line - near, line, {"yanchor": "top", "yshift": -5})}
        if line - tall < bounds[0]:  # no room under the line
            del rows["below"]
    ends = {
        "left": (LABEL_INDENT, LABEL_INDENT + reach, {"x": LABEL_INDENT}),
        "right": (1 - reach, 1.0, {"x": 1, "xanchor": "right", "align": "right"}),
    }
    if period and period[0] - reach >= LABEL_INDENT:  # in the open before the claim's period
        ends["before"] = (period[0] - reach, period[0], {"x": period[0] - 0.01, "xanchor": "right", "align": "right"})
    weighted = [(x, v, 1) for x, v in marks] + [(x, v, 9) for x, v in evidence]
    # above a line near the top, a label of two lines would stretch the axis past the data (27 h on an hours-a-day
    # axis): below it is as good when it hides no more
    cramped = 0.5 if not band and bounds[1] - line < tall and "below" in rows else 0.0

    def cost(place: tuple[str, str]) -> float:
        (v0, v1, _), (x0, x1, _) = rows[place[0]], ends[place[1]]
        hidden = sum(w for x, v, w in weighted if v0 <= v <= v1 and x0 <= x <= x1 and (band or v != line))
        crosses = period is not None and x0 < period[1] and x1 > period[0]
        return hidden + (PERIOD_COST if crosses else 0) + (cramped if place[0] == "above" else 0.0)

    places = [(row, end) for end in ends for row in rows]  # ties: the first (the left end, above a line)
    row, end = min(places, key=cost)
    note.update({**rows[row][2], **ends[end][2]})


def _share_of(day: str, bounds: list[str]) -> float:
    """Where a day sits along the time axis, 0 (left) to 1 (right)."""
    first, last = (date.fromisoformat(b[:10]) for b in bounds)
    return (date.fromisoformat(day[:10]) - first) / max(last - first, timedelta(days=1))


def _x_share(row: dict, bounds: list[str]) -> float:
    """Where a row's mark sits along the time axis, 0 (left) to 1 (right)."""
    first, last = (date.fromisoformat(b[:10]) for b in bounds)
    mid = date.fromisoformat(_mid(row["x_start"], row.get("x_end") or row["x_start"])[:10])
    return (mid - first) / max(last - first, timedelta(days=1))


NATURAL_TOP = {"hours_per_day": 24.0}  # an axis that need not run past this for a label's room (27 h in a day read
# as data, graphics round 8)


def _room_for_label(fig: Draft, label: str, bounds: list[float], tall: bool, unit: str = "") -> None:
    """A claim label of two lines above its line needs more headroom than one line, most of all in the short upper
    panel of a two-panel chart on a phone; without it the first line is cut at the top of the image."""
    note = next((a for a in reversed(fig.layout.get("annotations", [])) if a.get("text") == label), None)
    if note is None or note.get("yanchor") != "bottom" or "<br>" not in label:
        return
    line = float(note["y"])
    share = 0.6 if tall else 0.35  # of the distance from the axis' bottom to the line
    top = max(bounds[1], line + share * (line - bounds[0]))
    if unit in NATURAL_TOP and bounds[1] <= NATURAL_TOP[unit] < top:
        top = NATURAL_TOP[unit]
    if top > bounds[1]:
        for shape in fig.layout.get("shapes", []):  # an open band shaded to the old top follows it
            if shape.get("yref") == "y" and shape.get("y1") == bounds[1]:
                shape["y1"] = top
        fig.layout["yaxis"]["range"] = [bounds[0], top]


ON_LINE = 0.005  # a mark within this share of the y range of the claim's line sits on it (is hidden by it)


def _name_marks_on_claim_line(
    fig: Draft,
    rows: list[dict],
    claimed: dict[str, Any],
    bounds: list[float],
    words: EvidenceWords,
    unit: str,
    lang: str,
    x_bounds: list[str] | None = None,
) -> None:
    """A mark that sits on the claim's dashed line is half hidden by it, and a ratio the check did not count that
    sits inside the claim's band reads as support: name either beside the mark ("Noticias22, Mar 2025: 20
    hours/day (context, …)"), only when one context mark is alone in that case, so it is read for what it is and
    no two notes ever collide."""
    lines = [float(claimed[k]) for k in ("value", "low") if is_number(claimed.get(k))]
    if is_number(claimed.get("high")) and not open_high(claimed):
        lines.append(float(claimed["high"]))
    near = ON_LINE * (bounds[1] - bounds[0])
    # A band's edge at the axis' floor ("more than 0") hides nothing: a zero there is drawn on the axis, in view.
    floor = max(bounds[0], 0.0) + near
    lines = [v for v in lines if v > floor] if len(lines) == 2 else lines
    band = (min(lines), max(lines)) if len(lines) == 2 else None
    on_line = [
        r
        for r in rows
        if r.get("role") != "evidence"
        and (
            any(abs(r["value"] - v) <= near for v in lines)
            or (r.get("not_counted") and band and band[0] <= r["value"] <= band[1])  # reads as support; it is not
        )
    ]
    if len(on_line) != 1:  # none, or several: notes would print over each other (the legend names them)
        return
    for row in on_line:
        end = date.fromisoformat((row.get("x_end") or row["x_start"])[:10])
        when = f"{words.months[end.month - 1]} {end.year}"
        publisher = str(row.get("publisher") or "").split(" (")[0].split(" via ")[0]
        text = f"{publisher}, {when}: {_value_text(row['value'], _unit(words, unit), lang)}"
        if row.get("role") != "evidence":
            text = f"{text} {_context_words(row, words)}"
        text = wrap(text, 21)  # narrow: at 28 its line ends ran into the next series' first marks on a phone (round 8)
        x = _mid(row["x_start"], row.get("x_end") or row["x_start"])
        side = _side(x, x_bounds)
        fig.add_annotation(  # towards the middle of the plot, so the text is never cut at its edge
            x=x,
            y=row["value"],
            text=text,
            showarrow=True,
            arrowhead=0,
            ax={"left": 14, "center": 0, "right": -14}[side],
            ay=56,  # well below the line, clear of its label and of marks just under it
            xanchor=side,
            align=side,
            yanchor="top",
            font={"size": 11, "color": "#333"},
        )


def _name_latest_without_evidence(
    fig: Draft, rows: list[dict], words: EvidenceWords, unit: str, lang: str, x_bounds: list[str]
) -> None:
    """Nothing counted (every mark lighter): the latest figure of the first series, which the title and the summary
    quote, is named beside its mark ("2024: 82%"), so the reader finds it among the context."""
    if (
        not rows
        or any(r.get("role") == "evidence" for r in rows)
        or any(a.get("showarrow") for a in fig.layout.get("annotations", []))
    ):
        return
    first = _series_groups(rows)[0].rows
    latest = max(first, key=lambda r: r.get("x_end") or r["x_start"])
    start, end = latest["x_start"][:10], (latest.get("x_end") or latest["x_start"])[:10]
    when = (
        start[:4]
        if start[5:] == "01-01" and end[5:] == "12-31" and start[:4] == end[:4]
        else (f"{words.months[int(end[5:7]) - 1]} {end[:4]}")
    )
    x = _mid(start, end)
    side = _side(x, x_bounds)
    fig.add_annotation(
        x=x,
        y=latest["value"],
        text=f"{when}: {_value_text(latest['value'], _unit(words, unit), lang)}",
        showarrow=True,
        arrowhead=0,
        ax={"left": 14, "center": 0, "right": -14}[side],
        ay=36,  # below the mark: above it sit the claim's label and band edge
        xanchor=side,
        yanchor="top",
        font={"size": 12, "color": "#111"},
        bgcolor="rgba(255,255,255,0.7)",
    )


def _value_text(value: float, unit_text: str, lang: str) -> str:
    """A mark's value as a note beside it says it: "1,185 people", "82.3%", "82,3 %" (whole numbers from 100 on)."""
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{round(value, 1):g}"
    if lang == "es":
        text = text.replace(",", "\u00a0").replace(".", ",").replace("\u00a0", ".")
    return f"{text}{'' if unit_text == '%' and lang == 'en' else ' '}{unit_text}"


def _side(x: str, bounds: list[str] | None) -> str:
    """Which side of a mark its label goes: away from the nearer edge, centred in the middle of the axis."""
    if not bounds:
        return "left"
    first, last = (date.fromisoformat(b[:10]) for b in bounds)
    share = (date.fromisoformat(x[:10]) - first) / max(last - first, timedelta(days=1))
    return "left" if share < 0.3 else "right" if share > 0.7 else "center"


def _whole(unit: str, bounds: list[float]) -> dict[str, Any]:
    """Whole-number ticks for small counts (1 cargo, not 0.2)."""
    return {"dtick": 1} if unit in WHOLE_UNITS and bounds[1] - bounds[0] <= 6 else {}


SECOND_TOP = 0.45  # the lower panel's top (paper fraction); its heading sits just above it
SECOND_TOP_TWO_LINES = 0.42  # ... lower still when the heading takes two lines
FIRST_BOTTOM_GAP = 0.10  # the gap between the panels above the heading's top line
MIN_PERIOD_SHARE = 0.02  # the claim's period is shaded at least this share of the x range wide, so it is seen


def _visible_period(period: tuple[str, str], bounds: list[str]) -> tuple[str, str]:
    """The claim's period, widened around its middle to at least MIN_PERIOD_SHARE of the axis (a month on a
    decade-long axis is otherwise a hairline)."""
    first, last = date.fromisoformat(period[0][:10]), date.fromisoformat(period[1][:10])
    span = date.fromisoformat(bounds[1]) - date.fromisoformat(bounds[0])
    least = span * MIN_PERIOD_SHARE
    if last - first >= least:
        return period
    mid = first + (last - first) / 2
    return (mid - least / 2).isoformat(), (mid + least / 2).isoformat()


def _number_ticks(lang: str) -> dict[str, Any]:
    """Full numbers with the reader's separators ("150.000"), never SI suffixes ("150k", "1M")."""
    return {"exponentformat": "none", "separatethousands": True} if lang == "es" else {}


RATIO_PARTS = {"en": "The figures behind the shares", "es": "Las cifras de las que salen los porcentajes"}


def _panel_heading(rows: list[dict], unit_text: str, lang: str, ratio: bool = False) -> str:
    """The second panel's own heading, at most two lines and never cut (a phone has little room between the
    panels): what it measures and in what unit ("Brazil's oil production and Brazil's oil consumption, TWh"); when
    every measure does not fit, the rest are counted ("and 2 more"), as the legend names them all."""
    # A heading names measures; the legend keeps the qualifiers ("(crude and products, each a mark)").
    names = list(dict.fromkeys(re.sub(r"\s*\([^)]*\)", "", n) for n in (_text(r, lang) for r in rows) if n))
    if not names:
        return unit_text
    and_word = " and " if lang == "en" else " y "
    names = [names[0], *(inner(n, lang) for n in names[1:])]
    for shown in range(len(names), 0, -1):
        head, rest = names[:shown], len(names) - shown
        if rest:
            measure = ", ".join(head) + and_word + _more_words(rest, lang)
        else:
            measure = ", ".join(head[:-1]) + and_word + head[-1] if len(head) > 1 else head[0]
        if rest and ratio:  # under a share, "and 2 more" says less than what the panel is for
            return wrap(f"{RATIO_PARTS.get(lang, RATIO_PARTS['en'])}, {unit_text}", HEADING_CHARS)
        lines = wrap(f"{measure}, {unit_text}", HEADING_CHARS).split("<br>")
        if len(lines) <= 2:
            return "<br>".join(lines)
    return "<br>".join(lines)


def inner(name: str, lang: str) -> str:
    """A Spanish name inside a sentence starts with a lower-case article ("… como % de las entregas mexicanas")."""
    first, _, rest = name.partition(" ")
    if lang == "es" and first in SPANISH_LOWER and rest:
        return f"{first.lower()} {rest}"
    return name


# Spanish words that open a series name and are written lower case inside a sentence (never proper nouns).
SPANISH_LOWER = ("La", "Las", "El", "Los", "Consumo", "Producción", "Entregas", "Proporción", "Promedio")


def _more_words(n: int, lang: str) -> str:
    if lang == "es":
        return f"{n} más"
    return f"{n} more"


HEADING_CHARS = 38  # one line of the heading at 375 px, 12 px type (the plot is ~280 px wide)


def second_panel_rows(data: EvidenceInput, second: list[dict]) -> tuple[list[dict], list[dict]]:
    """Rows the lower panel draws, and rows it leaves to the table. Under a ratio the lower panel shows the two
    figures the ratio is made of; when both have other reports from many publishers (two pooled grey "other
    reports" entries), they would double the key on a phone, so they are left to the table and named under the
    chart. One pooled series (e.g. the denominator's history) stays drawn."""
    if data.kind != "ratio_range":
        return second, []
    pooled: set[str] = set()
    for group in _series_groups(second):
        others = {r.get("publisher", "") for r in group.rows if r.get("role") != "evidence"}
        if len(others) > MANY_PUBLISHERS:
            pooled.add(group.series)
    if len(pooled) < 2:  # one pooled entry is one key line (e.g. the denominator's history): it stays
        return second, []
    keep = [r for r in second if not (r.get("series") in pooled and r.get("role") != "evidence")]
    return keep, [r for r in second if r.get("series") in pooled and r.get("role") != "evidence"]


def make_evidence_figure(data: EvidenceInput, frame: Frame, words: EvidenceWords) -> Draft:
    """The claim's own axis (its unit), a second panel for one other unit when evidence is in it, on the same time
    axis, the claim drawn on the first panel; rows of further units are left to the table (the chart definition
    says so in a note)."""
    main, second, second_unit, _ = panels(data)
    second, _ = second_panel_rows(data, second)
    if data.kind == "ratio_range":
        main = ratio_rows(data, words) + main
    if not main and second:  # nothing on the claim's axis: the other unit is the only panel (no claim to draw)
        main, second, unit, claimed = second, [], second_unit, {}
    else:
        unit, claimed = norm_unit(data.unit), data.claimed
    if not main:
        return item_figure(data, frame, words)
    # Images (PNG/SVG) are drawn at this height (dashboard/render.py); on a page the card sets it (CSS).
    fig = base_figure(frame, height=IMAGE_HEIGHT_TWO_PANELS if second else IMAGE_HEIGHT)
    # A phone shows the whole key, not a scrolled half of it; one group per entry, so no gap between groups.
    fig.layout["legend"].update(maxheight=0.9, tracegroupgap=2)
    bars = data.kind == "rank_min"
    styles = Styles()
    used = add_rows(fig, main, words, data.lang, unit, ("x", "y"), bars, styles)
    fig.update_layout(barmode="overlay")
    # One time axis for both panels: the same date sits at the same x everywhere in the figure.
    x_main = x_range(main + second, data.claim_period if claimed else None)
    y_main = y_range([r["value"] for r in main], claimed)
    fig.layout["xaxis"].update(range=x_main, **date_ticks(x_main, words.months))
    fig.layout["yaxis"].update(
        range=y_main,
        autorange=False,
        **axis_title(_unit(words, unit)),
        **_whole(unit, y_main),
        **_number_ticks(data.lang),
    )
    if second:
        used |= add_rows(fig, second, words, data.lang, second_unit, ("x2", "y2"), bars, styles)
        heading = _panel_heading(second, _unit(words, second_unit), data.lang, ratio=data.kind == "ratio_range")
        second_top = SECOND_TOP_TWO_LINES if "<br>" in heading else SECOND_TOP
        fig.layout["yaxis"]["domain"] = [second_top + FIRST_BOTTOM_GAP + (SECOND_TOP - second_top), 1.0]
        fig.layout["xaxis2"] = {**fig.layout["xaxis"], "anchor": "y2", "matches": "x"}
        fig.layout["xaxis"]["showticklabels"] = False  # one time axis: its dates are read under the lower panel
        fig.layout["yaxis2"] = {
            **{k: v for k, v in fig.layout["yaxis"].items() if k != "dtick"},  # its own ticks
            "domain": [0.0, second_top],
            "anchor": "x2",
            "range": (y_two := y_range([r["value"] for r in second], {})),
            **axis_title(_unit(words, second_unit)),
            **_whole(second_unit, y_two),
        }
        fig.layout["xaxis"]["anchor"] = "y"
        if y_main[0] == 0:  # the upper panel's "0" sat beside the lower panel's heading ("0 Venezuelan deliveries…",
            # graphics round 8); its baseline is still drawn
            fig.layout["yaxis"]["labelalias"] = {"0": ""}
        fig.add_annotation(
            text=heading,
            xref="paper",
            yref="paper",
            x=0,
            y=second_top,
            xanchor="left",
            yanchor="bottom",
            yshift=4,
            showarrow=False,
            align="left",
            font={"size": 12, "color": "#333"},
        )
    add_key(fig, used, words, bars)
    if claimed and data.claim_period:
        x0, x1 = _visible_period(data.claim_period, x_main)
        fig.add_shape(
            type="rect",
            xref="x",
            yref="y domain",
            x0=x0,
            x1=x1,
            y0=0,
            y1=1,
            fillcolor=PERIOD_FILL,
            line={"width": 0},
            layer="below",
            showlegend=True,
            name=words.claim_period,
        )
    if bars and data.highlight_year is not None:
        year = data.highlight_year
        on_year = [r["value"] for r in main if r["x_start"][:4] == str(year)]
        if on_year:  # at the top of the plot, above every bar, with a leader down to the year's bar; no box
            top = max(r["value"] for r in main) * 1.25
            fig.layout["yaxis"]["range"] = [y_main[0], top]
            fig.add_annotation(
                x=f"{year}-07-02",
                y=max(on_year),
                text=wrap(words.highlight.format(year=year), 22),
                showarrow=True,
                arrowhead=2,
                axref="pixel",
                ayref="y",
                ax=0,
                ay=top * 0.985,
                yanchor="top",
                xanchor="right",
                align="right",
                font={"size": 12, "color": "#000"},
            )
    if claimed:
        with_claim(fig, claimed, words.claim_label, top=y_main[1])
        marks = [(_x_share(r, x_main), r["value"]) for r in main]
        evidence = [(_x_share(r, x_main), r["value"]) for r in main if r.get("role") == "evidence"]
        shaded = _visible_period(data.claim_period, x_main) if data.claim_period else None
        period = (_share_of(shaded[0], x_main), _share_of(shaded[1], x_main)) if shaded else None
        _label_clear_of_data(fig, words.claim_label, [v for v in marks], y_main, evidence, period)
        _room_for_label(fig, words.claim_label, y_main, tall=bool(second), unit=unit)
        if not second:  # a short upper panel has no room for a note below its mark: the chart's notes say it
            _name_marks_on_claim_line(fig, main, claimed, y_main, words, unit, data.lang, x_main)
            _name_latest_without_evidence(fig, main, words, unit, data.lang, x_main)
        for note in fig.layout.get("annotations", []):
            if note.get("text") == words.claim_label and note.get("xanchor") != "right":
                note["align"] = "left"  # a label on two lines reads from the left, as its first line does
    return fig


def item_figure(data: EvidenceInput, frame: Frame, words: EvidenceWords) -> Draft:
    """Rows that are items, not numbers (a list of plants for a count claim): one square per item, stacked per
    list, so the count can be read against the claimed number."""
    items = [r for r in data.rows if not is_number(r.get("value")) and str(r.get("value") or "").strip()]
    if not items or norm_unit(data.unit) != "count":
        return empty_figure(frame, words.no_data)
    fig = base_figure(frame, height=IMAGE_HEIGHT)
    groups = _series_groups(items)
    for i, group in enumerate(groups):
        label = wrap(_text(group.rows[0], data.lang), 18)  # category labels wrapped, never rotated
        fig.add_trace(
            trace(
                "scatter",
                x=[label] * len(group.rows),
                y=list(range(1, len(group.rows) + 1)),
                mode="markers",
                name=label,
                showlegend=False,
                marker={"size": 16, "symbol": SYMBOLS[i % len(SYMBOLS)], "color": PALETTE[i % len(PALETTE)]},
                customdata=[[str(r["value"]), str(r.get("publisher") or "")] for r in group.rows],
                hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            )
        )
    top = y_range([float(len(g.rows)) for g in groups], data.claimed)
    top[1] *= 1.15  # room for the claim's label above the top square
    fig.update_layout(
        xaxis={"type": "category", "automargin": True, "tickangle": 0},
        yaxis={"range": top, "autorange": False, "dtick": 2},
    )
    fig.layout["yaxis"].update(axis_title(_unit(words, "count")))
    with_claim(fig, data.claimed, words.claim_label, top=top[1])
    for note in fig.layout.get("annotations", []):  # between the lists, where no square is (not on the first list's)
        if note.get("text") == words.claim_label:
            note.update(x=0.5, xanchor="center")
    return fig

"""The claim evidence figure's traces: one per series, publisher, role and verification, in time order (periods
across their period, days joined), with colours and symbols handed out once per figure and a key that says once what
lighter, hollow and hatched marks mean."""

from __future__ import annotations

from datetime import date
from typing import Any

from dashboard.figures.common import PALETTE, Draft, trace, wrap
from dashboard.figures.evidence.rows import (
    FLAGGED,
    MANY_PUBLISHERS,
    EvidenceWords,
    context_words,
    lanes,
    mid_day,
    series_groups,
    series_name,
    unit_words,
)
from dashboard.i18n import t

SYMBOLS = ["circle", "square", "diamond", "triangle-up", "pentagon", "hexagon", "star", "triangle-down"]

LEGEND_WRAP = (
    44  # characters per legend line: fits a 375 px phone at 12 px (long Spanish words too; checked in Chromium)
)

DAY_MS = 86_400_000


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
            xs += [start, mid_day(start, end), end]
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
    unit_text = unit_words(words, unit)
    used: set[str] = set()
    for group in series_groups(rows):
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
            base = series_name(part[0], lang)
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
                w for w in (context_words(part[0], words) if context else "", words.flagged if flagged else "") if w
            )
            join = not (context and pooled)
            for lane in lanes(part):
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
                            text=f"≈ {t('evidence_percent', lang, value=round(r['value']))}",
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
    mids = [mid_day(r["x_start"], r.get("x_end") or r["x_start"]) for r in rows]
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

"""Notes beside single marks of the claim evidence figure: a context mark hidden by the claim's line (or a ratio not
counted that sits in the claim's band) and, when nothing is counted, the latest figure the title quotes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dashboard.figures.basic import open_high
from dashboard.figures.common import Draft, wrap
from dashboard.figures.evidence.rows import EvidenceWords, context_words, is_number, mid_day, series_groups, unit_words
from dashboard.i18n import fmt_num, t

ON_LINE = 0.005  # a mark within this share of the y range of the claim's line sits on it (is hidden by it)


def name_marks_on_claim_line(
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
        text = f"{publisher}, {when}: {_value_text(row['value'], unit_words(words, unit), lang)}"
        if row.get("role") != "evidence":
            text = f"{text} {context_words(row, words)}"
        text = wrap(text, 21)  # narrow: at 28 its line ends ran into the next series' first marks on a phone (round 8)
        x = mid_day(row["x_start"], row.get("x_end") or row["x_start"])
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


def name_latest_without_evidence(
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
    first = series_groups(rows)[0].rows
    latest = max(first, key=lambda r: r.get("x_end") or r["x_start"])
    start, end = latest["x_start"][:10], (latest.get("x_end") or latest["x_start"])[:10]
    when = (
        start[:4]
        if start[5:] == "01-01" and end[5:] == "12-31" and start[:4] == end[:4]
        else (f"{words.months[int(end[5:7]) - 1]} {end[:4]}")
    )
    x = mid_day(start, end)
    side = _side(x, x_bounds)
    fig.add_annotation(
        x=x,
        y=latest["value"],
        text=f"{when}: {_value_text(latest['value'], unit_words(words, unit), lang)}",
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
    near = round(value, 1)
    text = fmt_num(value, lang, 0) if abs(value) >= 100 else fmt_num(near, lang, 0 if float(near).is_integer() else 1)
    return t("evidence_percent", lang, value=text) if unit_text == "%" else f"{text} {unit_text}"


def _side(x: str, bounds: list[str] | None) -> str:
    """Which side of a mark its label goes: away from the nearer edge, centred in the middle of the axis."""
    if not bounds:
        return "left"
    first, last = (date.fromisoformat(b[:10]) for b in bounds)
    share = (date.fromisoformat(x[:10]) - first) / max(last - first, timedelta(days=1))
    return "left" if share < 0.3 else "right" if share > 0.7 else "center"

"""Where the claim's label goes on its line (or band): the place that hides the fewest marks on a phone, evidence
marks weighted most, with headroom for a label of two lines. Phone sizes in px are estimates of a 375 px screen."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dashboard.figures.common import Draft
from dashboard.figures.evidence.rows import mid_day

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


def place_claim_label(
    fig: Draft,
    label: str,
    marks: list[tuple[float, float]],
    bounds: list[float],
    evidence: list[tuple[float, float]],
    period: tuple[float, float] | None = None,
    obstacles: list[tuple[float, float, float, float]] = (),
) -> tuple[float, float, float, float] | None:
    """Put the claim's label where it hides the fewest marks: at the left end of its line (indented from the axis),
    at its right end, or just before the shaded claim period; above or below a line, inside, above or under a band.
    Marks are (x share of the axis, value); an evidence mark counts ten times (an evidence mark hidden by the claim's
    own label is the worst case), crossing the claim's period (x shares) counts PERIOD_COST."""
    note = next((a for a in reversed(fig.layout.get("annotations", [])) if a.get("text") == label), None)
    if note is None or note.get("yanchor") not in ("top", "bottom"):
        return None
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
        # a note already on the plot (a named mark's callout) is as bad to cover as an evidence mark
        notes = sum(9 for a0, a1, b0, b1 in obstacles if a0 < x1 and a1 > x0 and b0 < v1 and b1 > v0)
        return hidden + notes + (PERIOD_COST if crosses else 0) + (cramped if place[0] == "above" else 0.0)

    places = [(row, end) for end in ends for row in rows]  # ties: the first (the left end, above a line)
    row, end = min(places, key=cost)
    note.update({**rows[row][2], **ends[end][2]})
    return ends[end][0], ends[end][1], rows[row][0], rows[row][1]


def share_of(day: str, bounds: list[str]) -> float:
    """Where a day sits along the time axis, 0 (left) to 1 (right)."""
    first, last = (date.fromisoformat(b[:10]) for b in bounds)
    return (date.fromisoformat(day[:10]) - first) / max(last - first, timedelta(days=1))


def x_share(row: dict, bounds: list[str]) -> float:
    """Where a row's mark sits along the time axis, 0 (left) to 1 (right)."""
    first, last = (date.fromisoformat(b[:10]) for b in bounds)
    mid = date.fromisoformat(mid_day(row["x_start"], row.get("x_end") or row["x_start"])[:10])
    return (mid - first) / max(last - first, timedelta(days=1))


NATURAL_TOP = {"hours_per_day": 24.0}  # an axis that need not run past this for a label's room (27 h in a day read
# as data, graphics round 8)


def room_for_label(fig: Draft, label: str, bounds: list[float], tall: bool, unit: str = "") -> None:
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


def is_callout(note: dict) -> bool:
    """A note with an arrow to a mark, offset in px (not a rank claim's leader from the plot's top, in data units)."""
    return (
        bool(note.get("showarrow"))
        and note.get("xref", "x") == "x"
        and note.get("yref", "y") == "y"
        and (note.get("ayref") in (None, "pixel"))
    )


CALLOUT_CHAR_PX = 6.2  # an 11-12 px callout's mean glyph width
CALLOUT_LINE_PX = 15


def callout_boxes(fig: Draft, x_bounds: list[str], y_bounds: list[float], panels: bool) -> list[tuple]:
    """Where the notes with an arrow (a named mark's callout) sit on a phone, as (x0, x1, value0, value1) in the
    label placement's terms: the claim's label is then placed clear of them (it ran into "2024: 82,3 %", round 8b)."""
    span = y_bounds[1] - y_bounds[0]
    height = PHONE_PANELS_HEIGHT_PX if panels else PHONE_PLOT_HEIGHT_PX
    boxes = []
    for note in fig.layout.get("annotations", []):
        if not is_callout(note):
            continue
        lines = str(note.get("text") or "").split("<br>")
        width = max(len(re.sub(r"<[^>]+>", "", line)) for line in lines) * CALLOUT_CHAR_PX + 6
        tail_x, tail_y = float(note.get("ax") or 0), float(note.get("ay") or 0)  # px from the mark; y down
        left = {"left": tail_x, "right": tail_x - width}.get(note.get("xanchor"), tail_x - width / 2)
        top = tail_y if note.get("yanchor") == "top" else tail_y - len(lines) * CALLOUT_LINE_PX
        x = share_of(str(note["x"]), x_bounds)
        value = float(note["y"])
        boxes.append(
            (
                x + left / PHONE_PLOT_PX,
                x + (left + width) / PHONE_PLOT_PX,
                value - (top + len(lines) * CALLOUT_LINE_PX) / height * span,
                value - top / height * span,
            )
        )
    return boxes


def callouts_below(
    fig: Draft,
    region: tuple[float, float, float, float] | None,
    boxes: list[tuple[float, float, float, float]],
    y_bounds: list[float],
    panels: bool,
) -> None:
    """A callout the claim's label still covers (no place was free of it) moves down, under the label. `boxes` are
    the callouts' places as `callout_boxes` measured them before the label was placed."""
    if region is None:
        return
    x0, x1, v0, v1 = region
    span = y_bounds[1] - y_bounds[0]
    height = PHONE_PANELS_HEIGHT_PX if panels else PHONE_PLOT_HEIGHT_PX
    notes = [a for a in fig.layout.get("annotations", []) if is_callout(a)]
    for note, (a0, a1, b0, b1) in zip(notes, boxes, strict=True):
        if a0 < x1 and a1 > x0 and b0 < v1 and b1 > v0 and note.get("yanchor") == "top":
            note["ay"] = max(float(note.get("ay") or 0), (float(note["y"]) - v0) / span * height + 6)

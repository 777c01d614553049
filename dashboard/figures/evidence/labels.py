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


def _label_reach(label: str) -> float:
    """The share of a phone's plot width the label's longest line covers (at least LABEL_EXTENT)."""
    longest = max((len(re.sub(r"<[^>]+>", "", line)) for line in label.split("<br>")), default=0)
    return min(1.0, max(LABEL_EXTENT, (longest * LABEL_CHAR_PX + 8) / PHONE_PLOT_PX))


def place_claim_label(
    fig: Draft, label: str, marks: list[tuple[float, float]], bounds: list[float], evidence: list[tuple[float, float]]
) -> None:
    """Put the claim's label where it hides the fewest marks: at either end of its line, above or below it (marks
    are (x share of the axis, value); an evidence mark counts ten times, for an evidence mark hidden by the claim's
    own label is the worst case). A band's label stays inside the band, or goes above it when the band is crowded."""
    note = next((a for a in reversed(fig.layout.get("annotations", [])) if a.get("text") == label), None)
    if note is None:
        return
    line, span = float(note["y"]), bounds[1] - bounds[0]
    domain = (fig.layout.get("yaxis") or {}).get("domain") or [0, 1]
    lines = label.count("<br>") + 1  # a label of five lines reaches far above its line on a phone
    tall = lines * LABEL_LINE_PX / (PHONE_PLOT_HEIGHT_PX * (domain[1] - domain[0])) * span
    near = max(0.15 * span, tall)
    reach = _label_reach(label)
    if note.get("yanchor") == "top":  # a band's label: inside the band under its top edge, above that edge, or
        # under the band's bottom edge, wherever fewer marks in its reach are hidden (a cargo hidden, round 7; the
        # oil-and-gas shares along the top of the 80-95 % band, round 8)
        low = next(
            (
                float(sh["y0"])
                for sh in fig.layout.get("shapes", [])
                if sh.get("type") == "rect" and sh.get("y1") == line
            ),
            line,
        )
        weighted = [(x, v, 1) for x, v in marks] + [(x, v, 9) for x, v in evidence]
        rows = {
            "inside": (line - near, line, {}),
            "above": (line, line + near, {"yanchor": "bottom", "yshift": 3}),
            "under": (low - near, low, {"y": low, "yshift": -3}),
        }
        if line + near > bounds[1] * 1.0001:
            del rows["above"]
        if low - tall < bounds[0] or low == line:
            del rows["under"]
        ends = {"left": (0.0, reach, {}), "right": (1 - reach, 1.0, {"x": 1, "xanchor": "right", "align": "right"})}
        places = [(row, end) for end in ends for row in rows]  # (ties: the first, inside the band at the left)

        def cost(place: tuple[str, str]) -> int:
            (v0, v1, _), (x0, x1, _) = rows[place[0]], ends[place[1]]
            return sum(w for x, v, w in weighted if v0 <= v <= v1 and x0 <= x <= x1)

        row, end = min(places, key=cost)
        note.update({**rows[row][2], **ends[end][2]})
        return
    if note.get("yanchor") != "bottom":
        return

    def hidden(side: str, end: str) -> int:
        in_reach = (lambda x: x <= reach) if end == "left" else (lambda x: x >= 1 - reach)
        in_band = (lambda v: line < v <= line + near) if side == "above" else (lambda v: line - near <= v < line)
        count = sum(1 for x, v in marks if in_reach(x) and in_band(v))
        return count + 9 * sum(1 for x, v in evidence if in_reach(x) and in_band(v))

    places = [("above", "left"), ("below", "left"), ("above", "right"), ("below", "right")]
    if line - tall < bounds[0]:  # no room under the line
        places = [p for p in places if p[0] == "above"]
    # above a line near the top, a label of two lines would stretch the axis past the data (27 h on an hours-a-day
    # axis): below it is as good when it hides no more
    cramped = 0.5 if bounds[1] - line < tall and len(places) > 2 else 0.0
    side, end = min(places, key=lambda p: hidden(*p) + (cramped if p[0] == "above" else 0.0))  # ties: the first
    if side == "below":
        note.update(yanchor="top", yshift=-5)
    if end == "right":
        note.update(x=1, xanchor="right", align="right")


def x_share(row: dict, bounds: list[str]) -> float:
    """Where a row's mark sits along the time axis, 0 (left) to 1 (right)."""
    first, last = (date.fromisoformat(b[:10]) for b in bounds)
    mid = date.fromisoformat(mid_day(row["x_start"], row.get("x_end") or row["x_start"])[:10])
    return (mid - first) / max(last - first, timedelta(days=1))


def room_for_label(fig: Draft, label: str, bounds: list[float], tall: bool) -> None:
    """A claim label of two lines above its line needs more headroom than one line, most of all in the short upper
    panel of a two-panel chart on a phone; without it the first line is cut at the top of the image."""
    note = next((a for a in reversed(fig.layout.get("annotations", [])) if a.get("text") == label), None)
    if note is None or note.get("yanchor") != "bottom" or "<br>" not in label:
        return
    line = float(note["y"])
    share = 0.6 if tall else 0.35  # of the distance from the axis' bottom to the line
    top = max(bounds[1], line + share * (line - bounds[0]))
    if top > bounds[1]:
        for shape in fig.layout.get("shapes", []):  # an open band shaded to the old top follows it
            if shape.get("yref") == "y" and shape.get("y1") == bounds[1]:
                shape["y1"] = top
        fig.layout["yaxis"]["range"] = [bounds[0], top]

"""The claim evidence figure itself: the claim's own axis, a second panel for one other unit, the claim drawn on
the first with its period shaded, label placed and marks named; or one square per item for a count of items."""

from __future__ import annotations

from dashboard.figures.basic import with_claim
from dashboard.figures.common import PALETTE, Draft, Frame, axis_title, base_figure, empty_figure, trace, wrap
from dashboard.figures.evidence.axes import (
    FIRST_BOTTOM_GAP,
    SECOND_TOP,
    SECOND_TOP_TWO_LINES,
    date_ticks,
    number_ticks,
    panel_heading,
    visible_period,
    whole_ticks,
    x_range,
    y_range,
)
from dashboard.figures.evidence.labels import (
    callout_boxes,
    callouts_below,
    place_claim_label,
    room_for_label,
    share_of,
    x_share,
)
from dashboard.figures.evidence.notes import name_latest_without_evidence, name_marks_on_claim_line
from dashboard.figures.evidence.rows import (
    EvidenceInput,
    EvidenceWords,
    is_number,
    norm_unit,
    panels,
    ratio_rows,
    second_panel_rows,
    series_groups,
    series_name,
    unit_words,
)
from dashboard.figures.evidence.traces import SYMBOLS, Styles, add_key, add_rows

IMAGE_HEIGHT, IMAGE_HEIGHT_TWO_PANELS = 600, 740
PERIOD_FILL = "rgba(120,120,190,0.16)"  # the claim period: a pale blue-grey, unlike any series colour


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
        **axis_title(unit_words(words, unit)),
        **whole_ticks(unit, y_main),
        **number_ticks(data.lang),
    )
    if second:
        used |= add_rows(fig, second, words, data.lang, second_unit, ("x2", "y2"), bars, styles)
        heading = panel_heading(second, unit_words(words, second_unit), data.lang, ratio=data.kind == "ratio_range")
        second_top = SECOND_TOP_TWO_LINES if "<br>" in heading else SECOND_TOP
        fig.layout["yaxis"]["domain"] = [second_top + FIRST_BOTTOM_GAP + (SECOND_TOP - second_top), 1.0]
        fig.layout["xaxis2"] = {**fig.layout["xaxis"], "anchor": "y2", "matches": "x"}
        fig.layout["xaxis"]["showticklabels"] = False  # one time axis: its dates are read under the lower panel
        fig.layout["yaxis2"] = {
            **{k: v for k, v in fig.layout["yaxis"].items() if k != "dtick"},  # its own ticks
            "domain": [0.0, second_top],
            "anchor": "x2",
            "range": (y_two := y_range([r["value"] for r in second], {})),
            **axis_title(unit_words(words, second_unit)),
            **whole_ticks(second_unit, y_two),
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
        x0, x1 = visible_period(data.claim_period, x_main)
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
        marks = [(x_share(r, x_main), r["value"]) for r in main]
        evidence = [(x_share(r, x_main), r["value"]) for r in main if r.get("role") == "evidence"]
        shaded = visible_period(data.claim_period, x_main) if data.claim_period else None
        period = (share_of(shaded[0], x_main), share_of(shaded[1], x_main)) if shaded else None
        if not second:  # a short upper panel has no room for a note below its mark: the chart's notes say it
            name_marks_on_claim_line(fig, main, claimed, y_main, words, unit, data.lang, x_main)
            name_latest_without_evidence(fig, main, words, unit, data.lang, x_main)
        callouts = callout_boxes(fig, x_main, y_main, panels=bool(second))
        region = place_claim_label(fig, words.claim_label, [v for v in marks], y_main, evidence, period, callouts)
        callouts_below(fig, region, callouts, y_main, panels=bool(second))
        room_for_label(fig, words.claim_label, y_main, tall=bool(second), unit=unit)
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
    groups = series_groups(items)
    for i, group in enumerate(groups):
        label = wrap(series_name(group.rows[0], data.lang), 18)  # category labels wrapped, never rotated
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
    fig.layout["yaxis"].update(axis_title(unit_words(words, "count")))
    with_claim(fig, data.claimed, words.claim_label, top=top[1])
    for note in fig.layout.get("annotations", []):  # between the lists, where no square is (not on the first list's)
        if note.get("text") == words.claim_label:
            note.update(x=0.5, xanchor="center")
    return fig

"""Claim evidence charts: exactly the rows the verdict engine published behind a label (`evidence_rows`), drawn as a
graphics desk would — one trace per series and publisher in time order, periods across their period, one unit per
axis, context lighter and named as context, unverified or conflicting rows hollow — with the claim drawn inside a
range set by the data. Pure: rows and words in, a Draft out; the chart definition chooses rows and words.

The figure is drawn in steps, one module each: `rows` (input, words, which rows go where), `traces` (rows to traces and
the key), `axes` (ranges, ticks, panel heading), `labels` (the claim label's place), `notes` (marks named beside them)
and `figure` (the whole, in order). The names other modules use are imported here."""

from dashboard.figures.evidence.figure import item_figure, make_evidence_figure
from dashboard.figures.evidence.rows import (
    EvidenceInput,
    EvidenceWords,
    drawable,
    far_context,
    inner,
    is_day,
    is_number,
    norm_unit,
    panels,
    ratio_rows,
    second_panel_rows,
)

__all__ = [
    "EvidenceInput",
    "EvidenceWords",
    "drawable",
    "far_context",
    "inner",
    "is_day",
    "is_number",
    "item_figure",
    "make_evidence_figure",
    "norm_unit",
    "panels",
    "ratio_rows",
    "second_panel_rows",
]

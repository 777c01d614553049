"""The claim charts' words: their catalogue keys (claim_chart_*, claim_unit_*, claim_role_*) read in one language,
the units a claim is in, and how many publishers an image names. Shared by the chart definition and its notes."""

from __future__ import annotations

from dashboard.i18n import STRINGS, t

CLAIM_WORDS = (  # the claim charts' words, in the catalogue as claim_chart_<key> (templates, filled here)
    "context",
    "flagged",
    "not_counted",
    "context_key",
    "flagged_key",
    "not_counted_key",
    "publishers",
    "other_reports",
    "ratio",
    "claim_period",
    "read_here",
    "more",
    "how_line",
    "how_band",
    "how_rank",
    "off_scale",
    "highlight",
    "subtitle",
    "subtitle_rank",
    "left_out",
    "pooled_left_out",
    "uncounted_ratio",
    "more_sources",
    "translated",
    "context_from",
    "context_from_one",
)
UNITS = tuple(
    f"claim_unit_{u}"
    for u in (
        "pct",
        "bbl_per_day",
        "persons",
        "people",
        "count",
        "mw",
        "km",
        "hours_per_day",
        "hours",
        "hours_per_year",
        "years",
        "bbl",
        "twh",
        "cargoes",
        "pct_of_installed_capacity",
    )
)  # the catalogue keys of the units a claim is in


def claim_words(lang: str) -> dict[str, str]:
    """The claim charts' words in `lang`, as templates ("{n} publishers")."""
    return {key: t(f"claim_chart_{key}", lang) for key in CLAIM_WORDS}


SOURCES_SHORT = 3  # publishers named in an image or embed; the rest as "+N more" (all listed with the chart)


def role_name(role: str, lang: str) -> str:
    """A row's role ("evidence", "context") as the table names it."""
    key = f"claim_role_{role}"
    return t(key, lang) if key in STRINGS else role


def unit_label(unit: str | None, lang: str) -> str:
    if not unit:
        return ""
    key = f"claim_unit_{unit}"
    return t(key, lang) if key in UNITS else unit.replace("_", " ")

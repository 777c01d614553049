"""Which note a date of the UNE daily series uses, and what else was seen for it.

One note per date (the morning note of the archive or Cubadebate; another outlet's copy where those miss the date;
a cited press point where no note exists). Every other candidate is kept as an alternate, and where an outlet's copy
and the note used state different figures both are kept as a conflict: the choice is published, never silent.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from etl.une.daily.plausibility import MW_FIELDS


def _is_morning(published_at: str) -> bool:
    time = str(published_at)[11:16]
    return bool(time) and time < "12:00"


def choose_notes(notes: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """One note per date: the morning note (the daily report), earliest first; the others are recorded."""
    if notes.empty:
        return notes, []
    ranked = notes.assign(
        _morning=~notes["published_at"].map(_is_morning), _at=notes["published_at"].astype(str)
    ).sort_values(["date", "_morning", "_at", "url"])
    kept = ranked.drop_duplicates("date", keep="first")
    others = ranked[~ranked.index.isin(kept.index)]
    alternates = []
    kept_by_date = kept.set_index("date")
    for row in others.itertuples(index=False):
        base = kept_by_date.loc[row.date]
        differing = [
            f
            for f in ("peak_demand_mw", "peak_affectation_mw", "prev_day_max_affectation_mw")
            if not _same(getattr(row, f), base[f])
        ]
        alternates.append(
            {
                "date": row.date,
                "kept_url": base["url"],
                "other_url": row.url,
                "other_source": "note",
                "reason": "a later or second note for the same date",
                "differing_fields": ", ".join(differing),
            }
        )
    return kept.drop(columns=["_morning", "_at"]), alternates


def _same(a: Any, b: Any) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)) or a is pd.NA:
        return b is None or (isinstance(b, float) and math.isnan(b)) or b is pd.NA
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)


def press_rows(press: pd.DataFrame, dates_with_notes: set[str]) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Press points for dates without a parsed note; one per date (confirmed first), the rest recorded."""
    press = press[~press["date"].isin(dates_with_notes)].copy()
    if press.empty:
        return press, []
    press["_rank"] = press["verification"].map({"confirmed": 0, "unverified": 1, "conflicting": 2}).fillna(3)
    press = press.sort_values(["date", "_rank", "publisher", "url"])
    kept = press.drop_duplicates("date", keep="first")
    alternates = []
    base = kept.set_index("date")
    for row in press[~press.index.isin(kept.index)].itertuples(index=False):
        differing = [
            f
            for f in ("peak_demand_mw", "peak_affectation_mw", "prev_day_max_affectation_mw")
            if not _same(getattr(row, f), base.loc[row.date, f])
        ]
        alternates.append(
            {
                "date": row.date,
                "kept_url": base.loc[row.date, "url"],
                "other_url": row.url,
                "other_source": "press point",
                "reason": f"another outlet ({row.publisher})",
                "differing_fields": ", ".join(differing),
            }
        )
    return kept.drop(columns=["_rank"]), alternates


# -- the secondary source: the same note republished by other outlets (une_notes_outlets) ---------------------------
#: Two figures for one field and date are the same figure when they differ by at most this much (MW, or MWh for the
#: solar energy): outlets write "1 450" or "1.450", they do not report different grids. Beyond it, a conflict.
ROUNDING_TOLERANCE = 1.0
NUMERIC_FIELDS = (*MW_FIELDS, "solar_energy_mwh")
BOOLEAN_FIELDS = ("prev_day_affected_all_day", "total_grid_collapse")
# The fields two copies of a note are compared on: the figures and their times. Not the yes/no fields: the parser
# reads False where a note does not say (no "24 horas", no collapse), and a copy that leaves a sentence out does not
# contradict the one that keeps it.
CONFLICT_FIELDS = (*NUMERIC_FIELDS, "prev_day_max_affectation_time", "morning_time")
PRIMARY_PUBLISHER = "Cubadebate (UNE note)"
CONFLICT_COLUMNS = [
    "date",
    "field",
    "primary_value",
    "primary_url",
    "primary_publisher",
    "secondary_value",
    "secondary_url",
    "secondary_publisher",
    "difference",
]


def _absent(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _as_bool(value: Any) -> bool:
    return value.strip().lower() in ("true", "1") if isinstance(value, str) else bool(value)


def differs(field: str, a: Any, b: Any) -> bool:
    """Both notes state the field and the values are not the same beyond rounding."""
    if _absent(a) or _absent(b):
        return False
    if field in NUMERIC_FIELDS:
        return abs(float(a) - float(b)) > ROUNDING_TOLERANCE
    if field in BOOLEAN_FIELDS:
        return _as_bool(a) != _as_bool(b)
    return str(a).strip() != str(b).strip()


def _shown(field: str, value: Any) -> str:
    """A value as the conflicts table writes it: 1450, 20:10, true."""
    if field in BOOLEAN_FIELDS:
        return "true" if _as_bool(value) else "false"
    if field in NUMERIC_FIELDS:
        number = float(value)
        return str(int(number)) if number.is_integer() else f"{number:.2f}".rstrip("0")
    return str(value)


def merge_outlet_notes(
    primary: pd.DataFrame, secondary: pd.DataFrame | None, rank: dict[str, int]
) -> tuple[pd.DataFrame, list[dict[str, Any]], list[dict[str, Any]]]:
    """The other outlets' notes as a secondary source. Returns the notes that fill dates the primary (Cubadebate:
    archive and live) lacks, one per date from the outlet first in `rank`; the other outlets' notes as alternates;
    and, for every field where an outlet's note and the note used for that date both give a value and they differ
    beyond rounding, a conflict row with both values and both URLs. A conflict is published, never dropped; the
    value used is the primary's (or the preferred outlet's on a filled date)."""
    empty = pd.DataFrame(columns=[*primary.columns, "outlet"])
    if secondary is None or secondary.empty:
        return empty, [], []
    ranked = secondary.assign(_rank=secondary["outlet"].map(rank).fillna(len(rank)))
    ranked = ranked.sort_values(["date", "_rank", "url"]).drop(columns=["_rank"])
    ranked = ranked.assign(publisher=ranked["publisher"].astype(str) + " (UNE note)")
    fill = ranked[~ranked["date"].isin(set(primary["date"]))].drop_duplicates("date", keep="first")
    used = pd.concat([primary, fill], ignore_index=True).set_index("date")
    alternates: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    for row in ranked[~ranked.index.isin(fill.index)].to_dict("records"):
        base = used.loc[row["date"]]
        differing = [f for f in CONFLICT_FIELDS if differs(f, base[f], row[f])]
        alternates.append(
            {
                "date": row["date"],
                "kept_url": base["url"],
                "other_url": row["url"],
                "other_source": "outlet note",
                "reason": f"the same day's note as republished by another outlet ({row['publisher']})",
                "differing_fields": ", ".join(differing),
            }
        )
        for field in differing:
            numeric = field in NUMERIC_FIELDS
            conflicts.append(
                {
                    "date": row["date"],
                    "field": field,
                    "primary_value": _shown(field, base[field]),
                    "primary_url": base["url"],
                    "primary_publisher": base["publisher"],
                    "secondary_value": _shown(field, row[field]),
                    "secondary_url": row["url"],
                    "secondary_publisher": row["publisher"],
                    "difference": float(row[field]) - float(base[field]) if numeric else None,
                }
            )
    return fill, alternates, conflicts

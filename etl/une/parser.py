"""Deterministic parser for the daily notes of Cuba's Unión Eléctrica (UNE): the note-level driver.

The UNE publishes one note a day (republished by Cubadebate and other outlets) with the evening-peak
forecast, the previous day's largest load cut, an early-morning snapshot and the plants out of
service. The notes are formulaic Spanish prose whose wording drifts between outlets and years, so the
parser works in three steps, all pure and regex-based:

1. ``strip_boilerplate`` removes page chrome and related-article tails (they carry other notes'
   headlines with other MW figures);
2. ``_normalize`` makes numbers, units and times uniform ("1 124", "1.124", "1,124" -> "1124";
   "p.m." -> "pm"; "megawatts" -> "MW") so that the field regexes can stay simple;
3. each field is read from the sentence that states it; the scope of a figure (evening peak,
   morning snapshot, midday, previous day) is decided by the cue words nearest to it.

A field the note does not state is ``None``. Text that is not a UNE note yields only nulls, and
``parse_note`` never raises: the ETL feeds it whatever a fetch returned.

This module holds the public API: the field list, the detector that says whether a text is a note (and why
not), and ``parse_note``, which runs the steps. The steps live beside it, one job each: ``normalize``
(steps 1-2), ``lexicon`` (cue words), ``numbers`` (figures and times), ``grid_fields``, ``generation_fields``
and ``units`` (the field extractors of step 3).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from etl.une.generation_fields import _dg_out, _grid_collapse, _out_of_fuel, _solar
from etl.une.grid_fields import (
    _AVAIL_FIG_RE,
    _all_day,
    _avail_statements,
    _midday,
    _morning_fields,
    _peak_fields,
    _prev_day_max,
    _thermal,
)
from etl.une.lexicon import _MAX_AFF_RE
from etl.une.normalize import _normalize, _sentences, strip_boilerplate
from etl.une.units import CANONICAL_PLANTS, _units

__all__ = [
    "CANONICAL_PLANTS",
    "FIELDS",
    "looks_like_une_note",
    "note_rejection",
    "parse_note",
    "parse_note_with_reason",
    "strip_boilerplate",
]

FIELDS: tuple[str, ...] = (
    "peak_availability_mw",
    "peak_demand_mw",
    "peak_deficit_mw",
    "peak_affectation_mw",
    "prev_day_max_affectation_mw",
    "prev_day_max_affectation_time",
    "prev_day_affected_all_day",
    "morning_availability_mw",
    "morning_demand_mw",
    "morning_affected_mw",
    "morning_time",
    "midday_affectation_mw",
    "thermal_limitations_mw",
    "units_breakdown",
    "units_maintenance",
    "distributed_generation_out_mw",
    "out_of_fuel_mw",
    "solar_energy_mwh",
    "total_grid_collapse",
)


_UNE_NAME_RE = re.compile(
    r"Uni[oó]n El[eé]ctrica|\bUNE\b|\bSEN\b|Sistema El[eé]ctrico Nacional|Sistema Electroenerg[eé]tico Nacional|"
    r"OSDE_UNE|\bMINEM\b",
    re.IGNORECASE,
)
_NOTE_SIGNAL_RE = re.compile(
    r"disponibilidad[^.;]{0,120}?\d MW[^.;]{0,60}?demanda"
    r"|(?:m[aá]xima afectaci[oó]n|afectaci[oó]n m[aá]xima)[^.;]{0,120}?\d MW"
    r"|afectaci[oó]n[^.;]{0,60}?\d MW[^.;]{0,60}?(?:horario|hora|pico|d[ií]a|noche)"
    r"|(?:horario|hora) pico[^.;]{0,80}?\d MW"
    r"|d[eé]ficit de (?:capacidad de )?generaci[oó]n",
    re.IGNORECASE,
)


def _prepare(text: Any) -> str:
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8", errors="replace")
    if not isinstance(text, str):
        return ""
    return _normalize(strip_boilerplate(text))


_POWER_CONTEXT_RE = re.compile(
    r"generaci[oó]n|\bpico\b|d[eé]ficit|termoel[eé]ctrica|\bCTE\b|servicio el[eé]ctrico", re.IGNORECASE
)


#: Reasons ``note_rejection`` gives (the parse command and the ETL count rejections by these).
REJECT_EMPTY = "empty or too short"
REJECT_NO_FIGURES = "no UNE figures"
REJECT_NO_STATEMENT = "not a daily note: MW figures but no forecast, maximum cut or availability statement"
REJECT_UNNAMED = "not a daily note: grid figures without the UNE or the grid named"
REJECT_ERROR = "not a daily note: the text could not be read"
_ANY_MW_RE = re.compile(r"\d MWh?\b")


def _rejection(clean: str) -> str | None:
    """None for a note; else why the text is not one (the decision is the detector's, the reason says which test failed)."""
    if len(clean) < 40:
        return REJECT_EMPTY
    signal = _NOTE_SIGNAL_RE.search(clean)
    if signal and _UNE_NAME_RE.search(clean):
        return None
    if signal and _POWER_CONTEXT_RE.search(clean) and (_AVAIL_FIG_RE.search(clean) or _MAX_AFF_RE.search(clean)):
        return None  # Some republished notes never name the UNE but carry its figures.
    if _UNE_NAME_RE.search(clean) and _grid_collapse([clean]) and re.search(r"Uni[oó]n El[eé]ctrica|\bUNE\b", clean):
        return None  # A bare report of a total blackout is still a UNE note (it carries the collapse flag).
    if not _ANY_MW_RE.search(clean):
        return REJECT_NO_FIGURES
    return REJECT_UNNAMED if signal else REJECT_NO_STATEMENT


def note_rejection(text: str) -> str | None:
    """Why ``text`` is not read as a UNE daily note (e.g. "no UNE figures"), or None when it is one."""
    try:
        return _rejection(_prepare(text))
    except Exception:  # noqa: BLE001 - a classifier of arbitrary input must not raise
        return REJECT_ERROR


def looks_like_une_note(text: str) -> bool:
    """True when the text reads like a UNE daily note (or a UNE report of a total blackout)."""
    return note_rejection(text) is None


def _iso_date(note_date: Any) -> str | None:
    if isinstance(note_date, dt.datetime):
        return note_date.date().isoformat()
    if isinstance(note_date, dt.date):
        return note_date.isoformat()
    if isinstance(note_date, str):
        m = re.match(r"\s*(\d{4}-\d{2}-\d{2})", note_date)
        if m:
            try:
                return dt.date.fromisoformat(m.group(1)).isoformat()
            except ValueError:
                return None
    return None


def _empty(date: str | None) -> dict[str, Any]:
    return {"date": date, **dict.fromkeys(FIELDS)}


def _parse_clean(clean: str) -> dict[str, Any]:
    # A sentence pasted twice (republished notes sometimes repeat a paragraph) must not count twice in the sums.
    sentences = list(dict.fromkeys(_sentences(clean)))
    avails = _avail_statements(sentences)
    out: dict[str, Any] = {}
    out.update(_peak_fields(sentences, avails))
    prev_mw, prev_time = _prev_day_max(sentences)
    out["prev_day_max_affectation_mw"] = prev_mw
    out["prev_day_max_affectation_time"] = prev_time
    out["prev_day_affected_all_day"] = _all_day(sentences, prev_mw is not None)
    out.update(_morning_fields(avails, sentences))
    out["midday_affectation_mw"] = _midday(sentences)
    out["thermal_limitations_mw"] = _thermal(sentences)
    out["units_breakdown"], out["units_maintenance"] = _units(sentences)
    out["distributed_generation_out_mw"] = _dg_out(sentences)
    out["out_of_fuel_mw"] = _out_of_fuel(sentences)
    out["solar_energy_mwh"] = _solar(sentences)
    out["total_grid_collapse"] = _grid_collapse(sentences)
    return out


def parse_note(text: str, note_date: str | dt.date | None = None) -> dict[str, Any]:
    """Parse one UNE note into ``{"date": ..., **{field: value}}`` (see ``FIELDS``).

    ``distributed_generation_out_mw`` is the sum of the distributed-generation capacity the note says
    is out by breakdown, by maintenance and for lack of fuel (the parts it states). ``out_of_fuel_mw``
    is the stated total for fuel/lubricant shortages, or the sum of the stated parts. A stated
    "no affectation" is 0; a reserve (no deficit) leaves ``peak_deficit_mw`` None. Never raises:
    anything that is not a UNE note gives all fields None.
    """
    return parse_note_with_reason(text, note_date)[0]


def parse_note_with_reason(text: str, note_date: str | dt.date | None = None) -> tuple[dict[str, Any], str | None]:
    """``parse_note``'s record plus ``note_rejection``'s reason (None for a note), from one pass over the text."""
    date = None
    try:
        date = _iso_date(note_date)
        clean = _prepare(text)
        reason = _rejection(clean)
        if reason is not None:
            return _empty(date), reason
        result = _empty(date)
        result.update(_parse_clean(clean))
        return result, None
    except Exception:  # noqa: BLE001 - the ETL must survive any input; tests check this path is unused
        return _empty(date), REJECT_ERROR

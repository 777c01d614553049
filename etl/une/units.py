"""The generating units a UNE note lists as out by breakdown or in maintenance, with the plant names they are read
against (``CANONICAL_PLANTS``: the aliases the notes use -> one name per plant).

One module because the unit lists are the only structured (list-shaped) field of the note, and the plant lexicon is
what makes their items comparable across outlets and years.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from etl.une.lexicon import _FORECAST_RE, _PAREN_RE, _RETURN_RE
from etl.une.numbers import _MW_RE

# --------------------------------------------------------------------------------------------------
# Plants
# --------------------------------------------------------------------------------------------------

_GUITERAS = "Antonio Guiteras"
_FELTON = "Lidio Ramón Pérez (Felton)"
_MARIEL = "Máximo Gómez (Mariel)"
_CIENFUEGOS = "Carlos Manuel de Céspedes (Cienfuegos)"
_NUEVITAS = "Diez de Octubre (Nuevitas)"
_SANTA_CRUZ = "Ernesto Guevara (Santa Cruz)"
_RENTE = "Antonio Maceo (Renté)"
_TALLAPIEDRA = "Otto Parellada (Tallapiedra)"

#: Alias (lower case, as written in the notes) -> canonical plant name. Lookups fold accents and case.
CANONICAL_PLANTS: dict[str, str] = {
    "antonio guiteras": _GUITERAS,
    "guiteras": _GUITERAS,
    "cte guiteras": _GUITERAS,
    "lidio ramón pérez": _FELTON,
    "lidio ramon perez": _FELTON,
    "felton": _FELTON,
    "cte felton": _FELTON,
    "máximo gómez": _MARIEL,
    "maximo gomez": _MARIEL,
    "cte máximo gómez": _MARIEL,
    "mariel": _MARIEL,
    "cte mariel": _MARIEL,
    "carlos manuel de céspedes": _CIENFUEGOS,
    "carlos manuel de cespedes": _CIENFUEGOS,
    "céspedes": _CIENFUEGOS,
    "cienfuegos": _CIENFUEGOS,
    "diez de octubre": _NUEVITAS,
    "10 de octubre": _NUEVITAS,
    "nuevitas": _NUEVITAS,
    "ernesto guevara": _SANTA_CRUZ,
    "ernesto che guevara": _SANTA_CRUZ,
    "che guevara": _SANTA_CRUZ,
    "santa cruz": _SANTA_CRUZ,
    "santa cruz del norte": _SANTA_CRUZ,
    "antonio maceo": _RENTE,
    "renté": _RENTE,
    "rente": _RENTE,
    "otto parellada": _TALLAPIEDRA,
    "tallapiedra": _TALLAPIEDRA,
    "talla piedra": _TALLAPIEDRA,
}
for _name in {*CANONICAL_PLANTS.values()}:
    CANONICAL_PLANTS.setdefault(_name.lower(), _name)

_ACCENTS = str.maketrans("áéíóúüÁÉÍÓÚÜ", "aeiouuAEIOUU")


def _fold(text: str) -> str:
    """Lower-case and drop Spanish accents without changing the length (positions stay valid)."""
    return text.translate(_ACCENTS).lower()


_FOLDED_ALIASES = {_fold(alias): name for alias, name in CANONICAL_PLANTS.items()}
_PLANT_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(a) for a in sorted(_FOLDED_ALIASES, key=len, reverse=True)) + r")\b"
)

# Units --------------------------------------------------------------------------------------------

_UNIT_CUE_RE = re.compile(r"\baver[ií]as?\b|\bmantenimientos?\b", re.IGNORECASE)
# Applied to the folded (lower-case, accent-free) segment.
_ITEM_SPLIT_RE = re.compile(r" ?[;,:] ?(?:[ye] )?| [ye] (?=(?:la|las|el|los|unidad|unidades|en|cte)\b)")
_UNIT_WORDS = {"uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8}
_UNIT_NUM_RE = re.compile(
    r"\b(\d{1,2}|uno|dos|tres|cuatro|cinco|seis|siete|ocho)\b(?![\d:]| ?(?:mw|horas?|h\b|dias|%))"
)
_NAMED_PLANT_RE = re.compile(r"\bde\s(?:la\s)?(?:CTE\s|CH?E\s|central\s|termoel[eé]ctrica\s|planta\s)?[A-ZÁÉÍÓÚ]")
_NONE_UNITS_RE = re.compile(r"\bno (?:hay|existen|se reportan|se encuentran) (?:unidades|bloques)\b", re.IGNORECASE)


_GRID_ITEM_RE = re.compile(r"l[ií]nea|\bkv\b|subestaci|interruptor|\bredes\b|circuito")


def _split_items(segment: str) -> Iterator[tuple[str, str]]:
    """(original, folded) items of a list; folding keeps the length, so one split serves both."""
    folded = _fold(segment)
    start = 0
    for m in _ITEM_SPLIT_RE.finditer(folded):
        yield segment[start : m.start()], folded[start : m.start()]
        start = m.end()
    yield segment[start:], folded[start:]


def _parse_unit_list(segment: str) -> list[dict[str, Any]]:
    """A list of units ('las unidades 5 y 8 de la CTE X, la Guiteras y las 3 y 6 de Y') -> entries."""
    if "(" in segment:
        segment = _PAREN_RE.sub(" ", segment)
    entries: list[dict[str, Any]] = []
    pending: list[int] = []
    for item, folded in _split_items(segment):
        if not folded.strip():
            continue
        if _GRID_ITEM_RE.search(folded):
            pending = []  # a line, breaker or substation fault, not a generating unit
            continue
        plant_m = _PLANT_RE.search(folded)
        nums_text = folded[: plant_m.start()] if plant_m else folded
        nums = [
            _UNIT_WORDS.get(m.group(1)) or int(m.group(1))
            for m in _UNIT_NUM_RE.finditer(nums_text)
            if not (m.start() and nums_text[m.start() - 1] in ":.")
        ]
        if plant_m is None:
            if _NAMED_PLANT_RE.search(item) or "MW" in item:
                pending = []  # a plant we do not track (Energas, patanas ...): drop its numbers
            else:
                pending.extend(nums)
            continue
        plant = _FOLDED_ALIASES[plant_m.group(0)]
        if not nums:
            after = re.match(r" ?(\d{1,2})\b(?! ?mw)", folded[plant_m.end() :])
            if after:
                nums = [int(after.group(1))]
        units: list[int | None] = [*pending, *nums] or [None]
        pending = []
        for unit in units:
            entry = {"plant": plant, "unit": unit}
            if entry not in entries:
                entries.append(entry)
    return entries


def _units(sentences: list[str]) -> tuple[list[dict[str, Any]] | None, list[dict[str, Any]] | None]:
    breakdown: list[dict[str, Any]] | None = None
    maintenance: list[dict[str, Any]] | None = None
    for s in sentences:
        low = s.lower()
        if "aver" not in low and "mantenim" not in low:
            continue
        cues = list(_UNIT_CUE_RE.finditer(s))
        if not cues:
            continue
        if _FORECAST_RE.search(s[: cues[0].start()]) and _RETURN_RE.search(s[: cues[0].start()]):
            continue  # "se estima la entrada de ... que estaba en mantenimiento"
        for i, cue in enumerate(cues):
            end = cues[i + 1].start() if i + 1 < len(cues) else len(s)
            segment = s[cue.end() : end]
            if _RETURN_RE.search(segment[:40]) or _MW_RE.match(segment.strip(" ,:")):
                continue
            entries = _parse_unit_list(segment)
            is_break = cue.group(0).lower().startswith("aver")
            if not entries:
                if _NONE_UNITS_RE.search(s):
                    if is_break and breakdown is None:
                        breakdown = []
                    elif not is_break and maintenance is None:
                        maintenance = []
                continue
            target = breakdown if is_break else maintenance
            if target is None:
                target = []
                if is_break:
                    breakdown = target
                else:
                    maintenance = target
            for entry in entries:
                if entry not in target:
                    target.append(entry)
    return breakdown, maintenance

"""Reading figures and clock times out of a normalised UNE sentence.

By the time a sentence gets here ``etl.une.normalize`` has made every figure a plain ``1124`` or ``985.9`` followed by
``MW``/``MWh`` and every time ``h:mm am|pm``; these helpers turn those into numbers and ``HH:MM`` strings.
"""

from __future__ import annotations

import re

Number = int | float

_NUM = r"(\d+(?:\.\d{1,2})?)"
_MW_RE = re.compile(_NUM + r" MW\b")


def _to_number(raw: str) -> Number:
    value = float(raw)
    return int(value) if value.is_integer() else value


def _fig(m: re.Match[str]) -> Number:
    """The figure of a match whose alternatives each capture one number."""
    return _to_number(next(g for g in m.groups() if g is not None))


_HOUR_WORDS = {
    "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
}  # fmt: skip
_TIME = (
    r"(?P<h>\d{1,2}|" + "|".join(_HOUR_WORDS) + r")"
    r"(?:\s?[:.]\s?(?P<m>\d{2})(?!\d))?"
    r"(?:\s?(?P<ampm>am|pm)\b|\s?(?P<hrs>horas|hora|hrs|h)\b)?"
    r"(?:,?\s(?:de|en)\s(?:la\s)?(?P<part>mañana|tarde|noche|madrugada))?"
)
_AT_TIME_RE = re.compile(r"\ba\s(?:las?\s?)?" + _TIME, re.IGNORECASE)
_TIME_RE = re.compile(r"\b" + _TIME, re.IGNORECASE)


def _time_from_match(m: re.Match[str]) -> str | None:
    """ "6:20 pm" -> "18:20", "8:50 de la noche" -> "20:50", "19:50 horas" -> "19:50"; None if vague."""
    raw_h, raw_m, ampm, hrs, part = m.group("h", "m", "ampm", "hrs", "part")
    is_word = not raw_h.isdigit()
    if raw_m is None and ampm is None and part is None and (hrs is None or is_word):
        return None
    hour = _HOUR_WORDS[raw_h.lower()] if is_word else int(raw_h)
    minute = int(raw_m) if raw_m else 0
    ampm = (ampm or "").lower()
    part = (part or "").lower()
    if ampm == "pm" or part in ("tarde", "noche"):
        if hour < 12:
            hour += 12
        elif part == "noche" and hour == 12:
            hour = 0
    elif (ampm == "am" or part == "madrugada") and hour == 12:
        hour = 0
    if hour == 24 and minute == 0:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _last_time(regex: re.Pattern[str], text: str) -> str | None:
    found = None
    for m in regex.finditer(text):
        found = _time_from_match(m) or found
    return found


def _first_time(regex: re.Pattern[str], text: str) -> str | None:
    for m in regex.finditer(text):
        value = _time_from_match(m)
        if value is not None:
            return value
    return None

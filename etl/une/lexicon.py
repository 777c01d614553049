"""The UNE parser's shared vocabulary: the cue words that give a figure its scope (forecast, evening peak, midday,
early morning, previous day) and the lower-case pattern type they are written with.

Apart from the field extractors because every family of them (grid figures, generation losses, unit lists) reads
the same cues, and one definition keeps them agreeing on what "forecast" or "peak" means.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator


class _LowerRegex:
    """A pattern written in lower case, applied to the lower-cased text: a case-sensitive scan is two
    to three times faster than re.IGNORECASE on these word alternations. Spanish text keeps its length
    when lower-cased, so match positions stay valid for the original."""

    __slots__ = ("pattern",)

    def __init__(self, pattern: str) -> None:
        assert not re.search(r"\\[ABDSWZ]", pattern), "upper-case escapes would be lower-cased"
        self.pattern = re.compile(pattern.lower())

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(_lower(text))

    def match(self, text: str) -> re.Match[str] | None:
        return self.pattern.match(_lower(text))

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(_lower(text))


@functools.lru_cache(maxsize=512)
def _lower(text: str) -> str:
    """A note's sentences meet a dozen cue patterns each: lower-case each once."""
    return text.lower()


def _lower_re(pattern: str) -> _LowerRegex:
    return _LowerRegex(pattern)


# --------------------------------------------------------------------------------------------------
# Cue words
# --------------------------------------------------------------------------------------------------

_FORECAST_RE = _lower_re(
    r"\b(?:estima\w*|estim[oó]|pronostic\w*|prev[eé]\w*|proyecta\w*|espera\w*|calcula\w*|podr[ií]a\w*|"
    r"generar[ií]a|ser[aá]|se considera|arroja\w*|pron[oó]stico|planifica\w*|"
    r"rondar[aá]|alcanzar[aá]|llegar[aá]|habr[aá]|estar[aá]|tendr[aá]|mantendr[aá]n?|comenzar[aá]n?)\b"
)
_PEAK_RE = _lower_re(
    r"\bpico\b|nocturn|\bnoche\b|m[aá]xima demanda|mayor demanda|mayor consumo|"
    r"\b(?:este|ese) horario\b|\bal pico\b|vespertin"
)
_MIDDAY_RE = _lower_re(
    r"diurn|mediod[ií]a|medio d[ií]a|\bla media\b|horario del d[ií]a|durante el d[ií]a|"
    r"\bla jornada\b|horario de la mañana|\bla mañana\b|en el d[ií]a\b|el resto del d[ií]a"
    # "a partir de las 09:00 horas ... con un máximo de 250 MW": cuts that start in the morning are the daytime's
    r"|\ba partir de las (?:0?[6-9]|1[01])(?:[:.]\d{2}| ?am\b)"
    # "se estima una afectación en el horario de 1 150 MW" (the word "media" dropped); "(conocido como “media")"
    r"|\ben el horario de (?=(?:cerca de |unos )?\d)|[“\"]media\b"
    # "se estima una afectación de 950 MW para el horario de la tarde" (not "tarde-noche", the peak)
    r"|\bhorario de la tarde\b(?!\s*(?:-|/|y)\s*(?:la\s)?noche)"
)
_EARLY_RE = _lower_re(
    r"\ba\s(?:las?\s)?(?:0?[0-9]|1[01]|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once)"
    r"(?:[:.]\d{2})?\s?(?:am\b|horas?\b|h\b|de la (?:mañana|madrugada))"
    r"|\ba\s(?:las?\s)?0\d[:.]\d{2}|\ba\s(?:las?\s)?[1-9]:\d{2}(?!\s?pm)|\bam\b|\(\d{1,2}:\d{2} am\)"
    r"|\b(?:en la|esta|de la) (?:mañana|madrugada)\b|\bestado\b|\bactual\w*|\bhoy\b|\ben estos momentos\b"
)
_STATE_VERB_RE = _lower_re(
    r"\b(?:era|es|fue|eran|son|ascend[ií]a|reporta\w*|hab[ií]a|alcanzaba|se encontraba|registr\w*)\b"
)
_PAST_RE = _lower_re(
    r"\b(?:fue|fueron|alcanz[oó]|se registr[oó]|registrad[oa]|registr[oó]|reportad[oa]|ascendi[oó]|"
    r"lleg[oó]|result[oó]|hubo|se afect[oó]|estuvo|sum[oó]|totaliz[oó]|ocurri[oó]|se produjo|sufri[oó]|"
    r"present[oó]|registrando|alcanzando)\b"
)
_MAX_AFF_RE = _lower_re(
    r"m[aá]xima\s+afectaci[oó]n|afectaci[oó]n\s+m[aá]xima|mayor afectaci[oó]n|mayor d[eé]ficit|\bun m[aá]ximo de"
)
_AVAIL_RE = re.compile(r"\bdisponibilidad\b", re.IGNORECASE)
_NO_AFFECT_RE = _lower_re(
    r"\b(?:no|tampoco|n o) (?:se )?(?:pronostica|prev[eé]|estima|espera)n?\s(?:\w+\s){0,3}?afectaci|"  # "N o": a typo seen
    r"\bno (?:deben |deber[ií]an )?ocurr\w* afectaci|"
    r"\bsin afectaci[oó]n(?:es)? (?:al|en el) servicio|"
    r"\bno (?:se )?(?:afectar[aá]|habr[aá] afectaci|se produzcan afectaci|se afecte)"
)


_AFTER_STOP_RE = re.compile(r"[,;:]| y | e | mientras| con | para una? | lo que ", re.IGNORECASE)


def _nearest_scope(before: str, after: str, sentence_head: str = "") -> str | None:
    """'peak' or 'midday' for a figure: a cue right after it ("... de 750 MW en el horario diurno")
    wins, else the cue closest before it in its clause, else in the sentence before the clause."""
    stop = _AFTER_STOP_RE.search(after)
    after = after[: stop.start() if stop else 90][:90]
    best: tuple[int, str] | None = None
    for scope, regex in (("peak", _PEAK_RE), ("midday", _MIDDAY_RE)):
        m = regex.search(after)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), scope)
    if best:
        return best[1]
    for text in (before, sentence_head):
        for scope, regex in (("peak", _PEAK_RE), ("midday", _MIDDAY_RE)):
            for m in regex.finditer(text):
                dist = len(text) - m.end()
                if best is None or dist < best[0]:
                    best = (dist, scope)
        if best:
            return best[1]
    return None


# A unit or plant returning to service (the fuel list and the unit lists both skip these).
_RETURN_RE = _lower_re(r"\b(?:entrada|recuperaci[oó]n|incorporaci[oó]n|arranque|sincroniza)\w*")
# A parenthesis (an aside that can carry another figure or cue).
_PAREN_RE = re.compile(r"\([^()]*\)")

"""Deterministic parser for the daily notes of Cuba's Unión Eléctrica (UNE).

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
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections.abc import Iterator
from typing import Any

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

Number = int | float


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

# --------------------------------------------------------------------------------------------------
# Boilerplate and normalisation
# --------------------------------------------------------------------------------------------------

_SCRIPT_RE = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]{0,2000}>")
_MONTHS = r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|se?ptiembre|octubre|noviembre|diciembre)"
# Related-article lists: "<headline> 22 mayo 2025 | 17 |".
_HEADLINE_LIST_RE = re.compile(r"\b\d{1,2} (?:de )?" + _MONTHS + r" (?:de )?20\d\d \|", re.IGNORECASE)
_TWEET_SIG_RE = re.compile(
    r"(?:pic\.twitter\.com/\S+|https?://\S+)"
    r"|—\s?[^—()]{0,60}\(@\w+\)\s+\w+ \d{1,2}, \d{4}",
)


# A page title carried into the text ("Situación del SEN para hoy 14 de octubre de 2022 | Ministerio de Energía y
# Minas"): its date before "|" would otherwise read as a related-headline list and cut the note away.
_PAGE_TITLE_RE = re.compile(r"^[^.|]{0,160}\|\s?(?:Ministerio de Energ[ií]a y Minas|MINEM)\b", re.IGNORECASE)


# A news dateline: "Holguín, 22 nov.-", "La Habana, 20 mar (ACN)", "Sancti Spíritus, 3 mar.-".
_DATELINE_RE = re.compile(
    r"\b[A-ZÁÉÍÓÚ][a-záéíóúñü]+(?: (?:de )?[A-ZÁÉÍÓÚ][a-záéíóúñü]+){0,2}, \d{1,2} "
    r"(?:ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic)[a-z]*\.?\s?(?:\([A-Z]{2,6}\)|-|–|—)"
)


# Lower-case markers where page chrome starts: sharing buttons, live-blog controls, "see also" links.
_TAIL_MARKERS = (
    "compartir en facebook",
    "compartir en twitter",
    "compartir en x ",
    "compartir en whatsapp",
    "compartir en telegram",
    "compartir en linkedin",
    "ordenar: cronol",
    "vea además",
    "lea además",
    "vea también",
    "lea también",
    "ver también",
    "ver además",
    "le puede interesar",
    "te puede interesar",
    "artículos relacionados",
    "noticias relacionadas",
    "entradas relacionadas",
    "relacionados:",
    "relacionadas:",
    "deja un comentario",
    "dejar un comentario",
    "deje un comentario",
    "publicar comentario",
    "enviar comentario",
)
# Control and zero-width characters that str.split() does not treat as spaces.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u200b-\u200d\u2060\ufeff\ufffd]")


def _tail_start(text: str) -> int:
    low = text.lower()
    cut = len(text)
    for marker in _TAIL_MARKERS:
        pos = low.find(marker, 0, cut)
        while pos > 0 and low[pos - 1].isalpha():  # "provea además" is not a marker
            pos = low.find(marker, pos + 1, cut)
        if pos >= 0:
            cut = pos
    return cut


def strip_boilerplate(text: str) -> str:
    """Remove HTML, page chrome and related-article tails, which carry other notes' MW figures."""
    if not isinstance(text, str) or not text:
        return ""
    if "<" in text and ">" in text:
        text = _SCRIPT_RE.sub(" ", text)
        text = _TAG_RE.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    text = " ".join(_CONTROL_RE.sub(" ", text).split())
    text = text[: _tail_start(text)]
    dateline = _DATELINE_RE.search(text, 0, 600)
    if dateline:  # "Holguín, 22 nov.- ...": what comes before is the page's header (a headline with "Prevén ...")
        text = text[dateline.start() :]
    if "|" in text:
        text = _PAGE_TITLE_RE.sub(" ", text, count=1).strip()
        listing = _HEADLINE_LIST_RE.search(text)
        if listing and listing.start() < 300 and text.rfind(". ", 0, listing.start()) < 0:
            # A byline near the top ("Redacción Digital | 30 agosto 2023 | 2") is not the related-headline list.
            listing = _HEADLINE_LIST_RE.search(text, listing.end())
        if listing:
            # Headlines have no final period: the note body ends at the last sentence end before the list.
            cut = text.rfind(". ", 0, listing.start())
            text = text[: cut + 1] if cut >= 0 else ""
    if "http" in text or "twitter" in text or "(@" in text:
        text = " ".join(_TWEET_SIG_RE.sub(" ", text).split())
    return text.strip()


_UNIT_RE = re.compile(  # case spelled out: re.IGNORECASE makes this scan several times slower
    r"(\d) ?(?:([Mm][Ww][Hh]|[Mm][Ww]/[Hh]|[Mm]ega(?:vatio|watt)s?[- ]hora(?: ?\([Mm][Ww][Hh]\))?)"
    r"|([Mm][Ww][Kk]?|W[Ww]|[Mm][Gg][Ww]|[Mm]ega(?:vatio|watt)s?))(?![\w/])"
)
# A run of digits and separators right before a unit: "1 124 MW", "1.124 MW", "1,124 MW", "1 013.6 MWh",
# "985.9 MW", and typos that split a figure ("con 3 42 MW", "de 1 6 20 MW").
# (Patterns here start with a digit, not a look-behind: that keeps the scan fast; the callbacks check
# the character before the match instead.)
_FIGURE_RUN_RE = re.compile(r"\d[\d .,]*\d(?= MWh?\b)")
_GROUPED_RE = re.compile(r"(\d{1,3}(?:[ .,]\d{3})+)([.,]\d{1,2})?")
_NO_SEPARATORS = str.maketrans("", "", " .,")
_DECIMAL_RE = re.compile(r"\d+[.,]\d{1,2}")
_SPLIT_RE = re.compile(r"\d{1,3}(?: \d{1,3})+")
_QUANTITY_WORDS = frozenset({"de", "con", "los", "fue", "es", "era", "total", "alcanzó", "alcanzo", "en", ":"})
# "una demanda máxima de 3 100, con un déficit ..." (figure without its unit)
_BARE_THOUSANDS_RE = re.compile(r"(\d{1,2}) (\d{3})\b(?! MW)(?=\s?[,;]| y | con | para | frente)")
# "6:20 o.m." (o is next to p) and "6:40 .m., coincidiendo con la hora pico" are evening times.
_PM_TYPO_RE = re.compile(r"(?<=\d)\s?(?:o\.\s?m\.|\.m\.(?=[^.]{0,40}(?:pico|noche|m[aá]xima demanda)))", re.IGNORECASE)
_AMPM_RE = re.compile(r"(\d) ?([apAP])\.? ?[mM]\b\.?")


def _unit(m: re.Match[str]) -> str:
    return m.group(1) + (" MWh" if m.group(2) else " MW")


def _word_before(m: re.Match[str]) -> str:
    head = m.string[max(0, m.start() - 12) : m.start()].rstrip()
    return head.rsplit(" ", 1)[-1].lower() if head else ""


def _figure(run: str, word_before: str) -> str:
    grouped = _GROUPED_RE.fullmatch(run)
    if grouped:
        return grouped.group(1).translate(_NO_SEPARATORS) + (grouped.group(2) or "").replace(",", ".")
    if _DECIMAL_RE.fullmatch(run):
        return run.replace(",", ".")
    if _SPLIT_RE.fullmatch(run) and word_before in _QUANTITY_WORDS:
        return run.replace(" ", "")
    return run


def _figure_run(m: re.Match[str]) -> str:
    """'1 124' -> '1124', '1 013.6' -> '1013.6', '43,5' -> '43.5'; a split typo is joined only after a
    word that introduces a quantity ('de 1 6 20 MW'), so 'las unidades 3 y 4 120 MW' is left alone."""
    run = m.group(0)
    if run.isdigit():
        return run
    if m.start() and m.string[m.start() - 1] in "0123456789.,:":
        # The run starts inside another number ("20:30 1 124 MW"): keep its first token as it is.
        head, sep, rest = run.partition(" ")
        return head + sep + (_figure(rest, "") if rest else "")
    return _figure(run, _word_before(m))


def _bare_thousands(m: re.Match[str]) -> str:
    if m.start() and m.string[m.start() - 1] in "0123456789.,:":
        return m.group(0)
    return m.group(1) + m.group(2) if _word_before(m) in ("de", "es", "era", "los") else m.group(0)


def _ampm(m: re.Match[str]) -> str:
    out = m.group(1) + " " + m.group(2).lower() + "m"
    # Keep the sentence end that "p.m." doubled as ("... a las 6:20 p.m. La disponibilidad ...").
    if m.group(0).endswith(".") and re.match(r"\s+[A-ZÁÉÍÓÚÑ¿¡“\"«(]", m.string[m.end() : m.end() + 3]):
        out += "."
    return out


# A section heading of the 2025 list format after a line that lost its period ("... con 581 MW Pronóstico para el
# horario pico Para el pico ..."): a sentence ends there, or the fuel list runs into the next section's plan.
_HEADING_RE = re.compile(
    r"(?<=[\w)]) (?=(?:Pron[oó]stico para el horario pico|Principales incidencias|Estado actual del SEN)\b)"
)


def _normalize(text: str) -> str:
    """Uniform units, numbers and am/pm so the field regexes can assume one spelling of each."""
    text = _UNIT_RE.sub(_unit, text)
    if "MW (MW)" in text:  # "1 089 megawatts (MW)"
        text = text.replace("MW (MW)", "MW")
    text = _FIGURE_RUN_RE.sub(_figure_run, text)
    text = _BARE_THOUSANDS_RE.sub(_bare_thousands, text)
    if "Pron" in text or "Principales" in text or "Estado actual" in text:
        text = _HEADING_RE.sub(". ", text)
    if ".m." in text:
        text = _PM_TYPO_RE.sub(" pm", text)
    return _AMPM_RE.sub(_ampm, text)


_SENTENCE_END_RE = re.compile(r"[.;!?] (?=[^a-záéíóúñ0-9,])|\) (?=[A-ZÁÉÍÓÚÑ])")


def _sentences(text: str) -> list[str]:
    """Split at a sentence end (text is already single-spaced); the end mark stays with its sentence."""
    out = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        out.append(text[start : m.start() + 1])
        start = m.end()
    out.append(text[start:])
    return [s for s in out if s]


# --------------------------------------------------------------------------------------------------
# Numbers and times
# --------------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------------
# Field extractors. Each takes the list of normalised sentences.
# --------------------------------------------------------------------------------------------------

# A bare figure (no unit) is accepted right after the keyword: "una demanda máxima de 3100, con un ...".
_BARE = r"(\d{3,4})(?=\s?[,;]|\s(?:y|con|para|por|lo que|frente|mientras)\b)"
_DEMAND_RE = re.compile(
    r"\bdemanda(?:\s?m[aá]xima)?,?\s(?:(?:es|era|fue|alcanza|alcanzaba|ascend[ií]a|de|a|los)\s){0,3}"
    + _BARE
    + r"|\bdemanda\b(?:\s?m[aá]xima)?[^.;]{0,45}?"
    + _NUM
    + r" MW\b|"
    + _NUM
    + r" MW de (?:m[aá]xima )?demanda",
    re.IGNORECASE,
)
_DEFICIT_RE = re.compile(
    r"\bd[eé]ficit\s(?:de\s)?"
    + _BARE
    # (never across a cut: "generaría el déficit mencionado, y una afectación de 1 600 MW")
    + r"|\bd[eé]ficit\b(?:(?!afectaci)[^.;]){0,60}?"
    + _NUM
    + r" MW\b|"
    + _NUM
    + r" MW de d[eé]ficit",
    re.IGNORECASE,
)
_RESERVE_RE = re.compile(r"\breserva\b[^.;]{0,25}?" + _NUM + r" MW\b", re.IGNORECASE)
_AFFECT_FIG_RE = re.compile(
    r"\bafectaci[oó]n(?:es)?\b[^.]{0,90}?" + _NUM + r" MW\b(?! afectad)"
    r"|" + _NUM + r" MW (?:de afectaci[oó]n|afectados)|\bun m[aá]ximo de " + _NUM + r" MW\b",
    re.IGNORECASE,
)
# Case spelled out rather than re.IGNORECASE, and "no 'demanda' in between" written as a character
# class loop only where needed: this pattern runs on every sentence.
_AVAIL_FIG_RE = re.compile(
    r"\b[Dd]isponibilidad\b(?:[^.;d]|d(?!emanda)){0,90}?" + _NUM + r" MW\b|" + _NUM + r" MW disponibles\b"
    r"|\b[Dd]ispone de " + _NUM + r" MW\b|\b[Dd]isponibilidad\b[^.;\d]{0,60}?\b(?:es|era|fue) de " + _BARE
)


def _clause_before(sentence: str, pos: int) -> str:
    """The text before ``pos`` back to the previous MW figure (so cues of earlier figures drop out)."""
    head = sentence[:pos]
    i = head.rfind(" MW")
    while i > 0:
        end = i + 3
        if head[i - 1].isdigit() and (end == len(head) or not head[end].isalnum()):
            return head[end:]
        i = head.rfind(" MW", 0, i)
    return head


class _Avail:
    """One 'disponibilidad ... N MW' statement, classified as peak forecast or morning snapshot."""

    __slots__ = ("after", "before", "gap", "index", "kind", "sentence", "value")

    def __init__(self, sentence: str, index: int, m: re.Match[str]) -> None:
        self.sentence = sentence
        self.index = index
        group = next(i for i, g in enumerate(m.groups(), 1) if g is not None)
        self.value = _to_number(m.group(group))
        self.before = _clause_before(sentence, m.start())
        self.gap = sentence[m.start() : m.start(group)] if group != 2 else ""
        self.after = sentence[m.end() :]
        self.kind = self._classify()

    def _classify(self) -> str:
        context = self.before + " " + self.gap
        peak_cue = _PEAK_RE.search(context) is not None
        forecast = _FORECAST_RE.search(context) is not None
        early = _EARLY_RE.search(context) is not None
        state = _STATE_VERB_RE.search(context) is not None
        if peak_cue and forecast:
            return "peak"
        if early and not forecast:
            return "morning"
        if forecast:
            return "peak"
        if peak_cue:
            return "peak"
        if early or state:
            return "morning"
        # No cue at all: the morning snapshot is stated with "era/es de"; a bare one is the forecast
        # only when the sentence talks about the peak.
        return "peak" if _PEAK_RE.search(self.sentence) else "morning"


def _avail_statements(sentences: list[str]) -> list[_Avail]:
    out = []
    for i, s in enumerate(sentences):
        if "isponib" not in s and "ispone de" not in s:
            continue
        for m in _AVAIL_FIG_RE.finditer(s):
            out.append(_Avail(s, i, m))
    return out


_NEXT_DEMAND_RE = re.compile(r"(?:Con|Y|Frente a|Mientras)\b.{0,25}\bdemanda\b", re.IGNORECASE)


def _last(regex: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = None
    for found in regex.finditer(text):  # noqa: B007 - we want the last match
        pass
    return found


_CUT_BY_DEFICIT_RE = re.compile(r"afectaci[oó]n(?:es)?\s(?:\w+\s){0,3}?por $")


def _until_next_avail(text: str) -> str:
    m = _AVAIL_FIG_RE.search(text)
    return text[: m.start()] if m else text


# "... existe riesgo de afectaciones en este horario y no se prevén afectaciones en el horario de la madrugada":
# a "no cut" for other hours says nothing of the peak.
_OTHER_HOURS_RE = re.compile(
    r"[^.;,]{0,45}\b(?:madrugada|diurno|mediod[ií]a|la media|durante el d[ií]a)", re.IGNORECASE
)


def _peak_fields(sentences: list[str], avails: list[_Avail]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "peak_availability_mw": None,
        "peak_demand_mw": None,
        "peak_deficit_mw": None,
        "peak_affectation_mw": None,
    }
    peak = next((a for a in avails if a.kind == "peak"), None)
    if peak is not None:
        out["peak_availability_mw"] = peak.value
        rest = _until_next_avail(peak.after)
        nxt = sentences[peak.index + 1] if peak.index + 1 < len(sentences) else ""
        if _NEXT_DEMAND_RE.match(nxt) and not _AVAIL_RE.search(nxt):
            rest = rest + " " + nxt  # "... disponibilidad de N MW. Con una demanda de M MW, ..."
        m = _DEMAND_RE.search(rest)
        if m is None:  # "se estima una demanda máxima de M MW y una disponibilidad de N MW"
            m = _last(_DEMAND_RE, peak.sentence[: len(peak.sentence) - len(peak.after)][-160:])
        if m:
            out["peak_demand_mw"] = _fig(m)
        # "pronostica una afectación de N MW en el horario pico, pues estima una disponibilidad de ..."
        head = peak.sentence[: len(peak.sentence) - len(peak.after)]
        for m in _AFFECT_FIG_RE.finditer(head):
            if _FORECAST_RE.search(head) and _figure_scope(head, m) == "peak" and not _PAST_RE.search(head):
                out["peak_affectation_mw"] = _fig(m)
                break
        # Deficit and forecast cut close the same sentence or follow it ("De mantenerse ... en este
        # horario", "Esto generaría un déficit de ..."); a new figure sentence or a past one ends the run.
        follow = [rest] + sentences[peak.index + 1 : peak.index + 3]
        reserve = _RESERVE_RE.search(rest) is not None
        for j, chunk in enumerate(follow):
            if j and (_AVAIL_FIG_RE.search(chunk) or _PAST_RE.search(chunk)):
                break
            if out["peak_deficit_mw"] is None:
                m = _DEFICIT_RE.search(chunk)
                if (
                    m
                    and not _RESERVE_RE.search(chunk[: m.start()])
                    and not _CUT_BY_DEFICIT_RE.search(chunk[: m.start()])
                ):
                    out["peak_deficit_mw"] = _fig(m)
            if out["peak_affectation_mw"] is None:
                none = _NO_AFFECT_RE.search(chunk)
                if none and not _AFFECT_FIG_RE.search(chunk) and not _OTHER_HOURS_RE.match(chunk, none.end()):
                    out["peak_affectation_mw"] = 0
                else:
                    m = _AFFECT_FIG_RE.search(chunk)
                    if m and (
                        j == 0
                        or _figure_scope(chunk, m) == "peak"
                        or (_figure_scope(chunk, m) is None and _FORECAST_RE.search(chunk))
                    ):
                        out["peak_affectation_mw"] = _fig(m)
            if out["peak_affectation_mw"] is not None and (out["peak_deficit_mw"] is not None or reserve):
                break
    if out["peak_affectation_mw"] is None:
        out["peak_affectation_mw"] = _scoped_forecast_affectation(sentences, "peak")
    # "Un déficit de 1 530 MW se prevé para el horario de máxima demanda ..." (a forecast with a reserve has no deficit)
    if out["peak_deficit_mw"] is None and (peak is None or not _RESERVE_RE.search(peak.sentence)):
        for s in sentences:
            if not _FORECAST_RE.search(s):
                continue
            for m in _DEFICIT_RE.finditer(s):
                before = _clause_before(s, m.start())
                if _PAST_RE.search(before) or _CUT_BY_DEFICIT_RE.search(before):
                    continue  # "una afectación por déficit de N MW" is a cut, not the deficit
                if _nearest_scope(before, s[m.end() :], s[: m.start() - len(before)]) == "peak":
                    out["peak_deficit_mw"] = _fig(m)
                    break
            if out["peak_deficit_mw"] is not None:
                break
    return out


def _figure_scope(sentence: str, m: re.Match[str]) -> str | None:
    before = _clause_before(sentence, m.start())
    head = sentence[: m.start() - len(before)]
    return _nearest_scope(before + " " + m.group(0), sentence[m.end() :], head)


# "se estima una afectación de 750 MW (al mediodía) y para la máxima demanda 1 168 MW": a second figure of the same
# forecast, scoped by its own cue.
_AND_FOR_PEAK_RE = re.compile(
    r",? y para (?:la m[aá]xima demanda|el (?:horario )?pico|la noche)(?: de| se estima)? " + _NUM + r" MW\b",
    re.IGNORECASE,
)


# "las afectaciones en el día rebasan también los 1 000 MW": a bound, not the forecast figure.
_BOUND_RE = re.compile(
    r"(?:rebasa\w*|sobrepasa\w*|supera\w*|m[aá]s de|superior(?:es)? a)(?: tambi[eé]n)?(?: los?)? [\d.]+ MW$"
)


def _scoped_forecast_affectation(sentences: list[str], scope: str) -> Number | None:
    """The first forecast cut whose nearest time cue is ``scope`` ('peak' or 'midday')."""
    for i, s in enumerate(sentences):
        # "afectar": "se comenzará a afectar el servicio ..., con un máximo de 350 MW en el horario del mediodía"
        if "afect" not in s or not (_FORECAST_RE.search(s) or _NO_AFFECT_RE.search(s)):
            continue
        for m in _AFFECT_FIG_RE.finditer(s):
            if _MAX_AFF_RE.search(m.group(0)) and _PAST_RE.search(m.group(0)):
                continue
            if _BOUND_RE.search(m.group(0)):
                continue
            before = _clause_before(s, m.start())
            after = s[m.end() :]
            stated = before + m.group(0)  # "la máxima afectación ... de ayer fue de N MW, superior a lo planificado"
            if _PAST_RE.search(stated) and not _FORECAST_RE.search(stated):
                continue
            if not _FORECAST_RE.search(s[: m.end()]):
                continue  # "... la demanda 2 360 MW, con 87 MW afectados; al mediodía se pronostica ...": a snapshot
            head = s[: m.start() - len(before)]
            if not head.strip() and i:
                head = sentences[i - 1][-80:]  # the scope cue ended the previous sentence
            if _nearest_scope(before + " " + m.group(0), after, head) == scope:
                return _fig(m)
            then = _AND_FOR_PEAK_RE.match(s, m.end()) if scope == "peak" else None
            if then:
                return _fig(then)
        if _NO_AFFECT_RE.search(s) and not _AFFECT_FIG_RE.search(s):
            m = _NO_AFFECT_RE.search(s)
            assert m is not None
            if _OTHER_HOURS_RE.match(s, m.end()) and scope == "peak":
                continue  # "... y no se prevén afectaciones en el horario de la madrugada"
            if _nearest_scope(s[: m.end()], s[m.end() :]) == scope:
                return 0
    return None


def _midday(sentences: list[str]) -> Number | None:
    return _scoped_forecast_affectation(sentences, "midday")


_MORNING_AFFECTED_RE = re.compile(
    _NUM + r" MW (?:afectad|de afectaci)|afectaci[oó]n[^.;]{0,40}?" + _NUM + r" MW|\bcon " + _NUM + r" MW\b"
    # "resultando en un déficit de 1 259 MW que causó afectaciones", "Ello provoca un déficit de 935 MW"
    r"|(?:resultando en|provoca|provoc[oó]|caus[oó]|gener[oó]) un d[eé]ficit de " + _NUM + r" MW",
    re.IGNORECASE,
)
_FULL_SERVICE_RE = re.compile(
    r"todo el (?:sistema|SEN|pa[ií]s) con servicio|sin afectaci[oó]n|sin afectaciones|no hab[ií]a afectaci"
    r"|todo servido|toda la carga servida|servicio en todo el (?:sistema|SEN|pa[ií]s)|no hay afectaci",
    re.IGNORECASE,
)


# A sentence that continues the snapshot: "Ello provoca un déficit de 935 MW.", "No hay afectación por déficit ...",
# "Demanda: 3120 MW.", "Afectación actual: 1405 MW."
_SNAPSHOT_NEXT_RE = re.compile(
    r"(?:Ello|Esto|Lo que|No hay afectaci|Sin afectaci|Con todo|Demanda:|Afectaci[oó]n actual:)"
)
_LABEL_DEMAND_RE = re.compile(r"Demanda: " + _NUM + r" MW")


def _morning_fields(avails: list[_Avail], sentences: list[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "morning_availability_mw": None,
        "morning_demand_mw": None,
        "morning_affected_mw": None,
        "morning_time": None,
    }
    morning = next((a for a in avails if a.kind == "morning"), None)
    if morning is None:
        return out
    out["morning_availability_mw"] = morning.value
    # The snapshot's own time sits next to "disponibilidad" (in the gap, else at the end of the clause).
    out["morning_time"] = (
        _first_time(_AT_TIME_RE, morning.gap)
        or _last_time(_AT_TIME_RE, morning.before)
        or _first_time(_TIME_RE, morning.gap)
        or _last_time(_TIME_RE, morning.before)
    )
    rest = _until_next_avail(morning.after)
    for nxt in (sentences or [])[morning.index + 1 : morning.index + 3]:
        if not _SNAPSHOT_NEXT_RE.match(nxt) or _AVAIL_FIG_RE.search(nxt):
            break
        forecast = _FORECAST_RE.search(nxt)  # "No hay afectación ..., se estima en la media ...": only the first part
        rest = rest + " " + (nxt[: forecast.start()] if forecast else nxt)
        if forecast:
            break
    m = _DEMAND_RE.search(rest) or _LABEL_DEMAND_RE.search(rest)
    if m and rest.startswith(" afectad", m.end()):
        # "con una demanda de 1080 MW afectados por déficit": the note dropped the demand; the figure is the cut.
        out["morning_affected_mw"] = _fig(m)
    elif m:
        out["morning_demand_mw"] = _fig(m)
        tail = rest[m.end() :]
        a = _MORNING_AFFECTED_RE.search(tail)
        if a and not _FORECAST_RE.search(tail[: a.start()]):
            out["morning_affected_mw"] = _fig(a)
        elif _FULL_SERVICE_RE.search(tail):
            out["morning_affected_mw"] = 0
    return out


_NO_PREV_AFFECT_RE = _lower_re(
    r"\b(?:no|tampoco) (?:se )?(?:fue |ha sido |hubo |se produjeron |se registraron |se reportaron )?"
    r"afect(?:[oó]|ado|aci[oó]n|aciones)(?!\w)"
    r"|\bsin afectaciones? (?:al|en el) servicio\b(?=[^.]{0,60}\b(?:ayer|anterior)\b)"
)


_CRITICAL_POINT_RE = _lower_re(
    r"\b(?:el punto cr[ií]tico|el momento de mayor impacto)\b[^.]{0,60}?\bocurri[oó]\b[^.]{0,140}?"
    r"\bd[eé]ficit alcanz[oó] (?:los |un m[aá]ximo de )?(?=\d)"
)


_OTHER_FIGURE_RE = re.compile(r"disponib|demanda|\bd[eé]ficit de \d", re.IGNORECASE)


def _prev_day_max(sentences: list[str]) -> tuple[Number | None, str | None]:
    """Largest cut of the previous day ('La máxima afectación ... fue (de) N MW a las T').

    Some notes give one maximum for the daytime and one for the evening: the larger is the day's
    maximum. A note that says the service was not affected gives 0.
    """
    best: tuple[Number, str | None] | None = None
    for s in sentences:
        if "xim" not in s and "mayor" not in s:
            continue
        for k in _MAX_AFF_RE.finditer(s):
            clause = s[k.start() :]
            before = _clause_before(s, k.start())
            fig = _MW_RE.search(clause)
            if fig is None or clause[fig.end() : fig.end() + 1] == "h":
                continue
            between = clause[: fig.start()]
            if len(between) > 160 or _OTHER_FIGURE_RE.search(between):
                continue  # the keyword heads a list, the figure belongs to another statement
            past = _PAST_RE.search(between) or (_PAST_RE.search(before) and not _FORECAST_RE.search(before))
            if not past or (_FORECAST_RE.search(between) and not _PAST_RE.search(between)):
                continue
            if _FORECAST_RE.search(before[-60:]) and not _PAST_RE.search(between):
                continue
            value = _to_number(fig.group(1))
            if best is None or value > best[0]:
                tail = _PAREN_RE.sub(" ", clause[fig.end() : fig.end() + 200])[:45]
                time = _first_time(_AT_TIME_RE, clause[: fig.end()] + tail) or _first_time(
                    _AT_TIME_RE, clause[fig.end() : fig.end() + 45]
                )
                best = (value, time)
    if best is not None:
        return best
    for s in sentences:  # an agency's rewrite: "El punto crítico del viernes ocurrió a las 21:20 horas, ..., donde
        # el déficit alcanzó los 1 753 MW" (no "máxima afectación" at all)
        m = _CRITICAL_POINT_RE.search(s)
        if m:
            fig = _MW_RE.search(s, m.end())
            if fig and not _FORECAST_RE.search(s[m.start() : fig.start()]):
                return _to_number(fig.group(1)), _first_time(_AT_TIME_RE, s[m.start() : fig.start()])
    for s in sentences:
        m = _NO_PREV_AFFECT_RE.search(s)
        if m is None:
            continue
        # Judge the clause that says it: "este miércoles no se afectó el servicio ..., y precisa que para hoy se
        # pronostica una afectación de 98 MW" is a 0 (and a note whose period went missing runs on into the next).
        end = _NO_AFFECT_CLAUSE_END_RE.search(s, m.end())
        clause = s[m.start() : end.start() if end else len(s)]
        if not _FORECAST_RE.search(_clause_before(s, m.start()) + clause) and "MW" not in clause:
            return 0, None
    return None, None


_NO_AFFECT_CLAUSE_END_RE = re.compile(r"[,;.]| y | [A-ZÁÉÍÓÚ]")


_ALL_DAY_RE = _lower_re(
    r"\b(?:las?|durante las|durante|en las|las [uú]ltimas) (?:24|veinticuatro) horas\b|\bdurante todo el d[ií]a\b|\btodo el d[ií]a\b"
    r"|\btoda la jornada\b|\(24:00 horas\)"
)
_PREV_AFFECTED_RE = _lower_re(
    r"\b(?:se afect[oó]|fue afectado|hubo afectaci\w*|se reportaron afectaci\w*|present[oó] afectaci\w*|"
    r"se mantuvo afectado|estuvo afectado|no se afect[oó]|se afectaba|se vio afectado|tampoco hubo afectaci\w*|"
    r"experiment[oó] una afectaci\w*|se mantuvieron)(?!\w)"
)


def _all_day(sentences: list[str], has_prev_max: bool) -> bool | None:
    stated = has_prev_max
    for s in sentences:
        if "afect" not in s:
            continue
        verb = _PREV_AFFECTED_RE.search(s)
        if not verb:
            continue
        stated = True
        m = _ALL_DAY_RE.search(s)
        if m and not _FORECAST_RE.search(s[: m.start()][-80:]):
            return True
    return False if stated else None


_THERMAL_RE = re.compile(
    r"limitaci[oó]n(?:es)? (?:de |en |a )?" + _NUM + r" MW en (?:la )?generaci[oó]n t[eé]rmica"
    r"|limitaci\w+ (?:en|de) (?:la )?generaci[oó]n t[eé]rmica[^.;]{0,60}?" + _NUM + r" MW"
    r"|limitaci\w+ t[eé]rmicas?[^.;]{0,60}?" + _NUM + r" MW"
    r"|" + _NUM + r" MW (?:est[aá]n |se encuentran )?(?:fuera de servicio |indisponibles |afectados |no disponibles )?"
    r"(?:por|debido a) limitaci\w+ (?:t[eé]rmicas?|(?:en|de) (?:la )?generaci[oó]n t[eé]rmica)"
    # "Se mantienen en la generación térmica una limitación de 424 MW", "362 MW de capacidad térmica convencional limitada"
    r"|generaci[oó]n t[eé]rmica una limitaci[oó]n de " + _NUM + r" MW"
    r"|" + _NUM + r" MW de capacidad t[eé]rmica (?:convencional )?limitada",
    re.IGNORECASE,
)


def _thermal(sentences: list[str]) -> Number | None:
    for s in sentences:
        if "imita" not in s:
            continue
        m = _THERMAL_RE.search(s)
        if m:
            return _fig(m)
    return None


_DG_BREAK_RE = re.compile(
    r"aver[ií]as?,?\s(?:de\s)?" + _NUM + r" MW|" + _NUM + r" MW,? (?:fuera )?(?:por|en) aver[ií]a", re.IGNORECASE
)
_DG_MAINT_RE = re.compile(
    r"mantenimientos?,?\s(?:de\s)?" + _NUM + r" MW|" + _NUM + r" MW,? (?:fuera )?(?:por|en) mantenimiento",
    re.IGNORECASE,
)


def _mentions_fuel(sentence: str) -> bool:
    return "ombustible" in sentence or "ubricante" in sentence or "aceite" in sentence


_DG_FUEL_RE = re.compile(
    r"centrales (?:de|en) (?:la )?generaci[oó]n distribuida(?P<gap>[^.;]{0,90}?)" + _NUM + r" MW"
    r"|generaci[oó]n distribuida, con \d+ centrales(?P<gap2>[^.;]{0,30}?)" + _NUM + r" MW"
    r"|" + _NUM + r" MW (?:no disponibles |indisponibles )?en \d+ centrales de (?:la )?generaci[oó]n distribuida"
    # the distributed part of a stated fuel total: "de ellos 305 MW en grupos distribuidos", "325 MW de ellos en la GD"
    r"|" + _NUM + r" MW (?:de ellos )?en (?:la generaci[oó]n distribuida|grupos distribuidos)",
    re.IGNORECASE,
)
# Between "centrales de generación distribuida" and its figure: another plant or a total means the figure is not DG's.
_DG_GAP_STOP_RE = re.compile(
    r"patana|\bfuel\b|\bMoa\b|emplazamiento|\bCDE\b|\bCTE\b|\bunidad|\bmotores\b|MW", re.IGNORECASE
)


_DG_GAP_GROUPS = frozenset(_DG_FUEL_RE.groupindex.values())


def _dg_fuel_figure(sentence: str) -> Number | None:
    for m in _DG_FUEL_RE.finditer(sentence):
        gap = m.group("gap") if m.group("gap") is not None else m.group("gap2")
        if gap is not None and _DG_GAP_STOP_RE.search(gap):
            continue
        return _to_number(next(g for i, g in enumerate(m.groups(), 1) if g is not None and i not in _DG_GAP_GROUPS))
    return None


_RETURN_RE = _lower_re(r"\b(?:entrada|recuperaci[oó]n|incorporaci[oó]n|arranque|sincroniza)\w*")
_FUEL_CUE_RE = _lower_re(r"combustible|lubricante|aceite")
# Causes a figure in a fuel sentence may belong to instead: thermal limits, the previous day's maximum cut,
# breakdowns, maintenance, the demand or availability of the system.
_OTHER_CAUSE_RE = _lower_re(
    r"t[eé]rmic|aver[ií]a|mantenimiento|m[aá]xima afectaci|afectaci[oó]n m[aá]xima|demanda|\bdisponibilidad"
)
_TOTAL_CUE_RE = _lower_re(r"\btotal\b|\btotaliz\w*|\bsumando\b")
_TOTAL_AFTER_RE = re.compile(
    r"(?: afectados| indisponibles| no disponibles)?,? (?:en total\b|de ellos\b|de los cuales\b)"
)
# "Para el pico se cuenta con la entrada de ...", "la entidad considera la recuperación de ...": a plan.
_RETURN_PLAN_RE = _lower_re(r"\bconsidera\b|\bse cuenta con\b|\bpara (?:el|ese|este) (?:horario|momento|pico)\b")
_FUTURE_OUT_RE = _lower_re(r"\bsaldr[aá]n? de servicio\b")  # a loss still to come, not today's
_RETURN_HEAD_RE = re.compile(r"(?:La |El )?(?:entrada|recuperaci[oó]n|incorporaci[oó]n|arranque)\b", re.IGNORECASE)
# "Total de MW afectados por esta causa: 467 MW.", "Total: 966 MW afectados por esta causa.",
# "Total afectado por esta causa: 719 MW"
_TOTAL_LINE_RE = re.compile(
    r"Total de (?:los )?MW (?:afectados|indisponibles|fuera)\b[^.]*\bcausa\b|Total(?: afectado)?[^.]{0,30}?: \d+ MW",
    re.IGNORECASE,
)
# A list item of the fuel list: "Patanas de Regla con 47 MW.", "Central fuel de Moa (147 MW)",
# "Patana de Regla (54 MW) 8 motores en la Patana de Melones (135 MW)"
_ITEM_LINE_RE = re.compile(
    r"(?:Patanas?|Motores|Centrales flotantes|Grupos?)\b[^.]{0,60}\bcon \d[\d ,.]* MW\.?$"
    r"|(?:Central(?:es)? (?:fuel|flotantes?)|Patanas?|Emplazamiento|CDE|\d+ motores)\b[^.]{0,60}\(\d+ MW\)\.?$"
)
_CAUSE_CLAUSE_END_RE = re.compile(r"[,;(]| y | e | mientras")


def _dg_out(sentences: list[str]) -> Number | None:
    parts: list[Number] = []
    for s in sentences:
        if "istribuida" not in s or _RETURN_RE.search(s) and _FORECAST_RE.search(s):
            continue
        if "aver" in s:
            m = _DG_BREAK_RE.search(s)
            if m:
                parts.append(_fig(m))
        if "mantenimiento" in s:
            m = _DG_MAINT_RE.search(s)
            if m:
                parts.append(_fig(m))
        if _mentions_fuel(s):
            fuel = _dg_fuel_figure(s)
            if fuel is not None:
                parts.append(fuel)
    return _sum(parts) if parts else None


def _sum(parts: list[Number]) -> Number:
    total = sum(parts)
    return int(total) if float(total).is_integer() else round(total, 2)


def _last_cue(regex: _LowerRegex, text: str) -> int:
    """End position of the last match of ``regex`` in ``text``, -1 if none."""
    end = -1
    for m in regex.finditer(text):
        end = m.end()
    return end


def _fuel_figures(sentence: str, inherited: str | None) -> Iterator[tuple[str | None, Number]]:
    """Each MW figure of a sentence with its cause: 'fuel', 'total' (of the fuel cause), 'other' or None.

    A cue right after the figure in its clause ("627 MW ... por falta de combustible") wins, else the
    cue nearest before it since the previous figure ("por combustible 32 centrales, con 279 MW"); a
    figure with no cue continues the list it is in ("... (627 MW), 150 MW en los motores de Moa"), or at
    the head of one takes the first cue after it."""
    cause = inherited
    prev_end = 0
    for m in _MW_RE.finditer(sentence):
        before = sentence[prev_end : m.start()]
        after = sentence[m.end() :]
        stop = _CAUSE_CLAUSE_END_RE.search(after)
        clause_after = after[: stop.start() if stop else 120][:120]
        prev_end = m.end()
        fuel_after = _FUEL_CUE_RE.search(clause_after)
        other_after = _OTHER_CAUSE_RE.search(clause_after)
        if fuel_after or other_after:
            first = min((x for x in (fuel_after, other_after) if x), key=lambda x: x.start())
            cause = "fuel" if first is fuel_after else "other"
        else:
            fuel_before = _last_cue(_FUEL_CUE_RE, before)
            other_before = _last_cue(_OTHER_CAUSE_RE, before)
            if fuel_before > other_before:
                cause = "fuel"
            elif other_before > fuel_before:
                cause = "other"
            elif cause is None and not _FORECAST_RE.search(
                before
            ):  # "59 centrales ..., con 395 MW, presentan problemas por falta de combustible"
                rest = after[: m2.start()] if (m2 := _MW_RE.search(after)) else after
                fuel_rest, other_rest = _FUEL_CUE_RE.search(rest), _OTHER_CAUSE_RE.search(rest)
                if fuel_rest and (other_rest is None or fuel_rest.start() < other_rest.start()):
                    cause = "fuel"
        total_before = _last_cue(_TOTAL_CUE_RE, before)
        is_total = (
            total_before > _last_cue(_OTHER_CAUSE_RE, before) and not any(c.isdigit() for c in before[total_before:])
        ) or _TOTAL_AFTER_RE.match(after) is not None
        yield ("total" if is_total and cause != "other" else cause), _to_number(m.group(1))


def _out_of_fuel(sentences: list[str]) -> Number | None:
    """A stated total for the fuel/lubricant cause wins over the parts before it; otherwise the parts are summed.

    Only figures attributed to the fuel cause count: a fuel sentence often also states the thermal
    limits or the previous day's maximum, and its total ("totalizando 817 MW", "558 MW, de ellos ...")
    is not added to the parts it sums."""
    parts: list[Number] = []
    in_section = False
    for s in sentences:
        fuel = _mentions_fuel(s)
        if not fuel and not in_section:
            continue
        is_return = _RETURN_RE.search(s) is not None and (
            _FORECAST_RE.search(s) is not None
            or _RETURN_PLAN_RE.search(s) is not None
            or _RETURN_HEAD_RE.match(s) is not None
        )
        # (an aside in brackets, "(se operan 5 motores ... según disponibilidad de combustible)", is not a new statement)
        if is_return or _AVAIL_RE.search(_PAREN_RE.sub(" ", s)) or _FUTURE_OUT_RE.search(s):
            in_section = False
            continue
        if in_section and _TOTAL_LINE_RE.match(s):  # "Total de MW afectados por esta causa: 467 MW."
            for cause, value in _fuel_figures(s, "fuel"):
                if cause == "total":
                    parts = [value]
                    break
            in_section = False
            continue
        if in_section and _ITEM_LINE_RE.match(s) and not _OTHER_CAUSE_RE.search(s):
            # A short item of the list ("Patanas de Regla con 47 MW."): not counted on its own (its cause is not
            # stated), but the list goes on, so a total line after it is still read.
            continue
        if fuel or (in_section and re.match(r"(?:Otros |A esto se suman )?\d+ MW\b", s)):
            # A fuel sentence, or a continuation line of the fuel list ("126 MW en los motores ... de Moa.", or its
            # own total line: "Total de MW afectados por esta causa: 467 MW.").
            for cause, value in _fuel_figures(s, "fuel" if in_section else None):
                if cause == "total" and ("causa" in s or "concepto" in s or fuel or "afectad" in s):
                    # The total replaces the parts so far; the rest of its sentence breaks it down.
                    parts = [value]
                    break
                if cause == "fuel":
                    parts.append(value)
            in_section = True
        else:
            in_section = False
    return _sum(parts) if parts else None


_SOLAR_RE = _lower_re(r"solar|fotovolt")
_MWH_RE = re.compile(_NUM + r" MWh\b")


def _solar(sentences: list[str]) -> Number | None:
    for s in sentences:
        if "MWh" in s and _SOLAR_RE.search(s):
            m = _MWH_RE.search(s)
            if m:
                return _to_number(m.group(1))
    return None


_COLLAPSE_RE = _lower_re(
    r"\b(?:desconexi[oó]n|ca[ií]da|colapso|apag[oó]n) total\b|\bcero generaci[oó]n\b|\bapag[oó]n generalizado\b"
    r"|\bse desconect[oó] (?:totalmente |por completo )?(?:el SEN|el Sistema)\b"
    r"|\b(?:desconexi[oó]n|colapso) (?:del|de todo el) (?:SEN|Sistema Electroenerg[eé]tico Nacional|"
    r"Sistema El[eé]ctrico Nacional)\b"
)
_PARTIAL_RE = re.compile(
    r"^.{0,45}?\b(?:en|de) (?:la )?(?:zona|regi[oó]n|occidente|oriente|centro|provincia)", re.IGNORECASE
)
_PARTIAL_WORD_RE = re.compile(r"\bparcial\b", re.IGNORECASE)


_COLLAPSE_HINTS = ("total", "cero gener", "generalizado", "desconect", "desconexi", "colapso")


def _grid_collapse(sentences: list[str]) -> bool:
    low = " ".join(sentences).lower()
    if not any(hint in low for hint in _COLLAPSE_HINTS):
        return False
    for s in sentences:
        for m in _COLLAPSE_RE.finditer(s):
            if _PARTIAL_RE.match(s[m.end() :]) or _PARTIAL_WORD_RE.search(s[max(0, m.start() - 20) : m.end() + 20]):
                continue
            return True
    return False


# Units --------------------------------------------------------------------------------------------

_UNIT_CUE_RE = re.compile(r"\baver[ií]as?\b|\bmantenimientos?\b", re.IGNORECASE)
_PAREN_RE = re.compile(r"\([^()]*\)")
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


# --------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------

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


def _is_note(clean: str) -> bool:
    return _rejection(clean) is None


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

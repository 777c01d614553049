"""The UNE parser's first two steps: strip the page chrome around a note, then make its numbers, units and times
uniform, and cut it into sentences.

Kept apart from the extractors because it is the only code that sees raw page text: it decides what is the note
(related-article lists and share buttons carry other days' MW figures) and what one spelling the field patterns
may assume ("1 124", "1.124", "1,124" -> "1124"; "p.m." -> "pm"; "megawatts" -> "MW").
"""

from __future__ import annotations

import html
import re

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

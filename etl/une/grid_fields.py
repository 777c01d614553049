"""Extractors of the grid balance a UNE note states: availability, demand, deficit and load cut at the evening peak,
the morning snapshot, the midday cut, the previous day's maximum cut (and whether it lasted all day), and the
thermal plants' limitations.

These fields share the availability statements (``_avail_statements``) and the scope rules that tell a forecast
from a report, so they stay together. Each extractor takes the list of normalised sentences.
"""

from __future__ import annotations

import re
from typing import Any

from etl.une.lexicon import (
    _AVAIL_RE,
    _EARLY_RE,
    _FORECAST_RE,
    _MAX_AFF_RE,
    _NO_AFFECT_RE,
    _PAREN_RE,
    _PAST_RE,
    _PEAK_RE,
    _STATE_VERB_RE,
    _lower_re,
    _nearest_scope,
)
from etl.une.numbers import _AT_TIME_RE, _MW_RE, _NUM, _TIME_RE, Number, _fig, _first_time, _last_time, _to_number

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

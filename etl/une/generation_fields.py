"""Extractors of the generation a UNE note says is out or in: distributed generation out (breakdown, maintenance,
fuel), capacity out for lack of fuel or lubricant, the solar parks' energy, and the total-collapse flag.

Apart from ``grid_fields`` because these are sums of stated parts (a fuel list, its total line) rather than the
balance statements, with their own rules for what a part belongs to. Each extractor takes the normalised sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from etl.une.lexicon import _AVAIL_RE, _FORECAST_RE, _PAREN_RE, _RETURN_RE, _lower_re, _LowerRegex
from etl.une.numbers import _MW_RE, _NUM, Number, _fig, _to_number

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

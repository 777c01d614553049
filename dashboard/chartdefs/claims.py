"""Evidence charts for claims: exactly the rows the verdict engine published behind each label (`evidence_rows` in
claims.json; no second selection here), with the claim drawn on them as a labelled dashed line or band. One chart id
per claim: `claim-<claim id>`. The figure itself is drawn by `dashboard/figures/evidence.py`."""

from __future__ import annotations

import calendar
from typing import Any

import pandas as pd

from dashboard.charts import ChartSpec, ChartState, ChartView, source_line
from dashboard.data import DataStore, SourceRef
from dashboard.figures.basic import OPEN_HIGH
from dashboard.figures.common import Frame
from dashboard.figures.evidence import (
    EvidenceInput,
    EvidenceWords,
    drawable,
    is_number,
    make_evidence_figure,
    norm_unit,
    panels,
)
from dashboard.i18n import MONTHS_SHORT, fmt_num, t

CHARTED_RULES = {"approx", "range", "at_least", "at_most", "ratio_range", "rank_min"}
UNIT_LABELS = {
    "pct": "%",
    "bbl_per_day": "bbl/d",
    "persons": "persons",
    "people": "persons",
    "count": "count",
    "mw": "MW",
    "km": "km",
    "hours_per_day": "hours/day",
    "hours": "hours",
    "hours_per_year": "hours/year",
    "years": "years",
    "bbl": "barrels",
    "twh": "TWh",
    "cargoes": "cargoes",
    "pct_of_installed_capacity": "% of installed capacity",
}
UNIT_LABELS_ES = {
    "persons": "personas",
    "people": "personas",
    "count": "número",
    "hours_per_day": "horas/día",
    "hours": "horas",
    "hours_per_year": "horas/año",
    "years": "años",
    "bbl": "barriles",
    "bbl_per_day": "b/d",
    "cargoes": "cargamentos",
    "pct_of_installed_capacity": "% de la capacidad instalada",
}
WORDS = {
    "en": {
        "context": "(context, outside the claim's period)",
        "flagged": "(marked unverified or conflicting)",
        "not_counted": "(not counted by the check)",
        "context_key": "Lighter: context, not counted",
        "flagged_key": "Hollow: unverified or conflicting",
        "not_counted_key": "Lighter: context, not counted",
        "publishers": "{n} publishers",
        "ratio": "{num} as a % of {den}",
        "claim_period": "The claim's period",
        "highlight": "{year}: the claim says lowest",
        "subtitle": "Evidence behind the label, {unit}; black dashes = the claim",
        "subtitle_rank": "Evidence behind the label, {unit}; the arrow marks the year the claim ranks",
        "left_out": "Not drawn (another unit; shown in the table): {names}.",
        "more_sources": "and {n} more sources, listed with the chart",
        "in_english": "(original in English)",
    },
    "es": {
        "context": "(contexto, fuera del periodo de la afirmación)",
        "flagged": "(marcado sin verificar o en conflicto)",
        "not_counted": "(no contado por la comprobación)",
        "context_key": "Más claro: contexto, no contado",
        "flagged_key": "Hueco: sin verificar o en conflicto",
        "not_counted_key": "Más claro: contexto, no contado",
        "publishers": "{n} medios",
        "ratio": "{num} como % de {den}",
        "claim_period": "Periodo de la afirmación",
        "highlight": "{year}: la afirmación dice «el más bajo»",
        "subtitle": "Evidencia detrás de la etiqueta, {unit}; trazo negro discontinuo = la afirmación",
        "subtitle_rank": "Evidencia detrás de la etiqueta, {unit}; la flecha señala el año que la afirmación clasifica",
        "left_out": "No se dibuja (otra unidad; figura en la tabla): {names}.",
        "more_sources": "y {n} fuentes más, enumeradas junto al gráfico",
        "in_english": "(original en inglés)",
    },
}
SOURCES_IN_LINE = 4
ROLES = {"en": {}, "es": {"evidence": "evidencia", "context": "contexto"}}


def claims_doc(store: DataStore) -> dict[str, Any]:
    return store.json_file("claims.json") or {"documents": [], "claims": []}


def find_claim(store: DataStore, claim_id: str) -> dict[str, Any]:
    for claim in claims_doc(store)["claims"]:
        if claim["claim_id"] == claim_id:
            return claim
    raise KeyError(f"no claim {claim_id!r}")


def has_chart(claim: dict[str, Any]) -> bool:
    """A claim with a numeric rule and published rows the chart can draw (rows, the engine's ratios, or the items
    of a count)."""
    rule = (claim.get("rule") or {}).get("kind")
    if rule not in CHARTED_RULES:
        return False
    rows = claim.get("evidence_rows") or []
    ratios = [r for r in claim.get("ratios") or [] if is_number(r.get("value")) and r.get("x_start")]
    items = norm_unit((claim.get("claimed") or {}).get("unit")) == "count" and any(
        isinstance(r.get("value"), str) and r["value"].strip() for r in rows
    )
    return any(drawable(r) for r in rows) or (rule == "ratio_range" and bool(ratios)) or items


def unit_label(unit: str | None, lang: str) -> str:
    if not unit:
        return ""
    if lang == "es" and unit in UNIT_LABELS_ES:
        return UNIT_LABELS_ES[unit]
    return UNIT_LABELS.get(unit, unit.replace("_", " "))


def claim_label(claim: dict[str, Any], lang: str) -> str:
    """'Claim: 80–95%' in words, so the claim is never shown by colour alone."""
    claimed = claim.get("claimed") or {}
    unit = unit_label(claimed.get("unit"), lang) if claimed.get("unit") != "count" else ""  # "8", not "8 count"
    sep = "" if unit == "" or (unit == "%" and lang == "en") else " "  # 80–95% / 80–95 %
    prefix = t("claim", lang) + ": "
    if claimed.get("low") is not None and claimed.get("high") is not None:
        low, high = claimed["low"], claimed["high"]
        if high >= OPEN_HIGH:
            return prefix + f"≥ {fmt_num(low, lang)}{sep}{unit}"
        if high == low:
            return prefix + f"{fmt_num(low, lang)}{sep}{unit}"
        return prefix + f"{fmt_num(low, lang)}–{fmt_num(high, lang)}{sep}{unit}"
    if claimed.get("value") is not None:
        sign = {"at_least": "≥ ", "at_most": "≤ "}.get(claim["rule"]["kind"], "")
        return prefix + f"{sign}{fmt_num(claimed['value'], lang)}{sep}{unit}"
    return prefix + claim.get("quote", "")[:40]


def claim_unit(claim: dict[str, Any]) -> str:
    """The claim's unit (its axis); a rank claim has none, so the unit most of its evidence rows are in."""
    unit = (claim.get("claimed") or {}).get("unit")
    if unit:
        return norm_unit(unit)
    rows = [r for r in claim.get("evidence_rows") or [] if drawable(r)]
    units = [norm_unit(r.get("unit")) for r in rows if r.get("role") == "evidence"] or [
        norm_unit(r.get("unit")) for r in rows
    ]
    return max(set(units), key=units.count) if units else ""


def claim_period(period: Any) -> tuple[str, str] | None:
    """First and last day of the claim's period as published ('2025', '2026-02', '2026-01/2026-02', a date)."""
    text = str(period or "")
    first, _, last = text.partition("/")
    last = last or first
    try:
        return _bounds(first)[0], _bounds(last)[1]
    except (ValueError, IndexError):
        return None


def _bounds(text: str) -> tuple[str, str]:
    if len(text) == 4 and text.isdigit():
        return f"{text}-01-01", f"{text}-12-31"
    if len(text) == 7:
        year, month = int(text[:4]), int(text[5:7])
        return f"{text}-01", f"{text}-{calendar.monthrange(year, month)[1]:02d}"
    if len(text) == 10:
        pd.Timestamp(text)
        return text, text
    raise ValueError(text)


def evidence_input(claim: dict[str, Any], lang: str) -> EvidenceInput:
    claimed = claim.get("claimed") or {}
    kind = (claim.get("rule") or {}).get("kind", "")
    year = str(claimed.get("period") or "")[:4]
    return EvidenceInput(
        rows=list(claim.get("evidence_rows") or []),
        unit=claim_unit(claim),
        kind=kind,
        claimed=claimed if kind != "rank_min" else {},
        ratios=list(claim.get("ratios") or []) if kind == "ratio_range" else [],
        lang=lang,
        claim_period=claim_period(claimed.get("period")),
        highlight_year=int(year) if kind == "rank_min" and year.isdigit() else None,
    )


def evidence_words(claim: dict[str, Any], lang: str) -> EvidenceWords:
    words = WORDS[lang]
    units = {u: unit_label(u, lang) for u in {*UNIT_LABELS, *UNIT_LABELS_ES}}
    return EvidenceWords(
        claim_label=claim_label(claim, lang),
        context=words["context"],
        flagged=words["flagged"],
        not_counted=words["not_counted"],
        context_key=words["context_key"],
        flagged_key=words["flagged_key"],
        not_counted_key=words["not_counted_key"],
        publishers=words["publishers"],
        ratio=words["ratio"],
        claim_period=words["claim_period"],
        highlight=words["highlight"],
        no_data=t("no_data", lang),
        months=MONTHS_SHORT[lang],
        units=units,
    )


def evidence_table(claim: dict[str, Any], lang: str) -> pd.DataFrame:
    """The rows behind the chart (and the ratios drawn from them), for the table view and the CSV."""
    rows = [
        {
            "series": (r.get("series_es") if lang == "es" else None) or r.get("series", ""),
            "role": ROLES[lang].get(r.get("role", ""), r.get("role", "")),
            "period": r.get("period", ""),
            "value": r.get("value"),
            "unit": unit_label(r.get("unit"), lang),
            "publisher": r.get("publisher", ""),
            "verification": r.get("verification", ""),
            "url": r.get("url", ""),
            "retrieved": r.get("retrieved", ""),
        }
        for r in claim.get("evidence_rows") or []
    ]
    for r in claim.get("ratios") or []:
        if is_number(r.get("value")):
            num = (r.get("numerator_label_es") if lang == "es" else None) or r.get("numerator_label", "")
            den = (r.get("denominator_label_es") if lang == "es" else None) or r.get("denominator_label", "")
            rows.append(
                {
                    "series": (
                        WORDS[lang]["ratio"].format(num=num, den=den) if num and den else r.get("label", "")
                    ).replace(" de el ", " del "),
                    "role": ROLES[lang].get(role := "evidence" if r.get("counted", True) else "context", role),
                    "period": r.get("period", ""),
                    "value": r["value"],
                    "unit": "%",
                    "publisher": r.get("publisher", ""),
                    "verification": "",
                    "url": r.get("url", ""),
                    "retrieved": "",
                }
            )
    return pd.DataFrame(
        rows, columns=["series", "role", "period", "value", "unit", "publisher", "verification", "url", "retrieved"]
    )


def evidence_refs(claim: dict[str, Any], lang: str = "en") -> list[SourceRef]:
    """One reference per publisher and URL, evidence rows first, titled with the series in the reader's language."""
    refs: dict[tuple[str, str], SourceRef] = {}
    rows = sorted(claim.get("evidence_rows") or [], key=lambda r: r.get("role") != "evidence")
    for r in rows:
        key = (r.get("publisher", ""), r.get("url", ""))
        if key not in refs and (key[0] or key[1]):
            title = (r.get("series_es") if lang == "es" else None) or r.get("series", "")
            refs[key] = SourceRef(title, key[0], key[1], r.get("retrieved", ""), "", "")
    return list(refs.values())


def left_out_note(claim: dict[str, Any], lang: str) -> list[str]:
    """Rows the chart cannot put on its axes (another unit, no date or no number) are named under it."""
    data = evidence_input(claim, lang)
    _, _, _, left = panels(data)
    main, second, _, _ = panels(data)
    drawn = {id(r) for r in main + second}
    undrawable = [r for r in data.rows if not drawable(r) and is_number(r.get("value"))]
    names = list(
        dict.fromkeys(
            ((r.get("series_es") if lang == "es" else None) or r.get("series", ""))
            for r in left + undrawable
            if id(r) not in drawn
        )
    )
    return [WORDS[lang]["left_out"].format(names="; ".join(names))] if names else []


def build_claim_view(store: DataStore, claim: dict[str, Any], lang: str) -> ChartView:
    """Figure, table, sentence and sources of a claim's chart, all from the claim's published rows."""
    data = evidence_input(claim, lang)
    unit = unit_label(data.unit, lang)
    quote = claim.get("quote", "")
    quote = (quote[:90] + "…") if len(quote) > 90 else quote
    quote = f"“{quote}”" + (f" {WORDS['es']['in_english']}" if lang == "es" else "")
    # The title says the finding in plain words (the claim's page has the quote as its heading); an image or embed
    # travels alone, so its subtitle carries the quote, the unit and how the claim is drawn.
    title = claim.get(f"finding_{lang}") or quote
    how = WORDS[lang]["subtitle_rank" if data.kind == "rank_min" else "subtitle"].format(unit=unit or "–")
    subtitle = f"{t('claim', lang)}: {quote} · {how}"
    refs = evidence_refs(claim, lang)
    drawn_ends = [r.get("x_end") or r.get("x_start") for r in data.rows if drawable(r) and r.get("role") == "evidence"]
    as_of = str(claim.get("as_of") or max(drawn_ends, default=""))[:10]
    extra = WORDS[lang]["more_sources"].format(n=len(refs) - SOURCES_IN_LINE) if len(refs) > SOURCES_IN_LINE else ""
    frame = Frame(title, subtitle, source_line(refs[:SOURCES_IN_LINE], as_of, lang, extra), lang)
    fig = make_evidence_figure(data, frame, evidence_words(claim, lang))
    summary = claim.get(f"conclusion_{lang}") or claim.get("conclusion_en", "")
    view = ChartView(fig, evidence_table(claim, lang), summary, title, subtitle, refs, as_of)
    view.notes = left_out_note(claim, lang)
    return view


def spec_for(chart_id: str) -> ChartSpec:
    """A chart spec made on demand for `claim-<id>` (claims are data, so their charts are too)."""
    claim_id = chart_id.removeprefix("claim-")

    def builder(store: DataStore, state: ChartState) -> ChartView:
        return build_claim_view(store, find_claim(store, claim_id), state.lang)

    return ChartSpec(id=chart_id, page="/", build=builder, title={"en": claim_id, "es": claim_id})

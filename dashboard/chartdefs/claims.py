"""Evidence charts for claims: exactly the rows the verdict engine published behind each label (`evidence_rows` in
claims.json; no second selection here), with the claim drawn on them as a labelled dashed line or band. One chart id
per claim: `claim-<claim id>`. The figure itself is drawn by `dashboard/figures/evidence.py`."""

from __future__ import annotations

import calendar
from typing import Any

import pandas as pd

from dashboard.chart_registry import ChartSpec, ChartState, ChartView
from dashboard.chartdefs._shared import archived_mark
from dashboard.chartdefs.claim_words import (
    SOURCES_SHORT,
    UNITS,
    claim_words,
    role_name,
    unit_label,
)
from dashboard.data import DataStore, SourceRef
from dashboard.describe_periods import when
from dashboard.figures.basic import open_high
from dashboard.figures.common import Frame, wrap
from dashboard.figures.evidence import (
    EvidenceInput,
    EvidenceWords,
    drawable,
    far_context,
    inner,
    is_day,
    is_number,
    make_evidence_figure,
    norm_unit,
    panels,
    ratio_rows,
    second_panel_rows,
)
from dashboard.i18n import (
    DEFAULT_LANG,
    LANGS,
    MONTHS_SHORT,
    fmt_date,
    fmt_num,
    localized,
    publisher_text,
    t,
    translation,
)

CHARTED_RULES = {"approx", "range", "at_least", "at_most", "ratio_range", "rank_min"}


def claims_doc(store: DataStore) -> dict[str, Any]:
    return store.json_file("claims.json") or {"documents": [], "claims": []}


def find_claim(store: DataStore, claim_id: str) -> dict[str, Any]:
    for claim in claims_doc(store)["claims"]:
        if claim["claim_id"] == claim_id:
            return claim
    raise KeyError(f"no claim {claim_id!r}")


def has_chart(claim: dict[str, Any]) -> bool:
    """A chart only where there is something to compare: a numeric rule and, in the claim's unit, rows with at
    least two distinct values or dates (one lone figure is said in words, on a text card); a ratio claim with the
    engine's ratios, a rank claim with its yearly rows, or a count drawn from its items."""
    rule = (claim.get("rule") or {}).get("kind")
    if rule not in CHARTED_RULES:
        return False
    rows = unique_rows(claim.get("evidence_rows") or [])
    if rule == "ratio_range":
        return any(is_number(r.get("value")) and is_day(r.get("x_start")) for r in claim.get("ratios") or [])
    if norm_unit((claim.get("claimed") or {}).get("unit")) == "count" and not any(drawable(r) for r in rows):
        return sum(isinstance(r.get("value"), str) and bool(r["value"].strip()) for r in rows) >= 2
    unit = claim_unit(claim)
    plotted = [r for r in rows if drawable(r) and norm_unit(r.get("unit")) == unit]
    if rule == "rank_min":
        return bool(plotted)
    values = {r["value"] for r in plotted}
    dates = {(r["x_start"][:10], (r.get("x_end") or r["x_start"])[:10]) for r in plotted}
    return len(values) >= 2 or len(dates) >= 2


def unique_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each published row once (the same `key` in two series of a claim is one figure, drawn once)."""
    seen: set[tuple] = set()
    out = []
    for r in rows:
        if r.get("key"):  # the same row under the same key: one figure (a key alone may name a whole table)
            ident = (r["key"], str(r.get("value")), r.get("x_start"), r.get("x_end"), r.get("unit"))
            if ident in seen:
                continue
            seen.add(ident)
        out.append(r)
    return out


def claim_label(claim: dict[str, Any], lang: str) -> str:
    """'Claim: ≥ 100% (as read here)': the claim as this site reads it, in words (the document's own wording of the
    reading when the engine publishes one), so the claim is never shown by colour alone and never put in the
    document's mouth."""
    claimed = claim.get("claimed") or {}
    words = claim_words(lang)
    prefix = t("claim", lang) + ": "
    wording = localized(claimed, "wording", lang)
    reading = localized(claimed, "reading", lang)
    wording = wording or reading  # the test in words ("production ≥ consumption"), not its number ("≥ 100%")
    if wording:  # "(as read here)" is never split across lines
        return wrap(prefix + wording + " " + words["read_here"].replace(" ", "\u00a0"), LABEL_CHARS)
    own = localized(claimed, "unit_label", lang)
    unit = own or (unit_label(claimed.get("unit"), lang) if claimed.get("unit") != "count" else "")  # not "8 count"
    sep = "" if unit in ("", "%") else "\u00a0"  # never split: 8\u00a0plants; 80–95% / 80–95\u00a0% by the catalogue
    unit = t("claim_percent_sign", lang) if unit == "%" else unit
    suffix = " " + words["read_here"].replace(" ", "\u00a0")
    return wrap(_numeric_label(claim, claimed, prefix, unit, sep, suffix, lang), LABEL_CHARS)


# A claim label's line: "(as read here)" goes on a line of its own, so that the label reaches across less than
# half a phone's plot and can sit where no mark is (a one-line label covered a point on most phones, round 7).
LABEL_CHARS = 26


def _numeric_label(claim: dict, claimed: dict, prefix: str, unit: str, sep: str, suffix: str, lang: str) -> str:
    if claimed.get("low") is not None and claimed.get("high") is not None:
        low, high = claimed["low"], claimed["high"]
        if open_high(claimed):
            return prefix + f"≥\u00a0{fmt_num(low, lang)}{sep}{unit}" + suffix
        if high == low:
            return prefix + f"{fmt_num(low, lang)}{sep}{unit}" + suffix
        return prefix + f"{fmt_num(low, lang)}–{fmt_num(high, lang)}{sep}{unit}" + suffix
    if claimed.get("value") is not None:
        sign = {"at_least": "≥\u00a0", "at_most": "≤\u00a0"}.get(claim["rule"]["kind"], "")
        return prefix + f"{sign}{fmt_num(claimed['value'], lang)}{sep}{unit}" + suffix
    return prefix + claim.get("quote", "")[:40]


def claim_unit(claim: dict[str, Any]) -> str:
    """The claim's unit (its axis); a rank claim has none, so the unit most of its evidence rows are in."""
    unit = (claim.get("claimed") or {}).get("unit")
    if unit:
        return norm_unit(unit)
    rows = [r for r in unique_rows(claim.get("evidence_rows") or []) if drawable(r)]
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
    rows = unique_rows(claim.get("evidence_rows") or [])
    far = far_context(rows, claim_unit(claim), claimed)
    return EvidenceInput(  # publishers as readers see them (legend, labels); the table keeps them as published
        rows=[
            {**r, "publisher": publisher_text(str(r.get("publisher") or ""), lang)}
            for r in rows
            if not any(r is o for o in far)
        ],
        unit=claim_unit(claim),
        kind=kind,
        claimed=claimed if kind != "rank_min" else {},
        ratios=[
            {
                **r,
                "publisher": publisher_text(str(r.get("publisher") or ""), lang),
                "source": publisher_text(str(r.get("source") or ""), lang),
            }
            for r in claim.get("ratios") or []
        ]
        if kind == "ratio_range"
        else [],
        lang=lang,
        claim_period=claim_period(claimed.get("period")),
        highlight_year=int(year) if kind == "rank_min" and year.isdigit() else None,
    )


def evidence_words(claim: dict[str, Any], lang: str) -> EvidenceWords:
    words = claim_words(lang)
    units = {key.removeprefix("claim_unit_"): t(key, lang) for key in UNITS}
    claimed = claim.get("claimed") or {}
    own = localized(claimed, "unit_label", lang)
    if own and claimed.get("unit"):  # what is counted ("plants"), not the bare unit ("count")
        units[norm_unit(claimed["unit"])] = own
    return EvidenceWords(
        claim_label=claim_label(claim, lang),
        context=words["context"],
        flagged=words["flagged"],
        not_counted=words["not_counted"],
        context_key=words["context_key"],
        flagged_key=words["flagged_key"],
        not_counted_key=words["not_counted_key"],
        publishers=words["publishers"],
        other_reports=words["other_reports"],
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
            "series": localized(r, "series", lang) or "",
            "role": role_name(r.get("role", ""), lang),
            "period": r.get("period", ""),
            "value": r.get("value"),
            "unit": unit_label(r.get("unit"), lang),
            "publisher": r.get("publisher", ""),  # as published: the table and CSV keep provenance exact
            "verification": r.get("verification", ""),
            "url": r.get("url", ""),
            "retrieved": r.get("retrieved", ""),
        }
        for r in claim.get("evidence_rows") or []
    ]
    for r in claim.get("ratios") or []:
        if is_number(r.get("value")):
            num = localized(r, "numerator_label", lang) or ""
            den = localized(r, "denominator_label", lang) or ""
            rows.append(
                {
                    "series": (
                        claim_words(lang)["ratio"].format(num=num, den=inner(den, lang))
                        if num and den
                        else (localized(r, "label", lang) or "")
                    ).replace(" de el ", " del "),
                    "role": role_name("evidence" if r.get("counted", True) else "context", lang),
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
            title = localized(r, "series", lang) or ""
            refs[key] = SourceRef(title, publisher_text(key[0], lang), key[1], r.get("retrieved", ""), "", "")
    return list(refs.values())


def left_out_note(claim: dict[str, Any], lang: str) -> list[str]:
    """Rows the chart cannot put on its axes (another unit, no date or no number) are named under it."""
    data = evidence_input(claim, lang)
    _, _, _, left = panels(data)
    main, second, _, _ = panels(data)
    drawn = {id(r) for r in main + second}
    undrawable = [r for r in data.rows if not drawable(r) and is_number(r.get("value"))]
    # Named with their publishers and unit: a series can be drawn in one unit and left out in another (press reports
    # of hours a day drawn, of hours in total not), so "press reports … not drawn" alone would contradict the key.
    names = list(
        dict.fromkeys(
            f"{localized(r, 'series', lang) or ''} "
            f"({publisher_text(str(r.get('publisher') or ''), lang)}, {unit_label(r.get('unit'), lang)})"
            for r in left + undrawable
            if id(r) not in drawn
        )
    )
    return [claim_words(lang)["left_out"].format(names="; ".join(names))] if names else []


def pooled_note(data: EvidenceInput, lang: str) -> list[str]:
    """Other reports the lower panel of a ratio chart leaves to the table, named under the chart."""
    _, second, _, _ = panels(data)
    _, left = second_panel_rows(data, second)
    names = list(dict.fromkeys((localized(r, "series", lang) or "") for r in left))
    if not names:
        return []
    return [claim_words(lang)["pooled_left_out"].format(names="; ".join(names), n=len(left))]


def uncounted_ratio_note(claim: dict[str, Any], lang: str) -> list[str]:
    """A ratio the check did not count that falls inside the claimed range reads as support on the chart: say under
    it that it is context ("Jul 2024: 52%, context, not counted")."""
    claimed = claim.get("claimed") or {}
    if (claim.get("rule") or {}).get("kind") != "ratio_range" or not is_number(claimed.get("low")):
        return []
    low, high = float(claimed["low"]), float(claimed.get("high") or claimed["low"])
    inside = [
        r
        for r in claim.get("ratios") or []
        if not r.get("counted", True) and is_number(r.get("value")) and low <= r["value"] <= high and r.get("x_end")
    ]
    out = []
    for r in inside:
        end = r["x_end"][:10]
        when = f"{MONTHS_SHORT[lang][int(end[5:7]) - 1]} {end[:4]}"
        out.append(claim_words(lang)["uncounted_ratio"].format(when=when, value=fmt_num(round(r["value"]), lang)))
    return out


def short_quote(quote: str, limit: int = 110) -> str:
    """The document's words, shortened at a word boundary with an ellipsis when long."""
    if len(quote) <= limit:
        return quote
    cut = quote[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def claim_as_of(claim: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """The latest observation behind the chart: the engine's `as_of`, else the latest drawn evidence row, else any
    drawn row, else (a list of items without dates) the latest retrieval of the items."""
    if claim.get("as_of"):
        return str(claim["as_of"])[:10]
    drawn = [r for r in rows if drawable(r)]
    for pool in ([r for r in drawn if r.get("role") == "evidence"], drawn):
        if pool:
            return max((r.get("x_end") or r["x_start"])[:10] for r in pool)
    return max((str(r.get("retrieved") or "")[:10] for r in rows), default="")


def short_source_line(claim: dict[str, Any], rows: list[dict[str, Any]], as_of: str, lang: str) -> str:
    """'Data as of 28 February 2026 · Source: A; B; C +4 more': the date first, then the publishers of the evidence
    rows (all rows' when none is evidence), at most SOURCES_SHORT of them, so it fits a phone and is never cut."""
    drawn = [r for r in rows if drawable(r)] or rows  # credit what the image draws, not rows left to the table
    evidence = [r for r in drawn if r.get("role") == "evidence"] or drawn
    names = [n for n in dict.fromkeys(str(r.get("publisher") or "").strip() for r in evidence) if n]
    if not names:
        names = [n for n in dict.fromkeys(str(r.get("publisher") or "") for r in claim.get("ratios") or []) if n]
    names = list(dict.fromkeys(publisher_text(n, lang) for n in names))
    text = "; ".join(names[:SOURCES_SHORT])
    if len(names) > SOURCES_SHORT:
        text += " " + claim_words(lang)["more"].format(n=len(names) - SOURCES_SHORT)

    # Every publisher drawn is credited: those of the context marks are counted (as organisations: "14ymedio" and
    # "14ymedio (estimate by …)" are one), and listed on the claim's page.
    def org(name: str) -> str:
        return name.split(" (")[0].strip()

    others = {org(str(r.get("publisher") or "")) for r in drawn if str(r.get("publisher") or "").strip()}
    others -= {org(n) for n in names}
    if others and text:
        key = "context_from_one" if len(others) == 1 else "context_from"
        text += "; " + claim_words(lang)[key].format(n=len(others))
    parts = []
    undated = not claim.get("as_of") and not any(drawable(r) for r in rows)
    if as_of:  # a list of items has no observation date: say when it was checked, not "data as of"
        parts.append(f"{t('lists_checked' if undated else 'data_as_of', lang)} {fmt_date(as_of, lang)}")
    if text:
        parts.append(f"{t('source', lang)}: {text}")
    return " · ".join(parts) + archived_mark(lang)


def data_period(rows: list[dict[str, Any]], lang: str) -> str:
    """The span the chart draws, as a reporter writes it: '2007–2025', 'Dec 2025–Apr 2026', 'Feb 2026'."""
    drawn = [r for r in rows if drawable(r)]
    if not drawn:
        return ""
    first = min(r["x_start"][:10] for r in drawn)
    last = max((r.get("x_end") or r["x_start"])[:10] for r in drawn)
    months = MONTHS_SHORT[lang]
    if first[:4] != last[:4] and int(last[:4]) - int(first[:4]) >= 2:
        return f"{first[:4]}–{last[:4]}"
    a = f"{months[int(first[5:7]) - 1]} {first[:4]}"
    b = f"{months[int(last[5:7]) - 1]} {last[:4]}"
    if first[:4] == last[:4] and first[5:] == "01-01" and last[5:] == "12-31":
        return first[:4]
    return a if a == b else f"{a}–{b}"


def off_scale_when(row: dict[str, Any], lang: str) -> str:
    """The day of a mark left off the scale, or the days it covers (two loadings 3–24 January 2025 are not one day)."""
    start = pd.Timestamp(row["x_start"][:10])
    return when(start, pd.Timestamp((row.get("x_end") or row["x_start"])[:10]), "period", lang)


def build_claim_view(store: DataStore, claim: dict[str, Any], lang: str) -> ChartView:
    """Figure, table, sentence and sources of a claim's chart, all from the claim's published rows."""
    data = evidence_input(claim, lang)
    words = claim_words(lang)
    unit = evidence_words(claim, lang).units.get(data.unit) or unit_label(data.unit, lang)
    translated = translation(claim, "quote", lang)
    quote = f"“{short_quote(translated or claim.get('quote', ''))}” " + (
        words["translated"] if translated else t("claim_quote_original", lang) if lang != DEFAULT_LANG else ""
    )
    quote = quote.rstrip()
    # The title says the finding in plain words (the claim's page has the quote as its heading); an image or embed
    # travels alone, so its subtitle carries the quote, the unit, the period and how the claim is drawn.
    title = claim.get(f"finding_{lang}") or quote
    claimed = data.claimed
    band = claimed.get("low") is not None and claimed.get("high") is not None and claimed["high"] != claimed["low"]
    band = band and not open_high(claimed)
    how = words["how_rank" if data.kind == "rank_min" else "how_band" if band else "how_line"]
    main, second, _second_unit, _left_out = panels(data)  # the period the chart draws, not rows it leaves out
    drawn_rows = main + second_panel_rows(data, second)[0] + ratio_rows(data, evidence_words(claim, lang))
    scope = ", ".join(p for p in (unit, data_period(drawn_rows, lang)) if p)
    subtitle = f"{t('claim', lang)}: {quote} · " + (f"{scope}. " if scope else "") + how
    off = far_context(unique_rows(claim.get("evidence_rows") or []), data.unit, claimed)
    if off:
        what = "; ".join(
            f"{localized(r, 'series', lang) or ''}, {fmt_num(r['value'], lang)} "
            f"{unit_label(r.get('unit'), lang)} ({off_scale_when(r, lang)})"
            for r in off
        )
        subtitle += ". " + words["off_scale"].format(what=what)
    refs = evidence_refs(claim, lang)
    as_of = claim_as_of(claim, data.rows)
    main, second, _, _ = panels(data)
    line = short_source_line(claim, main + second_panel_rows(data, second)[0] or data.rows, as_of, lang)
    # An image travels without the notes under the chart: the one a reader needs to read a mark right goes in.
    image_line = " · ".join([line, *uncounted_ratio_note(claim, lang)])
    frame = Frame(title, subtitle, wrap(image_line, 110), lang)
    fig = make_evidence_figure(data, frame, evidence_words(claim, lang))
    summary = claim.get(f"conclusion_{lang}") or claim.get("conclusion_en", "")
    view = ChartView(fig, evidence_table(claim, lang), summary, title, subtitle, refs, as_of)
    quoted = f"{t('claim', lang)}: {quote} · "
    rest = subtitle.removeprefix(quoted) if subtitle.startswith(quoted) else ""
    view.page_subtitle = rest[:1].upper() + rest[1:] if rest else None
    view.notes = left_out_note(claim, lang) + uncounted_ratio_note(claim, lang) + pooled_note(data, lang)
    view.caption = line  # the embed's caption: the same short line as the image (dashboard/embed.py)
    return view


def spec_for(chart_id: str) -> ChartSpec:
    """A chart spec made on demand for `claim-<id>` (claims are data, so their charts are too)."""
    claim_id = chart_id.removeprefix("claim-")

    def builder(store: DataStore, state: ChartState) -> ChartView:
        return build_claim_view(store, find_claim(store, claim_id), state.lang)

    return ChartSpec(
        id=chart_id, page="/", build=builder, title=dict.fromkeys(LANGS, claim_id)
    )  # the id names it in every language

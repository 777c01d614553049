"""The claims' pieces: the label badge, the quote (verbatim, or our marked translation), the evidence behind the label,
the full card and its one-line form in the compact list, and the box that cites a check."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dash import dcc, html

from dashboard import charts
from dashboard import data as data_module
from dashboard.chart_card import chart_card, cited_version
from dashboard.chart_registry import ChartState
from dashboard.chartdefs.claims import has_chart, unit_label
from dashboard.components import with_lang
from dashboard.i18n import fmt_date, fmt_num, label_text, source_text, t, translation
from dashboard.pages_index import LABEL_SLUGS

LABEL_SLUG = {label: slug for slug, label in LABEL_SLUGS.items()}
TOPIC_KEYS = {  # a claim's topic (as the claims file writes it, in English) → its name in the catalogue
    "oil supply": "topic_oil_supply",
    "generation": "topic_generation",
    "blackouts": "topic_blackouts",
    "plants": "topic_plants",
    "tourism": "topic_tourism",
    "prisoners": "topic_prisoners",
    "history": "topic_history",
    "geography": "topic_geography",
    "politics": "topic_politics",
    "economy": "topic_economy",
}
# The engine writes how it reads a claim (`claimed.assumption`) in English only: shown on English pages alone.
ASSUMPTION_LANG = "en"


def claim_path(claim_id: str, lang: str) -> str:
    """The claim's own page (pages/claim.py)."""
    return with_lang(f"/claims/{claim_id}", lang)


def topic_text(topic: str, lang: str) -> str:
    """A claim's topic in the reader's language (a topic the catalogue lacks stays as the claims file writes it)."""
    key = TOPIC_KEYS.get(topic)
    return t(key, lang) if key else topic


def localized(record: dict[str, Any], field: str, lang: str) -> str:
    """`<field>_<lang>` when present, else `<field>_en`, else `<field>` (older claims files)."""
    for key in (f"{field}_{lang}", f"{field}_en", field):
        if record.get(key):
            return str(record[key])
    return ""


def claim_finding(claim: dict[str, Any], lang: str) -> str:
    """The one-line finding for the compact list; the full conclusion when the claims file has no finding yet."""
    return localized(claim, "finding", lang) or localized(claim, "conclusion", lang)


def label_badge(label: str, lang: str) -> html.Span:
    return html.Span(label_text(label, lang), className=f"label-badge label-{LABEL_SLUG.get(label, 'cannot-check')}")


def value_text(value: Any, unit: str | None, lang: str) -> str:
    shown = unit_label(unit, lang)
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = fmt_num(value, lang)
        return f"{text}%" if shown == "%" else f"{text} {shown}".strip()
    return str(value) if value is not None else "–"


def period_words(row: dict[str, Any], lang: str) -> str:
    """An evidence row's period in words from its x_start/x_end (a day, a year, whole months, or two dates); the
    period as published when those are missing."""
    start, end = str(row.get("x_start") or ""), str(row.get("x_end") or "")
    if len(start) != 10 or len(end) != 10:
        return str(row.get("period") or "")
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        return str(row.get("period") or "")
    if first == last:
        return fmt_date(start, lang)
    if first.year == last.year and (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        return str(first.year)
    if first.day == 1 and (last + timedelta(days=1)).day == 1:
        months = (fmt_date(start[:7], lang), fmt_date(end[:7], lang))
        return months[0] if months[0] == months[1] else f"{months[0]} – {months[1]}"
    return f"{fmt_date(start, lang)} – {fmt_date(end, lang)}"


def _source_link(name: str, url: str) -> Any:
    return html.A(name, href=url, rel="noopener noreferrer", target="_blank") if url.startswith("http") else name


def measured_list(claim: dict[str, Any], lang: str) -> html.Ul:
    """The values behind the label: the engine's `evidence_rows` (role "evidence") when published, else `measured`."""
    rows = [r for r in claim.get("evidence_rows") or [] if r.get("role", "evidence") == "evidence"]
    items = []
    if rows:
        for r in rows:
            flag = r.get("verification") or ""
            items.append(
                html.Li(
                    [
                        html.Strong(value_text(r.get("value"), r.get("unit"), lang)),
                        " — ",
                        translation(r, "series", lang) or r.get("series", ""),
                        f" ({period_words(r, lang)})" if r.get("period") or r.get("x_start") else "",
                        " · ",
                        _source_link(
                            source_text(str(r.get("publisher") or r.get("table", "")), lang), str(r.get("url", ""))
                        ),
                        f" · {t('retrieved', lang)} {r['retrieved']}" if r.get("retrieved") else "",
                        *(
                            [" · ", html.Em(t(f"verification_{flag}", lang), className="verification")]
                            if flag in ("unverified", "conflicting")
                            else []
                        ),
                    ]
                )
            )
        return html.Ul(items, className="measured", **{"aria-label": t("evidence_rows", lang)})
    for m in claim.get("measured", []):
        if m.get("status") != "ok":
            items.append(
                html.Li(
                    [
                        translation(m, "name", lang) or m.get("label", m.get("table", "")),
                        ": ",
                        html.Em(t("claim_no_data", lang)),
                        f" ({m['note']})" if m.get("note") else "",
                    ],
                    className="text-muted",
                )
            )
            continue
        items.append(
            html.Li(
                [
                    html.Strong(value_text(m.get("value"), m.get("unit"), lang)),
                    " — ",
                    translation(m, "name", lang) or m.get("name") or m.get("label", ""),
                    f" ({m['period']})" if m.get("period") else "",
                    " · ",
                    _source_link(
                        source_text(str(m.get("publisher") or m.get("table", "")), lang), str(m.get("url", ""))
                    ),
                    f" · {t('retrieved', lang)} {m['retrieved']}" if m.get("retrieved") else "",
                    *([" · ", html.Em(t("not_counted", lang))] if m.get("counted") is False else []),
                ]
            )
        )
    return html.Ul(items, className="measured", **{"aria-label": t("evidence_rows", lang)})


def document_title(document: dict[str, Any], lang: str, **link: Any) -> list:
    """The document's title as a link, in its own language; on a page in another language our translation follows
    it, marked as ours."""
    doc_lang = document.get("language") or "en"
    out: list = [html.A(document.get("title", ""), href=document.get("url", "#"), lang=doc_lang, **link)]
    translated = document.get(f"title_{lang}") if lang != doc_lang else None
    if translated:
        out += [" (", html.Span(f"«{translated}»", lang=lang), f", {t('quote_translated_short', lang).strip('()')})"]
    return out


def shown_quote(claim: dict[str, Any], lang: str, document: dict[str, Any]) -> tuple[str, str, bool]:
    """(text, its language, translated?): on a page in another language than the document, the claim's own
    translation where the claims file has one (always marked as ours, with the original beside it)."""
    doc_lang = document.get("language") or "en"
    translated = claim.get(f"quote_{lang}") if lang != doc_lang else None
    if translated:
        return str(translated), lang, True
    return str(claim["quote"]), doc_lang, False


def quote_note(claim: dict[str, Any], lang: str, document: dict[str, Any]) -> html.P | None:
    """The line under a quote on a page in another language: 'our translation; the original: “…”', or, where there
    is no translation, that the quote is the English original."""
    doc_lang = document.get("language") or "en"
    if doc_lang == lang:
        return None
    _, _, translated = shown_quote(claim, lang, document)
    if translated:
        return html.P(
            [f"({t('quote_translated', lang)} ", html.Span(f"“{claim['quote']}”", lang=doc_lang), ")"],
            className="small text-muted mb-1 quote-original",
        )
    return html.P(f"({t('quote_in_english', lang)})", className="small text-muted mb-1")


def claim_quote(claim: dict[str, Any], lang: str, document: dict[str, Any]) -> html.Blockquote:
    """The quote: verbatim in the document's language, or our marked translation with the original beside it."""
    text, text_lang, _ = shown_quote(claim, lang, document)
    children: list = [html.P(f"“{text}”", lang=text_lang)]
    note = quote_note(claim, lang, document)
    if note is not None:
        children.append(note)
    return html.Blockquote(children, cite=document.get("url") or None)


def claim_body(
    claim: dict[str, Any],
    lang: str,
    base_url: str,
    document: dict[str, Any],
    *,
    chart: str = "image",
    with_quote: bool = True,
    with_label: bool = True,
) -> list:
    """The full card's content: label, quote, characterisation and core, conclusion, evidence, caveats, how the
    claim is read, context, and the evidence chart (`chart`: "image", "lazy-image", "interactive" or "none")."""
    cid = claim["claim_id"]
    children: list = [
        html.Div(
            [
                *([label_badge(claim["label"], lang), " "] if with_label else []),
                html.Span(
                    f"{topic_text(claim['topic'], lang)} · {t('paragraph', lang)} {claim['paragraph']}",
                    className="text-muted small",
                ),
            ]
        )
    ]
    if with_quote:
        children.append(claim_quote(claim, lang, document))
    characterisation, core = localized(claim, "characterisation", lang), localized(claim, "core", lang)
    if characterisation:
        children.append(
            html.P([html.Strong(t("characterisation", lang) + ": "), characterisation], className="characterisation")
        )
    if core:
        children.append(html.P([html.Strong(t("core", lang) + ": "), core], className="core"))
    children.append(
        html.P(
            [html.Strong(t("what_data_says", lang) + ": "), localized(claim, "conclusion", lang)],
            className="conclusion",
        )
    )
    if claim.get("evidence_rows") or claim.get("measured"):
        children.append(measured_list(claim, lang))
    caveats = claim.get(f"caveats_{lang}") or claim.get("caveats_en") or []
    if caveats:
        children.append(
            html.Div(
                [html.P(html.Strong(t("caveats", lang)), className="mb-1"), html.Ul([html.Li(c) for c in caveats])],
                className="caveats",
            )
        )
    claimed = claim.get("claimed") or {}
    if claimed.get("assumption") and lang == ASSUMPTION_LANG:
        children.append(html.P([html.Em(t("claim_read_as", lang)), claimed["assumption"]], className="small"))
    context = translation(claim, "context", lang) or claim.get("context")
    if context:
        children.append(html.Details([html.Summary(t("context", lang)), html.P(context)]))
    if chart != "none" and has_chart(claim):
        spec = charts.get(f"claim-{cid}")
        state = ChartState(lang=lang)
        view = charts.build(spec.id, data_module.store(), state)
        image = with_lang(f"/embed/{spec.id}.svg", lang)
        children.append(
            chart_card(
                spec,
                view,
                state,
                base_url,
                heading_level=3,
                section_id=f"{spec.id}-chart",
                static_image=None if chart == "interactive" else image,
                lazy_image=chart == "lazy-image",
            )
        )
    return children


def claim_list_item(
    claim: dict[str, Any], lang: str, base_url: str, document: dict[str, Any], *, hidden: bool, expanded: bool
) -> html.Article:
    """One line of the compact list (label, quote, one-line finding) that opens, natively and from the keyboard
    (Enter or Space on the summary), into the full card and a link to the claim's page."""
    cid = claim["claim_id"]
    text, text_lang, _ = shown_quote(claim, lang, document)
    summary = html.Summary(
        [
            label_badge(claim["label"], lang),
            html.Span(
                [
                    html.Q(text, className="claim-line-quote", lang=text_lang),
                    html.Span(claim_finding(claim, lang), className="claim-line-finding"),
                ],
                className="claim-line-text",
            ),
        ],
        className="claim-line",
    )
    note = quote_note(claim, lang, document)
    body = html.Div(
        [
            *([note] if note is not None else []),
            html.P(html.A(t("claim_page_link", lang) + " →", href=claim_path(cid, lang)), className="mb-1"),
            # The summary above already shows the label and, once open, the whole quote.
            *claim_body(
                claim,
                lang,
                base_url,
                document,
                chart="image" if expanded else "lazy-image",
                with_quote=False,
                with_label=False,
            ),
        ],
        className="claim-card-body",
    )
    return html.Article(
        html.Details([summary, body], open=expanded, className="claim-details"),
        id=f"claim-{cid}",
        className=f"claim-item label-card-{LABEL_SLUG.get(claim['label'], 'cannot-check')}",
        hidden=hidden,
        **{"data-topic": claim["topic"], "data-label": LABEL_SLUG.get(claim["label"], "")},
    )


def claim_cite_box(claim: dict[str, Any], lang: str, page_url: str, as_of: str) -> html.Details:
    """A link to the claim's page and a citation of the check (the chart card, when there is one, cites the chart)."""
    label = label_text(claim["label"], lang)
    # A citation quotes the original; on a page in another language our translation follows it, marked as ours.
    translated = translation(claim, "quote", lang)
    tr = f" [“{translated}”, {t('quote_translated_short', lang).strip('()')}]" if translated else ""
    # the data version the check was made on, and the address that keeps showing it (as the chart cards cite)
    version_id, pinnable = cited_version()
    cited_url = page_url
    if pinnable:
        from dashboard.citation import with_version

        cited_url = with_version(page_url, version_id)
        if data_module.store().is_pinned:  # an archived copy offers its own address, not the live one
            page_url = cited_url
    version = f" {t('data_version', lang, version=version_id)}." if version_id else ""
    cite = (
        f"“{claim['quote']}”{tr} — {label} ({fmt_date(claim.get('label_since', ''), lang)}). "
        f"{t('site_title', lang)}"
        + (f", {t('claim_checked', lang, date=fmt_date(as_of, lang))}" if as_of else "")
        + f".{version} {cited_url}"
    )
    return html.Details(
        [
            html.Summary(t("cite_check", lang)),
            html.Label(t("page_link", lang), htmlFor="claim-page-url"),
            html.Div(
                [
                    dcc.Input(
                        id="claim-page-url", value=page_url, readOnly=True, className="form-control form-control-sm"
                    ),
                    dcc.Clipboard(content=page_url, title=t("copy", lang), className="copy", id="claim-page-url-copy"),
                ],
                className="copy-row",
            ),
            html.Label(t("how_to_cite", lang)),
            html.P(cite, className="small citation"),
        ],
        className="share-box claim-cite",
        open=True,
    )

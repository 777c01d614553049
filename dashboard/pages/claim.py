"""A page per claim (/claims/<id>, ?lang=es): the full card with its interactive evidence chart, share, embed and
cite, and the label's history from the changelog. The server answers unknown or malformed ids with a real 404
(routes.guard_pages); this layout covers in-app navigation. Its <head> carries the claim's ClaimReview (factual
labels only) and a share image of the card (pagemeta)."""

from __future__ import annotations

from typing import Any

import dash
from dash import html

from dashboard import claim_cards, components, pagekit
from dashboard.chartdefs.claims import claims_doc
from dashboard.charts import BadParameter
from dashboard.data import DataStore, store
from dashboard.i18n import fmt_date, label_text, normalize_lang, t
from dashboard.pages_index import CLAIM_PREFIX, claim_id_of, find_claim, parse_claim_query

PATH_TEMPLATE = CLAIM_PREFIX + "<claim_id>"


def _title(claim_id: str | None = None, **_query: str) -> str:
    from dashboard.pagemeta import claim_title

    claim = find_claim(store(), claim_id_of(f"{CLAIM_PREFIX}{claim_id}"))
    lang = pagekit.current_lang()
    return claim_title(claim, lang) if claim else t("not_found_title", lang)


dash.register_page(
    __name__,
    path_template=PATH_TEMPLATE,
    title=_title,
    description=lambda **_: t("page_claim_desc", pagekit.current_lang()),
    name="Claim",
)


def label_history(data: DataStore, claim: dict[str, Any], lang: str) -> html.Section:
    """Every recorded change of the label, oldest first, then the current label and since when."""
    items = []
    changes = data.label_changes(claim["claim_id"])
    for change in changes:
        when = fmt_date(change["date"], lang)
        if change.get("old") and change.get("new"):
            text = t(
                "label_changed",
                lang,
                date=when,
                old=label_text(change["old"], lang),
                new=label_text(change["new"], lang),
            )
        elif change.get("new"):
            text = t("label_first", lang, date=when, new=label_text(change["new"], lang))
        else:
            continue
        items.append(html.Li(text))
    current = t(
        "label_since", lang, label=label_text(claim["label"], lang), date=fmt_date(claim.get("label_since"), lang)
    )
    items.append(html.Li([html.Strong(current), *([] if changes else [" ", t("label_unchanged", lang)])]))
    return html.Section(
        [html.H2(t("label_history", lang), id="label-history-title"), html.Ol(items, className="label-history")],
        className="claim-section",
        **{"aria-labelledby": "label-history-title"},
    )


def not_found(lang: str, claim_id: str) -> list:
    return [
        pagekit.page_title_marker(t("not_found_title", lang)),
        html.H1(t("not_found_title", lang)),
        html.P(t("claim_not_found", lang, id=claim_id[:100]), className="lead"),
        html.P(html.A(t("all_claims", lang), href=components.with_lang("/", lang))),
    ]


def chart_first(children: list) -> list:
    """The card with its evidence chart right after the label (issue 18): on a 375 × 812 phone the chart is on the
    first screen, under the label and the compact quote; the judgement, the figures, caveats and context follow it
    (the chart card carries its own title, subtitle, summary and source, so it reads on its own)."""
    chart = [c for c in children if isinstance(c, html.Section) and str(getattr(c, "id", "")).endswith("-chart")]
    if not chart:
        return children
    rest = [c for c in children if c is not chart[0]]
    return [*rest[:1], chart[0], *rest[1:]]


def body(data: DataStore, claim: dict[str, Any], lang: str, base_url: str) -> list:
    from dashboard.pagemeta import claim_title

    doc = claims_doc(data)
    document = next((d for d in doc["documents"] if d.get("id") == claim.get("document_id")), {})
    page_url = base_url.rstrip("/") + claim_cards.claim_path(claim["claim_id"], lang)
    quote_text, quote_lang, _ = claim_cards.shown_quote(claim, lang, document)
    quote_note = claim_cards.quote_note(claim, lang, document)
    return [
        pagekit.page_title_marker(claim_title(claim, lang)),
        html.P(html.A("← " + t("all_claims", lang), href=components.with_lang("/", lang)), className="small mb-1"),
        html.P(
            [
                f"{t('claim', lang)} · ",
                *claim_cards.document_title(document, lang, rel="noopener"),
                f" · {document.get('publisher', '')}",
                f" · {t('published', lang)} {fmt_date(document.get('published', ''), lang)}",
            ],
            className="text-muted small mb-1",
        ),
        html.H1(f"“{quote_text}”", lang=quote_lang, className="claim-quote-heading"),
        *([quote_note] if quote_note is not None else []),
        html.Article(
            chart_first(claim_cards.claim_body(claim, lang, base_url, document, chart="interactive", with_quote=False)),
            id=f"claim-{claim['claim_id']}",
            className=f"chart-card claim-card label-card-{claim_cards.LABEL_SLUG.get(claim['label'], 'cannot-check')}",
        ),
        label_history(data, claim, lang),
        claim_cards.claim_cite_box(claim, lang, page_url, str(claim.get("as_of") or "")),
    ]


def layout(claim_id: str | None = None, **query: str):
    lang = normalize_lang(query.get("lang"))
    data = store()
    claim_id = str(claim_id or "")
    path = f"{CLAIM_PREFIX}{claim_id}"
    shown_query = {k: v for k, v in query.items() if v and k not in pagekit.VIEW_NEUTRAL_PARAMS}
    claim = find_claim(data, claim_id_of(path))
    if claim is None:
        return components.shell(path, lang, {"lang": lang}, data, not_found(lang, claim_id))
    try:
        parse_claim_query(shown_query)
    except BadParameter as exc:
        children = [html.H1(t("bad_request_title", lang)), html.P(str(exc), className="lead")]
        return components.shell(path, lang, {"lang": lang}, data, children)
    return components.shell(path, lang, shown_query, data, body(data, claim, lang, pagekit.base_url()))

"""Claims (home): the document's header and one card per claim — quote, label and conclusion, the measured values
with their sources, and the evidence chart with the claimed value drawn on it. Filter by topic and label."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from dashboard import charts, components, ids, pagekit
from dashboard.chartdefs.claims import claims_doc, has_chart, unit_label
from dashboard.charts import ChartState
from dashboard.data import store
from dashboard.i18n import fmt_date, fmt_num, label_text, t
from dashboard.pages_index import LABEL_SLUGS

PATH = "/"
dash.register_page(
    __name__, path=PATH, title=pagekit.title_for("claims"), description=pagekit.description_for("claims"), name="Claims"
)
SLUG_OF = {v: k for k, v in LABEL_SLUGS.items()}
TOPICS_ES = {
    "oil supply": "suministro de petróleo",
    "generation": "generación",
    "blackouts": "apagones",
    "plants": "centrales",
    "tourism": "turismo",
    "prisoners": "presos políticos",
    "history": "historia",
    "geography": "geografía",
    "politics": "política",
    "economy": "economía",
}


def topic_text(topic: str, lang: str) -> str:
    return TOPICS_ES.get(topic, topic) if lang == "es" else topic


def localized(record: dict[str, Any], field: str, lang: str) -> str:
    """The Spanish text (`<field>_es`) on Spanish pages when the claims file has it, else the English."""
    if lang == "es" and record.get(f"{field}_es"):
        return str(record[f"{field}_es"])
    return str(record.get(field) or "")


def label_badge(label: str, lang: str) -> html.Span:
    return html.Span(label_text(label, lang), className=f"label-badge label-{SLUG_OF.get(label, 'cannot-check')}")


def measured_value(m: dict[str, Any], lang: str) -> str:
    value = m.get("value")
    unit = unit_label(m.get("unit"), lang)
    if isinstance(value, int | float):
        text = fmt_num(value, lang)
        return f"{text}%" if unit == "%" else f"{text} {unit}".strip()
    return str(value) if value is not None else "–"


def measured_list(claim: dict[str, Any], lang: str) -> html.Ul:
    items = []
    for m in claim.get("measured", []):
        if m.get("status") != "ok":
            items.append(
                html.Li(
                    [
                        m.get("label", m.get("table", "")),
                        ": ",
                        html.Em("no data" if lang == "en" else "sin datos"),
                        f" ({m['note']})" if m.get("note") else "",
                    ],
                    className="text-muted",
                )
            )
            continue
        source = m.get("publisher") or m.get("table")
        link = (
            html.A(source, href=m["url"], rel="noopener noreferrer", target="_blank")
            if str(m.get("url", "")).startswith("http")
            else source
        )
        items.append(
            html.Li(
                [
                    html.Strong(measured_value(m, lang)),
                    " — ",
                    m.get("label", ""),
                    f" ({m['period']})" if m.get("period") else "",
                    " · ",
                    link,
                    f" · {t('retrieved', lang)} {m['retrieved']}" if m.get("retrieved") else "",
                ]
            )
        )
    return html.Ul(items, className="measured")


def claim_card(claim: dict[str, Any], lang: str, url: str, hidden: bool) -> html.Article:
    cid = claim["claim_id"]
    state = ChartState(lang=lang)
    children: list = [
        html.Div(
            [
                label_badge(claim["label"], lang),
                html.Span(
                    f" {topic_text(claim['topic'], lang)} · {t('paragraph', lang)} {claim['paragraph']}",
                    className="text-muted small",
                ),
            ]
        ),
        html.Blockquote(
            html.P(f"“{claim['quote']}”"),
            cite=claims_doc(store())["documents"][0].get("url", "") if claims_doc(store())["documents"] else None,
        ),
        html.P(
            [
                html.Strong(t("what_data_says", lang) + ": "),
                claim.get(f"conclusion_{lang}") or claim.get("conclusion_en"),
            ],
            className="conclusion",
        ),
    ]
    if claim.get("measured"):
        children.append(measured_list(claim, lang))
    claimed = claim.get("claimed") or {}
    if claimed.get("assumption"):
        children.append(
            html.P(
                [
                    html.Em("How the claim is read: " if lang == "en" else "Cómo se lee la afirmación: "),
                    claimed["assumption"],
                ],
                className="small",
            )
        )
    if claim.get("context"):
        children.append(html.Details([html.Summary(t("context", lang)), html.P(claim["context"])]))
    if has_chart(claim):
        spec = charts.get(f"claim-{cid}")
        view = charts.build(spec.id, store(), state)
        # An SVG image per claim (rendered once by the server, then cached) keeps this long page fast;
        # the interactive chart is one click away.
        image = f"/embed/{spec.id}.svg" + ("?lang=es" if lang == "es" else "")
        children.append(
            components.chart_card(
                spec, view, state, url, heading_level=3, section_id=f"{spec.id}-chart", static_image=image
            )
        )
    return html.Article(
        children,
        id=f"claim-{cid}",
        className=f"chart-card claim-card label-card-{SLUG_OF.get(claim['label'])}",
        hidden=hidden,
        **{"data-topic": claim["topic"], "data-label": SLUG_OF.get(claim["label"], "")},
    )


def visible(claim: dict[str, Any], extras: dict[str, str]) -> bool:
    if extras.get("claim") and claim["claim_id"] != extras["claim"]:
        return False
    if extras.get("topic") and claim["topic"] != extras["topic"]:
        return False
    return not (extras.get("label") and SLUG_OF.get(claim["label"]) != extras["label"])


def body(state: ChartState, extras: dict, url: str) -> list:
    lang = state.lang
    doc = claims_doc(store())
    document = doc["documents"][0] if doc["documents"] else {}
    claims = [c for c in doc["claims"] if c.get("document_id") == document.get("id")]
    checkable = [c for c in claims if c["label"] != "Not a factual claim"]
    opinions = [c for c in claims if c["label"] == "Not a factual claim"]
    counts: dict[str, int] = {}
    for c in claims:
        counts[c["label"]] = counts.get(c["label"], 0) + 1
    topics = sorted({c["topic"] for c in claims})
    header = html.Section(
        [
            html.P(t("document", lang), className="text-muted small mb-1"),
            html.H1(
                document.get("title", t("site_title", lang)), className="doc-title", lang=document.get("language", "en")
            ),
            html.P(
                [
                    document.get("publisher", ""),
                    " · ",
                    f"{t('published', lang)} {fmt_date(document.get('published', ''), lang)}",
                    " · ",
                    html.A(
                        t("read_document", lang),
                        href=document.get("url", "#"),
                        rel="noopener noreferrer",
                        target="_blank",
                    ),
                ]
            ),
            html.P(t("claims_intro", lang), className="lead"),
            html.Ul(
                [
                    html.Li([label_badge(label, lang), f" {counts[label]}"])
                    for label in LABEL_SLUGS.values()
                    if label in counts
                ],
                className="label-counts list-inline",
            ),
        ],
        className="doc-header",
    )
    filters = html.Div(
        [
            html.Div(
                [
                    html.Label(t("filter_topic", lang), htmlFor=ids.CLAIMS_TOPIC, className="form-label"),
                    dcc.Dropdown(
                        id=ids.CLAIMS_TOPIC,
                        value=extras.get("topic"),
                        placeholder=t("all", lang),
                        options=[{"label": topic_text(tp, lang), "value": tp} for tp in topics],
                    ),
                ],
                className="control control-wide",
            ),
            html.Div(
                [
                    html.Label(t("filter_label", lang), htmlFor=ids.CLAIMS_LABEL, className="form-label"),
                    dcc.Dropdown(
                        id=ids.CLAIMS_LABEL,
                        value=extras.get("label"),
                        placeholder=t("all", lang),
                        options=[{"label": label_text(v, lang), "value": k} for k, v in LABEL_SLUGS.items()],
                    ),
                ],
                className="control control-wide",
            ),
            html.P(
                id=ids.CLAIMS_COUNT,
                className="mb-0 align-self-end",
                role="status",
                **{"aria-live": "polite"},
                children=t("claims_count", lang, n=sum(visible(c, extras) for c in claims)),
            ),
        ],
        className="controls",
        role="group",
        **{"aria-label": t("filter_label", lang)},
    )
    cards = [claim_card(c, lang, url, hidden=not visible(c, extras)) for c in checkable]
    opinion_items = [
        html.Li(
            [
                html.Q(c["quote"]),
                " — ",
                label_badge(c["label"], lang),
                html.Br(),
                html.Span(f"{t('why_not_checkable', lang)}: {c.get('reason', '')}", className="small"),
            ],
            id=f"claim-{c['claim_id']}",
            hidden=not visible(c, extras),
            **{"data-topic": c["topic"], "data-label": "not-factual"},
        )
        for c in opinions
    ]
    return [
        pagekit.page_title_marker(t("site_title", lang)),
        header,
        filters,
        html.Div(cards, id="claim-cards"),
        html.H2(t("not_checkable_heading", lang)),
        html.Ul(opinion_items, className="opinions", id="claim-opinions"),
    ]


def layout(**query: str):
    return pagekit.render(PATH, query, body)

"""Link-preview images (1200×630 PNG, each page's og:image): `/share/<page>.png`, a page's chart in the view its
address describes, and `/share/claim.png?claim=<id>`, a claim's label, quote and finding as a card. Rendered once
per data version, since a render costs about 0.4 s of CPU."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import flask
from flask_caching import Cache

from dashboard import charts, render, serving
from dashboard.charts import BadParameter
from dashboard.data import DataStore
from dashboard.error_page import error_page
from dashboard.i18n import normalize_lang, t
from dashboard.pages_index import CLAIM_PREFIX, PAGES, claim_id_of, find_claim
from etl.claims.labels import (
    LABEL_CANNOT_CHECK,
    LABEL_CONSISTENT,
    LABEL_NOT_CONSISTENT,
    LABEL_NOT_FACTUAL,
    LABEL_PARTLY,
)

LABEL_COLOURS = {  # text, border, background: as the label badges (assets/10-site.css)
    LABEL_CONSISTENT: ("#00573f", "#009E73", "#e6f5ef"),
    LABEL_PARTLY: ("#6b4a00", "#E69F00", "#fff4dc"),
    LABEL_NOT_CONSISTENT: ("#8a2f00", "#D55E00", "#fde9df"),
}
LABEL_MARKS = {
    LABEL_CONSISTENT: "✓",
    LABEL_PARTLY: "◐",
    LABEL_NOT_CONSISTENT: "✗",
    LABEL_CANNOT_CHECK: "?",
    LABEL_NOT_FACTUAL: "—",
}


def register(server: flask.Flask, store: DataStore, cache: Cache) -> None:
    @server.get("/share/<page_key>.png")
    def share_image(page_key: str) -> flask.Response:
        """The link-preview image of a page in the state its URL describes (1200×630)."""
        lang = normalize_lang(flask.request.args.get("lang"))
        if page_key == "claim":
            return claim_share_image(store, cache, lang)
        page = next((p for p in PAGES.values() if p.key == page_key), None)
        if page is None:
            return error_page(404, lang, "No such page.")
        chart_id = page.share_chart or "generation-by-source"
        spec = charts.get(chart_id)
        try:
            state = charts.parse_state(spec, store, flask.request.args.to_dict(), strict=False)
        except BadParameter as exc:
            return error_page(400, lang, str(exc))
        version = serving.pinned_version(store)
        key = f"share:{version}:{serving.site_url()}:{chart_id}:{sorted(state.query(spec).items())}:{state.lang}"
        return share_png(store, cache, key, lambda: charts.build(chart_id, store, state).figure)


def _wrapped(text: str, width: int, lines: int) -> str:
    """Plain text as a plotly annotation: escaped, wrapped at `width`, at most `lines` lines (… when cut)."""
    import textwrap

    parts = textwrap.wrap(text, width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1].rstrip(" .,;:") + " …"
    return "<br>".join(html.escape(p) for p in parts)


def claim_card_figure(claim: dict[str, Any], lang: str, page_url: str) -> Any:
    """The link-preview image of a claim page (1200×630): label, quote, finding, as-of date and address. Text in
    words, not colour alone."""
    import plotly.graph_objects as go

    from dashboard.claim_cards import claim_finding
    from dashboard.i18n import fmt_date, label_text

    label = claim["label"]
    text_colour, border, background = LABEL_COLOURS.get(label, ("#333333", "#777777", "#f1f1f1"))
    as_of = str(claim.get("as_of") or "")
    footer = " · ".join(
        x for x in (t("claim_checked", lang, date=fmt_date(as_of, lang)) if as_of else "", page_url) if x
    )
    quote = _wrapped(f"“{claim['quote']}”", 52, 4)
    finding_y = 0.72 - 0.085 * (quote.count("<br>") + 1) - 0.06  # below the quote (~47 px a line in 560 px)
    notes = [
        {"text": html.escape(t("site_title", lang)), "y": 0.97, "size": 20, "color": "#555555"},
        {
            "text": f"<b>{html.escape(LABEL_MARKS.get(label, ''))} {html.escape(label_text(label, lang))}</b>",
            "y": 0.86,
            "size": 28,
            "color": text_colour,
            "bgcolor": background,
            "bordercolor": border,
        },
        {"text": quote, "y": 0.72, "size": 36, "color": "#111111"},
        {"text": _wrapped(claim_finding(claim, lang), 80, 3), "y": finding_y, "size": 24, "color": "#222222"},
        {"text": html.escape(footer), "y": 0.04, "size": 18, "color": "#555555"},
    ]
    annotations = [
        {
            "text": n["text"],
            "x": 0.0,
            "y": n["y"],
            "xref": "paper",
            "yref": "paper",
            "xanchor": "left",
            "yanchor": "top",
            "align": "left",
            "showarrow": False,
            "font": {"size": n["size"], "color": n["color"]},
            **(
                {"bgcolor": n["bgcolor"], "bordercolor": n["bordercolor"], "borderwidth": 3, "borderpad": 8}
                if "bgcolor" in n
                else {}
            ),
        }
        for n in notes
    ]
    return go.Figure(
        layout={
            "width": 1200,
            "height": 630,
            "margin": {"l": 60, "r": 60, "t": 40, "b": 30},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": annotations,
            "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"},
        }
    )


def claim_share_image(store: DataStore, cache: Cache, lang: str) -> flask.Response:
    """/share/claim.png?claim=<id>[&lang=es]: the claim page's link-preview image (its og:image)."""
    args = flask.request.args
    claim = find_claim(store, claim_id_of(CLAIM_PREFIX + str(args.get("claim", ""))))
    if claim is None:
        return error_page(404, lang, "No such claim.")
    version = serving.pinned_version(store)
    key = f"share:{version}:{serving.site_url()}:claim:{claim['claim_id']}:{lang}"  # the image shows the site URL
    page_url = serving.site_url() + CLAIM_PREFIX + claim["claim_id"]
    return share_png(store, cache, key, lambda: claim_card_figure(claim, lang, page_url))


def share_png(store: DataStore, cache: Cache, key: str, make_figure: Callable[[], Any]) -> flask.Response:
    """A 1200×630 link-preview image, rendered once per data version (renders cost ~0.4 s of CPU each)."""
    version = key.split(":", 2)[1]
    answer = serving.answer_or_refusal(
        cache, key, lambda: render.to_image(make_figure(), "png", 1200, 630), store, version
    )
    if isinstance(answer, flask.Response):
        return answer
    content, hit = answer
    response = flask.Response(content, mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["X-Cache"] = "hit" if hit else "miss"
    return response

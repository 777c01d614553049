"""Per-request page metadata: localized <title> and description, canonical URL, and Open Graph / Twitter tags whose
image is a rendering of the exact view in the URL (not a generic thumbnail). A claim's page (/claims/<id>) also
carries its ClaimReview (factual labels only) as JSON-LD, with absolute addresses on this site."""

from __future__ import annotations

import copy
import html
from typing import Any
from urllib.parse import urlencode, urlsplit

from dashboard.feeds import feed_links
from dashboard.i18n import LANGS, label_text, lang_query, t, translation
from dashboard.pages_index import CLAIM_PREFIX, PAGES, claim_id_of, find_claim
from etl.claims.labels import LABEL_NOT_FACTUAL

TITLE_QUOTE_CHARS = 80


def page_title(key: str, lang: str) -> str:
    site = t("site_title", lang)
    if key == "claims":
        return site
    return f"{t(f'page_{key}_title', lang)} · {site}"


def page_description(key: str, lang: str) -> str:
    return t(f"page_{key}_desc", lang)


def claim_title(claim: dict[str, Any], lang: str) -> str:
    """'“<quote, shortened>” — <label> · <site>': what a shared link shows."""
    quote = translation(claim, "quote", lang) or claim["quote"]
    if len(quote) > TITLE_QUOTE_CHARS:
        quote = quote[: TITLE_QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return f"“{quote}” — {label_text(claim['label'], lang)} · {t('site_title', lang)}"


def absolute_review(review: dict[str, Any], base: str) -> dict[str, Any]:
    """A published ClaimReview with the addresses of this site — the review's own (`/claims/<id>`) and its author's
    (the site, `/`) — on the configured site `base`: root-relative ones (the ETL ran without CUBA_SITE_URL) and
    absolute ones written for another address (an older or a development CUBA_SITE_URL) alike, so the JSON-LD a
    page carries always names the site serving it. The reviewed item's own addresses are kept as published."""
    out = copy.deepcopy(review)
    site = base.rstrip("/")
    for holder, ours in (
        (out, lambda path: path.startswith(CLAIM_PREFIX)),
        (out.get("author"), lambda p: p in ("", "/")),
    ):
        if isinstance(holder, dict) and isinstance(holder.get("url"), str):
            parts = urlsplit(holder["url"])
            if ours(parts.path):
                holder["url"] = site + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return out


def claim_review_for(claim: dict[str, Any], base: str) -> dict[str, Any] | None:
    """The published ClaimReview whose `url` is this claim's page (None for non-factual labels or if unpublished)."""
    from dashboard.data import store

    if claim.get("label") == LABEL_NOT_FACTUAL:
        return None
    page = f"{CLAIM_PREFIX}{claim['claim_id']}"
    for review in store().json_file("claims-review.jsonld") or []:
        if isinstance(review, dict) and str(review.get("url", "")).split("?")[0].endswith(page):
            return absolute_review(review, base)
    return None


def for_claim(path: str, args: dict[str, str], lang: str, base: str) -> dict[str, Any]:
    from dashboard.claim_cards import claim_finding
    from dashboard.data import store

    claim = find_claim(store(), claim_id_of(path))
    if claim is None:
        return {"title": t("not_found_title", lang), "description": "", "url": f"{base}{path}", "image": ""}
    query = urlencode(args)
    image_query = urlencode({"claim": claim["claim_id"], **lang_query(lang)})
    return {
        "title": claim_title(claim, lang),
        "description": claim_finding(claim, lang),
        "url": f"{base}{path}" + (f"?{query}" if query else ""),
        "image": f"{base}/share/claim.png?{image_query}",
        "lang": lang,
        "jsonld": claim_review_for(claim, base),
    }


def for_request(path: str, args: dict[str, str], lang: str, host_url: str) -> dict[str, Any]:
    meta = _for_request(path, args, lang, host_url)
    meta["feeds"] = feed_links(host_url, lang if lang in LANGS else "en")  # every page's head links the alerts
    return meta


def _for_request(path: str, args: dict[str, str], lang: str, host_url: str) -> dict[str, Any]:
    base = host_url.rstrip("/")
    if path.startswith(CLAIM_PREFIX):
        return for_claim(path, args, lang, base)
    page = PAGES.get(path.rstrip("/") or "/")
    query = urlencode(args)
    if page is None:
        return {"title": t("not_found_title", lang), "description": "", "url": f"{base}{path}", "image": ""}
    image_query = urlencode({k: v for k, v in args.items() if k != "tab"})
    image = f"{base}/share/{page.key}.png" + (f"?{image_query}" if image_query else "")
    return {
        "title": page_title(page.key, lang),
        "description": page_description(page.key, lang),
        "url": f"{base}{path}" + (f"?{query}" if query else ""),
        "image": image,
        "lang": lang,
    }


def meta_tags(meta: dict[str, Any]) -> str:
    """HTML <meta> tags; every value is escaped (URLs and titles may carry user input). A claim page's ClaimReview
    follows as JSON-LD (a data block, not a script: allowed by the page's CSP)."""
    pairs = [
        ("name", "description", meta["description"]),
        ("property", "og:type", "website"),
        ("property", "og:title", meta["title"]),
        ("property", "og:description", meta["description"]),
        ("property", "og:url", meta["url"]),
        ("property", "og:image", meta["image"]),
        ("property", "og:locale", "es_ES" if meta.get("lang") == "es" else "en_GB"),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", meta["title"]),
        ("name", "twitter:description", meta["description"]),
        ("name", "twitter:image", meta["image"]),
    ]
    tags = [
        f'<meta {attr}="{html.escape(name, quote=True)}" content="{html.escape(value or "", quote=True)}">'
        for attr, name, value in pairs
        if value
    ]
    tags.append(f'<link rel="canonical" href="{html.escape(meta["url"], quote=True)}">')
    for feed in meta.get("feeds") or []:  # the alerts (dashboard/feeds.py), for feed readers
        tags.append(
            f'<link rel="alternate" type="{html.escape(feed["type"], quote=True)}" '
            f'title="{html.escape(feed["title"], quote=True)}" href="{html.escape(feed["href"], quote=True)}">'
        )
    if meta.get("jsonld"):
        from dashboard.embed import script_json

        tags.append(f'<script type="application/ld+json">{script_json(meta["jsonld"])}</script>')
    return "\n        ".join(tags)

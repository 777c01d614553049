"""Per-request page metadata: localized <title> and description, canonical URL, and Open Graph / Twitter tags whose
image is a rendering of the exact view in the URL (not a generic thumbnail)."""

from __future__ import annotations

import html
from urllib.parse import urlencode

from dashboard.i18n import t
from dashboard.pages_index import PAGES


def page_title(key: str, lang: str) -> str:
    site = t("site_title", lang)
    if key == "claims":
        return site
    return f"{t(f'page_{key}_title', lang)} · {site}"


def page_description(key: str, lang: str) -> str:
    return t(f"page_{key}_desc", lang)


def for_request(path: str, args: dict[str, str], lang: str, host_url: str) -> dict[str, str]:
    page = PAGES.get(path.rstrip("/") or "/")
    base = host_url.rstrip("/")
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


def meta_tags(meta: dict[str, str]) -> str:
    """HTML <meta> tags; every value is escaped (URLs and titles may carry user input)."""
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
    return "\n        ".join(tags)

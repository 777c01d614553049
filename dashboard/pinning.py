"""Addresses pinned to a data version (issue 19): an archived page's or a pinned embed's HTML with every site address
in it (href, src, action, srcset) carrying `version=<id>`, except links marked to stay live. Kept apart from
dashboard/archived.py so that the embeds (dashboard/embed.py) use it without importing the page renderer."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlencode

from dashboard.pages_index import CLAIM_PREFIX, PAGES

VERSION_PARAM = "version"  # the same parameter as dashboard/routes.py's
PINNED_PREFIXES = ("/screen/", "/download/", "/embed/", "/files/", "/share/", "/feeds/")
TAG = re.compile(r"<[a-zA-Z][^>]*>")
ATTRIBUTE = re.compile(r'\s(href|src|action)="(/[^"]*)"')
SRCSET = re.compile(r'\ssrcset="([^"]*)"')
LIVE = 'data-live="1"'  # a link that leads to the live page on purpose (the header's switch)


def _pinned_address(url: str, version_id: str) -> str:
    """A site address with `version` set (replacing any), its fragment kept last; other addresses unchanged."""
    path, _, fragment = html.unescape(url).partition("#")
    path, _, query = path.partition("?")
    if not (path.startswith(PINNED_PREFIXES) or (path in PAGES or path.startswith(CLAIM_PREFIX))):
        return url
    params = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != VERSION_PARAM]
    params.append((VERSION_PARAM, version_id))
    return html.escape(f"{path}?{urlencode(params)}" + (f"#{fragment}" if fragment else ""), quote=True)


def pin_links(body: str, version_id: str) -> str:
    """Every site address in the page's HTML (href, src, action, srcset) pinned to `version_id`, except the links
    marked live."""

    def srcset(match: re.Match[str]) -> str:
        items = []
        for item in match[1].split(","):
            url, _, size = item.strip().partition(" ")
            items.append(f"{_pinned_address(url, version_id) if url.startswith('/') else url} {size}".strip())
        return f' srcset="{", ".join(items)}"'

    def tag(match: re.Match[str]) -> str:
        if LIVE in match[0]:
            return match[0]
        pinned = ATTRIBUTE.sub(lambda m: f' {m[1]}="{_pinned_address(m[2], version_id)}"', match[0])
        return SRCSET.sub(srcset, pinned)

    return TAG.sub(tag, body)

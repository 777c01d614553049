"""The addresses and <picture> markup of a chart's server-drawn image (`/screen/<chart>.svg`, issue 18): what a page's
static first screen and an interactive embed show until the interactive chart takes its place. Apart from
dashboard/static_first.py (which draws those images and the static pages) so that the embeds can use it without
importing the static renderer, which imports the embeds."""

from __future__ import annotations

import hashlib
import html
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from dashboard import charts
from dashboard.charts import ChartState

SIZES = {"s": 360, "m": 680, "l": 1100}
MEDIA = (("s", "(max-width: 575.98px)"), ("m", "(max-width: 991.98px)"))
PAGE_BOX = {"oil-shipments": (700, 620), "power-plants-map": (330, 450)}  # (phone, wider): 10-site.css overrides
CLAIM_BOX = (680, 540)
DEFAULT_BOX = 450
EMBED_BOX = {"s": 400, "m": 440, "l": 480}  # an embed's chart fills its frame: the image is fitted inside
VARIANTS = ("page", "embed", "trend")
# The home page's first chart: the phone's image (shown about 325 px wide, its 13 px text at about 11.7 px) and the
# desktop tile's (shown about 246 px wide from 992 px up: the phone image there had 8.9 px text, graphics round 4).
TREND = {
    "chart": "une-supply-demand",
    "days": 90,
    "sizes": {"s": (360, 150, 13), "l": (250, 104, 12)},  # the same shape: the tile keeps its height
}
TREND_WIDE_MEDIA = "(min-width: 992px)"
THEMES = ("light", "dark")
SCREEN_PATH = "/screen/"
STORE_EXTENSION = "cuba.store"  # the app's DataStore, set by dashboard/app.py


def data_tag() -> str:
    """A short tag of the data version serving now: image addresses carry it, so they can be cached for a year."""
    import flask

    from dashboard.data import store

    # The store of the app answering (several apps in one process, as in tests, each serve their own data; the
    # module's store is the last one made), so a page and its images agree on the tag.
    own = flask.current_app.extensions.get(STORE_EXTENSION) if flask.has_app_context() else None
    return hashlib.sha256((own or store()).version.encode()).hexdigest()[:12]


def box_height(chart_id: str, size: str, variant: str = "page") -> int:
    if variant == "trend":
        return TREND["sizes"].get(size, TREND["sizes"]["s"])[1]
    if variant == "embed":
        return EMBED_BOX[size] + (160 if chart_id.startswith("claim-") else 0)
    phone = size == "s"
    if chart_id.startswith("claim-"):
        return CLAIM_BOX[0 if phone else 1]
    return PAGE_BOX.get(chart_id, (DEFAULT_BOX, DEFAULT_BOX))[0 if phone else 1]


def image_url(
    chart_id: str, state: ChartState, size: str, variant: str = "page", theme: str = "light", transparent: bool = False
) -> str:
    spec = charts.get(chart_id)
    query = replace(state, tab="chart").query(spec)
    query["size"] = size
    if variant != "page":
        query["variant"] = variant
    if theme != "light":
        query["theme"] = theme
    if transparent:
        query["transparent"] = "1"
    query["v"] = data_tag()
    return f"{SCREEN_PATH}{chart_id}.svg?{urlencode(query)}"


def picture(
    chart_id: str,
    state: ChartState,
    alt: str,
    *,
    eager: bool,
    variant: str = "page",
    theme: str = "light",
    transparent: bool = False,
    css_class: str = "sf-img",
) -> str:
    """A <picture> of the chart at the width class of the viewport (`theme="auto"`: light or dark as the reader's
    colour scheme says)."""
    e = _attr
    themes = ("dark", "light") if theme == "auto" else (theme,)
    sources = []
    for shade in themes:
        scheme = "(prefers-color-scheme: dark)" if theme == "auto" and shade == "dark" else ""
        for size, media in (*MEDIA, ("l", "")):
            if not scheme and not media and shade == themes[-1]:
                continue  # the <img> itself
            query = " and ".join(m for m in (scheme, media) if m) or "all"
            url = image_url(chart_id, state, size, variant, shade, transparent)
            sources.append(f'<source media="{e(query)}" srcset="{e(url)}">')
    src = image_url(chart_id, state, "l", variant, themes[-1], transparent)
    loading = ' fetchpriority="high"' if eager else ' loading="lazy"'
    img = (
        f'<img class="{css_class}" src="{e(src)}" alt="{e(alt)}" width="{SIZES["l"]}" '
        f'height="{box_height(chart_id, "l", variant)}" decoding="async"{loading}>'
    )
    return f'<picture class="sf-picture">{"".join(sources)}{img}</picture>'


def _attr(value: Any) -> str:
    return html.escape(str(value), quote=True)

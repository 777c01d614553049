"""The embed's HTML document (`render_page`): the chart drawn by plotly.js over a first-screen image, or as an
image alone (static and light embeds), with its title, summary, description, source line and a link to the full
view. Used by `/embed/<chart>` and by the static export (`dashboard/export.py`)."""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import urlencode

from dashboard import charts
from dashboard.charts import ChartSpec, ChartState, ChartView, source_line
from dashboard.describe import describe
from dashboard.embed_figure import embed_figure
from dashboard.embed_request import EmbedRequest, embed_query
from dashboard.i18n import t
from dashboard.static_files import PLOTLY_BUNDLE, asset_url


def script_json(payload: Any) -> str:
    """JSON safe inside <script type="application/json">: no '</' or '<!--' can close the element."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return (
        text.replace("</", "<\\/").replace("<!--", "<\\!--").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def full_view_url(spec: ChartSpec, state: ChartState, base: str) -> str:
    return f"{base.rstrip('/')}{charts.share_path(spec, state)}"


def stacked_panels(layout: dict) -> bool:
    """Two plots one above the other (a second y axis with its own domain), not a second scale over one plot."""
    second = layout.get("yaxis2") or {}
    return bool(second) and not second.get("overlaying")


def first_screen(req: EmbedRequest, view: ChartView, description: str) -> str:
    """The interactive embed's first screen: the figure as an image at the chart's place."""
    return _screen_picture(req, description, "sf-placeholder")


def light_image(req: EmbedRequest, description: str) -> str:
    """The light embed's chart: the embed's own figure (title, subtitle and source are text around it) as a <picture>
    of the phone, tablet and desktop renders (dashboard/screen.py), chosen by the frame's width, at the embed's data
    version."""
    return _screen_picture(req, description, "sf-light")


def _screen_picture(req: EmbedRequest, description: str, css_class: str) -> str:
    from dashboard import screen
    from dashboard.pinning import pin_links

    picture = screen.picture(
        req.spec.id,
        req.state,
        description,
        eager=True,
        variant="embed",
        theme=req.flags["theme"],
        transparent=req.flags["transparent"] == "1",
        css_class=css_class,
    )
    # a pinned embed's images are drawn from its data version too (the screen images honour `version`)
    return pin_links(picture, req.version) if req.version else picture


def render_page(
    req: EmbedRequest,
    view: ChartView,
    base: str,
    assets: str = "",
    static_src: tuple[str, str] | None = None,
    png_url: str | None = None,
) -> str:
    """The embed document. `assets` prefixes asset URLs (empty on the live site; a relative path in the export)."""
    lang = req.state.lang
    e = lambda s: html.escape(str(s), quote=True)
    flags = req.flags
    if flags.get("light") == "1":  # light mode: the static embed, with a link to the interactive one
        flags = {**flags, "static": "1"}
    theme = flags["theme"]
    full = full_view_url(req.spec, req.state, base)
    canonical = full  # the live page, also for a pinned embed (its archived page is not indexed)
    if req.version:  # the chart's page as it was at that version (its archived copy, dashboard/archived.py)
        from dashboard.citation import with_version

        full = with_version(full, req.version)
    query = embed_query(req)
    self_url = f"{base.rstrip('/')}/embed/{req.spec.id}" + (f"?{query}" if query else "")
    png_query = {**req.state.query(req.spec), **({"version": req.version} if req.version else {})}
    png = png_url or f"{base.rstrip('/')}/download/{req.spec.id}.png" + (
        f"?{urlencode(png_query)}" if png_query else ""
    )
    oembed = f"{base.rstrip('/')}/oembed?" + urlencode({"url": self_url, "format": "json"})
    # The PNG's source line (sources, "as of", and the stale flag when the data are older than their cadence).
    credit = source_line(view.sources, view.as_of, lang).replace("<br>", " ")
    credit = getattr(view, "caption", "") or credit  # a claim chart: "as of" first, at most three publishers
    color_scheme = {"light": "light", "dark": "dark", "auto": "light dark"}[theme]
    description = describe(view, lang)  # what the chart shows: every image's alt and the chart's own description
    classes = [
        f"theme-{theme}",
        "transparent" if flags["transparent"] == "1" else "",
        "controls-off" if flags["controls"] == "off" else "",
        "static" if flags["static"] == "1" else "",
        "claim-chart" if req.spec.id.startswith("claim-") else "",
        "two-panels" if stacked_panels(view.screen()["layout"]) else "",
        # a map keeps its shape (scaleanchor): its frame follows the width, not the frame's height
        "fixed-aspect" if (view.screen()["layout"].get("yaxis") or {}).get("scaleanchor") else "",
    ]
    # Light and static embeds on the live site show the chart as an image of the width class of the frame (phone,
    # tablet, desktop): a phone never gets the desktop image shrunk to 4 px text (graphics review round 7 found the
    # static embed doing just that). The export (assets set) keeps the one self-contained SVG.
    light = req.flags.get("light") == "1"
    light_picture = light_image(req, description) if (light or flags["static"] == "1") and not assets else ""
    if light_picture:
        # Title and subtitle as text that wraps, the source once (the caption below). Light mode (issue 18) runs no
        # script at all (the frame keeps the height the embed code gives it); a static embed keeps its auto-height.
        chart = f'<div class="chart-static">{light_picture}</div>'
        scripts = "" if light else f'<script src="{assets}{asset_url("embed-frame.js")}" defer></script>'
        data_block = ""
        heading = f'<h1 id="t">{e(view.title)}</h1><p class="sub">{e(view.subtitle)}</p>'
    elif flags["static"] == "1" and static_src:
        light_src, dark_src = static_src
        source = f'<source media="(prefers-color-scheme: dark)" srcset="{e(dark_src)}">' if theme == "auto" else ""
        img_src = dark_src if theme == "dark" else light_src
        picture = f'<picture>{source}<img src="{e(img_src)}" alt="{e(description)}" width="960" height="560"></picture>'
        chart = f'<div class="chart-static">{picture}</div>'
        scripts = f'<script src="{assets}{asset_url("embed-frame.js")}" defer></script>'
        data_block = ""
        heading = ""
    else:
        # With controls, plotly's mode bar (zoom in/out, reset: the zoom that needs no drag) puts buttons inside the
        # chart: an image cannot hold controls (nested-interactive), so the chart is then a group named by the title and
        # described by the description. Without controls it is an image, named by the description as an <img alt>.
        if flags["controls"] == "off":
            names = 'role="img" aria-labelledby="d"'
        else:
            names = 'role="group" aria-labelledby="t" aria-describedby="d"'
        # Static first (dashboard/static_first.py): an image of the figure holds the chart's place until the page
        # has loaded; then embed-frame.js loads plotly.js (data-plotly) and draws over it.
        placeholder = first_screen(req, view, description) if not assets else ""
        plotly = e(f"{assets}{asset_url(PLOTLY_BUNDLE)}")
        chart = f'<div id="chart" class="chart" {names} data-plotly="{plotly}">{placeholder}</div>'
        scripts = (
            f'<script src="{assets}{asset_url("phone-window.js")}" defer></script>'
            f'<script src="{assets}{asset_url("embed-frame.js")}" defer></script>'
        )
        payload = {
            "figure": embed_figure(view, flags["transparent"] == "1"),
            "theme": theme,
            "controls": flags["controls"],
            "locale": lang,
            "chart": req.spec.id,
        }
        data_block = f'<script type="application/json" id="figure-data">{script_json(payload)}</script>'
        heading = f'<h1 id="t">{e(view.title)}</h1><p class="sub">{e(view.subtitle)}</p>'
        noscript = f'<noscript><img src="{e(png)}" alt="{e(description)}" style="max-width:100%"></noscript>'
        chart += noscript
    note = "".join(f'<p class="note">{e(n)}</p>' for n in view.notes)
    if req.flags.get("light") == "1":
        interactive = f"/embed/{req.spec.id}?" + embed_query(req, light="0", static=None)
        note += f'<p class="note"><a href="{e(interactive)}">{e(t("interactive_chart", lang))}</a></p>'
    # The drawn chart's description (visually hidden, as the summary); a static image carries it as its alt instead.
    described = (
        ""
        if flags["static"] == "1" and (static_src or light_picture)
        else f'<p id="d" class="summary">{e(description)}</p>'
    )
    return f"""<!DOCTYPE html>
<html lang="{e(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="{color_scheme}">
<title>{e(view.title)} · {e(t("site_title", lang))}</title>
<meta name="description" content="{e(view.summary)}">
<meta name="robots" content="noindex">
<link rel="canonical" href="{e(canonical)}">
<link rel="alternate" type="application/json+oembed" href="{e(oembed)}" title="{e(view.title)}">
<meta property="og:type" content="website">
<meta property="og:title" content="{e(view.title)}">
<meta property="og:description" content="{e(view.summary)}">
<meta property="og:url" content="{e(self_url)}">
<meta property="og:image" content="{e(png)}">
<meta property="og:image:alt" content="{e(description)}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:image" content="{e(png)}">
<meta name="twitter:image:alt" content="{e(description)}">
<link rel="stylesheet" href="{assets}{asset_url("embed.css")}">
{scripts}
</head>
<body class="{" ".join(c for c in classes if c)}">
<figure class="embed">
{heading}
{chart}
<p id="s" class="summary">{e(view.summary)}</p>
{described}
{note}
<figcaption>{e(credit)} ·
<a href="{e(full)}" target="_blank" rel="noopener">{e(t("full_view", lang))}</a></figcaption>
</figure>
{data_block}
</body>
</html>
"""

"""Embeds for other sites: `/embed/<chart>` (a tiny page with the chart, its title, source line, "as of" date and a
link back), `/embed/<chart>.svg` (static image), `/embed.js` (the host page's auto-height listener) and `/oembed`.

An interactive embed loads only plotly.js's basic bundle (scatter and bar, about 400 KB gzipped) instead of Dash;
a static embed is an SVG (tens of KB). No third-party requests: every asset is served by this app.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import threading
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import flask
import plotly.graph_objects as go
import plotly.io as pio
from flask_caching import Cache

from dashboard import charts, render, serving, throttle, versions
from dashboard.charts import BadParameter, ChartSpec, ChartState, ChartView, source_line
from dashboard.data import DataStore
from dashboard.describe import describe
from dashboard.figures.common import CLAIM_COLOR
from dashboard.i18n import t

STATIC = Path(__file__).resolve().parent / "static"
PLOTLY_BUNDLE = "vendor/plotly-basic.min.js"
FLAGS = {
    "theme": ("light", "dark", "auto"),
    "transparent": ("0", "1"),
    "controls": ("on", "off"),
    "static": ("0", "1"),
    "light": ("0", "1"),  # light mode (dashboard/static_first.py): 1 = static, no plotly; 0 = not, despite Save-Data
}
DEFAULT_FLAGS = {"theme": "light", "transparent": "0", "controls": "on", "static": "0", "light": ""}
EMBED_HEIGHT = 520
EMBED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors *"
)
DARK = {"paper": "#121417", "plot": "#121417", "text": "#e8e8e8", "muted": "#b5b5b5", "grid": "#33373d"}


@dataclass(frozen=True)
class EmbedRequest:
    spec: ChartSpec
    state: ChartState
    flags: dict[str, str]
    version: str | None = None  # a pinned data version (`?version=`, checked by dashboard/routes.py): kept in links


def parse_embed(chart_id: str, args: dict[str, str], store: DataStore) -> EmbedRequest:
    """Chart state parameters plus the embed flags, each validated (KeyError: unknown chart; BadParameter: bad value)."""
    spec = charts.get(chart_id)
    flags = dict(DEFAULT_FLAGS)
    state_args = {}
    version = None
    for key, value in args.items():
        if key == "version":  # picks the data version, not the view (dashboard/routes.py pins it per request)
            version = value
            continue
        if key in FLAGS:
            if value not in FLAGS[key]:
                raise BadParameter(f"{key} must be one of {', '.join(FLAGS[key])}")
            flags[key] = value
        else:
            state_args[key] = value
    return EmbedRequest(spec, charts.parse_state(spec, store, state_args), flags, version)


# -- fingerprinted static files -----------------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def _digest(name: str, mtime: float) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def asset_url(name: str) -> str:
    """`/static/v/<hash>/<name>`: the name changes with the content, so it can be cached for a year."""
    path = STATIC / name
    return f"/static/v/{_digest(name, path.stat().st_mtime)}/{name}"


# -- figures for embeds ------------------------------------------------------------------------------------------------
def dark_layout(layout: dict[str, Any], transparent: bool) -> dict[str, Any]:
    """The same layout for a dark page: light text and grid, white claim lines (the claim stays labelled)."""
    out = json.loads(json.dumps(layout))
    bg = "rgba(0,0,0,0)" if transparent else DARK["paper"]
    out["paper_bgcolor"] = bg
    out["plot_bgcolor"] = "rgba(0,0,0,0)" if transparent else DARK["plot"]
    out.setdefault("font", {})["color"] = DARK["text"]
    for axis in [k for k in out if k.startswith(("xaxis", "yaxis"))]:
        out[axis]["gridcolor"] = DARK["grid"]
        out[axis]["zerolinecolor"] = DARK["grid"]
        out[axis]["linecolor"] = DARK["grid"]
        # Axis titles and ticks coloured for a light page ("#555") fall to about 2:1 on the dark one (graphics
        # review, round 7b): the dark theme's muted text instead.
        title = out[axis].get("title")
        if isinstance(title, dict) and (title.get("font") or {}).get("color"):
            title["font"]["color"] = DARK["muted"]
        if (out[axis].get("tickfont") or {}).get("color"):
            out[axis]["tickfont"]["color"] = DARK["muted"]
    out["template"] = out.get("template", {})
    for shape in out.get("shapes", []):
        if shape.get("line", {}).get("color") in (CLAIM_COLOR, "#000000", "black"):
            shape["line"]["color"] = "#ffffff"
        if shape.get("fillcolor") == "rgba(0,0,0,0.07)":
            shape["fillcolor"] = "rgba(255,255,255,0.10)"
    for note in out.get("annotations", []):
        font = note.setdefault("font", {})
        if font.get("color") in (CLAIM_COLOR, "#000000", "#555", "#444", None):
            font["color"] = DARK["text"]
        if note.get("bgcolor"):
            note["bgcolor"] = "rgba(18,20,23,0.85)"
    if "legend" in out:
        out["legend"].setdefault("font", {})["color"] = DARK["text"]
    if "plot_bgcolor" in out and out.get("geo"):
        out["geo"]["bgcolor"] = bg
    return out


def embed_figure(view: ChartView, transparent: bool) -> dict[str, Any]:
    """Figure JSON for the page (title and source are HTML text around it, so they wrap on phones)."""
    screen = view.screen()
    layout = {**screen["layout"], "autosize": True, "margin": {"l": 48, "r": 12, "t": 28, "b": 36}}
    layout.pop("height", None)
    if transparent:
        layout.update(paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)")
    doc = json.loads(pio.to_json({"data": screen["data"], "layout": layout}, validate=False))
    doc["layout"].pop("template", None)
    doc["layout_dark"] = dark_layout(doc["layout"], transparent)
    return doc


def static_figure(view: ChartView, theme: str, transparent: bool) -> go.Figure:
    """The full figure (title, source and date inside) for SVG embeds, in the requested theme."""
    fig = go.Figure(view.figure)
    if transparent:
        fig.update_layout(paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)")
    if theme == "dark":
        layout = json.loads(pio.to_json(fig, validate=False))["layout"]
        fig.layout = dark_layout(layout, transparent)
        fig.update_layout(
            template="plotly_dark", title_font_color=DARK["text"], title_subtitle_font_color=DARK["muted"]
        )
    return fig


def script_json(payload: Any) -> str:
    """JSON safe inside <script type="application/json">: no '</' or '<!--' can close the element."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return (
        text.replace("</", "<\\/").replace("<!--", "<\\!--").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def full_view_url(spec: ChartSpec, state: ChartState, base: str) -> str:
    return f"{base.rstrip('/')}{charts.share_path(spec, state)}"


def embed_query(req: EmbedRequest, **overrides: str) -> str:
    query = {**req.state.query(req.spec), **{k: v for k, v in req.flags.items() if v != DEFAULT_FLAGS[k]}, **overrides}
    query = {k: v for k, v in query.items() if v is not None and not (k in DEFAULT_FLAGS and v == DEFAULT_FLAGS[k])}
    if req.version:  # a pinned embed's own links (its SVGs, its address) stay on its data version
        query["version"] = req.version
    return urlencode(query)


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


# -- routes -------------------------------------------------------------------------------------------------------------
def register(server: flask.Flask, store: DataStore, cache: Cache, error_page: Any) -> None:
    def lang_of() -> str:
        from dashboard.i18n import normalize_lang

        return normalize_lang(flask.request.args.get("lang"))

    def cached_view(req: EmbedRequest) -> ChartView:
        return charts.build(req.spec.id, store, req.state)

    @server.get("/embed/<chart_id>")
    def embed_page(chart_id: str) -> flask.Response:
        args = flask.request.args
        svg_suffix = chart_id.endswith(".svg")
        try:
            req = parse_embed(chart_id.removesuffix(".svg"), args.to_dict(), store)
        except KeyError:
            return error_page(404, lang_of(), "There is no chart with that name.")
        except BadParameter as exc:
            return error_page(400, lang_of(), str(exc))
        base = serving.site_url()  # never the request's Host: this page is cached and shared by every reader
        version = serving.pinned_version(store)
        key = f"embed:{version}:{base}:{req.spec.id}:{embed_query(req)}:{req.state.lang}:{svg_suffix}"
        if svg_suffix:

            def build() -> bytes:  # an image: limited per client and per process
                view = cached_view(req)
                figure = static_figure(view, req.flags["theme"], req.flags["transparent"] == "1")
                return render.to_image(figure, "svg", alt=(view.title, describe(view, req.state.lang)))

            answer = serving.answer_or_refusal(cache, key, build, store, version)
            if isinstance(answer, flask.Response):
                return answer
            body, hit = answer
        else:
            body = cache.get(key)
            hit = body is not None
            if body is None:
                view = cached_view(req)
                light = f"/embed/{req.spec.id}.svg?" + embed_query(req, theme="light", static=None, light=None)
                dark = f"/embed/{req.spec.id}.svg?" + embed_query(req, theme="dark", static=None, light=None)
                body = render_page(req, view, base, static_src=(light, dark))
                if serving.still_current(store, version):
                    cache.set(key, body)
        response = flask.Response(body, mimetype="image/svg+xml" if svg_suffix else "text/html")
        response.headers["Cache-Control"] = "public, max-age=600"
        response.headers["X-Cache"] = "hit" if hit else "miss"
        return response

    warm: dict[str, Any] = {"version": None, "thread": None}
    warm_lock = threading.Lock()

    def prewarm(client: Any) -> None:
        """Render every linked image of the newest data version; start over when a newer one arrives meanwhile."""
        done = None
        while done != warm["version"]:
            done = warm["version"]
            for url in prewarm_urls(store):
                if warm["version"] != done:
                    break
                client.get(url, environ_base={throttle.PREWARM_ENVIRON_KEY: True})

    @server.before_request
    def prewarm_images() -> None:
        """After a process's first request, and again when a refresh publishes a new data version (every cached
        image then has a new key): render in the background the images pages link to — each page's share image
        (its og:image), each chart's PNG in its default view (the embed code's noscript image, oEmbed's
        thumbnail), the claims' evidence SVGs and share images — so readers and link previews do not wait for a
        first render, and none of them counts against a reader's limit. One at a time, in the process's render
        slot (set CUBA_WARM_IMAGES=0 to skip, e.g. in tests)."""
        if os.environ.get("CUBA_WARM_IMAGES", "1") == "0" or render.browser_missing() or store.is_pinned:
            return  # (a request pinned to an old data version says nothing about the live one)
        try:
            version = store.version
        except Exception:  # noqa: BLE001 - no data to draw: the request itself answers that
            return
        if warm["version"] == version:
            return
        with warm_lock:
            if warm["version"] == version:
                return
            warm["version"] = version
            if warm["thread"] is not None and warm["thread"].is_alive():
                return  # it sees the new version and starts over
            warm["thread"] = threading.Thread(
                target=prewarm, args=(server.test_client(),), name="prewarm-images", daemon=True
            )
            warm["thread"].start()

    @server.get("/embed.js")
    def embed_listener() -> flask.Response:
        response = flask.send_file(STATIC / "embed-host.js", mimetype="text/javascript", max_age=86400)
        return response

    @server.get("/static/v/<digest>/<path:name>")
    def fingerprinted(digest: str, name: str) -> flask.Response:
        try:
            path = (STATIC / name).resolve()
            found = STATIC.resolve() in path.parents and path.is_file()
        except (OSError, ValueError):  # a name too long for the file system, or with a NUL byte
            found = False
        if not found:
            return error_page(404, "en", "No such file.")
        if digest != _digest(name, path.stat().st_mtime):
            return error_page(404, "en", "This version of the file is gone; reload the page.")
        response = flask.send_file(path, max_age=31536000, conditional=True)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    @server.get("/oembed")
    def oembed() -> flask.Response:
        """oEmbed 1.0 (rich): CMSs paste our URL and get the iframe code."""
        args = flask.request.args
        if args.get("format", "json") == "xml":  # the oEmbed spec's answer to a format we do not offer
            return flask.Response("only format=json is supported", status=501, mimetype="text/plain")
        if args.get("format", "json") != "json":
            return error_page(400, lang_of(), "format must be json")
        url = args.get("url", "")
        if not url or len(url) > 2000:
            return error_page(400, lang_of(), "oEmbed needs a url parameter.")
        try:
            req = request_from_url(url, serving.site_netloc(), store)
        except KeyError:
            return error_page(404, lang_of(), "That URL is not a chart of this site.")
        except BadParameter as exc:
            return error_page(400, lang_of(), str(exc))
        try:
            maxwidth = _dimension(args.get("maxwidth"))
            maxheight = _dimension(args.get("maxheight"))
        except ValueError:
            return error_page(400, lang_of(), "maxwidth and maxheight must be whole numbers")
        if req.version:  # a pinned URL gets the pinned chart's code (its iframe and image stay on that version)
            try:
                store.pin(serving.requested_version(store, req.version))
            except throttle.Refused as exc:
                return serving.refused(exc)
            except versions.BadVersion as exc:
                return error_page(400, lang_of(), str(exc))
            except versions.VersionNotAvailable as exc:
                return error_page(404, lang_of(), str(exc))
        view = cached_view(req)
        base = serving.site_url() + "/"
        width = min(maxwidth or 800, 1200)
        height = min(maxheight or (680 if req.spec.id.startswith("claim-") else EMBED_HEIGHT), 1200)
        from dashboard.chart_card import embed_code

        code = embed_code(req.spec, view, req.state, base, version=req.version)
        code = re.sub(r'height="\d+"', f'height="{height}"', code, count=1)
        png_query = {**req.state.query(req.spec), **({"version": req.version} if req.version else {})}
        png = f"{base.rstrip('/')}/download/{req.spec.id}.png" + (f"?{urlencode(png_query)}" if png_query else "")
        body = {
            "version": "1.0",
            "type": "rich",
            "provider_name": t("site_title", req.state.lang),
            "provider_url": base,
            "title": view.title,
            "author_name": "; ".join(dict.fromkeys(s.publisher for s in view.sources if s.publisher)),
            "html": code,
            "width": width,
            "height": height,
            "thumbnail_url": png,
            "thumbnail_width": 960,
            "thumbnail_height": 560,
            "cache_age": 31536000 if req.version else 3600,  # a pinned chart's code never changes
        }
        return flask.jsonify(body)


def prewarm_urls(store: DataStore) -> list[str]:
    """The images the pages link to, in the order readers and link previews most likely ask for them."""
    from dashboard.chartdefs.claims import claims_doc, has_chart
    from dashboard.pages_index import PAGES

    urls = [f"/share/{page.key}.png" for page in PAGES.values()]
    for spec in charts.all_charts():
        urls.append(charts.download_path(spec, charts.narrow(spec, store, charts.parse_state(spec, store, {})), "png"))
    claims = claims_doc(store)["claims"]
    urls += [
        f"/embed/claim-{c['claim_id']}.svg" + suffix for c in claims if has_chart(c) for suffix in ("", "?lang=es")
    ]
    urls += ["/share/claim.png?" + urlencode({"claim": c["claim_id"]}) for c in claims]
    return urls


def _dimension(value: str | None) -> int:
    """oEmbed maxwidth/maxheight: a positive whole number in ASCII digits (0 or absent: our default)."""
    if not value:
        return 0
    if not (value.isascii() and value.isdigit() and len(value) <= 6):
        raise ValueError(value)
    return int(value)


def request_from_url(url: str, host: str, store: DataStore) -> EmbedRequest:
    """Which chart and state a URL of ours (on `host`, the site's configured address) shows: /embed/<chart>?…,
    /?claim=<id>, or a page URL #<chart>."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != host:
        raise KeyError(url)
    args = dict(parse_qsl(parts.query))
    if parts.path.startswith("/embed/"):
        return parse_embed(parts.path.removeprefix("/embed/"), args, store)
    req = _page_request(parts.path, parts.fragment, args, store)
    return replace(req, version=args["version"]) if "version" in args else req


def _page_request(path: str, fragment: str, args: dict[str, str], store: DataStore) -> EmbedRequest:
    """The chart a page URL shows: a claim's page its evidence chart, a chart page the chart its fragment names."""
    if path == "/" and "claim" in args:
        lang = {"lang": args["lang"]} if "lang" in args else {}
        return parse_embed(f"claim-{args['claim']}", lang, store)
    if path.startswith("/claims/"):  # a claim's page shows its evidence chart
        lang = {"lang": args["lang"]} if "lang" in args else {}
        return parse_embed(f"claim-{path.removeprefix('/claims/')}", lang, store)
    spec = charts.get(fragment)
    if spec.page != path:
        raise KeyError(path)
    chart_id = fragment
    state_args = {k: v for k, v in args.items() if k in (*spec.params, "lang", "tab")}
    return parse_embed(chart_id, state_args, store)

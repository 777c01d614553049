"""Embeds for other sites: `/embed/<chart>` (a tiny page with the chart, its title, source line, "as of" date and a
link back), `/embed/<chart>.svg` (static image), `/embed.js` (the host page's auto-height listener) and `/oembed`.

An interactive embed loads only plotly.js's basic bundle (scatter and bar, about 400 KB gzipped) instead of Dash;
a static embed is an SVG (tens of KB). No third-party requests: every asset is served by this app.

This module holds the routes; what they use has a module each: the request and its flags (`embed_request.py`), the
page (`embed_page.py`), the figure and its dark theme (`embed_figure.py`), oEmbed (`oembed.py`) and fingerprinted
static files (`static_files.py`). Their names other modules import from here still import from here.
"""

from __future__ import annotations

import os
import threading
from typing import Any
from urllib.parse import urlencode

import flask
from flask_caching import Cache

from dashboard import charts, oembed, render, serving, static_files, throttle
from dashboard.charts import BadParameter, ChartView
from dashboard.data import DataStore
from dashboard.describe import describe
from dashboard.embed_figure import DARK, dark_layout, embed_figure, static_figure
from dashboard.embed_page import render_page, script_json
from dashboard.embed_request import DEFAULT_FLAGS, FLAGS, EmbedRequest, embed_query, parse_embed
from dashboard.oembed import EMBED_HEIGHT, request_from_url
from dashboard.static_files import PLOTLY_BUNDLE, STATIC, asset_url

__all__ = [  # imported from here by other modules (app, export, security, pages, tests)
    "DARK",
    "DEFAULT_FLAGS",
    "EMBED_CSP",
    "EMBED_HEIGHT",
    "FLAGS",
    "PLOTLY_BUNDLE",
    "STATIC",
    "EmbedRequest",
    "asset_url",
    "dark_layout",
    "embed_figure",
    "embed_query",
    "parse_embed",
    "prewarm_urls",
    "register",
    "render_page",
    "request_from_url",
    "script_json",
    "static_figure",
]

EMBED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors *"
)


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
        if digest != static_files.digest(name, path.stat().st_mtime):
            return error_page(404, "en", "This version of the file is gone; reload the page.")
        response = flask.send_file(path, max_age=31536000, conditional=True)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    oembed.register(server, store, error_page, lang_of, cached_view)


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

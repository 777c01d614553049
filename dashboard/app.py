"""The app factory: Dash pages for journalists, plus plain Flask routes for downloads, embeds, oEmbed, share
images and health. Bad URLs answer 404/400 with a helpful page before Dash renders anything."""

from __future__ import annotations

import gc
import html as html_lib
import logging
import os
import re
import sys
from pathlib import Path

import dash
import flask
from dash import html
from flask_caching import Cache
from flask_compress import Compress

from dashboard import (
    archived,
    callbacks,
    charts,
    embed,
    memo,
    pagemeta,
    routes,
    screen,
    security,
    serving,
    settings,
    static_first,
    throttle,
)
from dashboard import data as data_module
from dashboard.data import DataStore
from dashboard.i18n import normalize_lang, t
from dashboard.pages_index import CLAIM_PREFIX, PAGES

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
ASSETS = HERE / "assets"
STATIC = HERE / "static"

INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


class CubaDash(dash.Dash):
    """Dash with per-request <title>, <html lang>, description and share-image tags (server-side, so crawlers and
    link previews see the page's own title and an image of the exact view), and the page's first screen already
    rendered in the HTML (dashboard/static_first.py): readable before any script runs; Dash's scripts are loaded
    once the page has loaded, and its interactive page takes the static one's place."""

    def interpolate_index(self, **kwargs: str) -> str:
        request = flask.request
        query = {k: v for k, v in request.args.items() if k != static_first.LIGHT_PARAM}
        lang = normalize_lang(query.get("lang"))
        # Canonical, og:url, og:image and the ClaimReview's addresses: the configured site, never the request's Host.
        meta = pagemeta.for_request(request.path, query, lang, serving.site_url())
        tags = pagemeta.meta_tags(meta)  # a claim page's ClaimReview included (one per claim page)
        scripts = without_polyfill(kwargs.get("scripts", ""))
        static = None
        if static_first.is_page_path(request.path):
            try:
                static, _first = static_first.page_html(request.path, query, light=False)
            except Exception:
                log.exception("static first screen of %s failed", request.path)
        if static is None:
            tags += "".join(f'\n<link rel="preload" href="{src}" as="script">' for src in preloads(request.path))
        else:
            tags += static_first.head_tags()
            kwargs["app_entry"] = static_first.app_entry(static, preloads(request.path))
            scripts = static_first.deferred_scripts(scripts)
            kwargs["renderer"] = static_first.deferred_renderer(kwargs.get("renderer", ""))
        kwargs["metas"] = tags + "\n" + kwargs.get("metas", "")
        # Charts with a phone window (static/phone-window.js) show it while their plot is narrow.
        scripts += f'\n<script src="{embed.asset_url("phone-window.js")}" defer></script>'
        kwargs["scripts"] = scripts
        kwargs["title"] = html_lib.escape(meta["title"])
        return super().interpolate_index(**kwargs).replace('<html lang="{lang}">', f'<html lang="{lang}">', 1)


PLOTLY_SUITE_PATH = "/_dash-component-suites/plotly/package_data/plotly.min.js"
DCC_CHUNKS = "/_dash-component-suites/dash/dcc/"
POLYFILL_TAG = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>')


def preloads(path: str) -> list[str]:
    """Scripts a page will ask for only after its layout has arrived and rendered (dcc's lazy chunks, plotly.js):
    announced in the head, they download while Dash starts instead of one after another at the end."""
    page = PAGES.get(path)
    if page is None:  # a claim's page draws its evidence chart
        return [DCC_CHUNKS + "async-graph.js", PLOTLY_SUITE_PATH] if path.startswith(CLAIM_PREFIX) else []
    if page.charts:
        return [DCC_CHUNKS + "async-dropdown.js", DCC_CHUNKS + "async-graph.js", PLOTLY_SUITE_PATH]
    if path == "/":
        return [DCC_CHUNKS + "async-dropdown.js"]
    if path == "/methodology":
        return [DCC_CHUNKS + "async-markdown.js"]
    return []


def without_polyfill(scripts: str) -> str:
    """Dash loads @babel/polyfill (core-js 2) for old browsers. In current ones it replaces native methods with
    slower copies (String.prototype.trim, which plotly calls for every label), so we load only the part Dash's
    bundles need: regenerator-runtime (MIT, vendored, 25 KB)."""
    runtime = f'<script src="{embed.asset_url("vendor/regenerator-runtime.js")}"></script>'
    return POLYFILL_TAG.sub(runtime, scripts, count=1)


def register_plotly_bundle(server: flask.Flask) -> None:
    """dcc.Graph loads plotly.js on demand, only on pages with a chart, from this path. We answer with plotly.js basic
    (scatter and bar: every chart here) instead of the full bundle: a quarter of the size to download and compile,
    and pages without charts load no plotly at all. (A rule without variables wins over Dash's component-suites
    rule.)"""
    bundle = STATIC / embed.PLOTLY_BUNDLE
    server.add_url_rule(
        PLOTLY_SUITE_PATH,
        "plotly_basic",
        lambda: flask.send_file(bundle, mimetype="text/javascript", max_age=86400, conditional=True),
    )


def create_app(
    store: DataStore | None = None, *, cache_dir: str | None = None, site_url: str | None = None
) -> CubaDash:
    """Build the app around a data store (default: the repository's data/); no data is read at import time.

    `site_url` (else $CUBA_SITE_URL, else the development address) is the public origin every absolute link is built
    from; production requires it (dashboard/wsgi.py)."""
    store = store or DataStore()
    data_module.configure(store)
    server = flask.Flask(__name__, static_folder=str(STATIC), static_url_path="/static")
    server.config["SITE_URL"] = settings.site_url(site_url)
    server.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes()  # larger bodies: 413 before they are read
    server.extensions[serving.THROTTLE_EXTENSION] = throttle.Throttle.from_settings()
    server.extensions[screen.STORE_EXTENSION] = store  # image tags name this app's data version
    server.config["COMPRESS_MIMETYPES"] = [
        "text/html",
        "text/css",
        "text/csv",
        "text/plain",
        "application/json",
        "application/javascript",
        "text/javascript",
        "image/svg+xml",
        "application/geo+json",
        "application/atom+xml",
        "application/feed+json",
    ]
    server.config["COMPRESS_MIN_SIZE"] = 500
    server.config["SEND_FILE_MAX_AGE_DEFAULT"] = 31536000  # fingerprinted static files
    Compress(server)
    cache = Cache(server, config=cache_config(store, cache_dir))

    app = CubaDash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        assets_folder=str(ASSETS),
        include_pages_meta=False,
        title=t("site_title", "en"),
        update_title=None,
        suppress_callback_exceptions=True,
        compress=False,  # Flask-Compress above handles every route, not only Dash's
        serve_locally=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = INDEX_TEMPLATE
    app.layout = html.Div([dash.page_container, html.Div(id="page-title-sync", hidden=True)])
    register_plotly_bundle(server)
    routes.register_pinning(server, store)  # first: `?version=` pins the data for every hook after it
    archived.register(app, store)  # a page at a pinned version: its archived static copy
    static_first.register(app, store, cache)  # before routes: a light or pinned page is answered there
    routes.register(server, store, cache)
    embed.register(server, store, cache, routes.error_page)
    serving.add_linked_source(embed.prewarm_urls)
    serving.add_linked_source(static_first.linked_urls)
    serving.add_page_images_source(static_first.page_image_urls)
    callbacks.register(app)
    security.register(app)
    return app


def cache_config(store: DataStore, cache_dir: str | None) -> dict[str, object]:
    """Flask-Caching for built downloads, images and embed pages: in memory within the worker's byte budget
    (dashboard/memo.py), or with CUBA_CACHE_TYPE=FileSystemCache shared between workers on disk, where the
    entry count times the largest entry kept bounds its size. Every key names the data version that built the value
    and the site URL (the answers contain it: dashboard/routes.py, dashboard/embed.py)."""
    cache_type = os.environ.get("CUBA_CACHE_TYPE", "FileSystemCache" if cache_dir else "SimpleCache")
    files_bytes, _entries, largest = memo.budget("files")
    config: dict[str, object] = {"CACHE_DEFAULT_TIMEOUT": 3600}
    if cache_type == "SimpleCache":  # the default: SimpleCache's job, bounded in bytes as well as entries
        config["CACHE_TYPE"] = "dashboard.memo.BytesCache"
    elif cache_type == "FileSystemCache":
        config.update(
            CACHE_TYPE="dashboard.memo.SizedFileSystemCache",
            CACHE_DIR=cache_dir or str(store.paths.cache_dir / "figures"),
            CACHE_THRESHOLD=max(16, files_bytes // largest),
        )
    else:
        config["CACHE_TYPE"] = cache_type
    return config


def warm_up() -> None:
    """Build every chart once in its default view, then move what is alive into Python's permanent generation.

    Why: the data, the prepared frames and the first views live as long as the process, and each full garbage
    collection walked them all (~100 ms on this machine, a few times a minute under use: the callbacks' p95).
    `gc.freeze` leaves them out of those walks; memory is still freed as usual when a new package replaces them.
    Called by `python -m dashboard` and the WSGI module before serving, not by tests (they make many apps)."""
    store = data_module.store()
    try:
        _ = store.version  # loads and checks the published version (or the last good copy)
    except data_module.DataUnavailable as exc:  # nothing good to serve: start anyway, every data route says 503
        print(f"warm-up skipped: no data version can serve ({exc.description})", file=sys.stderr)
        return
    for spec in charts.all_charts():
        charts.build(spec.id, store, charts.narrow(spec, store, charts.parse_state(spec, store, {})))
    gc.collect()
    gc.freeze()

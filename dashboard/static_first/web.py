"""The static first screen's requests: `Save-Data` asks for the light page, a submitted static form redirects to the
page's own address, `?light=1` answers the light page, pages get an ETag of their content; then the `/screen/` images
(dashboard/static_first/screen_image.py) and their prewarming (dashboard/static_first/prewarm.py)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

import flask

from dashboard.i18n import normalize_lang
from dashboard.light import FORM_PARAM, LIGHT_PARAM
from dashboard.static_first.pages import is_page_path, light_document, page_problem
from dashboard.static_first.prewarm import add_prewarm
from dashboard.static_first.screen_image import add_screen_route

DASH_PAGE_RULES = {"/", "/<path:path>"}


class SaveDataMiddleware:
    """`Save-Data: on` (the browser's data saver) asks for the light version: the query gets `light=1` before Flask
    routes it, so every layer (validation, the answer cache's key, embeds) sees one address per variant. An explicit
    `light=` in the address wins. Responses that vary with it say so (`Vary: Save-Data`, `register`)."""

    def __init__(self, wsgi_app: Callable) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        if environ.get("HTTP_SAVE_DATA", "").strip().lower() == "on":
            path = environ.get("PATH_INFO", "")
            if _varies_with_save_data(path):
                query = environ.get("QUERY_STRING", "")
                if not any(k == LIGHT_PARAM for k, _ in parse_qsl(query, keep_blank_values=True)):
                    environ["QUERY_STRING"] = f"{query}&{LIGHT_PARAM}=1" if query else f"{LIGHT_PARAM}=1"
        return self.wsgi_app(environ, start_response)


def _varies_with_save_data(path: str) -> bool:
    return is_page_path(path) or (path.startswith("/embed/") and not path.endswith(".svg"))


END_ID = re.compile(rb'"end_id":"[^"]*"')  # Dash's token for one page load: not part of what the page shows


def _decoded(body: bytes, encoding: str | None) -> bytes:
    if not encoding:
        return body
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    if encoding == "gzip":
        import gzip

        return gzip.decompress(body)
    if encoding == "deflate":
        import zlib

        return zlib.decompress(body)
    if encoding == "zstd":  # what Flask-Compress prefers when the browser offers it (Chrome does)
        from flask_compress.compat import compression

        return compression.zstd.decompress(body)
    raise ValueError(encoding)


def normalized_form_query(args: Any) -> dict[str, str]:
    """A submitted static form as the page's own URL: empty fields dropped, the chosen countries joined with "~", the
    default view (chart) left out."""
    out: dict[str, str] = {}
    for key in dict.fromkeys(args.keys()):
        if key == FORM_PARAM:
            continue
        values = [v for v in args.getlist(key) if v != ""]
        if not values:
            continue
        out[key] = "~".join(values) if key == "country" else values[0]
    if out.get("tab") == "chart":
        del out["tab"]
    return out


DEPENDENT_FIELDS = ("series", "country")  # choices that belong to the chosen dataset (/explore)


def form_query_for_page(store: Any, path: str, query: dict[str, str]) -> dict[str, str]:
    """A submitted form's query, without the choices that belong to another dataset: a reader who picks a new
    dataset on /explore and presses Apply submits the previous dataset's series too, which the new one does not
    have (a 400 before). Those fall back to the new dataset's defaults; any other bad value still gets its 400."""
    view = {k: v for k, v in query.items() if k not in (LIGHT_PARAM, "version")}
    if page_problem(store, path, view, normalize_lang(query.get("lang"))) is None:
        return query
    repaired = {k: v for k, v in query.items() if k not in DEPENDENT_FIELDS}
    view = {k: v for k, v in repaired.items() if k not in (LIGHT_PARAM, "version")}
    return repaired if page_problem(store, path, view, normalize_lang(query.get("lang"))) is None else query


def register(app: Any, store: Any, cache: Any) -> None:
    """The light mode, the static form's redirect, the chart images and their prewarming. Registered before
    dashboard/routes.py's hooks: a light page is answered here (validated the same way)."""
    from dashboard import routes

    server = app.server
    server.wsgi_app = SaveDataMiddleware(server.wsgi_app)

    @server.before_request
    def static_first_gate() -> flask.Response | None:
        request = flask.request
        rule = request.url_rule.rule if request.url_rule else None
        if request.method not in ("GET", "HEAD") or rule not in DASH_PAGE_RULES:
            return None
        args = request.args
        if args.get(FORM_PARAM) == "1" and is_page_path(request.path):
            query = form_query_for_page(store, request.path, normalized_form_query(args))
            target = request.path + (f"?{urlencode(query)}" if query else "")
            response = flask.redirect(target, code=303)
            response.headers["Cache-Control"] = "no-store"
            return response
        light = args.get(LIGHT_PARAM)
        if light is None or len(args) != len(list(args.items(multi=True))):
            return None  # the usual way (dashboard/routes.py refuses repeated parameters)
        lang = normalize_lang(args.get("lang"))
        if light not in ("0", "1"):
            return routes.error_page(400, lang, "light must be 0 or 1")
        query = {k: v for k, v in args.items() if k != LIGHT_PARAM}
        problem = page_problem(store, request.path, query, lang)
        if problem is not None:
            return problem
        if light == "1":
            return flask.Response(light_document(app, request.path, query), mimetype="text/html")
        return flask.make_response(app.index())

    @server.after_request
    def vary_on_save_data(response: flask.Response) -> flask.Response:
        if _varies_with_save_data(flask.request.path):
            response.vary.add("Save-Data")
        return response

    @server.after_request
    def revalidated_pages(response: flask.Response) -> flask.Response:
        """A page's HTML is kept by the browser and revalidated (ETag, `no-cache`): a repeat visit costs a 304 of a
        few hundred bytes, not the page again. The tag is of the page's content without Dash's per-load token, so
        every worker gives the same page the same tag. Runs before Flask-Compress, which appends the encoding to the
        tag and answers the conditional request; an answer from dashboard/routes.py's cache is already encoded."""
        request = flask.request
        rule = request.url_rule.rule if request.url_rule else None
        if (
            request.method not in ("GET", "HEAD")
            or rule not in DASH_PAGE_RULES
            or response.status_code != 200
            or response.is_streamed
            or response.mimetype != "text/html"
        ):
            return response
        encoding = response.headers.get("Content-Encoding")
        try:
            body = _decoded(response.get_data(), encoding)
        except Exception:  # noqa: BLE001 - an encoding we cannot read back: the page goes without a tag
            return response
        tag = hashlib.sha256(END_ID.sub(b"", body)).hexdigest()[:32]
        response.headers["Cache-Control"] = "no-cache"
        if encoding:
            response.set_etag(f"{tag}:{encoding}")
            response.make_conditional(request)
        else:
            response.set_etag(tag)
        return response

    add_screen_route(server, store, cache)
    add_prewarm(server, store)

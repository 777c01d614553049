"""Plain HTTP routes beside the Dash pages: the guard that answers unknown pages with 404 and bad parameters with
400 (a real status, not a 200 carrying an error), the pinning of `?version=`, the cache of whole answers, the error
handlers and health. Downloads, feeds and published files (`dashboard/downloads.py`) and share images
(`dashboard/share_images.py`) register their own routes from here; the error page is `dashboard/error_page.py`."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import flask
from dash.exceptions import DependencyException
from flask_caching import Cache
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from dashboard import downloads, memo, security, serving, share_images, throttle, versions
from dashboard.charts import BadParameter
from dashboard.data import DataStore
from dashboard.data import health as data_health
from dashboard.downloads import PACKAGE_ZIP
from dashboard.error_page import error_page
from dashboard.i18n import normalize_lang, t
from dashboard.pages_index import CLAIM_PREFIX, PAGES, claim_id_of, find_claim, parse_claim_query, parse_page_query
from dashboard.pinning import VERSION_PARAM

__all__ = ["PACKAGE_ZIP", "error_page", "register", "register_pinning"]  # error_page: imported from here too

DASH_PAGE_RULES = {"/", "/<path:path>"}  # Dash's catch-all routes: every page URL arrives through these
CALLBACK_PATH = "/_dash-update-component"
# Answers that depend only on the request, the published data and the site URL. Pages (the HTML shell; their content
# comes from callbacks), embeds, downloads, and the chart controls' callback — not Dash's page router, because the
# Data page also shows the run state, which changes without new data.
CACHEABLE_RULES = {"/", "/<path:path>", "/embed/<chart_id>", "/download/<chart_id>.<ext>", "/feeds/<lang>.<kind>"}
# Where a pinned version is honoured: every page (as a static archived copy, dashboard/static_first.py), the chart's
# embed, its images, downloads and citable zip, the published files and feeds.
PINNABLE_PREFIXES = ("/embed/", "/download/", "/files/", "/feeds/", "/screen/", "/share/")
CACHEABLE_CALLBACK_OUTPUTS = ('"type":"chart-graph"}.figure', "control-series.options")
KEPT_HEADERS = {"content-type", "content-encoding", "content-disposition", "cache-control", "vary"}


def pinnable_path(path: str) -> bool:
    """Whether `?version=` is honoured at this address (elsewhere it is ignored, as any unknown parameter)."""
    return path.startswith(PINNABLE_PREFIXES) or path in PAGES or path.startswith(CLAIM_PREFIX)


def register_pinning(server: flask.Flask, store: DataStore) -> None:
    """`?version=<id>` pins the data of one request. Registered before every other hook (dashboard/app.py): a pinned
    page is answered by dashboard/archived.py's gate, which runs before the other pages' hooks."""

    @server.before_request
    def pin_requested_version() -> flask.Response | None:
        """`?version=<id>` serves that data version to this request (its id from the cite box): the version serving
        now needs no history; an older one comes from the repository's history of data/, verified like the live
        one. A malformed id is 400, one this deployment cannot serve 404, with the site's error page."""
        wanted = flask.request.args.get(VERSION_PARAM)
        store.pin(None)
        if wanted is None or not pinnable_path(flask.request.path):
            return None
        lang = normalize_lang(flask.request.args.get("lang"))
        try:
            store.pin(serving.requested_version(store, wanted))
        except throttle.Refused as exc:
            return serving.refused(exc)
        except versions.BadVersion as exc:
            return error_page(400, lang, str(exc))
        except versions.VersionNotAvailable as exc:
            return error_page(404, lang, str(exc), title=t("version_unavailable_title", lang))
        return None

    @server.after_request
    def pinned_answers_are_immutable(response: flask.Response) -> flask.Response:
        """An answer at a pinned data version never changes (its data do not): browsers and proxies may keep it for
        a year. Not pages (their HTML is revalidated, so a fix to the site reaches archived copies too)."""
        if store.is_pinned and response.status_code == 200 and flask.request.path.startswith(PINNABLE_PREFIXES):
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    @server.teardown_request
    def unpin(_exc: BaseException | None) -> None:
        store.pin(None)


def register(server: flask.Flask, store: DataStore, cache: Cache) -> None:
    answers = memo.ByteLRU.for_budget("answers")

    @server.before_request
    def one_value_per_parameter() -> flask.Response | None:
        """A repeated parameter (`?start=2020&start=2021`) is answered 400 on every address: which one counts would
        otherwise depend on the route, and a cache key could name one value while the answer used the other. Not on
        /healthz, which reads no parameter: a monitor's probe must not fail on what it appends."""
        args = flask.request.args
        if not flask.request.path.startswith("/healthz") and len(args) != len(list(args.items(multi=True))):
            return error_page(400, normalize_lang(args.get("lang")), "a parameter is repeated")
        return None

    def answer_key() -> str | None:
        """For the hot answers that are pure functions of the request, the published data and the site URL: pages,
        embeds, downloads and the chart controls' callback. None for everything else. The data version is the one
        pinned for this request; the site URL is the configured one (the request's Host is in no answer)."""
        request = flask.request
        if request.method == "POST" and request.path.endswith(CALLBACK_PATH):
            body, _problem = security.callback_json()
            output = body.get("output") if isinstance(body, dict) else None
            if not isinstance(output, str) or not any(marker in output for marker in CACHEABLE_CALLBACK_OUTPUTS):
                return None
            what = hashlib.sha256(request.get_data(cache=True)).hexdigest()
        elif request.method == "GET" and request.url_rule is not None and request.url_rule.rule in CACHEABLE_RULES:
            what = request.full_path
        else:
            return None
        encodings = request.headers.get("Accept-Encoding", "")
        return f"{serving.pinned_version(store)}|{serving.site_url()}|{encodings}|{request.method}|{what}"

    @server.before_request
    def cached_answer() -> flask.Response | None:
        """The same request answered before is answered again with the bytes sent then (compressed, headers kept):
        a shared link or a viral embed asks for the same few views over and over, and building a page's six charts
        for the controls' callback costs ~0.4 s of CPU, compressing a page ~1 ms (bench/RESULTS.md, "Load")."""
        key = answer_key()
        if key is None:
            return None
        hit = answers.get(key)
        if hit is None:
            flask.g.answer_key = key
            return None
        headers, body = hit
        response = flask.Response(body, headers=headers)
        response.headers["X-Cache"] = "hit"
        return response

    def remember_answer(_sender: flask.Flask, response: flask.Response, **_extra: Any) -> None:
        """After every after_request hook (compression, security headers): what was sent, for the next time — only
        if the data did not change while it was built (its key names the version it was built from)."""
        key = flask.g.pop("answer_key", None)
        if not key or response.status_code != 200 or response.is_streamed or "Set-Cookie" in response.headers:
            return
        if not serving.still_current(store, key.split("|", 1)[0]):
            return
        body = response.get_data()
        headers = [(k, v) for k, v in response.headers.items() if k.lower() in KEPT_HEADERS]
        answers.set(key, (headers, body), len(body) + len(key) + 300)

    flask.request_finished.connect(remember_answer, server, weak=False)

    @server.before_request
    def guard_pages() -> flask.Response | None:
        request = flask.request
        path = request.path
        rule = request.url_rule.rule if request.url_rule else None
        if request.method not in ("GET", "HEAD") or rule not in DASH_PAGE_RULES:
            return None  # Flask answers unmatched URLs with 404 itself; other routes validate their own input
        lang = normalize_lang(request.args.get("lang"))
        if path.startswith(CLAIM_PREFIX):
            return claim_page_problem(store, path, lang)
        page = PAGES.get(path)
        if page is None:
            return error_page(404, lang, t("error_no_page_at", lang, path=path[:120]))
        try:
            parse_page_query(page, store, request.args.to_dict())
        except BadParameter as exc:
            return error_page(400, lang, str(exc))
        return None

    @server.errorhandler(404)
    def not_found(_exc: Exception) -> flask.Response:
        return error_page(404, normalize_lang(flask.request.args.get("lang")), "Nothing is published at this address.")

    @server.errorhandler(405)
    def not_allowed(exc: MethodNotAllowed) -> flask.Response:
        """With `Allow` (RFC 9110: a 405 must list the methods the address accepts)."""
        response = error_page(405, "en", "This address does not accept that method.")
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods or ("GET", "HEAD")))
        return response

    @server.errorhandler(HTTPException)
    def other_client_errors(exc: HTTPException) -> flask.Response | HTTPException:
        """Every other 4xx (malformed JSON, a body too large...) gets the same helpful page, not Werkzeug's."""
        if exc.code is None or not 400 <= exc.code < 500:
            return exc  # redirects and server errors keep their own handling
        return error_page(exc.code, normalize_lang(flask.request.args.get("lang")), exc.description or "Bad request.")

    @server.errorhandler(TimeoutError)
    def body_too_slow(_exc: Exception) -> flask.Response:
        """The client did not send its request body in time (dashboard/gunicorn_worker.py): 408, not a 500."""
        response = error_page(408, "en", "The request took too long to arrive.")
        response.headers["Connection"] = "close"
        return response

    @server.errorhandler(DependencyException)
    def unknown_component_file(_exc: Exception) -> flask.Response:
        """Dash raises (→ 500) for a path under /_dash-component-suites/ it did not register: it is a 404."""
        return error_page(404, "en", "No such file.")

    @server.errorhandler(500)
    def server_error(_exc: Exception) -> flask.Response:
        """Never show a traceback; the log has it."""
        return error_page(
            500,
            normalize_lang(flask.request.args.get("lang")),
            "Something went wrong on our side. Please try again, or report the address.",
        )

    @server.get("/healthz")
    def healthz() -> flask.Response:
        """For a load balancer: every published table checked (dashboard.data.health); 200 while a good version
        serves (degraded when data/ failed), 503 only when nothing can."""
        return _health(strict=False)

    @server.get("/healthz/ready")
    def healthz_ready() -> flask.Response:
        """For a deploy's readiness probe: 503 until every worker has rendered the images the pages link to (about
        300, a few minutes on 2 cores), then 200 for good (dashboard/serving.py: Readiness)."""
        ready, body = serving.readiness.state()
        response = flask.Response(json.dumps(body), status=200 if ready else 503, mimetype="application/json")
        response.headers["Cache-Control"] = "no-store"
        return response

    @server.get("/healthz/data")
    def healthz_data() -> flask.Response:
        """For monitoring: 503 whenever data/ as it is now fails its checks, naming the file."""
        return _health(strict=True)

    def _health(strict: bool) -> flask.Response:
        try:
            status, body = data_health(store, strict=strict)
        except Exception as exc:  # noqa: BLE001 - health must report, never raise
            status, body = 503, {"status": "error", "error": str(exc)[:300]}
        return flask.Response(json.dumps(body), status=status, mimetype="application/json")

    @server.get("/robots.txt")
    def robots() -> flask.Response:
        return flask.Response("User-agent: *\nDisallow: /download/\nDisallow: /share/\n", mimetype="text/plain")

    downloads.register(server, store, cache)
    share_images.register(server, store, cache)


# -- claim pages ----------------------------------------------------------------------------------------------------------
def claim_page_problem(store: DataStore, path: str, lang: str) -> flask.Response | None:
    """/claims/<id>: 404 for a malformed or unknown id, 400 for parameters other than `lang`, else None."""
    claim = find_claim(store, claim_id_of(path))
    if claim is None:
        return error_page(404, lang, f"{t('claim_not_found', lang, id=path.removeprefix(CLAIM_PREFIX)[:100])}")
    args = flask.request.args
    if any(len(v) > 1 for v in args.to_dict(flat=False).values()):
        return error_page(400, lang, "a parameter is repeated")
    try:
        parse_claim_query(args.to_dict())
    except BadParameter as exc:
        return error_page(400, lang, str(exc))
    return None

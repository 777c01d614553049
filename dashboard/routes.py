"""Plain HTTP routes beside the Dash pages: downloads, published files, share images, health, and the guard that
answers unknown pages with 404 and bad parameters with 400 (a real status, not a 200 carrying an error)."""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable
from typing import Any

import flask
from dash.exceptions import DependencyException
from flask_caching import Cache
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from dashboard import charts, citation, feeds, memo, render, security, serving, throttle, versions
from dashboard.charts import BadParameter
from dashboard.citation import csv_with_citation  # also imported from here by dashboard/export.py
from dashboard.components import NAV, with_lang
from dashboard.data import DataStore
from dashboard.data import health as data_health
from dashboard.describe import describe
from dashboard.i18n import LANGS, normalize_lang, t
from dashboard.pages_index import CLAIM_PREFIX, PAGES, claim_id_of, find_claim, parse_claim_query, parse_page_query
from etl.claims.labels import (
    LABEL_CANNOT_CHECK,
    LABEL_CONSISTENT,
    LABEL_NOT_CONSISTENT,
    LABEL_NOT_FACTUAL,
    LABEL_PARTLY,
)

DASH_PAGE_RULES = {"/", "/<path:path>"}  # Dash's catch-all routes: every page URL arrives through these
CALLBACK_PATH = "/_dash-update-component"
# Answers that depend only on the request, the published data and the site URL. Pages (the HTML shell; their content
# comes from callbacks), embeds, downloads, and the chart controls' callback — not Dash's page router, because the
# Data page also shows the run state, which changes without new data.
CACHEABLE_RULES = {"/", "/<path:path>", "/embed/<chart_id>", "/download/<chart_id>.<ext>", "/feeds/<lang>.<kind>"}
VERSION_PARAM = "version"  # ?version=<id>: the answer as it was at that data version (dashboard/versions.py)
# Where a pinned version is honoured: every page (as a static archived copy, dashboard/static_first.py), the chart's
# embed, its images, downloads and citable zip, the published files and feeds.
PINNABLE_PREFIXES = ("/embed/", "/download/", "/files/", "/feeds/", "/screen/", "/share/")
CACHEABLE_CALLBACK_OUTPUTS = ('"type":"chart-graph"}.figure', "control-series.options")
KEPT_HEADERS = {"content-type", "content-encoding", "content-disposition", "cache-control", "vary"}
PACKAGE_ZIP = "cuba-energy-data.zip"
DOWNLOAD_TYPES = {"csv": "text/csv", "png": "image/png", "svg": "image/svg+xml", "zip": "application/zip"}
EXTRA_FILES = {
    "datapackage.json": "application/json",
    "claims.json": "application/json",
    "changelog.jsonl": "application/x-ndjson",
    "claims-review.jsonld": "application/ld+json",
}


def pinnable_path(path: str) -> bool:
    """Whether `?version=` is honoured at this address (elsewhere it is ignored, as any unknown parameter)."""
    return path.startswith(PINNABLE_PREFIXES) or path in PAGES or path.startswith(CLAIM_PREFIX)


def view_args() -> dict[str, str]:
    """The request's view parameters (`version` is not one: it picks the data, dashboard/versions.py)."""
    return {k: v for k, v in flask.request.args.items() if k != VERSION_PARAM}


def error_page(status: int, lang: str, message: str, title: str | None = None) -> flask.Response:
    """A small, helpful, escaped HTML page for 4xx answers."""
    title = title or {404: t("not_found_title", lang), 400: t("bad_request_title", lang)}.get(status, "Error")
    links = "".join(
        f'<li><a href="{html.escape(with_lang(href, lang))}">{html.escape(t(key, lang))}</a></li>' for href, key in NAV
    )
    body = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{html.escape(title)} · {html.escape(t("site_title", lang))}</title>
<link rel="stylesheet" href="/assets/00-bootstrap.min.css"><link rel="stylesheet" href="/assets/10-site.css"></head>
<body><main class="container error-page" id="main"><p class="site-title">{html.escape(t("site_title", lang))}</p>
<h1>{html.escape(title)}</h1><p class="lead">{html.escape(message)}</p>
<p>{"Try one of these pages:" if lang == "en" else "Pruebe una de estas páginas:"}</p><ul>{links}</ul>
</main></body></html>"""
    response = flask.Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


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
            return error_page(
                404, lang, f"{'There is no page at' if lang == 'en' else 'No hay ninguna página en'} {path[:120]}."
            )
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

    @server.get("/download/<chart_id>.<ext>")
    def download(chart_id: str, ext: str) -> flask.Response:
        """A chart's CSV, PNG, SVG or citable zip (CSV + metadata.json + README with a citation), in the view its
        parameters describe, at the data version `?version=` pins (else the live one)."""
        lang = normalize_lang(flask.request.args.get("lang"))
        if ext not in DOWNLOAD_TYPES:
            return error_page(404, lang, "Downloads are CSV, PNG, SVG or ZIP.")
        try:
            spec = charts.get(chart_id)
        except KeyError:
            return error_page(404, lang, f"No chart called {chart_id[:80]!r}.")
        try:
            state = charts.parse_state(spec, store, view_args())
        except BadParameter as exc:
            return error_page(400, lang, str(exc))
        version = serving.pinned_version(store)
        key = f"dl:{version}:{serving.site_url()}:{chart_id}:{ext}:{sorted(state.query(spec).items())}:{state.lang}"

        def build() -> bytes:  # a new view's CSV, zip or image: limited per client and per process
            view = charts.build(chart_id, store, state)
            if ext == "csv":
                return csv_with_citation(view.frame, view)
            if ext == "zip":
                return citation.chart_zip(spec, view, state, store, serving.site_url())
            page = serving.site_url() + charts.share_path(spec, state)
            if store.is_pinned:  # the image names the archived page it was drawn from
                page = citation.with_version(page, store.version_id)
            texts = {"Source": page, "Copyright": f"CC BY 4.0, {t('site_title', state.lang)}; data: see Source"}
            return render.to_image(view.figure, ext, alt=(view.title, describe(view, state.lang)), texts=texts)

        answer = serving.answer_or_refusal(cache, key, build, store, version)
        if isinstance(answer, flask.Response):
            return answer
        content, hit = answer
        response = flask.Response(content, mimetype=DOWNLOAD_TYPES[ext])
        pinned = f"-{store.version_id}" if store.is_pinned else ""
        response.headers["Content-Disposition"] = f'attachment; filename="{chart_id}{pinned}.{ext}"'
        # a pinned version's answer never changes; the live one follows new data
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable" if pinned else "public, max-age=600"
        response.headers["X-Cache"] = "hit" if hit else "miss"
        return response

    @server.get("/feeds/<lang>.<kind>")
    def feed(lang: str, kind: str) -> flask.Response:
        """The alerts (Atom or JSON Feed) in one language, from the published alerts table (dashboard/feeds.py)."""
        if lang not in LANGS or kind not in feeds.KINDS:
            return error_page(
                404, normalize_lang(lang), "Feeds are /feeds/en.atom, /feeds/en.json, /feeds/es.atom, /feeds/es.json."
            )
        version = serving.pinned_version(store)
        base = serving.site_url()  # never the request's Host: the feed is cached and every link in it is absolute
        key = f"feed:{version}:{base}:{lang}:{kind}"
        content = cache.get(key)
        if content is None:
            content = feeds.build(store, base, lang, kind)
            if serving.still_current(store, version):
                cache.set(key, content)
        response = flask.Response(content, mimetype=feeds.MIMETYPES[kind])
        response.set_etag(hashlib.sha256(content).hexdigest()[:32])
        response.headers["Cache-Control"] = "public, max-age=600"
        response.make_conditional(flask.request)
        return response

    @server.get("/share/<page_key>.png")
    def share_image(page_key: str) -> flask.Response:
        """The link-preview image of a page in the state its URL describes (1200×630)."""
        lang = normalize_lang(flask.request.args.get("lang"))
        if page_key == "claim":
            return claim_share_image(store, cache, lang)
        page = next((p for p in PAGES.values() if p.key == page_key), None)
        if page is None:
            return error_page(404, lang, "No such page.")
        chart_id = page.share_chart or "generation-by-source"
        spec = charts.get(chart_id)
        try:
            state = charts.parse_state(spec, store, flask.request.args.to_dict(), strict=False)
        except BadParameter as exc:
            return error_page(400, lang, str(exc))
        version = serving.pinned_version(store)
        key = f"share:{version}:{serving.site_url()}:{chart_id}:{sorted(state.query(spec).items())}:{state.lang}"
        return share_png(store, cache, key, lambda: charts.build(chart_id, store, state).figure)

    @server.get("/files/<name>")
    def files(name: str) -> flask.Response:
        """Published tables and metadata by exact name only (no paths: nothing outside data/ can be asked for).
        The bytes are those of the data version the site serves, as hash-checked when it was loaded
        (DataStore.file_bytes), never whatever is on disk at the moment: mid-publish, a table and the package
        record naming it always agree, and they agree with the pages."""
        lang = normalize_lang(flask.request.args.get("lang"))
        version = serving.pinned_version(store)
        if name == PACKAGE_ZIP:
            key = f"zip:{version}:{serving.site_url()}"  # the data version that built it; its README has the URL
            try:
                content, hit = serving.cached_or_built(
                    cache, key, lambda: citation.package_zip(store, serving.site_url(), PACKAGE_ZIP), store, version
                )
            except throttle.Refused as exc:
                return serving.refused(exc)
            response = flask.Response(content, mimetype="application/zip")
            pinned = f"-{store.version_id}" if store.is_pinned else ""
            response.headers["Content-Disposition"] = (
                f'attachment; filename="{PACKAGE_ZIP.removesuffix(".zip")}{pinned}.zip"'
            )
            response.headers["X-Cache"] = "hit" if hit else "miss"
            return response
        published = {str(r.get("path")) for r in store.resources()} | {"datapackage.json"}
        tables = {f"{n}.csv" for n in store.table_names()}
        if name in tables or (name in EXTRA_FILES and name in published):
            content = store.file_bytes(name)
            mimetype = "text/csv" if name in tables else EXTRA_FILES[name]
        elif name in EXTRA_FILES and (store.paths.data_dir / name).is_file():  # not in the package (the changelog)
            content, mimetype = (store.paths.data_dir / name).read_bytes(), EXTRA_FILES[name]
        else:
            return error_page(404, lang, f"No published file called {name[:80]!r}.")
        # In memory (tables are at most a few MB) so the response can be compressed; ETag for revalidation.
        response = flask.Response(content, mimetype=mimetype)
        response.set_etag(hashlib.sha256(content).hexdigest()[:32])
        response.headers["Cache-Control"] = "public, max-age=600"
        response.make_conditional(flask.request)
        if mimetype == "text/csv":
            response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


# -- claim pages ----------------------------------------------------------------------------------------------------------
LABEL_COLOURS = {  # text, border, background: as the label badges (assets/10-site.css)
    LABEL_CONSISTENT: ("#00573f", "#009E73", "#e6f5ef"),
    LABEL_PARTLY: ("#6b4a00", "#E69F00", "#fff4dc"),
    LABEL_NOT_CONSISTENT: ("#8a2f00", "#D55E00", "#fde9df"),
}
LABEL_MARKS = {
    LABEL_CONSISTENT: "✓",
    LABEL_PARTLY: "◐",
    LABEL_NOT_CONSISTENT: "✗",
    LABEL_CANNOT_CHECK: "?",
    LABEL_NOT_FACTUAL: "—",
}


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


def _wrapped(text: str, width: int, lines: int) -> str:
    """Plain text as a plotly annotation: escaped, wrapped at `width`, at most `lines` lines (… when cut)."""
    import textwrap

    parts = textwrap.wrap(text, width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1].rstrip(" .,;:") + " …"
    return "<br>".join(html.escape(p) for p in parts)


def claim_card_figure(claim: dict[str, Any], lang: str, page_url: str) -> Any:
    """The link-preview image of a claim page (1200×630): label, quote, finding, as-of date and address. Text in
    words, not colour alone."""
    import plotly.graph_objects as go

    from dashboard.claim_cards import claim_finding
    from dashboard.i18n import fmt_date, label_text

    label = claim["label"]
    text_colour, border, background = LABEL_COLOURS.get(label, ("#333333", "#777777", "#f1f1f1"))
    as_of = str(claim.get("as_of") or "")
    footer = " · ".join(
        x for x in (t("claim_checked", lang, date=fmt_date(as_of, lang)) if as_of else "", page_url) if x
    )
    quote = _wrapped(f"“{claim['quote']}”", 52, 4)
    finding_y = 0.72 - 0.085 * (quote.count("<br>") + 1) - 0.06  # below the quote (~47 px a line in 560 px)
    notes = [
        {"text": html.escape(t("site_title", lang)), "y": 0.97, "size": 20, "color": "#555555"},
        {
            "text": f"<b>{html.escape(LABEL_MARKS.get(label, ''))} {html.escape(label_text(label, lang))}</b>",
            "y": 0.86,
            "size": 28,
            "color": text_colour,
            "bgcolor": background,
            "bordercolor": border,
        },
        {"text": quote, "y": 0.72, "size": 36, "color": "#111111"},
        {"text": _wrapped(claim_finding(claim, lang), 80, 3), "y": finding_y, "size": 24, "color": "#222222"},
        {"text": html.escape(footer), "y": 0.04, "size": 18, "color": "#555555"},
    ]
    annotations = [
        {
            "text": n["text"],
            "x": 0.0,
            "y": n["y"],
            "xref": "paper",
            "yref": "paper",
            "xanchor": "left",
            "yanchor": "top",
            "align": "left",
            "showarrow": False,
            "font": {"size": n["size"], "color": n["color"]},
            **(
                {"bgcolor": n["bgcolor"], "bordercolor": n["bordercolor"], "borderwidth": 3, "borderpad": 8}
                if "bgcolor" in n
                else {}
            ),
        }
        for n in notes
    ]
    return go.Figure(
        layout={
            "width": 1200,
            "height": 630,
            "margin": {"l": 60, "r": 60, "t": 40, "b": 30},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": annotations,
            "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"},
        }
    )


def claim_share_image(store: DataStore, cache: Cache, lang: str) -> flask.Response:
    """/share/claim.png?claim=<id>[&lang=es]: the claim page's link-preview image (its og:image)."""
    args = flask.request.args
    claim = find_claim(store, claim_id_of(CLAIM_PREFIX + str(args.get("claim", ""))))
    if claim is None:
        return error_page(404, lang, "No such claim.")
    version = serving.pinned_version(store)
    key = f"share:{version}:{serving.site_url()}:claim:{claim['claim_id']}:{lang}"  # the image shows the site URL
    page_url = serving.site_url() + CLAIM_PREFIX + claim["claim_id"]
    return share_png(store, cache, key, lambda: claim_card_figure(claim, lang, page_url))


def share_png(store: DataStore, cache: Cache, key: str, make_figure: Callable[[], Any]) -> flask.Response:
    """A 1200×630 link-preview image, rendered once per data version (renders cost ~0.4 s of CPU each)."""
    version = key.split(":", 2)[1]
    answer = serving.answer_or_refusal(
        cache, key, lambda: render.to_image(make_figure(), "png", 1200, 630), store, version
    )
    if isinstance(answer, flask.Response):
        return answer
    content, hit = answer
    response = flask.Response(content, mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["X-Cache"] = "hit" if hit else "miss"
    return response

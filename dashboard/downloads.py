"""What readers download: a chart's CSV, PNG, SVG or citable zip (`/download/<chart>.<ext>`), the alert feeds
(`/feeds/<lang>.<kind>`) and the published files (`/files/<name>`, and the whole package as a zip), each at the
data version the request is pinned to, cached per version."""

from __future__ import annotations

import hashlib

import flask
from flask_caching import Cache

from dashboard import charts, citation, feeds, render, serving, throttle
from dashboard.charts import BadParameter
from dashboard.citation import csv_with_citation
from dashboard.data import DataStore
from dashboard.describe import describe
from dashboard.error_page import error_page
from dashboard.i18n import LANGS, normalize_lang, t
from dashboard.pinning import VERSION_PARAM

PACKAGE_ZIP = "cuba-energy-data.zip"
DOWNLOAD_TYPES = {"csv": "text/csv", "png": "image/png", "svg": "image/svg+xml", "zip": "application/zip"}
EXTRA_FILES = {
    "datapackage.json": "application/json",
    "claims.json": "application/json",
    "changelog.jsonl": "application/x-ndjson",
    "claims-review.jsonld": "application/ld+json",
}


def view_args() -> dict[str, str]:
    """The request's view parameters (`version` is not one: it picks the data, dashboard/versions.py)."""
    return {k: v for k, v in flask.request.args.items() if k != VERSION_PARAM}


def register(server: flask.Flask, store: DataStore, cache: Cache) -> None:
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

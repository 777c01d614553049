"""Pages as cited (issue 19, item 5): `/<page>?version=<id>` and `/claims/<id>?version=<id>` show the page as it
was at that data version, as OWID's archived pages do, while the plain address stays live.

An archived page is the page's static HTML (dashboard/static_first.py, as the light version draws it: images of the
charts, no script) built from the pinned version (dashboard/routes.py `register_pinning` pins the request's data
before this gate runs; dashboard/versions.py reads old versions from the repository's history of data/). Every
address on it that shows data (chart images, downloads, zips, embeds, share images, feeds, other pages) carries the
same `version`, so nothing on it changes later; a banner names the version and its day and leads to the live page,
which is also the page's canonical address. Search engines are asked not to index the copies.
"""

from __future__ import annotations

import html
import logging
from typing import Any
from urllib.parse import urlencode

import flask

from dashboard import serving
from dashboard.i18n import fmt_date, normalize_lang, t
from dashboard.light import FORM_PARAM
from dashboard.pinning import VERSION_PARAM, pin_links

LOG = logging.getLogger(__name__)


def banner(path: str, query: dict[str, str], lang: str, version_id: str, day: str) -> str:
    live = {k: v for k, v in query.items() if k not in (VERSION_PARAM, "light")}
    href = path + (f"?{urlencode(live)}" if live else "")
    text = t("archived_banner", lang, version=version_id, day=day)
    return (
        '<div id="archived-banner" role="note" class="alert archived-banner"><div class="container">'
        f'{html.escape(text)} <a href="{html.escape(href, quote=True)}">{html.escape(t("archived_see_live", lang))}</a>'
        "</div></div>"
    )


def published_text(store: Any, lang: str) -> str:
    """When the pinned version was published: its day, and the UTC time (several versions may share a day)."""
    from dashboard.citation import version_date

    stamp = str(store.package().get("x_last_changed") or "")
    day = fmt_date(stamp[:10] if len(stamp) >= 10 else version_date(store), lang)
    return f"{day}, {stamp[11:16]} UTC" if len(stamp) >= 16 else day


def archived_document(app: Any, store: Any, path: str, query: dict[str, str]) -> str:
    """The whole archived page: the static page of the pinned version, its links pinned, and the banner."""
    from dashboard import pagemeta
    from dashboard.static_first import page_html, static_document

    version_id = store.version_id
    query = {k: v for k, v in query.items() if k not in (VERSION_PARAM, "light")}
    lang = normalize_lang(query.get("lang"))
    meta = pagemeta.for_request(path, query, lang, serving.site_url())  # canonical: the live page
    meta["title"] = f"{meta['title']} ({t('archived_title', lang, version=version_id)})"
    if meta.get("image"):  # the link preview shows the chart as it was too
        from dashboard.citation import with_version

        meta["image"] = with_version(meta["image"], version_id)
    body, _first = page_html(path, query, light=True, pinned=version_id)
    return static_document(
        app,
        lang,
        meta,
        pin_links(body, version_id),
        head='\n<meta name="robots" content="noindex">',
        before="\n" + banner(path, query, lang, version_id, published_text(store, lang)),
    )


def register(app: Any, store: Any) -> None:
    """The archived pages' gate: after dashboard/routes.py's pinning hook, before the light and Dash pages."""
    from dashboard.static_first import DASH_PAGE_RULES, is_page_path, page_problem

    server = app.server

    @server.before_request
    def archived_page() -> flask.Response | None:
        request = flask.request
        rule = request.url_rule.rule if request.url_rule else None
        args = request.args
        if (
            request.method not in ("GET", "HEAD")
            or rule not in DASH_PAGE_RULES
            or VERSION_PARAM not in args
            or args.get(FORM_PARAM) == "1"  # a submitted controls form: dashboard/static_first.py redirects it here
            or not is_page_path(request.path)
            or len(args) != len(list(args.items(multi=True)))  # repeated: dashboard/routes.py answers 400
            or not store.is_pinned  # (the pinning hook answered a bad or unknown version already)
        ):
            return None
        lang = normalize_lang(args.get("lang"))
        query = {k: v for k, v in args.items() if k not in (VERSION_PARAM, "light")}
        problem = page_problem(store, request.path, query, lang)
        if problem is not None:
            return problem
        try:
            document = archived_document(app, store, request.path, query)
        except Exception:  # a version whose tables this code cannot draw: say so, never a 500
            LOG.exception("archived page %s at data version %s", request.path, store.version_id)
            from dashboard.routes import error_page

            version_id = store.version_id
            return error_page(
                404,
                lang,
                t("archived_cannot_draw", lang, version=version_id),
                title=t("version_unavailable_title", lang),
            )
        response = flask.Response(document, mimetype="text/html")
        response.headers["X-Robots-Tag"] = "noindex"
        return response

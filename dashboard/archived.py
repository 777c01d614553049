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
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

import flask

from dashboard import serving
from dashboard.i18n import fmt_date, normalize_lang, t
from dashboard.light import FORM_PARAM

LOG = logging.getLogger(__name__)
VERSION_PARAM = "version"  # the same parameter as dashboard/routes.py's
PINNED_PREFIXES = ("/screen/", "/download/", "/embed/", "/files/", "/share/", "/feeds/")
TAG = re.compile(r"<[a-zA-Z][^>]*>")
ATTRIBUTE = re.compile(r'\s(href|src|action)="(/[^"]*)"')
SRCSET = re.compile(r'\ssrcset="([^"]*)"')
LIVE = 'data-live="1"'  # a link that leads to the live page on purpose (the header's switch)


def _pinned_address(url: str, version_id: str) -> str:
    """A site address with `version` set (replacing any), its fragment kept last; other addresses unchanged."""
    from dashboard.static_first import is_page_path

    path, _, fragment = html.unescape(url).partition("#")
    path, _, query = path.partition("?")
    if not (path.startswith(PINNED_PREFIXES) or is_page_path(path)):
        return url
    params = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != VERSION_PARAM]
    params.append((VERSION_PARAM, version_id))
    return html.escape(f"{path}?{urlencode(params)}" + (f"#{fragment}" if fragment else ""), quote=True)


def pin_links(body: str, version_id: str) -> str:
    """Every site address in the page's HTML (href, src, action, srcset) pinned to `version_id`, except the links
    marked live."""

    def srcset(match: re.Match[str]) -> str:
        items = []
        for item in match[1].split(","):
            url, _, size = item.strip().partition(" ")
            items.append(f"{_pinned_address(url, version_id) if url.startswith('/') else url} {size}".strip())
        return f' srcset="{", ".join(items)}"'

    def tag(match: re.Match[str]) -> str:
        if LIVE in match[0]:
            return match[0]
        pinned = ATTRIBUTE.sub(lambda m: f' {m[1]}="{_pinned_address(m[2], version_id)}"', match[0])
        return SRCSET.sub(srcset, pinned)

    return TAG.sub(tag, body)


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

"""A page's static HTML (cached per address, mode and data version), Dash's index page around it (its scripts
deferred to static-first.js), the light page's whole document, and whether an address is a page at all."""

from __future__ import annotations

import re
from typing import Any

import flask

from dashboard import memo, serving
from dashboard.charts import BadParameter, ChartState
from dashboard.i18n import normalize_lang
from dashboard.light import FORM_PARAM, LIGHT_PARAM
from dashboard.screen import _attr
from dashboard.static_first.markup import Context
from dashboard.static_first.tree import to_html


def page_layout(path: str, query: dict[str, str]) -> Any:
    """The page's Dash layout for this address, as Dash's router will build it (pagekit.render caches it)."""
    import dash

    from dashboard.pages_index import CLAIM_PREFIX

    for page in dash.page_registry.values():
        layout = page.get("layout")
        if path.startswith(CLAIM_PREFIX) and page.get("path_template") == CLAIM_PREFIX + "<claim_id>":
            return layout(claim_id=path[len(CLAIM_PREFIX) :], **query)
        if page.get("path") == path and not page.get("path_template"):
            return layout(**query) if callable(layout) else layout
    raise KeyError(path)


def page_state(path: str, query: dict[str, str]) -> ChartState | None:
    from dashboard.data import store
    from dashboard.pages_index import PAGES, parse_page_query

    page = PAGES.get(path)
    if page is None or not page.charts:
        return None
    try:
        return parse_page_query(page, store(), query)[0]
    except BadParameter:
        return None


_HTML = memo.ByteLRU("static-first", memo.budget("layouts")[0] // 2, 256, memo.budget("layouts")[2])


def page_html(path: str, query: dict[str, str], *, light: bool, pinned: str | None = None) -> tuple[str, str | None]:
    """(the page's static HTML, the chart drawn first), for this address, mode and data version (cached). `pinned`:
    the version id of an archived page (the data are pinned by the caller; dashboard/archived.py)."""
    from dashboard.data import store

    query = {k: v for k, v in query.items() if k not in (LIGHT_PARAM, FORM_PARAM, "version") and v is not None}
    lang = normalize_lang(query.get("lang"))
    version = store().version
    key = (path, tuple(sorted(query.items())), light, pinned, version, serving.site_url())
    hit = _HTML.get(key)
    if hit is not None:
        return hit
    ctx = Context(path=path, lang=lang, light=light, query=query, page_state=page_state(path, query), pinned=pinned)
    body = to_html(page_layout(path, query), ctx)
    answer = (body, ctx.first_chart)
    if store().version == version:
        _HTML.set(key, answer, 2 * len(body) + 200)
    return answer


# -- Dash's index page -------------------------------------------------------------------------------------------------
SCRIPT_SRC = re.compile(r'<script src="([^"]+)"></script>')
RENDERER = '<script id="_dash-renderer" type="application/javascript">'


def deferred_scripts(scripts: str) -> str:
    """Dash's scripts, not run yet: static-first.js loads them (in order) once the page has loaded."""
    return SCRIPT_SRC.sub(lambda m: f'<script type="text/plain" data-sf-src="{m.group(1)}"></script>', scripts)


def deferred_renderer(renderer: str) -> str:
    """Dash's `new DashRenderer()`, kept in the page (Dash checks it is there) but run by static-first.js."""
    return renderer.replace(RENDERER, '<script id="_dash-renderer" type="text/plain">', 1)


def app_entry(static_html: str, preload: list[str]) -> str:
    return (
        f'<div id="sf-static" class="sf-static" data-sf-preload="{_attr(" ".join(preload))}">{static_html}</div>\n'
        '<div id="react-entry-point" class="sf-pending"><div class="_dash-loading">Loading...</div></div>'
    )


def head_tags() -> str:
    from dashboard.embed import asset_url

    return f'\n<script src="{asset_url("static-first.js")}" defer></script>'


def light_document(app: Any, path: str, query: dict[str, str]) -> str:
    """The whole light page: the static page with the site's stylesheets, and no script."""
    from dashboard import pagemeta

    query = {k: v for k, v in query.items() if k not in (LIGHT_PARAM, FORM_PARAM)}
    lang = normalize_lang(query.get("lang"))
    meta = pagemeta.for_request(path, query, lang, serving.site_url())
    body, _first = page_html(path, query, light=True)
    return static_document(app, lang, meta, body)


def static_document(app: Any, lang: str, meta: dict[str, Any], body: str, head: str = "", before: str = "") -> str:
    """A page of static HTML with no script: the site's stylesheets (at the same cached addresses as the full page),
    its meta tags, `head` (more of them) and `before` (what precedes the page, e.g. an archived copy's banner)."""
    from dashboard import pagemeta

    css = app._generate_css_dist_html()
    return f"""<!DOCTYPE html>
<html lang="{_attr(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">{head}
{pagemeta.meta_tags(meta)}
<title>{_attr(meta["title"])}</title>
{css}
</head>
<body class="sf-light-mode">{before}
<div id="sf-static" class="sf-static">{body}</div>
</body>
</html>"""


def page_problem(store: Any, path: str, query: dict[str, str], lang: str) -> flask.Response | None:
    """routes.guard_pages's answer for the address without `light`: 404 for no such page, 400 for a bad view."""
    from dashboard import routes
    from dashboard.pages_index import (
        CLAIM_PREFIX,
        PAGES,
        claim_id_of,
        find_claim,
        parse_claim_query,
        parse_page_query,
    )

    if path.startswith(CLAIM_PREFIX):
        if find_claim(store, claim_id_of(path)) is None:
            return routes.error_page(404, lang, f"No claim at {path[:120]}.")
        try:
            parse_claim_query(query)
        except BadParameter as exc:
            return routes.error_page(400, lang, str(exc))
        return None
    page = PAGES.get(path)
    if page is None:
        return routes.error_page(404, lang, f"There is no page at {path[:120]}.")
    try:
        parse_page_query(page, store, query)
    except BadParameter as exc:
        return routes.error_page(400, lang, str(exc))
    return None


def is_page_path(path: str) -> bool:
    from dashboard.pages_index import CLAIM_PREFIX, PAGES

    return path in PAGES or path.startswith(CLAIM_PREFIX)

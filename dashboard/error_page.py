"""The site's error page: a small, escaped HTML answer for 4xx and 5xx statuses with the site's navigation, so a
reader who reaches a wrong address has somewhere to go. Every route that refuses a request answers with it."""

from __future__ import annotations

import html

import flask

from dashboard.components import NAV, with_lang
from dashboard.i18n import t


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
<p>{html.escape(t("error_try_pages", lang))}</p><ul>{links}</ul>
</main></body></html>"""
    response = flask.Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response

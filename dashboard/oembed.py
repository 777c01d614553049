"""oEmbed 1.0 (`/oembed`): a CMS pastes one of our addresses (an embed, a chart's place on its page, a claim's
page) and gets the iframe code, the title, the publishers and a thumbnail. Which chart an address shows is read here
too (`request_from_url`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import flask

from dashboard import charts, serving, throttle, versions
from dashboard.charts import BadParameter, ChartView
from dashboard.data import DataStore
from dashboard.embed_request import EmbedRequest, parse_embed
from dashboard.i18n import t

EMBED_HEIGHT = 520


def register(
    server: flask.Flask,
    store: DataStore,
    error_page: Any,
    lang_of: Callable[[], str],
    cached_view: Callable[[EmbedRequest], ChartView],
) -> None:
    @server.get("/oembed")
    def oembed() -> flask.Response:
        """oEmbed 1.0 (rich): CMSs paste our URL and get the iframe code."""
        args = flask.request.args
        if args.get("format", "json") == "xml":  # the oEmbed spec's answer to a format we do not offer
            return flask.Response("only format=json is supported", status=501, mimetype="text/plain")
        if args.get("format", "json") != "json":
            return error_page(400, lang_of(), "format must be json")
        url = args.get("url", "")
        if not url or len(url) > 2000:
            return error_page(400, lang_of(), "oEmbed needs a url parameter.")
        try:
            req = request_from_url(url, serving.site_netloc(), store)
        except KeyError:
            return error_page(404, lang_of(), "That URL is not a chart of this site.")
        except BadParameter as exc:
            return error_page(400, lang_of(), str(exc))
        try:
            maxwidth = _dimension(args.get("maxwidth"))
            maxheight = _dimension(args.get("maxheight"))
        except ValueError:
            return error_page(400, lang_of(), "maxwidth and maxheight must be whole numbers")
        if req.version:  # a pinned URL gets the pinned chart's code (its iframe and image stay on that version)
            try:
                store.pin(serving.requested_version(store, req.version))
            except throttle.Refused as exc:
                return serving.refused(exc)
            except versions.BadVersion as exc:
                return error_page(400, lang_of(), str(exc))
            except versions.VersionNotAvailable as exc:
                return error_page(404, lang_of(), str(exc))
        view = cached_view(req)
        base = serving.site_url() + "/"
        width = min(maxwidth or 800, 1200)
        height = min(maxheight or (680 if req.spec.id.startswith("claim-") else EMBED_HEIGHT), 1200)
        from dashboard.chart_card import embed_code

        code = embed_code(req.spec, view, req.state, base, version=req.version)
        code = re.sub(r'height="\d+"', f'height="{height}"', code, count=1)
        png_query = {**req.state.query(req.spec), **({"version": req.version} if req.version else {})}
        png = f"{base.rstrip('/')}/download/{req.spec.id}.png" + (f"?{urlencode(png_query)}" if png_query else "")
        body = {
            "version": "1.0",
            "type": "rich",
            "provider_name": t("site_title", req.state.lang),
            "provider_url": base,
            "title": view.title,
            "author_name": "; ".join(dict.fromkeys(s.publisher for s in view.sources if s.publisher)),
            "html": code,
            "width": width,
            "height": height,
            "thumbnail_url": png,
            "thumbnail_width": 960,
            "thumbnail_height": 560,
            "cache_age": 31536000 if req.version else 3600,  # a pinned chart's code never changes
        }
        return flask.jsonify(body)


def _dimension(value: str | None) -> int:
    """oEmbed maxwidth/maxheight: a positive whole number in ASCII digits (0 or absent: our default)."""
    if not value:
        return 0
    if not (value.isascii() and value.isdigit() and len(value) <= 6):
        raise ValueError(value)
    return int(value)


def request_from_url(url: str, host: str, store: DataStore) -> EmbedRequest:
    """Which chart and state a URL of ours (on `host`, the site's configured address) shows: /embed/<chart>?…,
    /?claim=<id>, or a page URL #<chart>."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != host:
        raise KeyError(url)
    args = dict(parse_qsl(parts.query))
    if parts.path.startswith("/embed/"):
        return parse_embed(parts.path.removeprefix("/embed/"), args, store)
    req = _page_request(parts.path, parts.fragment, args, store)
    return replace(req, version=args["version"]) if "version" in args else req


def _page_request(path: str, fragment: str, args: dict[str, str], store: DataStore) -> EmbedRequest:
    """The chart a page URL shows: a claim's page its evidence chart, a chart page the chart its fragment names."""
    if path == "/" and "claim" in args:
        lang = {"lang": args["lang"]} if "lang" in args else {}
        return parse_embed(f"claim-{args['claim']}", lang, store)
    if path.startswith("/claims/"):  # a claim's page shows its evidence chart
        lang = {"lang": args["lang"]} if "lang" in args else {}
        return parse_embed(f"claim-{path.removeprefix('/claims/')}", lang, store)
    spec = charts.get(fragment)
    if spec.page != path:
        raise KeyError(path)
    chart_id = fragment
    state_args = {k: v for k, v in args.items() if k in (*spec.params, "lang", "tab")}
    return parse_embed(chart_id, state_args, store)

"""Rendering the pages' first chart images ahead of readers: after a process's first request and for each new data
version, in a background thread, the first chart of every page (both languages, every width), then every embed's; and
the lists of those addresses dashboard/serving.py asks for."""

from __future__ import annotations

import html
import logging
import os
import re
import threading
import time
from typing import Any

import flask

from dashboard import charts, throttle
from dashboard.charts import ChartState
from dashboard.i18n import LANGS, lang_query
from dashboard.screen import SCREEN_PATH, image_url
from dashboard.static_first.home_trend import trend_image
from dashboard.static_first.pages import page_html, page_state

log = logging.getLogger(__package__)  # the static_first package's logger, as before it was split

PREWARM_PAUSE_S = 0.2


def add_prewarm(server: flask.Flask, store: Any) -> None:
    """The hook that starts prewarming (dashboard/static_first/web.py's `register` adds it, last)."""
    warm: dict[str, Any] = {"version": None, "thread": None}
    lock = threading.Lock()

    @server.before_request
    def prewarm_first_screens() -> None:
        """After a process's first request (and again for each new data version): render in the background the
        first chart of every page, at every width, in both languages, then every embed's first screen."""
        if os.environ.get("CUBA_WARM_IMAGES", "1") == "0" or getattr(store, "is_pinned", False):
            return
        from dashboard import render

        if render.browser_missing():
            return
        try:
            version = store.version
        except Exception:  # noqa: BLE001 - no data: the request itself answers that
            return
        if warm["version"] == version:
            return
        with lock:
            if warm["version"] == version:
                return
            warm["version"] = version
            if warm["thread"] is not None and warm["thread"].is_alive():
                return

            def run(client: Any) -> None:
                done = None
                while done != warm["version"]:
                    done = warm["version"]
                    with server.test_request_context("/"):
                        urls = prewarm_urls()
                    for url in urls:
                        if warm["version"] != done:
                            break
                        # pages' first charts before the other images the app pre-warms: asked for as a reader would
                        # (the slot goes to readers first, dashboard/throttle.py), embeds' as pre-warming
                        urgent = url.startswith(SCREEN_PATH) and "variant=embed" not in url
                        client.get(url, environ_base={} if urgent else {throttle.PREWARM_ENVIRON_KEY: True})
                        time.sleep(PREWARM_PAUSE_S)  # a reader's render waiting for the slot goes first

            warm["thread"] = threading.Thread(
                target=run, args=(server.test_client(),), name="prewarm-first-screens", daemon=True
            )
            warm["thread"].start()


def page_image_urls(_store: object) -> list[str]:
    """Every chart image the pages show in their default view, at every width, in both languages, as the light pages
    write them (dashboard/serving.py: is_page_image)."""
    from dashboard.pages_index import PAGES

    urls: list[str] = []
    for path in PAGES:  # the home page too: its tile's images and the claims' charts
        for lang in LANGS:
            body, _first = page_html(path, lang_query(lang), light=True)
            for found in re.findall(r'(?:src|srcset)="(/screen/[^"]+)"', body):
                urls += [html.unescape(part.strip().split(" ")[0]) for part in found.split(",")]
    return list(dict.fromkeys(urls))


def linked_urls(_store: object) -> list[str]:
    """The first screens' image addresses, as dashboard/serving.py asks for them (by store; the lists read the live
    one): the images rendered ahead of time, whose readiness the workers log."""
    return prewarm_urls()


def prewarm_urls() -> list[str]:
    """Each chart page's first chart (default view, both languages, every width), each claim page's on a phone, then
    each embed's (English), then the claim pages' at the wider widths."""
    from dashboard.data import store
    from dashboard.pages_index import PAGES

    urls = []
    firsts = []
    for lang in LANGS:  # the home page's
        trend = trend_image(lang)
        if trend is not None:
            wide, phone = trend.children[0].children.children
            urls += [phone.src, wide.srcSet]
    for path, page in PAGES.items():
        if not page.charts:
            continue
        for lang in LANGS:
            query = lang_query(lang)
            try:
                _body, first = page_html(path, query, light=False)
            except Exception:
                log.exception("static page %s failed", path)
                continue
            if first:
                firsts.append(first)
                state = charts.narrow(charts.get(first), store(), page_state(path, query) or ChartState(lang=lang))
                urls += [image_url(first, state, size) for size in ("s", "l", "m")]
    # a claim's page: its evidence chart is its first (dashboard/pages/claim.py), phones first
    from dashboard.chartdefs.claims import claims_doc, has_chart

    claim_charts = [f"claim-{c['claim_id']}" for c in claims_doc(store())["claims"] if has_chart(c)]
    later = []
    for chart_id in claim_charts:
        for lang in LANGS:
            urls.append(image_url(chart_id, ChartState(lang=lang), "s"))
            later += [image_url(chart_id, ChartState(lang=lang), size) for size in ("l", "m")]
    for spec in charts.all_charts():
        if spec.id.startswith("claim-"):
            continue
        state = charts.narrow(spec, store(), charts.parse_state(spec, store(), {}))
        urls += [image_url(spec.id, state, size, variant="embed") for size in ("s", "l")]
        urls.append(f"/embed/{spec.id}.svg")  # the static embed's image
    return urls + later

"""What every route answers the same way: the site's public address (never the request's Host), the data version an
answer is built from (pinned once per request, so a cache key names the data that built its value), who the client
is, and the answer when an expensive request is refused (429/503 with Retry-After)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask

from dashboard import settings, throttle
from dashboard.data import DataStore

THROTTLE_EXTENSION = "cuba_throttle"


def site_url() -> str:
    """The configured public origin (`https://host[:port]`, no trailing slash): see create_app and settings."""
    return flask.current_app.config["SITE_URL"]


def site_netloc() -> str:
    return site_url().split("://", 1)[1]


def pinned_version(store: DataStore) -> str:
    """The data version this request builds from, read once: a reload in the middle of a request must not put a
    value built from one version under the other's key."""
    if "data_version" not in flask.g:
        flask.g.data_version = store.version
    return flask.g.data_version


def still_current(store: DataStore, version: str) -> bool:
    """Whether the data are still the version an answer was built from (if not, the answer is sent but not kept)."""
    return store.version == version


def client() -> str:
    request = flask.request
    return throttle.client_key(request.remote_addr, request.headers.get("X-Forwarded-For"), settings.trusted_proxies())


def is_prewarm() -> bool:
    return bool(flask.request.environ.get(throttle.PREWARM_ENVIRON_KEY))


def cached_or_built(cache: Any, key: str, build: Callable[[], Any], store: DataStore, version: str) -> tuple[Any, bool]:
    """(answer, whether it came from the cache). A missing answer is built within this process's and this client's
    limits (throttle.Refused otherwise), once for all the requests asking for it at the same moment, and kept only
    if the data are still the version it was built from."""
    content = cache.get(key)
    if content is not None:
        return content, True
    limiter: throttle.Throttle = flask.current_app.extensions[THROTTLE_EXTENSION]
    leader, building = limiter.claim(key)
    if not leader:  # another request is building this very answer: wait for it
        building.wait(throttle.SLOT_WAIT_SECONDS)
        content = cache.get(key)
        if content is not None:
            return content, True
    try:
        content = cache.get(key) if leader else None  # built by a request that finished since we looked
        if content is not None:
            return content, True
        with limiter.expensive(client(), prewarm=is_prewarm()):
            content = build()
            if still_current(store, version):
                cache.set(key, content)
    finally:
        if leader:
            limiter.release(key, building)
    return content, False


def answer_or_refusal(
    cache: Any, key: str, build: Callable[[], Any], store: DataStore, version: str
) -> tuple[Any, bool] | flask.Response:
    """`cached_or_built`, with its refusals as the answers a client gets: 429/503 with Retry-After when a limit is
    reached, 503 when images cannot be drawn on this machine (one place for every expensive route)."""
    from dashboard import render

    try:
        return cached_or_built(cache, key, build, store, version)
    except throttle.Refused as exc:
        return refused(exc)
    except render.RenderUnavailable as exc:
        return flask.Response(str(exc), status=503, mimetype="text/plain")


def refused(exc: throttle.Refused) -> flask.Response:
    response = flask.Response(str(exc) + "\n", status=exc.status, mimetype="text/plain")
    response.headers["Retry-After"] = str(exc.retry_after)
    response.headers["Cache-Control"] = "no-store"
    return response

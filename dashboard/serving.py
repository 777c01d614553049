"""What every route answers the same way: the site's public address (never the request's Host), the data version an
answer is built from (pinned once per request, so a cache key names the data that built its value), who the client
is, the answer when an expensive request is refused (429/503 with Retry-After), and the images the pages link to.

The linked images (each page's share image, each chart's default PNG, the claims' evidence SVGs, the pages' first
screens: dashboard/embed.py and dashboard/static_first.py list them) are kept per data version in a store of their
own (`LinkedViews`), apart from the files cache: no number of other renders pushes them out and they do not expire,
so once rendered for a version they are served from memory until the next version replaces them. One not rendered
yet goes first in the render queue and counts against no client's limit (dashboard/throttle.py). `watch_data` makes
a worker notice a new data version within seconds, without waiting for a reader, and start rendering its linked
images again at once (issue 15).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import flask

from dashboard import memo, settings, throttle
from dashboard.data import DataStore

THROTTLE_EXTENSION = "cuba_throttle"
LINKED_EXTENSION = "cuba_linked"
LOG = logging.getLogger("gunicorn.error")  # gunicorn's log (errorlog) in production; quiet elsewhere
_LINKED_LOCK = threading.Lock()


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


def requested_version(store: DataStore, wanted: str) -> Any:
    """The data version `?version=<id>` asks for, verified (dashboard/versions.py): the one serving now needs no
    history; reading and checking an older package from git is an expensive answer, limited like an image render.
    Raises versions.BadVersion (400), versions.VersionNotAvailable (404) or throttle.Refused (429/503)."""
    from dashboard import versions

    if not versions.VERSION_ID.match(wanted):
        raise versions.BadVersion("version must be a data version id: 16 hexadecimal digits")
    store.pin(None)
    if store.version_id == wanted:  # loads the live version if none serves yet (DataUnavailable: 503 as usual)
        return store.serving
    history = versions.history_for(store)
    if history.is_loaded(wanted):
        return history.load(wanted)
    limiter: throttle.Throttle = flask.current_app.extensions[THROTTLE_EXTENSION]
    with limiter.expensive(client(), prewarm=is_prewarm()):
        return history.load(wanted)


def still_current(store: DataStore, version: str) -> bool:
    """Whether the data are still the version an answer was built from (if not, the answer is sent but not kept)."""
    return store.version == version


def client() -> str:
    request = flask.request
    return throttle.client_key(request.remote_addr, request.headers.get("X-Forwarded-For"), settings.trusted_proxies())


def is_prewarm() -> bool:
    return bool(flask.request.environ.get(throttle.PREWARM_ENVIRON_KEY))


@dataclass
class _Listing:
    paths: frozenset[str]
    done: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)
    started: float = field(default_factory=time.monotonic)
    reported: bool = False


class LinkedViews:
    """The addresses of the images the pages link to, per data version (the one serving and the one before), and
    those images once built. Answers are kept by cache key (which names the version) in a byte-bounded LRU of their
    own (the "linked" share of the worker's budget, dashboard/memo.py): other renders never push them out, and the
    old version's images, which no request names once a new version serves, are the first to go."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listings: OrderedDict[str, _Listing] = OrderedDict()
        self.answers = memo.ByteLRU.for_budget("linked")

    def paths_for(self, store: DataStore, version: str) -> frozenset[str]:
        """The linked addresses (path?query, as the pages write them) of `version`, listed once per version (about
        a second: every page's first screen is laid out)."""
        listing = self._listings.get(version)
        if listing is not None:
            return listing.paths
        if not still_current(store, version):
            return frozenset()  # a request that began before a new version loaded: its list is not made again
        with self._lock:
            if version not in self._listings:
                self._listings[version] = _Listing(frozenset(linked_urls(store)))
                while len(self._listings) > 2:
                    self._listings.popitem(last=False)
            return self._listings[version].paths

    def keep(self, key: str, content: Any, path: str, version: str) -> None:
        self.answers.set(key, content, memo.size_of(content) + len(key) + 100)
        self.finished(path, version)

    def finished(self, path: str, version: str, failed: bool = False) -> None:
        """Count a linked image of `version` as rendered (or failed); log once when every one has been tried."""
        with self._lock:
            listing = self._listings.get(version)
            if listing is None or path not in listing.paths or path in listing.done:
                return
            if failed:
                listing.failed.add(path)
            else:
                listing.failed.discard(path)  # a render that failed once and worked when asked again
                listing.done.add(path)
            if len(listing.done) + len(listing.failed) != len(listing.paths) or listing.reported:
                return
            listing.reported = True
        readiness.mark(version)
        seconds = time.monotonic() - listing.started
        if not listing.failed:
            LOG.info(
                "linked images ready: all %d images the pages link to are rendered for data version %s (%.0f s)",
                len(listing.paths),
                version,
                seconds,
            )
        else:
            LOG.warning(
                "linked images ready: %d of %d images the pages link to are rendered for data version %s (%.0f s); "
                "%d failed, e.g. %s",
                len(listing.done),
                len(listing.paths),
                version,
                seconds,
                len(listing.failed),
                min(listing.failed),
            )


class Readiness:
    """Whether this server has rendered, in every worker, the images the pages link to (`/healthz/ready`): a deploy
    takes traffic only then, so no reader of the first minutes waits for a render (issue 18; bench/RESULTS.md). Once
    ready, a server stays ready: a recycled worker or a new data version re-warms in the background (readers asking
    first are served first), and a readiness probe must not take the only server out of rotation for that.

    Workers of one gunicorn server record themselves in its shared SQLite file ($CUBA_LIMITS_DB, made by the master,
    with $CUBA_SERVER_WORKERS, the number it starts); a single process (the development server) needs no file."""

    def __init__(self) -> None:
        self._ready_here = False

    @staticmethod
    def _db() -> Any:
        import sqlite3

        path = settings.limits_db()
        if not path:
            return None
        db = sqlite3.connect(path, timeout=5, isolation_level=None)
        db.execute("CREATE TABLE IF NOT EXISTS ready (pid INTEGER PRIMARY KEY, version TEXT, at REAL)")
        return db

    def mark(self, version: str) -> None:
        """This process has every linked image of `version` (rendered or tried)."""
        import os
        from contextlib import closing

        self._ready_here = True
        try:
            db = self._db()
            if db is not None:
                with closing(db):
                    db.execute("INSERT OR REPLACE INTO ready VALUES (?, ?, ?)", (os.getpid(), version, time.time()))
        except Exception:  # readiness must never break serving; the probe then says "not yet"
            LOG.exception("could not record this worker as ready")

    def state(self) -> tuple[bool, dict[str, Any]]:
        """(ready, what the probe reports)."""
        import os
        from contextlib import closing

        from dashboard import render

        if os.environ.get("CUBA_WARM_IMAGES", "1") == "0" or render.browser_missing():
            return True, {"ready": True, "warming": "off"}
        expected = int(os.environ.get("CUBA_SERVER_WORKERS", "1"))
        db = self._db()
        if db is None:
            return self._ready_here, {"ready": self._ready_here, "workers_ready": int(self._ready_here), "workers": 1}
        with closing(db):
            count = db.execute("SELECT COUNT(*) FROM ready").fetchone()[0]
        ready = count >= expected
        return ready, {"ready": ready, "workers_ready": min(count, expected), "workers": expected}


readiness = Readiness()


_LINKED_SOURCES: list = []  # functions store -> image addresses, added by the app (embed's and static-first's lists)


def add_linked_source(source) -> None:
    """Name a list of the image addresses the pages link to (dashboard/app.py adds dashboard/embed.py's and
    dashboard/static_first.py's, the lists their warmers render ahead of time). Serving only calls them, so it
    imports neither module (they import serving)."""
    if source not in _LINKED_SOURCES:
        _LINKED_SOURCES.append(source)


def linked_urls(store: DataStore) -> list[str]:
    """Every image address the pages link to, in the live data version."""
    with flask.current_app.test_request_context("/"):  # the lists must not depend on the request asking
        return [_normal(url) for source in _LINKED_SOURCES for url in source(store)]


def _normal(url: str) -> str:
    return url.rstrip("?")


def linked_views() -> LinkedViews:
    extensions = flask.current_app.extensions
    views = extensions.get(LINKED_EXTENSION)
    if views is None:
        with _LINKED_LOCK:
            views = extensions.setdefault(LINKED_EXTENSION, LinkedViews())
    return views


def request_path() -> str:
    request = flask.request
    return _normal(f"{request.path}?{request.query_string.decode('latin-1')}")


def is_linked(store: DataStore, version: str) -> bool:
    """Whether this request asks for an image the pages of the live data version link to (the process's warmer
    asks only for those)."""
    if store.is_pinned:
        return False  # a chart as cited at an old version: not what the pages link to
    paths = linked_views().paths_for(store, version)  # listed before the first answer of a version is kept
    return is_prewarm() or request_path() in paths


UNVERSIONED = re.compile(r"&(?:v|version)=[0-9a-f]+")
_PAGE_IMAGES: dict[str, frozenset[str]] = {}  # live data version → the default views' image addresses, untagged
_PAGE_IMAGES_LOCK = threading.Lock()
_PAGE_IMAGE_SOURCES: list = []


def add_page_images_source(source) -> None:
    """Name the list of every chart image the pages show in their default view (dashboard/static_first.py's)."""
    if source not in _PAGE_IMAGE_SOURCES:
        _PAGE_IMAGE_SOURCES.append(source)


def _untagged(path: str) -> str:
    return UNVERSIONED.sub("", path.replace("?", "?&", 1)).replace("?&", "?", 1)


def is_page_image(store: DataStore) -> bool:
    """Whether this request asks for a chart image a page shows in its default view (`/screen/`: every chart of
    every page, at every width, in both languages; the live one or, pinned, an archived copy's). The light pages and
    the archived ones show all of them, the interactive pages their first screens: they go first and spend no
    reader's render budget, as the images the pages link to do, so a page's charts are not refused one by one
    (second reader, round 2: blank charts on an archived /generation). The set is fixed (a few hundred addresses
    per data version), so this opens no way round the per-client limits for the views readers choose."""
    if not flask.request.path.startswith("/screen/"):
        return False
    live = store.live_version()
    if live is None:
        return False
    images = _PAGE_IMAGES.get(live)
    if images is None:
        # the list is of the live pages, whatever this request is pinned to
        with store.unpinned(), flask.current_app.test_request_context("/"), _PAGE_IMAGES_LOCK:
            images = frozenset(_untagged(_normal(u)) for source in _PAGE_IMAGE_SOURCES for u in source(store))
        _PAGE_IMAGES.clear()
        _PAGE_IMAGES[live] = images
    return _untagged(request_path()) in images


def cached_or_built(cache: Any, key: str, build: Callable[[], Any], store: DataStore, version: str) -> tuple[Any, bool]:
    """(answer, whether it came from a cache). A missing answer is built within this process's and this client's
    limits (throttle.Refused otherwise), once for all the requests asking for it at the same moment, and kept only
    if the data are still the version it was built from. An image the pages link to is kept apart (LinkedViews) and,
    when missing, built first and without counting against the client."""
    views = linked_views()
    content = views.answers.get(key)
    if content is not None:
        views.finished(request_path(), version)  # another linked address may have the same answer (share images)
        return content, True
    content = cache.get(key)
    linked = is_linked(store, version)
    if content is not None:
        if linked and still_current(store, version):
            views.keep(key, content, request_path(), version)
        return content, True
    limiter: throttle.Throttle = flask.current_app.extensions[THROTTLE_EXTENSION]
    leader, building = limiter.claim(key)
    if not leader:  # another request is building this very answer: wait for it
        building.wait(throttle.SLOT_WAIT_SECONDS)
        content = views.answers.get(key) or cache.get(key)
        if content is not None:
            views.finished(request_path(), version)
            return content, True
    try:
        content = (views.answers.get(key) or cache.get(key)) if leader else None  # built since we looked
        if content is not None:
            views.finished(request_path(), version)
            return content, True
        with limiter.expensive(client(), prewarm=is_prewarm(), linked=linked or is_page_image(store)):
            try:
                content = build()
            except Exception:
                if linked:
                    views.finished(request_path(), version, failed=True)
                raise
            if still_current(store, version):
                cache.set(key, content)
                if linked:
                    views.keep(key, content, request_path(), version)
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


# -- noticing a new data version ------------------------------------------------------------------------------------
def watch_data(server: flask.Flask, every: float) -> threading.Thread:
    """In a worker, every `every` seconds: ask the app's own /healthz (in-process: no socket, no thread of the
    server), which examines data/ and loads a new version if one was published. When the version changed (a new
    package, or a new day: cache keys name both), ask once more, so the app's warmers (their before_request hooks,
    dashboard/embed.py and dashboard/static_first.py) start rendering the new version's linked images at once — not
    when the first reader arrives, who would otherwise find none of them ready. Readers asking meanwhile go first."""
    from dashboard import screen

    store: DataStore = server.extensions[screen.STORE_EXTENSION]
    client = server.test_client()

    def current() -> str | None:
        try:
            return store.version
        except Exception:  # noqa: BLE001 - no data can serve: /healthz says so; nothing to warm
            return None

    def run() -> None:
        seen = None
        while True:
            try:
                client.get("/healthz")
                version = current()
                if version != seen:
                    client.get("/healthz")  # this request's hooks see the new version: warming starts now
                    if seen is not None:
                        LOG.info("data version %s now serves (was %s): rendering its linked images", version, seen)
                    seen = version
            except Exception:  # the watcher must outlive any one failure; the log has it
                LOG.exception("data watcher: examining data/ failed")
            time.sleep(every)

    thread = threading.Thread(target=run, name="data-watcher", daemon=True)
    thread.start()
    return thread

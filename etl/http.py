"""The one HTTP client of the ETL: retries with backoff, timeouts, a wall-clock deadline per request, redirects
only to the source's own hosts, a descriptive User-Agent, conditional GET, size limits and the mirror rewrite.
Fetchers call `get`; nothing else opens sockets."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util.retry import Retry

USER_AGENT = "cuba-energy-dashboard-etl/0.1 (open data project; nightly refresh of public sources)"
MIRROR_ENV = "CUBA_ETL_MIRROR"
DEFAULT_TIMEOUT_S = (10.0, 60.0)  # connect, read
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEADLINE_ENV = "CUBA_ETL_DEADLINE"  # seconds per request, from the first byte sent to the last byte read
DEFAULT_DEADLINE_S = 300.0
MAX_REDIRECTS = 5
_SECRET_PARAMS = re.compile(r"(?i)\b(api_key|apikey|key|token)=([^&]+)")


class FetchError(Exception):
    """A resource could not be fetched; the message names the URL (secrets redacted) and the cause."""


class _TransportError(FetchError):
    """The connection failed or the answer was cut short (as opposed to an answer we refuse)."""


def redact(url: str) -> str:
    """Hide API keys so that URLs can be logged and published in provenance."""
    return _SECRET_PARAMS.sub(lambda m: f"{m.group(1)}=REDACTED", url)


def mirror_url(url: str, mirror: str | None) -> str:
    """`https://HOST/PATH?Q` → `MIRROR/HOST/PATH?Q`, so a local tree of upstream files can stand in for the web."""
    if not mirror:
        return url
    parts = urlsplit(url)
    rewritten = f"{mirror.rstrip('/')}/{parts.netloc}{parts.path}"
    return f"{rewritten}?{parts.query}" if parts.query else rewritten


def resolve_mirror(cli_value: str | None) -> str | None:
    """The mirror from the command line wins over the environment variable."""
    return cli_value or os.environ.get(MIRROR_ENV) or None


# -- the deadline per request ---------------------------------------------------------------------------------------
# A read timeout bounds each wait for the next byte, not the whole answer: a server that trickles one byte every
# few seconds (in the body or in the headers) never trips it. urllib3's advice for a wall-clock limit is a watcher
# thread that cuts the connection: every connection the session opens registers its socket with the deadline of
# the request running in this thread, and when that deadline passes the socket is shut down, so the blocked read
# returns at once and the request fails.
_local = threading.local()


DEADLINE_SLACK_S = 0.25  # a timeout this close to the deadline is the deadline's


class _Deadline:
    """A wall-clock limit for one `get` (redirects and retries included)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Self:
        _local.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _local.deadline = None

    def remaining(self) -> float:
        return max(self.ends - time.monotonic(), 0.0)

    def spent(self) -> bool:
        """The deadline ended the request: its timer fired, or a socket timeout capped at the time left fired just
        before the timer did (the two race; either way the cause is the deadline, and the error says so)."""
        return self.expired.is_set() or self.remaining() <= DEADLINE_SLACK_S

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if self.expired.is_set():
                _cut(sock)
            else:
                self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired.set()
            for sock in self._sockets:
                _cut(sock)


def _cut(sock: Any) -> None:
    """Shut the socket down under whatever is reading it (the plain socket's method: TLS state is left alone)."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, TypeError):
        pass  # already closed, or not a plain socket (a proxy tunnel): the read timeout still applies


class _Watched:
    """Mixed into urllib3's connections: report each socket to the deadline of the request in this thread."""

    sock: Any

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        _watch(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> None:
        super().request(*args, **kwargs)  # type: ignore[misc]
        _watch(self.sock)


def _watch(sock: Any) -> None:
    deadline = getattr(_local, "deadline", None)
    if deadline is not None:
        deadline.watch(sock)


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose pools use the watched connections (PoolManager's documented per-instance override)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}
        return manager


def request_deadline_s() -> float:
    """Seconds one request may take in all, from $CUBA_ETL_DEADLINE (default 300)."""
    return float(os.environ.get(DEADLINE_ENV, DEFAULT_DEADLINE_S))


# -- redirects --------------------------------------------------------------------------------------------------------
def _host_key(url: str) -> str:
    """`host` for a default port, `host:port` otherwise (a redirect to another port is another service)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return host if parts.port in (None, default) else f"{host}:{parts.port}"


def _check_redirect(current: str, location: str, allowed: frozenset[str], shown: str) -> None:
    """A redirect may only stay on http(s), never go from https to http, and only reach an allowed host."""
    scheme, old_scheme = urlsplit(location).scheme.lower(), urlsplit(current).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"{shown} redirected to a {scheme or 'relative'}: address; refused, nothing stored")
    if old_scheme == "https" and scheme == "http":
        raise FetchError(f"{shown} redirected from https to http ({redact(location)}); refused, nothing stored")
    host = _host_key(location)
    if host not in allowed:
        raise FetchError(
            f"{shown} redirected to {redact(location)}: host {host!r} is not one of this source's hosts "
            f"({', '.join(sorted(allowed))}); refused, nothing stored"
        )


def make_session(retries: int | None = None, backoff: float | None = None) -> requests.Session:
    """A session that retries transient failures (connect errors, 429, 5xx) with exponential backoff."""
    retries = int(os.environ.get("CUBA_ETL_RETRIES", "3")) if retries is None else retries
    backoff = float(os.environ.get("CUBA_ETL_RETRY_BACKOFF", "0.5")) if backoff is None else backoff
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = _DeadlineAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


@dataclass(frozen=True)
class HttpResult:
    """What came back: status 200 with content, or 304 (not modified) with no content."""

    url: str  # the production URL (redacted), never the mirror's
    fetched_from: str  # where the bytes were asked for (redacted): the mirror's URL when there is one
    status: int
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    final_url: str = ""  # where they came from after redirects (redacted); = fetched_from without a redirect

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def get(
    session: requests.Session,
    url: str,
    *,
    mirror: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: tuple[float, float] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_404: bool = False,
    allowed_hosts: frozenset[str] = frozenset(),
    deadline_s: float | None = None,
    deadline_what: str | None = None,
) -> HttpResult:
    """GET with conditional headers; raise FetchError on any failure (HTTP error, timeout, deadline, truncation,
    oversize, a redirect to a host that is not the request's own or in `allowed_hosts`). Without a mirror,
    `allowed_hosts` are the source's hosts; with one, only the mirror's host is, since it stands in for them all."""
    target = mirror_url(url, mirror)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    if timeout is None:
        read_timeout = float(os.environ.get("CUBA_ETL_TIMEOUT", DEFAULT_TIMEOUT_S[1]))
        timeout = (min(DEFAULT_TIMEOUT_S[0], read_timeout), read_timeout)
    budget = request_deadline_s() if deadline_s is None else deadline_s
    what = deadline_what or f"the {budget:g}-s deadline per request"
    shown = redact(url)
    allowed = frozenset({_host_key(target)} | ({_host_key(url), *allowed_hosts} if not mirror else set()))
    if budget <= 0:
        raise FetchError(f"gave up on {shown}: no time left within {what}")
    deadline = _Deadline(budget)
    try:
        with deadline:
            return _get(session, url, target, headers, timeout, deadline, max_bytes, allow_404, allowed)
    except _TransportError as exc:  # a read cut by the deadline surfaces as a broken or short answer
        if deadline.spent():
            raise FetchError(f"gave up on {shown}: no complete answer within {what}") from exc
        raise
    except (OSError, ValueError) as exc:  # the same, caught below requests (http.client, ssl)
        if deadline.spent():
            raise FetchError(f"gave up on {shown}: no complete answer within {what}") from exc
        raise


def _get(
    session: requests.Session,
    url: str,
    target: str,
    headers: dict[str, str],
    timeout: tuple[float, float],
    deadline: _Deadline,
    max_bytes: int,
    allow_404: bool,
    allowed: frozenset[str],
) -> HttpResult:
    shown = redact(url)
    current = target
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            left = max(deadline.remaining(), 0.001)
            hop_timeout = (min(timeout[0], left), min(timeout[1], left))
            with session.get(
                current, headers=headers, timeout=hop_timeout, stream=True, allow_redirects=False
            ) as response:
                if response.is_redirect:
                    location = urljoin(current, response.headers["Location"])
                    _check_redirect(current, location, allowed, shown)
                    current = location
                    continue
                final = redact(current)
                if response.status_code == 304:
                    return HttpResult(shown, redact(target), 304, b"", dict(response.headers), final)
                if response.status_code == 404 and allow_404:
                    return HttpResult(shown, redact(target), 404, b"", dict(response.headers), final)
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code} {response.reason} for {shown}")
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(f"{shown} declares {int(declared):,} bytes, over the {max_bytes:,}-byte limit")
                chunks, size = [], 0
                for chunk in response.iter_content(chunk_size=256 * 1024):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(f"{shown} sent more than the {max_bytes:,}-byte limit")
                    chunks.append(chunk)
                content = b"".join(chunks)
                if deadline.expired.is_set():  # a body without a length ends where the deadline cut it
                    raise _TransportError(f"{shown} was cut short at the deadline")
                if (
                    declared
                    and declared.isdigit()
                    and int(declared) != len(content)
                    and "Content-Encoding" not in response.headers
                ):
                    raise _TransportError(f"{shown} was truncated: {len(content):,} of {int(declared):,} bytes")
                return HttpResult(shown, redact(target), response.status_code, content, dict(response.headers), final)
        raise FetchError(f"{shown} redirected more than {MAX_REDIRECTS} times; refused, nothing stored")
    except FetchError:
        raise
    except requests.exceptions.Timeout as exc:
        raise _TransportError(f"timed out fetching {shown}: {type(exc).__name__}") from exc
    except requests.exceptions.RetryError as exc:
        raise _TransportError(f"gave up on {shown} after retries: {_short(exc)}") from exc
    except requests.exceptions.RequestException as exc:
        raise _TransportError(f"could not fetch {shown}: {type(exc).__name__}: {_short(exc)}") from exc


def _short(exc: Exception) -> str:
    """One line, secrets redacted: exceptions from urllib3 embed the full URL."""
    return redact(str(exc).splitlines()[0])[:300] if str(exc) else type(exc).__name__

"""Serving settings read from the environment: the public site address, the per-worker memory budget of the caches,
request time and size limits, and how many expensive answers (image renders, large files) a process and a client
may cause. Imported by deploy/gunicorn.conf.py too, so it imports nothing heavy. docs/DEPLOY.md lists every variable.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

SITE_URL_ENV = "CUBA_SITE_URL"
# Without CUBA_SITE_URL, development servers and tests link to this fixed address (never to the Host a request
# names: that would let any client choose the links other readers get from the caches). Production refuses to start.
DEVELOPMENT_SITE_URL = "http://localhost"


class SettingError(ValueError):
    """A setting is missing or malformed; the message names the variable and what it should hold."""


def normalize_site_url(value: str) -> str:
    """`https://host[:port]` without a trailing slash; anything else (a path, a query, credentials, another scheme)
    is refused, because every canonical, share and embed address is this value plus a path."""
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingError(f"{SITE_URL_ENV} must be an http(s) address like https://energy.example.org, not {value!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise SettingError(f"{SITE_URL_ENV} must be the site's origin only (no path, query or credentials): {value!r}")
    if any(c in text for c in "\"'<> \\"):
        raise SettingError(f"{SITE_URL_ENV} contains characters an address cannot hold: {value!r}")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def site_url(explicit: str | None = None) -> str:
    """The public address every absolute link is built from: `explicit`, else $CUBA_SITE_URL, else the development
    address. Constant for the life of a process."""
    value = explicit or os.environ.get(SITE_URL_ENV, "").strip()
    return normalize_site_url(value) if value else DEVELOPMENT_SITE_URL


def required_site_url() -> str:
    """$CUBA_SITE_URL for production servers (gunicorn): a clear error instead of links to a wrong address."""
    value = os.environ.get(SITE_URL_ENV, "").strip()
    if not value:
        raise SettingError(
            f"{SITE_URL_ENV} is not set. Set it to the public address of the site (e.g. "
            f"{SITE_URL_ENV}=https://energy.example.org): canonical, share and embed links are built from it, never "
            "from the request's Host header. See docs/DEPLOY.md."
        )
    return normalize_site_url(value)


def _number(name: str, default: float, minimum: float = 0) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingError(f"{name} must be a number, not {raw!r}") from exc
    if value < minimum:
        raise SettingError(f"{name} must be at least {minimum:g}, not {raw!r}")
    return value


def cache_bytes() -> int:
    """$CUBA_CACHE_BYTES: what all in-memory caches of one worker process may hold together (default 256 MiB)."""
    return int(_number("CUBA_CACHE_BYTES", 256 * 1024 * 1024, minimum=1024 * 1024))


def max_body_bytes() -> int:
    """$CUBA_MAX_BODY_BYTES: the largest request body accepted (413 above it). Callbacks post a few KB of JSON."""
    return int(_number("CUBA_MAX_BODY_BYTES", 256 * 1024, minimum=1024))


def header_timeout() -> float:
    """$CUBA_HEADER_TIMEOUT: seconds a client has to send its whole request head, from its first byte (or from the
    end of the previous request on a kept-alive connection)."""
    return _number("CUBA_HEADER_TIMEOUT", 10.0, minimum=0.1)


def body_timeout() -> float:
    """$CUBA_BODY_TIMEOUT: seconds a client has to send its request body once the head has arrived."""
    return _number("CUBA_BODY_TIMEOUT", 10.0, minimum=0.1)


def render_slots() -> int:
    """$CUBA_RENDER_SLOTS: expensive answers (image renders, large downloads) one process builds at a time."""
    return int(_number("CUBA_RENDER_SLOTS", 1, minimum=1))


def render_queue() -> int:
    """$CUBA_RENDER_QUEUE: expensive answers that may wait for a slot; beyond that the answer is 503 + Retry-After,
    so waiting requests never take all of a worker's threads from cheap, cached answers."""
    return int(_number("CUBA_RENDER_QUEUE", 1, minimum=0))


def expensive_per_minute() -> float:
    """$CUBA_EXPENSIVE_PER_MINUTE: expensive answers one client may cause per minute (429 + Retry-After above it);
    answers already in the cache never count."""
    return _number("CUBA_EXPENSIVE_PER_MINUTE", 30.0, minimum=0)


def expensive_burst() -> float:
    """$CUBA_EXPENSIVE_BURST: how many expensive answers a client may cause at once before the rate applies."""
    return _number("CUBA_EXPENSIVE_BURST", 10.0, minimum=0)


def limits_db() -> str | None:
    """$CUBA_LIMITS_DB: a SQLite file holding the per-client limits, shared by every worker of one server (gunicorn
    sets one per master: deploy/gunicorn.conf.py), so a client gets the stated rate, not the rate times the number of
    workers. Unset: limits are kept in each process (the development server is one process)."""
    return os.environ.get("CUBA_LIMITS_DB") or None


def trusted_proxies() -> set[str]:
    """$FORWARDED_ALLOW_IPS (gunicorn's own setting): peers whose X-Forwarded-For names the real client."""
    raw = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
    return {part.strip() for part in raw.split(",") if part.strip()}

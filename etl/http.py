"""The one HTTP client of the ETL: retries with backoff, timeouts, a descriptive User-Agent,
conditional GET, size limits and the mirror rewrite. Fetchers call `get`; nothing else opens sockets."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

USER_AGENT = "cuba-energy-dashboard-etl/0.1 (open data project; nightly refresh of public sources)"
MIRROR_ENV = "CUBA_ETL_MIRROR"
DEFAULT_TIMEOUT_S = (10.0, 60.0)  # connect, read
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
_SECRET_PARAMS = re.compile(r"(?i)\b(api_key|apikey|key|token)=([^&]+)")


class FetchError(Exception):
    """A resource could not be fetched; the message names the URL (secrets redacted) and the cause."""


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
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


@dataclass(frozen=True)
class HttpResult:
    """What came back: status 200 with content, or 304 (not modified) with no content."""

    url: str  # the production URL (redacted), never the mirror's
    fetched_from: str  # where the bytes really came from (redacted)
    status: int
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

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
) -> HttpResult:
    """GET with conditional headers; raise FetchError on any failure (HTTP error, timeout, truncation, oversize)."""
    target = mirror_url(url, mirror)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    if timeout is None:
        read_timeout = float(os.environ.get("CUBA_ETL_TIMEOUT", DEFAULT_TIMEOUT_S[1]))
        timeout = (min(DEFAULT_TIMEOUT_S[0], read_timeout), read_timeout)
    shown = redact(url)
    try:
        with session.get(target, headers=headers, timeout=timeout, stream=True) as response:
            if response.status_code == 304:
                return HttpResult(shown, redact(target), 304, b"", dict(response.headers))
            if response.status_code == 404 and allow_404:
                return HttpResult(shown, redact(target), 404, b"", dict(response.headers))
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
            if (
                declared
                and declared.isdigit()
                and int(declared) != len(content)
                and "Content-Encoding" not in response.headers
            ):
                raise FetchError(f"{shown} was truncated: {len(content):,} of {int(declared):,} bytes")
            return HttpResult(shown, redact(target), response.status_code, content, dict(response.headers))
    except FetchError:
        raise
    except requests.exceptions.Timeout as exc:
        raise FetchError(f"timed out fetching {shown}: {type(exc).__name__}") from exc
    except requests.exceptions.RetryError as exc:
        raise FetchError(f"gave up on {shown} after retries: {_short(exc)}") from exc
    except requests.exceptions.RequestException as exc:
        raise FetchError(f"could not fetch {shown}: {type(exc).__name__}: {_short(exc)}") from exc


def _short(exc: Exception) -> str:
    """One line, secrets redacted: exceptions from urllib3 embed the full URL."""
    return redact(str(exc).splitlines()[0])[:300] if str(exc) else type(exc).__name__

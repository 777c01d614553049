"""A real HTTP server on 127.0.0.1 serving a fixture tree laid out like the mirror (`<host>/<path>`).

Faults can be injected per path to exercise the ETL's failure handling over a real socket: status codes,
timeouts, truncated bodies, wrong content, oversize bodies. Query strings select `<path>@<query-key>` files
when present, so API-style URLs can be served from files too.
"""

from __future__ import annotations

import email.utils
import hashlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

Handler = Callable[[BaseHTTPRequestHandler, str, str], bool]


@dataclass
class Fault:
    """What to do instead of serving the file. `times` = how many requests it applies to (None: all)."""

    kind: str  # status | sleep | truncate | body | oversize
    status: int = 500
    seconds: float = 0.0
    body: bytes = b""
    content_type: str = "text/html"
    times: int | None = None


@dataclass
class FixtureServer:
    root: Path
    faults: dict[str, Fault] = field(default_factory=dict)
    handlers: list[Handler] = field(default_factory=list)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                path = unquote(parts.path).lstrip("/")
                server.requests.append((self.path, dict(self.headers)))
                fault = server.faults.get(path)
                if fault and (fault.times is None or fault.times > 0):
                    if fault.times is not None:
                        fault.times -= 1
                    if server._apply(self, fault, path):
                        return
                for handler in server.handlers:
                    if handler(self, path, parts.query):
                        return
                server._serve_file(self, path, parts.query)

        class _Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # clients that time out or hang up early are part of the fault tests

        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FixtureServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FixtureServer:  # noqa: PYI034
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- serving --------------------------------------------------------------------------------------------------
    def _serve_file(self, handler: BaseHTTPRequestHandler, path: str, query: str) -> None:
        target = self._locate(path, query)
        if target is None:
            send(handler, 404, b"<html><body>Not found</body></html>", "text/html")
            return
        content = target.read_bytes()
        etag = '"' + hashlib.sha256(content).hexdigest()[:16] + '"'
        mtime = email.utils.formatdate(os.path.getmtime(target), usegmt=True)
        if handler.headers.get("If-None-Match") == etag:
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        ctype = {
            ".json": "application/json",
            ".csv": "text/csv",
            ".html": "text/html; charset=utf-8",
            ".xml": "application/xml",
        }.get(target.suffix, "text/plain")
        send(handler, 200, content, ctype, {"ETag": etag, "Last-Modified": mtime})

    def _locate(self, path: str, query: str) -> Path | None:
        root = self.root.resolve()
        candidates = []
        if query:
            candidates.append(root / f"{path.rstrip('/')}@{query_key(query)}")
        candidates.append(root / path)
        if path.endswith("/") or (root / path).is_dir():
            candidates.append(root / path.rstrip("/") / "index")
        for cand in candidates:
            resolved = cand.resolve()
            if resolved.is_file() and root in resolved.parents:
                return resolved
        return None

    def _apply(self, handler: BaseHTTPRequestHandler, fault: Fault, path: str) -> bool:
        if fault.kind == "status":
            send(handler, fault.status, fault.body or b"<html><body>Server error</body></html>", fault.content_type)
            return True
        if fault.kind == "sleep":
            time.sleep(fault.seconds)
            return False  # then serve normally (too late for the client)
        if fault.kind == "body":
            send(handler, 200, fault.body, fault.content_type)
            return True
        target = self._locate(path, "")
        content = target.read_bytes() if target else b""
        if fault.kind == "truncate":
            handler.send_response(200)
            handler.send_header("Content-Type", "text/csv")
            handler.send_header("Content-Length", str(len(content)))
            handler.end_headers()
            handler.wfile.write(content[: len(content) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            return True
        if fault.kind == "oversize":
            send(handler, 200, content * 10, "text/csv")
            return True
        raise ValueError(f"unknown fault {fault.kind}")


def send(
    handler: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(body)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(body)


def query_key(query: str) -> str:
    """A file-name-safe key for a query string (api keys excluded so fixtures do not depend on them)."""
    kept = "&".join(p for p in sorted(query.split("&")) if not p.startswith("api_key="))
    return hashlib.sha256(kept.encode()).hexdigest()[:12]

"""gunicorn's threaded worker (gthread), except that a connection gets a thread only once its whole request has
arrived: the request head, and a body of declared length up to $CUBA_MAX_BODY_BYTES, are read by the worker's main
loop without blocking, with a deadline for each ($CUBA_HEADER_TIMEOUT, $CUBA_BODY_TIMEOUT).

Why: gthread gives a connection a thread as soon as its first byte arrives and then reads the head with a blocking
socket and no time limit. Twelve clients sending one header line every 15 s held every thread of a 2 × 4 server and
/healthz timed out for the whole attack (issue 15; bench/slowloris.py measures it). Here such a client costs a
socket in the main loop until its deadline, and is then answered 408 and closed. Also refused before any thread or
app code runs: a head over 64 KB (431), a declared body over the limit (413), a chunked body (411: browsers and
nginx send a length). TLS connections (gunicorn's certfile) are served as gthread serves them: terminate TLS at the
proxy (docs/DEPLOY.md).

Use: `worker_class = "dashboard.gunicorn_worker.RequestFirstWorker"` (deploy/gunicorn.conf.py).
"""

from __future__ import annotations

import selectors
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

from dashboard import settings

MAX_HEAD_BYTES = 64 * 1024  # browsers send a few KB; nginx's default buffers stop at 32 KB
MAX_WAITING_PER_PEER = 32  # incomplete requests one address may have open at once (a trusted proxy: no limit)
HEAD_END = b"\r\n\r\n"
REASONS = {
    408: "Request Timeout",
    411: "Length Required",
    413: "Content Too Large",
    431: "Request Header Fields Too Large",
}


class ClientSocket:
    """The client's socket as the request parser sees it: the bytes the main loop already read come first, and a
    read past them (a request the main loop could not size) waits at most until `deadline`."""

    def __init__(self, sock: Any) -> None:
        self.sock = sock
        self.buffered = b""
        self.deadline: float | None = None

    def recv(self, size: int, *flags: int) -> bytes:
        if self.buffered:
            out, self.buffered = self.buffered[:size], self.buffered[size:]
            return out
        if self.deadline is not None:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the client did not send its request in time")
            self.sock.settimeout(remaining)
        return self.sock.recv(size, *flags)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)


@dataclass
class Incoming:
    """A request being read by the main loop."""

    deadline: float
    peer: str
    data: bytearray = field(default_factory=bytearray)
    need: int | None = None  # head + declared body, once the head has arrived


class RequestFirstWorker(ThreadWorker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = settings.header_timeout()
        self.body_timeout = settings.body_timeout()
        self.max_body = settings.max_body_bytes()
        self.trusted = settings.trusted_proxies()
        self.incoming: dict[Any, Incoming] = {}
        self.waiting_per_peer: dict[str, int] = {}

    # -- where gthread hands a connection to a thread ---------------------------------------------------------------
    def enqueue_req(self, conn: Any) -> None:
        """Every way to a thread passes here (a new connection, a kept-alive one that became readable, bytes left
        after the previous request): hand over only a complete request."""
        if self.cfg.is_ssl:
            super().enqueue_req(conn)
            return
        if not isinstance(conn.sock, ClientSocket):
            conn.sock = ClientSocket(conn.sock)
        if conn.parser is not None and conn.parser.unreader.buf.getvalue():
            # Pipelined bytes the parser already holds: rare (no browser or proxy pipelines); bounded by the deadline.
            conn.sock.deadline = time.monotonic() + self.header_timeout
            super().enqueue_req(conn)
            return
        peer = str(conn.client[0]) if isinstance(conn.client, tuple) else str(conn.client)
        if "*" not in self.trusted and peer not in self.trusted:
            if self.waiting_per_peer.get(peer, 0) >= MAX_WAITING_PER_PEER:
                self.log.debug("Refused a connection from %s: too many incomplete requests", peer)
                self._close(conn)
                return
            self.waiting_per_peer[peer] = self.waiting_per_peer.get(peer, 0) + 1
        incoming = Incoming(time.monotonic() + self.header_timeout, peer, bytearray(getattr(conn, "leftover", b"")))
        conn.leftover = b""
        self.incoming[conn] = incoming
        if self._assess(conn, incoming):
            return
        conn.sock.sock.setblocking(False)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_readable, conn))

    def _on_readable(self, conn: Any, _fileobj: Any) -> None:
        incoming = self.incoming.get(conn)
        if incoming is None:
            return
        try:
            data = conn.sock.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._close(conn)
            return
        incoming.data += data
        self._assess(conn, incoming)

    def _assess(self, conn: Any, incoming: Incoming) -> bool:
        """Hand the request to a thread, refuse it, or keep reading (False)."""
        data = incoming.data
        if incoming.need is None:
            end = data.find(HEAD_END)
            if end < 0 or end > MAX_HEAD_BYTES:
                if end > MAX_HEAD_BYTES or len(data) > MAX_HEAD_BYTES:
                    self._refuse(conn, 431)
                    return True
                return False
            length, chunked, expect = _framing(bytes(data[:end]))
            if chunked:
                self._refuse(conn, 411)
                return True
            if length > self.max_body:
                self._refuse(conn, 413)
                return True
            incoming.need = end + len(HEAD_END) + length
            if len(data) < incoming.need:
                incoming.deadline = time.monotonic() + self.body_timeout
                if expect:
                    _send_quietly(conn, b"HTTP/1.1 100 Continue\r\n\r\n")
        if len(data) < incoming.need:
            return False
        self._forget(conn)
        conn.sock.buffered = bytes(data[: incoming.need])
        conn.leftover = bytes(data[incoming.need :])
        conn.sock.deadline = time.monotonic() + self.body_timeout  # only if gunicorn reads past what we measured
        conn.data_ready = True  # gthread must not wait for the socket: the request is in `buffered`
        super().enqueue_req(conn)
        return True

    # -- after a request; deadlines -----------------------------------------------------------------------------
    def finish_request(self, conn: Any, fs: Any) -> None:
        super().finish_request(conn, fs)
        if getattr(conn, "leftover", b"") and conn in self.keepalived_conns:
            # The next request arrived with the previous one: it no longer makes the socket readable.
            self.keepalived_conns.remove(conn)
            self.poller.unregister(conn.sock)
            self.enqueue_req(conn)

    def murder_pending(self) -> None:
        super().murder_pending()
        now = time.monotonic()
        for conn, incoming in list(self.incoming.items()):
            if incoming.deadline <= now:
                if incoming.data:
                    self._refuse(conn, 408)
                else:
                    self._close(conn)  # an idle kept-alive or silent connection: close as gthread does

    # -- helpers ----------------------------------------------------------------------------------------------------
    def _forget(self, conn: Any) -> None:
        incoming = self.incoming.pop(conn, None)
        if incoming is None:
            return
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass  # not registered: the request was complete when it arrived
        count = self.waiting_per_peer.get(incoming.peer)
        if count is not None:
            if count <= 1:
                del self.waiting_per_peer[incoming.peer]
            else:
                self.waiting_per_peer[incoming.peer] = count - 1

    def _refuse(self, conn: Any, status: int) -> None:
        reason = REASONS[status]
        body = f"{status} {reason}\n".encode()
        head = (
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        self.log.debug("Refused a request from %s: %s %s", conn.client, status, reason)
        _send_quietly(conn, head.encode() + body)
        self._close(conn)

    def _close(self, conn: Any) -> None:
        self._forget(conn)
        self.nr_conns -= 1
        conn.close()


def _framing(head: bytes) -> tuple[int, bool, bool]:
    """(declared body length, chunked?, expects 100-continue?) from a request head. A malformed length counts as 0
    here: gunicorn's parser then refuses the request with 400."""
    length, chunked, expect = 0, False, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length" and value.isdigit() and len(value) <= 18:
            length = max(length, int(value))
        elif name == b"transfer-encoding":
            chunked = True
        elif name == b"expect" and value == b"100-continue":
            expect = True
    return length, chunked, expect


def _send_quietly(conn: Any, data: bytes) -> None:
    """A short answer on a non-blocking socket: what does not fit in the send buffer is dropped (the peer is slow)."""
    try:
        conn.sock.sock.send(data)
    except OSError:
        pass

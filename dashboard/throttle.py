"""Limits on expensive answers — an image render (~0.3–0.4 s of CPU), a large CSV or the package zip built anew —
per process and per client, so that a few clients asking for new views cannot take the CPU and the worker threads
from everyone else's cheap, cached answers (issue 15: 3 clients looping new PNG `start` days kept both cores busy).

Per process: at most `slots` expensive answers are built at once and at most `queue` more wait; the next one is
answered 503 with Retry-After at once (a waiting request holds one of the worker's few threads). Per client: a token
bucket of `burst` answers refilled at `per_minute`; above it, 429 with Retry-After. Answers found in a cache never
count, and many requests for the same missing answer at once wait for one build (`claim`). Flask-Limiter was considered: it limits requests to a route, while only the work a request causes (a cache
miss, known inside the view) has to be limited here.
"""

from __future__ import annotations

import ipaddress
import math
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import closing, contextmanager

from dashboard import settings

MAX_CLIENTS = 10_000  # buckets kept (least recently seen dropped first): memory stays bounded under many addresses
BUSY_RETRY_AFTER = 5
SLOT_WAIT_SECONDS = 30  # a render stuck longer than this must not hold the waiting requests' threads too
PREWARM_ENVIRON_KEY = "dashboard.prewarm"  # set only by the process's own pre-warming client (no header can set it)


class Refused(Exception):
    """An expensive answer that is not built now: `status` 429 (this client) or 503 (this process), and when to retry."""

    def __init__(self, status: int, retry_after: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


LOCAL = "local"  # the machine itself: a health check, an operator's curl, tests (never limited per client)


def client_key(remote_addr: str | None, forwarded_for: str | None, trusted: set[str]) -> str:
    """Who is asking: the peer's address, or the address the trusted proxy saw (the last X-Forwarded-For entry,
    the one it appended). IPv6 clients count per /64, what one subscriber usually has. A loopback peer without
    X-Forwarded-For is this machine itself (the documented proxies always send the header): LOCAL."""
    addr = remote_addr or ""
    if not forwarded_for and addr in ("127.0.0.1", "::1"):
        return LOCAL
    if forwarded_for and ("*" in trusted or addr in trusted):
        addr = forwarded_for.split(",")[-1].strip() or addr
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return addr[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class SharedBuckets:
    """The per-client token buckets in a SQLite file that every worker of a server opens, so that the limit is one
    per client whatever worker answers (kept per process, a client got the rate times the number of workers: issue
    15). One short write transaction per expensive answer (a cache miss), never for cached answers. Wall-clock time,
    since workers do not share a monotonic clock; rows untouched for an hour (long refilled) are dropped."""

    def __init__(self, path: str, per_minute: float, burst: float) -> None:
        self.path, self.rate, self.burst = path, per_minute / 60.0, burst
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS buckets (client TEXT PRIMARY KEY, tokens REAL, updated REAL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=5, isolation_level=None)

    def take(self, client: str) -> float:
        """Spend one token of `client`'s bucket: 0 if granted, else the seconds until one is back."""
        now = time.time()
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")  # one writer at a time: read, refill and spend as one step
            row = db.execute("SELECT tokens, updated FROM buckets WHERE client = ?", (client,)).fetchone()
            tokens = self.burst if row is None else min(self.burst, row[0] + max(0.0, now - row[1]) * self.rate)
            wait = 0.0 if tokens >= 1 else ((1 - tokens) / self.rate if self.rate > 0 else 60.0)
            spent = tokens - 1 if tokens >= 1 else tokens
            db.execute("INSERT OR REPLACE INTO buckets VALUES (?, ?, ?)", (client, spent, now))
            if row is None:  # a new client: the moment to forget the ones not seen for an hour
                db.execute("DELETE FROM buckets WHERE updated < ?", (now - 3600,))
            db.execute("COMMIT")
        return wait


class Throttle:
    def __init__(
        self, slots: int, queue: int, per_minute: float, burst: float, shared: SharedBuckets | None = None
    ) -> None:
        self.slots = slots
        self.queue = queue
        self.rate = per_minute / 60.0
        self.burst = burst
        self._shared = shared
        self._slot = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self._admitted = 0  # building + waiting
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._building: dict[str, threading.Event] = {}  # answers being built now, by cache key
        self._readers_waiting = 0  # requests (not pre-warming) waiting for a slot now

    @classmethod
    def from_settings(cls) -> Throttle:
        per_minute, burst, db = settings.expensive_per_minute(), settings.expensive_burst(), settings.limits_db()
        shared = SharedBuckets(db, per_minute, burst) if db else None
        return cls(settings.render_slots(), settings.render_queue(), per_minute, burst, shared)

    def _take_token(self, client: str) -> None:
        if self._shared is not None:
            wait = self._shared.take(client)
            if wait > 0:
                raise Refused(
                    429, max(1, math.ceil(wait)), "Too many new images or downloads from your address; retry later."
                )
            return
        now = time.monotonic()
        with self._lock:
            tokens, updated = self._buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - updated) * self.rate)
            if tokens < 1:
                self._buckets[client] = (tokens, now)
                wait = math.ceil((1 - tokens) / self.rate) if self.rate > 0 else 60
                raise Refused(429, max(1, wait), "Too many new images or downloads from your address; retry later.")
            self._buckets[client] = (tokens - 1, now)
            while len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)

    def claim(self, key: str) -> tuple[bool, threading.Event]:
        """(True, event) if this request is the one to build answer `key`: call release(key, event) when done.
        (False, event) if another request is building it now: wait on the event, then look in the cache. So a
        popular view asked for by many readers at the same moment is built once, and the others neither queue for
        a slot nor spend a token."""
        with self._lock:
            building = self._building.get(key)
            if building is not None:
                return False, building
            building = self._building[key] = threading.Event()
            return True, building

    def release(self, key: str, building: threading.Event) -> None:
        with self._lock:
            if self._building.get(key) is building:
                del self._building[key]
        building.set()

    def _acquire_slot(self, prewarm: bool) -> bool:
        """A slot, readers first: the pre-warming loop gives the slot back and asks again at once, and a semaphore is
        not fair (the thread that releases it wins it again before a woken waiter runs), so readers waiting for a
        render were refused after SLOT_WAIT_SECONDS while pre-warming went on. Pre-warming now waits while a reader
        does."""
        if prewarm:
            while self._readers_waiting:
                time.sleep(0.02)
            return self._slot.acquire(timeout=SLOT_WAIT_SECONDS)
        with self._lock:
            self._readers_waiting += 1
        try:
            return self._slot.acquire(timeout=SLOT_WAIT_SECONDS)
        finally:
            with self._lock:
                self._readers_waiting -= 1

    @contextmanager
    def expensive(self, client: str, prewarm: bool = False) -> Iterator[None]:
        """Hold one of the process's slots while building an expensive answer (raise Refused when not allowed).
        The process's own pre-warming waits for a slot and is never limited per client."""
        if not prewarm:
            if client != LOCAL:
                self._take_token(client)
            with self._lock:
                if self._admitted >= self.slots + self.queue:
                    admitted = False
                else:
                    self._admitted += 1
                    admitted = True
            if not admitted:  # the token stays spent: a client that ignores Retry-After runs out of them
                raise Refused(503, BUSY_RETRY_AFTER, "The server is busy drawing other images; retry in a few seconds.")
        try:
            if not self._acquire_slot(prewarm):
                raise Refused(503, BUSY_RETRY_AFTER, "The server is busy drawing other images; retry in a few seconds.")
            try:
                yield
            finally:
                self._slot.release()
        finally:
            if not prewarm:  # pre-warming runs in its own thread: it takes a slot, never one of the server's threads
                with self._lock:
                    self._admitted -= 1

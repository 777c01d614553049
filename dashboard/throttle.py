"""Limits on expensive answers — an image render (~0.3–0.4 s of CPU), a large CSV or the package zip built anew —
per process and per client, so that a few clients asking for new views cannot take the CPU and the worker threads
from everyone else's cheap, cached answers (issue 15: 3 clients looping new PNG `start` days kept both cores busy).

Per client: a token bucket of `burst` answers refilled at `per_minute`, shared by a server's workers (SharedBuckets);
above it, 429 with Retry-After. Answers found in a cache never count, and many requests for the same missing answer
at once wait for one build (`claim`).

Per process: at most `slots` expensive answers are built at once, and the render time is shared out fairly
(`Throttle.expensive`). Who waits, and who goes next when a slot frees:
- a reader of a view the pages link to (a share image, a chart's default PNG, a page's first-screen SVG: `LINKED`)
  that is not rendered yet goes first, is never refused for being busy and spends no token: the set is fixed per data
  version, so this costs at most one render each, which the process's own warmer would have made anyway;
- the process's warmer (`WARM`: the linked images ahead of time) and everyone else (`OTHER`) take turns;
- among the others, at most `queue` wait, at most half of them (at least one) for one client (429 beyond), and the
  next slot goes to the waiting client that used the least render time lately (seconds, halved every
  USAGE_HALF_LIFE). A client arriving at a full queue takes the place of the waiting client that used the most, if
  it used less; the one displaced is answered 503 at once.
So one client, however fast it asks, gets its turn like the others and no more; a request that cannot be served soon
is answered 429/503 with Retry-After at once instead of holding one of the worker's few threads.
Flask-Limiter was considered: it limits requests to a route, while only the work a request causes (a cache miss,
known inside the view) has to be limited here.
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
from dataclasses import dataclass, field

from dashboard import settings

MAX_CLIENTS = 10_000  # buckets kept (least recently seen dropped first): memory stays bounded under many addresses
BUSY_RETRY_AFTER = 5
SLOT_WAIT_SECONDS = 30  # a render stuck longer than this must not hold the waiting requests' threads too
BUSY_MESSAGE = "The server is busy drawing other images; retry in a few seconds."
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


LINKED, WARM, OTHER = "linked", "warm", "other"  # who is waiting for a slot (see the module's docstring)
USAGE_HALF_LIFE = 60.0  # seconds: a client's past render time counts half after a minute, a quarter after two
OTHER_WAIT_SECONDS = 10  # the longest a request of OTHER waits for a slot before it is answered 503
WARMER = "(warmer)"  # the client name of the process's own warming (never a real address: it has parentheses)


@dataclass(eq=False)
class _Waiter:
    client: str
    kind: str
    seq: int
    event: threading.Event = field(default_factory=threading.Event)
    granted: bool = False


class Throttle:
    def __init__(
        self, slots: int, queue: int, per_minute: float, burst: float, shared: SharedBuckets | None = None
    ) -> None:
        self.slots = slots
        self.queue = queue
        self.rate = per_minute / 60.0
        self.burst = burst
        self._shared = shared
        self._lock = threading.Lock()
        self._free = slots
        self._waiting: list[_Waiter] = []
        self._seq = 0
        self._last_turn = OTHER  # WARM and OTHER alternate when both wait
        self._usage: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client → (render seconds, when)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._building: dict[str, threading.Event] = {}  # answers being built now, by cache key

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

    # -- fair shares of the render slots (call with self._lock held) ------------------------------------------------
    def usage(self, client: str, now: float | None = None) -> float:
        """Render seconds `client` used lately in this process, halved every USAGE_HALF_LIFE."""
        seconds, when = self._usage.get(client, (0.0, 0.0))
        now = time.monotonic() if now is None else now
        return seconds * 0.5 ** ((now - when) / USAGE_HALF_LIFE) if seconds else 0.0

    def _charge(self, client: str, seconds: float) -> None:
        now = time.monotonic()
        self._usage[client] = (self.usage(client, now) + seconds, now)
        self._usage.move_to_end(client)
        while len(self._usage) > MAX_CLIENTS:
            self._usage.popitem(last=False)

    def _next(self) -> _Waiter | None:
        """Who gets a free slot: readers of linked views first (in order of arrival), then the warmer and the others
        in turn; among the others, the client that used the least render time lately."""
        linked = [w for w in self._waiting if w.kind == LINKED]
        if linked:
            return min(linked, key=lambda w: w.seq)
        warm = [w for w in self._waiting if w.kind == WARM]
        others = [w for w in self._waiting if w.kind == OTHER]
        if warm and (not others or self._last_turn == OTHER):
            return min(warm, key=lambda w: w.seq)
        if others:
            now = time.monotonic()
            return min(others, key=lambda w: (self.usage(w.client, now), w.seq))
        return None

    def _grant(self) -> None:
        while self._free > 0:
            waiter = self._next()
            if waiter is None:
                return
            self._waiting.remove(waiter)
            self._free -= 1
            waiter.granted = True
            if waiter.kind != LINKED:
                self._last_turn = waiter.kind
            waiter.event.set()

    def _join(self, client: str, kind: str) -> _Waiter | None:
        """A slot now (None), a place in the queue (the waiter), or Refused."""
        with self._lock:
            if self._free > 0 and not self._waiting:
                self._free -= 1
                if kind != LINKED:
                    self._last_turn = kind
                return None
            if kind == OTHER:
                others = [w for w in self._waiting if w.kind == OTHER]
                if sum(w.client == client for w in others) >= max(1, self.queue // 2):
                    raise Refused(
                        429, BUSY_RETRY_AFTER, "An image for your address is already waiting to be drawn; retry later."
                    )
                if len(others) >= self.queue:
                    now = time.monotonic()
                    heaviest = max(others, key=lambda w: (self.usage(w.client, now), w.seq), default=None)
                    if heaviest is None or self.usage(client, now) >= self.usage(heaviest.client, now):
                        raise Refused(503, BUSY_RETRY_AFTER, BUSY_MESSAGE)
                    self._waiting.remove(heaviest)  # a client that used less render time takes its place
                    heaviest.event.set()  # not granted: answered 503 (_wait)
            self._seq += 1
            waiter = _Waiter(client, kind, self._seq)
            self._waiting.append(waiter)
            self._grant()
            return None if waiter.granted else waiter

    def _wait(self, waiter: _Waiter) -> None:
        waiter.event.wait(OTHER_WAIT_SECONDS if waiter.kind == OTHER else SLOT_WAIT_SECONDS)
        with self._lock:
            if waiter.granted:
                return
            if waiter in self._waiting:
                self._waiting.remove(waiter)
        raise Refused(503, BUSY_RETRY_AFTER, BUSY_MESSAGE)

    def _leave(self, client: str, seconds: float) -> None:
        with self._lock:
            self._charge(client, seconds)
            self._free += 1
            self._grant()

    @contextmanager
    def expensive(self, client: str, prewarm: bool = False, linked: bool = False) -> Iterator[None]:
        """Hold one of the process's slots while building an expensive answer (raise Refused when not allowed).
        `prewarm`: the process's own warmer (in its own thread, never limited per client); `linked`: a reader of a
        view the pages link to, not rendered yet (first in line, never limited per client)."""
        kind = WARM if prewarm else LINKED if linked else OTHER
        client = WARMER if kind == WARM else client
        if kind == OTHER and client != LOCAL:
            self._take_token(client)  # the token stays spent if refused below: ignoring Retry-After costs tokens
        waiter = self._join(client, kind)
        if waiter is not None:
            self._wait(waiter)
        started = time.monotonic()
        try:
            yield
        finally:
            self._leave(client, time.monotonic() - started)

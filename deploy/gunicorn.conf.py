"""gunicorn settings for the dashboard (`gunicorn -c deploy/gunicorn.conf.py dashboard.wsgi:server`).

Workers from the CPU count; threads let one worker serve downloads while another request renders a figure. Each
worker loads the data once (dashboard/data.py) and re-reads it when the ETL publishes a new package.

The public address ($CUBA_SITE_URL) is required: every canonical, share and embed link is built from it, never from
the request's Host header, and gunicorn refuses to start without it rather than serve links to a wrong address.
Request time and size limits: see docs/DEPLOY.md ("Slow and large requests").
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard import settings  # after the repository is on the path

try:
    settings.required_site_url()
    settings.header_timeout(), settings.body_timeout(), settings.max_body_bytes(), settings.cache_bytes()
except settings.SettingError as exc:
    print(f"gunicorn: not starting: {exc}", file=sys.stderr, flush=True)
    raise SystemExit(2) from None

bind = os.environ.get("CUBA_BIND", "127.0.0.1:8050")
# One file of per-client limits for this server's workers (dashboard/throttle.py: SharedBuckets), so a client gets the
# stated rate whatever worker answers; made by the master, inherited by the workers it forks, removed on exit.
LIMITS_DB_SET_HERE = "CUBA_LIMITS_DB" not in os.environ
if LIMITS_DB_SET_HERE:
    import tempfile

    os.environ["CUBA_LIMITS_DB"] = str(Path(tempfile.gettempdir()) / f"cuba-limits-{os.getpid()}.sqlite3")
workers = int(os.environ.get("CUBA_WORKERS", max(2, multiprocessing.cpu_count())))
os.environ["CUBA_SERVER_WORKERS"] = str(workers)  # /healthz/ready waits for this many (dashboard/serving.py)
threads = int(os.environ.get("CUBA_THREADS", "4"))
# gthread, except that a connection gets a thread only once its whole request has arrived (head within
# $CUBA_HEADER_TIMEOUT, body within $CUBA_BODY_TIMEOUT and at most $CUBA_MAX_BODY_BYTES): slow clients cost a
# socket, not one of the few threads (dashboard/gunicorn_worker.py; measured in bench/slowloris.py).
worker_class = "dashboard.gunicorn_worker.RequestFirstWorker"
# Open connections per worker, idle or still sending (each incomplete one holds at most 64 KB of head plus the body
# limit): behind the proxy a few dozen are in use; this bounds what many slow clients can hold in memory.
worker_connections = 500
timeout = 60  # a cold PNG render (browser start) takes seconds; nothing should take a minute
graceful_timeout = 30
keepalive = 5  # idle kept-alive connections are closed after this many seconds
# The request line (URL) and headers: gunicorn answers 400/431 above these before any app code runs.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# Recycle workers now and then (bounded memory over weeks), but rarely: a new worker starts with cold caches, and
# at the ~90 req/s per worker measured under load (bench/RESULTS.md) 2,000 requests was a restart every 20 s.
max_requests = int(os.environ.get("CUBA_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
preload_app = False  # each worker builds its app: Dash keeps per-app state in module globals
accesslog = os.environ.get("CUBA_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Memory taken to build a large answer (an explore CSV of a big table, ~10 MB, and pandas' copies on the way) is freed
# by Python but kept by glibc's allocator: one arena per thread, each holding its peak, so a worker grew with every
# new large download even when the answer itself was not cached (issue 15). Two arenas per worker, and giving free
# pages back to the system after a large answer, keep a worker near its cache budget. CUBA_MALLOC_TUNING=0 turns
# this off (to compare: bench/download_memory.py; results in bench/RESULTS.md).
M_ARENA_MAX = -8  # glibc's mallopt parameter number
MALLOC_ARENAS = 2
LARGE_ANSWER_BYTES = 4 * 2**20


def _libc():
    """glibc, or None elsewhere (musl, macOS): the tuning is then skipped."""
    import ctypes
    import ctypes.util

    if os.environ.get("CUBA_MALLOC_TUNING", "1") == "0":
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def post_fork(server, worker):
    """In each worker, before its threads start: at most MALLOC_ARENAS malloc arenas."""
    libc = _libc()
    worker.libc = libc
    if libc is not None:
        libc.mallopt(M_ARENA_MAX, MALLOC_ARENAS)


# Each worker examines data/ every DATA_WATCH_SECONDS through its own /healthz (in-process), so a refresh is loaded
# within seconds and its linked images are rendered again at once, before readers ask (dashboard/serving.py).
DATA_WATCH_SECONDS = 5.0


def post_worker_init(worker):
    """In each worker, once its app is loaded: the data watcher (a new data version → its linked images re-rendered)."""
    from dashboard import serving

    app = worker.wsgi
    if hasattr(app, "test_client") and hasattr(app, "extensions"):  # the Flask app of dashboard.wsgi:server
        serving.watch_data(app, DATA_WATCH_SECONDS)


def post_request(worker, req, environ, resp):
    """After an answer of more than LARGE_ANSWER_BYTES: free pages back to the system (a few ms, rare)."""
    libc = getattr(worker, "libc", None)
    if libc is not None and (getattr(resp, "sent", 0) or 0) > LARGE_ANSWER_BYTES:
        libc.malloc_trim(0)


def on_starting(server):
    """A limits file named by the operator outlives a server: its workers' readiness (dashboard/serving.py) must not."""
    import sqlite3
    from contextlib import closing

    path = os.environ["CUBA_LIMITS_DB"]
    if Path(path).exists():
        with closing(sqlite3.connect(path, timeout=5, isolation_level=None)) as db:
            db.execute("DROP TABLE IF EXISTS ready")


def on_exit(server):
    """The master's limits file (and SQLite's journal beside it) goes with the server."""
    if LIMITS_DB_SET_HERE:
        for suffix in ("", "-wal", "-shm"):
            Path(os.environ["CUBA_LIMITS_DB"] + suffix).unlink(missing_ok=True)

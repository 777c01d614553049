"""Shared helpers for the benchmarks: a free port, the app in a subprocess, a mirror of ../shared/upstream, Chromium."""

from __future__ import annotations

import os
import platform
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listening on {port}")


@contextmanager
def app_server(gunicorn: bool = False, env: dict[str, str] | None = None):
    """The dashboard on 127.0.0.1 in its own process (the dev server, or gunicorn as in production)."""
    port = free_port()
    if gunicorn:
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "dashboard.wsgi:server",
        ]
    else:
        cmd = [sys.executable, "-m", "dashboard", "--port", str(port)]
    # gunicorn needs the public address (deploy/gunicorn.conf.py); here it is this local server's.
    base_env = {"CUBA_SITE_URL": f"http://127.0.0.1:{port}", **os.environ}
    proc = subprocess.Popen(
        cmd, cwd=REPO, env={**base_env, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@contextmanager
def mirror(root: Path = SHARED / "upstream"):
    """A static HTTP server over the upstream tree (the ETL's --mirror)."""
    handler = partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} cores ({cpu or platform.processor()}), Python {platform.python_version()}, "
        f"load average {load:.2f} at start, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )


def image_attacker(base: str, n: int, stop, results, *, spacing_days: int, timeout: float) -> None:
    """One attacking client (its own address): asks for the calendar PNG of a new start day on every request, so
    every answer is a fresh render, until `stop` is set; counts the statuses it gets (0 = no answer)."""
    import datetime as dt

    import requests

    day = dt.date(2022, 1, 1) + dt.timedelta(days=spacing_days * n)
    with requests.Session() as session:
        session.headers["X-Forwarded-For"] = f"198.51.100.{n + 1}"
        while not stop.is_set():
            day += dt.timedelta(days=1)
            try:
                status = session.get(f"{base}/download/une-calendar.png?start={day}", timeout=timeout).status_code
            except requests.RequestException:
                status = 0
            results[status] += 1


def wait_ready(base: str, seconds: float) -> float | None:
    """Wait for /healthz/ready (every worker has rendered the images the pages link to), as a deploy would, so that
    no timing runs beside the start-up renders. Returns the seconds waited, or None if it never came."""
    import requests

    started = time.monotonic()
    while requests.get(base + "/healthz/ready", timeout=60).status_code != 200:
        if time.monotonic() - started > seconds:
            return None
        time.sleep(2)
    return time.monotonic() - started


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot (/proc/stat: all but idle and iowait), to tell how much else ran."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:8]]
    except (OSError, ValueError):
        return float("nan")
    return (sum(fields) - fields[3] - fields[4]) / CLOCK_TICKS


def _processes() -> dict[int, tuple[int, float, bytes]]:
    """pid → (parent pid, user + system CPU seconds, command line) of every live process."""
    found: dict[int, tuple[int, float, bytes]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        found[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS, cmdline)
    return found


def tree_cpu_seconds(root: int | None) -> float:
    """user + system CPU seconds of `root` and its live descendants (a server's workers and their Chromium)."""
    found = _processes()
    total, todo = 0.0, [root] if root is not None else []
    while todo:
        pid = todo.pop()
        total += found[pid][1] if pid in found else 0.0
        todo.extend(child for child, (parent, _, _) in found.items() if parent == pid)
    return total


def gunicorn_master(port: int) -> int | None:
    """The pid of the gunicorn master serving 127.0.0.1:`port` (the one whose parent is not one of its kind)."""
    ours = {
        pid: parent
        for pid, (parent, _, cmd) in _processes().items()
        if b"gunicorn" in cmd and f"127.0.0.1:{port}".encode() in cmd
    }
    return next((pid for pid, parent in ours.items() if parent not in ours), None)

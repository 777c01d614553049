"""The dashboard as production runs it — gunicorn with deploy/gunicorn.conf.py and dashboard.wsgi:server — in a child
process on a free port of 127.0.0.1, for tests that need the real worker (slow clients, memory, limits)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Self

import requests

REPO = Path(__file__).resolve().parents[2]
SITE = "https://energy.example.org"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """`with Gunicorn(log_path, CUBA_...="...") as srv:` starts one worker (unless told otherwise) and waits until
    /healthz answers 200; `srv.base` is its URL. Environment values of None remove a variable."""

    def __init__(self, log: Path, **env: str | None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        merged = {
            **os.environ,
            "CUBA_SITE_URL": SITE,
            "CUBA_WORKERS": "1",
            "CUBA_THREADS": "2",
            "CUBA_WARM_IMAGES": "0",
            "CUBA_ACCESS_LOG": "/dev/null",
            **env,
        }
        self.env = {k: v for k, v in merged.items() if v is not None}
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120) -> Self:
        self.proc = self.spawn()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited {self.proc.returncode}: {self.output()[-3000:]}")
            try:
                if requests.get(f"{self.base}/healthz", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz in time: {self.output()[-3000:]}")

    def spawn(self) -> subprocess.Popen[bytes]:
        handle = self.log.open("wb")
        cmd = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"]
        return subprocess.Popen(
            [*cmd, "dashboard.wsgi:server"],
            cwd=REPO,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def worker_pids(self) -> list[int]:
        assert self.proc is not None
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    @staticmethod
    def rss(pid: int) -> int:
        """Resident memory of a process in bytes."""
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        try:  # what the workers started (Chromium for images) is in the server's own process group
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

"""Running the ETL's command line in tests: a child process over given data and cache folders, and a gate that holds
one mirror path so a refresh stays provably mid-run."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def cli(
    args: list[str],
    paths: Any,
    env_extra: dict[str, str] | None = None,
    preexec: Callable[[], None] | None = None,
    timeout: float = 180,
) -> subprocess.CompletedProcess[str]:
    """`python -m etl <args>` on `paths` (data_dir, cache_dir), output captured, never raising on its exit code."""
    env = {
        **os.environ,
        "CUBA_DATA_DIR": str(paths.data_dir),
        "CUBA_CACHE_DIR": str(paths.cache_dir),
        "PYTHONDONTWRITEBYTECODE": "1",
        **(env_extra or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        check=False,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec,  # only set when a test runs as root (see test_publish_faults.without_dac_override)
    )


class Gate:
    """Holds requests for one mirror path until released, so a refresh stays provably mid-run (lock held, earlier
    sources published) for exactly as long as a test needs: no sleeps to tune, no races with process start-up."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.arrived = threading.Event()
        self.released = threading.Event()

    def __call__(self, handler: object, path: str, query: str) -> bool:
        if path == self.path:
            self.arrived.set()
            self.released.wait(timeout=60)
        return False  # then the file is served normally

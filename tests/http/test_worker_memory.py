"""The production gunicorn settings bound a worker's malloc arenas and give memory back after large answers
(deploy/gunicorn.conf.py; measured in bench/download_memory.py). Checked on the settings module gunicorn loads."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def _settings(monkeypatch, tuning: str) -> dict:
    monkeypatch.setenv("CUBA_SITE_URL", "https://example.org")
    monkeypatch.setenv("CUBA_MALLOC_TUNING", tuning)
    monkeypatch.setenv("CUBA_LIMITS_DB", "/nonexistent/limits.sqlite3")  # else the settings set one for this process
    return runpy.run_path(str(CONF))


class _Libc:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def mallopt(self, param: int, value: int) -> int:
        self.calls.append(("mallopt", param, value))
        return 1

    def malloc_trim(self, pad: int) -> int:
        self.calls.append(("malloc_trim", pad))
        return 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_workers_get_two_arenas_and_trim_after_large_answers(monkeypatch):
    conf = _settings(monkeypatch, "1")
    worker = SimpleNamespace()
    conf["post_fork"](None, worker)
    assert worker.libc is not None  # glibc found on this Linux
    recorder = _Libc()
    worker.libc = recorder
    conf["post_fork"].__globals__["_libc"] = lambda: recorder  # the same hook, watching its calls
    conf["post_fork"](None, worker)
    assert recorder.calls == [("mallopt", -8, 2)]
    conf["post_request"](worker, None, {}, SimpleNamespace(sent=12 * 2**20))
    conf["post_request"](worker, None, {}, SimpleNamespace(sent=200_000))  # a page: no trim
    assert recorder.calls[1:] == [("malloc_trim", 0)]


def test_the_tuning_can_be_turned_off(monkeypatch):
    conf = _settings(monkeypatch, "0")
    worker = SimpleNamespace()
    conf["post_fork"](None, worker)
    assert worker.libc is None
    conf["post_request"](worker, None, {}, SimpleNamespace(sent=12 * 2**20))  # nothing to call, no error

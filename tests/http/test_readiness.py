"""`/healthz/ready` (dashboard/serving.py: Readiness) with several workers: a server is ready only once every worker it
started has rendered the images the pages link to, counted in the server's shared SQLite file, and it stays ready.
Real processes marking themselves ready, as gunicorn's workers do; the single-worker path end to end is in
tests/http/test_serving_under_attack.py."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

MARK = "from dashboard.serving import readiness; readiness.mark('v1')"


def mark_in_another_process(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-c", MARK], cwd=REPO, env=env, check=True, timeout=120)


def test_ready_only_when_every_worker_of_the_server_is(tmp_path, monkeypatch):
    import os

    from dashboard import render
    from dashboard.serving import Readiness

    if render.browser_missing():  # without Chromium there is nothing to warm: ready at once (tested below)
        pytest.skip("no Chromium: the server warms nothing and is ready at once")
    env = {
        **os.environ,
        "CUBA_LIMITS_DB": str(tmp_path / "limits.sqlite3"),
        "CUBA_SERVER_WORKERS": "2",
        "CUBA_WARM_IMAGES": "1",
        "PYTHONPATH": str(REPO),
    }
    for key in ("CUBA_LIMITS_DB", "CUBA_SERVER_WORKERS", "CUBA_WARM_IMAGES"):
        monkeypatch.setenv(key, env[key])
    probe = Readiness()
    assert probe.state() == (False, {"ready": False, "workers_ready": 0, "workers": 2})
    mark_in_another_process(env)  # the first worker
    assert probe.state() == (False, {"ready": False, "workers_ready": 1, "workers": 2})
    mark_in_another_process(env)  # the second (another pid)
    assert probe.state() == (True, {"ready": True, "workers_ready": 2, "workers": 2})


def test_ready_at_once_when_nothing_is_warmed(monkeypatch):
    from dashboard.serving import Readiness

    monkeypatch.setenv("CUBA_WARM_IMAGES", "0")
    assert Readiness().state() == (True, {"ready": True, "warming": "off"})

"""Shared fixtures: temporary data/cache folders, the upstream fixture tree, and a real local HTTP server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from etl.paths import Paths
from tests.support.fixture_server import FixtureServer
from tests.support.upstream_fixtures import build_tree

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `shared` skip cleanly when ../shared is absent (it is present in CI)."""
    if SHARED.is_dir():
        return
    skip = pytest.mark.skip(reason="../shared is absent")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def upstream_tree(tmp_path: Path) -> Path:
    return build_tree(tmp_path / "upstream")


@pytest.fixture
def server(upstream_tree: Path):
    with FixtureServer(upstream_tree) as srv:
        yield srv


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    """An empty data dir (with the real curated inputs copied in) and an empty cache."""
    data = tmp_path / "data"
    (data / "curated").mkdir(parents=True)
    for csv in (REPO / "data" / "curated").glob("*.csv"):
        shutil.copy(csv, data / "curated" / csv.name)
    return Paths(data_dir=data, cache_dir=tmp_path / "cache", seeds_dir=REPO / "seeds")


@pytest.fixture(autouse=True)
def _fast_http(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short timeouts and no backoff sleeps in tests; never touch the real network."""
    monkeypatch.setenv("CUBA_ETL_TIMEOUT", "2")
    monkeypatch.setenv("CUBA_ETL_RETRIES", "1")
    monkeypatch.setenv("CUBA_ETL_RETRY_BACKOFF", "0")
    monkeypatch.delenv("CUBA_ETL_MIRROR", raising=False)
    monkeypatch.setenv("CUBA_WARM_IMAGES", "0")
    for key in ("EIA_API_KEY",):
        monkeypatch.delenv(key, raising=False)


def snapshot_dir(path: Path) -> dict[str, bytes]:
    """Every file under `path` with its bytes, to assert that published data did not change."""
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture
def env_with_key() -> dict[str, str]:
    return {**os.environ, "EIA_API_KEY": "TESTKEY"}


# -- the dashboard ----------------------------------------------------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"


def chromium_or_skip() -> str:
    """Browser tests may skip without Chromium, but never in CI (where .ci/run installs it)."""
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail("CI is set but /usr/bin/chromium is missing: browser tests must run in CI")
    pytest.skip("no Chromium at /usr/bin/chromium")


@pytest.fixture(scope="session")
def dash_app():
    """One app per test session (Dash keeps page callbacks in module globals), on the repository's data/."""
    from dashboard.app import create_app
    from dashboard.data import DataStore

    return create_app(DataStore())


@pytest.fixture(scope="session")
def client(dash_app):
    return dash_app.server.test_client()


@pytest.fixture(scope="session")
def live_server(dash_app):
    """The app over a real socket on 127.0.0.1 (threaded WSGI server in this process)."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, dash_app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    path = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


ARTIFACTS = REPO / "artifacts"

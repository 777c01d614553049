"""Issue 19 item 5, the chart as cited: `?version=<id>` keeps showing a chart as it was at that data version, from the
repository's own history of data/ (dashboard/versions.py), while the plain URL follows the live data. End to end on a
temporary git repository with two commits of the data package, served on a real local server."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest
import requests

from dashboard import data as data_module
from dashboard.versions import VersionHistory, VersionNotAvailable
from tests.http.test_loading_bad_data import copy_data, rehash

CHART = "generation-by-source"
OLD_ROW = b"Cuba,CUB,2024,10979781,19.43,19.43,1769.616,16.0,"
NEW_ROW = b"Cuba,CUB,2024,10979781,19.43,19.43,1769.616,12.5,"


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    done = subprocess.run(
        ["git", "-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", "-C", str(repo), *args],
        capture_output=True,
        env=env,
        timeout=60,
        check=True,
    )
    return done.stdout.decode()


def package_id(paths) -> str:
    import hashlib

    return hashlib.sha256(paths.datapackage.read_bytes()).hexdigest()[:16]


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory):
    """A repository whose data/ has two commits: the old one says 16.0 TWh of oil power in 2024, the new one 12.5."""
    repo = tmp_path_factory.mktemp("repo")
    paths = copy_data(repo)  # repo/data, consistent with its package
    table = paths.data_dir / "owid_energy.csv"
    assert OLD_ROW in table.read_bytes()
    git(repo, "init", "-q")
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "old data")
    old_id = package_id(paths)
    table.write_bytes(table.read_bytes().replace(OLD_ROW, NEW_ROW, 1))
    rehash(paths, ["owid_energy.csv"])
    git(repo, "commit", "-q", "-am", "new data")
    new_id = package_id(paths)
    assert old_id != new_id
    return paths, old_id, new_id


@pytest.fixture(scope="module")
def pinned_server(two_versions):
    from werkzeug.serving import make_server

    from dashboard.app import create_app
    from dashboard.data import DataStore

    paths, old_id, new_id = two_versions
    previous = data_module._STORE  # create_app configures the process-wide store: put it back afterwards
    app = create_app(DataStore(paths), site_url="https://energy.example.org")
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", old_id, new_id
    server.shutdown()
    data_module._STORE = previous


def summary_of(page: str) -> str:
    return re.search(r'<p id="s" class="summary">(.*?)</p>', page, re.DOTALL).group(1)


def test_a_pinned_embed_shows_the_old_value_and_the_plain_one_the_new(pinned_server):
    base, old_id, new_id = pinned_server
    live = requests.get(f"{base}/embed/{CHART}", timeout=60)
    pinned = requests.get(f"{base}/embed/{CHART}?version={old_id}", timeout=60)
    current = requests.get(f"{base}/embed/{CHART}?version={new_id}", timeout=60)
    assert live.status_code == pinned.status_code == current.status_code == 200
    assert "12.5" in summary_of(live.text) and "16.0" not in summary_of(live.text)
    assert "16.0" in summary_of(pinned.text) and "12.5" not in summary_of(pinned.text)
    assert summary_of(current.text) == summary_of(live.text)
    again = requests.get(f"{base}/embed/{CHART}", timeout=60)  # the pin did not leak into later requests
    assert summary_of(again.text) == summary_of(live.text)
    # A pinned embed's own links stay on its version: its address, its PNG, a static embed's SVGs.
    assert f'content="https://energy.example.org/embed/{CHART}?version={old_id}"' in pinned.text
    assert f"/download/{CHART}.png?version={old_id}" in pinned.text
    static = requests.get(f"{base}/embed/{CHART}?static=1&theme=auto&version={old_id}", timeout=60).text
    sources = re.findall(r'(?:src|srcset)="(/embed/[^"]+\.svg[^"]*)"', static)
    assert sources and all(f"version={old_id}" in src for src in sources), sources


def test_pinned_downloads_and_zip_metadata_name_the_version(pinned_server):
    base, old_id, _new_id = pinned_server
    old_csv = requests.get(f"{base}/download/{CHART}.csv?version={old_id}", timeout=60)
    new_csv = requests.get(f"{base}/download/{CHART}.csv", timeout=60)
    assert old_csv.status_code == new_csv.status_code == 200 and old_csv.content != new_csv.content
    answer = requests.get(f"{base}/download/{CHART}.zip?version={old_id}", timeout=60)
    assert answer.status_code == 200
    assert f"{CHART}-{old_id}.zip" in answer.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        meta = json.loads(archive.read("metadata.json"))
        assert archive.read(f"{CHART}.csv") == old_csv.content
        readme = archive.read("README.txt").decode()
    assert meta["data_version"] == old_id and meta["pinned"] is True
    assert meta["pinned_embed_url"].startswith("https://energy.example.org/embed/")
    assert f"version={old_id}" in meta["pinned_embed_url"] and old_id in meta["citation"]
    assert old_id in readme
    package = requests.get(f"{base}/files/cuba-energy-data.zip?version={old_id}", timeout=60)
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        assert OLD_ROW in archive.read("owid_energy.csv")
        assert f"Version {old_id}" in archive.read("README.txt").decode()


def test_malformed_and_unknown_versions_answer_400_and_404_with_the_error_page(pinned_server):
    base, old_id, _new_id = pinned_server
    for bad in ("zz", "../../etc", "0123456789ABCDEF", "1" * 40):
        answer = requests.get(f"{base}/embed/{CHART}", params={"version": bad}, timeout=60)
        assert answer.status_code == 400, bad
        assert "<h1>" in answer.text and "Traceback" not in answer.text
    unknown = requests.get(f"{base}/download/{CHART}.zip?version=0123456789abcdef", timeout=60)
    assert unknown.status_code == 404 and "version not available" in unknown.text
    page = requests.get(f"{base}/generation?version={old_id}", timeout=60)  # pages follow the live data
    assert page.status_code == 400 and "pinned embed" in page.text


def test_without_git_history_an_old_version_is_not_available_but_the_live_one_is(tmp_path, two_versions):
    from dashboard.app import create_app
    from dashboard.data import DataStore

    paths, old_id, new_id = two_versions
    bare = copy_data(tmp_path)  # no .git anywhere above tmp_path's data
    shutil.copyfile(paths.datapackage, bare.datapackage)
    shutil.copyfile(paths.data_dir / "owid_energy.csv", bare.data_dir / "owid_energy.csv")
    with pytest.raises(VersionNotAvailable, match="version not available"):
        VersionHistory(bare.data_dir).load(old_id)
    previous = data_module._STORE
    client = create_app(DataStore(bare), site_url="https://energy.example.org").server.test_client()
    answer = client.get(f"/embed/{CHART}?version={old_id}")
    assert answer.status_code == 404 and b"version not available" in answer.data
    try:
        assert client.get(f"/embed/{CHART}?version={new_id}").status_code == 200  # the live one needs no history
    finally:
        data_module._STORE = previous


def test_at_most_a_few_pinned_versions_are_kept_in_memory(two_versions):
    paths, old_id, _new_id = two_versions
    history = VersionHistory(paths.data_dir, max_versions=1)
    first = history.load(old_id)
    assert history.load(old_id) is first and history.loaded_ids() == [old_id]
    assert first.id == old_id and first.tables["owid_energy"] is not None


def test_the_pinned_embed_in_the_browser_shows_the_old_value(browser, pinned_server):
    base, old_id, _new_id = pinned_server
    page = browser.new_page()
    try:
        page.goto(f"{base}/embed/{CHART}?version={old_id}")
        page.wait_for_selector("#chart .main-svg", state="attached", timeout=60_000)
        pinned_text = page.locator("#s").inner_text()
        drawn = page.evaluate("() => JSON.stringify(document.getElementById('chart').data)")
        page.goto(f"{base}/embed/{CHART}")
        page.wait_for_selector("#chart .main-svg", state="attached", timeout=60_000)
        live_text = page.locator("#s").inner_text()
    finally:
        page.close()
    assert "16.0" in pinned_text and "12.5" in live_text
    assert "16" in drawn and "12.5" not in drawn  # the drawn trace holds the old value


def test_a_pinned_version_is_judged_stale_as_on_the_day_it_was_published(two_versions):
    """A version published on 30 April 2026 whose daily series ends on 29 April was current that day: pinned, it still
    says so; the same package read as live today is stale."""
    from dashboard.data import DataStore, verify_version

    paths, old_id, _new_id = two_versions
    old = VersionHistory(paths.data_dir).load(old_id)
    package = json.loads(old.files["datapackage.json"])
    for res in package["resources"]:
        res["x_last_changed"] = "2026-04-30T03:17:00Z"
        if res["path"] == "une_daily.csv":
            res["x_latest_observation"], res["x_expected_cadence_days"] = "2026-04-29", 2
    files = {**old.files, "datapackage.json": json.dumps(package).encode()}
    april = verify_version(paths.data_dir, files)
    store = DataStore(paths)
    with store.pinned(april):
        assert store.version_id == april.id
        assert not store.table_staleness("une_daily").is_stale
        assert store.table_staleness("une_daily", date(2026, 12, 6)).is_stale  # the day is what differs
    assert not store.is_pinned and store.version_id != april.id

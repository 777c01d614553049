"""Issue 15, the data-loading, publishing and ETL findings, each reproduced over real files, real processes and a real
HTTP server on 127.0.0.1 (tests/support/fixture_server.py):

3. one bad cell, a truncated datapackage.json or a changed file is refused when a data version loads; the last good
   version keeps serving (a new process starts on the copy kept under the cache dir) and /healthz names the file;
6. cells a spreadsheet would run as formulas are neutralised in spreadsheet downloads and in upstream text at
   validation (with a logged reason); links are published only with http(s) schemes (also item 12);
8. a deadline per request (a server trickling bytes) and per source; a killed run shows as interrupted in `etl status`;
9. redirects only to the source's own hosts, the final URL in the provenance sidecar;
11. a source's tables and the package record change together or not at all (a failed rename, a kill mid-commit).
"""

from __future__ import annotations

import csv
import errno
import fcntl
import hashlib
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

import etl.publish
from etl.http import FetchError, get, make_session
from etl.paths import Paths
from etl.runner import Refresher
from tests.conftest import REPO, snapshot_dir
from tests.etl.test_publish_under_faults import (
    CURATED_TABLES,
    assert_every_file_complete,
    assert_no_temporary_files,
    assert_package_consistent,
    revise_curated_inputs,
)
from tests.support import une_fixtures as une
from tests.support import upstream_fixtures as fx
from tests.support.etl_cli import Gate, cli
from tests.support.fixture_server import FixtureServer, send

WRI_FILE = fx.mirror_path(
    "https://raw.githubusercontent.com/wri/global-power-plant-database/master/raw_source_files/WRI/Cuba.csv"
)
FACTBOOK_PREFIX = fx.mirror_path("https://raw.githubusercontent.com/factbook/factbook.json/master/")
DDE = "=cmd|' /C calc'!A0"  # the payload the attack published as a WRI plant name


# -- helpers ----------------------------------------------------------------------------------------------------------
def copy_data(tmp_path: Path) -> Paths:
    """A copy of the repository's data/ (the committed data/ is never touched), with its package re-recorded so that
    the copy is one consistent version even while someone is publishing into the repository's data/."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    paths = Paths(data_dir=data, cache_dir=tmp_path / "cache", seeds_dir=REPO / "seeds")
    rehash(paths, [r["path"] for r in json.loads(paths.datapackage.read_text(encoding="utf-8"))["resources"]])
    return paths


def rehash(paths: Paths, names: list[str]) -> None:
    """Record these files' current sha256 and size in datapackage.json, as the ETL does when it publishes them."""
    package = json.loads(paths.datapackage.read_text(encoding="utf-8"))
    for res in package["resources"]:
        if res["path"] in names:
            content = (paths.data_dir / res["path"]).read_bytes()
            res["hash"], res["bytes"] = f"sha256:{hashlib.sha256(content).hexdigest()}", len(content)
    paths.datapackage.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def edit_cells(path: Path, column: str, value: str, rows: int = 1, match: str | None = None) -> None:
    """Set `column` to `value` in the first `rows` rows (or the rows whose `column` equals `match`), in place."""
    text = path.read_text(encoding="utf-8")
    records = list(csv.DictReader(io.StringIO(text)))
    targets = [r for r in records if r[column] == match] if match is not None else records[:rows]
    assert targets, (path.name, column, match)
    for record in targets:
        record[column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    path.write_text(out.getvalue(), encoding="utf-8")


def assert_sources_ok(report, *source_ids: str) -> None:
    """These sources succeeded (others, e.g. the claims derived from seeds, are not what the test is about)."""
    results = {r.source_id: r for r in report.results}
    for sid in source_ids:
        assert results[sid].status in ("ok", "no change"), results[sid].line()


def assert_cli_ok(run: subprocess.CompletedProcess[str], *source_ids: str) -> None:
    failed = [line for line in run.stderr.splitlines() if line.startswith(tuple(f"{s}: FAILED" for s in source_ids))]
    assert not failed and "Traceback" not in run.stderr, run.stderr


def store_for(paths: Paths):
    from dashboard.data import DataStore

    return DataStore(paths, reload_check_seconds=0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class App:
    """`python -m dashboard` on a data copy, in its own process (Dash keeps one app per process)."""

    def __init__(self, paths: Paths, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "CUBA_DATA_DIR": str(paths.data_dir),
            "CUBA_CACHE_DIR": str(paths.cache_dir),
            "CUBA_WARM_IMAGES": "0",
        }
        self.log_path = log
        self._log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "--port", str(self.port)],
            cwd=REPO,
            env=env,
            stdout=self._log,
            stderr=self._log,
        )

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(
                    f"the app exited ({self.proc.returncode}): {self.log_path.read_text(errors='replace')[-3000:]}"
                )
            try:
                self.get("/healthz")
                return
            except OSError:
                time.sleep(0.2)
        pytest.fail("the app did not answer /healthz")

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"{self.base}{path}", timeout=60) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def health(self, path: str = "/healthz/data") -> tuple[int, dict]:
        status, body = self.get(path)
        return status, json.loads(body)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


# -- 3. loading a data version ------------------------------------------------------------------------------------------
def test_a_bad_cell_is_refused_and_the_good_version_keeps_serving(tmp_path):
    """`N/A` in a numeric cell of une_daily.csv (hand edit, disk error): refused, the loaded version serves on."""
    from dashboard.data import health

    paths = copy_data(tmp_path)
    store = store_for(paths)
    good = store.table("une_daily")
    assert health(store)[0] == 200
    edit_cells(paths.data_dir / "une_daily.csv", "peak_demand_mw", "N/A", rows=3)

    assert store.maybe_reload() is False  # refused: nothing new serves
    assert store.table("une_daily") is good and good["peak_demand_mw"].dtype == "float64"
    status, body = health(store, strict=True)
    assert status == 503, body
    assert body["table"] == "une_daily" and body["failed"] == "une_daily.csv", body
    assert "sha256 does not match" in body["error"], body
    assert body["serving"] == store.serving.id


def test_a_schema_violation_is_refused_even_when_its_hash_was_recorded(tmp_path):
    """The same bad cell published with a matching hash (a broken publisher): the schema check names the column."""
    from dashboard.data import health

    paths = copy_data(tmp_path)
    store = store_for(paths)
    store.table("une_daily")
    edit_cells(paths.data_dir / "une_daily.csv", "peak_demand_mw", "N/A", rows=3)
    rehash(paths, ["une_daily.csv"])

    store.maybe_reload()
    status, body = health(store, strict=True)
    assert status == 503 and body["table"] == "une_daily", body
    assert "une_daily.peak_demand_mw is not numeric" in body["error"], body
    assert store.table("une_daily")["peak_demand_mw"].notna().any()


def test_health_checks_every_table_and_names_the_one_that_fails(tmp_path):
    """The old /healthz read only the first table; a file changed in place is caught by its hash."""
    from dashboard.data import health

    paths = copy_data(tmp_path)
    store = store_for(paths)
    assert health(store)[0] == 200
    last = json.loads(paths.datapackage.read_text())["resources"][-1]["path"]
    assert last.endswith(".csv") and last != "cia_factbook.csv"
    path = paths.data_dir / last
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # cut short
    status, body = health(store, strict=True)
    assert status == 503 and body["failed"] == last, body


def test_a_truncated_datapackage_is_refused(tmp_path):
    from dashboard.data import health

    paths = copy_data(tmp_path)
    store = store_for(paths)
    before = store.package()
    paths.datapackage.write_bytes(paths.datapackage.read_bytes()[:5000])
    status, body = health(store, strict=True)
    assert status == 503 and body["failed"] == "datapackage.json" and "not valid JSON" in body["error"], body
    assert store.package() is before and len(store.table_names()) >= 20


def test_a_new_process_starts_on_the_last_good_copy_or_says_why_there_is_none(tmp_path):
    from dashboard.data import DataUnavailable, health

    paths = copy_data(tmp_path)
    good = store_for(paths)
    expected = good.table("une_daily")
    version = good.serving.id
    edit_cells(paths.data_dir / "une_daily.csv", "peak_demand_mw", "N/A")

    restarted = store_for(paths)  # same cache dir: the copy the first store kept when its version validated
    pd.testing.assert_frame_equal(restarted.table("une_daily"), expected)
    assert restarted.from_last_good and restarted.serving.id == version
    status, body = health(restarted, strict=True)
    assert status == 503 and body["table"] == "une_daily" and body["serving_from"] == "last good copy", body
    # Downloads of tables come from the verified copy, not from the broken file.
    assert b"N/A" not in restarted.file_bytes("une_daily.csv")

    bare = store_for(Paths(paths.data_dir, tmp_path / "empty-cache", paths.seeds_dir))
    with pytest.raises(DataUnavailable) as raised:
        bare.table("une_daily")
    assert raised.value.code == 503 and "une_daily.csv" in raised.value.description
    status, body = health(bare, strict=True)
    assert status == 503 and body["serving"] is None and body["table"] == "une_daily"


@pytest.mark.slow
def test_a_running_server_survives_bad_data_and_a_restart_starts_on_the_last_good_version(tmp_path):
    """The attack's sequence: a bad cell on a running server, a worker restart, a truncated datapackage.json."""
    paths = copy_data(tmp_path)
    chart = "/download/une-supply-demand.csv"  # built from une_daily
    app = App(paths, tmp_path / "app.log")
    try:
        app.wait_until_serving()
        assert app.health()[0] == 200
        assert app.get(chart)[0] == 200
        edit_cells(paths.data_dir / "une_daily.csv", "peak_demand_mw", "N/A", rows=5)
        status, body = app.health()
        assert status == 503 and body["table"] == "une_daily", body
        assert app.get(f"{chart}?start=2024-01-01")[0] == 200  # a new answer, built from the version in memory
    finally:
        app.stop()

    app = App(paths, tmp_path / "app2.log")  # the worker recycle that used to take the site down
    try:
        app.wait_until_serving()
        status, body = app.health()
        assert status == 503 and body["table"] == "une_daily" and body["serving_from"] == "last good copy", body
        # the load balancer's check: the site serves, so it stays in rotation, told what failed (red-team finding)
        status, body = app.health("/healthz")
        assert status == 200 and body["status"] == "degraded" and body["table"] == "une_daily", body
        assert app.get(chart)[0] == 200
        paths.datapackage.write_bytes(paths.datapackage.read_bytes()[:4000])
        status, body = app.health()
        assert status == 503 and body["failed"] == "datapackage.json", body
        assert app.get("/")[0] == 200 and app.get(f"{chart}?start=2023-01-01")[0] == 200
    finally:
        app.stop()


# -- 6. formula-like cells and links ----------------------------------------------------------------------------------------
def test_spreadsheet_csv_neutralises_formulas_and_keeps_numbers():
    from dashboard.spreadsheet import for_spreadsheets
    from etl.safety import formula_like

    frame = pd.DataFrame(
        {
            "name": [DDE, "+9.7% over 2007", "-12.4% vs 2021", "@SUM(1+1)", "\tx", "\nx", "Plain, with comma", ""],
            "value_mw": [-81.5, -12.0, 0.0, 3.5, None, 1e-3, -2.0, 7.0],
            "code": ["-5", "+3", "1e-3", "-2+3+cmd|' /C calc'!A0", "CU", "=1+1", "x", "y"],
        }
    )
    raw = frame.to_csv(index=False, lineterminator="\n").encode()
    safe = for_spreadsheets(raw).decode()
    rows = list(csv.reader(io.StringIO(safe)))
    assert rows[0] == ["name", "value_mw", "code"]
    names = [r[0] for r in rows[1:]]
    assert names[:6] == [f"'{DDE}", "'+9.7% over 2007", "'-12.4% vs 2021", "'@SUM(1+1)", "'\tx", "'\nx"]
    assert names[6:] == ["Plain, with comma", ""]
    assert [r[2] for r in rows[1:]][:4] == ["-5", "+3", "1e-3", "'-2+3+cmd|' /C calc'!A0"]
    assert ",-81.5," in safe  # a negative number stays an unquoted number
    assert not any(formula_like(cell) for row in rows[1:] for cell in row)
    back = pd.read_csv(io.StringIO(safe))
    assert back["value_mw"].dtype == "float64" and back["value_mw"].iloc[0] == -81.5
    assert for_spreadsheets(safe.encode()).decode() == safe  # idempotent: safe to apply at more than one layer


def poisoned_plants(paths: Paths) -> None:
    """A published WRI table carrying the attack's plant name and a javascript: link (published before the ETL
    checked text), recorded consistently in the package so that the version loads."""
    path = paths.data_dir / "power_plants_wri.csv"
    edit_cells(path, "name", DDE, rows=2)
    rehash(paths, ["power_plants_wri.csv"])


def test_the_static_export_csv_is_neutralised(tmp_path):
    from dashboard.data import configure
    from dashboard.export import export
    from etl.safety import formula_like

    paths = copy_data(tmp_path)
    poisoned_plants(paths)
    store = store_for(paths)
    configure(store)
    export(tmp_path / "out", store, "https://example.org", images=False, only=["power-plants-map"])
    text = (tmp_path / "out" / "csv" / "power-plants-map.csv").read_text(encoding="utf-8")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert f"'{DDE}" in cells and DDE not in cells
    assert not any(formula_like(cell) for cell in cells)
    assert "-81.5" in text or any(c.startswith("-8") for c in cells)  # longitudes stay numbers


@pytest.mark.slow
def test_the_chart_csv_download_is_neutralised_and_the_raw_files_stay_exact(tmp_path):
    from etl.safety import formula_like

    paths = copy_data(tmp_path)
    poisoned_plants(paths)
    app = App(paths, tmp_path / "app.log")
    try:
        app.wait_until_serving()
        status, raw = app.get("/files/power_plants_wri.csv")
        assert status == 200 and raw == (paths.data_dir / "power_plants_wri.csv").read_bytes()  # exact, hashed
        status, content = app.get("/download/power-plants-map.csv")
        assert status == 200
        cells = [cell for row in csv.reader(io.StringIO(content.decode())) for cell in row]
        assert f"'{DDE}" in cells and not any(formula_like(cell) for cell in cells)
    finally:
        app.stop()


def wri_with(rows: dict[str, dict[str, str]]) -> bytes:
    """The WRI fixture with some cells replaced, by plant name."""
    records = list(csv.DictReader(io.StringIO(fx.wri_csv().decode())))
    for record in records:
        record.update(rows.get(record["Name"], {}))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue().encode()


def test_the_etl_neutralises_formula_like_upstream_text_and_logs_why(paths, server, upstream_tree):
    from etl.safety import formula_like

    (upstream_tree / WRI_FILE).write_bytes(
        wri_with(
            {
                "Test Thermal One": {"Name": DDE, "Owner": "@SUM(1+1)*cmd|' /C calc'!A0"},
                "Test Wind Two": {"Location": "-2+3+cmd|' /C calc'!A0", "URL": "javascript:alert(1)"},
            }
        )
    )
    run = cli(["refresh", "--quiet", "--source", "wri_power_plants", "--mirror", server.url], paths)
    assert_cli_ok(run, "wri_power_plants")
    published = pd.read_csv(paths.data_dir / "power_plants_wri.csv", dtype=str, keep_default_na=False)
    assert f"'{DDE}" in set(published["name"])
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in set(published["owner"])
    assert "'-2+3+cmd|' /C calc'!A0" in set(published["location"])
    assert "javascript:alert(1)" not in set(published["source_url"])  # item 12: only http(s) links are published
    assert set(published["source_url"]) == {"http://example.org/a", ""}
    assert set(published["longitude"]) == {"-81.5", "-76.1"}  # numbers are not text: negatives stay numbers
    for column in published.columns:
        assert not any(formula_like(v) for v in published[column]), column
    # The reason is logged: on stderr (even with --quiet) and in the run log.
    assert "wri_power_plants: note — power_plants_wri.name: neutralised 1 cell(s)" in run.stderr
    assert "power_plants_wri.source_url: removed 1 cell(s) (not an http(s) address)" in run.stderr
    last = json.loads((paths.state_dir / "runs.jsonl").read_text().splitlines()[-1])
    checks = last["sources"]["wri_power_plants"]["text_checks"]
    assert {(c["column"], c["action"]) for c in checks} == {
        ("name", "neutralised"),
        ("owner", "neutralised"),
        ("location", "neutralised"),
        ("source_url", "removed"),
    }
    assert "javascript:alert(1)" in next(c for c in checks if c["column"] == "source_url")["examples"]


def test_the_etl_refuses_a_required_link_that_is_not_http(paths, server):
    first = Refresher(paths, mirror=server.url, env={}, session=make_session(retries=0, backoff=0)).refresh(
        ["wri_power_plants"]
    )
    assert_sources_ok(first, "wri_power_plants")
    before = snapshot_dir(paths.data_dir)
    edit_cells(paths.curated_dir / "events_timeline.csv", "url", "javascript:alert(document.cookie)")
    report = Refresher(paths, mirror=server.url, env={}, session=make_session(retries=0, backoff=0)).refresh(
        ["curated"]
    )
    result = next(r for r in report.results if r.source_id == "curated")
    assert result.status == "failed", result.line()
    assert "events_timeline.url" in result.message and "not an http(s) address" in result.message
    after = snapshot_dir(paths.data_dir)
    assert {k: v for k, v in after.items() if not k.startswith("curated/")} == {
        k: v for k, v in before.items() if not k.startswith("curated/")
    }


def test_neutralise_leaves_plain_numbers_and_ordinary_text_alone():
    from etl.safety import neutralise

    for value in ("-81.5", "+3", "1e-3", "-0", "Unión Eléctrica", "2024-01-01", "http://example.org/a=b"):
        assert neutralise(value) == value, value
    for value in ("=1+1", "+9.7% over 2007", "-cmd", "@x", "\tx", "\rx", "\nx", "\0x"):
        assert neutralise(value) == "'" + value, value


# -- 8. deadlines and the truth about killed runs -----------------------------------------------------------------------
def trickle(path: str, *, headers: bool = False, pause: float = 0.25, count: int = 40):
    """A fixture-server handler that answers `path` one byte (or one header line) at a time, each well within the
    read timeout: the slow-loris of the ETL's side."""

    def handle(handler: BaseHTTPRequestHandler, requested: str, _query: str) -> bool:
        if requested != path:
            return False
        try:
            if headers:
                handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for i in range(count):
                    handler.wfile.write(f"X-Slow-{i}: a\r\n".encode())
                    handler.wfile.flush()
                    time.sleep(pause)
                handler.wfile.write(b"Content-Length: 2\r\n\r\nok")
            else:
                handler.send_response(200)
                handler.send_header("Content-Type", "text/csv")
                handler.send_header("Content-Length", str(count))
                handler.end_headers()
                for _ in range(count):
                    handler.wfile.write(b"x")
                    handler.wfile.flush()
                    time.sleep(pause)
        except OSError:
            pass  # the client gave up: that is the point
        handler.close_connection = True
        return True

    return handle


@pytest.mark.parametrize("part", ["body", "headers"])
def test_get_gives_up_on_an_answer_trickled_past_its_deadline(server, part):
    server.handlers.append(trickle("slow.csv", headers=part == "headers"))
    with pytest.raises(FetchError, match=r"no complete answer within the 1\.5-s deadline per request"):
        get(make_session(retries=0, backoff=0), f"{server.url}/slow.csv", deadline_s=1.5)


def test_the_deadline_per_request_comes_from_the_environment(server, monkeypatch):
    monkeypatch.setenv("CUBA_ETL_DEADLINE", "1")
    server.handlers.append(trickle("slow.csv"))
    with pytest.raises(FetchError, match=r"within the 1-s deadline per request"):
        get(make_session(retries=1, backoff=0), f"{server.url}/slow.csv")


def slow_files(prefix: str, pause: float):
    """Serve every file under `prefix` whole but in three parts with pauses (each shorter than the read timeout)."""

    def handle(handler: BaseHTTPRequestHandler, requested: str, _query: str) -> bool:
        if not requested.startswith(prefix):
            return False
        target = server_root[0] / requested
        content = target.read_bytes()
        try:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(content)))
            handler.end_headers()
            third = len(content) // 3 + 1
            for start in range(0, len(content), third):
                time.sleep(pause)
                handler.wfile.write(content[start : start + third])
                handler.wfile.flush()
        except OSError:
            handler.close_connection = True  # the client gave up
        return True

    server_root: list[Path] = []
    return handle, server_root


def test_a_slow_source_fails_at_its_deadline_and_later_sources_still_run(paths, server, upstream_tree, monkeypatch):
    monkeypatch.setenv("CUBA_ETL_SOURCE_DEADLINE", "2")
    handler, root = slow_files(FACTBOOK_PREFIX, pause=0.4)  # ~1.2 s per file, six files
    root.append(upstream_tree)
    server.handlers.append(handler)
    report = Refresher(paths, mirror=server.url, env={}, session=make_session(retries=0, backoff=0)).refresh(
        ["cia_factbook", "wri_power_plants"]
    )
    results = {r.source_id: r for r in report.results}
    assert results["cia_factbook"].status == "failed", results["cia_factbook"].line()
    assert "the 2-s deadline of source cia_factbook" in results["cia_factbook"].message
    assert results["wri_power_plants"].status == "ok"  # the next source is not starved
    assert not (paths.data_dir / "cia_factbook.csv").exists()
    status = json.loads((paths.state_dir / "status.json").read_text())
    assert status["cia_factbook"]["last_result"] == "failed"


def status_line(paths: Paths, source_id: str) -> tuple[int, str]:
    run = cli(["status"], paths)
    line = next(x for x in run.stdout.splitlines() if x.startswith(f"{source_id} "))
    return run.returncode, line


@pytest.mark.slow
def test_a_killed_refresh_shows_as_interrupted_in_etl_status(paths, server):
    env = {"CUBA_ETL_TIMEOUT": "30"}
    args = ["refresh", "--quiet", "--mirror", server.url, "--source", "wri_power_plants"]
    assert_cli_ok(cli(args, paths, env), "wri_power_plants")
    assert "fresh" in status_line(paths, "wri_power_plants")[1]
    gate = Gate(WRI_FILE)
    server.handlers.append(gate)
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl", *args],
        cwd=REPO,
        env={**os.environ, "CUBA_DATA_DIR": str(paths.data_dir), "CUBA_CACHE_DIR": str(paths.cache_dir), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert gate.arrived.wait(timeout=60), "the refresh never asked for the WRI file"
        line = status_line(paths, "wri_power_plants")[1]
        assert "running" in line and "FAILED" not in line, line  # alive: not a failure (and not disturbed)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    finally:
        gate.released.set()
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=30)
    code, line = status_line(paths, "wri_power_plants")
    assert "FAILED: interrupted: the run started at" in line and "did not finish" in line, line
    assert code == 1
    assert_cli_ok(cli(args, paths, env), "wri_power_plants")  # the next run works and tells the truth again
    assert "fresh" in status_line(paths, "wri_power_plants")[1]


def test_the_dashboard_shows_a_source_left_running_by_a_dead_run_as_failed(tmp_path):
    """The banner and /data read the same status as `etl status`: a source a killed run left "running" failed."""
    paths = copy_data(tmp_path)
    paths.state_dir.mkdir(parents=True)
    entry = {
        "last_result": "running",
        "last_attempt_at": "2026-12-01T03:17:00Z",
        "last_success_at": "2026-11-30T03:17:00Z",
    }
    (paths.state_dir / "status.json").write_text(json.dumps({"wri_power_plants": entry}))
    store = store_for(paths)
    shown = store.source_status()["wri_power_plants"]
    assert shown["last_result"] == "failed" and shown["message"].startswith("interrupted: the run started at"), shown
    assert next(e for e in store.source_staleness() if e["source_id"] == "wri_power_plants")["failed"]


# -- 9. redirects ---------------------------------------------------------------------------------------------------------
class Internal:
    """A second server, on another loopback address: the 'internal service' a redirect must not reach."""

    def __init__(self, body: bytes) -> None:
        outer = self
        self.hits = 0

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                outer.hits += 1
                send(self, 200, body, "text/csv")

        self.httpd = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.2:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def redirect(path: str, location: str):
    def handle(handler: BaseHTTPRequestHandler, requested: str, _query: str) -> bool:
        if requested != path:
            return False
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return True

    return handle


def raw_files(paths: Paths) -> dict[str, bytes]:
    return snapshot_dir(paths.raw_dir) if paths.raw_dir.exists() else {}


def test_a_redirect_to_another_host_is_refused_and_nothing_is_stored(paths, server):
    marker = fx.wri_csv().replace(b"Test Thermal One", b"Internal Secret Plant")
    internal = Internal(marker)
    try:
        server.handlers.append(redirect(WRI_FILE, f"{internal.url}/admin/Cuba.csv"))
        report = Refresher(paths, mirror=server.url, env={}, session=make_session(retries=0, backoff=0)).refresh(
            ["wri_power_plants"]
        )
    finally:
        internal.close()
    result = report.results[0]
    assert result.status == "failed", result.line()
    assert f"redirected to {internal.url}/admin/Cuba.csv" in result.message
    assert "not one of this source's hosts" in result.message and "nothing stored" in result.message
    assert internal.hits == 0  # not even asked
    assert not any(b"Internal Secret Plant" in content for content in raw_files(paths).values())
    assert not (paths.data_dir / "power_plants_wri.csv").exists()
    assert not any(b"Internal Secret Plant" in content for content in snapshot_dir(paths.data_dir).values())


def test_a_redirect_on_the_same_host_is_followed_and_recorded_in_the_sidecar(paths, server, upstream_tree):
    moved = "moved/Cuba.csv"
    (upstream_tree / moved).parent.mkdir(parents=True, exist_ok=True)
    (upstream_tree / moved).write_bytes(fx.wri_csv())
    server.handlers.append(redirect(WRI_FILE, f"/{moved}"))
    report = Refresher(paths, mirror=server.url, env={}, session=make_session(retries=0, backoff=0)).refresh(
        ["wri_power_plants"]
    )
    assert report.results[0].status == "ok", report.results[0].line()
    sidecars = [json.loads(p.read_text()) for p in paths.raw_dir.rglob("*.source.json")]
    (sidecar,) = [s for s in sidecars if s["name"] == "Cuba.csv"]
    assert sidecar["final_url"] == f"{server.url}/{moved}"
    assert sidecar["url"].startswith("https://raw.githubusercontent.com/")


def test_a_redirect_to_a_declared_host_is_followed(server):
    internal = Internal(b"a,b\n1,2\n")
    try:
        server.handlers.append(redirect("declared.csv", f"{internal.url}/declared.csv"))
        session = make_session(retries=0, backoff=0)
        with pytest.raises(FetchError, match="not one of this source's hosts"):
            get(session, f"{server.url}/declared.csv")
        host = internal.url.removeprefix("http://")
        result = get(session, f"{server.url}/declared.csv", allowed_hosts=frozenset({host}))
    finally:
        internal.close()
    assert result.content == b"a,b\n1,2\n" and result.final_url == f"{internal.url}/declared.csv"


# -- 11. a source's tables and the package record, together or not at all ------------------------------------------------
@pytest.fixture
def une_server(upstream_tree: Path):
    une.add_une_archive(upstream_tree)
    with FixtureServer(upstream_tree) as srv:
        yield srv


class FailingRename:
    """os.replace in etl/publish.py fails (EIO) for the `nth` file renamed into data/, as a dying disk would."""

    def __init__(self, data_dir: Path, nth: int) -> None:
        self.data_dir = data_dir.resolve()
        self.nth = nth
        self.seen = 0
        self.failed: list[str] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        outer = self

        class OsProxy:
            def __getattr__(self, name):
                return getattr(os, name)

            @staticmethod
            def replace(src, dst):
                if Path(dst).resolve().parent == outer.data_dir and not Path(dst).name.startswith("."):
                    outer.seen += 1
                    if outer.seen == outer.nth:
                        outer.failed.append(Path(dst).name)
                        raise OSError(errno.EIO, os.strerror(errno.EIO))
                return os.replace(src, dst)

        monkeypatch.setattr(etl.publish, "os", OsProxy())


@pytest.mark.parametrize("nth", [2, 4], ids=["second table", "a later table"])
def test_a_failed_rename_during_the_commit_rolls_every_file_back(paths, une_server, monkeypatch, nth):
    def refresh(sources):
        session = make_session(retries=0, backoff=0)
        return Refresher(paths, mirror=une_server.url, env={}, session=session).refresh(sources)

    assert_sources_ok(refresh(["curated", "une_archive"]), "curated", "une_archive")
    before = snapshot_dir(paths.data_dir)
    revise_curated_inputs(paths)
    fault = FailingRename(paths.data_dir, nth)
    fault.install(monkeypatch)
    report = refresh(["curated"])
    monkeypatch.undo()
    assert fault.failed, "the fault never fired"
    result = next(r for r in report.results if r.source_id == "curated")
    assert result.status == "failed" and "every file kept its old version" in result.message, result.line()
    published = [n for n in before if not n.startswith("curated/")]
    during = snapshot_dir(paths.data_dir)
    assert {n: during[n] for n in published} == {n: before[n] for n in published}
    assert_no_temporary_files(paths.data_dir)
    assert_package_consistent(paths.data_dir)
    assert not (paths.state_dir / etl.publish.JOURNAL).exists()

    assert_sources_ok(refresh(["curated"]), "curated")
    assert_package_consistent(paths.data_dir)
    for name in CURATED_TABLES:
        assert "(revised)" in (paths.data_dir / f"{name}.csv").read_text(encoding="utf-8"), name


@pytest.mark.slow
def test_a_refresh_killed_during_its_commit_changes_nothing_and_the_next_run_recovers(paths, une_server):
    mirror = {"CUBA_ETL_MIRROR": une_server.url}
    assert_cli_ok(
        cli(["refresh", "--quiet", "--source", "curated", "--source", "une_archive"], paths, mirror), "curated"
    )
    before = snapshot_dir(paths.data_dir)
    revise_curated_inputs(paths)
    published = [n for n in before if not n.startswith("curated/")]
    journal = paths.state_dir / etl.publish.JOURNAL
    # Hold the publish lock as the dashboard does while it reads a version: the refresh stages everything, writes its
    # journal and waits at the commit; it is killed there.
    reader = open(paths.state_dir / etl.publish.PUBLISH_LOCK)  # noqa: SIM115 - closed below
    fcntl.flock(reader.fileno(), fcntl.LOCK_SH)
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl", "refresh", "--quiet", "--source", "curated"],
        cwd=REPO,
        env={**os.environ, "CUBA_DATA_DIR": str(paths.data_dir), "CUBA_CACHE_DIR": str(paths.cache_dir), **mirror},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not journal.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the refresh never reached its commit"
            time.sleep(0.05)
        from dashboard.data import load_version

        version = load_version(paths.data_dir)  # what a reader sees while the commit waits: the old version, whole
        assert version.files["datapackage.json"] == before["datapackage.json"]
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    finally:
        reader.close()
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=30)
    during = snapshot_dir(paths.data_dir)
    assert {n: during[n] for n in published} == {n: before[n] for n in published}
    assert_package_consistent(paths.data_dir)

    rerun = cli(["refresh", "--quiet", "--source", "curated"], paths, mirror)
    assert_cli_ok(rerun, "curated")
    assert "rolled back a publish interrupted mid-commit" in rerun.stderr
    assert not journal.exists()
    assert_no_temporary_files(paths.data_dir)
    assert_every_file_complete(paths.data_dir)
    assert_package_consistent(paths.data_dir)
    for name in CURATED_TABLES:
        assert "(revised)" in (paths.data_dir / f"{name}.csv").read_text(encoding="utf-8"), name


@pytest.mark.parametrize("committed", [False, True], ids=["killed between renames", "killed after the package"])
def test_recover_finishes_or_rolls_back_a_commit_cut_short(tmp_path, committed):
    """The state a kill leaves between two renames of a commit, built by hand: the next run rolls it back (or, once
    the new package is in place, finishes it)."""
    data, state = tmp_path / "data", tmp_path / "state"
    data.mkdir()
    state.mkdir()
    old = {"a.csv": b"a\n1\n", "b.csv": b"b\n1\n", "datapackage.json": b'{"v": "old"}\n'}
    new = {"a.csv": b"a\n2\n", "b.csv": b"b\n2\n", "c.csv": b"c\n2\n", "datapackage.json": b'{"v": "new"}\n'}
    for name, content in old.items():
        (data / name).write_bytes(content)
    entries = []
    for name in ("a.csv", "b.csv", "c.csv", "datapackage.json"):
        tmp = f".{name}.x.tmp"
        (data / tmp).write_bytes(new[name])
        entries.append({"target": name, "tmp": tmp, "backup": f".{name}.k.bak" if name in old else None})
    (state / etl.publish.JOURNAL).write_text(
        json.dumps({"package_sha256": hashlib.sha256(new["datapackage.json"]).hexdigest(), "files": entries})
    )
    # The package is renamed last (the commit point): killed after it, every table is already in place.
    renamed = ["a.csv", "b.csv", "c.csv", "datapackage.json"] if committed else ["a.csv", "c.csv"]
    for name in renamed:  # a's and the package's old versions were linked first, as the commit does
        if name in old:
            os.link(data / name, data / f".{name}.k.bak")
        os.replace(data / f".{name}.x.tmp", data / name)

    note = etl.publish.recover(data, state)
    expected = new if committed else old
    assert {p.name: p.read_bytes() for p in data.iterdir()} == expected
    assert not (state / etl.publish.JOURNAL).exists()
    assert note.startswith("finished" if committed else "rolled back")


def test_an_answer_built_while_a_new_version_is_published_is_sent_but_never_kept_under_the_old_key(tmp_path):
    """Issue 15, mixed versions: a download built from one data version while the next one is published must not
    be cached under the first version's key (where it would be served as that version for the cache's lifetime).
    The build here publishes a new version itself, so the reload lands provably mid-build."""
    from dashboard import serving
    from dashboard.app import create_app
    from dashboard.data import DataStore

    paths = copy_data(tmp_path)
    store = DataStore(paths, reload_check_seconds=0)
    app = create_app(store, site_url="https://energy.example.org")
    cache: dict[str, bytes] = {}

    class Cache:  # the route's cache interface: get/set
        get = staticmethod(cache.get)
        set = staticmethod(cache.__setitem__)

    def build_while_publishing() -> bytes:
        edit_cells(paths.data_dir / "power_plants_wri.csv", "name", "Renamed plant", rows=1)
        rehash(paths, ["power_plants_wri.csv"])  # a consistent new version, as the ETL publishes it
        return b"built from the old version"

    with app.server.test_request_context("/download/power-plants-map.csv"):
        old = serving.pinned_version(store)
        body, hit = serving.cached_or_built(Cache(), f"dl:{old}", build_while_publishing, store, old)
        assert (body, hit) == (b"built from the old version", False)
        assert store.version != old  # the new version was loaded and serves
        assert f"dl:{old}" not in cache  # sent once, never kept under the old key
    with app.server.test_request_context("/download/power-plants-map.csv"):
        current = serving.pinned_version(store)
        serving.cached_or_built(Cache(), f"dl:{current}", lambda: b"current", store, current)
        assert cache[f"dl:{current}"] == b"current"  # an answer of the serving version is kept


def test_a_redirect_from_https_to_http_or_to_another_scheme_is_refused_before_it_is_followed():
    """The rule the fetcher applies at each hop (the end-to-end redirect tests run over plain http on 127.0.0.1;
    there is no TLS server here, so the https → http step is checked on the rule itself)."""
    from etl.http import FetchError, _check_redirect

    allowed = frozenset({"www.une.cu", "127.0.0.1:8765"})
    _check_redirect("https://www.une.cu/a", "https://www.une.cu/b", allowed, "une")  # same host, https: fine
    with pytest.raises(FetchError, match="from https to http"):
        _check_redirect("https://www.une.cu/a", "http://www.une.cu/a", allowed, "une")
    with pytest.raises(FetchError, match="file: address"):
        _check_redirect("https://www.une.cu/a", "file:///etc/passwd", allowed, "une")
    with pytest.raises(FetchError, match="host '10.0.0.1' is not one of this source's hosts"):
        _check_redirect("https://www.une.cu/a", "https://10.0.0.1/admin", allowed, "une")
    with pytest.raises(FetchError, match="host '127.0.0.1:9999'"):  # another port is another service
        _check_redirect("http://127.0.0.1:8765/a", "http://127.0.0.1:9999/a", allowed, "une")


def test_healthz_keeps_a_serving_site_in_rotation_and_fails_only_when_nothing_serves(tmp_path):
    """Red-team finding on the first version: /healthz said 503 while the site served fine from the last good copy,
    and the docs point the load balancer and the container's HEALTHCHECK at it. Now /healthz is 200 "degraded"
    (naming the file) while a good version serves, 503 only when none can; /healthz/data stays strict."""
    from dashboard.data import DataStore, health

    paths = copy_data(tmp_path)
    store = DataStore(paths, reload_check_seconds=0)
    assert health(store) == health(store, strict=True) and health(store)[0] == 200
    edit_cells(paths.data_dir / "une_daily.csv", "peak_demand_mw", "N/A")  # hash no longer matches
    assert health(store)[0] == 200 and health(store)[1]["status"] == "degraded"
    assert health(store, strict=True)[0] == 503
    bare = DataStore(copy_data(tmp_path / "second"), reload_check_seconds=0)
    (bare.paths.data_dir / "datapackage.json").write_text("{", encoding="utf-8")
    assert health(bare)[0] == 503  # nothing good to serve (no last good copy under this cache dir)

"""The refresh end to end over a real local HTTP server: publish, no-change reruns, and failures that lose nothing."""

from __future__ import annotations

import json

import pytest

from etl.http import make_session
from etl.run_log import AlreadyRunning, refresh_lock
from etl.runner import Refresher
from tests.conftest import snapshot_dir
from tests.support import upstream_fixtures as fx
from tests.support.etl_cli import cli as _cli
from tests.support.fixture_server import Fault
from tests.support.output import fixture_quiet

# With the curated tables: the oil import series (a derived source) reads them beside the CIA Factbook.
UPSTREAM_SOURCES = ["owid_energy", "ember_yearly", "cia_factbook", "wri_power_plants", "eia_international", "curated"]
SOURCE_FILES = {
    "owid_energy": fx.mirror_path("https://nyc3.digitaloceanspaces.com/owid-public/data/energy/owid-energy-data.csv"),
    "ember_yearly": fx.mirror_path(
        "https://raw.githubusercontent.com/ember-climate/ember-data-api/main/data/api_country_overview_yearly.csv"
    ),
    "cia_factbook": "raw.githubusercontent.com/factbook/factbook.json/master/central-america-n-caribbean/cu.json",
    "wri_power_plants": fx.mirror_path(
        "https://raw.githubusercontent.com/wri/global-power-plant-database/master/raw_source_files/WRI/Cuba.csv"
    ),
}


def refresh(paths, server, env, sources=None):
    return Refresher(paths, mirror=server.url, env=env, session=make_session(retries=1, backoff=0)).refresh(sources)


def test_full_refresh_publishes_every_table_with_provenance(paths, server, env_with_key):
    report = refresh(paths, server, env_with_key, UPSTREAM_SOURCES)
    assert not report.failed, [r.line() for r in report.failed]
    for table in (
        "owid_energy",
        "ember_yearly",
        "cia_factbook",
        "power_plants_wri",
        "eia_international",
        "electricity_demand_by_source",
        "oil_imports_monthly",
        "oil_imports_yearly",
    ):
        assert (paths.data_dir / f"{table}.csv").exists(), table
    package = json.loads(paths.datapackage.read_text())
    owid = next(r for r in package["resources"] if r["path"] == "owid_energy.csv")
    src = owid["sources"][0]
    assert src["path"] == "https://nyc3.digitaloceanspaces.com/owid-public/data/energy/owid-energy-data.csv"
    assert len(src["sha256"]) == 64 and src["retrieved"].endswith("Z")
    assert owid["licenses"][0]["name"] == "CC-BY-4.0"
    eia = next(r for r in package["resources"] if r["path"] == "eia_international.csv")
    assert "TESTKEY" not in json.dumps(eia)  # the API key never reaches published metadata
    # Raw bytes are kept unchanged beside a provenance sidecar.
    sidecars = list((paths.raw_dir / "owid_energy").rglob("*.source.json"))
    assert len(sidecars) == 1
    meta = json.loads(sidecars[0].read_text())
    raw = sidecars[0].with_name(sidecars[0].name.removesuffix(".source.json")).read_bytes()
    assert raw == fx.owid_csv() and meta["bytes"] == len(raw) and meta["http_status"] == 200


def test_both_demand_vintages_are_published_side_by_side(paths, server, env_with_key):
    refresh(paths, server, env_with_key, ["owid_energy", "ember_yearly"])
    text = (paths.data_dir / "electricity_demand_by_source.csv").read_text()
    assert "Cuba,CUB,2023,Ember," in text and "Cuba,CUB,2023,OWID," in text


def test_second_refresh_against_unchanged_mirror_changes_nothing(paths, server, env_with_key):
    refresh(paths, server, env_with_key, UPSTREAM_SOURCES)
    before = snapshot_dir(paths.data_dir)
    mtimes = {p: p.stat().st_mtime_ns for p in paths.data_dir.rglob("*") if p.is_file()}
    report = refresh(paths, server, env_with_key, UPSTREAM_SOURCES)
    assert not report.changed and not report.failed
    # A derived source waiting for a table this run does not make (the UNE series) stays skipped, never "changed".
    waiting = [r for r in report.results if r.status == "skipped"]
    assert all("not published yet" in r.message for r in waiting), [r.line() for r in waiting]
    assert {r.status for r in report.results} - {"skipped"} == {"no change"}
    assert snapshot_dir(paths.data_dir) == before
    assert {p: p.stat().st_mtime_ns for p in paths.data_dir.rglob("*") if p.is_file()} == mtimes
    # The second run used conditional requests.
    assert any("If-None-Match" in headers for _, headers in server.requests)


def test_a_revised_upstream_value_is_published_and_logged(paths, server, upstream_tree, env_with_key):
    refresh(paths, server, env_with_key, ["owid_energy"])
    rows = fx.owid_rows()
    rows[4]["electricity_demand"] = 15.29  # a new vintage revises Cuba 2023
    (upstream_tree / SOURCE_FILES["owid_energy"]).write_bytes(fx.owid_csv(rows))
    report = refresh(paths, server, env_with_key, ["owid_energy"])
    change = next(t for r in report.results for t in r.tables if t.table == "owid_energy")
    assert change.cells_revised == 1
    assert change.revisions[0]["old"] == "19.74" and change.revisions[0]["new"] == "15.29"
    log = [json.loads(line) for line in paths.changelog.read_text().splitlines()]
    assert log[-1]["sources"]["owid_energy"]["tables"][0]["revisions"][0]["key"] == {"country": "Cuba", "year": "2023"}

    vintage = log[-1]["sources"]["owid_energy"]["new_vintages"][0]
    assert vintage["file"] == "owid-energy-data.csv" and vintage["previous_sha256"] != vintage["sha256"]


FAULTS = {
    "timeout": Fault("sleep", seconds=1.2),
    "http 500": Fault("status", 500),
    "http 404": Fault("status", 404),
    "truncated": Fault("truncate"),
    "html instead of data": Fault("body", body=b"<!DOCTYPE html><html><body>Maintenance</body></html>"),
    "empty 200": Fault("body", body=b"", content_type="text/csv"),
    "10x larger body": Fault("oversize"),
}


@pytest.mark.parametrize("fault_name", list(FAULTS))
@pytest.mark.parametrize("source_id", list(SOURCE_FILES))
def test_a_failing_source_leaves_published_data_byte_identical(
    paths, server, env_with_key, monkeypatch, source_id, fault_name
):
    monkeypatch.setenv("CUBA_ETL_TIMEOUT", "0.4")
    refresh(paths, server, env_with_key, [source_id])
    before = snapshot_dir(paths.data_dir)
    server.faults[SOURCE_FILES[source_id]] = Fault(**FAULTS[fault_name].__dict__)
    report = refresh(paths, server, env_with_key, [source_id])
    result = next(r for r in report.results if r.source_id == source_id)
    assert result.status == "failed", result.line()
    assert result.message, "the failure must say why"
    assert snapshot_dir(paths.data_dir) == before


def test_schema_drift_and_absurd_values_are_rejected(paths, server, upstream_tree, env_with_key):
    refresh(paths, server, env_with_key, ["owid_energy", "ember_yearly"])
    before = snapshot_dir(paths.data_dir)
    rows = fx.owid_rows()
    rows[0]["oil_share_elec"] = 250
    (upstream_tree / SOURCE_FILES["owid_energy"]).write_bytes(fx.owid_csv(rows))
    ember = fx.ember_csv().replace(b"demand_twh,", b"demand_terawatt_hours,", 1)
    (upstream_tree / SOURCE_FILES["ember_yearly"]).write_bytes(ember)
    report = refresh(paths, server, env_with_key, ["owid_energy", "ember_yearly"])
    by_id = {r.source_id: r for r in report.results}
    assert by_id["owid_energy"].status == "failed" and "oil_share_of_electricity_pct" in by_id["owid_energy"].message
    assert by_id["ember_yearly"].status == "failed" and "demand_twh" in by_id["ember_yearly"].message
    assert by_id["electricity_demand_by_source"].status == "skipped"
    assert snapshot_dir(paths.data_dir) == before


def test_a_shrinking_table_is_not_published(paths, server, upstream_tree, env_with_key):
    refresh(paths, server, env_with_key, ["owid_energy"])
    before = snapshot_dir(paths.data_dir)
    (upstream_tree / SOURCE_FILES["owid_energy"]).write_bytes(fx.owid_csv(fx.owid_rows()[:3]))
    report = refresh(paths, server, env_with_key, ["owid_energy"])
    assert "shrink" in report.results[0].message or "go back" in report.results[0].message
    assert snapshot_dir(paths.data_dir) == before


def test_one_failed_source_does_not_stop_the_others(paths, server, env_with_key):
    server.faults[SOURCE_FILES["owid_energy"]] = Fault("status", 500)
    report = refresh(paths, server, env_with_key, ["owid_energy", "wri_power_plants"])
    by_id = {r.source_id: r.status for r in report.results}
    assert by_id["owid_energy"] == "failed" and by_id["wri_power_plants"] == "ok"


def test_eia_without_key_is_skipped_not_crashed(paths, server):
    report = refresh(paths, server, {}, ["eia_international"])
    assert report.results[0].status == "skipped" and "EIA_API_KEY" in report.results[0].message
    assert not report.failed


def test_lock_refuses_a_second_refresh(paths):
    with refresh_lock(paths.state_dir), pytest.raises(AlreadyRunning), refresh_lock(paths.state_dir):
        pass


def test_cli_refresh_exit_codes_and_quiet_output(paths, server):
    ok = _cli(["refresh", "--quiet", "--source", "wri_power_plants", "--mirror", server.url], paths)
    assert ok.returncode == 0 and ok.stdout == "" and fixture_quiet(ok.stderr) == ""
    server.faults[SOURCE_FILES["owid_energy"]] = Fault("status", 500)
    bad = _cli(["refresh", "--quiet", "--source", "owid_energy"], paths, {"CUBA_ETL_MIRROR": server.url})
    assert bad.returncode == 1
    assert bad.stderr.startswith("owid_energy: FAILED") and "500" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1  # one line per failed source


def test_cli_sources_and_status(paths, server):
    _cli(["refresh", "--quiet", "--source", "wri_power_plants", "--mirror", server.url], paths)
    listing = _cli(["sources"], paths)
    assert listing.returncode == 0
    assert "wri_power_plants" in listing.stdout and "CC-BY-4.0" in listing.stdout
    assert "raw.githubusercontent.com/wri/global-power-plant-database" in listing.stdout
    status = _cli(["status"], paths)
    assert "wri_power_plants" in status.stdout and "fresh" in status.stdout
    assert status.returncode == 1  # other sources were never refreshed in this data dir


def test_cli_unknown_source_is_a_usage_error(paths):
    result = _cli(["refresh", "--source", "nope"], paths)
    assert result.returncode == 2 and "unknown source" in result.stderr

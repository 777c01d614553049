"""Staleness from content (issue 14, part 8): a table is stale when its latest observation is older than its declared
cadence allows, whatever the fetch did. Checked on the pure rule, the metadata, the published package, the
DataStore, the source line inside images, the /data page (en, es) and `python -m etl status`."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
import yaml

import dashboard.data as data_module
import dashboard.data.datastore as store_module
from dashboard.charts import observation_text, source_line
from dashboard.data import DataStore, SourceRef, TableStaleness
from etl.__main__ import main as etl_main
from etl.meta import FieldMeta, SourceMeta, TableMeta, load_source_meta
from etl.paths import Paths
from etl.publish import publish_table, read_package
from etl.registry import SOURCES_DIR, all_sources
from etl.staleness import content_staleness, declared_table, latest_observation

TODAY = date(2026, 12, 6)


# -- the rule ---------------------------------------------------------------------------------------------------------
def test_a_table_is_stale_from_the_first_day_past_its_cadence():
    assert content_staleness("2026-04-29", 2, date(2026, 5, 1)) == (False, None)  # one note missed: normal
    assert content_staleness("2026-04-29", 2, date(2026, 5, 2)) == (True, "2026-05-02")
    assert content_staleness("2026-04-29", 2, TODAY) == (True, "2026-05-02")  # since when does not move
    assert content_staleness(date(2024, 12, 31), 550, date(2026, 7, 4)) == (False, None)
    assert content_staleness(date(2024, 12, 31), 550, date(2026, 7, 5)) == (True, "2026-07-05")


def test_no_cadence_or_no_observation_is_never_stale():
    assert content_staleness("2020-01-01", None, TODAY) == (False, None)  # curated, irregular
    assert content_staleness("2020-01-01", 0, TODAY) == (False, None)
    assert content_staleness(None, 2, TODAY) == (False, None)
    assert content_staleness("", 2, TODAY) == (False, None)
    assert content_staleness("2027-01-01", 2, TODAY) == (False, None)  # a forecast dated ahead is not late


# -- the latest observation -------------------------------------------------------------------------------------------
def _table(time_type: str, time_column: str = "when", cadence: int | None = 2, where=()) -> TableMeta:
    return TableMeta(
        name="t",
        title="t",
        description="",
        primary_key=(time_column,),
        fields=(FieldMeta(time_column, time_type), FieldMeta("kind", "string"), FieldMeta("value", "number")),
        source_id="s",
        time_column=time_column,
        time_where=where,
        expected_cadence_days=cadence,
    )


def test_latest_observation_is_the_last_day_of_the_latest_period():
    days = pd.DataFrame({"when": ["2026-04-28", "2026-04-29", None], "kind": "x", "value": 1.0})
    assert latest_observation(days, _table("date")) == ("2026-04-29", "day")
    typed = days.assign(when=pd.to_datetime(days["when"]))  # as the dashboard reads it
    assert latest_observation(typed, _table("date")) == ("2026-04-29", "day")
    years = pd.DataFrame({"when": pd.array([2023, 2024, None], dtype="Int64"), "kind": "x", "value": 1.0})
    assert latest_observation(years, _table("integer")) == ("2024-12-31", "year")
    floats = pd.DataFrame({"when": [2023.0, float("nan")], "kind": "x", "value": 1.0})
    assert latest_observation(floats, _table("integer")) == ("2023-12-31", "year")


def test_latest_observation_of_periods_counts_only_the_declared_rows():
    rows = pd.DataFrame({"when": ["2026-03", "2026-04", "2026"], "kind": ["month", "month", "year"], "value": 1.0})
    assert latest_observation(rows, _table("string", where=(("kind", "month"),))) == ("2026-04-30", "month")
    assert latest_observation(rows, _table("string")) == ("2026-12-31", "year")  # why aggregates declare time_where


def test_no_time_column_or_no_rows_gives_no_observation():
    table = _table("date")
    assert latest_observation(pd.DataFrame({"when": [], "kind": [], "value": []}), table) == (None, None)
    assert latest_observation(pd.DataFrame({"when": [None], "kind": "x", "value": 1.0}), table) == (None, None)
    static = TableMeta("t", "t", "", ("id",), (FieldMeta("id", "string"),), "s")
    assert latest_observation(pd.DataFrame({"id": ["a"]}), static) == (None, None)


# -- the metadata -----------------------------------------------------------------------------------------------------
def test_every_table_declares_its_time_column_and_cadence_explicitly():
    """null is a decision (irregular, never stale by content), an absent key is an oversight."""
    for path in sorted(SOURCES_DIR.glob("*.meta.yaml")):
        for name, table in yaml.safe_load(path.read_text())["tables"].items():
            assert "time_column" in table and "expected_cadence_days" in table, f"{path.name}: {name}"
    assert declared_table("une_daily").time_column == "date"
    assert declared_table("une_daily").expected_cadence_days == 2
    assert declared_table("une_aggregates").time_where == (("period_type", "month"),)
    assert declared_table("events_timeline").expected_cadence_days is None  # curated event table
    assert 400 <= declared_table("ember_yearly").expected_cadence_days <= 550


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ("    time_column: nope\n    expected_cadence_days: 2\n", "is not a field"),
        ("    time_column: null\n    expected_cadence_days: 2\n", "expected_cadence_days"),
        ("    time_column: day\n    expected_cadence_days: 0\n", "expected_cadence_days"),
        ("    time_column: day\n    time_where: {nope: x}\n    expected_cadence_days: 2\n", "time_where"),
    ],
)
def test_metadata_refuses_a_cadence_it_could_not_check(tmp_path, extra, error):
    path = tmp_path / "x.meta.yaml"
    path.write_text(
        "id: x\ntitle: X\npublisher: P\nlicence: {name: CC0}\ncitation: c\ncadence_days: 1\ntables:\n"
        f"  x:\n    title: X\n    primary_key: [day]\n{extra}    fields:\n      day: {{type: date}}\n"
    )
    with pytest.raises(ValueError, match=error):
        load_source_meta(path)


# -- the published package --------------------------------------------------------------------------------------------
def _source(table: TableMeta) -> SourceMeta:
    return SourceMeta("s", "S", "P", "https://example.org", {"name": "CC0"}, "c", 1, tables={table.name: table})


def test_the_package_carries_latest_observation_and_cadence_and_a_rerun_fills_an_old_package(tmp_path):
    table = _table("date")
    df = pd.DataFrame({"when": ["2026-04-28", "2026-04-29"], "kind": "x", "value": [1.0, 2.0]})
    package: dict = {}
    assert publish_table(tmp_path, package, table, _source(table), df, [], "2026-11-27T00:00:00Z").changed
    res = package["resources"][0]
    assert res["x_latest_observation"] == "2026-04-29" and res["x_time_resolution"] == "day"
    assert res["x_time_column"] == "when" and res["x_expected_cadence_days"] == 2
    for key in ("x_latest_observation", "x_time_resolution", "x_time_column", "x_expected_cadence_days"):
        del res[key]  # a package written before this change
    csv = (tmp_path / "t.csv").stat().st_mtime_ns
    change = publish_table(tmp_path, package, table, _source(table), df, [], "2026-12-06T00:00:00Z")
    assert not change.changed and (tmp_path / "t.csv").stat().st_mtime_ns == csv  # no table rewritten
    assert package["resources"][0]["x_latest_observation"] == "2026-04-29"
    assert package["resources"][0]["x_last_changed"] == "2026-11-27T00:00:00Z"  # content did not change


# -- the dashboard ----------------------------------------------------------------------------------------------------
def _write_data(root: Path, resources: dict[str, dict], frames: dict[str, pd.DataFrame]) -> Paths:
    data = root / "data"
    data.mkdir(parents=True)
    for name, df in frames.items():
        df.to_csv(data / f"{name}.csv", index=False)
    # Every resource with the sha256 and size of its file, as the ETL publishes it: the dashboard refuses a package
    # whose files it cannot check (issue 15).
    package = {
        "resources": [{"path": f"{n}.csv", "title": n, **r, **_hashed(data / f"{n}.csv")} for n, r in resources.items()]
    }
    (data / "datapackage.json").write_text(json.dumps(package))
    return Paths(data_dir=data, cache_dir=root / "cache", seeds_dir=root / "seeds")


def _hashed(path: Path) -> dict:
    if not path.exists():  # a resource listed without its file (the ETL's status reads only the package)
        return {}
    content = path.read_bytes()
    return {"hash": f"sha256:{hashlib.sha256(content).hexdigest()}", "bytes": len(content)}


def _resource(source_id: str, time_type: str = "date", **extra) -> dict:
    return {
        "x_source_id": source_id,
        "x_cadence_days": 7,
        "x_last_changed": "2026-11-27T00:00:00Z",
        "schema": {"fields": [{"name": "date", "type": time_type}, {"name": "v", "type": "number"}]},
        "sources": [{"title": source_id, "publisher": f"{source_id} publisher", "path": "https://example.org"}],
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        **extra,
    }


def _content(latest: str | None, cadence: int | None, resolution: str = "day") -> dict:
    return {
        "x_time_column": "date",
        "x_time_resolution": resolution if latest else None,
        "x_latest_observation": latest,
        "x_expected_cadence_days": cadence,
    }


@pytest.fixture
def small_store(tmp_path) -> DataStore:
    """une_daily published before tables carried their latest observation (the dashboard computes it), a current
    daily table, and an irregular curated one."""
    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    paths = _write_data(
        tmp_path,
        {
            "une_daily": _resource("une_daily"),
            "fresh_daily": _resource("fresh", **_content(yesterday, 2)),
            "events_timeline": _resource("curated", **_content("2026-03-21", None)),
        },
        {
            "une_daily": pd.DataFrame({"date": ["2026-04-28", "2026-04-29"], "v": [1.0, 2.0]}),
            "fresh_daily": pd.DataFrame({"date": [yesterday], "v": [1.0]}),
            "events_timeline": pd.DataFrame({"date": ["2026-03-21"], "v": [1.0]}),
        },
    )
    return DataStore(paths, reload_check_seconds=0)


def test_the_store_reads_staleness_from_the_package_or_computes_it_once(small_store):
    computed = small_store.staleness("une_daily", TODAY)
    assert computed == TableStaleness("2026-04-29", True, "2026-05-02", 2, "day", "date")
    assert small_store.staleness("fresh_daily").is_stale is False
    assert small_store.table_staleness("events_timeline", TODAY) == TableStaleness(
        "2026-03-21", False, "", None, "day", "date"
    )
    assert isinstance(small_store.staleness(), list)  # per source (fetch), as the stale banner reads it
    ref = small_store.sources("une_daily")[0]
    assert ref.latest_observation == "2026-04-29" and ref.stale_since
    assert ref == SourceRef(ref.title, ref.publisher, ref.url, ref.retrieved, ref.licence, ref.licence_url)


def test_a_table_turns_stale_on_a_day_without_a_publish_and_caches_follow(small_store, monkeypatch):
    """Views and pages are cached by `store.version`: it must change with the day, or a server running for days
    would keep calling a stopped series current."""
    before = small_store.version
    assert not small_store.staleness("fresh_daily").is_stale

    class Later(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(days=5)

    monkeypatch.setattr(store_module, "datetime", Later)
    assert small_store.staleness("fresh_daily").is_stale
    assert small_store.version != before


def test_the_source_line_says_as_of_the_latest_observation_and_stale_in_both_languages():
    stale = SourceRef("UNE", "UNE", "https://x", "2026-11-27", "", "", "une_daily", "2026-04-29", "day", "2026-05-02")
    current = SourceRef("OWID", "OWID", "https://y", "2026-11-27", "", "", "owid_energy", "2025-12-31", "year", "")
    assert "Data as of 29 April 2026 — stale" in source_line([stale], "29 April 2026", "en")
    assert "Datos a 29 de abril de 2026 — desactualizados" in source_line([stale], "", "es")
    filtered = source_line([stale], "31 December 2024", "en").replace("<br>", " ")
    assert "Data as of 31 December 2024 · latest data: 29 April 2026 — stale" in filtered
    assert "últimos datos: 29 de abril de 2026 — desactualizados" in source_line([stale], "2024", "es").replace(
        "<br>", " "
    )
    assert source_line([current], "", "en").endswith("Data as of 2025")
    assert "stale" not in source_line([current], "2024", "en")
    assert observation_text("2026-04-30", "month", "es") == "abril de 2026"
    ember = SourceRef("Ember", "Ember", "https://z", "2026-11-27", "", "", "ember_yearly", "2024-12-31", "year", "x")
    both = source_line([current, ember], "2024", "en").replace("<br>", " ")
    assert "Data as of 2024 · Ember, latest data: 2024 — stale" in both  # which of the two is stale
    # The first-named source stale at the view's own date: said once, not named again (graphics review, round 7)
    first = source_line([stale, current], "29 April 2026", "en").replace("<br>", " ")
    assert "Data as of 29 April 2026 — stale" in first and first.count("UNE") == 1


def _page_text(client, search: str) -> str:
    body = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": "/data"},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200

    def texts(node) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, list):
            return [s for item in node for s in texts(item)]
        if isinstance(node, dict):
            return texts(node["props"].get("children")) if "props" in node else []
        return []

    return " | ".join(texts(response.get_json()["response"]["_pages_content"]["children"]))


def _row(text: str, table: str) -> str:
    start = text.index(f"{table}.csv")
    return text[start : text.index("CSV", start + len(table) + 5)]


def test_the_data_page_shows_as_of_cadence_and_stale_since_in_english_and_spanish(client, small_store):
    previous = data_module.store()
    data_module.configure(small_store)
    try:
        en, es = _page_text(client, ""), _page_text(client, "?lang=es")
    finally:
        data_module.configure(previous)
    row = _row(en, "une_daily")
    assert "29 April 2026" in row and "stale since 2 May 2026" in row and "expected every 2 days" in row
    assert "up to date" not in row
    assert "up to date" in _row(en, "fresh_daily")
    events = _row(en, "events_timeline")
    assert "21 March 2026" in events and "no fixed schedule" in events and "up to date" not in events
    row = _row(es, "une_daily")
    assert "29 de abril de 2026" in row and "desactualizado desde el 2 de mayo de 2026" in row
    assert "se espera cada 2 días" in row and "al día" not in row
    assert "al día" in _row(es, "fresh_daily") and "sin periodicidad fija" in _row(es, "events_timeline")


# -- etl status ---------------------------------------------------------------------------------------------------------
def _all_sources_ok(cache: Path) -> None:
    """Every source fetched fine a minute ago: only content can make `status` fail."""
    state = cache / "state"
    state.mkdir(parents=True)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ok = {"last_attempt_at": now, "last_result": "ok", "last_success_at": now}
    (state / "status.json").write_text(json.dumps({s.id: ok for s in all_sources()}))


def _status(monkeypatch, capsys, paths: Paths, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("CUBA_DATA_DIR", str(paths.data_dir))
    monkeypatch.setenv("CUBA_CACHE_DIR", str(paths.cache_dir))
    code = etl_main(["status", *args])
    return code, capsys.readouterr().out


def test_etl_status_reports_content_staleness_and_exits_1(tmp_path, monkeypatch, capsys):
    paths = _write_data(
        tmp_path,
        {
            "une_daily": _resource("une_daily", **_content("2026-04-29", 2)),
            "events_timeline": _resource("curated", **_content("2026-03-21", None)),
        },
        {},
    )
    _all_sources_ok(paths.cache_dir)
    code, out = _status(monkeypatch, capsys, paths, "--today", "2026-12-06")
    line = next(x for x in out.splitlines() if x.startswith("une_daily ") and "2026-04-29" in x)
    assert "STALE since 2026-05-02" in line and "2d" in line
    events = next(x for x in out.splitlines() if x.startswith("events_timeline "))
    assert "irregular" in events and "STALE" not in events
    assert code == 1
    code, out = _status(monkeypatch, capsys, paths, "--today", "2026-05-01")  # the day before it turned stale
    assert code == 0 and "STALE" not in out and "current" in out


def test_etl_status_computes_the_latest_observation_when_the_package_lacks_it(tmp_path, monkeypatch, capsys):
    paths = _write_data(
        tmp_path,
        {"une_daily": _resource("une_daily")},
        {"une_daily": pd.DataFrame({"date": ["2026-04-28", "2026-04-29"]})},
    )
    _all_sources_ok(paths.cache_dir)
    code, out = _status(monkeypatch, capsys, paths, "--today", "2026-12-06")
    assert code == 1 and "STALE since 2026-05-02 (latest observation 2026-04-29" in out


def test_the_published_daily_grid_series_is_stale_in_december_2026():
    """The case in the issue, on the published data as it is: the series ends 29 April 2026."""
    store = DataStore()
    latest = store.staleness("une_daily", TODAY)
    assert latest.latest_observation >= "2026-04-29"
    if latest.latest_observation == "2026-04-29":
        assert latest.is_stale and latest.stale_since == "2026-05-02"
    assert read_package(store.paths.datapackage)  # the package itself is read, not rewritten

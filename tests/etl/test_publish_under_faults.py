"""Publishing under faults (issue 8): a full disk or a read-only data/ never leaves a half-written file, and upstream
files that changed shape fail their source cleanly.

(a) The data dir fills up (ENOSPC) partway through a source with many tables, or is read-only. Afterwards: the
    source failed with a message naming the error, no temporary file is left in data/, and (issue 15) the package
    record and the source's tables changed together or not at all: every file is its old version, the hashes in
    datapackage.json match. A rerun with the fault gone completes and leaves the package consistent.
(b) The fault matrix tests/etl/test_refresh_end_to_end.py does not cover: every upstream source with fixture support × {HTML error
    page with status 200, the other format's bytes, latin-1 instead of UTF-8, malformed CSV/JSON, schema drift}.
    Published data stay byte-identical, the message names the source and says what is wrong, and the CLI exits 1.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import etl.run_log
import etl.snapshot
from etl.http import make_session
from etl.paths import Paths
from etl.registry import load_source
from etl.runner import Refresher
from etl.sources import (
    cia_factbook,
    eia_international,
    ember_yearly,
    havana_outages,
    owid_energy,
    une_archive,
    wri_power_plants,
)
from tests.conftest import snapshot_dir
from tests.support import une_fixtures as une
from tests.support import upstream_fixtures as fx
from tests.support.etl_cli import cli
from tests.support.fixture_server import Fault, FixtureServer

CURATED_TABLES = list(load_source("curated").meta.tables)


def refresh(paths: Paths, server: FixtureServer, sources: list[str], env: dict[str, str] | None = None):
    session = make_session(retries=0, backoff=0)
    return Refresher(paths, mirror=server.url, env=env or {}, session=session).refresh(sources)


PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def without_dac_override() -> None:
    """preexec for a root child: drop the capabilities that let root ignore file modes (then a 0o555 folder refuses
    root's writes with EACCES, as it does for everyone else). The child keeps uid 0, so it can still run Python."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def modes_apply(folder: Path, preexec) -> bool:
    """Whether a child started with `preexec` is really refused writes into the read-only `folder`."""
    probe = subprocess.run(
        [sys.executable, "-c", f"open({str(folder / '.probe')!r}, 'w')"],
        check=False,
        capture_output=True,
        text=True,
        preexec_fn=preexec,
    )
    if probe.returncode == 0:
        (folder / ".probe").unlink()
    return probe.returncode != 0 and "PermissionError" in probe.stderr


# -- what "nothing half-written" means --------------------------------------------------------------------------------
def assert_no_temporary_files(data_dir: Path) -> None:
    leftovers = [p.name for p in data_dir.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert not leftovers, f"temporary files left in data/: {leftovers}"


def assert_package_consistent(data_dir: Path) -> dict:
    """datapackage.json parses and every resource it lists is on disk with the recorded size and sha256."""
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        content = (data_dir / res["path"]).read_bytes()
        assert res["hash"] == f"sha256:{hashlib.sha256(content).hexdigest()}", f"{res['path']}: hash does not match"
        assert res["bytes"] == len(content), res["path"]
    return package


def assert_every_file_complete(data_dir: Path) -> None:
    """Every CSV parses with a constant column count; every JSON document parses; the changelog is whole lines."""
    for path in data_dir.rglob("*.csv"):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert rows, path.name
        assert {len(r) for r in rows} == {len(rows[0])}, f"{path.name}: ragged rows (cut short?)"
    for path in list(data_dir.glob("*.json")) + list(data_dir.glob("*.jsonld")):
        json.loads(path.read_text(encoding="utf-8"))
    changelog = data_dir / "changelog.jsonl"
    if changelog.exists():
        text = changelog.read_text(encoding="utf-8")
        assert text == "" or text.endswith("\n"), "changelog.jsonl ends in half a line"
        for line in text.splitlines():
            json.loads(line)


def assert_old_or_new(before: dict[str, bytes], during: dict[str, bytes], after: dict[str, bytes]) -> None:
    """Each file after the fault is its version from before the fault or from the successful rerun."""
    for name, content in during.items():
        if name in ("datapackage.json", "changelog.jsonl"):
            continue  # checked for consistency and whole lines (they are rewritten / appended per table)
        versions = {before.get(name), after.get(name)}
        assert content in versions, f"{name} is neither the old nor the new version"


def revise_curated_inputs(paths: Paths) -> None:
    """A hand edit to every curated table (the first row's publisher), so a refresh rewrites every table."""
    for path in sorted(paths.curated_dir.glob("*.csv")):
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        rows[0]["publisher"] = rows[0]["publisher"] + " (revised)"
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")


# -- (a) disk full partway through a multi-table source -----------------------------------------------------------------
class FullDisk:
    """data/ runs out of space at the `nth` write of a file whose name ends with `suffix` (".csv": a table;
    "datapackage.json": the package): from then on every write into data/ stores half its bytes and fails with
    ENOSPC, as a real full disk does (temporary files, datapackage.json, the changelog)."""

    def __init__(self, data_dir: Path, suffix: str, nth: int) -> None:
        self.data_dir = data_dir.resolve()
        self.suffix = suffix
        self.nth = nth
        self.started = 0
        self.full = False
        self.failures: list[str] = []

    def _in_data(self, path: Path) -> bool:
        return path.resolve().parent == self.data_dir

    def wrap(self, handle, path: Path):
        disk = self

        class Handle:
            def __init__(self) -> None:
                self._h = handle

            def write(self, data):
                if disk.full:
                    self._h.write(data[: len(data) // 2])
                    self._h.flush()
                    disk.failures.append(path.name)
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                return self._h.write(data)

            def __getattr__(self, name):
                return getattr(self._h, name)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self._h.close()
                return False

        return Handle()

    def fdopen(self, fd: int, *args, **kwargs):
        """etl.snapshot's os.fdopen: the temporary file of an atomic write."""
        handle = os.fdopen(fd, *args, **kwargs)
        path = Path(os.readlink(f"/proc/self/fd/{fd}"))
        if not self._in_data(path):
            return handle
        if f"{self.suffix}." in path.name:  # ".<target name>.<random>.tmp"
            self.started += 1
            if self.started >= self.nth:
                self.full = True
        return self.wrap(handle, path)

    def open(self, file, mode="r", *args, **kwargs):
        """etl.run_log's open: appends to the changelog."""
        handle = open(file, mode, *args, **kwargs)  # noqa: SIM115 - returned to the caller
        if "a" in mode and self._in_data(Path(file)):
            return self.wrap(handle, Path(file))
        return handle

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        class OsProxy:
            def __getattr__(self, name):
                return getattr(os, name)

        proxy = OsProxy()
        proxy.fdopen = self.fdopen
        monkeypatch.setattr(etl.snapshot, "os", proxy)
        monkeypatch.setattr(etl.run_log, "open", self.open, raising=False)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name the file being written")
@pytest.mark.parametrize(
    ("suffix", "nth"),
    [
        (".csv", 3),  # full when the third table is written
        ("datapackage.json", 1),  # full when the package record is written, after every table
    ],
    ids=["on the third table", "on the package after the tables"],
)
def test_disk_full_during_a_multi_table_source_leaves_nothing_half_written(
    paths, fault_server, monkeypatch, suffix, nth
):
    report = refresh(paths, fault_server, ["curated", "une_archive"])
    assert not report.failed, [r.line() for r in report.failed]
    before = snapshot_dir(paths.data_dir)
    revise_curated_inputs(paths)

    disk = FullDisk(paths.data_dir, suffix, nth)
    disk.install(monkeypatch)
    report = refresh(paths, fault_server, ["curated"])
    monkeypatch.undo()

    result = next(r for r in report.results if r.source_id == "curated")
    assert disk.failures, "the fault never fired"
    assert result.status == "failed", result.line()
    failed_file = f"{CURATED_TABLES[2]}.csv" if suffix == ".csv" else "datapackage.json"
    assert result.message == f"could not write {failed_file}: No space left on device", result.message
    assert any(p.startswith(f"stopped: could not write {failed_file}") for p in report.problems), report.problems
    # Issue 15: the package record and its tables change together or not at all. Nothing was renamed into place,
    # so every file (tables, package, changelog) is its old version and the package matches its files.
    during = snapshot_dir(paths.data_dir)
    published = [name for name in before if not name.startswith("curated/")]  # the inputs were revised on purpose
    assert {n: during[n] for n in published} == {n: before[n] for n in published}
    assert_no_temporary_files(paths.data_dir)
    assert_every_file_complete(paths.data_dir)
    assert_package_consistent(paths.data_dir)

    rerun = refresh(paths, fault_server, ["curated"])
    assert not rerun.failed, [r.line() for r in rerun.failed]
    after = snapshot_dir(paths.data_dir)
    assert_old_or_new(before, during, after)
    assert_no_temporary_files(paths.data_dir)
    assert_every_file_complete(paths.data_dir)
    package = assert_package_consistent(paths.data_dir)
    for name in CURATED_TABLES:
        assert "(revised)" in (paths.data_dir / f"{name}.csv").read_text(encoding="utf-8"), name
    assert {f"{n}.csv" for n in CURATED_TABLES} <= {r["path"] for r in package["resources"]}
    # The changelog has the whole story: what the failed run published and what the rerun finished.
    changed = set()
    for line in (paths.data_dir / "changelog.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for info in record.get("sources", {}).values():
            changed |= {t["table"] for t in info.get("tables", [])}
        for old in record.get("recovered_from_interrupted_run", []):
            for info in old.get("sources", {}).values():
                changed |= {t["table"] for t in info.get("tables", [])}
    assert set(CURATED_TABLES) <= changed


# -- (a) read-only data dir -----------------------------------------------------------------------------------------------
def set_modes(folder: Path, writable: bool) -> None:
    for path in [folder, *folder.rglob("*")]:
        os.chmod(path, (0o755 if writable else 0o555) if path.is_dir() else (0o644 if writable else 0o444))


def test_read_only_data_dir_fails_cleanly_and_the_rerun_publishes(paths, fault_server, monkeypatch):
    mirror = {"CUBA_ETL_MIRROR": fault_server.url}  # the UNE archive, for the daily series derived from curated
    first = cli(["refresh", "--quiet", "--source", "curated", "--source", "une_archive"], paths, mirror)
    assert first.returncode == 0, first.stderr
    revise_curated_inputs(paths)
    before = snapshot_dir(paths.data_dir)
    set_modes(paths.data_dir, writable=False)
    try:
        preexec = without_dac_override if os.geteuid() == 0 else None
        if modes_apply(paths.data_dir, preexec):  # a real read-only folder, through the CLI
            run = cli(["refresh", "--quiet", "--source", "curated"], paths, mirror, preexec)
            assert run.returncode == 1, (run.returncode, run.stderr)
            assert "Traceback" not in run.stderr, run.stderr
            line = run.stderr.strip().splitlines()[0]
        else:  # root that cannot drop its capabilities: simulate what the kernel would answer
            real_mkstemp = tempfile.mkstemp
            data_dir = paths.data_dir.resolve()

            def refuse(*args, dir=None, **kwargs):
                if dir is not None and Path(dir).resolve() == data_dir:
                    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dir))
                return real_mkstemp(*args, dir=dir, **kwargs)

            monkeypatch.setattr(etl.snapshot.tempfile, "mkstemp", refuse)
            report = refresh(paths, fault_server, ["curated"])
            monkeypatch.undo()
            assert report.failed
            line = next(r.line() for r in report.results if r.source_id == "curated")
    finally:
        set_modes(paths.data_dir, writable=True)
    assert line.startswith("curated: FAILED — "), line
    assert "unexpected" not in line, line
    assert "Permission denied" in line and f"{CURATED_TABLES[0]}.csv" in line, line
    assert snapshot_dir(paths.data_dir) == before
    assert_no_temporary_files(paths.data_dir)

    rerun = cli(["refresh", "--quiet", "--source", "curated"], paths, mirror)
    assert rerun.returncode == 0, rerun.stderr
    assert_no_temporary_files(paths.data_dir)
    assert_every_file_complete(paths.data_dir)
    assert_package_consistent(paths.data_dir)
    for name in CURATED_TABLES:
        assert "(revised)" in (paths.data_dir / f"{name}.csv").read_text(encoding="utf-8"), name


# -- (b) upstream files that changed shape --------------------------------------------------------------------------------
def havana_json(year: int, blocks: int = 6, rename: dict[str, str] | None = None, drop: str | None = None) -> dict:
    """analysis_data_<year>.json of une-unwrapped-habana (the fields the parser reads, plus some it ignores)."""
    doc = {
        "sync_date": "2026-01-17T15:45:40-05:00",
        "year": year,
        "first_message": {"id": 1, "date_cuba": f"{year}-01-01 00:00:13", "text": "Estimados clientes…"},
        "last_message": {"id": 2, "date_cuba": f"{year}-12-31 22:15:06", "text": "Avería en Arroyo Arenas"},
        "total_messages": 1000 + year,
        "blocks_analysis": [
            {
                "number": n,
                "mentions": 100 * n,
                "declared_affectations": 10 + n,
                "estimated_affected_seconds": 3600 * (400 + 37 * n + (year - 2022) * 11),
            }
            for n in range(1, blocks + 1)
        ],
    }
    for block in doc["blocks_analysis"]:
        for old, new in (rename or {}).items():
            if old in block:
                block[new] = block.pop(old)
    for old, new in (rename or {}).items():
        if old in doc:
            doc[new] = doc.pop(old)
    if drop:
        doc.pop(drop, None)
    return doc


def havana_path(year: int) -> str:
    return fx.mirror_path(f"{havana_outages.BASE}/analysis_data_{year}.json")


HAVANA_FILE = havana_path(2024)


def add_havana(root: Path) -> None:
    for year in range(havana_outages.FIRST_YEAR, 2026):
        target = root / havana_path(year)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(havana_json(year), ensure_ascii=False), encoding="utf-8")


def _csv_rewrite(content: bytes, rename: dict[str, str] | None = None, drop: str | None = None) -> bytes:
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = [(rename or {}).get(c, c) for c in rows[0]]
    keep = [i for i, c in enumerate(rows[0]) if c != drop]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([header[i] for i in keep])
    writer.writerows([[r[i] for i in keep] for r in rows[1:]])
    return out.getvalue().encode("utf-8")


def _malformed_csv(content: bytes) -> bytes:
    """The header and a few rows, then a quoted field that never closes (a file cut or badly escaped upstream)."""
    lines = content.decode("utf-8-sig").splitlines()
    return ("\n".join(lines[:3]) + '\n"unterminated,quote,' + ",".join(["x"] * 5) + "\n").encode()


def _latin1(content: bytes, old: str, new: str) -> bytes:
    """The same file, with one accented name, saved as latin-1 instead of UTF-8."""
    text = content.decode("utf-8-sig").replace(old, new, 1)
    assert new in text
    return text.encode("latin-1", errors="replace")


HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Service unavailable</title></head><body>Try later</body></html>"

SOURCES = {
    # source id: (file in the fixture tree, kind, extra sources for the first refresh)
    "owid_energy": (fx.mirror_path(owid_energy.URL), "csv", []),
    "ember_yearly": (fx.mirror_path(ember_yearly.URL), "csv", []),
    "cia_factbook": (fx.mirror_path(f"{cia_factbook.BASE}/{next(iter(cia_factbook.COUNTRY_FILES))}"), "json", []),
    "wri_power_plants": (fx.mirror_path(wri_power_plants.URL), "csv", []),
    "eia_international": (fx.mirror_path(eia_international.query_url("TESTKEY")), "json", []),
    "une_archive": (fx.mirror_path(une_archive.ALBERTE03_URL), "csv", ["curated"]),
    "havana_outages": (HAVANA_FILE, "json", []),
}


def fault_key(source_id: str) -> str:
    """The fixture server injects faults by URL path (the EIA file is one query of an API path)."""
    path = SOURCES[source_id][0]
    return path.split("@", 1)[0].rstrip("/") + ("/" if "@" in path else "")


def faulty_body(source_id: str, fault: str, original: bytes) -> tuple[bytes, str]:
    """The bytes (and content type) the upstream serves instead of its file, with status 200."""
    kind = SOURCES[source_id][1]
    if fault == "html page with 200":
        return HTML_PAGE, "text/html; charset=utf-8"
    if fault == "the other format":
        if kind == "csv":
            return json.dumps({"data": [{"country": "Cuba", "year": 2024}]}).encode(), "application/json"
        return b"country,year,value\nCuba,2024,1\n", "text/csv"
    if fault == "latin-1 instead of utf-8":
        old, new = {
            "owid_energy": ("Mexico", "México"),
            "ember_yearly": ("Mexico", "México"),
            "cia_factbook": ("A fixture for", "Año fixture for"),
            "wri_power_plants": ("Unión", "Unión"),
            "eia_international": ('"Mexico"', '"México"'),
            "une_archive": ("pronostica", "pronóstica"),
            "havana_outages": ("Avería", "Avería"),
        }[source_id]
        return _latin1(original, old, new), "text/plain"
    if fault == "malformed":
        if kind == "csv":
            return _malformed_csv(original), "text/csv"
        return original[: len(original) * 2 // 3], "application/json"
    if fault == "schema drift":
        drift = {
            "owid_energy": lambda c: _csv_rewrite(c, drop="oil_electricity"),
            "ember_yearly": lambda c: _csv_rewrite(c, drop="country_code"),
            "cia_factbook": lambda c: json.dumps(
                {k if k != "Energy" else "Energy and environment": v for k, v in json.loads(c).items()}
            ).encode(),
            "wri_power_plants": lambda c: _csv_rewrite(c, rename={"Capacity (MW)": "Capacity MW"}),
            "eia_international": lambda c: c.replace(b'"value":', b'"val":'),
            "une_archive": lambda c: _csv_rewrite(c, rename={"Contenido": "Content"}),
            "havana_outages": lambda c: json.dumps(
                havana_json(2024, rename={"estimated_affected_seconds": "affected_seconds"})
            ).encode(),
        }[source_id]
        return drift(original), "application/json" if kind == "json" else "text/csv"
    raise ValueError(fault)


# What the message must say, per fault (besides naming the source).
EXPECTED = {
    "html page with 200": ("HTML",),
    "the other format": ("missing", "expected", "not", "no ", "unexpected shape", "malformed"),
    "latin-1 instead of utf-8": ("UTF-8",),
    "malformed": ("malformed", "not a readable CSV", "unexpected shape", "missing", "expected"),
    "schema drift": ("missing", "expected", "schema drift", "no 'Energy'", "unexpected shape", "no response.data"),
}
FAULTS = list(EXPECTED)
ENV = {"EIA_API_KEY": "TESTKEY"}


@pytest.fixture
def fault_tree(upstream_tree: Path) -> Path:
    une.add_une_archive(upstream_tree)
    add_havana(upstream_tree)
    return upstream_tree


@pytest.fixture
def fault_server(fault_tree: Path):
    with FixtureServer(fault_tree) as srv:
        yield srv


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("source_id", list(SOURCES))
def test_a_changed_upstream_format_fails_the_source_and_changes_nothing(
    paths, fault_server, fault_tree, source_id, fault
):
    path, _kind, extra = SOURCES[source_id]
    first = refresh(paths, fault_server, [*extra, source_id], ENV)
    assert next(r for r in first.results if r.source_id == source_id).status == "ok"
    before = snapshot_dir(paths.data_dir)
    body, content_type = faulty_body(source_id, fault, (fault_tree / path).read_bytes())
    fault_server.faults[fault_key(source_id)] = Fault("body", body=body, content_type=content_type)

    report = refresh(paths, fault_server, [source_id], ENV)
    result = next(r for r in report.results if r.source_id == source_id)
    assert result.status == "failed", f"{fault}: {result.line()}"
    line = result.line()
    assert line.startswith(f"{source_id}: FAILED — "), line
    assert not result.message.startswith("unexpected "), f"a parser crashed instead of explaining: {line}"
    assert any(word in result.message for word in EXPECTED[fault]), line
    assert snapshot_dir(paths.data_dir) == before


CLI_CASES = {  # one CLI run per fault kind, each on a different source
    "html page with 200": "eia_international",
    "the other format": "une_archive",
    "latin-1 instead of utf-8": "wri_power_plants",
    "malformed": "cia_factbook",
    "schema drift": "havana_outages",
}


@pytest.mark.parametrize(("fault", "source_id"), list(CLI_CASES.items()))
def test_cli_exits_1_and_names_the_source(paths, fault_server, fault_tree, fault, source_id):
    path, _kind, extra = SOURCES[source_id]
    env = {**ENV, "CUBA_ETL_MIRROR": fault_server.url}
    ok = cli(["refresh", "--quiet", *(a for sid in [*extra, source_id] for a in ("--source", sid))], paths, env)
    assert ok.returncode == 0, ok.stderr
    before = snapshot_dir(paths.data_dir)
    body, content_type = faulty_body(source_id, fault, (fault_tree / path).read_bytes())
    fault_server.faults[fault_key(source_id)] = Fault("body", body=body, content_type=content_type)
    bad = cli(["refresh", "--quiet", "--source", source_id], paths, env)
    assert bad.returncode == 1, (bad.returncode, bad.stderr)
    assert bad.stdout == ""
    assert bad.stderr.startswith(f"{source_id}: FAILED — "), bad.stderr
    assert "Traceback" not in bad.stderr
    assert snapshot_dir(paths.data_dir) == before

"""Running the refresh in production (issue 7): the shipped scheduler files parse and run the documented command,
the data-commit script commits data/ only and only when it changed, and the refresh stays safe with real
processes — a concurrent second run, a SIGKILL midway — while a live DataStore picks up what it publishes."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import io
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from etl.__main__ import build_parser, cmd_refresh
from etl.paths import Paths
from etl.publish import read_package, sha256, write_package
from etl.snapshot import atomic_write_bytes
from tests.conftest import REPO, snapshot_dir
from tests.support import upstream_fixtures as fx
from tests.support.etl_cli import Gate
from tests.support.output import fixture_quiet

DEPLOY = REPO / "deploy"
CRONTAB = DEPLOY / "cron" / "cuba-energy-refresh.crontab"
SYSTEMD = DEPLOY / "systemd"
WORKFLOW = REPO / ".github" / "workflows" / "refresh.yml"
COMMIT_SCRIPT = REPO / "scripts" / "commit-data-if-changed.sh"
MESSAGE_HELPER = REPO / "scripts" / "changelog_message.py"
APP_DIR = "/srv/cuba-energy"
DOCUMENTED = "cd /srv/cuba-energy && .venv/bin/python -m etl refresh --quiet >> /var/log/cuba-energy/refresh.log 2>&1"

OWID_FILE = fx.mirror_path("https://nyc3.digitaloceanspaces.com/owid-public/data/energy/owid-energy-data.csv")
WRI_FILE = fx.mirror_path(
    "https://raw.githubusercontent.com/wri/global-power-plant-database/master/raw_source_files/WRI/Cuba.csv"
)
UPSTREAM = ["owid_energy", "ember_yearly", "cia_factbook", "wri_power_plants"]  # registry order: WRI comes last
LOCKED = re.compile(
    r"^refresh: another refresh is already running \(pid (\d+) since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$"
)


# -- crontab ----------------------------------------------------------------------------------------------------------
MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}
DAYS = {d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}
CRON_FIELDS = [(0, 59, {}), (0, 23, {}), (1, 31, {}), (1, 12, MONTHS), (0, 7, DAYS)]


def cron_field_ok(text: str, lo: int, hi: int, names: dict[str, int]) -> bool:
    """One of the five time fields: lists of `*`, `n` or `a-b`, each with an optional `/step`, within range."""
    for item in text.lower().split(","):
        match = re.fullmatch(r"(\*|[0-9a-z]+(?:-[0-9a-z]+)?)(?:/([0-9]+))?", item)
        if not match or (match[2] is not None and int(match[2]) == 0):
            return False
        if match[1] == "*":
            continue
        values = []
        for end in match[1].split("-"):
            value = int(end) if end.isdigit() else names.get(end)
            if value is None or not lo <= value <= hi:
                return False
            values.append(value)
        if len(values) == 2 and values[0] > values[1]:
            return False
    return True


def cron_jobs(text: str) -> list[tuple[list[str], str]]:
    """(five time fields, command) for each job line; comments, blank lines and VAR=value lines are skipped."""
    jobs = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or re.match(r"^[A-Za-z_][A-Za-z0-9_]*\s*=", line):
            continue
        *fields, command = line.split(None, 5)
        jobs.append((fields, command))
    return jobs


def test_cron_validator_rejects_bad_fields():
    """The validator used below must be able to fail, or the crontab test proves nothing."""
    good = ["17", "3", "*", "*", "*"]
    assert all(cron_field_ok(f, *spec) for f, spec in zip(good, CRON_FIELDS, strict=True))
    assert cron_field_ok("*/15", *CRON_FIELDS[0]) and cron_field_ok("mon-fri", *CRON_FIELDS[4])
    for index, bad in [(0, "60"), (1, "24"), (2, "0"), (3, "13"), (4, "8"), (0, "*/0"), (1, "5-2"), (3, "foo")]:
        assert not cron_field_ok(bad, *CRON_FIELDS[index]), bad


def test_crontab_line_is_valid_and_runs_the_documented_command():
    jobs = cron_jobs(CRONTAB.read_text())
    assert len(jobs) == 1, jobs
    fields, command = jobs[0]
    assert len(fields) == 5 and all(cron_field_ok(f, *spec) for f, spec in zip(fields, CRON_FIELDS, strict=True))
    assert fields == ["17", "3", "*", "*", "*"]  # nightly at 03:17
    assert "%" not in command  # cron turns an unescaped % into a newline
    assert command.startswith("cd /srv/cuba-energy && ")
    assert command.endswith(">> /var/log/cuba-energy/refresh.log 2>&1")
    # The documented command, optionally under timeout(1): nothing else changes what runs.
    assert command.replace("timeout -k 60 1800 ", "") == DOCUMENTED
    words = shlex.split(command)
    start = words.index("-m")
    assert words[start - 1] == ".venv/bin/python" and words[start + 1] == "etl"
    args = build_parser().parse_args(words[start + 2 : words.index(">>")])
    assert args.func is cmd_refresh and args.quiet and not args.source and not args.mirror


# -- systemd ----------------------------------------------------------------------------------------------------------
def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string((SYSTEMD / name).read_text())
    return parser


def test_refresh_service_and_timer():
    service = unit("cuba-energy-refresh.service")
    assert {"Unit", "Service"} <= set(service.sections())
    svc = service["Service"]
    assert svc["Type"] == "oneshot"
    assert svc["WorkingDirectory"] == APP_DIR and svc["User"] and svc["User"] != "root"
    assert svc["ProtectSystem"] == "strict" and svc["NoNewPrivileges"] == "true"
    assert set(svc["ReadWritePaths"].split()) == {f"{APP_DIR}/data", f"{APP_DIR}/.cache"}
    assert re.fullmatch(r"\d+(min|s|h)?", svc["TimeoutStartSec"])
    assert "75" in svc.get("SuccessExitStatus", "").split()  # "already running" is not a failure of the unit
    assert "network-online.target" in service["Unit"]["After"]
    timer = unit("cuba-energy-refresh.timer")
    assert timer["Timer"]["OnCalendar"] == "*-*-* 03:17:00 UTC"
    assert timer["Timer"]["Persistent"] == "true" and timer["Timer"]["RandomizedDelaySec"]
    assert timer["Timer"].get("Unit", "cuba-energy-refresh.service") == "cuba-energy-refresh.service"
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_refresh_service_runs_the_etl_cli_from_the_repository():
    words = shlex.split(unit("cuba-energy-refresh.service")["Service"]["ExecStart"])
    assert words[0] == f"{APP_DIR}/.venv/bin/python"  # systemd needs an absolute path
    assert words[1:3] == ["-m", "etl"] and (REPO / "etl" / "__main__.py").is_file()
    args = build_parser().parse_args(words[3:])
    assert args.func is cmd_refresh and args.quiet


def test_dashboard_service_runs_gunicorn_on_the_wsgi_module():
    service = unit("cuba-energy-dashboard.service")
    svc = service["Service"]
    assert svc["WorkingDirectory"] == APP_DIR and svc["Restart"] == "on-failure"
    assert svc["ProtectSystem"] == "strict" and service["Install"]["WantedBy"] == "multi-user.target"
    words = shlex.split(svc["ExecStart"])
    assert words == [f"{APP_DIR}/.venv/bin/gunicorn", "-c", "deploy/gunicorn.conf.py", "dashboard.wsgi:server"]
    assert re.search(
        r"^gunicorn==", (REPO / "requirements.txt").read_text(), re.MULTILINE
    )  # the venv will have the binary


def test_dashboard_service_targets_exist():
    """deploy/gunicorn.conf.py and dashboard/wsgi.py are written in a parallel change; checked once they land."""
    conf, wsgi = REPO / "deploy" / "gunicorn.conf.py", REPO / "dashboard" / "wsgi.py"
    missing = [str(p.relative_to(REPO)) for p in (conf, wsgi) if not p.exists()]
    if missing:
        pytest.skip(f"not in the tree yet: {', '.join(missing)}")
    tree = ast.parse(wsgi.read_text())
    names = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if hasattr(t, "id")}
    names |= {a.asname or a.name for node in tree.body if isinstance(node, ast.ImportFrom) for a in node.names}
    assert "server" in names, "dashboard/wsgi.py must define `server` (gunicorn's dashboard.wsgi:server)"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_units_pass_systemd_analyze_verify(tmp_path):
    """Verified as installed, with the app folder mapped to this checkout (verify checks that ExecStart exists)."""
    venv = Path(sys.prefix)
    if not (venv / "bin" / "gunicorn").exists():
        pytest.skip("gunicorn is not installed in this environment")
    names = ["cuba-energy-refresh.service", "cuba-energy-refresh.timer", "cuba-energy-dashboard.service"]
    for name in names:
        text = (SYSTEMD / name).read_text()
        text = text.replace(f"{APP_DIR}/.venv", str(venv)).replace(APP_DIR, str(REPO))
        (tmp_path / name).write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / n) for n in names)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    problems = [line for line in result.stderr.splitlines() if any(n in line for n in names)]
    assert result.returncode == 0 and not problems, result.stderr


# -- GitHub Actions -----------------------------------------------------------------------------------------------------
def test_workflow_runs_nightly_tests_first_and_commits_only_changes():
    text = WORKFLOW.read_text()
    wf = yaml.safe_load(text)
    triggers = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "workflow_dispatch" in triggers
    (cron,) = [entry["cron"] for entry in triggers["schedule"]]
    fields = cron.split()
    assert len(fields) == 5 and all(cron_field_ok(f, *spec) for f, spec in zip(fields, CRON_FIELDS, strict=True))
    assert wf["concurrency"] == {"group": "refresh", "cancel-in-progress": False}
    assert wf["permissions"] == {"contents": "write"}
    (job,) = wf["jobs"].values()
    assert job["timeout-minutes"] == 20
    steps = job["steps"]
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(python["with"]["python-version"]) == "3.11" and python["with"]["cache"] == "pip"
    runs = [s.get("run", "") for s in steps]

    def index(fragment: str) -> int:
        found = [i for i, run in enumerate(runs) if fragment in run]
        assert len(found) == 1, f"exactly one step should run {fragment!r}"
        return found[0]

    install = index("-r requirements.txt")
    tests = index(
        "python -m pytest -q tests/etl/test_refresh_end_to_end.py tests/etl/test_source_parsers.py -p no:cacheprovider"
    )
    refresh = index("python -m etl refresh --quiet")
    commit = index("scripts/commit-data-if-changed.sh")
    assert install < tests < refresh < commit
    assert steps[refresh]["env"]["EIA_API_KEY"] == "${{ secrets.EIA_API_KEY }}"
    assert steps[commit]["env"]["PUSH"] == "1"
    # A failed source must still fail the job, after the other sources' data were committed.
    assert any("steps.refresh.outputs.exit_code" in str(s.get("if", "")) for s in steps[commit + 1 :])
    assert "--allow-empty" not in text and "--allow-empty" not in COMMIT_SCRIPT.read_text()
    for path in re.findall(r"tests/\S+\.py", runs[tests]):
        assert (REPO / path).is_file(), path


# -- the data-commit script ---------------------------------------------------------------------------------------------
RECORD = {
    "started_at": "2026-11-28T03:17:04Z",
    "finished_at": "2026-11-28T03:19:40Z",
    "changed": True,
    "sources": {  # the ETL writes keys sorted; the subject follows the run order given by `summary`
        "claims": {
            "status": "ok",
            "tables": [
                {"table": "claims", "changed": True, "rows": 86, "rows_added": 0, "cells_revised": 2, "kind": "table"},
                {"table": "claims.json", "changed": True, "rows": 0, "kind": "document"},
            ],
            "label_changes": [{"document_id": "doc", "claim_id": "c3", "old": "supported", "new": "contradicted"}],
        },
        "une_daily": {
            "status": "ok",
            "tables": [{"table": "une_daily", "changed": True, "rows": 3, "rows_added": 1, "kind": "table"}],
        },
    },
    "summary": [
        "une_daily: 1 rows added (3 rows)",
        "claims: claims: 2 values revised (86 rows); claims.json: updated",
    ],
}
SUBJECT = "Data refresh 2026-11-28: une_daily +1 row; claims: 1 label changed"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True, timeout=30, env=_git_env()
    ).stdout


def _git_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PUSH", "REMOTE")}
    return {**env, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "PYTHON": sys.executable, **extra}


def commit_data(repo: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the script as the workflow does: by path (so it must be executable), from the repository root."""
    return subprocess.run(
        [str(COMMIT_SCRIPT)], cwd=repo, capture_output=True, text=True, timeout=60, check=False, env=_git_env(**env)
    )


def commits(repo: Path) -> int:
    return int(git(repo, "rev-list", "--count", "HEAD"))


@pytest.fixture
def data_repo(tmp_path: Path) -> Path:
    """A throwaway repository shaped like ours: data/ with a table and a changelog, and a file outside data/."""
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test Bot")
    git(repo, "config", "user.email", "bot@example.org")
    (repo / "data" / "une_daily.csv").write_text("date,peak_deficit_mw\n2026-11-25,1500\n2026-11-26,1620\n")
    (repo / "data" / "changelog.jsonl").write_text(json.dumps({**RECORD, "started_at": "2026-11-27T03:17:00Z"}) + "\n")
    (repo / "README.md").write_text("readme\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    return repo


def publish_new_row(repo: Path) -> None:
    """What a refresh with one new UNE note leaves behind: a new row and a new changelog record."""
    with open(repo / "data" / "une_daily.csv", "a") as handle:
        handle.write("2026-11-27,1710\n")
    with open(repo / "data" / "changelog.jsonl", "a") as handle:
        handle.write(json.dumps(RECORD) + "\n")


def test_commit_script_without_changes_makes_no_commit(data_repo):
    head = git(data_repo, "rev-parse", "HEAD")
    (data_repo / "README.md").write_text("edited outside data/\n")  # not data: must not trigger a commit
    result = commit_data(data_repo)
    assert result.returncode == 0, result.stderr
    assert "nothing to commit" in result.stdout
    assert git(data_repo, "rev-parse", "HEAD") == head


def test_commit_script_commits_data_only_with_a_summary(data_repo):
    before = commits(data_repo)
    publish_new_row(data_repo)
    (data_repo / "README.md").write_text("edited, not staged\n")
    (data_repo / "notes.txt").write_text("staged by someone else\n")
    git(data_repo, "add", "notes.txt")
    result = commit_data(data_repo)
    assert result.returncode == 0, result.stderr
    assert commits(data_repo) == before + 1
    subject, blank, *body = git(data_repo, "log", "-1", "--format=%B").rstrip("\n").split("\n")
    assert subject == SUBJECT and blank == ""
    assert body[:2] == RECORD["summary"]
    assert "  doc/c3: supported → contradicted" in body
    files = git(data_repo, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(files) == ["data/changelog.jsonl", "data/une_daily.csv"]
    assert git(data_repo, "diff", "--cached", "--name-only").split() == ["notes.txt"]  # still staged, not committed
    assert git(data_repo, "diff", "--name-only").split() == ["README.md"]
    again = commit_data(data_repo)
    assert again.returncode == 0 and commits(data_repo) == before + 1  # nothing left: no empty commit


def test_commit_script_falls_back_to_the_diff_without_a_new_record(data_repo):
    """A hand edit (or a run killed after publishing) has no record of its own: the old one must not be reused."""
    (data_repo / "data" / "une_daily.csv").write_text("date,peak_deficit_mw\n2026-11-25,1499\n2026-11-26,1620\n")
    result = commit_data(data_repo, PUSH="1")  # no remote configured: commit locally, do not fail
    assert result.returncode == 0, result.stderr
    assert "no remote" in result.stderr
    message = git(data_repo, "log", "-1", "--format=%B")
    assert message.startswith("Data refresh ") and "(no new changelog record)" in message.splitlines()[0]
    assert "data/une_daily.csv" in message and "1 file changed" in message
    assert "label" not in message  # nothing from the stale record


def test_commit_script_pushes_only_when_asked(data_repo, tmp_path):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(data_repo, "remote", "add", "origin", str(remote))
    git(data_repo, "push", "-q", "origin", "main")
    publish_new_row(data_repo)
    assert commit_data(data_repo).returncode == 0
    local, pushed = git(data_repo, "rev-parse", "HEAD"), git(remote, "rev-parse", "main")
    assert local != pushed  # committed, not pushed
    (data_repo / "data" / "une_daily.csv").write_text("date,peak_deficit_mw\n2026-11-25,1500\n")
    result = commit_data(data_repo, PUSH="1")
    assert result.returncode == 0, result.stderr
    assert git(remote, "rev-parse", "main") == git(data_repo, "rev-parse", "HEAD")


def _helper():
    spec = importlib.util.spec_from_file_location("changelog_message", MESSAGE_HELPER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_message_subject_stays_short_and_mentions_failures_and_uncovered_files():
    helper = _helper()
    many = {
        f"source_{i:02}": {"status": "ok", "tables": [{"table": f"t{i:02}", "rows_added": 1000 + i}]} for i in range(30)
    }
    many["owid_energy"] = {"status": "failed", "message": "HTTP 500", "tables": []}
    record = {"started_at": "2026-11-28T03:17:04Z", "sources": many, "summary": []}
    subject = helper.subject(record)
    assert subject.startswith("Data refresh 2026-11-28: t00 +1,000 rows; ")
    assert len(subject) <= helper.SUBJECT_LIMIT and re.search(r"; and (\d+) more$", subject)
    kept = subject.count(" rows")
    assert int(re.search(r"and (\d+) more$", subject)[1]) == 31 - kept  # 30 tables + the failure, none lost
    assert "1 source failed (owid_energy)" in helper.subject({"sources": {"owid_energy": many["owid_energy"]}})
    staged = ["data/changelog.jsonl", "data/datapackage.json", "data/une_daily.csv", "data/owid_energy.csv"]
    message = helper.message(RECORD, staged, "")
    assert message.split("Also changed (not in this changelog record):\n")[1].split() == ["data/owid_energy.csv"]


# -- real processes: the lock, SIGKILL, a live dashboard ------------------------------------------------------------------
@pytest.fixture
def spawn(paths):
    """Start `python -m etl refresh …` on the test's data dir; whatever is still running at teardown is killed."""
    started: list[subprocess.Popen[str]] = []
    env = {
        **os.environ,
        "CUBA_DATA_DIR": str(paths.data_dir),
        "CUBA_CACHE_DIR": str(paths.cache_dir),
        "CUBA_ETL_TIMEOUT": "30",  # a gated request must not time out while the test holds it
    }

    def start(*args: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "etl", "refresh", *args],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


def finish(proc: subprocess.Popen[str], timeout: float = 90) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, fixture_quiet(err)


def wait_for(gate: Gate, proc: subprocess.Popen[str]) -> None:
    if not gate.arrived.wait(timeout=45):
        proc.kill()
        _, out, err = finish(proc)
        pytest.fail(f"the refresh never requested {gate.path}: {out} {err}")


def assert_package_consistent(data_dir: Path) -> dict:
    """Every listed resource exists with its recorded hash and size; every CSV parses with the listed columns."""
    package = json.loads((data_dir / "datapackage.json").read_text())
    listed = {r["path"] for r in package["resources"]}
    assert listed and {p.name for p in data_dir.glob("*.csv")} <= listed  # no published file without metadata
    for res in package["resources"]:
        content = (data_dir / res["path"]).read_bytes()
        assert res["hash"] == f"sha256:{sha256(content)}" and res["bytes"] == len(content), res["path"]
        if res["path"].endswith(".csv"):
            frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
            assert list(frame.columns) == [f["name"] for f in res["schema"]["fields"]], res["path"]
        else:
            json.loads(content)
    return package


@pytest.mark.slow
def test_a_second_refresh_exits_75_while_the_first_holds_the_lock(paths, server, spawn):
    gate = Gate(WRI_FILE)
    server.handlers.append(gate)
    try:
        first = spawn("--quiet", "--source", "wri_power_plants", "--mirror", server.url)
        wait_for(gate, first)
        started = time.monotonic()
        code, out, err = finish(spawn("--quiet", "--source", "wri_power_plants", "--mirror", server.url), timeout=60)
        assert first.poll() is None  # the lock holder was alive the whole time
    finally:
        gate.released.set()
    assert code == 75 and out == "", err
    match = LOCKED.match(err.strip())
    assert match and int(match[1]) == first.pid, err
    assert time.monotonic() - started < 30  # at once, not after waiting for the lock
    code, out, err = finish(first)
    assert (code, out, err) == (0, "", "")
    runs = (paths.state_dir / "runs.jsonl").read_text().splitlines()
    assert len(runs) == 1  # the refused run left no trace in the run log


@pytest.mark.slow
def test_a_refresh_killed_midway_leaves_data_consistent_and_a_rerun_completes_it(paths, server, upstream_tree, spawn):
    args = ["--quiet", "--mirror", server.url, *(f"--source={s}" for s in UPSTREAM)]
    assert finish(spawn(*args)) == (0, "", "")
    # Upstream moves on: OWID revises Cuba 2023, WRI revises a capacity.
    rows = fx.owid_rows()
    rows[4]["electricity_demand"] = 15.29
    (upstream_tree / OWID_FILE).write_bytes(fx.owid_csv(rows))
    (upstream_tree / WRI_FILE).write_bytes(fx.wri_csv().replace(b",2x100,200,", b",2x100,205,"))
    gate = Gate(WRI_FILE)
    server.handlers.append(gate)
    try:
        killed = spawn(*args)
        wait_for(gate, killed)  # OWID, Ember and the Factbook are done; WRI is being fetched
        killed.send_signal(signal.SIGKILL)
        assert finish(killed, timeout=30)[0] == -signal.SIGKILL
    finally:
        gate.released.set()
    owid = pd.read_csv(paths.data_dir / "owid_energy.csv")
    wri = pd.read_csv(paths.data_dir / "power_plants_wri.csv")
    assert 15.29 in set(owid["electricity_demand_twh"])  # midway: part of this run was published …
    assert 205.0 not in set(wri["capacity_mw"])  # … and part was not
    assert_package_consistent(paths.data_dir)

    assert finish(spawn(*args)) == (0, "", "")  # the lock died with the process; the rerun completes the work
    assert 205.0 in set(pd.read_csv(paths.data_dir / "power_plants_wri.csv")["capacity_mw"])
    assert_package_consistent(paths.data_dir)
    # The revision the killed run published is not lost from the changelog: the rerun records it, old → new.
    last = json.loads(paths.changelog.read_text().splitlines()[-1])
    recovered = last["recovered_from_interrupted_run"]
    revisions = [
        r for rec in recovered for t in rec["sources"].get("owid_energy", {}).get("tables", []) for r in t["revisions"]
    ]
    assert {"old": "19.74", "new": "15.29"}.items() <= revisions[0].items()
    assert any("interrupted run" in line for line in last["summary"])

    before = snapshot_dir(paths.data_dir)
    code, out, err = finish(spawn(*args[1:]))  # not quiet: it prints its verdict
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "no change"
    assert snapshot_dir(paths.data_dir) == before


# -- the dashboard sees new data without a restart ------------------------------------------------------------------------
TABLE, OLD, NEW = "power_plants_wri", 330.0, 331.25  # Antonio Guiteras' capacity in MW


@pytest.fixture
def data_copy(tmp_path: Path) -> Paths:
    shutil.copytree(REPO / "data", tmp_path / "data")
    return Paths(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache", seeds_dir=REPO / "seeds")


def publish_edit(paths: Paths) -> None:
    """Publish like the ETL does: the table by atomic rename, then datapackage.json with the new hash and size."""
    path = paths.data_dir / f"{TABLE}.csv"
    content = path.read_bytes()
    assert content.count(f",{OLD},".encode()) == 1
    content = content.replace(f",{OLD},".encode(), f",{NEW},".encode())
    atomic_write_bytes(path, content)
    package = read_package(paths.datapackage)
    res = next(r for r in package["resources"] if r["path"] == path.name)
    res["hash"], res["bytes"] = f"sha256:{sha256(content)}", len(content)
    write_package(paths.datapackage, package)


def capacity(store) -> float:
    plants = store.table(TABLE)
    return float(plants.loc[plants["name"] == "Antonio Guiteras Powerplant", "capacity_mw"].iloc[0])


def test_dashboard_reloads_a_newly_published_package(data_copy):
    from dashboard.data import DataStore

    store = DataStore(data_copy, reload_check_seconds=0)
    assert capacity(store) == OLD
    assert store.maybe_reload(force=False) is False  # nothing published: no needless reload
    publish_edit(data_copy)
    assert_package_consistent(data_copy.data_dir)
    assert store.maybe_reload(force=False) is True
    assert capacity(store) == NEW


def test_dashboard_checks_the_package_at_most_once_a_minute(data_copy, monkeypatch):
    import dashboard.data as data_module
    import dashboard.data.datastore as datastore_module

    clock = [1000.0]
    monkeypatch.setattr(datastore_module, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    store = data_module.DataStore(data_copy)
    assert store.reload_check_seconds == 60
    checks = []
    real_stamp = store._package_stamp
    monkeypatch.setattr(store, "_package_stamp", lambda: checks.append(clock[0]) or real_stamp())
    assert capacity(store) == OLD
    assert len(checks) == 1
    publish_edit(data_copy)
    clock[0] += 59
    for _ in range(50):
        assert capacity(store) == OLD  # within the minute: served from memory …
    assert len(checks) == 1  # … without touching the file system
    clock[0] += 2
    assert capacity(store) == NEW
    assert checks == [1000.0, 1061.0]

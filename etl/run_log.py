"""The run's record: each source's result, the run report written to `.state/runs.jsonl` (and, when data changed, to
the changelog), the per-source status in `.state/status.json`, and the lock that lets one refresh run at a time.

`etl/runner.py` writes these as it runs; `python -m etl status` and the dashboard's status page read them.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from etl.paths import Paths
from etl.publish import TableChange
from etl.safety import TextNote
from etl.snapshot import iso, utc_now, write_json

RUNNING = "running"  # status.json's last_result while a run is working on the source


class AlreadyRunning(RuntimeError):
    """Another refresh holds the lock."""


@dataclass
class SourceResult:
    source_id: str
    status: str  # ok | no change | failed | skipped
    message: str = ""
    tables: list[TableChange] = field(default_factory=list)
    seconds: float = 0.0
    files_fetched: int = 0
    files_not_modified: int = 0
    label_changes: list[dict[str, Any]] = field(default_factory=list)
    new_vintages: list[dict[str, Any]] = field(default_factory=list)
    text_notes: list[TextNote] = field(default_factory=list)  # cells neutralised or removed before publishing
    # Texts a parser read but did not take, per reason ({"no UNE figures": 12}): the UNE sources' note detector says
    # why it rejects each text, so a layout change upstream shows in the run log instead of as silent gaps. Empty
    # when the source was not parsed (its files unchanged since the last run).
    texts_rejected: dict[str, int] = field(default_factory=dict)
    # Parts of a source that failed while the rest was used, with their cause ("minem: HTTP 503 from …"), as the
    # source's own fetch returns them: an outlet down is named with why, not only counted.
    parts_failed: list[str] = field(default_factory=list)
    write_failed: bool = False  # data/ could not be written (disk full, read-only): later sources would fail too

    def line(self) -> str:
        if self.status == "failed":
            return f"{self.source_id}: FAILED — {self.message}"
        if self.status == "skipped":
            return f"{self.source_id}: skipped — {self.message}"
        changed = [t.summary() for t in self.tables if t.changed]
        failed = f" (part failed: {'; '.join(self.parts_failed)})" if self.parts_failed else ""
        if len(changed) == 1 and changed[0].startswith(f"{self.source_id}: "):
            return changed[0] + failed
        return f"{self.source_id}: " + ("; ".join(changed) if changed else "no change") + failed


@dataclass
class RunReport:
    started_at: str
    finished_at: str = ""
    results: list[SourceResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # run-level failures (data/ not writable), besides sources
    notes: list[str] = field(default_factory=list)  # run-level events worth a line in the log (a recovered commit)

    @property
    def failed(self) -> list[SourceResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def changed(self) -> bool:
        return any(t.changed for r in self.results for t in r.tables)

    def to_record(self) -> dict[str, Any]:
        return {
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "changed": self.changed,
            **({"notes": self.notes} if self.notes else {}),
            "sources": {
                r.source_id: {
                    "status": r.status,
                    "message": r.message,
                    "seconds": round(r.seconds, 2),
                    "files_fetched": r.files_fetched,
                    "files_not_modified": r.files_not_modified,
                    "tables": [asdict(t) for t in r.tables if t.changed],
                    **({"label_changes": r.label_changes} if r.label_changes else {}),
                    **({"new_vintages": r.new_vintages} if r.new_vintages and r.status != "failed" else {}),
                    **({"text_checks": [n.record() for n in r.text_notes]} if r.text_notes else {}),
                    **({"texts_rejected": r.texts_rejected} if r.texts_rejected else {}),
                    **({"parts_failed": r.parts_failed} if r.parts_failed else {}),
                }
                for r in self.results
            },
        }


@contextmanager
def refresh_lock(state_dir: Path) -> Iterator[None]:
    """One refresh at a time: a second one exits at once with AlreadyRunning (flock is released on kill)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    handle = open(state_dir / "refresh.lock", "a+")  # noqa: SIM115 - held for the whole run
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip()
            raise AlreadyRunning(f"another refresh is already running ({holder or 'pid unknown'})") from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {iso(utc_now())}")
        handle.flush()
        # Held shared for the whole run, so that `refresh_in_progress` can tell a live run from a killed one without
        # touching refresh.lock (a probe there could make a starting run exit 75). Blocking: a probe holds it for
        # microseconds.
        running = open(state_dir / RUNNING_PROBE, "a+")  # noqa: SIM115 - held for the whole run
        try:
            fcntl.flock(running.fileno(), fcntl.LOCK_SH)
            yield
        finally:
            running.close()
    finally:
        handle.close()


RUNNING_PROBE = "refresh.running"


def refresh_in_progress(state_dir: Path) -> bool:
    """Whether a refresh process is alive now (the kernel drops its lock when it dies, even by SIGKILL)."""
    try:
        handle = open(state_dir / RUNNING_PROBE)  # noqa: SIM115 - closed below
    except OSError:
        return False
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        handle.close()
    return False


def effective_status(entry: dict[str, Any], in_progress: bool) -> tuple[str, str]:
    """(result, message) of a source's status entry as a reader should see it: a source still marked "running" by
    a run that is no longer alive was interrupted (killed, timed out, machine stopped), which is a failure."""
    result, message = entry.get("last_result", ""), entry.get("message", "")
    if result == RUNNING and not in_progress:
        since = entry.get("last_attempt_at", "?")
        return "failed", f"interrupted: the run started at {since} did not finish (killed or timed out)"
    return result, message


def append_jsonl(path: Path, record: dict[str, Any]) -> None:
    """One whole line, or nothing: a failed append (disk full) is cut back to where it started."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    with open(path, "ab") as handle:
        start = handle.tell()
        try:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        except OSError:
            handle.truncate(start)
            raise


def load_status(paths: Paths) -> dict[str, Any]:
    path = paths.state_dir / "status.json"
    return json.loads(path.read_text()) if path.exists() else {}


def mark_running(paths: Paths, started_at: str, source_ids: list[str]) -> None:
    status = load_status(paths)
    for source_id in source_ids:
        entry = status.setdefault(source_id, {})
        entry["last_attempt_at"] = started_at
        entry["last_result"] = RUNNING
        entry["message"] = ""
    write_json(paths.state_dir / "status.json", status)


def record_status(paths: Paths, started_at: str, results: list[SourceResult]) -> None:
    """Status per source (git-ignored), written as each source finishes."""
    status = load_status(paths)
    for r in results:
        entry = status.setdefault(r.source_id, {})
        entry["last_attempt_at"] = started_at
        entry["last_result"] = r.status
        entry["message"] = r.message
        if r.status in ("ok", "no change"):
            entry["last_success_at"] = started_at
            entry["tables"] = {t.table: t.rows for t in r.tables}
        if r.status == "ok":
            entry["last_change_at"] = started_at
    write_json(paths.state_dir / "status.json", status)


def note_pending(paths: Paths, report: RunReport, result: SourceResult) -> None:
    single = RunReport(started_at=report.started_at, results=[result])
    append_jsonl(paths.state_dir / "pending.jsonl", single.to_record())


def take_pending(paths: Paths) -> list[dict[str, Any]]:
    """Changes published by a run that was killed before it could write the changelog."""
    path = paths.state_dir / "pending.jsonl"
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut by the kill
    path.unlink()
    return records


def record_run(paths: Paths, report: RunReport, recovered: list[dict[str, Any]] | None = None) -> bool:
    """Status per source and the run log (git-ignored); the changelog (published) only when data changed.
    Returns False if the changelog could not be written (its pending records are kept for the next run)."""
    record_status(paths, report.started_at, report.results)
    record = report.to_record()
    if recovered:
        record["recovered_from_interrupted_run"] = recovered
    append_jsonl(paths.state_dir / "runs.jsonl", record)
    if report.changed or recovered:
        record["summary"] = [r.line() for r in report.results if r.status != "no change"]
        for old in recovered or []:
            for sid, info in old.get("sources", {}).items():
                tables = ", ".join(t["table"] for t in info.get("tables", []))
                record["summary"].append(f"{sid}: {tables} changed in the interrupted run of {old['started_at']}")
        try:
            append_jsonl(paths.changelog, record)
        except OSError as exc:
            report.problems.append(
                f"could not write {paths.changelog.name}: {exc.strerror or exc}; the next run records these changes"
            )
            for old in recovered or []:  # back into the pending log, beside this run's records
                append_jsonl(paths.state_dir / "pending.jsonl", old)
            return False
    return True

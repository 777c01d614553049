"""The refresh: fetch → parse → validate → publish, source by source, never letting a failure touch published data.

Each source is all-or-nothing: if any of its files fails to fetch or any of its tables fails validation, none of
its tables change, its previous snapshots stay current, and the other sources still update.
"""

from __future__ import annotations

import copy
import fcntl
import hashlib
import json
import os
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pandas as pd

from etl.http import FetchError, HttpResult, get, make_session, request_deadline_s
from etl.meta import SchemaViolation, TableMeta, check_schema, conform, from_published_text
from etl.paths import Paths
from etl.publish import (
    TableChange,
    Transaction,
    WriteFailed,
    finalize_package,
    package_bytes,
    publish_document,
    publish_table,
    read_package,
    recover,
    sha256,
    write_package,
)
from etl.registry import Source, all_sources, tables_before
from etl.safety import TextNote, UnsafeText, guard_text
from etl.snapshot import Snapshot, SnapshotStore, iso, utc_now, write_json
from etl.sources.base import DeriveContext, FetchContext, ParseError, Resource

SHRINK_TOLERANCE = 0.95  # a table may not lose more than 5% of its rows in one refresh
GROWTH_LIMIT = 5  # an upstream file more than 5× its previous size is suspect (error pages, duplicated dumps)
SOURCE_DEADLINE_ENV = "CUBA_ETL_SOURCE_DEADLINE"  # seconds a source's fetching may take in all
DEFAULT_SOURCE_DEADLINE_S = 900.0
RUNNING = "running"  # status.json's last_result while a run is working on the source


class AlreadyRunning(RuntimeError):
    """Another refresh holds the lock."""


class ValidationFailed(ValueError):
    """A parsed table broke its schema or a plausibility check; it is not published."""


class InputNotPublished(ValidationFailed):
    """A derived source's input table has never been published (its source has not run yet): the derived source
    waits, reported as skipped, and nothing it published before changes."""


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


ALLOW_SHRINK_ENV = "CUBA_ALLOW_SHRINK"


def allowed_to_shrink() -> set[str]:
    """Tables an operator lets lose rows in this run (comma-separated names): a curator's deliberate removal, said
    out loud, never a nightly default."""
    return {n.strip() for n in os.environ.get(ALLOW_SHRINK_ENV, "").split(",") if n.strip()}


def read_published(paths: Paths, table: TableMeta) -> pd.DataFrame | None:
    """The previously published table, typed as its metadata says (for shrink checks and derived sources)."""
    path = paths.data_dir / f"{table.name}.csv"
    if not path.exists():
        return None
    df = from_published_text(pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]), table)
    return conform(df, table) if set(df.columns) == set(table.columns) else df


def validate(df: pd.DataFrame, table: TableMeta, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Schema (pandera, all errors at once) and the no-silent-loss rules against the previous publish."""
    try:
        df = check_schema(df, table)
    except SchemaViolation as exc:
        raise ValidationFailed(str(exc)) from exc
    if previous is not None and len(previous):
        if len(df) < SHRINK_TOLERANCE * len(previous) and table.name not in allowed_to_shrink():
            raise ValidationFailed(
                f"{table.name} would shrink from {len(previous):,} to {len(df):,} rows; refusing to publish"
                f" (if a curator removed rows on purpose, rerun with {ALLOW_SHRINK_ENV}={table.name})"
            )
        for col in ("year", "date"):
            if col in df.columns and col in previous.columns:
                old_max, new_max = previous[col].dropna().max(), df[col].dropna().max()
                if pd.notna(old_max) and (pd.isna(new_max) or str(new_max) < str(old_max)):
                    raise ValidationFailed(
                        f"{table.name}: latest {col} would go back from {old_max} to {new_max}; refusing to publish"
                    )
    today = datetime.now(UTC).date()
    if "year" in df.columns and df["year"].dropna().gt(today.year).any():
        raise ValidationFailed(f"{table.name}: years in the future ({df['year'].max()})")
    for f in table.fields:
        if f.type == "date" and f.name in df.columns and not f.name.startswith(("period_end", "expected")):
            future = df[f.name].dropna()
            future = future[future > today.isoformat()]
            if len(future):
                raise ValidationFailed(f"{table.name}: {f.name} in the future ({future.iloc[0]})")
    return df


def texts_rejected(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """The counts a parser left in its tables' `attrs["rejected"]` ({reason: texts}), summed over the tables and
    sorted by reason: what the run log records as the texts the source read but did not take."""
    counts: dict[str, int] = {}
    for df in tables.values():
        for reason, count in (df.attrs.get("rejected") or {}).items():
            counts[str(reason)] = counts.get(str(reason), 0) + int(count)
    return {reason: counts[reason] for reason in sorted(counts) if counts[reason]}


def check_text(df: pd.DataFrame, table: TableMeta, from_third_party: bool) -> tuple[pd.DataFrame, list[TextNote]]:
    """Links only with http(s) schemes (an optional one that is not is removed, a required one refuses the table);
    in text from third parties (upstream sources), cells a spreadsheet would run as formulas are neutralised. Each
    change is returned with its reason for the run log. Curated and derived text is ours and reviewed by hand."""
    try:
        return guard_text(df, table.name, table.text_columns, table.required_columns, formulas=from_third_party)
    except UnsafeText as exc:
        raise ValidationFailed(str(exc)) from exc


def source_deadline_s() -> float:
    """Seconds one source's fetching may take in all, from $CUBA_ETL_SOURCE_DEADLINE (default 900)."""
    return float(os.environ.get(SOURCE_DEADLINE_ENV, DEFAULT_SOURCE_DEADLINE_S))


class Refresher:
    """Runs sources against one data dir / cache; used by the CLI and by tests alike."""

    def __init__(
        self,
        paths: Paths,
        *,
        mirror: str | None = None,
        session: Any = None,
        env: dict[str, str] | None = None,
        progress: bool = False,
        now: datetime | None = None,
    ) -> None:
        self.paths = paths
        self.mirror = mirror
        self.session = session or make_session()
        self.env = dict(os.environ) if env is None else env
        self.progress = progress
        self.now = now or utc_now()
        self.store = SnapshotStore(paths.raw_dir, paths.state_dir)
        self._fingerprint_cache: dict[str, str] | None = None
        self._source_ends = float("inf")  # monotonic time at which the running source's fetching must stop

    # -- fetching -------------------------------------------------------------------------------------------------
    def fetch(self, source: Source, ctx: FetchContext, result: SourceResult) -> tuple[dict[str, bytes], list[Snapshot]]:
        """Fetch every resource; return raw bytes by name and the snapshots they came from (pending promotion).

        A source with its own `fetch(ctx, fetch_one)` plans requests as it goes (pagination, fallbacks); every
        request still goes through `fetch_one`, i.e. the one session, the snapshot store and the guards."""
        raw: dict[str, bytes] = {}
        snapshots: list[Snapshot] = []

        def fetch_one(res: Resource) -> bytes | None:
            content, snap = self._fetch_resource(source, res, result)
            if snap is not None:
                snapshots.append(snap)
            if content is not None:
                raw[res.name] = content
            return content

        if source.hooks.fetch is not None:
            result.parts_failed = list(source.hooks.fetch(ctx, fetch_one) or ())
            return raw, snapshots
        resources: list[Resource] = source.hooks.resources(ctx)
        for res in _progress(resources, source.id, self.progress):
            fetch_one(res)
        return raw, snapshots

    def _fetch_resource(
        self, source: Source, res: Resource, result: SourceResult
    ) -> tuple[bytes | None, Snapshot | None]:
        current = self.store.current(source.id, res.name)
        if current and not res.refetch:
            return self.store.read(current), current
        # The deadline of this request: its own, or what is left of the source's if that is shorter.
        per_request, left = request_deadline_s(), self._source_ends - time.monotonic()
        if left < per_request:
            budget, what = left, f"the {source_deadline_s():g}-s deadline of source {source.id}"
        else:
            budget, what = per_request, f"the {per_request:g}-s deadline per request"
        if res.deadline_s is not None and res.deadline_s < budget:
            budget, what = res.deadline_s, "the share of its part of the source"
        response: HttpResult = get(
            self.session,
            res.url,
            mirror=self.mirror,
            etag=current.etag if current else None,
            last_modified=current.last_modified if current else None,
            max_bytes=res.max_bytes,
            allow_404=res.optional,
            allowed_hosts=source.meta.own_hosts,
            deadline_s=budget,
            deadline_what=what,
        )
        if response.status == 404:
            if current:  # it existed before: keep what we had rather than lose history
                return self.store.read(current), current
            return None, None
        if response.not_modified:
            if current is None:
                raise FetchError(f"{res.url} answered 304 but no earlier snapshot is cached")
            result.files_not_modified += 1
            return self.store.read(current), current
        if current and current.bytes >= 256 and len(response.content) > GROWTH_LIMIT * current.bytes:
            raise FetchError(
                f"{res.url} grew from {current.bytes:,} to {len(response.content):,} bytes "
                f"(over {GROWTH_LIMIT}×); refusing it until someone checks the upstream"
            )
        result.files_fetched += 1
        snapshot = self.store.save(source.id, res.name, response, self.now)
        if current is None or current.sha256 != snapshot.sha256:
            # A new vintage of an upstream file: recorded in the changelog whether or not the tables change.
            result.new_vintages.append(
                {
                    "file": res.name,
                    "url": snapshot.url,
                    "sha256": snapshot.sha256,
                    "last_modified": snapshot.last_modified,
                    "retrieved": snapshot.retrieved_at,
                    "previous_sha256": current.sha256 if current else None,
                }
            )
        return response.content, snapshot

    # -- one source -----------------------------------------------------------------------------------------------
    def run_source(self, source: Source, package: dict[str, Any]) -> SourceResult:
        started = time.monotonic()
        self._source_ends = started + source_deadline_s()
        result = SourceResult(source.id, "ok")
        missing_env = [k for k in source.meta.requires_env if not self.env.get(k)]
        if missing_env:
            result.status, result.message = "skipped", f"no key: set {', '.join(missing_env)}"
            return result
        try:
            if source.meta.kind == "derived":
                fingerprint = self._fingerprint(source, self._input_hashes(source, package))
                if self._unchanged(source, package, fingerprint, result):
                    return result
            elif source.meta.kind == "curated":
                files = source.hooks.local_files(self.paths)
                fingerprint = self._fingerprint(source, [(p.name, sha256(p.read_bytes())) for p in files])
                if self._unchanged(source, package, fingerprint, result):
                    return result
            previous = {name: read_published(self.paths, t) for name, t in source.meta.tables.items()}
            snapshots: list[Snapshot] = []
            extra_sources: list[dict[str, Any]] = []
            derive_ctx: DeriveContext | None = None
            if source.meta.kind == "derived":
                inputs = self._load_inputs(source)
                derive_ctx = DeriveContext(
                    inputs=inputs,
                    meta=source.meta,
                    vintages=vintages(package, tuple(inputs)),
                    package=package,
                    seeds_dir=self.paths.seeds_dir,
                    previous_documents=self._previous_documents(source),
                    now=self.now,
                )
                tables = source.hooks.derive(derive_ctx)
            elif source.meta.kind == "curated":
                raw = {p.name: p.read_bytes() for p in source.hooks.local_files(self.paths)}
                tables = source.hooks.parse(raw, source.meta)
                extra_sources = []
            else:
                ctx = FetchContext(
                    today=self.now.date(),
                    env=self.env,
                    cached_names=frozenset(self._cached_names(source.id)),
                    published={k: v for k, v in previous.items() if v is not None},
                    read_table=self._read_any_table,
                    deadline_s=source_deadline_s(),
                )
                raw, snapshots = self.fetch(source, ctx, result)
                fingerprint = self._fingerprint(source, sorted((snap.name, snap.sha256) for snap in snapshots))
                if self._unchanged(source, package, fingerprint, result):
                    self.store.promote(snapshots)
                    return result
                if source.hooks.accumulates:
                    tables = source.hooks.parse(raw, source.meta, ctx.published)
                else:
                    tables = source.hooks.parse(raw, source.meta)
            result.texts_rejected = texts_rejected(tables)
            unknown = set(tables) - set(source.meta.tables)
            if unknown:
                raise ValidationFailed(f"parser returned undeclared tables {sorted(unknown)}")
            validated = {}
            for name, table in source.meta.tables.items():
                if name not in tables:
                    raise ValidationFailed(f"parser returned no table {name!r}")
                checked = validate(tables[name], table, previous[name])
                guarded, notes = check_text(checked, table, source.meta.kind == "upstream")
                # What the checks changed must still meet the schema (an enum, a required column): else refused.
                validated[name] = validate(guarded, table, previous[name]) if notes else checked
                result.text_notes.extend(notes)
            problems = list(source.hooks.check(validated)) if source.hooks.check else []
            if problems:
                raise ValidationFailed(
                    "; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else "")
                )
            # Publish: the source's tables, its documents and the package record change together or not at all.
            sources_for = source.hooks.provenance
            changed_at = iso(self.now)
            staged_package = copy.deepcopy(package)
            changes: list[TableChange] = []
            txn = Transaction(self.paths.data_dir, self.paths.state_dir)
            try:
                for name, table in source.meta.tables.items():
                    extra = sources_for(name, validated) if sources_for else extra_sources
                    changes.append(
                        publish_table(
                            self.paths.data_dir,
                            staged_package,
                            table,
                            source.meta,
                            validated[name],
                            snapshots,
                            changed_at,
                            extra,
                            txn=txn,
                        )
                    )
                if derive_ctx is not None and source.hooks.documents is not None:
                    documents, notes = source.hooks.documents(validated, derive_ctx)
                    result.label_changes = notes
                    for name, content in documents.items():
                        if publish_document(
                            self.paths.data_dir, staged_package, name, content, source.meta, changed_at, txn=txn
                        ):
                            changes.append(TableChange(name, True, 0, kind="document"))
                txn.commit(self.paths.datapackage, package_bytes(finalize_package(staged_package)))
            except BaseException:
                txn.abort()
                raise
            package.clear()
            package.update(staged_package)
            result.tables.extend(changes)
            self.store.promote(snapshots)
            self._remember(source, fingerprint)
            if not any(t.changed for t in result.tables):
                result.status = "no change"
        except WriteFailed as exc:
            result.status, result.message, result.write_failed = "failed", str(exc), True
        except InputNotPublished as exc:
            result.status, result.message = "skipped", str(exc)
        except (FetchError, ParseError, ValidationFailed) as exc:
            result.status, result.message = "failed", str(exc)
        except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the other sources; reported loudly
            last = traceback.extract_tb(exc.__traceback__)[-1]
            result.status = "failed"
            result.message = f"unexpected {type(exc).__name__}: {exc} (at {Path(last.filename).name}:{last.lineno})"
        finally:
            result.seconds = time.monotonic() - started
        return result

    def _cached_names(self, source_id: str) -> list[str]:
        index_path = self.paths.state_dir / "snapshots.json"
        if not index_path.exists():
            return []
        index = json.loads(index_path.read_text())
        return [k.split("/", 1)[1] for k in index if k.startswith(f"{source_id}/")]

    # -- no-change fast path -------------------------------------------------------------------------------------
    def _fingerprint(self, source: Source, parts: list[tuple[str, str]]) -> str:
        """What a source's output depends on: its inputs (bytes or published hashes), the ETL code, the seeds."""
        digest = hashlib.sha256(f"{source.id}|{code_hash()}".encode())
        for name, value in parts:
            digest.update(f"|{name}={value}".encode())
        if source.hooks.reads_seeds:
            digest.update(tree_hash(self.paths.seeds_dir).encode())
        return digest.hexdigest()

    def _input_hashes(self, source: Source, package: dict[str, Any]) -> list[tuple[str, str]]:
        recorded = {r["path"]: r.get("hash", "") for r in package.get("resources", [])}
        if source.inputs == ("*",):
            earlier = {f"{t}.csv" for t in tables_before(source.id)}
            return sorted((p, h) for p, h in recorded.items() if p in earlier)
        return [(n, recorded.get(f"{n}.csv", "missing")) for n in source.inputs]

    def _unchanged(self, source: Source, package: dict[str, Any], fingerprint: str, result: SourceResult) -> bool:
        """Same inputs and code as the last successful run, and published files intact: nothing to redo."""
        if self._fingerprints().get(source.id) != fingerprint or source.hooks.read_documents:
            return False  # files read from data/ outside the package (the changelog) are not in the fingerprint
        recorded = {r["path"]: r for r in package.get("resources", [])}
        names = [f"{t}.csv" for t in source.meta.tables] + list(source.hooks.document_names)
        for name in names:
            path = self.paths.data_dir / name
            entry = recorded.get(name)
            if not entry or not path.exists() or entry.get("hash") != f"sha256:{sha256(path.read_bytes())}":
                return False
        rows = (load_status(self.paths).get(source.id) or {}).get("tables", {})
        result.status = "no change"
        result.tables = [TableChange(t, False, int(rows.get(t, 0))) for t in source.meta.tables]
        return True

    def _fingerprints(self) -> dict[str, str]:
        if self._fingerprint_cache is None:
            path = self.paths.state_dir / "fingerprints.json"
            self._fingerprint_cache = json.loads(path.read_text()) if path.exists() else {}
        return self._fingerprint_cache

    def _remember(self, source: Source, fingerprint: str) -> None:
        prints = self._fingerprints()
        prints[source.id] = fingerprint
        write_json(self.paths.state_dir / "fingerprints.json", prints)

    def _read_any_table(self, name: str) -> pd.DataFrame | None:
        from etl.registry import all_tables

        table = all_tables().get(name)
        return read_published(self.paths, table) if table else None

    def _previous_documents(self, source: Source) -> dict[str, bytes]:
        names = (*source.hooks.document_names, *source.hooks.read_documents)
        return {n: (self.paths.data_dir / n).read_bytes() for n in names if (self.paths.data_dir / n).exists()}

    def _load_inputs(self, source: Source) -> dict[str, pd.DataFrame]:
        from etl.registry import all_tables

        tables = all_tables()
        inputs = {}
        wanted = source.inputs
        if wanted == ("*",):  # every published table of the sources that run before this one
            wanted = tuple(n for n in tables_before(source.id) if (self.paths.data_dir / f"{n}.csv").exists())
        optional = set(source.hooks.optional_inputs)
        for name in wanted:
            df = read_published(self.paths, tables[name])
            if df is None:
                if name in optional:
                    continue
                raise InputNotPublished(f"input table {name} is not published yet: run its source first")
            inputs[name] = df
        return inputs

    # -- the whole run --------------------------------------------------------------------------------------------
    def refresh(self, source_ids: list[str] | None = None) -> RunReport:
        sources = select_sources(all_sources(), source_ids)
        report = RunReport(started_at=iso(self.now))
        with refresh_lock(self.paths.state_dir):
            self.paths.data_dir.mkdir(parents=True, exist_ok=True)
            recovered_commit = recover(self.paths.data_dir, self.paths.state_dir)
            if recovered_commit:
                report.notes.append(recovered_commit)
            package = read_package(self.paths.datapackage)
            recovered = self._take_pending()
            # Until each source's result is recorded, status.json says "running": if this process is killed or
            # timed out, `etl status` reports those sources as interrupted (failed), not as last night's success.
            self._mark_running(report.started_at, sources)
            failed_ids: set[str] = set()
            unwritable = ""
            for source in sources:
                required = set(source.inputs) - set(source.hooks.optional_inputs)
                if unwritable:
                    res = SourceResult(source.id, "skipped", f"data/ is not writable ({unwritable})")
                elif required & {t for s in sources if s.id in failed_ids for t in s.meta.tables}:
                    res = SourceResult(source.id, "skipped", "an input source failed in this run")
                else:
                    res = self.run_source(source, package)
                    # Persist metadata after each source, so an interrupted run leaves a consistent package, and
                    # note what it published: if this run is killed, the next one writes it to the changelog.
                    try:
                        write_package(self.paths.datapackage, package)
                    except WriteFailed as exc:  # disk full or read-only: later sources could only widen the gap
                        res.write_failed = True
                        if res.status != "failed":
                            res.status, res.message = "failed", str(exc)
                    if res.write_failed:
                        unwritable = res.message
                        report.problems.append(f"stopped: {res.message}; rerun when data/ is writable")
                    if any(t.changed for t in res.tables):
                        self._note_pending(report, res)
                if res.status == "failed":
                    failed_ids.add(source.id)
                report.results.append(res)
                self._record_status(report.started_at, [res])
            report.finished_at = iso(utc_now())
            if self._record(report, recovered):
                (self.paths.state_dir / "pending.jsonl").unlink(missing_ok=True)
        return report

    def _mark_running(self, started_at: str, sources: list[Source]) -> None:
        status = load_status(self.paths)
        for source in sources:
            entry = status.setdefault(source.id, {})
            entry["last_attempt_at"] = started_at
            entry["last_result"] = RUNNING
            entry["message"] = ""
        write_json(self.paths.state_dir / "status.json", status)

    def _record_status(self, started_at: str, results: list[SourceResult]) -> None:
        """Status per source (git-ignored), written as each source finishes."""
        status = load_status(self.paths)
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
        write_json(self.paths.state_dir / "status.json", status)

    def _note_pending(self, report: RunReport, result: SourceResult) -> None:
        single = RunReport(started_at=report.started_at, results=[result])
        _append_jsonl(self.paths.state_dir / "pending.jsonl", single.to_record())

    def _take_pending(self) -> list[dict[str, Any]]:
        """Changes published by a run that was killed before it could write the changelog."""
        path = self.paths.state_dir / "pending.jsonl"
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

    def _record(self, report: RunReport, recovered: list[dict[str, Any]] | None = None) -> bool:
        """Status per source and the run log (git-ignored); the changelog (published) only when data changed.
        Returns False if the changelog could not be written (its pending records are kept for the next run)."""
        self._record_status(report.started_at, report.results)
        record = report.to_record()
        if recovered:
            record["recovered_from_interrupted_run"] = recovered
        _append_jsonl(self.paths.state_dir / "runs.jsonl", record)
        if report.changed or recovered:
            record["summary"] = [r.line() for r in report.results if r.status != "no change"]
            for old in recovered or []:
                for sid, info in old.get("sources", {}).items():
                    tables = ", ".join(t["table"] for t in info.get("tables", []))
                    record["summary"].append(f"{sid}: {tables} changed in the interrupted run of {old['started_at']}")
            try:
                _append_jsonl(self.paths.changelog, record)
            except OSError as exc:
                report.problems.append(
                    f"could not write {self.paths.changelog.name}: {exc.strerror or exc}; the next run records these "
                    "changes"
                )
                for old in recovered or []:  # back into the pending log, beside this run's records
                    _append_jsonl(self.paths.state_dir / "pending.jsonl", old)
                return False
        return True


def select_sources(sources: list[Source], source_ids: list[str] | None) -> list[Source]:
    """The named sources plus every derived source that reads their tables (so derived data never goes stale)."""
    if not source_ids:
        return sources
    known = {s.id for s in sources}
    unknown = [s for s in source_ids if s not in known]
    if unknown:
        raise KeyError(f"unknown source(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    chosen = set(source_ids)
    produced = {t for s in sources if s.id in chosen for t in s.meta.tables}
    for s in sources:  # registry order is dependency order
        if set(s.inputs) & produced or s.inputs == ("*",):
            chosen.add(s.id)
            produced |= set(s.meta.tables)
    return [s for s in sources if s.id in chosen]


_CODE_HASH: str | None = None


def code_hash() -> str:
    """A hash of the ETL's code and metadata: any change of parser or schema forces a full recompute."""
    global _CODE_HASH
    if _CODE_HASH is None:
        _CODE_HASH = tree_hash(Path(__file__).resolve().parent, suffixes=(".py", ".yaml"))
    return _CODE_HASH


def tree_hash(root: Path, suffixes: tuple[str, ...] = (".py", ".yaml", ".txt")) -> str:
    digest = hashlib.sha256()
    if root.exists():
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def vintages(package: dict[str, Any], tables: tuple[str, ...]) -> dict[str, str]:
    """Per input table, the date of its upstream file: Last-Modified if the server sent one, else retrieval."""
    out = {}
    for res in package.get("resources", []):
        name = res["path"].removesuffix(".csv")
        if name not in tables:
            continue
        dates = []
        for src in res.get("sources", []):
            if src.get("last_modified"):
                try:
                    dates.append(parsedate_to_datetime(src["last_modified"]).date().isoformat())
                    continue
                except (TypeError, ValueError):
                    pass
            if src.get("retrieved"):
                dates.append(src["retrieved"][:10])
        if dates:
            out[name] = max(dates)
    return out


def _append_jsonl(path: Path, record: dict[str, Any]) -> None:
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


def _progress(items: list[Resource], label: str, enabled: bool) -> Any:
    if not enabled or len(items) == 0:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=f"{label:<28}", unit="file", file=sys.stderr, leave=True)


def load_status(paths: Paths) -> dict[str, Any]:
    path = paths.state_dir / "status.json"
    return json.loads(path.read_text()) if path.exists() else {}

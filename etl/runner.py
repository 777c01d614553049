"""The refresh: fetch → parse → validate → publish, source by source, never letting a failure touch published data.

Each source is all-or-nothing: if any of its files fails to fetch or any of its tables fails validation, none of
its tables change, its previous snapshots stay current, and the other sources still update.
"""

from __future__ import annotations

import fcntl
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
import pandera.errors

from etl.http import FetchError, HttpResult, get, make_session
from etl.meta import TableMeta, conform
from etl.paths import Paths
from etl.publish import TableChange, publish_table, read_package, write_package
from etl.registry import Source, all_sources
from etl.snapshot import Snapshot, SnapshotStore, iso, utc_now, write_json
from etl.sources.base import FetchContext, ParseError, Resource

SHRINK_TOLERANCE = 0.95  # a table may not lose more than 5% of its rows in one refresh
GROWTH_LIMIT = 5  # an upstream file more than 5× its previous size is suspect (error pages, duplicated dumps)


class AlreadyRunning(RuntimeError):
    """Another refresh holds the lock."""


class ValidationFailed(ValueError):
    """A parsed table broke its schema or a plausibility check; it is not published."""


@dataclass
class SourceResult:
    source_id: str
    status: str  # ok | no change | failed | skipped
    message: str = ""
    tables: list[TableChange] = field(default_factory=list)
    seconds: float = 0.0
    files_fetched: int = 0
    files_not_modified: int = 0

    def line(self) -> str:
        if self.status == "failed":
            return f"{self.source_id}: FAILED — {self.message}"
        if self.status == "skipped":
            return f"{self.source_id}: skipped — {self.message}"
        changed = [t.summary() for t in self.tables if t.changed]
        if len(changed) == 1 and changed[0].startswith(f"{self.source_id}: "):
            return changed[0]
        return f"{self.source_id}: " + ("; ".join(changed) if changed else "no change")


@dataclass
class RunReport:
    started_at: str
    finished_at: str = ""
    results: list[SourceResult] = field(default_factory=list)

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
            "sources": {
                r.source_id: {
                    "status": r.status,
                    "message": r.message,
                    "seconds": round(r.seconds, 2),
                    "files_fetched": r.files_fetched,
                    "files_not_modified": r.files_not_modified,
                    "tables": [asdict(t) for t in r.tables if t.changed],
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
        yield
    finally:
        handle.close()


def read_published(paths: Paths, table: TableMeta) -> pd.DataFrame | None:
    """The previously published table, typed as its metadata says (for shrink checks and derived sources)."""
    path = paths.data_dir / f"{table.name}.csv"
    if not path.exists():
        return None
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    for f in table.fields:
        if f.name not in df.columns:
            continue
        if f.type == "boolean":
            df[f.name] = df[f.name].map({"true": True, "false": False}).astype("boolean")
    return conform(df, table) if set(df.columns) == set(table.columns) else df


def validate(df: pd.DataFrame, table: TableMeta, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Schema (pandera, all errors at once) and the no-silent-loss rules against the previous publish."""
    try:
        df = conform(df, table)
        df = table.schema().validate(df, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        lines = []
        for _, case in cases.head(8).iterrows():
            lines.append(f"{case.get('column')}: {case.get('check')} (value {case.get('failure_case')!r})")
        more = f" and {len(cases) - 8} more" if len(cases) > 8 else ""
        raise ValidationFailed(f"{table.name} failed validation: " + "; ".join(lines) + more) from exc
    except (ValueError, TypeError) as exc:
        raise ValidationFailed(f"{table.name} failed validation: {exc}") from exc
    if previous is not None and len(previous):
        if len(df) < SHRINK_TOLERANCE * len(previous):
            raise ValidationFailed(
                f"{table.name} would shrink from {len(previous):,} to {len(df):,} rows; refusing to publish"
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

    # -- fetching -------------------------------------------------------------------------------------------------
    def fetch(self, source: Source, ctx: FetchContext, result: SourceResult) -> tuple[dict[str, bytes], list[Snapshot]]:
        """Fetch every resource; return raw bytes by name and the snapshots they came from (pending promotion)."""
        resources: list[Resource] = source.module.resources(ctx)
        raw: dict[str, bytes] = {}
        snapshots: list[Snapshot] = []
        bar = _progress(resources, source.id, self.progress)
        for res in bar:
            current = self.store.current(source.id, res.name)
            if current and not res.refetch:
                raw[res.name] = self.store.read(current)
                snapshots.append(current)
                continue
            response: HttpResult = get(
                self.session,
                res.url,
                mirror=self.mirror,
                etag=current.etag if current else None,
                last_modified=current.last_modified if current else None,
                max_bytes=res.max_bytes,
                allow_404=res.optional,
            )
            if response.status == 404:
                if current:  # it existed before: keep what we had rather than lose history
                    raw[res.name] = self.store.read(current)
                    snapshots.append(current)
                continue
            if response.not_modified:
                if current is None:
                    raise FetchError(f"{res.url} answered 304 but no earlier snapshot is cached")
                result.files_not_modified += 1
                raw[res.name] = self.store.read(current)
                snapshots.append(current)
                continue
            if current and current.bytes >= 256 and len(response.content) > GROWTH_LIMIT * current.bytes:
                raise FetchError(
                    f"{res.url} grew from {current.bytes:,} to {len(response.content):,} bytes "
                    f"(over {GROWTH_LIMIT}×); refusing it until someone checks the upstream"
                )
            result.files_fetched += 1
            snap = self.store.save(source.id, res.name, response, self.now)
            raw[res.name] = response.content
            snapshots.append(snap)
        return raw, snapshots

    # -- one source -----------------------------------------------------------------------------------------------
    def run_source(self, source: Source, package: dict[str, Any]) -> SourceResult:
        started = time.monotonic()
        result = SourceResult(source.id, "ok")
        missing_env = [k for k in source.meta.requires_env if not self.env.get(k)]
        if missing_env:
            result.status, result.message = "skipped", f"no key: set {', '.join(missing_env)}"
            return result
        try:
            previous = {name: read_published(self.paths, t) for name, t in source.meta.tables.items()}
            snapshots: list[Snapshot] = []
            extra_sources: list[dict[str, Any]] = []
            if source.meta.kind == "derived":
                inputs = self._load_inputs(source)
                tables = source.module.derive(inputs, source.meta, vintages(package, source.inputs))
            elif source.meta.kind == "curated":
                raw = {p.name: p.read_bytes() for p in source.module.local_files(self.paths)}
                tables = source.module.parse(raw, source.meta)
                extra_sources = []
            else:
                ctx = FetchContext(
                    today=self.now.date(),
                    env=self.env,
                    cached_names=frozenset(self._cached_names(source.id)),
                    published={k: v for k, v in previous.items() if v is not None},
                )
                raw, snapshots = self.fetch(source, ctx, result)
                tables = source.module.parse(raw, source.meta)
            unknown = set(tables) - set(source.meta.tables)
            if unknown:
                raise ValidationFailed(f"parser returned undeclared tables {sorted(unknown)}")
            validated = {}
            for name, table in source.meta.tables.items():
                if name not in tables:
                    raise ValidationFailed(f"parser returned no table {name!r}")
                validated[name] = validate(tables[name], table, previous[name])
            problems = list(getattr(source.module, "check", lambda _t: [])(validated))
            if problems:
                raise ValidationFailed(
                    "; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else "")
                )
            sources_for = getattr(source.module, "provenance", None)
            changed_at = iso(self.now)
            for name, table in source.meta.tables.items():
                extra = sources_for(name, validated) if sources_for else extra_sources
                result.tables.append(
                    publish_table(
                        self.paths.data_dir, package, table, source.meta, validated[name], snapshots, changed_at, extra
                    )
                )
            self.store.promote(snapshots)
            if not any(t.changed for t in result.tables):
                result.status = "no change"
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

    def _load_inputs(self, source: Source) -> dict[str, pd.DataFrame]:
        from etl.registry import all_tables

        tables = all_tables()
        inputs = {}
        for name in source.inputs:
            df = read_published(self.paths, tables[name])
            if df is None:
                raise ValidationFailed(f"input table {name} is not published yet")
            inputs[name] = df
        return inputs

    # -- the whole run --------------------------------------------------------------------------------------------
    def refresh(self, source_ids: list[str] | None = None) -> RunReport:
        sources = select_sources(all_sources(), source_ids)
        report = RunReport(started_at=iso(self.now))
        with refresh_lock(self.paths.state_dir):
            self.paths.data_dir.mkdir(parents=True, exist_ok=True)
            package = read_package(self.paths.datapackage)
            failed_ids: set[str] = set()
            for source in sources:
                if set(source.inputs) & {t for s in sources if s.id in failed_ids for t in s.meta.tables}:
                    res = SourceResult(source.id, "skipped", "an input source failed in this run")
                else:
                    res = self.run_source(source, package)
                    # Persist metadata after each source, so an interrupted run leaves a consistent package.
                    write_package(self.paths.datapackage, package)
                if res.status == "failed":
                    failed_ids.add(source.id)
                report.results.append(res)
            report.finished_at = iso(utc_now())
            self._record(report)
        return report

    def _record(self, report: RunReport) -> None:
        """Status per source and the run log (git-ignored); the changelog (published) only when data changed."""
        status_path = self.paths.state_dir / "status.json"
        status = json.loads(status_path.read_text()) if status_path.exists() else {}
        for r in report.results:
            entry = status.setdefault(r.source_id, {})
            entry["last_attempt_at"] = report.started_at
            entry["last_result"] = r.status
            entry["message"] = r.message
            if r.status in ("ok", "no change"):
                entry["last_success_at"] = report.started_at
                entry["tables"] = {t.table: t.rows for t in r.tables}
            if r.status == "ok":
                entry["last_change_at"] = report.started_at
        write_json(status_path, status)
        record = report.to_record()
        _append_jsonl(self.paths.state_dir / "runs.jsonl", record)
        if report.changed:
            record["summary"] = [r.line() for r in report.results if r.status != "no change"]
            _append_jsonl(self.paths.changelog, record)


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
        if set(s.inputs) & produced:
            chosen.add(s.id)
            produced |= set(s.meta.tables)
    return [s for s in sources if s.id in chosen]


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
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _progress(items: list[Resource], label: str, enabled: bool) -> Any:
    if not enabled or len(items) == 0:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=f"{label:<28}", unit="file", file=sys.stderr, leave=True)


def load_status(paths: Paths) -> dict[str, Any]:
    path = paths.state_dir / "status.json"
    return json.loads(path.read_text()) if path.exists() else {}

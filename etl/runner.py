"""The refresh: fetch → parse → validate → publish, source by source, never letting a failure touch published data.

Each source is all-or-nothing: if any of its files fails to fetch or any of its tables fails validation, none of
its tables change, its previous snapshots stay current, and the other sources still update.
"""

from __future__ import annotations

import copy
import json
import os
import sys
import time
import traceback
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pandas as pd

from etl.fingerprint import input_hashes, source_fingerprint
from etl.http import FetchError, HttpResult, get, make_session, request_deadline_s
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
from etl.run_log import (
    RunReport,
    SourceResult,
    load_status,
    mark_running,
    note_pending,
    record_run,
    record_status,
    refresh_lock,
    take_pending,
)
from etl.snapshot import Snapshot, SnapshotStore, iso, utc_now, write_json
from etl.sources.base import DeriveContext, FetchContext, ParseError, Resource
from etl.validation import InputNotPublished, ValidationFailed, check_text, read_published, texts_rejected, validate

GROWTH_LIMIT = 5  # an upstream file more than 5× its previous size is suspect (error pages, duplicated dumps)
SOURCE_DEADLINE_ENV = "CUBA_ETL_SOURCE_DEADLINE"  # seconds a source's fetching may take in all
DEFAULT_SOURCE_DEADLINE_S = 900.0


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
                fingerprint = self._fingerprint(source, input_hashes(source, package))
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
        return source_fingerprint(source, parts, self.paths.seeds_dir)

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
            recovered = take_pending(self.paths)
            # Until each source's result is recorded, status.json says "running": if this process is killed or
            # timed out, `etl status` reports those sources as interrupted (failed), not as last night's success.
            mark_running(self.paths, report.started_at, [s.id for s in sources])
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
                        note_pending(self.paths, report, res)
                if res.status == "failed":
                    failed_ids.add(source.id)
                report.results.append(res)
                record_status(self.paths, report.started_at, [res])
            report.finished_at = iso(utc_now())
            if record_run(self.paths, report, recovered):
                (self.paths.state_dir / "pending.jsonl").unlink(missing_ok=True)
        return report


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


def _progress(items: list[Resource], label: str, enabled: bool) -> Any:
    if not enabled or len(items) == 0:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=f"{label:<28}", unit="file", file=sys.stderr, leave=True)

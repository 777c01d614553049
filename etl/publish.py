"""Publishing: validated tables become `data/<table>.csv` (byte-stable formatting) and `data/datapackage.json`
describes them. A source's files and the package record change together or not at all (`Transaction`). Nothing
here fetches or parses."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import io
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from etl.meta import SourceMeta, TableMeta
from etl.snapshot import Snapshot, atomic_write_bytes, stage_bytes, write_json
from etl.staleness import descriptor_fields

PACKAGE_NAME = "cuba-energy-crisis"
PACKAGE_TITLE = "Cuba energy crisis: oil supply, electricity generation and blackouts, with the claims they test"
MAX_REVISIONS_RECORDED = 200


class WriteFailed(RuntimeError):
    """A published file could not be written (disk full, read-only data/). The file keeps its previous complete
    version: writes go to a temporary file that is renamed only once it is complete, and removed otherwise."""


def write_published(path: Path, content: bytes, txn: Transaction | None = None) -> None:
    """Write one published file: staged in `txn` (renamed with the package at its commit), or at once."""
    if txn is not None:
        txn.stage(path, content)
        return
    try:
        atomic_write_bytes(path, content)
    except OSError as exc:
        raise WriteFailed(f"could not write {path.name}: {exc.strerror or exc}") from exc


# -- a source's files and the package record, together or not at all -------------------------------------------------
JOURNAL = "publish-journal.json"
PUBLISH_LOCK = "publish.lock"


@contextmanager
def publish_lock(state_dir: Path, exclusive: bool) -> Iterator[None]:
    """Readers (the dashboard, shared) never see a commit half done (the ETL, exclusive): a commit is a few renames,
    a read is the package and its files' bytes. Without a state dir to lock in (another machine), no lock."""
    try:
        handle = open(state_dir / PUBLISH_LOCK, "a+" if exclusive else "r")  # noqa: SIM115 - closed below
    except OSError:
        if exclusive:
            state_dir.mkdir(parents=True, exist_ok=True)
            handle = open(state_dir / PUBLISH_LOCK, "a+")  # noqa: SIM115 - closed below
        else:
            yield
            return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        handle.close()


class Transaction:
    """Stages a source's new files as complete temporary files beside their targets (a full disk fails here,
    before anything changed), then `commit` swaps them in and renames the new datapackage.json last: that rename is
    the commit point. Old versions are kept as hard links until then, so any failure rolls every file back; a run
    killed in between leaves a journal that the next run (`recover`) rolls back or finishes."""

    def __init__(self, data_dir: Path, state_dir: Path) -> None:
        self.data_dir = data_dir
        self.state_dir = state_dir
        self._staged: list[tuple[Path, Path]] = []  # (target, temporary file)

    @property
    def staged(self) -> list[str]:
        return [target.name for target, _tmp in self._staged]

    def stage(self, path: Path, content: bytes) -> None:
        try:
            tmp = stage_bytes(path, content)
        except OSError as exc:
            raise WriteFailed(f"could not write {path.name}: {exc.strerror or exc}") from exc
        self._staged.append((path, tmp))

    def abort(self) -> None:
        """Remove what was staged; published files were not touched."""
        for _target, tmp in self._staged:
            tmp.unlink(missing_ok=True)
        self._staged.clear()

    def commit(self, package_path: Path, package_content: bytes) -> bool:
        """Swap the staged files and the package in together. Returns whether anything was written."""
        if not self._staged and package_path.exists() and package_path.read_bytes() == package_content:
            return False
        try:
            self.stage(package_path, package_content)
            token = secrets.token_hex(4)
            entries = [
                {"target": t.name, "tmp": tmp.name, "backup": f".{t.name}.{token}.bak" if t.exists() else None}
                for t, tmp in self._staged
            ]
            journal = {"package_sha256": sha256(package_content), "files": entries}
            try:
                write_json(self.state_dir / JOURNAL, journal)
            except OSError as exc:
                raise WriteFailed(f"could not write {JOURNAL}: {exc.strerror or exc}") from exc
        except BaseException:
            self.abort()
            raise
        done: list[dict[str, Any]] = []
        try:
            with publish_lock(self.state_dir, exclusive=True):
                for entry, (target, tmp) in zip(entries, self._staged, strict=True):
                    if entry["backup"]:
                        _keep_old(target, self.data_dir / entry["backup"])
                    done.append(entry)
                    os.replace(tmp, target)  # the last one is datapackage.json: the commit point
        except BaseException as exc:
            _roll_back(self.data_dir, done)
            self.abort()
            (self.state_dir / JOURNAL).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise WriteFailed(f"could not publish: {exc.strerror or exc}; every file kept its old version") from exc
            raise
        for entry in entries:
            if entry["backup"]:
                (self.data_dir / entry["backup"]).unlink(missing_ok=True)
        self._staged.clear()
        (self.state_dir / JOURNAL).unlink(missing_ok=True)
        return True


def _keep_old(target: Path, backup: Path) -> None:
    """A second name for the old version (no data copied); a file system without hard links gets a copy."""
    try:
        os.link(target, backup)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        atomic_write_bytes(backup, target.read_bytes())


def _roll_back(data_dir: Path, entries: list[dict[str, Any]]) -> None:
    for entry in reversed(entries):
        target = data_dir / entry["target"]
        backup = data_dir / entry["backup"] if entry["backup"] else None
        if backup is None:
            target.unlink(missing_ok=True)  # it did not exist before this commit
        elif backup.exists():
            if target.exists() and os.path.samefile(backup, target):
                backup.unlink()  # not replaced yet (rename() between two links of one file does nothing)
            else:
                os.replace(backup, target)


def recover(data_dir: Path, state_dir: Path) -> str | None:
    """After a run killed during a commit: finish it if the new package is in place, else roll every file back.
    Returns what was done (for the run log), or None when there was nothing to recover."""
    path = state_dir / JOURNAL
    if not path.exists():
        return None
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        entries = journal["files"]
    except (ValueError, KeyError, TypeError):
        path.unlink()
        return "discarded an unreadable publish journal"
    package = data_dir / "datapackage.json"
    committed = package.exists() and sha256(package.read_bytes()) == journal.get("package_sha256")
    with publish_lock(state_dir, exclusive=True):
        if not committed:
            _roll_back(data_dir, entries)
        for entry in entries:
            for name in (entry.get("backup"), entry.get("tmp")):
                if name:
                    (data_dir / name).unlink(missing_ok=True)
    path.unlink()
    targets = ", ".join(e["target"] for e in entries)
    return f"{'finished' if committed else 'rolled back'} a publish interrupted mid-commit ({targets})"


def to_csv_bytes(df: pd.DataFrame, table: TableMeta) -> bytes:
    """Fixed formatting (column order, row order, `true`/`false`, `\\n` line ends) so that diffs mean something."""
    out = df.copy()
    for f in table.fields:
        if f.type == "boolean":
            out[f.name] = out[f.name].map({True: "true", False: "false"}).astype("string")
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass
class TableChange:
    """What publishing one table did, for the run log and the changelog."""

    table: str
    changed: bool
    rows: int
    rows_added: int = 0
    rows_removed: int = 0
    cells_revised: int = 0
    revisions: list[dict[str, Any]] = field(default_factory=list)
    added_keys: list[dict[str, Any]] = field(default_factory=list)
    kind: str = "table"  # table | document

    def summary(self) -> str:
        if self.kind == "document":
            return f"{self.table}: updated"
        if not self.changed:
            return f"{self.table}: no change ({self.rows:,} rows)"
        if self.rows == 0 and not (self.rows_added or self.rows_removed):
            return f"{self.table}: published, empty"
        parts = []
        if self.rows_added:
            parts.append(f"{self.rows_added:,} rows added")
        if self.rows_removed:
            parts.append(f"{self.rows_removed:,} rows removed")
        if self.cells_revised:
            parts.append(f"{self.cells_revised:,} values revised")
        return f"{self.table}: " + (", ".join(parts) or "rewritten (formatting or metadata)") + f" ({self.rows:,} rows)"


def diff_tables(old_csv: bytes | None, new_csv: bytes, table: TableMeta) -> TableChange:
    """Rows added/removed and cells revised (old → new), keyed by the primary key, compared as text."""
    new = pd.read_csv(io.BytesIO(new_csv), dtype=str, keep_default_na=False)
    if old_csv is None:
        return TableChange(table.name, True, len(new), rows_added=len(new))
    old = pd.read_csv(io.BytesIO(old_csv), dtype=str, keep_default_na=False)
    key = [k for k in table.primary_key if k in old.columns and k in new.columns]
    if not key or old.duplicated(key).any() or new.duplicated(key).any():
        return TableChange(table.name, True, len(new), rows_added=max(len(new) - len(old), 0))
    old_i, new_i = old.set_index(key), new.set_index(key)
    added = new_i.index.difference(old_i.index)
    removed = old_i.index.difference(new_i.index)
    common = new_i.index.intersection(old_i.index)
    revisions: list[dict[str, Any]] = []
    count = 0
    shared_cols = [c for c in new_i.columns if c in old_i.columns]
    if len(common):
        a, b = old_i.loc[common, shared_cols], new_i.loc[common, shared_cols]
        mask = a.ne(b)
        count = int(mask.to_numpy().sum())
        if count:
            stacked = mask.stack()
            for item in stacked[stacked].index[:MAX_REVISIONS_RECORDED]:
                *keys, col = item
                idx = tuple(keys) if len(keys) > 1 else keys[0]
                revisions.append(
                    {
                        "key": dict(zip(key, keys, strict=True)),
                        "field": col,
                        "old": a.at[idx, col],
                        "new": b.at[idx, col],
                    }
                )
    added_keys = [
        dict(zip(key, k if isinstance(k, tuple) else (k,), strict=True)) for k in list(added)[:MAX_REVISIONS_RECORDED]
    ]
    return TableChange(
        table.name, True, len(new), len(added), len(removed), count, revisions=revisions, added_keys=added_keys
    )


def read_package(path: Path) -> dict[str, Any]:
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {}


def package_bytes(package: dict[str, Any]) -> bytes:
    return (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def resource_descriptor(
    table: TableMeta,
    source: SourceMeta,
    content: bytes,
    snapshots: list[Snapshot],
    changed_at: str,
    extra_sources: list[dict[str, Any]] | None = None,
    content_fields: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A Frictionless resource: path, hash, schema with units, the upstream files it came from, licence, and the
    latest observation with the expected cadence (`content_fields`, from `etl.staleness.descriptor_fields`)."""
    sources = [
        {
            "title": source.title,
            "publisher": source.publisher,
            "path": snap.url,
            "retrieved": snap.retrieved_at,
            "sha256": snap.sha256,
            **({"last_modified": snap.last_modified} if snap.last_modified else {}),
        }
        for snap in sorted(snapshots, key=lambda s: s.url)
    ]
    if not sources:
        sources = [{"title": source.title, "publisher": source.publisher, "path": source.homepage}]
    sources.extend(extra_sources or [])
    descriptor: dict[str, Any] = {
        "name": table.name.replace("_", "-"),
        "path": f"{table.name}.csv",
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "hash": f"sha256:{sha256(content)}",
        "bytes": len(content),
        "schema": {
            "fields": [f.descriptor() for f in table.fields],
            **({"primaryKey": list(table.primary_key)} if table.primary_key and table.unique else {}),
        },
        "sources": sources,
        "licenses": [source.licence],
        "x_source_id": source.id,
        "x_citation": source.citation,
        "x_cadence_days": source.cadence_days,
        "x_last_changed": changed_at,
        **(content_fields or {}),
    }
    if table.notes:
        descriptor["x_notes"] = table.notes
    return descriptor


def publish_table(
    data_dir: Path,
    package: dict[str, Any],
    table: TableMeta,
    source: SourceMeta,
    df: pd.DataFrame,
    snapshots: list[Snapshot],
    changed_at: str,
    extra_sources: list[dict[str, Any]] | None = None,
    txn: Transaction | None = None,
) -> TableChange:
    """Write the table if its bytes differ (or the package's recorded hash is stale); update `package` in place.
    With `txn`, the file is staged and goes live with the package at the transaction's commit."""
    content = to_csv_bytes(df, table)
    path = data_dir / f"{table.name}.csv"
    old = path.read_bytes() if path.exists() else None
    resources = {r["path"]: r for r in package.setdefault("resources", [])}
    recorded = resources.get(path.name)
    digest = f"sha256:{sha256(content)}"
    content_fields = descriptor_fields(df, table)
    if old == content and recorded and recorded.get("hash") == digest:
        # Same bytes: only the latest observation and cadence may be missing or newly declared in the metadata.
        recorded.update(content_fields)
        return TableChange(table.name, False, len(df))
    change = diff_tables(old, content, table) if old != content else TableChange(table.name, True, len(df))
    if old != content:
        write_published(path, content, txn)
    else:
        # Bytes already in place (an interrupted run): keep the date the content first changed.
        changed_at = (recorded or {}).get("x_last_changed", changed_at)
    resources[path.name] = resource_descriptor(
        table, source, content, snapshots, changed_at, extra_sources, content_fields
    )
    package["resources"] = [resources[k] for k in sorted(resources)]
    return change


def publish_document(
    data_dir: Path,
    package: dict[str, Any],
    name: str,
    content: bytes,
    source: SourceMeta,
    changed_at: str,
    txn: Transaction | None = None,
) -> bool:
    """A JSON document beside the tables (e.g. claims.json): written only when its bytes change."""
    path = data_dir / name
    resources = {r["path"]: r for r in package.setdefault("resources", [])}
    digest = f"sha256:{sha256(content)}"
    recorded = resources.get(name)
    if path.exists() and path.read_bytes() == content and recorded and recorded.get("hash") == digest:
        return False
    changed = not (path.exists() and path.read_bytes() == content)
    if changed:
        write_published(path, content, txn)
    mediatype = "application/ld+json" if name.endswith(".jsonld") else "application/json"
    resources[name] = {
        "name": name.replace(".", "-").replace("_", "-"),
        "path": name,
        "title": f"{source.title} ({name})",
        "format": "jsonld" if name.endswith(".jsonld") else "json",
        "mediatype": mediatype,
        "encoding": "utf-8",
        "hash": digest,
        "bytes": len(content),
        "licenses": [source.licence],
        "x_source_id": source.id,
        "x_citation": source.citation,
        "x_cadence_days": source.cadence_days,
        "x_last_changed": changed_at if changed else (recorded or {}).get("x_last_changed", changed_at),
    }
    package["resources"] = [resources[k] for k in sorted(resources)]
    return changed


def finalize_package(package: dict[str, Any]) -> dict[str, Any]:
    """Package-level properties; `created`-style timestamps are deliberately absent (no-change runs change nothing)."""
    package.setdefault("profile", "data-package")
    package["name"] = PACKAGE_NAME
    package["title"] = PACKAGE_TITLE
    package["description"] = (
        "Public figures on Cuba's oil supply, electricity generation and blackouts, gathered nightly from their "
        "publishers, validated and published with provenance. Each resource lists its upstream files "
        "(URL, retrieval time, sha256) and licence; estimates are labelled in field descriptions."
    )
    package["licenses"] = [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0 (our compilation); each resource keeps its source's licence",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]
    resources = package.get("resources", [])
    package["x_last_changed"] = max((r.get("x_last_changed", "") for r in resources), default="")
    ordered = {k: package[k] for k in ("profile", "name", "title", "description", "licenses", "x_last_changed")}
    ordered["resources"] = sorted(resources, key=lambda r: r["path"])
    return ordered


def write_package(path: Path, package: dict[str, Any]) -> bool:
    """Write datapackage.json only if its bytes change. Returns whether it was written."""
    content = package_bytes(finalize_package(package))
    if path.exists() and path.read_bytes() == content:
        return False
    write_published(path, content)
    return True

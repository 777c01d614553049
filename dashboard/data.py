"""The only module of the dashboard that reads `data/`: tables typed by `datapackage.json`, read once per process
and cached, re-read when the ETL publishes a new package (checked at most once a minute)."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from etl.paths import Paths, default_paths
from etl.staleness import content_staleness, declared_table, latest_observation

RELOAD_CHECK_SECONDS = 60.0


@dataclass(frozen=True)
class SourceRef:
    """What a chart cites: publisher and title, the URL, retrieval date, licence; and, for a published table, its
    latest observation and since when it is stale (empty if current), so the source line can say so. The table
    fields do not take part in equality: the same upstream file cited by two tables is one source."""

    title: str
    publisher: str
    url: str
    retrieved: str
    licence: str
    licence_url: str
    table: str = field(default="", compare=False)
    latest_observation: str = field(default="", compare=False)
    resolution: str = field(default="", compare=False)
    stale_since: str = field(default="", compare=False)


class TableStaleness(NamedTuple):
    """A table's content freshness: the latest observation (ISO date, "" if none), whether a newer one is overdue
    by the table's expected cadence, since when (ISO date, "" if current), and how to read the date."""

    latest_observation: str
    is_stale: bool
    stale_since: str
    cadence_days: int | None = None
    resolution: str = ""  # day | month | year
    time_column: str = ""


class DataStore:
    """Published tables and their metadata. Thread-safe; cheap to call repeatedly."""

    def __init__(self, paths: Paths | None = None, reload_check_seconds: float = RELOAD_CHECK_SECONDS) -> None:
        self.paths = paths or default_paths()
        self.reload_check_seconds = reload_check_seconds
        self._lock = threading.RLock()
        self._tables: dict[str, pd.DataFrame] = {}
        self._package: dict[str, Any] | None = None
        self._stamp: tuple[float, int] | None = None
        self._last_check = 0.0
        self._json_cache: dict[str, Any] = {}
        self._prepared: dict[str, Any] = {}
        self._version: str | None = None
        self._version_day = ""

    # -- freshness ------------------------------------------------------------------------------------------------
    def _package_stamp(self) -> tuple[float, int] | None:
        try:
            st = self.paths.datapackage.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime, st.st_size)

    def maybe_reload(self, force: bool = False) -> bool:
        """Drop caches if the ETL published a new package since we read it. Returns whether it reloaded."""
        now = time.monotonic()
        if not force and now - self._last_check < self.reload_check_seconds:
            return False
        with self._lock:
            self._last_check = now
            stamp = self._package_stamp()
            if stamp == self._stamp and not force:
                return False
            self._stamp = stamp
            self._tables.clear()
            self._json_cache.clear()
            self._prepared.clear()
            self._package = None
            self._version = None
            return True

    @property
    def version(self) -> str:
        """A short id of the published data and the day (UTC), for cache keys and ETags: a table turns stale on a
        day when nothing is published, so cached pages and images must not keep saying "current" after it."""
        self.maybe_reload()
        day = datetime.now(UTC).date().isoformat()
        with self._lock:  # hashed once per published package and day, not per request (it keys every cache)
            if self._version is None or self._version_day != day:
                digest = hashlib.sha256(json.dumps(self.package().get("resources", []), sort_keys=True).encode())
                digest.update(day.encode())
                self._version, self._version_day = digest.hexdigest()[:12], day
            return self._version

    # -- metadata -------------------------------------------------------------------------------------------------
    def package(self) -> dict[str, Any]:
        with self._lock:
            if self._package is None:
                if self._stamp is None:
                    self._stamp = self._package_stamp()
                    self._last_check = time.monotonic()
                path = self.paths.datapackage
                self._package = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"resources": []}
            return self._package

    def resources(self) -> list[dict[str, Any]]:
        return list(self.package().get("resources", []))

    def resource(self, table: str) -> dict[str, Any]:
        for res in self.resources():
            if res["path"] in (f"{table}.csv", table):  # a table by name, or a document (claims.json) by path
                return res
        raise KeyError(f"no published table {table!r}")

    def table_names(self) -> list[str]:
        return [r["path"].removesuffix(".csv") for r in self.resources() if r["path"].endswith(".csv")]

    def fields(self, table: str) -> list[dict[str, Any]]:
        return list(self.resource(table)["schema"]["fields"])

    def field(self, table: str, name: str) -> dict[str, Any]:
        for f in self.fields(table):
            if f["name"] == name:
                return f
        raise KeyError(f"{table} has no field {name!r}")

    def sources(self, table: str) -> list[SourceRef]:
        res = self.resource(table)
        licence = (res.get("licenses") or [{}])[0]
        content = self.staleness(table) if res["path"].endswith(".csv") else TableStaleness("", False, "")
        refs = []
        for src in res.get("sources", []):
            refs.append(
                SourceRef(
                    title=src.get("title", res.get("title", table)),
                    publisher=src.get("publisher", ""),
                    url=src.get("path", ""),
                    retrieved=(src.get("retrieved") or res.get("x_last_changed", ""))[:10],
                    licence=src.get("licence", licence.get("name", "")),
                    licence_url=src.get("licence_url", licence.get("path", "")),
                    table=table,
                    latest_observation=content.latest_observation,
                    resolution=content.resolution,
                    stale_since=content.stale_since,
                )
            )
        return refs

    def citation(self, table: str) -> str:
        return self.resource(table).get("x_citation", "")

    def last_changed(self, table: str) -> str:
        return self.resource(table).get("x_last_changed", "")[:10]

    # -- tables ---------------------------------------------------------------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        """The published table, typed per its schema. Callers get a shared frame: never mutate it."""
        self.maybe_reload()
        with self._lock:
            if name not in self._tables:
                self._tables[name] = self._read(name)
            return self._tables[name]

    def prepared(self, key: str, make: Callable[[DataStore], Any]) -> Any:
        """A frame (or list) derived from published tables, computed once per published package, so that callbacks
        only select and slice. Shared like tables: never mutate it."""
        self.maybe_reload()
        with self._lock:
            if key not in self._prepared:
                self._prepared[key] = make(self)
            return self._prepared[key]

    def _read(self, name: str) -> pd.DataFrame:
        res = self.resource(name)
        path = self.paths.data_dir / res["path"]
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        for f in res["schema"]["fields"]:
            col = f["name"]
            if col not in df.columns:
                continue
            kind = f.get("type")
            if kind == "integer":
                df[col] = pd.to_numeric(df[col]).astype("Int64")
            elif kind == "number":
                df[col] = pd.to_numeric(df[col]).astype("float64")
            elif kind == "boolean":
                df[col] = df[col].map({"true": True, "false": False}).astype("boolean")
            elif kind == "date":
                df[col] = pd.to_datetime(df[col], format="%Y-%m-%d", errors="coerce")
        return df

    def table_path(self, name: str) -> Path:
        """The published CSV file (for downloads). Only names in the package resolve."""
        return self.paths.data_dir / self.resource(name)["path"]

    def json_file(self, name: str) -> Any:
        """A published JSON document (e.g. claims.json), cached like tables."""
        self.maybe_reload()
        with self._lock:
            if name not in self._json_cache:
                path = self.paths.data_dir / name
                self._json_cache[name] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
            return self._json_cache[name]

    # -- run state --------------------------------------------------------------------------------------------------
    def source_status(self) -> dict[str, Any]:
        """Last attempt per source (git-ignored run state); empty on a fresh clone."""
        path = self.paths.state_dir / "status.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return {}

    def changelog(self, limit: int = 30) -> list[dict[str, Any]]:
        """The last refreshes, newest first: published changes plus local no-change runs when available."""
        records: list[dict[str, Any]] = []
        for path in (self.paths.changelog, self.paths.state_dir / "runs.jsonl"):
            if path.exists():
                for line in path.read_text(encoding="utf-8").splitlines()[-limit * 4 :]:
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError:
                        continue
        unique = {r.get("started_at"): r for r in records if r.get("started_at")}
        return sorted(unique.values(), key=lambda r: r["started_at"], reverse=True)[:limit]

    def label_changes(self, claim_id: str) -> list[dict[str, Any]]:
        """A claim's label changes from the whole published changelog, oldest first: {date, old, new} (old None when
        first published). The claims source records them per run (`label_changes`, etl/sources/claims.py)."""
        return self.prepared("changelog:label_changes", _label_changes).get(claim_id, [])

    def staleness(self, table: str | None = None, today: date | None = None) -> Any:
        """With a table name: its `TableStaleness` (content). Without: `source_staleness()` (fetch), as before."""
        if table is None:
            return self.source_staleness(today)
        return self.table_staleness(table, today)

    def table_staleness(self, table: str, today: date | None = None) -> TableStaleness:
        """Staleness from content: the latest observation (from `datapackage.json`, else computed from the table
        here, the one place the dashboard does so) against the table's expected cadence."""
        today = today or datetime.now(UTC).date()
        res = self.resource(table)
        if "x_latest_observation" in res:
            latest = res.get("x_latest_observation") or ""
            resolution = res.get("x_time_resolution") or ""
            cadence = res.get("x_expected_cadence_days")
            column = res.get("x_time_column") or ""
        else:  # a package published before tables carried these fields
            latest, resolution, cadence, column = self.prepared(f"latest_observation:{table}", self._observed(table))
        is_stale, since = content_staleness(latest, cadence, today)
        return TableStaleness(latest, is_stale, since or "", cadence, resolution, column)

    @staticmethod
    def _observed(table: str) -> Callable[[DataStore], tuple[str, str, int | None, str]]:
        def make(store: DataStore) -> tuple[str, str, int | None, str]:
            meta = declared_table(table)
            if meta is None or not meta.time_column:
                return "", "", None, ""
            latest, resolution = latest_observation(store.table(table), meta)
            return latest or "", resolution or "", meta.expected_cadence_days, meta.time_column

        return make

    def source_staleness(self, today: date | None = None) -> list[dict[str, Any]]:
        """Per source: as-of date, cadence, and whether it failed last time or is older than twice its cadence
        (fetch staleness; the stale banner). Content staleness per table: `table_staleness`."""
        today = today or datetime.now(UTC).date()
        status = self.source_status()
        out: dict[str, dict[str, Any]] = {}
        for res in self.resources():
            if not res["path"].endswith(".csv"):
                continue
            sid = res.get("x_source_id", "")
            cadence = int(res.get("x_cadence_days", 0) or 0)
            changed = res.get("x_last_changed", "")[:10]
            st = status.get(sid, {})
            checked = (st.get("last_success_at") or changed)[:10]
            entry = out.setdefault(
                sid,
                {
                    "source_id": sid,
                    "cadence_days": cadence,
                    "as_of": checked,
                    "last_changed": changed,
                    "failed": st.get("last_result") == "failed",
                    "message": st.get("message", ""),
                    "tables": [],
                },
            )
            entry["tables"].append(res["path"].removesuffix(".csv"))
            entry["as_of"] = min(entry["as_of"], checked) if entry["as_of"] else checked
        for entry in out.values():
            age = (today - date.fromisoformat(entry["as_of"])).days if entry["as_of"] else None
            entry["age_days"] = age
            entry["stale"] = bool(entry["cadence_days"] and age is not None and age > 2 * entry["cadence_days"])
        return sorted(out.values(), key=lambda e: e["source_id"])


def _label_changes(store: DataStore) -> dict[str, list[dict[str, Any]]]:
    """Claim id → its label changes in data/changelog.jsonl (read once per published package)."""
    out: dict[str, list[dict[str, Any]]] = {}
    path = store.paths.changelog
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        when = str(record.get("started_at") or "")[:10]
        for result in (record.get("sources") or {}).values():
            for change in (result or {}).get("label_changes") or []:
                if change.get("claim_id"):
                    out.setdefault(change["claim_id"], []).append(
                        {"date": when, "old": change.get("old"), "new": change.get("new")}
                    )
    for changes in out.values():
        changes.sort(key=lambda c: c["date"])
    return out


_STORE: DataStore | None = None


def configure(store: DataStore) -> None:
    global _STORE
    _STORE = store


def store() -> DataStore:
    """The process-wide store (configured by `create_app`)."""
    global _STORE
    if _STORE is None:
        _STORE = DataStore()
    return _STORE

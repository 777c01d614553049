"""The only module of the dashboard that reads `data/`: tables typed by `datapackage.json`, read once per process
and cached, re-read when the ETL publishes a new package (checked at most once a minute)."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from etl.paths import Paths, default_paths

RELOAD_CHECK_SECONDS = 60.0


@dataclass(frozen=True)
class SourceRef:
    """What a chart cites: publisher and title, the URL, retrieval date, licence."""

    title: str
    publisher: str
    url: str
    retrieved: str
    licence: str
    licence_url: str


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
        """A short id of the published data, for cache keys and ETags."""
        self.maybe_reload()
        with self._lock:  # hashed once per published package, not per request (it keys every cache)
            if self._version is None:
                digest = hashlib.sha256(json.dumps(self.package().get("resources", []), sort_keys=True).encode())
                self._version = digest.hexdigest()[:12]
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

    def staleness(self, today: date | None = None) -> list[dict[str, Any]]:
        """Per source: as-of date, cadence, and whether it failed last time or is older than twice its cadence."""
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

"""The store of published data: one verified version serves at a time (`dashboard/data/verified.py` reads and checks
it), re-examined at most once a minute; a version that fails is refused, the one in memory keeps serving, and a process
that starts on a refused version serves the last good copy kept under the cache dir (`dashboard/last_good.py`). A
request can be pinned to an older verified version (`DataStore.pin`, `?version=`: dashboard/versions.py)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

import pandas as pd

from dashboard import last_good
from dashboard.data.refreshes import fetch_staleness, read_changelog, read_label_changes, read_source_status
from dashboard.data.verified import DataUnavailable, DataVersion, VersionRefused, load_version
from etl.paths import Paths, default_paths
from etl.staleness import content_staleness, declared_table, latest_observation

RELOAD_CHECK_SECONDS = 60.0
LOG = logging.getLogger("dashboard.data")  # the name it logged under before the package was split
STAMPED_SUFFIXES = (".csv", ".json", ".jsonld")


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
    """Published tables and their metadata, one verified version at a time. Thread-safe; cheap to call repeatedly."""

    def __init__(self, paths: Paths | None = None, reload_check_seconds: float = RELOAD_CHECK_SECONDS) -> None:
        self.paths = paths or default_paths()
        self.reload_check_seconds = reload_check_seconds
        self._lock = threading.RLock()  # swaps and caches
        self._load_lock = threading.Lock()  # one load at a time; always taken before `_lock`
        self._current: DataVersion | None = None
        self._from_last_good = False  # serving the copy under the cache dir, not data/
        self._stamp: tuple[Any, ...] | None = None  # data/'s files when last examined (loaded or refused)
        self._examined = False
        self._problem: VersionRefused | None = None  # why data/, as it is now, does not serve
        self._last_check = 0.0
        self._unversioned: dict[str, Any] = {}  # prepared values that need no data version (the changelog)
        # A request pinned to an old version (`?version=<id>`, dashboard/versions.py) reads that version instead of
        # the live one; per request (a context variable), so other requests keep the live data.
        self._pin: ContextVar[DataVersion | None] = ContextVar(f"pinned-{id(self)}", default=None)
        # the tables a build read that its pinned version did not publish yet (see `_later_table`)
        self._later_read: ContextVar[list[str] | None] = ContextVar(f"later-{id(self)}", default=None)

    # -- loading and freshness ------------------------------------------------------------------------------------
    def _package_stamp(self) -> tuple[Any, ...]:
        """Name, size, modification time and inode of every published file: a table edited or cut in place counts
        as a new version as much as a new datapackage.json does (the ETL renames, so inodes change)."""
        stamp = []
        try:
            with os.scandir(self.paths.data_dir) as entries:
                for entry in entries:
                    if entry.name.endswith(STAMPED_SUFFIXES) and entry.is_file():
                        st = entry.stat()
                        stamp.append((entry.name, st.st_size, st.st_mtime_ns, st.st_ino))
        except FileNotFoundError:
            return ()
        return tuple(sorted(stamp))

    def maybe_reload(self, force: bool = False) -> bool:
        """Load a newly published version if data/ changed (checked at most once a minute; `force`: now, and
        reload even if nothing changed). Returns whether a new version now serves. A version that fails
        validation is refused and the one in memory keeps serving."""
        if not force and self._examined and time.monotonic() - self._last_check < self.reload_check_seconds:
            return False
        return self._examine(force)

    def check(self) -> bool:
        """Examine data/ now, whatever the last check (for /healthz: a few stat calls unless something changed)."""
        return self._examine(False)

    def _examine(self, force: bool) -> bool:
        if self._current is not None and not force:
            if not self._load_lock.acquire(blocking=False):
                return False  # another thread is loading; keep serving what is in memory
        else:
            self._load_lock.acquire()
        try:
            self._last_check = time.monotonic()
            stamp = self._package_stamp()
            if self._examined and stamp == self._stamp and not force:
                return False
            self._stamp, self._examined = stamp, True
            try:
                version = load_version(self.paths.data_dir, self.paths.state_dir)
            except VersionRefused as exc:
                self._refuse(exc)
                return False
            last_good.save(self.paths.cache_dir, version.id, version.files)
            with self._lock:
                self._current, self._from_last_good, self._problem = version, False, None
            return True
        finally:
            self._load_lock.release()

    def _refuse(self, problem: VersionRefused) -> None:
        self._problem = problem
        if self._current is not None:
            LOG.error("data version refused (%s); still serving version %s", problem, self._current.id)
            return
        for folder in last_good.candidates(self.paths.cache_dir):
            try:
                version = load_version(folder)
            except VersionRefused as exc:
                LOG.error("last good copy %s is unusable: %s", folder, exc)
                continue
            with self._lock:
                self._current, self._from_last_good = version, True
            LOG.error("data version refused (%s); serving the last good copy %s", problem, version.id)
            return
        LOG.error("data version refused (%s) and no last good copy to serve", problem)

    def _serving(self) -> DataVersion:
        """The version that serves now (examined first if due), or the one this request is pinned to;
        DataUnavailable if there is none."""
        pinned = self._pin.get()
        if pinned is not None:
            return pinned
        self.maybe_reload()
        version = self._current
        if version is None:
            raise DataUnavailable(self._problem)
        return version

    def pin(self, version: DataVersion | None) -> None:
        """Serve `version` to the current request (None: the live version again)."""
        self._pin.set(version)

    @contextmanager
    def unpinned(self) -> Iterator[None]:
        """Within the block, this thread or task reads the live version, whatever its request is pinned to."""
        token = self._pin.set(None)
        try:
            yield
        finally:
            self._pin.reset(token)

    @contextmanager
    def pinned(self, version: DataVersion) -> Iterator[DataVersion]:
        """Within the block, this thread or task reads `version` (for scripts and tests)."""
        token = self._pin.set(version)
        try:
            yield version
        finally:
            self._pin.reset(token)

    def _pinned_day(self) -> date | None:
        """The day the pinned version was published (its tables' latest `x_last_changed`), None when not pinned."""
        pinned = self._pin.get()
        if pinned is None:
            return None
        days = [str(r.get("x_last_changed") or "")[:10] for r in pinned.package.get("resources", [])]
        try:
            return date.fromisoformat(max(d for d in days if len(d) == 10))
        except ValueError:
            return None

    @property
    def is_pinned(self) -> bool:
        return self._pin.get() is not None

    @property
    def version_id(self) -> str:
        """The id a reader can pin (`?version=<id>`): the package's own (16 hex digits of datapackage.json's sha256),
        the same on every machine and in the repository's history; not `version`, which also names the day."""
        return self._serving().id

    @property
    def problem(self) -> VersionRefused | None:
        """Why data/ as it is now does not serve (None when it does)."""
        return self._problem

    @property
    def serving(self) -> DataVersion | None:
        return self._current

    @property
    def from_last_good(self) -> bool:
        return self._from_last_good

    @property
    def version(self) -> str:
        """A short id of the published data and the day (UTC), for cache keys and ETags: a table turns stale on a
        day when nothing is published, so cached pages and images must not keep saying "current" after it. Kept on
        the version object, so an id never outlives (or precedes) the data it names."""
        return self._version_of(self._serving())

    def live_version(self) -> str | None:
        """`version` of the data serving live, even inside a request pinned to another (None when none serves)."""
        return self._version_of(self._current) if self._current is not None else None

    def _version_of(self, current: DataVersion) -> str:
        day = datetime.now(UTC).date().isoformat()
        with self._lock:  # hashed once per published package and day, not per request (it keys every cache)
            if day not in current.keys:
                digest = hashlib.sha256(json.dumps(current.package.get("resources", []), sort_keys=True).encode())
                digest.update(day.encode())
                current.keys.clear()
                current.keys[day] = digest.hexdigest()[:12]
            return current.keys[day]

    # -- metadata -------------------------------------------------------------------------------------------------
    def package(self) -> dict[str, Any]:
        return self._serving().package

    def resources(self) -> list[dict[str, Any]]:
        return list(self.package().get("resources", []))

    def resource(self, table: str) -> dict[str, Any]:
        for res in self.resources():
            if res["path"] in (f"{table}.csv", table):  # a table by name, or a document (claims.json) by path
                return res
        later = self._later_table(table)
        if later is not None:  # a table a pinned version did not publish yet: described as today's, with no rows
            return {**later[0], "sources": [], "x_latest_observation": ""}
        raise KeyError(f"no published table {table!r}")

    def _later_table(self, table: str) -> tuple[dict[str, Any], pd.DataFrame] | None:
        """For a request pinned to an old version: the live version's record and table `table`, when the old version
        does not have it (it was published later). The code draws today's tables; an old version shows such a table
        as empty ("no data"), so that a new table never makes every older version impossible to show."""
        pinned, live = self._pin.get(), self._current
        if pinned is None or live is None or pinned is live:
            return None
        for res in live.package.get("resources", []):
            if res["path"] in (f"{table}.csv", table) and table.removesuffix(".csv") in live.tables:
                read = self._later_read.get()
                if read is not None:
                    read.append(table.removesuffix(".csv"))
                return res, live.tables[table.removesuffix(".csv")]
        return None

    @contextmanager
    def noting_later_tables(self) -> Iterator[list[str]]:
        """Within the block, the tables read that the pinned version did not publish yet are listed (a chart that
        needs one cannot be drawn as it was: dashboard/charts.py says so instead of drawing it empty)."""
        token = self._later_read.set([])
        try:
            yield self._later_read.get()
        finally:
            self._later_read.reset(token)

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

    # -- tables ---------------------------------------------------------------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        """The published table, typed per its schema. Callers get a shared frame: never mutate it."""
        try:
            return self._serving().tables[name]
        except KeyError:
            later = self._later_table(name)
            if later is not None:
                return later[1].iloc[0:0]  # published after the pinned version: its columns, no rows
            raise KeyError(f"no published table {name!r}") from None

    def prepared(self, key: str, make: Callable[[DataStore], Any]) -> Any:
        """A frame (or list) derived from published tables, computed once per published version, so that callbacks
        only select and slice. Shared like tables: never mutate it."""
        try:
            cache = self._serving().prepared
        except DataUnavailable:
            cache = self._unversioned  # e.g. the changelog's label history, which needs no data version
        with self._lock:
            if key in cache:
                return cache[key]
        value = make(self)  # outside the lock: `make` may read tables, which may load a version
        with self._lock:
            return cache.setdefault(key, value)

    def file_bytes(self, name: str) -> bytes:
        """A published file of the serving version (a table, a document or datapackage.json), exactly as verified
        against the package: what /files/ and the zip should send, so they always match the pages."""
        try:
            return self._serving().files[name]
        except KeyError:
            raise KeyError(f"no published file {name!r}") from None

    def json_file(self, name: str) -> Any:
        """A published JSON document (e.g. claims.json), parsed once per version."""
        version = self._serving()
        if name in version.documents:
            return version.documents[name]
        with self._lock:  # not a resource of the package: read as before, cached with the version
            if f"json:{name}" not in version.prepared:
                path = self.paths.data_dir / name
                version.prepared[f"json:{name}"] = (
                    json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
                )
            return version.prepared[f"json:{name}"]

    # -- run state (dashboard/data/refreshes.py) ------------------------------------------------------------------
    def source_status(self) -> dict[str, Any]:
        """Last attempt per source (git-ignored run state); empty on a fresh clone."""
        return read_source_status(self.paths.state_dir)

    def changelog(self, limit: int = 30) -> list[dict[str, Any]]:
        """The last refreshes, newest first: published changes plus local no-change runs when available."""
        return read_changelog(self.paths, limit, self.published_until())

    def published_until(self) -> str | None:
        """For a pinned version, when it was published (its package's `x_last_changed`, UTC): the changelog read with
        it stops there, so an archived page never shows a refresh or a label change that came later. None when live."""
        pinned = self._pin.get()
        if pinned is None:
            return None
        return str(pinned.package.get("x_last_changed") or "") or None

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
        here, the one place the dashboard does so) against the table's expected cadence. A pinned version is judged
        as on the day it was published, so a chart as cited shows what it showed then."""
        today = today or self._pinned_day() or datetime.now(UTC).date()
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
        return fetch_staleness(self.resources(), status, today)


def _label_changes(store: DataStore) -> dict[str, list[dict[str, Any]]]:
    """Every claim's label changes, read once per published package (`DataStore.prepared`)."""
    return read_label_changes(store.paths.changelog, store.published_until())

"""Pinned data versions (`?version=<id>`): the chart as it was cited. A version id is the one the site already gives
every published version (`DataVersion.id`, the first 16 hex digits of datapackage.json's sha256), so the id of the
version serving today is known without git, and an old one is found in the repository's own history of `data/`:
the commits that changed datapackage.json, each read with `git cat-file` (no copy per night). An old version is
verified exactly like the live one (dashboard.data.verify_version) and kept in a small LRU (at most
MAX_PINNED_VERSIONS in memory). A deployment without git history answers "version not available"."""

from __future__ import annotations

import hashlib
import logging
import re
import subprocess
import threading
import time
import weakref
from pathlib import Path
from typing import Any

from dashboard import memo
from dashboard.data.verified import PACKAGE, DataVersion, VersionRefused, _parse_package, verify_version

LOG = logging.getLogger(__name__)
VERSION_ID = re.compile(r"\A[0-9a-f]{16}\Z")
MAX_PINNED_VERSIONS = 4  # each is a whole verified data package in memory (a few tens of MB)
GIT_TIMEOUT_SECONDS = 20.0
INDEX_CHECK_SECONDS = 60.0


class BadVersion(ValueError):
    """A `version` parameter that is not a version id at all (→ 400)."""


class VersionNotAvailable(LookupError):
    """A well-formed id this deployment cannot serve: unknown, or no git history here (→ 404)."""


_HISTORIES: weakref.WeakKeyDictionary[Any, VersionHistory] = weakref.WeakKeyDictionary()
_HISTORIES_LOCK = threading.Lock()


def history_for(store: Any) -> VersionHistory:
    """The history of a data store's folder, one per store (routes and the cite box share its index and LRU)."""
    with _HISTORIES_LOCK:
        if store not in _HISTORIES:
            _HISTORIES[store] = VersionHistory(store.paths.data_dir)
        return _HISTORIES[store]


class VersionHistory:
    """Version id → the commit of data/ that published it, and the verified versions last asked for."""

    def __init__(self, data_dir: Path, max_versions: int = MAX_PINNED_VERSIONS) -> None:
        self.data_dir = data_dir
        self.max_versions = max_versions
        self._lock = threading.Lock()
        self._index: dict[str, str] = {}
        self._head: str | None = None
        self._prefix = ""
        self._checked = 0.0
        self._loaded = memo.ByteLRU.of_entries("versions", max_versions)  # whole versions: bounded by how many

    # -- git ------------------------------------------------------------------------------------------------------
    def _git(self, *args: str, stdin: bytes | None = None) -> bytes:
        try:
            done = subprocess.run(
                ["git", "-C", str(self.data_dir), *args],
                input=stdin,
                capture_output=True,
                timeout=GIT_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise VersionNotAvailable(f"version not available: the data's history cannot be read ({exc})") from exc
        if done.returncode != 0:
            raise VersionNotAvailable("version not available: this deployment has no history of its data")
        return done.stdout

    def _blobs(self, specs: list[str]) -> list[bytes | None]:
        """The contents of `<commit>:<path>` objects, in one `git cat-file --batch` (None for a missing one)."""
        out = self._git("cat-file", "--batch", stdin="".join(f"{s}\n" for s in specs).encode())
        blobs: list[bytes | None] = []
        pos = 0
        for _ in specs:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            pos = end + 1
            if len(header) < 3 or header[1] != b"blob":
                blobs.append(None)
                continue
            size = int(header[2])
            blobs.append(out[pos : pos + size])
            pos += size + 1  # the content is followed by a newline
        return blobs

    def _refresh_index(self) -> None:
        """Re-read the history when HEAD moved (checked at most once a minute, or when an id is not found)."""
        head = self._git("rev-parse", "HEAD").strip().decode()
        if head == self._head:
            return
        prefix = self._git("rev-parse", "--show-prefix").strip().decode()
        commits = self._git("log", "--format=%H", "--", PACKAGE).decode().split()
        known = set(self._index.values())
        fresh = [c for c in commits if c not in known]
        for commit, content in zip(fresh, self._blobs([f"{c}:{prefix}{PACKAGE}" for c in fresh]), strict=True):
            if content is not None:
                self._index.setdefault(hashlib.sha256(content).hexdigest()[:16], commit)
        self._head, self._prefix = head, prefix

    def commit_of(self, version_id: str) -> str:
        with self._lock:  # an unknown id re-reads the history at most once a minute, however often it is asked for
            if not self._checked or time.monotonic() - self._checked > INDEX_CHECK_SECONDS:
                self._checked = time.monotonic()
                self._refresh_index()
            commit = self._index.get(version_id)
        if commit is None:
            raise VersionNotAvailable(f"version not available: no published data version {version_id}")
        return commit

    # -- versions -------------------------------------------------------------------------------------------------
    def load(self, version_id: str) -> DataVersion:
        """The verified version with this id (BadVersion, VersionNotAvailable)."""
        if not VERSION_ID.match(version_id or ""):
            raise BadVersion("version must be a data version id: 16 hexadecimal digits (as in the cite box)")
        loaded = self._loaded.get(version_id)
        if loaded is not None:
            return loaded
        commit = self.commit_of(version_id)
        prefix = self._prefix
        package_bytes = self._blobs([f"{commit}:{prefix}{PACKAGE}"])[0]
        if package_bytes is None:
            raise VersionNotAvailable(f"version not available: {version_id}")
        try:
            names = [res["path"] for res in _parse_package(package_bytes)["resources"]]
            blobs = self._blobs([f"{commit}:{prefix}{name}" for name in names])
            missing = [n for n, b in zip(names, blobs, strict=True) if b is None]
            if missing:
                raise VersionRefused(missing[0], "listed in the package but not in that commit")
            files = {PACKAGE: package_bytes, **{n: b for n, b in zip(names, blobs, strict=True) if b is not None}}
            version = verify_version(self.data_dir, files)
        except VersionRefused as exc:
            LOG.error("pinned version %s (commit %s) refused: %s", version_id, commit, exc)
            raise VersionNotAvailable(f"version not available: {version_id} does not pass its checks ({exc})") from exc
        self._loaded.set(version_id, version, 0)
        return version

    def is_pinnable(self, version_id: str) -> bool:
        """Whether a link pinned to this version will keep working: its data are in the repository's history. A
        version a refresh published but nobody committed serves today and is gone after the next refresh, so the
        cite box does not offer it."""
        try:
            self.commit_of(version_id)
        except VersionNotAvailable:
            return False
        return True

    def is_loaded(self, version_id: str) -> bool:
        return version_id in self._loaded

    def loaded_ids(self) -> list[str]:
        return list(self._loaded)

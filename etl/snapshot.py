"""Raw snapshots: upstream bytes exactly as fetched, each with a provenance sidecar, in the git-ignored cache.

A new snapshot becomes *current* only after its source has parsed and validated, so a bad night never
replaces the bytes that produced the published data (and conditional GETs keep asking relative to them).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from etl.http import HttpResult


@dataclass(frozen=True)
class Snapshot:
    """One stored upstream file and where it came from."""

    source_id: str
    name: str
    path: str  # relative to the raw dir
    url: str
    fetched_from: str
    retrieved_at: str  # ISO 8601 UTC
    http_status: int
    etag: str | None
    last_modified: str | None
    content_type: str | None
    sha256: str
    bytes: int
    final_url: str | None = None  # after redirects (redacted); recorded in the sidecar beside `url`

    def sidecar(self) -> dict:
        return asdict(self)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stage_bytes(path: Path, content: bytes) -> Path:
    """Write `content` to a complete, fsynced temporary file beside `path` (`.<name>.<random>.tmp`) and return it;
    nothing is left behind if that fails (a full disk). The caller renames it into place or removes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def atomic_write_bytes(path: Path, content: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename: readers see old or new, never half."""
    tmp = stage_bytes(path, content)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_json(path: Path, payload: object) -> None:
    atomic_write_bytes(path, (json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode())


class SnapshotStore:
    """Raw bytes under `raw_dir/<source>/<date>/<sha>-<name>`, current pointers in `state_dir/snapshots.json`."""

    def __init__(self, raw_dir: Path, state_dir: Path) -> None:
        self.raw_dir = raw_dir
        self.state_dir = state_dir
        self._index_path = state_dir / "snapshots.json"

    def _index(self) -> dict[str, dict]:
        if not self._index_path.exists():
            return {}
        return json.loads(self._index_path.read_text())

    def current(self, source_id: str, name: str) -> Snapshot | None:
        entry = self._index().get(f"{source_id}/{name}")
        if not entry or not (self.raw_dir / entry["path"]).exists():
            return None
        return Snapshot(**entry)

    def read(self, snapshot: Snapshot) -> bytes:
        return (self.raw_dir / snapshot.path).read_bytes()

    def save(self, source_id: str, name: str, result: HttpResult, retrieved_at: datetime) -> Snapshot:
        """Store the bytes of a 200 response with their sidecar; reuse the current snapshot if bytes are equal."""
        digest = hashlib.sha256(result.content).hexdigest()
        current = self.current(source_id, name)
        if current and current.sha256 == digest:
            return current
        relative = f"{source_id}/{retrieved_at.strftime('%Y-%m-%d')}/{digest[:12]}-{name}"
        snapshot = Snapshot(
            source_id=source_id,
            name=name,
            path=relative,
            url=result.url,
            fetched_from=result.fetched_from,
            retrieved_at=iso(retrieved_at),
            http_status=result.status,
            etag=result.headers.get("ETag"),
            last_modified=result.headers.get("Last-Modified"),
            content_type=result.headers.get("Content-Type"),
            sha256=digest,
            bytes=len(result.content),
            final_url=result.final_url or result.fetched_from,
        )
        target = self.raw_dir / relative
        atomic_write_bytes(target, result.content)
        write_json(target.with_name(target.name + ".source.json"), snapshot.sidecar())
        return snapshot

    def promote(self, snapshots: list[Snapshot]) -> None:
        """Make these snapshots current (after their source published or confirmed no change)."""
        if not snapshots:
            return
        index = self._index()
        for snap in snapshots:
            index[f"{snap.source_id}/{snap.name}"] = snap.sidecar()
        write_json(self._index_path, index)

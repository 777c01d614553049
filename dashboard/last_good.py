"""A copy of the last data version that validated, kept under the cache dir (`<cache>/dashboard/last-good/<id>/`), so
that a process starting while data/ is broken (a bad cell, a truncated datapackage.json, a half-finished publish)
serves the last good version instead of failing to boot. Written from the verified bytes in memory, never by copying
data/; only ever written under the cache dir (data/ is read-only to the dashboard). Several workers may save the
same version at once: each writes a private folder and renames it into place, and the loser drops its copy."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

LOG = logging.getLogger(__name__)
POINTER = "CURRENT"
KEEP = 3  # versions kept: a worker may still serve an older one for up to a minute after another saved a newer one


def base_dir(cache_dir: Path) -> Path:
    return cache_dir / "dashboard" / "last-good"


def save(cache_dir: Path, version_id: str, files: dict[str, bytes]) -> Path | None:
    """Keep `files` (datapackage.json and everything it lists) as the last good version. Returns its folder, or None
    if the cache dir cannot be written (then there is simply no fallback: logged, not fatal)."""
    base = base_dir(cache_dir)
    target = base / version_id
    try:
        if not (target / "datapackage.json").is_file():
            base.mkdir(parents=True, exist_ok=True)
            incoming = Path(tempfile.mkdtemp(dir=base, prefix=".incoming-"))
            try:
                for name, content in files.items():
                    (incoming / name).write_bytes(content)
                os.chmod(incoming, 0o755)
                os.rename(incoming, target)
            except OSError:
                shutil.rmtree(incoming, ignore_errors=True)
                if not (target / "datapackage.json").is_file():  # not another worker's copy of the same version
                    raise
        pointer = base / POINTER
        if not pointer.is_file() or pointer.read_text(encoding="utf-8").strip() != version_id:
            tmp = base / f".{POINTER}.{os.getpid()}.tmp"
            tmp.write_text(version_id + "\n", encoding="utf-8")
            os.replace(tmp, pointer)
        _prune(base, version_id)
    except OSError as exc:
        LOG.warning("could not keep a copy of data version %s in %s: %s", version_id, base, exc)
        return None
    return target


def candidates(cache_dir: Path) -> list[Path]:
    """Saved versions to fall back on, best first: the one the pointer names, then the others, newest first."""
    base = base_dir(cache_dir)
    try:
        folders = [p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")]
    except OSError:
        return []
    folders.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    try:
        named = base / (base / POINTER).read_text(encoding="utf-8").strip()
    except OSError:
        return folders
    return [named, *(p for p in folders if p != named)] if named in folders else folders


def _prune(base: Path, keep_id: str) -> None:
    folders = sorted(
        (p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != keep_id),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in folders[KEEP - 1 :]:
        shutil.rmtree(old, ignore_errors=True)

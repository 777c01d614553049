"""What a source's output depends on, as one hash: its inputs (file bytes or the published hashes of its input
tables), the ETL's own code and metadata, and the seeds if it reads them. A source whose fingerprint is the one of its
last successful run, with its published files intact, is not recomputed (`Refresher._unchanged` in `etl/runner.py`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from etl.registry import Source, tables_before


def source_fingerprint(source: Source, parts: list[tuple[str, str]], seeds_dir: Path) -> str:
    """What a source's output depends on: its inputs (bytes or published hashes), the ETL code, the seeds."""
    digest = hashlib.sha256(f"{source.id}|{code_hash()}".encode())
    for name, value in parts:
        digest.update(f"|{name}={value}".encode())
    if source.hooks.reads_seeds:
        digest.update(tree_hash(seeds_dir).encode())
    return digest.hexdigest()


def input_hashes(source: Source, package: dict[str, Any]) -> list[tuple[str, str]]:
    """A derived source's inputs as (file, published hash) pairs, from the package record."""
    recorded = {r["path"]: r.get("hash", "") for r in package.get("resources", [])}
    if source.inputs == ("*",):
        earlier = {f"{t}.csv" for t in tables_before(source.id)}
        return sorted((p, h) for p, h in recorded.items() if p in earlier)
    return [(n, recorded.get(f"{n}.csv", "missing")) for n in source.inputs]


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

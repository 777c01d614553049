"""One published data version, read and verified: datapackage.json and every file it lists, read in one go (waiting
for a publish in progress to commit), hash-checked against the package and validated with the package's own schema.
What fails is refused (`VersionRefused`) and never serves; the store (`dashboard/data/datastore.py`) decides what serves
instead."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd
from werkzeug.exceptions import ServiceUnavailable

from etl.meta import SchemaViolation, TableMeta, check_schema, from_published_text
from etl.publish import publish_lock

PACKAGE = "datapackage.json"


class VersionRefused(ValueError):
    """A data version that must not serve: `file` is the first published file that failed, `reason` says how."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason

    @property
    def table(self) -> str:
        return self.file.removesuffix(".csv")


class DataUnavailable(ServiceUnavailable):
    """No data version can serve (data/ refused and no last good copy): answered 503 with the reason, not a crash."""

    def __init__(self, problem: VersionRefused | None) -> None:
        why = str(problem) if problem else "no published data"
        super().__init__(f"The published data could not be loaded ({why}). The site will be back once it is fixed.")
        self.problem = problem


@dataclass(eq=False)  # identity: two loads of the same bytes are two versions (caches are per object)
class DataVersion:
    """One published version, verified: the package, every file's bytes, the typed tables, the parsed documents."""

    id: str  # first 16 hex digits of datapackage.json's sha256
    root: Path  # where it was read from
    package: dict[str, Any]
    files: dict[str, bytes]  # datapackage.json and every resource, exactly as hash-checked
    tables: dict[str, pd.DataFrame]
    documents: dict[str, Any]
    prepared: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # day → the cache-key id of this version on that day


def read_version_files(root: Path) -> dict[str, bytes]:
    """datapackage.json and the bytes of every file it lists, read in one go (raises VersionRefused)."""
    try:
        package_bytes = (root / PACKAGE).read_bytes()
    except FileNotFoundError as exc:
        raise VersionRefused(PACKAGE, "missing") from exc
    package = _parse_package(package_bytes)
    files = {PACKAGE: package_bytes}
    for res in package["resources"]:
        try:
            files[res["path"]] = (root / res["path"]).read_bytes()
        except OSError as exc:
            raise VersionRefused(res["path"], f"listed in {PACKAGE} but cannot be read ({exc.strerror})") from exc
    return files


def _parse_package(content: bytes) -> dict[str, Any]:
    try:
        package = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VersionRefused(PACKAGE, f"not valid JSON, cut short or corrupted ({exc})") from exc
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list) or not resources:
        raise VersionRefused(PACKAGE, "lists no resources")
    for res in resources:
        path = res.get("path") if isinstance(res, dict) else None
        if not isinstance(path, str) or PurePosixPath(path).name != path or path.startswith("."):
            raise VersionRefused(PACKAGE, f"a resource has no plain file name as its path ({path!r})")
    return package


def verify_version(root: Path, files: dict[str, bytes]) -> DataVersion:
    """Hash-check every file against the package and validate every table with its schema (raises VersionRefused)."""
    package = _parse_package(files[PACKAGE])
    tables: dict[str, pd.DataFrame] = {}
    documents: dict[str, Any] = {}
    for res in package["resources"]:
        name = res["path"]
        content = files[name]
        recorded = str(res.get("hash", ""))
        if not recorded.startswith("sha256:"):
            raise VersionRefused(name, f"no sha256 recorded in {PACKAGE}, so it cannot be checked")
        if recorded != f"sha256:{hashlib.sha256(content).hexdigest()}" or res.get("bytes", len(content)) != len(
            content
        ):
            raise VersionRefused(
                name,
                f"its sha256 does not match {PACKAGE} ({len(content):,} bytes; changed or cut short since it "
                "was published)",
            )
        if name.endswith(".csv"):
            tables[name.removesuffix(".csv")] = _verified_table(name, content, res)
        elif name.endswith((".json", ".jsonld")):
            try:
                documents[name] = json.loads(content.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise VersionRefused(name, f"not valid JSON ({exc})") from exc
    return DataVersion(hashlib.sha256(files[PACKAGE]).hexdigest()[:16], root, package, files, tables, documents)


def _verified_table(name: str, content: bytes, res: dict[str, Any]) -> pd.DataFrame:
    try:
        meta = TableMeta.from_descriptor(res)
    except (KeyError, TypeError, ValueError) as exc:
        raise VersionRefused(name, f"its schema in {PACKAGE} is unusable ({exc})") from exc
    try:
        text = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False, na_values=[""])
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise VersionRefused(name, f"not a readable CSV ({exc})") from exc
    if list(text.columns) != meta.columns:
        raise VersionRefused(name, f"columns {list(text.columns)} differ from its schema {meta.columns}")
    try:
        check_schema(from_published_text(text, meta), meta)
    except SchemaViolation as exc:
        raise VersionRefused(name, str(exc)) from exc
    return _typed(text, res)


def _typed(df: pd.DataFrame, res: dict[str, Any]) -> pd.DataFrame:
    """The dashboard's types: numbers, nullable integers and booleans, dates as timestamps (text stays text)."""
    for f in res["schema"]["fields"]:
        col = f["name"]
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


def load_version(root: Path, state_dir: Path | None = None) -> DataVersion:
    """Read and verify the version in `root`. With `state_dir`, the read waits for a publish in progress to commit
    (etl/publish.py's lock), so a version is never read half old, half new."""
    if state_dir is None:
        files = read_version_files(root)
    else:
        with publish_lock(state_dir, exclusive=False):
            files = read_version_files(root)
    return verify_version(root, files)

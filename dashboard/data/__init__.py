"""The only package of the dashboard that reads `data/` (and the refreshes' run state beside it). A data version
(datapackage.json and every file it lists) is read whole, hash-checked and validated before it serves
(`verified.py`); `datastore.py` holds the version that serves, reloads and pins; `refreshes.py` reads what the refreshes
recorded; `health.py` answers /healthz. The names other modules use are importable from here, and so is the
process-wide store (`configure`, `store`)."""

from __future__ import annotations

from dashboard.data.datastore import RELOAD_CHECK_SECONDS, DataStore, SourceRef, TableStaleness
from dashboard.data.health import health
from dashboard.data.verified import (
    PACKAGE,
    DataUnavailable,
    DataVersion,
    VersionRefused,
    load_version,
    read_version_files,
    verify_version,
)

__all__ = [
    "PACKAGE",
    "RELOAD_CHECK_SECONDS",
    "DataStore",
    "DataUnavailable",
    "DataVersion",
    "SourceRef",
    "TableStaleness",
    "VersionRefused",
    "configure",
    "health",
    "load_version",
    "read_version_files",
    "store",
    "verify_version",
]

_STORE: DataStore | None = None


def configure(store: DataStore) -> None:
    """Make `store` the process-wide store (`create_app` does; tests put their own)."""
    global _STORE
    _STORE = store


def store() -> DataStore:
    """The process-wide store (configured by `create_app`)."""
    global _STORE
    if _STORE is None:
        _STORE = DataStore()
    return _STORE

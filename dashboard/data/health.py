"""The data's health for /healthz and /healthz/data: a load balancer needs to know whether anything can serve,
monitoring whether `data/` as it is now passes; the two questions get the two answers."""

from __future__ import annotations

from typing import Any

from dashboard.data.datastore import DataStore


def health(store: DataStore, strict: bool = False) -> tuple[int, dict[str, Any]]:
    """(status code, body) for /healthz and, `strict`, /healthz/data. Every table is checked (hash and schema).

    /healthz answers a load balancer or a container's health check: 200 while a good version serves, with
    "status": "degraded" naming the file that failed when that version is the one in memory or the last good copy
    (taking a working site out of rotation, or restarting it, would not mend data/); 503 only when nothing can
    serve. /healthz/data answers monitoring: 503 whenever data/ as it is now does not pass."""
    store.check()
    version, problem = store.serving, store.problem
    if version is not None and problem is None:
        return 200, {"status": "ok", "version": store.version, "tables": len(version.tables)}
    body: dict[str, Any] = {
        "status": "error",
        "error": str(problem or "no published data")[:300],
        "failed": problem.file if problem else None,
        "table": problem.table if problem and problem.file.endswith(".csv") else None,
        "serving": version.id if version else None,
    }
    if version is not None:
        body["serving_from"] = "last good copy" if store.from_last_good else "memory (the version loaded earlier)"
        if not strict:
            return 200, {**body, "status": "degraded"}
    return 503, body

"""What the refreshes recorded beside the published tables: each source's last attempt (the git-ignored run state),
the changelog of refreshes, the claims' label changes, and each source's fetch staleness. Read here so that the data
package stays the only reader of `data/` and the run state; `DataStore` serves these through its methods."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from etl.paths import Paths
from etl.run_log import effective_status, refresh_in_progress


def read_source_status(state_dir: Path) -> dict[str, Any]:
    """Last attempt per source (git-ignored run state); empty on a fresh clone. A source left "running" by a
    refresh that is no longer alive shows as failed (interrupted), as `etl status` shows it."""
    path = state_dir / "status.json"
    try:
        status = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    if any(entry.get("last_result") == "running" for entry in status.values()):
        alive = refresh_in_progress(state_dir)
        for entry in status.values():
            entry["last_result"], entry["message"] = effective_status(entry, alive)
    return status


def read_changelog(paths: Paths, limit: int, until: str | None) -> list[dict[str, Any]]:
    """The last refreshes, newest first: published changes plus local no-change runs when available; none that
    started after `until` (a pinned version's publication)."""
    records: list[dict[str, Any]] = []
    for path in (paths.changelog, paths.state_dir / "runs.jsonl"):
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines()[-limit * 4 :]:
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError:
                    continue
    unique = {r.get("started_at"): r for r in records if r.get("started_at") and _before(r["started_at"], until)}
    return sorted(unique.values(), key=lambda r: r["started_at"], reverse=True)[:limit]


def fetch_staleness(resources: list[dict[str, Any]], status: dict[str, Any], today: date) -> list[dict[str, Any]]:
    """Per source: as-of date, cadence, and whether it failed last time or is older than twice its cadence."""
    out: dict[str, dict[str, Any]] = {}
    for res in resources:
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


def _before(started_at: str, until: str | None) -> bool:
    """Whether a run that started at `started_at` (ISO, UTC) came before `until` (None: no limit)."""
    if until is None:
        return True
    return started_at.replace("Z", "+00:00")[:19] <= until.replace("Z", "+00:00")[:19]


def read_label_changes(path: Path, until: str | None) -> dict[str, list[dict[str, Any]]]:
    """Claim id → its label changes in data/changelog.jsonl (`path`), none from runs after `until`."""
    out: dict[str, list[dict[str, Any]]] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not _before(str(record.get("started_at") or ""), until):
            continue  # after the (pinned) version was published
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

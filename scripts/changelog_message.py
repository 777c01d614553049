"""Print the commit message for a nightly data commit, from the last record of data/changelog.jsonl.

Git history is the public changelog (git scraping), so the subject line says what changed in a form that reads
well in `git log --oneline`, and the body carries the refresh's own summary lines. Run from the repository root
after `git add data/`; used by scripts/commit-data-if-changed.sh.

If the staged changes do not include a new changelog record (a hand edit, or a refresh that was killed after
publishing), the record would describe an older commit, so the message falls back to `git diff --cached --stat`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SUBJECT_LIMIT = 100  # characters; longer subjects end with "and N more"
MAX_DETAIL_LINES = 20  # revised values / label changes listed in the body


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def last_record(changelog: Path) -> dict[str, Any] | None:
    """The last complete JSON line, or None (missing file, empty file, or a torn last line)."""
    if not changelog.exists():
        return None
    for line in reversed(changelog.read_text(encoding="utf-8").splitlines()):
        if line.strip():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                return None
            return record if isinstance(record, dict) and "sources" in record else None
    return None


def subject_parts(record: dict[str, Any]) -> list[str]:
    """'une_daily +1 row', 'claims: 1 label changed', … in source order; label changes stand for their tables."""
    parts: list[str] = []
    failed: list[str] = []
    for source_id, src in _in_run_order(record):
        if src.get("status") == "failed":
            failed.append(source_id)
            continue
        labels = src.get("label_changes") or []
        if labels:
            parts.append(f"{source_id}: {_plural(len(labels), 'label')} changed")
            continue
        for table in src.get("tables", []):
            if table.get("kind", "table") != "table" or not table.get("changed", True):
                continue
            bits = []
            if table.get("rows_added"):
                bits.append(f"+{_plural(table['rows_added'], 'row')}")
            if table.get("rows_removed"):
                bits.append(f"-{_plural(table['rows_removed'], 'row')}")
            if table.get("cells_revised"):
                bits.append(f"{_plural(table['cells_revised'], 'value')} revised")
            parts.append(f"{table['table']} " + (", ".join(bits) or "rewritten"))
    if failed:
        parts.append(f"{_plural(len(failed), 'source')} failed ({', '.join(failed)})")
    return parts


def _in_run_order(record: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Sources as the run reported them (upstream first, claims last), not the record's alphabetical key order."""
    order: dict[str, int] = {}
    for line in record.get("summary") or []:
        order.setdefault(line.split(":", 1)[0], len(order))
    sources = record.get("sources", {})
    return sorted(sources.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def subject(record: dict[str, Any]) -> str:
    """One line for `git log --oneline`, at most SUBJECT_LIMIT characters; what did not fit is counted, not lost."""
    head = f"Data refresh {str(record.get('started_at', ''))[:10] or _today()}"
    parts = subject_parts(record)
    if not parts:
        return f"{head}: metadata updated"
    line = f"{head}: {parts[0]}"
    for i, part in enumerate(parts[1:], start=1):
        candidate = f"{line}; {part}"
        after = len(parts) - i - 1
        if len(candidate + (f"; and {after} more" if after else "")) > SUBJECT_LIMIT:
            return f"{line}; and {len(parts) - i} more"  # `line` was checked with this suffix (part 1 always kept)
        line = candidate
    return line


def details(record: dict[str, Any]) -> list[str]:
    """Label changes and revised values (old → new): what a reader of `git log` most needs to see."""
    lines: list[str] = []
    labels = [(sid, c) for sid, src in _in_run_order(record) for c in src.get("label_changes") or []]
    if labels:
        lines += ["", "Claim labels changed:"]
        lines += [f"  {c.get('document_id')}/{c.get('claim_id')}: {c.get('old')} → {c.get('new')}" for _, c in labels]
    revisions = [
        (t["table"], r)
        for _, src in _in_run_order(record)
        for t in src.get("tables", [])
        for r in t.get("revisions") or []
    ]
    if revisions:
        lines += ["", "Revised values (old → new):"]
        for table, r in revisions[:MAX_DETAIL_LINES]:
            key = ", ".join(f"{k}={v}" for k, v in (r.get("key") or {}).items())
            lines.append(f"  {table} [{key}] {r.get('field')}: {r.get('old')} → {r.get('new')}")
        if len(revisions) > MAX_DETAIL_LINES:
            lines.append(f"  … and {len(revisions) - MAX_DETAIL_LINES} more (see data/changelog.jsonl)")
    return lines


def uncovered(record: dict[str, Any], staged: list[str], data_dir: str) -> list[str]:
    """Staged data files the record does not mention (e.g. published by a run that was killed before logging)."""
    named = {
        f"{t['table']}.csv" if t.get("kind", "table") == "table" else t["table"]
        for src in record.get("sources", {}).values()
        for t in src.get("tables", [])
    }
    skip = {f"{data_dir}/changelog.jsonl", f"{data_dir}/datapackage.json"}
    return [p for p in staged if p not in skip and p.removeprefix(f"{data_dir}/") not in named]


def message(record: dict[str, Any] | None, staged: list[str], stat: str, data_dir: str = "data") -> str:
    if record is None or f"{data_dir}/changelog.jsonl" not in staged:
        return f"Data refresh {_today()} (no new changelog record)\n\n{stat.rstrip()}\n"
    lines = [subject(record), ""]
    lines += list(record.get("summary") or [])
    lines += details(record)
    extra = uncovered(record, staged, data_dir)
    if extra:
        lines += ["", "Also changed (not in this changelog record):"] + [f"  {p}" for p in extra]
    return "\n".join(lines).rstrip() + "\n"


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True, timeout=60).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="data", help="the published folder, relative to the repository root")
    args = parser.parse_args(argv)
    data_dir = args.data_dir.rstrip("/")
    staged = [p for p in _git("diff", "--cached", "--name-only", "-z", "--", data_dir).split("\0") if p]
    stat = _git("diff", "--cached", "--stat", "--", data_dir)
    record = last_record(Path(data_dir) / "changelog.jsonl")
    sys.stdout.write(message(record, staged, stat, data_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())

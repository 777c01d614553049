"""`python -m etl parse-une < notes.jsonl > parsed.jsonl`: parse UNE notes given as JSON lines.

Each input line is ``{"date": "YYYY-MM-DD", "text": "..."}``; each output line is the
``etl.une.parser.parse_note`` record as JSON. A bad line is reported on stderr with its line number
and skipped, so one broken record does not lose a night's batch; the exit code is 1 if any line was
bad, 0 otherwise. Blank lines are ignored. A text that is not read as a UNE note still gets its
(all-null) record, and stderr ends with the count of such texts per reason ("no UNE figures", "not a
daily note: ..."), so a page layout the detector misses never passes silently.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any, TextIO

from etl.une.parser import parse_note, parse_note_with_reason

__all__ = ["main"]


def _record(line: str) -> tuple[dict[str, Any] | None, str | None]:
    """The input record of one line, or an error message saying what is wrong with it."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON ({exc.msg} at column {exc.colno})"
    if not isinstance(data, dict):
        return None, f"expected a JSON object, got {type(data).__name__}"
    text = data.get("text")
    if not isinstance(text, str):
        return None, 'missing "text" string'
    date = data.get("date")
    if date is not None and not isinstance(date, str):
        return None, '"date" must be a string "YYYY-MM-DD" or null'
    if isinstance(date, str) and parse_note("", date)["date"] is None:
        return None, f'"date" is not a date YYYY-MM-DD: {date[:40]!r}'
    return data, None


def main(stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Read JSON lines from ``stdin``, write one parsed record per good line to ``stdout``."""
    bad = 0
    rejected: Counter[str] = Counter()
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        data, error = _record(line)
        if data is None:
            bad += 1
            print(f"parse-une: line {number}: {error}; skipped", file=stderr)
            continue
        record, reason = parse_note_with_reason(data["text"], data.get("date"))
        if reason is not None:
            rejected[reason] += 1
        stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    for reason, count in sorted(rejected.items(), key=lambda item: (-item[1], item[0])):
        print(f"parse-une: {count} text(s) not read as a UNE note: {reason}", file=stderr)
    if bad:
        print(f"parse-une: {bad} bad line(s) skipped", file=stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.stdin, sys.stdout, sys.stderr))

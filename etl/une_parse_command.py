"""`python -m etl parse-une < notes.jsonl > parsed.jsonl`: parse UNE notes given as JSON lines.

Each input line is ``{"date": "YYYY-MM-DD", "text": "..."}``; each output line is the
``etl.une_parser.parse_note`` record as JSON. A bad line is reported on stderr with its line number
and skipped, so one broken record does not lose a night's batch; the exit code is 1 if any line was
bad, 0 otherwise. Blank lines are ignored.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from etl.une_parser import parse_note

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
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        data, error = _record(line)
        if data is None:
            bad += 1
            print(f"parse-une: line {number}: {error}; skipped", file=stderr)
            continue
        stdout.write(json.dumps(parse_note(data["text"], data.get("date")), ensure_ascii=False) + "\n")
    if bad:
        print(f"parse-une: {bad} bad line(s) skipped", file=stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.stdin, sys.stdout, sys.stderr))

"""Text that must not be published as-is: cells a spreadsheet would run as formulas, and links that are not web
addresses. One definition, used by the ETL's validation (etl/validation.py) and the dashboard's spreadsheet downloads
(dashboard/spreadsheet.py), so the two can never disagree on what "formula-like" means.

OWASP's CSV injection guidance (and ASVS 1.2.10): a cell whose first character is `=`, `+`, `-`, `@`, tab, carriage
return (we add line feed and NUL) may be evaluated by Excel, LibreOffice or Sheets; prefixing it with a single quote
makes it text. A plain number (`-12.5`, `+3`, `1e-3`) is not a formula and keeps its value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
WEB_SCHEMES = ("http", "https")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
MAX_EXAMPLES = 5


def plain_number(value: Any) -> bool:
    """Digits with an optional sign, decimal point and exponent: what a spreadsheet reads as that number."""
    return isinstance(value, str) and bool(_PLAIN_NUMBER.fullmatch(value))


def formula_like(value: Any) -> bool:
    """A text a spreadsheet would evaluate (not a plain signed number, which it reads as the number)."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not plain_number(value)


def neutralise(value: Any) -> Any:
    """OWASP: a leading single quote makes a spreadsheet show the cell as text instead of running it."""
    return "'" + value if formula_like(value) else value


def web_url(value: Any) -> bool:
    """An absolute http(s) address with a host: the only kind of link we publish (no javascript:, data:, file:)."""
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def url_field(name: str) -> bool:
    """Columns that hold links, by the naming rule of etl/sources/*.meta.yaml: `url` or `<something>_url`."""
    return name == "url" or name.endswith("_url")


@dataclass(frozen=True)
class TextNote:
    """One column's cells that were changed or refused, for the run log: what, how many, why, a few examples."""

    table: str
    column: str
    action: str  # neutralised | removed | refused
    count: int
    reason: str
    examples: tuple[str, ...]

    def line(self) -> str:
        shown = ", ".join(repr(e[:60]) for e in self.examples)
        return f"{self.table}.{self.column}: {self.action} {self.count:,} cell(s) ({self.reason}), e.g. {shown}"

    def record(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "column": self.column,
            "action": self.action,
            "count": self.count,
            "reason": self.reason,
            "examples": list(self.examples),
        }


class UnsafeText(ValueError):
    """A required link that is not a web address: the row cannot be published without it."""


def _examples(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(v) for v in list(values)[:MAX_EXAMPLES])


def guard_text(
    df: pd.DataFrame, table: str, text_columns: Iterable[str], required: Iterable[str], *, formulas: bool
) -> tuple[pd.DataFrame, list[TextNote]]:
    """Check a validated table's text before it is published: carriage returns become line feeds, links must be
    http(s) (an optional one that is not is removed; a required one refuses the table), and with `formulas` (text
    from third parties) formula-like cells are neutralised with a leading quote. Returns the frame (a copy if
    anything changed) and what was done, with why."""
    notes: list[TextNote] = []
    required = set(required)
    out = df
    for column in text_columns:
        if column not in df.columns:
            continue
        values = out[column]
        present = values.notna()
        # A carriage return is no text of ours: our CSVs end lines with \n and do not quote a lone \r, so a reader
        # would split the row there. Line ends become \n (quoted as usual).
        carriage = present & values.str.contains("\r", regex=False).fillna(False).astype(bool)
        if carriage.any():
            examples = _examples(values[carriage])
            out = out.copy() if out is df else out
            out.loc[carriage, column] = values[carriage].str.replace("\r\n", "\n").str.replace("\r", "\n")
            notes.append(TextNote(table, column, "neutralised", int(carriage.sum()), "carriage return", examples))
            values = out[column]
        if url_field(column):
            bad = present & ~values.map(web_url, na_action="ignore").fillna(False).astype(bool)
            if bad.any():
                examples = _examples(values[bad])
                reason = "not an http(s) address"
                if column in required:
                    raise UnsafeText(
                        f"{table}.{column}: {int(bad.sum()):,} link(s) {reason} in a required column, "
                        f"e.g. {examples[0][:80]!r}; refusing to publish"
                    )
                out = out.copy() if out is df else out
                out.loc[bad, column] = pd.NA
                notes.append(TextNote(table, column, "removed", int(bad.sum()), reason, examples))
                continue
        if formulas:
            risky = present & values.map(formula_like, na_action="ignore").fillna(False).astype(bool)
            if risky.any():
                examples = _examples(values[risky])
                out = out.copy() if out is df else out
                out.loc[risky, column] = values[risky].map(neutralise)
                reason = "starts like a spreadsheet formula; prefixed with ' (OWASP CSV injection)"
                notes.append(TextNote(table, column, "neutralised", int(risky.sum()), reason, examples))
    return out, notes

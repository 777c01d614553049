"""CSV meant to be opened in a spreadsheet (chart downloads, the static export's csv/): cells that Excel, LibreOffice
or Sheets would run as formulas are neutralised as OWASP's CSV injection guidance says. The published open-data files
(/files/*.csv, the zip) stay byte-exact: they are hashed in datapackage.json and read by programs.

OWASP: prefix a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return with a single quote, and quote
every text cell (so that a separator of another locale inside a cell cannot start a new one). Plain numbers,
negative ones included, stay unquoted numbers. The rule itself is etl/safety.py's, shared with the ETL."""

from __future__ import annotations

import csv
import io

from etl.safety import neutralise, plain_number


def for_spreadsheets(content: bytes) -> bytes:
    """The same table, safe to double-click: formula-like text cells prefixed with `'`, every text cell quoted, numbers
    (negative ones too) and empty cells left as they are. Takes and returns UTF-8 CSV."""
    rows = csv.reader(io.StringIO(content.decode("utf-8"), newline=""))
    out = io.StringIO()
    header = next(rows, None)
    if header is None:
        return content
    csv.writer(out, lineterminator="\n").writerow(header)  # our own column names, written as they were
    for row in rows:
        out.write(",".join(_cell(cell) for cell in row) + "\n")
    return out.getvalue().encode("utf-8")


def _cell(cell: str) -> str:
    if cell == "" or plain_number(cell):
        return cell
    return '"' + neutralise(cell).replace('"', '""') + '"'

"""A chart's table view: the numbers shown as a real <table> (for screen readers and for copying), built as the JSON
Dash sends for it, with the newest rows of a long series first, and kept for the last few tables only."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from dashboard import memo
from dashboard.chart_registry import ChartView
from dashboard.i18n import STRINGS, data_term, fmt_num, publisher_text, reported_figures, t

MAX_TABLE_ROWS = 60  # two months of daily notes, newest first; every row is in the CSV (the note says so)


def _html(tag: str, children: Any, **props: Any) -> dict:
    """An html component as the JSON Dash sends for it (`className=` as in dash.html). A table view holds up to
    2,000 cells; building each as an `html.Td` object cost ~80 ms per table-view callback. Same JSON as the
    components (tests/dashboard/test_fast_paths.py)."""
    return {"props": {"children": children, **props}, "type": tag, "namespace": "dash_html_components"}


def _cell(value: Any, lang: str, words: Callable[[str, str], str] = data_term) -> dict:
    if isinstance(value, bool | np.bool_):
        return _html("Td", t("table_yes" if value else "table_no", lang))
    if isinstance(value, int | np.integer):  # a year stays "2024"; a quantity gets the site's marks ("350.000")
        return _html("Td", fmt_num(float(value), lang, 0) if abs(value) >= 10_000 else str(value), className="num")
    if isinstance(value, float):
        return _html("Td", fmt_num(value, lang), className="num")
    if isinstance(value, pd.Timestamp):
        return _html("Td", value.date().isoformat(), className="date")
    if value is None or value is pd.NA or value == "":
        return _html("Td", "–")
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        text = value[:60] + ("…" if len(value) > 60 else "")
        return _html("Td", _html("A", text, href=value, rel="noopener noreferrer", target="_blank"))
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return _html("Td", value, className="date")
    return _html("Td", words(str(value), lang))


_TABLES_MAX = 24  # a page's tables in both languages, and a few more
_TABLES = memo.ByteLRU("tables", memo.budget("tables")[0], _TABLES_MAX, memo.budget("tables")[2])


def view_table(view: ChartView, lang: str) -> dict:
    """A view's table, kept for the last few tables only: a long table is ~3,000 small dicts, and keeping one with
    each of the 256 cached views made Python's full garbage collections take ~100 ms (the callbacks' p95). Keyed by
    what the table is made of (the view's title, the language and its frame's values: `memo.frame_key`), never by
    the view object: an object's id is reused once it is gone, and equal views share one table."""
    rows, note = _shown_rows(view.frame, lang)
    # The rows shown (at most MAX_TABLE_ROWS) and the note naming how many there are make the table: hashing those
    # instead of the whole frame keeps a new daily view's table cheap (a thousand rows, most never shown).
    key = (memo.frame_key(view.frame.iloc[rows]), note, view.title, lang)
    table = _TABLES.get(key)
    if table is None:
        table = data_table(view.frame, lang, view.title)
        _TABLES.set(key, table, memo.size_of(table))
    return table


# Columns naming who published a figure: their connecting words ("via", "citing") are translated, the names kept.
PUBLISHER_COLUMNS = frozenset({"publisher", "republisher", "consumption_publisher", "source", "year_basis"})
# A day, a month, a period or a ratio's two periods ("2025-01-01/2025-10-31 / 2026-01-30"): kept on one line.
_PERIOD = r"\d{4}-\d{2}(?:-\d{2})?(?:/\d{4}-\d{2}(?:-\d{2})?)?"
ISO_DATE = re.compile(rf"{_PERIOD}(?: / {_PERIOD})?")
UNIT_LISTS = frozenset({"units_breakdown", "units_maintenance"})  # une_daily's "Plant#unit; …" lists


def _column_cells(col: pd.Series, rows: np.ndarray, lang: str) -> list[dict]:
    """Those rows of a column as cells, formatted as `_cell` formats each value; the common types in one pass."""
    if col.dtype == "float64":
        return [_html("Td", fmt_num(v, lang), className="num") for v in col.to_numpy()[rows].tolist()]
    if pd.api.types.is_datetime64_dtype(col.dtype):
        unit = "M" if col.name == "month" else "D"  # a month is "2022-07", not its first day
        dates = np.datetime_as_string(col.to_numpy()[rows], unit=unit).tolist()
        return [_html("Td", v, className="date") if v != "NaT" else _html("Td", "–") for v in dates]
    words = cell_words(str(col.name))
    seen: dict[Any, dict] = {}  # a column repeats its words (suppliers, kinds): each distinct value is made once
    out = []
    for v in col.array[rows].tolist():
        key = (type(v), v) if isinstance(v, str | bool | int) else None
        cell = seen.get(key) if key is not None else None
        if cell is None:
            cell = _cell(v, lang, words)
            if key is not None:
                seen[key] = cell
        out.append(cell)
    return out


def cell_words(column: str) -> Callable[[str, str], str]:
    """How a column's text reads in a language: a publisher's connecting words translated (names kept); a value the
    catalogue names for this column (`table.value.<column>.<value>`: "note" is a UNE note only in source_kind); else
    each "; "-separated part as a data term ("press report; tanker tracking")."""
    prefix = f"table.value.{column}."

    def words(text: str, lang: str) -> str:
        if prefix + text in STRINGS:
            return t(prefix + text, lang)
        if column == "other_reports":  # "0 b/d (TRT World, hasta el 9 feb)"
            return "; ".join(reported_figures(text, lang))
        if column in UNIT_LISTS:  # "Otto Parellada (Tallapiedra)#": the note named the plant, not the unit
            unnamed = t("table_unit_unnamed", lang)
            return "; ".join(f"{part[:-1]} ({unnamed})" if part.endswith("#") else part for part in text.split("; "))
        translated = "; ".join(data_term(part, lang) for part in text.split("; "))
        return publisher_text(translated, lang) if column in PUBLISHER_COLUMNS else translated

    return words


def _shown_rows(frame: pd.DataFrame, lang: str) -> tuple[np.ndarray, str]:
    """Positions of the rows a table view shows, and a note when it shows only some: long series show their newest
    rows first (what a reader checks), everything else its first rows; the CSV download always has every row."""
    if len(frame) <= MAX_TABLE_ROWS:
        return np.arange(len(frame)), ""
    counts = {"shown": fmt_num(MAX_TABLE_ROWS, lang), "total": fmt_num(len(frame), lang)}
    when = next((c for c in ("date", "month", "period_end", "year") if c in frame.columns), None)
    if when is None:
        return np.arange(MAX_TABLE_ROWS), t("table_first", lang, **counts)
    order = frame[when]
    if order.is_monotonic_increasing and order.is_unique:  # the usual case: one row per date, oldest first
        return np.arange(len(frame) - 1, len(frame) - 1 - MAX_TABLE_ROWS, -1), t("table_newest", lang, **counts)
    newest = order.reset_index(drop=True).sort_values(ascending=False, kind="stable")  # ties keep their order
    return newest.index.to_numpy()[:MAX_TABLE_ROWS], t("table_newest", lang, **counts)


def table_rows(frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, str]:
    """The rows a table view shows (see `_shown_rows`), as a frame."""
    rows, note = _shown_rows(frame, lang)
    return frame.iloc[rows], note


def column_header(column: str, lang: str) -> str:
    """A column's name in words, with its unit ("Barrels a day (bbl/d)"); the CSV download keeps `value_bbl_per_day`.
    The explorer's tables show any published column: one the catalogue does not name keeps its published name."""
    key = f"table.col.{column}"
    return t(key, lang) if key in STRINGS else column


def data_table(frame: pd.DataFrame, lang: str, caption: str) -> dict:
    """A real <table> of the numbers shown (for screen readers and for copying), as an html.Table's JSON."""
    rows, note = _shown_rows(frame, lang)
    header = _html("Thead", _html("Tr", [_html("Th", column_header(c, lang), scope="col") for c in frame.columns]))
    columns = [_column_cells(col, rows, lang) for _, col in frame.items()]
    cells = [_html("Tr", list(row)) for row in zip(*columns, strict=True)]
    return _html(
        "Table",
        [_html("Caption", f"{caption} ({note})" if note else caption), header, _html("Tbody", cells)],
        className="table table-sm table-striped data-table",
    )

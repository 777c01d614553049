"""What a source module provides, and what the runner gives it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from etl.http import DEFAULT_MAX_BYTES


class ParseError(ValueError):
    """Upstream bytes are not what the parser expects (wrong format, missing columns, an error page...)."""


@dataclass(frozen=True)
class Resource:
    """One upstream file: its name in the raw cache and its production URL."""

    name: str
    url: str
    optional: bool = False  # a 404 means "not published (yet)", not a failure
    max_bytes: int = DEFAULT_MAX_BYTES
    refetch: bool = True  # False: an archived file already in the cache is not asked for again
    # At most this many seconds for this request, when shorter than the usual limits: a part's share of its source's
    # time (an outlet of une_outlets), so that one slow part cannot use up the time of the others.
    deadline_s: float | None = None


@dataclass(frozen=True)
class FetchContext:
    """What a source may know when it plans its requests (the date, the env, what it already has)."""

    today: date
    env: dict[str, str] = field(default_factory=dict)
    cached_names: frozenset[str] = frozenset()
    published: dict[str, pd.DataFrame] = field(default_factory=dict)
    read_table: Any = None  # name -> published DataFrame or None (for incremental fetches across sources)
    deadline_s: float = float("inf")  # the seconds this source's fetching may take in all ($CUBA_ETL_SOURCE_DEADLINE)


def require_columns(df: pd.DataFrame, columns: list[str] | set[str], what: str) -> None:
    """Fail loudly when upstream renames or drops a column we rely on."""
    missing = sorted(set(columns) - set(df.columns))
    if missing:
        raise ParseError(f"{what}: expected column(s) {', '.join(missing)} are missing (schema drift upstream?)")


def sniff_not_html(content: bytes, what: str) -> None:
    """An HTML error page served with status 200 must not be parsed as data."""
    head = content[:512].lstrip().lower()
    if not content.strip():
        raise ParseError(f"{what}: the response body is empty")
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        raise ParseError(f"{what}: got an HTML page where data was expected")


def decode_text(content: bytes, what: str) -> str:
    """UTF-8 (with or without BOM); anything else is a format change we want to hear about."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"{what}: not UTF-8 text (encoding changed upstream?): {exc.reason} at byte {exc.start}"
        ) from exc


def parse_json(content: bytes, what: str) -> Any:
    """A JSON file's document; an HTML error page, another encoding or malformed JSON is a ParseError naming it."""
    sniff_not_html(content, what)
    try:
        return json.loads(decode_text(content, what))
    except json.JSONDecodeError as exc:
        raise ParseError(f"{what}: malformed JSON: {exc}") from exc


@dataclass(frozen=True)
class DeriveContext:
    """What a derived source gets: published input tables and their metadata, the seeds, its previous outputs."""

    inputs: dict[str, pd.DataFrame]
    meta: Any
    vintages: dict[str, str]
    package: dict[str, Any]
    seeds_dir: Path
    previous_documents: dict[str, bytes]
    now: datetime

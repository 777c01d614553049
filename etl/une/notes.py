"""UNE notes → one row of figures per article (never the article text: we publish the figures, with the URL).

Shared by the archive source (GitHub corpora of Cubadebate articles) and the live source (Cubadebate's API)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import pandas as pd

from etl.une.corpus import Article, normalize_url
from etl.une.parser import FIELDS, parse_note_with_reason

UNIT_FIELDS = ("units_breakdown", "units_maintenance")
#: Reason counted for a text the detector accepts but that yields no figure (all fields null).
NO_FIELD_READ = "a note, but no field could be read"
NOTE_COLUMNS = ["url", "published_at", "date", "collection", *[f for f in FIELDS if f not in UNIT_FIELDS], *UNIT_FIELDS]


def units_text(units: list[dict[str, Any]] | None) -> str | None:
    """[{"plant": "Máximo Gómez (Mariel)", "unit": 6}, ...] → "Máximo Gómez (Mariel)#6; Antonio Guiteras#"."""
    if units is None:
        return None
    return "; ".join(f"{u['plant']}#{'' if u.get('unit') is None else u['unit']}" for u in units)


def parse_units_text(text: str | None) -> list[tuple[str, int | None]]:
    if not isinstance(text, str) or not text.strip():
        return []
    out = []
    for part in text.split("; "):
        plant, _, unit = part.partition("#")
        out.append((plant, int(unit) if unit.strip().isdigit() else None))
    return out


def notes_table(articles: Iterable[Article], collection: str) -> pd.DataFrame:
    """Parse every article that reads like a UNE note; other articles (news about the grid, interviews) are dropped.

    The dropped articles are counted per reason in ``table.attrs["rejected"]`` ({reason: count}), so a run can
    report how many texts it did not read and why, instead of losing them silently."""
    rows = []
    rejected: Counter[str] = Counter()
    seen: set[str] = set()
    for article in articles:
        key = normalize_url(article.url)
        if key in seen or not article.date:
            continue
        seen.add(key)
        record, reason = parse_note_with_reason(article.text, article.date)
        if reason is not None:
            rejected[reason] += 1
            continue
        if all(record.get(f) in (None, []) for f in FIELDS if f != "total_grid_collapse"):
            rejected[NO_FIELD_READ] += 1
            continue
        row: dict[str, Any] = {
            "url": article.url.strip(),
            "published_at": article.published_at or article.date,
            "date": article.date,
            "collection": collection,
        }
        for field in FIELDS:
            value = record.get(field)
            row[field] = units_text(value) if field in UNIT_FIELDS else value
        rows.append(row)
    table = pd.DataFrame(rows, columns=NOTE_COLUMNS)
    table.attrs["rejected"] = dict(rejected)
    return table

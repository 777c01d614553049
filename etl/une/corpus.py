"""Load Cubadebate article exports (the UNE-note corpora) from CSV bytes into plain records.

Both public collections (ALbertE03/SEN and DJSixHub/SEN) export the same columns
``Título,Fecha,Contenido,Etiquetas,Número de Comentarios,Enlace`` as UTF-8 with a BOM, with article
bodies longer than the csv module's default field limit. This module is pure (bytes in, records
out) so the ETL can reuse it on fetched bytes and the benchmarks on the mirrored files.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Article", "dedupe", "normalize_url", "parse_articles_csv"]


@dataclass(frozen=True, slots=True)
class Article:
    """One article: publication date (YYYY-MM-DD), URL as published, title and body text."""

    date: str
    url: str
    title: str
    text: str
    published_at: str = ""  # "YYYY-MM-DD HH:MM" when the export gives the time (to prefer the morning note)


def normalize_url(url: str) -> str:
    """Key for matching the same article across sources: http/https and a trailing slash do not count."""
    url = url.strip()
    if url.startswith("https://"):
        url = "http://" + url[len("https://") :]
    return url.rstrip("/")


def _raise_field_limit() -> None:
    limit = sys.maxsize
    while True:  # sys.maxsize overflows a C long on some platforms
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 10


def parse_articles_csv(data: bytes) -> list[Article]:
    """Records of one export, in file order. Rows without a link are skipped (nothing to key them on)."""
    _raise_field_limit()
    text = data.decode("utf-8-sig", errors="replace")
    out: list[Article] = []
    for row in csv.DictReader(io.StringIO(text, newline="")):
        url = (row.get("Enlace") or "").strip()
        if not url:
            continue
        out.append(
            Article(
                date=(row.get("Fecha") or "").strip()[:10],
                url=url,
                title=(row.get("Título") or "").strip(),
                text=row.get("Contenido") or "",
                published_at=(row.get("Fecha") or "").strip()[:16],
            )
        )
    return out


def dedupe(articles: Iterable[Article]) -> list[Article]:
    """Keep the first record of each article (by normalised URL); the daily files repeat articles."""
    seen: set[str] = set()
    out: list[Article] = []
    for article in articles:
        key = normalize_url(article.url)
        if key in seen:
            continue
        seen.add(key)
        out.append(article)
    return out

"""Archived UNE daily notes: two public GitHub corpora of Cubadebate articles (ALbertE03/SEN, DJSixHub/SEN).

The DJSixHub collection adds one file per day (`articulos_YYYY-MM-DD.csv`). We list the folder through GitHub's
API when it answers, else probe the dates; a daily file older than a few days never changes, so it is not asked
for again once cached.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date, timedelta

import pandas as pd

from etl.meta import SourceMeta
from etl.sources.base import FetchContext, ParseError, Resource, decode_text, sniff_not_html
from etl.une.corpus import _raise_field_limit, dedupe, parse_articles_csv
from etl.une.notes import notes_table

ALBERTE03_URL = (
    "https://raw.githubusercontent.com/ALbertE03/SEN/main/data/raw/afectaciones_electricas_cubadebate_filter_2025.csv"
)
ALBERTE03_FILE = "alberte03_cubadebate_2022_2025.csv"
DJSIXHUB_BASE = "https://raw.githubusercontent.com/DJSixHub/SEN/main/data/daily"
DJSIXHUB_LISTING = "https://api.github.com/repos/DJSixHub/SEN/contents/data/daily"
DJSIXHUB_FIRST_DAY = date(2025, 4, 1)
REREAD_DAYS = 3  # recent daily files may still be rewritten upstream


def daily_name(day: date) -> str:
    return f"articulos_{day.isoformat()}.csv"


def fetch(ctx: FetchContext, fetch_one) -> None:
    """Archive CSV, then the daily files: from the listing if GitHub's API answers, else by probing dates."""
    fetch_one(Resource(ALBERTE03_FILE, ALBERTE03_URL, max_bytes=100 * 1024 * 1024))
    names: list[str] | None = None
    listing = fetch_one(Resource("djsixhub_listing.json", DJSIXHUB_LISTING, optional=True, max_bytes=5 * 1024 * 1024))
    if listing:
        try:
            names = sorted(item["name"] for item in json.loads(listing) if str(item.get("name", "")).endswith(".csv"))
        except (ValueError, TypeError, KeyError):
            names = None  # not the API's shape (an error page): fall back to probing
    cached = sorted(n for n in ctx.cached_names if n.startswith("articulos_"))
    if names is None:
        start = DJSIXHUB_FIRST_DAY
        if cached:
            start = date.fromisoformat(cached[-1][10:20]) - timedelta(days=REREAD_DAYS)
        names = sorted({*cached, *(daily_name(start + timedelta(days=i)) for i in range((ctx.today - start).days + 1))})
    recent = {daily_name(ctx.today - timedelta(days=i)) for i in range(REREAD_DAYS + 1)}
    for name in names:
        fetch_one(
            Resource(
                name,
                f"{DJSIXHUB_BASE}/{name}",
                optional=True,
                refetch=name not in cached or name in recent,
                max_bytes=20 * 1024 * 1024,
            )
        )


def _check_csv(content: bytes, name: str) -> None:
    """UTF-8 and well-formed CSV, strictly: the article reader is lenient (it replaces undecodable bytes and reads an
    unclosed quote to the end of the file), so a re-encoded or cut file would otherwise publish garbled notes."""
    text = decode_text(content, name)
    _raise_field_limit()
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), strict=True):
            pass
    except csv.Error as exc:
        raise ParseError(f"{name}: not a readable CSV: {exc}") from exc


def parse(raw: dict[str, bytes], meta: SourceMeta) -> dict[str, pd.DataFrame]:
    if ALBERTE03_FILE not in raw:
        raise ParseError(f"{ALBERTE03_FILE}: missing")
    articles = []
    for name in [ALBERTE03_FILE, *sorted(n for n in raw if n.startswith("articulos_"))]:
        sniff_not_html(raw[name], name)
        _check_csv(raw[name], name)
        records = parse_articles_csv(raw[name])
        if not records and name == ALBERTE03_FILE:
            raise ParseError(f"{name}: no articles (expected columns Título,Fecha,Contenido,...,Enlace)")
        header = raw[name][:300].decode("utf-8-sig", errors="replace")
        if "Contenido" not in header or "Enlace" not in header:
            raise ParseError(f"{name}: expected columns Contenido and Enlace are missing (schema drift upstream?)")
        collection = "ALbertE03/SEN" if name == ALBERTE03_FILE else "DJSixHub/SEN"
        articles.extend((a, collection) for a in records)
    # The same article may be in both collections: keep its first appearance (the older, larger corpus first).
    unique = dedupe(a for a, _ in articles)
    origin = {id(a): c for a, c in articles}
    by_collection: dict[str, list] = {}
    for article in unique:
        by_collection.setdefault(origin[id(article)], []).append(article)
    frames = [notes_table(items, collection) for collection, items in by_collection.items()]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    # concat keeps `attrs` only when every frame has the same: the texts not read, summed over the collections.
    df.attrs["rejected"] = dict(sum((Counter(f.attrs.get("rejected", {})) for f in frames), Counter()))
    if df.empty:
        raise ParseError("no UNE notes found in the corpora")
    return {"une_notes_archive": df}

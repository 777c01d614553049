"""Havana's blackout blocks: yearly outage hours per block estimated by EduardoProfe666/une-unwrapped-habana from
the Havana electricity company's Telegram posts. Third-party and rough (the author says so); we use it only to
check our own outage-hours estimate, and flag years where the heuristic evidently failed."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd

from etl.meta import SourceMeta
from etl.sources.base import FetchContext, ParseError, Resource, decode_text, sniff_not_html

BASE = "https://raw.githubusercontent.com/EduardoProfe666/une-unwrapped-habana/master/app/public/data"
FIRST_YEAR = 2022
BLOCK_KEYS = ("number", "estimated_affected_seconds")


def resources(ctx: FetchContext) -> list[Resource]:
    return [
        Resource(
            f"analysis_data_{year}.json",
            f"{BASE}/analysis_data_{year}.json",
            optional=year > 2025,
            max_bytes=20 * 1024 * 1024,
        )
        for year in range(FIRST_YEAR, ctx.today.year + 1)
    ]


def _day(text: str) -> datetime:
    return datetime.fromisoformat(str(text)[:19])


def parse(raw: dict[str, bytes], meta: SourceMeta) -> dict[str, pd.DataFrame]:
    rows = []
    for name in sorted(raw):
        sniff_not_html(raw[name], name)
        try:
            doc = json.loads(decode_text(raw[name], name))
            year = int(doc["year"])
            first = _day(doc["first_message"]["date_cuba"])
            last = _day(doc["last_message"]["date_cuba"])
            blocks = doc["blocks_analysis"]
            for block in blocks:  # a renamed key must not read as zero hours
                missing = [k for k in BLOCK_KEYS if k not in block]
                if missing:
                    raise KeyError(f"block without {', '.join(missing)} (schema drift upstream?)")
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ParseError(f"{name}: unexpected shape ({type(exc).__name__}: {exc})") from exc
        days = max((last.date() - first.date()).days + 1, 1)
        hours = [float(b.get("estimated_affected_seconds", 0)) / 3600 for b in blocks]
        usable = any(h > 0 for h in hours) and sum(h == 0 for h in hours) <= 2
        for block, h in zip(blocks, hours, strict=True):
            rows.append(
                {
                    "year": year,
                    "block": int(block["number"]),
                    "estimated_outage_hours": round(h, 1),
                    "days_covered": days,
                    "outage_hours_per_day": round(h / days, 2),
                    "declared_affectations": int(block.get("declared_affectations", 0)),
                    "mentions": int(block.get("mentions", 0)),
                    "first_message_date": first.date().isoformat(),
                    "last_message_date": last.date().isoformat(),
                    "usable": usable and h > 0,
                }
            )
    if not rows:
        raise ParseError("no Havana block data")
    return {"havana_block_outages": pd.DataFrame(rows)}

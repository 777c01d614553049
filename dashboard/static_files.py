"""Fingerprinted static files: `/static/v/<hash>/<name>`, an address that changes with the file's content, so pages
and embeds can let browsers keep the file for a year."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
PLOTLY_BUNDLE = "vendor/plotly-basic.min.js"


@lru_cache(maxsize=64)
def digest(name: str, mtime: float) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def asset_url(name: str) -> str:
    """`/static/v/<hash>/<name>`: the name changes with the content, so it can be cached for a year."""
    path = STATIC / name
    return f"/static/v/{digest(name, path.stat().st_mtime)}/{name}"

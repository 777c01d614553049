"""WRI Global Power Plant Database, Cuba source file: plants, fuel, capacity, coordinates."""

from __future__ import annotations

import io

import pandas as pd

from etl.meta import SourceMeta
from etl.sources.base import FetchContext, ParseError, Resource, decode_text, require_columns, sniff_not_html

URL = "https://raw.githubusercontent.com/wri/global-power-plant-database/master/raw_source_files/WRI/Cuba.csv"
FILE = "Cuba.csv"


def resources(ctx: FetchContext) -> list[Resource]:
    return [Resource(FILE, URL, max_bytes=5 * 1024 * 1024)]


def parse(raw: dict[str, bytes], meta: SourceMeta) -> dict[str, pd.DataFrame]:
    table = meta.tables["power_plants_wri"]
    content = raw[FILE]
    sniff_not_html(content, FILE)
    try:
        df = pd.read_csv(io.StringIO(decode_text(content, FILE)), dtype=str)
    except pd.errors.ParserError as exc:
        raise ParseError(f"{FILE}: not a readable CSV: {exc}") from exc
    renames = {f.upstream: f.name for f in table.fields if f.upstream}
    require_columns(df, set(renames), FILE)
    df = df[list(renames)].rename(columns=renames, errors="raise")
    if df.empty:
        raise ParseError(f"{FILE}: no plants")
    for col in ("capacity_mw", "latitude", "longitude"):
        df[col] = pd.to_numeric(df[col], errors="raise")
    return {"power_plants_wri": df}

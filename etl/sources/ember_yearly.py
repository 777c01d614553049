"""Ember's yearly country overview CSV (all countries); we keep the OWID comparison set."""

from __future__ import annotations

import io

import pandas as pd

from etl.meta import SourceMeta
from etl.sources.base import FetchContext, ParseError, Resource, decode_text, require_columns, sniff_not_html
from etl.sources.owid_energy import COUNTRIES

URL = "https://raw.githubusercontent.com/ember-climate/ember-data-api/main/data/api_country_overview_yearly.csv"
FILE = "api_country_overview_yearly.csv"
# Ember spells a few names differently from OWID; the published table uses OWID's names so the two join.
EMBER_NAMES = {"United States of America": "United States", "Venezuela (Bolivarian Republic of)": "Venezuela"}


def resources(ctx: FetchContext) -> list[Resource]:
    return [Resource(FILE, URL, max_bytes=50 * 1024 * 1024)]


def parse(raw: dict[str, bytes], meta: SourceMeta) -> dict[str, pd.DataFrame]:
    table = meta.tables["ember_yearly"]
    content = raw[FILE]
    sniff_not_html(content, FILE)
    try:
        df = pd.read_csv(io.StringIO(decode_text(content, FILE)), dtype={"country_or_region": str, "country_code": str})
    except pd.errors.ParserError as exc:
        raise ParseError(f"{FILE}: not a readable CSV: {exc}") from exc
    renames = {f.upstream: f.name for f in table.fields if f.upstream}
    require_columns(df, set(renames), FILE)
    df = df[list(renames)].rename(columns=renames, errors="raise")
    df["country"] = df["country"].replace(EMBER_NAMES)
    df = df[df["country"].isin(COUNTRIES)]
    if "Cuba" not in set(df["country"]):
        raise ParseError(f"{FILE}: no rows for Cuba")
    return {"ember_yearly": df}

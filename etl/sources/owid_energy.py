"""Our World in Data energy dataset: one CSV, all countries; we keep Cuba and its comparison set."""

from __future__ import annotations

import io

import pandas as pd

from etl.meta import SourceMeta
from etl.sources.base import FetchContext, ParseError, Resource, decode_text, require_columns, sniff_not_html

URL = "https://nyc3.digitaloceanspaces.com/owid-public/data/energy/owid-energy-data.csv"
FILE = "owid-energy-data.csv"

# Cuba and the comparison set named in the project brief.
COUNTRIES = (
    "Cuba",
    "Dominican Republic",
    "Jamaica",
    "Haiti",
    "Puerto Rico",
    "Trinidad and Tobago",
    "Mexico",
    "Brazil",
    "Venezuela",
    "United States",
    "World",
)
# Parts of electricity generation that must add up to the total (TWh), checked within tolerance.
GENERATION_PARTS = ("fossil_electricity_twh", "renewables_electricity_twh", "nuclear_electricity_twh")


def resources(ctx: FetchContext) -> list[Resource]:
    return [Resource(FILE, URL, max_bytes=100 * 1024 * 1024)]


def parse(raw: dict[str, bytes], meta: SourceMeta) -> dict[str, pd.DataFrame]:
    """Rename OWID's columns to unit-carrying names (the rename table lives in the meta YAML)."""
    table = meta.tables["owid_energy"]
    content = raw[FILE]
    sniff_not_html(content, FILE)
    text = decode_text(content, FILE)
    try:
        df = pd.read_csv(io.StringIO(text), dtype={"country": str, "iso_code": str}, low_memory=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ParseError(f"{FILE}: not a readable CSV: {exc}") from exc
    renames = {f.upstream: f.name for f in table.fields if f.upstream}
    require_columns(df, set(renames), FILE)
    df = df[df["country"].isin(COUNTRIES)]
    if "Cuba" not in set(df["country"]):
        raise ParseError(f"{FILE}: no rows for Cuba")
    df = df[list(renames)].rename(columns=renames, errors="raise")
    # Keep rows that hold at least one energy figure: OWID carries population-only rows back to 1800.
    values = [c for c in df.columns if c not in ("country", "iso_code", "year", "population")]
    df = df[df[values].notna().any(axis=1)]
    return {"owid_energy": df}


def check(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Plausibility beyond the schema: parts of generation sum to the total; oil ≤ fossil."""
    df = tables["owid_energy"]
    problems = []
    complete = df.dropna(subset=["electricity_generation_twh", *GENERATION_PARTS])
    total = complete["electricity_generation_twh"]
    parts = complete[list(GENERATION_PARTS)].sum(axis=1)
    bad = complete[(parts - total).abs() > (0.02 * total + 0.05)]
    for _, row in bad.head(5).iterrows():
        problems.append(
            f"owid_energy: {row['country']} {row['year']}: fossil+renewables+nuclear "
            f"{row[list(GENERATION_PARTS)].sum():.2f} TWh differs from total {row['electricity_generation_twh']:.2f} TWh"
        )
    shares = df.dropna(subset=["oil_share_of_electricity_pct", "fossil_share_of_electricity_pct"])
    over = shares[shares["oil_share_of_electricity_pct"] > shares["fossil_share_of_electricity_pct"] + 0.01]
    for _, row in over.head(5).iterrows():
        problems.append(f"owid_energy: {row['country']} {row['year']}: oil share exceeds fossil share")
    return problems

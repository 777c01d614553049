"""Curated, cited tables maintained by hand in `data/curated/*.csv`: validated (a row without a URL or date is
rejected) and published as `data/<table>.csv` in canonical form. Each row cites its own publisher and URL."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from etl.meta import SourceMeta
from etl.paths import Paths
from etl.sources.base import ParseError, decode_text


def local_files(paths: Paths) -> list[Path]:
    return sorted(paths.curated_dir.glob("*.csv"))


def parse(raw: dict[str, bytes], meta: SourceMeta) -> dict[str, pd.DataFrame]:
    tables = {}
    for name, table in meta.tables.items():
        file = f"{name}.csv"
        if file not in raw:
            raise ParseError(f"data/curated/{file} is missing")
        try:
            df = pd.read_csv(
                io.StringIO(decode_text(raw[file], file)), dtype=str, keep_default_na=False, na_values=[""]
            )
        except pd.errors.ParserError as exc:
            raise ParseError(f"data/curated/{file}: not a readable CSV: {exc}") from exc
        missing = [c for c in table.columns if c not in df.columns]
        if missing:
            raise ParseError(f"data/curated/{file}: missing column(s) {', '.join(missing)}")
        df = df[table.columns]
        for col in ("url", "publisher"):
            bad = df[df[col].isna() | (df[col].astype(str).str.strip() == "")]
            if len(bad):
                raise ParseError(f"data/curated/{file}: row {bad.index[0] + 2} has no {col}; every figure needs one")
        for f in table.fields:
            if f.type == "boolean":
                df[f.name] = df[f.name].str.lower().map({"true": True, "false": False, "yes": True, "no": False})
            elif f.type in ("integer", "number"):
                numbers = pd.to_numeric(df[f.name].str.replace(",", "", regex=False), errors="coerce")
                bad = df[df[f.name].notna() & numbers.isna()]
                if len(bad):
                    raise ParseError(
                        f"data/curated/{file}: row {bad.index[0] + 2}, {f.name} = {bad[f.name].iloc[0]!r} is not a number"
                    )
                df[f.name] = numbers
        tables[name] = df
    return tables


def check(tables: dict[str, pd.DataFrame]) -> list[str]:
    problems = []
    oil = tables["oil_supply_reported"]
    backwards = oil[oil["period_end"] < oil["period_start"]]
    if len(backwards):
        problems.append(f"oil_supply_reported: period_end before period_start on {len(backwards)} row(s)")
    problems += check_monthly(tables["oil_supply_monthly"])
    plants = tables["thermal_plants"]
    if len(plants) != 8:
        problems.append(f"thermal_plants: expected the 8 main thermal plants, found {len(plants)}")
    return problems


def check_monthly(monthly: pd.DataFrame) -> list[str]:
    """A monthly row must say which month it is about and cover it: a month average spans the whole month (unless
    flagged approximate, e.g. month-to-date), a cargo falls in or overlaps the month, and the figure is plausible."""
    name = "oil_supply_monthly"
    month = monthly["month"].astype(str)
    bad_month = ~month.str.fullmatch(r"(19|20)\d\d-(0[1-9]|1[0-2])")
    if bad_month.any():
        return [f"{name}: month must be YYYY-MM, got {month[bad_month].iloc[0]!r}"]
    first = pd.to_datetime(month + "-01")
    last = first + pd.offsets.MonthEnd(0)
    start, end = pd.to_datetime(monthly["period_start"]), pd.to_datetime(monthly["period_end"])
    several = monthly.get("several_shipments", pd.Series(False, index=monthly.index)).fillna(False)
    problems = []
    checks = {
        "period_end before period_start": end < start,
        "period outside its month": (start > last) | (end < first),
        "a cargo (bbl) whose dates run outside its month": (monthly["unit"] == "bbl")
        & ((start < first) | (end > last)),
        "a month average (bbl_per_day) that does not cover its whole month and is not flagged approximate": (
            (monthly["unit"] == "bbl_per_day")
            & ((start != first) | (end != last))
            & ~monthly["approximate"].astype(bool)
        ),
        "a month's total (bbl_month) that does not cover its whole month": (monthly["unit"] == "bbl_month")
        & ((start != first) | (end != last)),
        "more than 300,000 bbl/d (above Cuba's whole consumption)": (monthly["unit"] == "bbl_per_day")
        & (monthly["value"] > 300_000),
        "several shipments (several_shipments) in a figure that is not a total in barrels (bbl)": several.astype(bool)
        & (monthly["unit"] != "bbl"),
    }
    for what, rows in checks.items():
        if rows.any():
            at = monthly[rows].iloc[0]
            problems.append(
                f"{name}: {what} ({int(rows.sum())} row(s), e.g. {at['month']} {at['supplier']} {at['publisher']})"
            )
    return problems

"""Small helpers used by several chart definitions."""

from __future__ import annotations

import pandas as pd

from dashboard.data import DataStore, SourceRef
from dashboard.i18n import fmt_num, t

WORLD_CODE = "OWID_WRL"
COUNTRY_NAMES_ES = {
    "Cuba": "Cuba",
    "Dominican Republic": "República Dominicana",
    "Jamaica": "Jamaica",
    "Haiti": "Haití",
    "Puerto Rico": "Puerto Rico",
    "Trinidad and Tobago": "Trinidad y Tobago",
    "Mexico": "México",
    "Brazil": "Brasil",
    "Venezuela": "Venezuela",
    "United States": "Estados Unidos",
    "World": "Mundo",
}


def country_label(name: str, lang: str) -> str:
    return COUNTRY_NAMES_ES.get(name, name) if lang == "es" else name


def with_codes(df: pd.DataFrame) -> pd.DataFrame:
    """OWID leaves World without an ISO code; give it OWID's own so URLs can name it."""
    out = df.copy()
    out["code"] = out["iso_code"].fillna(WORLD_CODE).replace("", WORLD_CODE)
    return out


def owid_with_codes(store: DataStore) -> pd.DataFrame:
    """OWID's energy table with codes for every entity, prepared once per published package."""
    return store.prepared("owid_energy:with_codes", lambda s: with_codes(s.table("owid_energy")))


def owid_columns(store: DataStore, *columns: str) -> pd.DataFrame:
    """country, code, year (plain int64) and those of the given columns OWID's energy table has, prepared once per
    published package: filtering the full table (130 columns) cost more than drawing the chart."""

    def make(s: DataStore) -> pd.DataFrame:
        full = owid_with_codes(s)
        df = full[["country", "code", "year", *(c for c in columns if c in full.columns)]]
        return df.astype({"year": "int64"}) if df["year"].notna().all() else df

    return store.prepared("owid_energy:" + ",".join(columns), make)


def owid_country_choices(store: DataStore) -> list[str]:
    return store.prepared("owid_energy:country_choices", lambda s: sorted(owid_with_codes(s)["code"].unique().tolist()))


def sources_for(store: DataStore, *tables: str) -> list[SourceRef]:
    refs: list[SourceRef] = []
    for table in tables:
        for ref in store.sources(table):
            if ref not in refs:
                refs.append(ref)
    return refs


def pct(value: float | None, lang: str) -> str:
    return f"{fmt_num(value, lang, 1)}%" if value is not None else "–"


def no_data(lang: str) -> str:
    return t("no_data", lang)

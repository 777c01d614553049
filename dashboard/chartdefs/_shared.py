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


def owid_country_choices(store: DataStore) -> list[str]:
    return sorted(with_codes(store.table("owid_energy"))["code"].unique().tolist())


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

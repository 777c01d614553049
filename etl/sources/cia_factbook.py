"""CIA World Factbook JSON: parse energy texts like "118,000 bbl/day (2023 est.)" into value, unit and year."""

from __future__ import annotations

import re

import pandas as pd

from etl.meta import SourceMeta
from etl.sources.base import FetchContext, ParseError, Resource, parse_json

BASE = "https://raw.githubusercontent.com/factbook/factbook.json/master"
# File → (country, ISO code). The Factbook uses its own two-letter codes in file names.
COUNTRY_FILES = {
    "central-america-n-caribbean/cu.json": ("Cuba", "CUB"),
    "central-america-n-caribbean/dr.json": ("Dominican Republic", "DOM"),
    "central-america-n-caribbean/jm.json": ("Jamaica", "JAM"),
    "north-america/mx.json": ("Mexico", "MEX"),
    "south-america/br.json": ("Brazil", "BRA"),
    "south-america/ve.json": ("Venezuela", "VEN"),
}
# Field names that only mean something with their section in front ("consumption" of what?).
GENERIC_FIELDS = {"consumption", "production", "exports", "imports", "proven reserves"}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
UNITS = [
    (re.compile(r"^bbl/day$"), "bbl_per_day"),
    (re.compile(r"^barrels$"), "bbl"),
    (re.compile(r"^kw$"), "kw"),
    (re.compile(r"^kwh$"), "kwh"),
    (re.compile(r"^gw$"), "gw"),
    (re.compile(r"^% of total installed capacity$"), "pct_of_installed_capacity"),
    (re.compile(r"^%$"), "pct"),
    (re.compile(r"^cubic meters$"), "m3"),
    (re.compile(r"^metric tons$"), "t"),
    (re.compile(r"^btu/person$"), "btu_per_person"),
    (re.compile(r"^$"), "count"),
]
VALUE = re.compile(
    r"^\s*(?P<num>-?\d[\d,]*(?:\.\d+)?)\s*(?P<scale>thousand|million|billion|trillion)?\s*(?P<unit>[^(]*?)\s*"
    r"(?:\((?P<year>\d{4})(?P<est>\s*est\.)?\))?\s*$",
    re.IGNORECASE,
)


def resources(ctx: FetchContext) -> list[Resource]:
    return [Resource(path.replace("/", "__"), f"{BASE}/{path}", max_bytes=10 * 1024 * 1024) for path in COUNTRY_FILES]


def snake(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def indicator_id(category: str, label: str) -> str:
    """Stable ids: 'Petroleum / refined petroleum consumption' → refined_petroleum_consumption."""
    if category == "Electricity generation sources":
        return f"{snake(label)}_share_of_installed_capacity"
    if category == "Energy consumption per capita":
        return "energy_consumption_per_capita"
    if label.lower() in GENERIC_FIELDS or label.lower().startswith("transmission"):
        return f"{snake(category)}_{snake(label)}"
    return snake(label)


def parse_figure(text: str) -> tuple[float, str, int | None, bool] | None:
    """'2.101 million bbl/day (2023 est.)' → (2101000.0, 'bbl_per_day', 2023, True); None if not a figure."""
    match = VALUE.match(text)
    if not match:
        return None
    number = float(match["num"].replace(",", ""))
    unit_text = match["unit"].strip().lower()
    scale = SCALES.get((match["scale"] or "").lower(), 1.0)
    if unit_text.startswith("gw"):  # "1.55GW" has no space
        unit_text = "gw"
    for pattern, unit in UNITS:
        if pattern.match(unit_text):
            return number * scale, unit, int(match["year"]) if match["year"] else None, bool(match["est"])
    return None


def parse(raw: dict[str, bytes], meta: SourceMeta) -> dict[str, pd.DataFrame]:
    rows = []
    for path, (country, iso) in COUNTRY_FILES.items():
        name = path.replace("/", "__")
        if name not in raw:
            raise ParseError(f"{name}: missing")
        content = raw[name]
        doc = parse_json(content, name)
        energy = doc.get("Energy") if isinstance(doc, dict) else None
        if not isinstance(energy, dict) or not energy:
            raise ParseError(f"{name}: no 'Energy' section (schema drift upstream?)")
        for category, fields in energy.items():
            if not isinstance(fields, dict):
                continue
            for label, payload in fields.items():
                text = payload.get("text") if isinstance(payload, dict) else None
                if not isinstance(text, str):
                    continue
                parsed = parse_figure(text)
                if parsed is None:
                    continue
                value, unit, year, estimate = parsed
                rows.append(
                    {
                        "country": country,
                        "iso_code": iso,
                        "indicator": indicator_id(category, label),
                        "category": category,
                        "label": label,
                        "value": value,
                        "unit": unit,
                        "reference_year": year,
                        "is_estimate": estimate,
                        "text": text,
                    }
                )
    df = pd.DataFrame(rows)
    if df.empty or not (df["iso_code"] == "CUB").any():
        raise ParseError("no Factbook energy figures parsed for Cuba")
    return {"cia_factbook": df}


def check(tables: dict[str, pd.DataFrame]) -> list[str]:
    df = tables["cia_factbook"]
    needed = {"refined_petroleum_consumption", "installed_generating_capacity", "electricity_consumption"}
    have = set(df.loc[df["iso_code"] == "CUB", "indicator"])
    missing = needed - have
    return [f"cia_factbook: Cuba lacks {sorted(missing)} (schema drift upstream?)"] if missing else []

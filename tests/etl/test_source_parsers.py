"""Each source's parse: a pure function from upstream bytes (our fixtures, in the upstream formats) to tidy tables."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from etl.registry import load_source
from etl.sources import cia_factbook, eia_international
from etl.sources.base import ParseError
from etl.validation import ValidationFailed, validate
from tests.support import upstream_fixtures as fx


def _parse(source_id: str, raw: dict[str, bytes]) -> dict[str, pd.DataFrame]:
    src = load_source(source_id)
    return src.module.parse(raw, src.meta)


def test_owid_parse_keeps_cuba_and_peers_with_unit_names():
    df = _parse("owid_energy", {"owid-energy-data.csv": fx.owid_csv()})["owid_energy"]
    assert set(df["country"]) == {"Cuba", "Mexico", "World"}
    cuba_2023 = df[(df["country"] == "Cuba") & (df["year"] == 2023)].iloc[0]
    assert cuba_2023["electricity_generation_twh"] == pytest.approx(19.74)
    assert cuba_2023["oil_share_of_electricity_pct"] == pytest.approx(100 * 16.52 / 19.74, abs=0.001)
    assert "oil_share_elec" not in df.columns


def test_owid_parse_fails_loudly_on_a_renamed_column():
    raw = {"owid-energy-data.csv": fx.owid_csv(rename={"oil_share_elec": "oil_share_of_elec"})}
    with pytest.raises(ParseError, match="oil_share_elec"):
        _parse("owid_energy", raw)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"<!DOCTYPE html><html><body>Error</body></html>", "HTML"), (b"\xff\xfe\x00bad", "UTF-8")],
)
def test_owid_parse_rejects_non_csv(content, message):
    with pytest.raises(ParseError, match=message):
        _parse("owid_energy", {"owid-energy-data.csv": content})


def test_owid_check_flags_parts_that_do_not_sum_to_the_total():
    rows = fx.owid_rows()
    rows[0]["fossil_electricity"] = 99.0
    df = _parse("owid_energy", {"owid-energy-data.csv": fx.owid_csv(rows)})
    problems = load_source("owid_energy").module.check(df)
    assert any("differs from total" in p for p in problems)


def test_validation_rejects_a_share_of_250_percent():
    src = load_source("owid_energy")
    rows = fx.owid_rows()
    rows[0]["oil_share_elec"] = 250
    df = _parse("owid_energy", {"owid-energy-data.csv": fx.owid_csv(rows)})["owid_energy"]
    with pytest.raises(ValidationFailed, match="oil_share_of_electricity_pct"):
        validate(df, src.meta.tables["owid_energy"], None)


def test_ember_parse_keeps_cuba_and_peers():
    df = _parse("ember_yearly", {"api_country_overview_yearly.csv": fx.ember_csv()})["ember_yearly"]
    assert set(df["country"]) == {"Cuba", "Mexico"}
    assert df.loc[(df["country"] == "Cuba") & (df["year"] == 2023), "electricity_demand_twh"].item() == 15.29


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("118,000 bbl/day (2023 est.)", (118000.0, "bbl_per_day", 2023, True)),
        ("2.101 million bbl/day (2023 est.)", (2101000.0, "bbl_per_day", 2023, True)),
        ("7.264 million kW (2023 est.)", (7264000.0, "kw", 2023, True)),
        ("11.951 billion kWh (2023 est.)", (11951000000.0, "kwh", 2023, True)),
        ("95.2% of total installed capacity (2023 est.)", (95.2, "pct_of_installed_capacity", 2023, True)),
        ("124 million barrels (2021 est.)", (124000000.0, "bbl", 2021, True)),
        ("98.8%", (98.8, "pct", None, False)),
        ("1.55GW (2025 est.)", (1.55, "gw", 2025, True)),
        ("2 (2025)", (2.0, "count", 2025, False)),
        ("NA", None),
        ("see text", None),
    ],
)
def test_factbook_parse_figure(text, expected):
    assert cia_factbook.parse_figure(text) == expected


def test_factbook_parse_builds_indicators_per_country():
    raw = {p.replace("/", "__"): fx.factbook_json(c) for p, (c, _) in cia_factbook.COUNTRY_FILES.items()}
    df = _parse("cia_factbook", raw)["cia_factbook"]
    row = df[(df["iso_code"] == "CUB") & (df["indicator"] == "refined_petroleum_consumption")].iloc[0]
    assert (row["value"], row["unit"], row["reference_year"]) == (118000.0, "bbl_per_day", 2023)
    assert {
        "electricity_consumption",
        "fossil_fuels_share_of_installed_capacity",
        "total_petroleum_production",
        "electricity_transmission_distribution_losses",
    } <= set(df["indicator"])


def test_factbook_parse_rejects_malformed_json():
    raw = {p.replace("/", "__"): fx.factbook_json(c) for p, (c, _) in cia_factbook.COUNTRY_FILES.items()}
    raw["central-america-n-caribbean__cu.json"] = b'{"Energy": {'
    with pytest.raises(ParseError, match="malformed JSON"):
        _parse("cia_factbook", raw)


def test_wri_parse_renames_and_types():
    df = _parse("wri_power_plants", {"Cuba.csv": fx.wri_csv()})["power_plants_wri"]
    assert list(df["name"]) == ["Test Thermal One", "Test Wind Two"]
    assert df["capacity_mw"].tolist() == [200.0, 10.2]


def test_eia_parse_converts_string_values_from_tbpd():
    df = _parse("eia_international", {"international.json": fx.eia_json()})["eia_international"]
    cons = df[(df["iso_code"] == "CUB") & (df["activity_id"] == "2")].iloc[0]
    assert cons["value_bbl_per_day"] == pytest.approx(128500.0)
    missing = df[(df["iso_code"] == "CUB") & (df["year"] == 2023)].iloc[0]
    assert pd.isna(missing["value_bbl_per_day"])  # "--" is EIA's missing marker


def test_eia_parse_rejects_a_short_page():
    doc = json.loads(fx.eia_json())
    doc["response"]["total"] = 99
    with pytest.raises(ParseError, match="99 rows"):
        _parse("eia_international", {"international.json": json.dumps(doc).encode()})


def test_eia_parse_reports_an_api_error():
    with pytest.raises(ParseError, match="API_KEY_INVALID"):
        _parse("eia_international", {"international.json": b'{"error": "API_KEY_INVALID"}'})


def test_eia_query_url_asks_for_cuba_in_tbpd():
    url = eia_international.query_url("K")
    assert "facets%5BcountryRegionId%5D%5B%5D=CUB" in url and "TBPD" in url and "api_key=K" in url


def _curated_raw(tmp_path, edit=None):
    from tests.conftest import REPO

    raw = {p.name: p.read_bytes() for p in (REPO / "data" / "curated").glob("*.csv")}
    if edit:
        edit(raw)
    return raw


def test_curated_tables_parse_and_keep_conflicting_rows(tmp_path):
    tables = _parse("curated", _curated_raw(tmp_path))
    oil = tables["oil_supply_reported"]
    assert {"Venezuela", "Mexico", "Russia"} <= set(oil["supplier"])
    assert (oil["verification"] == "conflicting").sum() >= 2  # conflicts are separate rows, never averaged
    assert len(tables["thermal_plants"]) == 8


@pytest.mark.parametrize("column", ["url", "publisher"])
def test_a_curated_row_without_url_or_publisher_is_rejected(tmp_path, column):
    def blank(raw):
        df = pd.read_csv(__import__("io").BytesIO(raw["tourism_visitors.csv"]), dtype=str)
        df.loc[2, column] = ""
        raw["tourism_visitors.csv"] = df.to_csv(index=False).encode()

    with pytest.raises(ParseError, match=f"tourism_visitors.csv: row 4 has no {column}"):
        _parse("curated", _curated_raw(tmp_path, blank))


def test_a_curated_row_without_its_date_fails_validation(tmp_path):
    src = load_source("curated")

    def blank(raw):
        df = pd.read_csv(__import__("io").BytesIO(raw["grid_collapses.csv"]), dtype=str)
        df.loc[0, "date"] = ""
        raw["grid_collapses.csv"] = df.to_csv(index=False).encode()

    tables = _parse("curated", _curated_raw(tmp_path, blank))
    with pytest.raises(ValidationFailed, match="date"):
        validate(tables["grid_collapses"], src.meta.tables["grid_collapses"], None)


def test_a_curated_figure_that_is_not_a_number_is_rejected(tmp_path):
    def garble(raw):
        df = pd.read_csv(__import__("io").BytesIO(raw["political_prisoners.csv"]), dtype=str)
        df.loc[1, "political_prisoners"] = "about a thousand"
        raw["political_prisoners.csv"] = df.to_csv(index=False).encode()

    with pytest.raises(ParseError, match="not a number"):
        _parse("curated", _curated_raw(tmp_path, garble))

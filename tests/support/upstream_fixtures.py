"""Small upstream files written for the tests, in each publisher's format, with invented but coherent numbers.

`build_tree(root)` lays them out like the mirror (`<host>/<path>`); tests then mutate single files to
simulate upstream changes (a new vintage, a renamed column, an absurd value).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import urlsplit

from etl.registry import load_source
from etl.sources import cia_factbook, eia_international, ember_yearly, owid_energy, wri_power_plants
from tests.support.fixture_server import query_key

OWID_EXTRA_COLUMNS = ["gdp", "coal_share_elec", "gas_share_elec", "low_carbon_share_elec"]  # ignored by the parser


def owid_rows() -> list[dict[str, object]]:
    """Cuba 2019–2024, Mexico 2023–2024, World 2024; generation parts add up to totals."""
    rows = []
    cuba = {
        2019: (20.7, 17.36, 2.45, 0.9),
        2020: (19.03, 16.12, 2.0, 0.91),
        2021: (17.83, 15.46, 1.55, 0.82),
        2022: (15.65, 13.03, 1.95, 0.67),
        2023: (19.74, 16.52, 2.5, 0.72),
        2024: (19.43, 16.0, 2.65, 0.78),
    }
    for year, (total, oil, gas, renew) in cuba.items():
        rows.append(
            _owid_row("Cuba", "CUB", year, 11_100_000 - (year - 2019) * 40_000, total, oil, gas, 0.0, renew, 0.0)
        )
    for year, (total, oil, gas, coal, renew, nuclear) in {
        2023: (352.0, 30.0, 210.0, 15.0, 85.0, 12.0),
        2024: (360.0, 28.0, 215.0, 14.0, 91.0, 12.0),
    }.items():
        rows.append(_owid_row("Mexico", "MEX", year, 129_000_000, total, oil, gas, coal, renew, nuclear))
    rows.append(_owid_row("World", "", 2024, 8_100_000_000, 30800.0, 800.0, 6900.0, 10600.0, 9900.0, 2600.0))
    rows.append({"country": "Ruritania", "year": 2024, "iso_code": "RUR", "population": 5})  # filtered out
    return rows


def _owid_row(country, iso, year, pop, total, oil, gas, coal, renew, nuclear) -> dict[str, object]:
    fossil = round(oil + gas + coal, 3)
    return {
        "country": country,
        "year": year,
        "iso_code": iso,
        "population": pop,
        "gdp": "",
        "electricity_generation": total,
        "electricity_demand": total,
        "per_capita_electricity": round(total * 1e9 / pop, 3),
        "oil_electricity": oil,
        "gas_electricity": gas,
        "coal_electricity": coal,
        "fossil_electricity": fossil,
        "renewables_electricity": renew,
        "solar_electricity": round(renew * 0.4, 3),
        "wind_electricity": round(renew * 0.1, 3),
        "hydro_electricity": round(renew * 0.2, 3),
        "biofuel_electricity": round(renew * 0.3, 3),
        "nuclear_electricity": nuclear,
        "oil_share_elec": round(100 * oil / total, 3),
        "fossil_share_elec": round(100 * fossil / total, 3),
        "renewables_share_elec": round(100 * renew / total, 3),
        "primary_energy_consumption": round(total * 2.9, 3),
        "oil_consumption": "" if country == "Cuba" else round(total * 1.2, 3),
        "oil_production": 34.2 if (country == "Cuba" and year <= 2016) else ("" if country == "Cuba" else 1900.0),
        "oil_share_energy": "",
        "carbon_intensity_elec": 640.5,
    }


def owid_csv(rows: list[dict[str, object]] | None = None, rename: dict[str, str] | None = None) -> bytes:
    rows = owid_rows() if rows is None else rows
    table = load_source("owid_energy").meta.tables["owid_energy"]
    columns = ["country", "year", "iso_code"] + [
        f.upstream for f in table.fields if f.upstream and f.upstream not in ("country", "year", "iso_code")
    ]
    columns += OWID_EXTRA_COLUMNS
    columns = [(rename or {}).get(c, c) for c in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({(rename or {}).get(k, k): v for k, v in row.items()})
    return out.getvalue().encode()


def ember_csv() -> bytes:
    header = (
        "country_or_region,country_code,year,demand_twh,demand_mwh_per_capita,emissions_intensity_gco2_per_kwh,"
        "continent,ember_region,eu_flag,g20_flag,g7_flag,oecd_flag,world_demand_rank,region_demand_rank,"
        "oecd_demand_rank,eu_demand_rank,latest_year,coal_deadline,clean_deadline"
    )
    lines = [header]
    for year, demand in [(2021, 17.8), (2022, 15.6), (2023, 15.29)]:
        lines.append(
            f"Cuba,CUB,{year},{demand},1.4,639.0,North America,Latin America and Caribbean,0,0,0,0,94,12,,,2023,2040,2040"
        )
    lines.append(
        "Mexico,MEX,2023,350.1,2.7,410.2,North America,Latin America and Caribbean,0,1,0,1,14,2,10,,2023,2040,2040"
    )
    lines.append("Narnia,NAR,2023,1.0,0.1,10.0,Europe,Europe,0,0,0,0,200,40,,,2023,2040,2040")
    return ("\n".join(lines) + "\n").encode("utf-8")


def factbook_json(country: str, refined_consumption: str = "118,000 bbl/day (2023 est.)") -> bytes:
    doc = {
        "Introduction": {"Background": {"text": f"A fixture for {country}."}},
        "Energy": {
            "Electricity": {
                "installed generating capacity": {"text": "7.264 million kW (2023 est.)"},
                "consumption": {"text": "11.951 billion kWh (2023 est.)"},
                "transmission/distribution losses": {"text": "3.352 billion kWh (2023 est.)"},
            },
            "Electricity generation sources": {
                "fossil fuels": {"text": "95.2% of total installed capacity (2023 est.)"}
            },
            "Petroleum": {
                "total petroleum production": {"text": "34,000 bbl/day (2023 est.)"},
                "refined petroleum consumption": {"text": refined_consumption},
                "crude oil estimated reserves": {"text": "124 million barrels (2021 est.)"},
            },
            "Nuclear energy": {"Net capacity of operational nuclear reactors": {"text": "1.55GW (2025 est.)"}},
            "Energy consumption per capita": {
                "Total energy consumption per capita 2023": {"text": "26.07 million Btu/person (2023 est.)"}
            },
        },
    }
    return json.dumps(doc, indent=2).encode()


WRI_HEADER = (
    "Power Plant ID,Name,Fuel,Secondary Fuel,Generator Technology,Units,Capacity (MW),Commissioning Date,Owner,"
    "Operational Status,Location,Annual Generation (GWh),Year of Data,Generation Data Source,Cooling Technology,"
    "Cooling Source,Fuel Consumption (g/kWh),CO2 Annual Reported,CO2 Specific Emissions (tCO2/MWh),Efficiency,Latitude,"
    "Longitude,Other,Source,URL,Source 2,URL 2,Peak Load (MW),Load Factor,Capacity Factor,Availability,"
    "Grid Connection (kV),Grid Balancing Area,Address,Municipality,Postal Code,Country,Natural Language,Geolocation Source"
)


def wri_csv() -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=WRI_HEADER.split(","), lineterminator="\n")
    writer.writeheader()
    common = {
        "Owner": "Unión Eléctrica",
        "Operational Status": "Operational",
        "Source": "Fixture survey",
        "Grid Balancing Area": "National Electric System (NES)",
        "Country": "Cuba",
        "Geolocation Source": "WRI",
    }
    writer.writerow(
        {
            **common,
            "Power Plant ID": "900001",
            "Name": "Test Thermal One",
            "Fuel": "Oil",
            "Generator Technology": "Sub-critical Thermal",
            "Units": "2x100",
            "Capacity (MW)": "200",
            "Location": "Matanzas",
            "Latitude": "23.05",
            "Longitude": "-81.5",
            "URL": "http://example.org/a",
        }
    )
    writer.writerow(
        {
            **common,
            "Power Plant ID": "900002",
            "Name": "Test Wind Two",
            "Fuel": "Wind",
            "Generator Technology": "Onshore Wind",
            "Capacity (MW)": "10.2",
            "Location": "Holguín",
            "Latitude": "21.1",
            "Longitude": "-76.1",
            "URL": "http://example.org/b",
        }
    )
    return out.getvalue().encode("utf-8")


def eia_json(values: dict[tuple[str, str, str, str], str] | None = None) -> bytes:
    values = values or {
        ("CUB", "2022", "53", "2"): "128.5",
        ("CUB", "2022", "53", "1"): "40.1",
        ("CUB", "2023", "53", "1"): "--",
        ("MEX", "2022", "57", "4"): "1012.3",
    }
    names = {"53": "Total petroleum and other liquids", "57": "Crude oil including lease condensate"}
    activities = {"1": "Production", "2": "Consumption", "3": "Imports", "4": "Exports"}
    countries = {"CUB": "Cuba", "MEX": "Mexico"}
    data = [
        {
            "period": period,
            "productId": int(product),
            "productName": names[product],
            "activityId": int(activity),
            "activityName": activities[activity],
            "countryRegionId": iso,
            "countryRegionName": countries[iso],
            "countryRegionTypeId": "c",
            "countryRegionTypeName": "country",
            "dataFlagId": None,
            "dataFlagDescription": None,
            "unit": "TBPD",
            "unitName": "thousand barrels per day",
            "value": value,
        }
        for (iso, period, product, activity), value in values.items()
    ]
    return json.dumps(
        {
            "response": {
                "total": len(data),
                "dateFormat": "YYYY",
                "frequency": "annual",
                "data": data,
                "description": "International energy data",
            },
            "request": {},
            "apiVersion": "2.1.8",
        }
    ).encode()


def mirror_path(url: str) -> str:
    parts = urlsplit(url)
    path = f"{parts.netloc}{parts.path}"
    return f"{path.rstrip('/')}@{query_key(parts.query)}" if parts.query else path


def build_tree(root: Path) -> Path:
    """Write every upstream fixture under `root` as the mirror lays them out."""
    files = {
        mirror_path(owid_energy.URL): owid_csv(),
        mirror_path(ember_yearly.URL): ember_csv(),
        mirror_path(wri_power_plants.URL): wri_csv(),
        mirror_path(eia_international.query_url("TESTKEY")): eia_json(),
    }
    for path, (country, _iso) in cia_factbook.COUNTRY_FILES.items():
        files[mirror_path(f"{cia_factbook.BASE}/{path}")] = factbook_json(country)
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return root

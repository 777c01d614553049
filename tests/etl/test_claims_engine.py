"""The verdict engine on small synthetic tables: every label, every rule kind, tolerance edges, disagreeing
sources, missing data, wording in both languages, and purity (JSON-serialisable, inputs untouched)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pandas as pd
import pytest

from etl.claims.engine import evaluate
from etl.claims.formatting import fmt_number
from etl.claims.labels import (
    LABEL_CANNOT_CHECK,
    LABEL_CONSISTENT,
    LABEL_NOT_CONSISTENT,
    LABEL_NOT_FACTUAL,
    LABEL_PARTLY,
    LABELS,
)
from etl.claims.schema import check_claim
from etl.claims.wording import short_label

DOC = {"id": "test-doc", "title": "Test", "publisher": "Test publisher", "published": "2026-02"}


def _frame(data: dict[str, list[Any]], types: dict[str, str]) -> pd.DataFrame:
    """A table typed the way etl.validation.read_published types it (dates as ISO strings)."""
    df = pd.DataFrame(data)
    for col, kind in types.items():
        df[col] = df[col].astype(
            {"string": "string", "number": "float64", "integer": "Int64", "boolean": "boolean"}[kind]
        )
    return df


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    owid = _frame(
        {
            "country": ["Cuba", "Cuba", "Cuba", "Mexico"],
            "iso_code": ["CUB", "CUB", "CUB", "MEX"],
            "year": [2022, 2023, 2024, 2024],
            "oil_share_of_electricity_pct": [84.0, 83.1, 82.3, 12.0],
            "fossil_share_of_electricity_pct": [96.0, 96.2, 96.1, 80.0],
            "oil_production_twh": [5.0, 5.0, 4.0, 1121.0],
            "oil_consumption_twh": [20.0, 19.0, 18.0, 1001.0],
        },
        {
            "country": "string",
            "iso_code": "string",
            "year": "integer",
            "oil_share_of_electricity_pct": "number",
            "fossil_share_of_electricity_pct": "number",
            "oil_production_twh": "number",
            "oil_consumption_twh": "number",
        },
    )
    une = _frame(
        {
            "date": ["2026-01-31", "2026-02-12", "2026-02-13", "2026-02-14"],
            "peak_demand_mw": [3000.0, 3050.0, 3100.0, 3150.0],
            "total_grid_collapse": [False, False, True, False],
            "source_url": [
                "https://example.org/a",
                "https://example.org/b",
                "https://example.org/c",
                "https://example.org/d",
            ],
        },
        {"date": "string", "peak_demand_mw": "number", "total_grid_collapse": "boolean", "source_url": "string"},
    )
    facts = _frame(
        {
            "fact_id": ["embargo", "distance", "revolution"],
            "date": ["1962-02-03", "2026-02-01", "1959-01-01"],
            "value": [1962.0, 150.0, 1959.0],
            "unit": ["year", "km", "year"],
            "publisher": ["Archive A", "Atlas B", "Broadcaster C"],
            "url": ["https://a.example", "https://b.example", "https://c.example"],
        },
        {
            "fact_id": "string",
            "date": "string",
            "value": "number",
            "unit": "string",
            "publisher": "string",
            "url": "string",
        },
    )
    oil = _frame(
        {
            "period_start": ["2024-01-01", "2025-01-01", "2025-01-01", "2025-12-15"],
            "period_end": ["2024-12-31", "2025-10-31", "2025-10-31", "2026-01-15"],
            "supplier": ["Venezuela", "Venezuela", "Mexico", "Venezuela"],
            "value": [32000.0, 27400.0, 5000.0, 0.0],
            "unit": ["bbl_per_day"] * 4,
            "publisher": ["Wire A", "Wire B", "Wire B", "Wire C"],
            "url": ["https://w.example/1", "https://w.example/2", "https://w.example/3", "https://w.example/4"],
        },
        {
            "period_start": "string",
            "period_end": "string",
            "supplier": "string",
            "value": "number",
            "unit": "string",
            "publisher": "string",
            "url": "string",
        },
    )
    visitors = _frame(
        {
            "year": [2019, 2020, 2021, 2022, 2023, 2024, 2025],
            "international_visitors": [4_275_558, 1_085_920, 356_470, 1_614_087, 2_436_980, 2_203_117, 1_810_663],
            "publisher": ["ONEI"] * 7,
        },
        {"year": "integer", "international_visitors": "integer", "publisher": "string"},
    )
    cited = _frame(
        {
            "topic": ["prisoners", "prisoners"],
            "figure_date": ["2024-07-01", "2025-06-01"],
            "value": [554.0, 543.0],
            "unit": ["people", "people"],
            "publisher": ["NGO J", "NGO J"],
        },
        {"topic": "string", "figure_date": "string", "value": "number", "unit": "string", "publisher": "string"},
    )
    return {
        "owid_energy": owid,
        "une_daily": une,
        "reference_facts": facts,
        "oil_supply_reported": oil,
        "tourism_visitors": visitors,
        "cited_figures": cited,
    }


INFO = {
    "owid_energy": {
        "title": "OWID energy",
        "publishers": ["Our World in Data"],
        "urls": ["https://owid.example/energy.csv"],
        "retrieved": "2026-02-20",
        "licence": "CC-BY-4.0",
    },
    "une_daily": {"title": "UNE daily", "publishers": ["UNE via Cubadebate"], "urls": [], "retrieved": "2026-02-21"},
}


def tolerance_caveat(tolerance: str, lang: str = "en") -> str:
    """The caveat that states the dashboard's tolerance (it is no longer in the conclusion)."""
    if lang == "en":
        return (
            f"Tolerance set by this dashboard: a figure within {tolerance} of the claim counts as consistent, "
            "within twice that as partly consistent."
        )
    return (
        f"Tolerancia fijada por este panel: una cifra a {tolerance} de la afirmación cuenta como coherente; "
        "hasta el doble, como parcialmente coherente."
    )


def claim(
    kind: str, evidence: list[dict[str, Any]], claimed: dict[str, Any] | None = None, **rule: Any
) -> dict[str, Any]:
    """A minimal valid claim around one rule."""
    out: dict[str, Any] = {
        "id": "test-claim",
        "quote": "a quote",
        "paragraph": 2,
        "topic": "generation",
        "type": "event" if kind == "event" else "value",
        "rule": {"kind": kind, **rule},
        "evidence": evidence,
    }
    if claimed is not None:
        out["claimed"] = claimed
    return out


def oil_share(column: str = "oil_share_of_electricity_pct", year: int = 2024) -> dict[str, Any]:
    return {
        "table": "owid_energy",
        "column": column,
        "where": {"iso_code": "CUB"},
        "period": {"year": year},
        "aggregate": "last",
        "label": f"OWID {column} ({year})",
    }


def peak(day: str = "2026-02-13") -> dict[str, Any]:
    return {
        "table": "une_daily",
        "column": "peak_demand_mw",
        "where": {},
        "period": {"from": day, "to": day},
        "aggregate": "last",
        "label": "UNE peak demand",
    }


def run(c: dict[str, Any], tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    result = evaluate(c, tables, INFO, DOC)
    json.dumps(result, allow_nan=False)  # always serialisable
    assert result["label"] in LABELS
    return result


# -- one test per label ------------------------------------------------------------------------------------------


def test_consistent(tables):
    r = run(claim("approx", [peak()], {"value": 3100, "unit": "mw", "period": "2026-02-13"}, tolerance_pct=5), tables)
    assert r["label"] == LABEL_CONSISTENT
    assert r["difference"] == 0 and r["ratio"] == 1
    m = r["measured"][0]
    assert m["value"] == 3100 and m["unit"] == "mw" and m["period"] == "2026-02-13" and m["status"] == "ok"
    assert m["publisher"] == "UNE via Cubadebate" and m["retrieved"] == "2026-02-21" and m["rows_used"] == 1
    assert m["url"] == "https://example.org/c"  # no table-level URL: the row's source_url
    assert r["conclusion_en"] == (
        "3,100 MW on 13 February 2026 (UNE via Cubadebate). Claim as read here: 3,100 MW on 13 February 2026."
    )
    assert r["conclusion_es"] == (
        "3.100 MW el 13 de febrero de 2026 (UNE vía Cubadebate). Lectura de la afirmación: 3.100 MW el 13 de febrero de 2026."
    )
    # The tolerance is no longer in the sentence but in a caveat on the card.
    assert r["caveats_en"] == [tolerance_caveat("±5%")]
    assert r["caveats_es"] == [tolerance_caveat("±5 %", "es")]
    assert r["finding_en"] == "3,100 MW on 13 February 2026 (UNE via Cubadebate); claim: 3,100 MW."
    assert r["finding_es"] == "3.100 MW el 13 de febrero de 2026 (UNE vía Cubadebate); afirmación: 3.100 MW."


def test_partly_consistent(tables):
    r = run(claim("approx", [oil_share()], {"value": 85, "unit": "pct", "period": "2024"}, tolerance_abs=2), tables)
    assert r["label"] == LABEL_PARTLY
    assert r["difference"] == pytest.approx(-2.7)


def test_not_consistent(tables):
    r = run(claim("approx", [oil_share()], {"value": 95, "unit": "pct", "period": "2024"}, tolerance_abs=2), tables)
    assert r["label"] == LABEL_NOT_CONSISTENT
    assert r["conclusion_en"] == "82% in 2024 (Our World in Data). Claim as read here: 95% in 2024."
    assert r["caveats_en"] == [tolerance_caveat("±2 percentage points")]
    assert r["measured"][0]["url"] == "https://owid.example/energy.csv"


def test_cannot_be_checked_when_table_is_not_published(tables):
    del tables["une_daily"]
    r = run(claim("approx", [peak()], {"value": 3100, "unit": "mw", "period": "2026-02-13"}, tolerance_pct=5), tables)
    assert r["label"] == LABEL_CANNOT_CHECK
    assert r["measured"][0]["status"] == "no data" and r["measured"][0]["value"] is None
    assert "une_daily is not published yet" in r["conclusion_en"]
    assert "une_daily aún no está publicada" in r["conclusion_es"]
    assert r["notes"] == ["une_daily.peak_demand_mw: table une_daily is not published yet"]


@pytest.mark.parametrize("label", [LABEL_NOT_FACTUAL, LABEL_CANNOT_CHECK])
def test_not_checkable_takes_its_label_and_gives_the_reason(tables, label):
    c = {
        "id": "opinion",
        "quote": "q",
        "paragraph": 3,
        "topic": "politics",
        "type": "not checkable",
        "rule": {"kind": "not_checkable", "label": label},
        "reason": "Opinion about motives",
    }
    r = run(c, tables)
    assert r["label"] == label
    assert r["conclusion_en"] == "Opinion about motives."
    assert "Opinion about motives" in r["conclusion_es"] and r["measured"] == []


# -- tolerance edges -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measured", "label"),
    [
        (3100 * 1.05, LABEL_CONSISTENT),  # exactly at the tolerance (float noise included)
        (3100 * 0.95, LABEL_CONSISTENT),
        (3256.0, LABEL_PARTLY),  # just beyond
        (3100 * 1.10, LABEL_PARTLY),  # exactly at 2 × tolerance
        (3412.0, LABEL_NOT_CONSISTENT),  # beyond 2 × tolerance
        (2788.0, LABEL_NOT_CONSISTENT),
    ],
)
def test_approx_tolerance_pct_edges(tables, measured, label):
    tables["une_daily"].loc[2, "peak_demand_mw"] = measured  # the fixture is a fresh copy per test
    r = run(claim("approx", [peak()], {"value": 3100, "unit": "mw"}, tolerance_pct=5), tables)
    assert r["label"] == label


@pytest.mark.parametrize(
    ("claimed", "label"),
    [(84.3, LABEL_CONSISTENT), (84.31, LABEL_PARTLY), (86.3, LABEL_PARTLY), (86.31, LABEL_NOT_CONSISTENT)],
)
def test_approx_tolerance_abs_edges(tables, claimed, label):
    # The claim names the evidence's year: this test is about tolerance edges, not about periods.
    r = run(
        claim("approx", [oil_share()], {"value": claimed, "unit": "pct", "period": "2024"}, tolerance_abs=2), tables
    )
    assert r["label"] == label


def test_no_tolerance_means_exact(tables):
    assert run(claim("approx", [peak()], {"value": 3100, "unit": "mw"}), tables)["label"] == LABEL_CONSISTENT
    assert run(claim("approx", [peak()], {"value": 3101, "unit": "mw"}), tables)["label"] == LABEL_NOT_CONSISTENT


# -- rule kinds ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "label", "difference"),
    [
        (80, 95, LABEL_CONSISTENT, 0),
        (84.3, 95, LABEL_CONSISTENT, -2.0),  # 2 below, tolerance 2
        (84.4, 95, LABEL_PARTLY, -2.1),
        (70, 78.3, LABEL_PARTLY, 4.0),  # 4 above: exactly 2 × tolerance
        (70, 78.2, LABEL_NOT_CONSISTENT, 4.1),
    ],
)
def test_range(tables, low, high, label, difference):
    r = run(
        claim("range", [oil_share()], {"low": low, "high": high, "unit": "pct", "period": "2024"}, tolerance_abs=2),
        tables,
    )
    assert r["label"] == label
    assert r["difference"] == pytest.approx(difference)
    assert r["ratio"] is None


def test_range_wording(tables):
    r = run(
        claim("range", [oil_share()], {"low": 80, "high": 95, "unit": "pct", "period": "2024"}, tolerance_abs=2), tables
    )
    assert r["conclusion_en"] == "82% in 2024 (Our World in Data). Claim as read here: 80–95% in 2024."
    assert r["conclusion_es"] == "82 % en 2024 (Our World in Data). Lectura de la afirmación: 80–95 % en 2024."
    assert r["tolerance"] == "±2 percentage points"
    assert r["caveats_en"] == [tolerance_caveat("±2 percentage points")]
    assert r["caveats_es"] == [tolerance_caveat("±2 puntos porcentuales", "es")]


@pytest.mark.parametrize(
    ("value", "label"),
    [(80, LABEL_CONSISTENT), (83.3, LABEL_CONSISTENT), (84.3, LABEL_PARTLY), (84.4, LABEL_NOT_CONSISTENT)],
)
def test_at_least(tables, value, label):
    r = run(
        claim("at_least", [oil_share()], {"value": value, "unit": "pct", "period": "2024"}, tolerance_abs=1), tables
    )
    assert r["label"] == label
    assert r["difference"] == pytest.approx(82.3 - value)


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (200, LABEL_CONSISTENT),
        (150, LABEL_CONSISTENT),
        (145, LABEL_CONSISTENT),
        (140, LABEL_PARTLY),
        (130, LABEL_NOT_CONSISTENT),
    ],
)
def test_at_most(tables, value, label):
    ev = {
        "table": "reference_facts",
        "column": "value",
        "where": {"fact_id": "distance"},
        "period": "latest",
        "aggregate": "last",
        "label": "Distance",
    }
    r = run(claim("at_most", [ev], {"value": value, "unit": "km"}, tolerance_abs=5), tables)
    assert r["label"] == label
    assert r["measured"][0]["unit"] == "km" and r["measured"][0]["publisher"] == "Atlas B"


def test_ratio_range_takes_evidence_in_pairs(tables):
    production = {
        "table": "owid_energy",
        "column": "oil_production_twh",
        "where": {"iso_code": "MEX"},
        "period": {"year": 2024},
        "aggregate": "last",
        "label": "Mexico production",
    }
    consumption = {**production, "column": "oil_consumption_twh", "label": "Mexico consumption"}
    r = run(
        claim(
            "ratio_range",
            [production, consumption],
            {"low": 100, "high": 100000, "unit": "pct", "period": "2024"},
            tolerance_abs=5,
        ),
        tables,
    )
    assert r["label"] == LABEL_CONSISTENT
    assert r["ratios"][0]["value"] == pytest.approx(100 * 1121 / 1001, abs=1e-3)
    assert len(r["measured"]) == 2
    ratio = r["ratios"][0]
    assert ratio["numerator_label"] == "Mexico production" and ratio["denominator_label"] == "Mexico consumption"
    assert ratio["numerator"] == 1121 and ratio["denominator"] == 1001
    assert ratio["x_start"] == "2024-01-01" and ratio["x_end"] == "2024-12-31" and ratio["counted"] is True
    # No formula notation: both figures and their relation in words (the shared period is given once).
    assert (
        "Mexico production (1,121 TWh, 2024, Our World in Data) equalled 112% of Mexico consumption (1,001 TWh)"
        in r["conclusion_en"]
        and "at least 100%" in r["conclusion_en"]
    )
    assert "=" not in r["conclusion_en"] and " / " not in r["conclusion_en"]
    # Same period and publisher: no caveat about the pair, only the tolerance.
    assert r["caveats_en"] == [tolerance_caveat("±5 percentage points")]
    # Cuba: 4 / 18 = 22.2%, below 100 - 2 × 5 → not consistent; with a second pair that fits, sources disagree.
    cuba = [{**production, "where": {"iso_code": "CUB"}}, {**consumption, "where": {"iso_code": "CUB"}}]
    r = run(
        claim("ratio_range", cuba, {"low": 100, "high": 100000, "unit": "pct", "period": "2024"}, tolerance_abs=5),
        tables,
    )
    assert r["label"] == LABEL_NOT_CONSISTENT and r["ratios"][0]["value"] == pytest.approx(22.2222, abs=1e-3)
    r = run(
        claim(
            "ratio_range",
            [*cuba, production, consumption],
            {"low": 100, "high": 100000, "unit": "pct", "period": "2024"},
            tolerance_abs=5,
        ),
        tables,
    )
    assert r["label"] == LABEL_PARTLY and r["sources_disagree"] is True and len(r["ratios"]) == 2


def test_ratio_range_over_period_tables(tables):
    base = {
        "table": "oil_supply_reported",
        "column": "value",
        "period": {"from": "2025-01-01", "to": "2025-12-31"},
        "aggregate": "last",
    }
    ven = {**base, "where": {"supplier": "Venezuela", "period_start": "2025-01-01", "period_end": "2025-10-31"}}
    mex = {**base, "where": {"supplier": "Mexico", "period_start": "2025-01-01", "period_end": "2025-10-31"}}
    # The claim names the evidence's year (2025): this test is about period tables, not about the claim's period.
    r = run(
        claim(
            "ratio_range", [ven, mex], {"low": 100, "high": 100000, "unit": "pct", "period": "2025"}, tolerance_abs=10
        ),
        tables,
    )
    assert r["label"] == LABEL_CONSISTENT and r["ratios"][0]["value"] == pytest.approx(548)
    assert r["measured"][0]["period"] == "2025-01-01/2025-10-31" and r["measured"][0]["publisher"] == "Wire B"
    assert r["ratios"][0]["x_start"] == "2025-01-01" and r["ratios"][0]["x_end"] == "2025-10-31"
    assert "January–October 2025" in r["conclusion_en"] and "enero–octubre de 2025" in r["conclusion_es"]
    assert "5.5 times" in r["conclusion_en"] and "5,5 veces" in r["conclusion_es"]  # ≥ 200% is written as times


def test_event_rows_exist_or_cannot_be_checked(tables):
    ev = {
        "table": "reference_facts",
        "column": "date",
        "where": {"fact_id": "revolution"},
        "period": {"from": "1959-01-01", "to": "1959-12-31"},
        "aggregate": "last",
        "label": "Batista flees",
    }
    r = run(claim("event", [ev], {"period": "1959"}), tables)
    assert r["label"] == LABEL_CONSISTENT
    assert r["measured"][0]["value"] == "1959-01-01"
    assert r["conclusion_en"] == "On record: 1 January 1959 (Broadcaster C). The claim refers to 1959."
    assert r["conclusion_es"] == "Registrado: 1 de enero de 1959 (Broadcaster C). La afirmación se refiere a 1959."
    missing = {**ev, "where": {"fact_id": "no-such-fact"}}
    r = run(claim("event", [missing], {"period": "1959"}), tables)
    assert r["label"] == LABEL_CANNOT_CHECK
    # An event's conclusion says there is no record, and why the series has none.
    assert r["conclusion_en"] == (
        "No record of it in the data (no row of reference_facts with fact_id = no-such-fact). The claim refers to 1959."
    )
    assert r["conclusion_es"] == (
        "Ningún registro en los datos (ninguna fila de reference_facts con fact_id = no-such-fact). "
        "La afirmación se refiere a 1959."
    )
    assert r["measured"][0]["note"] == "no row of reference_facts with fact_id = no-such-fact"
    assert r["notes"] == ["reference_facts.date: no row of reference_facts with fact_id = no-such-fact"]
    # one matching and one not: the empty one is 'no data' and ignored
    r = run(claim("event", [ev, missing], {"period": "1959"}), tables)
    assert r["label"] == LABEL_CONSISTENT and not r["sources_disagree"]
    assert [m["status"] for m in r["measured"]] == ["ok", "no data"]


def test_event_counts_rows_on_a_boolean_filter(tables):
    ev = {
        "table": "une_daily",
        "column": "date",
        "where": {"total_grid_collapse": True},
        "period": {"from": "2026-02-01", "to": "2026-02-28"},
        "aggregate": "count",
        "label": "Collapses",
    }
    r = run(claim("event", [ev], {"period": "2026-02"}), tables)
    assert r["label"] == LABEL_CONSISTENT and r["measured"][0]["value"] == 1
    assert "1 report on 13 February 2026" in r["conclusion_en"]


def test_date_diff_years(tables):
    ev = {
        "table": "reference_facts",
        "column": "date",
        "where": {"fact_id": "embargo"},
        "period": "latest",
        "aggregate": "last",
        "label": "Embargo",
    }
    r = run(
        claim("date_diff_years", [ev], {"value": 64, "unit": "years", "period": "2026-02"}, tolerance_abs=1), tables
    )
    assert r["label"] == LABEL_CONSISTENT and abs(r["difference"]) < 0.01
    assert r["measured"][0]["years"] == pytest.approx(64.0, abs=0.01)
    assert (
        r["conclusion_en"]
        == "64 years from 3 February 1962 (Archive A) to February 2026. Claim as read here: 64 years."
    )
    assert r["caveats_en"] == [tolerance_caveat("±1 year")]
    for value, label in ((66, LABEL_PARTLY), (67, LABEL_NOT_CONSISTENT)):
        c = claim("date_diff_years", [ev], {"value": value, "unit": "years", "period": "2026-02"}, tolerance_abs=1)
        assert run(c, tables)["label"] == label


@pytest.mark.parametrize(
    ("year", "exclude", "label", "rank"),
    [
        (2025, [2020, 2021, 2022], LABEL_CONSISTENT, 1),
        (2025, [2020, 2021], LABEL_PARTLY, 2),  # 2022 (1.61 M) is lower than 2025
        (2025, [2020], LABEL_NOT_CONSISTENT, 3),
        (2024, [], LABEL_NOT_CONSISTENT, 4),  # 2020, 2021 and 2022 are all lower
    ],
)
def test_rank_min(tables, year, exclude, label, rank):
    ev = {
        "table": "tourism_visitors",
        "column": "international_visitors",
        "where": {},
        "period": {"from": "2006-01-01", "to": "2025-12-31"},
        "aggregate": "min",
        "label": "Visitors",
    }
    c = claim("rank_min", [ev], {"period": str(year)}, window_years=20, exclude_years=exclude)
    r = run(c, tables)
    assert r["label"] == label
    assert r["measured"][0]["rank"] == rank
    assert r["measured"][0]["publisher"] == "ONEI"


def test_rank_min_wording(tables):
    ev = {
        "table": "tourism_visitors",
        "column": "international_visitors",
        "where": {},
        "period": {"from": "2006-01-01", "to": "2025-12-31"},
        "aggregate": "min",
        "label": "Visitors",
    }
    r = run(
        claim("rank_min", [ev], {"period": "2025", "unit": "persons"}, window_years=20, exclude_years=[2020]), tables
    )
    assert r["conclusion_en"].startswith(
        "2025 had 1.81 million people (ONEI), 3rd lowest of the 6 years with data in 2006–2025, excluding 2020"
    )


# -- several sources --------------------------------------------------------------------------------------------


def test_sources_disagree(tables):
    # A conclusion names a series by its short `name` (name_es in Spanish), no longer by its label.
    oil = {**oil_share(), "name": "OWID oil share", "name_es": "Cuota del petróleo (OWID)"}
    fossil = {**oil_share("fossil_share_of_electricity_pct"), "name": "OWID fossil share", "name_es": "Cuota fósil"}
    r = run(claim("approx", [oil, fossil], {"value": 82, "unit": "pct", "period": "2024"}, tolerance_abs=2), tables)
    assert r["label"] == LABEL_PARTLY
    assert r["sources_disagree"] is True
    assert [m["verdict"] for m in r["measured"]] == [LABEL_CONSISTENT, LABEL_NOT_CONSISTENT]
    assert r["conclusion_en"].startswith("Sources differ. ")
    # Both figures in a pasteable sentence; no verdict words in brackets (the label says which way it goes).
    assert "OWID oil share: 82% in 2024 (Our World in Data); OWID fossil share: 96% in 2024" in r["conclusion_en"]
    assert "(consistent)" not in r["conclusion_en"] and "(not consistent)" not in r["conclusion_en"]
    assert "(coherente)" not in r["conclusion_es"] and "82 % en 2024 (Our World in Data)" in r["conclusion_es"]
    assert "Cuota del petróleo (OWID): 82 %" in r["conclusion_es"] and "Cuota fósil: 96 %" in r["conclusion_es"]
    assert r["conclusion_es"].startswith("Las fuentes discrepan. ")
    assert r["difference"] == pytest.approx(0.3)  # the first series with data


def test_sources_agreeing_do_not_disagree(tables):
    r = run(
        claim(
            "at_least",
            [oil_share(), oil_share("fossil_share_of_electricity_pct")],
            {"value": 80, "unit": "pct", "period": "2024"},
            tolerance_abs=2,
        ),
        tables,
    )
    assert r["label"] == LABEL_CONSISTENT and r["sources_disagree"] is False
    assert r["conclusion_en"] == (
        "82% in 2024 (Our World in Data); 96% in 2024 (Our World in Data). Claim as read here: at least 80% in 2024."
    )


def test_all_not_consistent_is_not_a_disagreement(tables):
    # The claim covers both years, so that both series count.
    c = claim(
        "approx",
        [oil_share(), oil_share(year=2023)],
        {"value": 50, "unit": "pct", "period": "2023/2024"},
        tolerance_abs=2,
    )
    r = run(c, tables)
    assert [m["counted"] for m in r["measured"]] == [True, True]
    assert r["label"] == LABEL_NOT_CONSISTENT and r["sources_disagree"] is False


def test_no_data_series_is_listed_and_ignored(tables):
    missing = {
        "table": "une_daily",
        "column": "estimated_outage_hours_per_day_high",
        "where": {},
        "period": {"from": "2026-02-01", "to": "2026-02-28"},
        "aggregate": "max",
        "label": "Outage hours",
    }
    r = run(
        claim("approx", [missing, oil_share()], {"value": 82, "unit": "pct", "period": "2024"}, tolerance_abs=2), tables
    )
    assert r["label"] == LABEL_CONSISTENT and r["sources_disagree"] is False
    assert r["measured"][0]["status"] == "no data" and "has no column" in r["measured"][0]["note"]
    assert r["measured"][0]["counted"] is False and r["measured"][1]["counted"] is True
    # Listed in the measured entries and notes; the conclusion states only figures that exist.
    assert r["notes"] == [
        "une_daily.estimated_outage_hours_per_day_high: table une_daily has no column estimated_outage_hours_per_day_high"
    ]
    assert r["conclusion_en"] == "82% in 2024 (Our World in Data). Claim as read here: 82% in 2024."


# -- evidence selection -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("evidence", "why"),
    [
        (
            {"table": "une_daily", "column": "peak_demand_mw", "period": {"from": "2027-01-01", "to": "2027-01-31"}},
            "no row of une_daily in the period 2027-01-01/2027-01-31",
        ),
        ({"table": "une_daily", "column": "no_such_column"}, "table une_daily has no column no_such_column"),
        (
            {"table": "une_daily", "column": "peak_demand_mw", "where": {"nope": 1}},
            "has no column nope (used in where)",
        ),
        (
            {"table": "owid_energy", "column": "oil_share_of_electricity_pct", "where": {"iso_code": "XXX"}},
            "no row of owid_energy with iso_code = XXX",
        ),
        (
            {
                "table": "owid_energy",
                "column": "oil_share_of_electricity_pct",
                "where": {"iso_code": "MEX", "year": 2022},
            },
            "no row of owid_energy matching all of iso_code = MEX and year = 2022",
        ),
    ],
)
def test_unresolvable_evidence_cannot_be_checked(tables, evidence, why):
    r = run(claim("approx", [{"aggregate": "last", **evidence}], {"value": 1, "unit": "mw"}, tolerance_pct=5), tables)
    assert r["label"] == LABEL_CANNOT_CHECK
    assert why in r["measured"][0]["note"] and why in r["conclusion_en"]


def test_where_month_on_a_date_column(tables):
    ev = {
        "table": "cited_figures",
        "column": "value",
        "where": {"topic": "prisoners", "figure_date": "2024-07"},
        "period": "latest",
        "aggregate": "last",
    }
    r = run(claim("approx", [ev], {"value": 554, "unit": "persons"}), tables)
    assert r["measured"][0]["value"] == 554 and r["measured"][0]["period"] == "2024-07-01"
    assert r["measured"][0]["unit"] == "people"


@pytest.mark.parametrize(
    ("aggregate", "value", "period"),
    [
        ("last", 3150, "2026-02-14"),
        ("max", 3150, "2026-02-14"),
        ("min", 3050, "2026-02-12"),
        ("mean", 3100, "2026-02-12/2026-02-14"),
        ("sum", 9300, "2026-02-12/2026-02-14"),
        ("count", 3, "2026-02-12/2026-02-14"),
    ],
)
def test_aggregates_over_a_period(tables, aggregate, value, period):
    ev = {"table": "une_daily", "column": "peak_demand_mw", "period": {"year": 2026}, "aggregate": aggregate}
    ev["period"] = {"from": "2026-02-01", "to": "2026-02-28"}
    r = run(claim("approx", [ev], {"value": value, "unit": "mw"}), tables)
    assert r["measured"][0]["value"] == value and r["measured"][0]["period"] == period
    assert r["label"] == LABEL_CONSISTENT


def test_year_period_on_a_date_column_and_latest(tables):
    ev = {"table": "une_daily", "column": "peak_demand_mw", "period": {"year": 2026}, "aggregate": "count"}
    assert run(claim("approx", [ev], {"value": 4, "unit": "count"}), tables)["label"] == LABEL_CONSISTENT
    latest = {
        "table": "owid_energy",
        "column": "oil_share_of_electricity_pct",
        "where": {"iso_code": "CUB"},
        "period": "latest",
        "aggregate": "last",
    }
    r = run(claim("approx", [latest], {"value": 82.3, "unit": "pct", "period": "2024"}), tables)
    assert r["measured"][0]["period"] == "2024" and r["label"] == LABEL_CONSISTENT


def test_period_rows_overlapping_the_window_count(tables):
    ev = {
        "table": "oil_supply_reported",
        "column": "value",
        "where": {"supplier": "Venezuela"},
        "period": {"from": "2026-01-01", "to": "2026-02-28"},
        "aggregate": "max",
    }
    # The claim's period (January 2026) overlaps the row; by default (February 2026) it would not count.
    r = run(
        claim("at_most", [ev], {"value": 0, "unit": "bbl_per_day", "period": "2026-01"}, tolerance_abs=1000), tables
    )
    assert r["measured"][0]["rows_used"] == 1  # only the 2025-12-15/2026-01-15 row overlaps
    assert r["measured"][0]["period"] == "2025-12-15/2026-01-15" and r["measured"][0]["publisher"] == "Wire C"
    assert r["label"] == LABEL_CONSISTENT


# -- wording, serialisation, purity -------------------------------------------------------------------------------


def test_spanish_number_format():
    assert fmt_number(1234.5, "es") == "1.234,5"
    assert fmt_number(1234.5, "en") == "1,234.5"
    assert fmt_number(82.3, "es") == "82,3"
    assert fmt_number(1_810_663, "es") == "1.810.663"
    assert fmt_number(0.0, "en") == "0"


def test_spanish_conclusion_uses_spanish_numbers(tables):
    # Figures from 100 up are rounded to units as a reporter would, so the decimal comma is checked on a small share.
    tables["une_daily"].loc[2, "peak_demand_mw"] = 1234.6
    r = run(claim("approx", [peak()], {"value": 1200, "unit": "mw", "period": "2026-02-13"}, tolerance_pct=5), tables)
    assert "1.235 MW" in r["conclusion_es"] and "1.200 MW" in r["conclusion_es"] and "±5 %" not in r["conclusion_es"]
    assert r["caveats_es"] == [tolerance_caveat("±5 %", "es")]
    assert "1,235 MW" in r["conclusion_en"]
    tables["owid_energy"].loc[2, "oil_share_of_electricity_pct"] = 8.3
    r = run(claim("approx", [oil_share()], {"value": 8, "unit": "pct", "period": "2024"}, tolerance_abs=1), tables)
    assert "8,3 %" in r["conclusion_es"] and "8.3%" in r["conclusion_en"]


def test_conclusions_are_one_sentence(tables):
    """A conclusion is the data in one sentence, then what the claim says in one sentence (after a "Sources
    differ." lead when they do); the finding is one sentence."""
    cases = [
        (
            claim(
                "approx",
                [oil_share(), oil_share("fossil_share_of_electricity_pct")],
                {"value": 82, "unit": "pct", "period": "2024"},
                tolerance_abs=2,
            ),
            ("Sources differ. ", "Las fuentes discrepan. "),
        ),
        (claim("approx", [peak()], {"value": 3100, "unit": "mw"}), ("", "")),
    ]
    for c, leads in cases:
        r = run(c, tables)
        for text, lead, says in zip(
            (r["conclusion_en"], r["conclusion_es"]),
            leads,
            (". Claim as read here: ", ". Lectura de la afirmación: "),
            strict=True,
        ):
            assert text.endswith(".") and "\n" not in text and text.startswith(lead)
            data, _, claim_sentence = text[len(lead) :].partition(says)
            assert data and claim_sentence and ". " not in data and ". " not in claim_sentence
        for text in (r["finding_en"], r["finding_es"]):
            assert text.endswith(".") and ". " not in text and "\n" not in text


def test_result_is_json_serialisable_and_inputs_are_not_mutated(tables):
    before = {name: df.copy(deep=True) for name, df in tables.items()}
    c = claim(
        "ratio_range",
        [oil_share(), oil_share("fossil_share_of_electricity_pct")],
        {"low": 80, "high": 90, "unit": "pct", "period": "2024"},
        tolerance_abs=5,
    )
    c_before = copy.deepcopy(c)
    info_before = copy.deepcopy(INFO)
    r = evaluate(c, tables, INFO, DOC)
    text = json.dumps(r, allow_nan=False, sort_keys=True)
    assert json.loads(text) == r
    assert c == c_before and INFO == info_before
    for name, df in tables.items():
        pd.testing.assert_frame_equal(df, before[name])


def test_claim_period_defaults_to_the_document_date(tables):
    r = run(claim("approx", [oil_share()], {"value": 82.3, "unit": "pct"}), tables)
    assert r["claimed"]["period"] == "2026-02"


def test_short_label_drops_quoted_figures():
    assert short_label("CIA Factbook: production (34,000 bbl/d, 2023 est.)") == "CIA Factbook: production"
    assert short_label("Venezuela to Cuba, Jan-Oct 2025 (Reuters shipping data): 27,400 bbl/d") == (
        "Venezuela to Cuba, Jan-Oct 2025 (Reuters shipping data)"
    )


# -- malformed claims -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"rule": {"kind": "roughly"}}, "unknown rule kind 'roughly'"),
        ({"type": "guess"}, "unknown type 'guess'"),
        ({"topic": "weather"}, "unknown topic 'weather'"),
        ({"claimed": {"unit": "mw"}}, "rule approx needs a numeric claimed.value"),
        ({"evidence": []}, "needs at least one evidence entry"),
        ({"id": "Not Kebab"}, "is not kebab-case"),
    ],
)
def test_check_claim_rejects_malformed_claims(tables, change, problem):
    c = {**claim("approx", [peak()], {"value": 3100, "unit": "mw"}, tolerance_pct=5), **change}
    assert any(problem in p for p in check_claim(c)), check_claim(c)
    with pytest.raises(ValueError, match="test-claim|Not Kebab"):
        evaluate(c, tables, INFO, DOC)


def test_ratio_range_needs_pairs():
    c = claim("ratio_range", [oil_share()], {"low": 1, "high": 2, "unit": "pct"})
    assert any("pairs" in p for p in check_claim(c))

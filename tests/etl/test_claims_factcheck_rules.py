"""The fact-checking desk's rules (../shared/guides/FACTCHECK.md) in the verdict engine, one small fixture claim per
rule, and the published claims.json held to the same rules: the claim's own period, verification marks, the
document's own source, context series, ratios from one period, partial support, characterisation, thresholds,
'Not consistent', and the exact rows behind each label."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from etl.claims.engine import evaluate
from etl.claims.formatting import fmt_reporter, period_name
from etl.claims.labels import (
    LABEL_CANNOT_CHECK,
    LABEL_CONSISTENT,
    LABEL_NOT_CONSISTENT,
    LABEL_NOT_FACTUAL,
    LABEL_PARTLY,
)
from etl.claims.schema import check_claim
from etl.claims.sentence_check import unsupported_numbers
from etl.claims.weighing import claim_window
from etl.claims.wording import plural_head, series_list

DOC = {"id": "doc", "title": "Doc", "publisher": "P", "published": "2026-02"}
ROOT = Path(__file__).resolve().parents[2]


def _counts() -> pd.DataFrame:
    """A monthly count with verification marks, like data/political_prisoners.csv."""
    return pd.DataFrame(
        {
            "as_of_date": ["2025-12-31", "2026-01-31", "2026-02-28", "2026-02-28"],
            "prisoners": [1197.0, 1207.0, 1214.0, 1300.0],
            "publisher": ["NGO A", "NGO A", "NGO A", "NGO B"],
            "url": ["https://a/1", "https://a/2", "https://a/3", "https://b/1"],
            "verification": ["confirmed", "confirmed", "confirmed", "unverified"],
        }
    ).astype({"as_of_date": "string", "publisher": "string", "url": "string", "verification": "string"})


def _flows() -> pd.DataFrame:
    """Period figures with period_start/period_end, like data/oil_supply_reported.csv."""
    return pd.DataFrame(
        {
            "period_start": ["2025-01-01", "2025-01-01", "2025-01-01", "2026-01-30"],
            "period_end": ["2025-10-31", "2025-06-30", "2025-06-30", "2026-01-30"],
            "supplier": ["Venezuela", "Mexico", "Mexico", "domestic production"],
            "flow": ["all", "crude", "products", "crude"],
            "value": [27400.0, 17900.0, 1700.0, 40000.0],
            "unit": ["bbl_per_day"] * 4,
            "publisher": ["Wire", "Filing", "Filing", "Expert"],
            "verification": ["confirmed"] * 4,
        }
    ).astype({c: "string" for c in ("period_start", "period_end", "supplier", "flow", "unit", "publisher")})


def _facts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "fact_id": ["raid", "weighing"],
            "date": ["2026-01-03", "2026-01-23"],
            "value": [2026.0, 2026.0],
            "publisher": ["Wire", "Paper"],
            "verification": ["confirmed", "confirmed"],
        }
    ).astype({"fact_id": "string", "date": "string", "publisher": "string", "verification": "string"})


TABLES = {"counts": _counts(), "flows": _flows(), "facts": _facts()}


def count_series(**extra: Any) -> dict[str, Any]:
    spec = {
        "table": "counts",
        "column": "prisoners",
        "where": {"publisher": "NGO A"},
        "period": {"from": "2025-01-01", "to": "2026-02-28"},
        "aggregate": "last",
        "label": "NGO A count",
    }
    return {**spec, **extra}


def value_claim(evidence: list[dict[str, Any]], claimed: dict[str, Any], kind: str = "approx", **rule: Any) -> dict:
    return {
        "id": "c",
        "quote": "q",
        "paragraph": 2,
        "topic": "prisoners",
        "type": "value",
        "claimed": claimed,
        "evidence": evidence,
        "rule": {"kind": kind, **rule},
    }


def run(claim: dict[str, Any], tables: dict[str, pd.DataFrame] | None = None) -> dict[str, Any]:
    result = evaluate(claim, tables or TABLES, {}, DOC)
    json.dumps(result, allow_nan=False)
    return result


# -- the claim's own period --------------------------------------------------------------------------------------


def test_today_means_the_documents_month():
    assert claim_window("2026-02") == ("2026-02-01", "2026-02-28")
    assert claim_window("2025") == ("2025-01-01", "2025-12-31")
    assert claim_window("2026-01/2026-02") == ("2026-01-01", "2026-02-28")
    assert claim_window("") is None
    r = run(value_claim([count_series()], {"value": 1185, "unit": "persons"}, tolerance_pct=3))
    assert r["claimed"]["period"] == "2026-02"  # no period given: the document's month
    assert r["label"] == LABEL_CONSISTENT


def test_evidence_from_another_period_is_context_not_verdict():
    old = count_series(period={"from": "2025-01-01", "to": "2025-12-31"})
    r = run(value_claim([old], {"value": 1197, "unit": "persons", "period": "2026-02"}, tolerance_pct=3))
    assert r["label"] == LABEL_CANNOT_CHECK
    assert r["measured"][0]["counted"] is False and r["measured"][0]["value"] == 1197
    assert any("not for February 2026" in c and "context" in c for c in r["caveats_en"])
    assert r["conclusion_en"].startswith("No figure that can settle it for February 2026. For context:")
    assert {row["role"] for row in r["evidence_rows"]} == {"context"}


def test_a_period_note_lets_older_evidence_count_and_is_shown():
    note = "Latest year published"
    old = count_series(period={"from": "2025-01-01", "to": "2025-12-31"}, period_note=note)
    r = run(value_claim([old], {"value": 1197, "unit": "persons", "period": "2026-02"}, tolerance_pct=3))
    assert r["label"] == LABEL_CONSISTENT
    assert r["measured"][0]["counted"] is True
    assert any(note in c for c in r["caveats_en"]) and any(note in c for c in r["caveats_es"])


# -- verification, the document's own source, context series -------------------------------------------------------


def test_unverified_rows_alone_never_make_a_claim_consistent():
    b = count_series(where={"publisher": "NGO B"}, label="NGO B count")
    r = run(value_claim([b], {"value": 1300, "unit": "persons"}, tolerance_pct=3))
    assert r["label"] == LABEL_CANNOT_CHECK
    assert any("unverified" in c for c in r["caveats_en"])
    # beside a confirmed series the unverified one is shown but does not count
    r = run(value_claim([count_series(), b], {"value": 1214, "unit": "persons"}, tolerance_pct=1))
    assert r["label"] == LABEL_CONSISTENT and not r["sources_disagree"]
    assert [m["counted"] for m in r["measured"]] == [True, False]


def test_the_documents_own_source_is_not_independent_confirmation():
    r = run(value_claim([count_series(document_source=True)], {"value": 1214, "unit": "persons"}, tolerance_pct=3))
    assert r["label"] == LABEL_CANNOT_CHECK
    assert any("not independent confirmation" in c for c in r["caveats_en"])


def test_a_context_series_needs_a_note_and_never_counts():
    bare = value_claim([count_series(role="context")], {"value": 1214, "unit": "persons"}, tolerance_pct=3)
    assert any("needs a note" in p for p in check_claim(bare))
    noted = count_series(role="context", note="a different measure")
    r = run(value_claim([noted], {"value": 1214, "unit": "persons"}, tolerance_pct=3))
    assert r["label"] == LABEL_CANNOT_CHECK
    assert any("a different measure" in c for c in r["caveats_en"])


# -- labels: 'Not consistent' and disagreement -----------------------------------------------------------------------


def test_evidence_for_the_claims_period_can_contradict_it():
    r = run(value_claim([count_series()], {"value": 2000, "unit": "persons"}, tolerance_pct=5))
    assert r["label"] == LABEL_NOT_CONSISTENT
    assert (
        r["conclusion_en"]
        == "1,214 people on 28 February 2026 (NGO A). Claim as read here: 2,000 people in February 2026."
    )


def test_sources_on_both_sides_of_the_claim_give_partly():
    high = count_series(where={"publisher": "NGO B"}, label="NGO B count")
    tables = {**TABLES, "counts": _counts().assign(verification="confirmed")}
    r = run(value_claim([count_series(), high], {"value": 1214, "unit": "persons"}, tolerance_pct=1), tables)
    assert r["label"] == LABEL_PARTLY and r["sources_disagree"]
    assert r["conclusion_en"].startswith("Sources differ. ")


# -- ratios ------------------------------------------------------------------------------------------------------------


def _pair(num: dict[str, Any], den: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "r",
        "quote": "q",
        "paragraph": 2,
        "topic": "oil supply",
        "type": "comparison",
        "claimed": {"low": 100, "high": 100000, "unit": "pct", "period": "2025"},
        "evidence": [num, den],
        "rule": {"kind": "ratio_range", "tolerance_abs": 10},
    }


def _flow(supplier: str, start: str, end: str, how: str = "last", **extra: Any) -> dict[str, Any]:
    return {
        "table": "flows",
        "column": "value",
        "where": {"supplier": supplier, "period_start": start, "period_end": end},
        "period": {"from": "2025-01-01", "to": "2026-02-28"},
        "aggregate": how,
        "label": f"{supplier} flow",
        **extra,
    }


def test_a_ratio_is_said_in_words_with_its_periods_and_publishers_flagged():
    num = _flow("Venezuela", "2025-01-01", "2025-10-31", name="Venezuelan deliveries", source="Wire")
    den = _flow("Mexico", "2025-01-01", "2025-06-30", how="sum", name="Mexico's", source="Filing")
    r = run(_pair(num, den))
    assert r["label"] == LABEL_CONSISTENT
    assert r["ratios"][0]["value"] == pytest.approx(139.8, abs=0.01)
    assert r["ratios"][0]["denominator"] == 19600  # crude + products summed
    assert r["conclusion_en"] == (
        "Venezuelan deliveries (27,400 bbl/d, January–October 2025, Wire) equalled 140% of Mexico's (19,600 bbl/d, "
        "January–June 2025, Filing). Claim as read here: at least 100% in 2025."
    )
    assert "=" not in r["conclusion_en"] and not re.search(r"\d\s*/\s*\d", r["conclusion_en"])
    assert any("different periods" in c for c in r["caveats_en"])
    assert any("different publishers" in c for c in r["caveats_en"])
    assert r["ratios"][0]["x_start"] == "2025-01-01" and r["ratios"][0]["x_end"] == "2025-10-31"


def test_two_ratios_of_one_numerator_are_one_sentence_and_a_legend_names_each_series_alone():
    num = _flow("Venezuela", "2025-01-01", "2025-10-31", name="Venezuelan deliveries", source="Wire")
    den_a = {
        **_flow("Mexico", "2025-01-01", "2025-06-30", how="sum", name="Mexico's", source="Filing"),
        "chart_name": "Mexican deliveries",
        "chart_name_es": "Las entregas mexicanas",
    }
    den_b = _flow(
        "domestic production", "2026-01-30", "2026-01-30", name="Cuba's own output", source="Expert", period_note="n"
    )
    r = run(_pair(num, den_a) | {"evidence": [num, den_a, num, den_b]})
    text = r["conclusion_en"]
    assert r["sources_disagree"] and text.startswith("Sources differ. ")
    assert "equalled 140% of Mexico's (19,600 bbl/d" in text and " but 69% of Cuba's own output (40,000" in text
    assert text.count("Venezuelan deliveries (") == 1  # the shared numerator is said once
    assert "(consistent)" not in text and "(not consistent)" not in text and "):" not in text
    assert r["ratios"][0]["denominator_label"] == "Mexican deliveries"  # a legend names it standing alone
    assert r["ratios"][0]["denominator_label_es"] == "Las entregas mexicanas"
    assert {row["series"] for row in r["evidence_rows"]} >= {"Mexican deliveries", "Venezuelan deliveries"}


def test_figures_of_one_name_are_listed_once_in_the_plural():
    items = [
        (None, {"en": "118,000 bbl/d in 2023 (CIA)", "name_en": "Estimate", "es": "a", "name_es": "Estimación"}, None),
        (
            None,
            {"en": "110,000 bbl/d in 2026 (Piñón)", "name_en": "Estimate", "es": "b", "name_es": "Estimación"},
            None,
        ),
    ]
    assert (
        series_list(items, "en", disagree=True)
        == "Estimates: 118,000 bbl/d in 2023 (CIA) and 110,000 bbl/d in 2026 (Piñón)"
    )
    assert series_list(items, "es", disagree=True) == "Estimaciones: a y b"
    assert plural_head("Oil share: x", "Oil share", "en") == "Oil share: x"  # a many-word name keeps its form


def test_a_ratio_counts_only_when_both_figures_count():
    num = _flow("Venezuela", "2025-01-01", "2025-10-31")
    den = _flow("domestic production", "2026-01-30", "2026-01-30")  # January 2026, claim is about 2025
    r = run(_pair(num, den))
    assert r["label"] == LABEL_CANNOT_CHECK and r["ratios"][0]["counted"] is False
    r = run(_pair(num, {**den, "period_note": "describes the months before"}))
    assert r["label"] == LABEL_NOT_CONSISTENT  # 68 %, more than 2 × 10 points under 100 %


# -- events: partial support, core and characterisation ------------------------------------------------------------


def _event(fact: str, **extra: Any) -> dict[str, Any]:
    claim = {
        "id": "e",
        "quote": "q",
        "paragraph": 2,
        "topic": "politics",
        "type": "event",
        "claimed": {"period": "2026-01"},
        "evidence": [
            {"table": "facts", "column": "date", "where": {"fact_id": fact}, "aggregate": "last", "label": fact}
        ],
        "rule": {"kind": "event"},
    }
    claim["evidence"][0].update(extra.pop("evidence_extra", {}))
    return {**claim, **extra}


def test_an_event_judges_its_core_and_names_the_characterisation_as_the_documents():
    r = run(
        _event(
            "raid",
            core="A raid took place on 3 January 2026.",
            characterisation='"Invasion" is the document\'s word.',
        )
    )
    assert r["label"] == LABEL_CONSISTENT
    assert r["conclusion_en"] == "A raid took place on 3 January 2026 (Wire)."
    assert r["characterisation_en"] == '"Invasion" is the document\'s word.'
    assert r["characterisation_es"] == r["characterisation_en"]  # no Spanish given: the English, never empty
    assert any("factual core only" in c for c in r["caveats_en"])


def test_a_report_that_covers_only_part_of_an_event_gives_partly():
    r = run(_event("weighing", evidence_extra={"supports": "partly"}, core="A blockade was being considered."))
    assert r["label"] == LABEL_PARTLY
    bad = _event("weighing", evidence_extra={"supports": "maybe"})
    assert any("supports" in p for p in check_claim(bad))


# -- thresholds and tolerance on the card --------------------------------------------------------------------------


def test_thresholds_and_tolerances_set_by_the_engine_are_stated():
    claimed = {"value": 1214, "unit": "persons", "threshold": "'many' read as over 1,000"}
    r = run(value_claim([count_series()], claimed, tolerance_pct=3))
    assert any("Threshold set by this dashboard" in c and "over 1,000" in c for c in r["caveats_en"])
    assert any("Tolerance set by this dashboard" in c and "±3%" in c for c in r["caveats_en"])
    assert len(r["caveats_en"]) == len(r["caveats_es"])


def test_wording_replaces_a_number_that_would_misstate_the_claim():
    claimed = {"value": 0, "unit": "persons", "wording": "that nobody is held", "wording_es": "que nadie está preso"}
    r = run(value_claim([count_series()], claimed, kind="at_most", tolerance_abs=0))
    assert r["conclusion_en"].endswith("The claim says that nobody is held.")
    assert r["conclusion_es"].endswith("La afirmación dice que nadie está preso.")


# -- the rows behind the label -------------------------------------------------------------------------------------


def test_evidence_rows_are_exactly_the_rows_behind_the_value():
    r = run(value_claim([count_series()], {"value": 1214, "unit": "persons"}, tolerance_pct=3))
    rows = r["evidence_rows"]
    evidence = [row for row in rows if row["role"] == "evidence"]
    assert [(row["x_start"], row["value"]) for row in evidence] == [("2026-02-28", 1214)]  # 'last': one row
    context = [row for row in rows if row["role"] == "context"]
    assert [row["value"] for row in context] == [1197, 1207]  # the same series' other rows, for the chart
    first = evidence[0]
    assert first["publisher"] == "NGO A" and first["url"] == "https://a/3" and first["verification"] == "confirmed"
    assert first["unit"] == "persons" and first["series"] == "NGO A count"
    assert r["as_of"] == "2026-02-28"
    mean = run(value_claim([count_series(aggregate="mean")], {"value": 1200, "unit": "persons"}, tolerance_pct=3))
    assert len([row for row in mean["evidence_rows"] if row["role"] == "evidence"]) == 3


def test_period_rows_span_their_period():
    num = _flow("Venezuela", "2025-01-01", "2025-10-31")
    den = _flow("Mexico", "2025-01-01", "2025-06-30", how="sum")
    rows = run(_pair(num, den))["evidence_rows"]
    mexico = [row for row in rows if row["key"].startswith("flows|2025-01-01/2025-06-30")]
    assert len(mexico) == 2 and {row["x_end"] for row in mexico} == {"2025-06-30"}
    assert all(row["x_start"] == "2025-01-01" for row in mexico)


def test_reporter_numbers_and_period_names():
    assert fmt_reporter(1_810_663, "persons", "en") == "1.81 million people"
    assert fmt_reporter(2_101_000, "bbl_per_day", "es") == "2,1 millones de barriles diarios"
    assert fmt_reporter(27_437, "bbl_per_day", "en") == "27,400 bbl/d"
    assert fmt_reporter(82.34, "pct", "en") == "82%"
    assert fmt_reporter(5.62, "pct", "es") == "5,6 %"
    assert fmt_reporter(15.83, "hours_per_day", "en") == "15.8 hours a day"
    assert period_name("2025-01-01/2025-10-31", "en") == "January–October 2025"
    assert period_name("2025-01-01/2025-10-31", "es") == "enero–octubre de 2025"
    assert period_name("2025-12-15/2026-01-15", "en") == "15 December 2025 – 15 January 2026"


# -- the published claims hold to the same rules -------------------------------------------------------------------


@pytest.fixture(scope="module")
def published() -> list[dict[str, Any]]:
    return json.loads((ROOT / "data" / "claims.json").read_text(encoding="utf-8"))["claims"]


def test_published_sentences_are_pasteable(published):
    for c in published:
        if c["label"] == LABEL_NOT_FACTUAL:
            continue
        for lang, most in (("en", 45), ("es", 60)):
            text = c[f"conclusion_{lang}"]
            assert len(text.split()) <= most, (c["claim_id"], lang, text)
            assert not re.search(r"\d\s*=\s*\d|\d\s*/\s*\d", text), (c["claim_id"], text)
            assert c[f"finding_{lang}"], c["claim_id"]
        assert " and " not in c["conclusion_es"].replace("Kpler and", ""), c["claim_id"]  # no English joiners


def test_published_labels_rest_on_counted_evidence_rows(published):
    for c in published:
        counted = [m for m in c["measured"] if m.get("counted")]
        if c["label"] in (LABEL_CONSISTENT, LABEL_PARTLY, LABEL_NOT_CONSISTENT):
            assert counted, c["claim_id"]
            evidence = [r for r in c["evidence_rows"] if r["role"] == "evidence"]
            assert evidence, c["claim_id"]
            marks = {r["verification"] for r in evidence}
            assert marks - {"unverified", "conflicting"}, (c["claim_id"], marks)
        for row in c["evidence_rows"]:
            assert row["role"] in ("evidence", "context") and row["table"] and "key" in row, c["claim_id"]
            assert row["x_start"] <= row["x_end"] or not row["x_start"], (c["claim_id"], row)


def test_published_labels_a_fact_checker_flagged(published):
    """Labels changed after the review in issue 14: a July 2024 ratio of two NGOs cannot confirm a February 2026
    claim; system-wide hours of load shedding are not hours without power; Venezuela's deliveries were smaller than
    Cuba's own output; a repost is not a statement; 'considering' is not 'preparing'."""
    label = {c["claim_id"]: c["label"] for c in published}
    assert label["most-prisoners-arrested-11j"] == LABEL_CANNOT_CHECK
    assert label["twenty-hours-without-power"] == LABEL_CANNOT_CHECK
    assert label["venezuela-main-oil-source"] == LABEL_PARTLY
    assert label["trump-rubio-president-of-cuba"] == LABEL_PARTLY
    assert label["naval-blockade-press-reports"] == LABEL_PARTLY
    by_id = {c["claim_id"]: c for c in published}
    for cid in ("venezuela-invasion", "maduro-captured"):
        assert by_id[cid]["characterisation_en"] and by_id[cid]["characterisation_es"], cid


def test_context_rows_can_be_limited_to_the_same_kind_of_period():
    """A cargo claim's context shows other cargoes, not multi-month totals kept in the same table."""
    flows = pd.concat(
        [
            _flows(),
            pd.DataFrame(
                {
                    "period_start": ["2025-05-01", "2025-12-10"],
                    "period_end": ["2025-11-30", "2025-12-12"],
                    "supplier": ["domestic production"] * 2,
                    "flow": ["crude"] * 2,
                    "value": [9_000_000.0, 80_000.0],
                    "unit": ["bbl_per_day"] * 2,
                    "publisher": ["Total", "Cargo"],
                    "verification": ["confirmed"] * 2,
                }
            ),
        ],
        ignore_index=True,
    ).astype({c: "string" for c in ("period_start", "period_end", "supplier", "flow", "unit", "publisher")})
    spec = {
        "table": "flows",
        "column": "value",
        "where": {"supplier": "domestic production"},
        "period": {"from": "2026-01-01", "to": "2026-02-28"},
        "aggregate": "max",
        "label": "cargoes",
    }
    claim = value_claim([spec], {"value": 100_000, "unit": "bbl_per_day", "period": "2026-01"}, kind="at_most")
    every = run(claim, {**TABLES, "flows": flows})["evidence_rows"]
    assert sorted(r["value"] for r in every if r["role"] == "context") == [80_000, 9_000_000]
    claim["evidence"][0]["context_max_days"] = 10
    limited = run(claim, {**TABLES, "flows": flows})["evidence_rows"]
    assert [r["value"] for r in limited if r["role"] == "context"] == [80_000]
    claim["evidence"][0]["context_max_days"] = -1
    assert any("context_max_days" in p for p in check_claim(claim))


def test_a_headline_is_the_finding_in_both_languages():
    claim = value_claim([count_series()], {"value": 1185, "unit": "persons"}, tolerance_pct=3)
    claim.update(headline="Close to the count claimed", headline_es="Cerca del recuento indicado")
    r = run(claim)
    assert r["finding_en"] == "Close to the count claimed." and r["finding_es"] == "Cerca del recuento indicado."
    assert r["conclusion_en"].startswith("1,214 people")  # the numbers stay in the conclusion
    assert any("must be text" in p for p in check_claim({**claim, "headline": 3}))


def test_published_headlines_are_plain_and_short(published):
    for c in published:
        if c["rule"]["kind"] in ("approx", "range", "at_least", "at_most", "ratio_range", "rank_min"):
            for lang in ("en", "es"):
                text = c[f"finding_{lang}"]
                assert len(text.split()) <= 22, (c["claim_id"], lang, text)
                assert "(" not in text and "=" not in text, (c["claim_id"], lang, text)


def test_a_row_shared_by_two_series_is_published_once():
    a = count_series()
    b = count_series(period={"from": "2025-01-01", "to": "2025-12-31"}, label="older")
    rows = run(value_claim([a, b], {"value": 1214, "unit": "persons"}, tolerance_pct=3))["evidence_rows"]
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys))
    assert {r["value"] for r in rows if r["role"] == "evidence"} == {1214}


def test_two_columns_of_one_row_and_rows_without_dates_keep_their_own_keys():
    """Production and consumption sit in one row of a yearly table; a list of plants has no dates at all."""
    yearly = pd.DataFrame({"year": [2024], "production": [2118.0], "consumption": [1428.0], "publisher": ["OWID"]})
    plants = pd.DataFrame({"plant_id": ["a", "b", "c"], "fuel": ["Oil"] * 3})
    tables = {**TABLES, "yearly": yearly, "plants": plants.astype("string")}
    ratio = _pair(
        {"table": "yearly", "column": "production", "where": {}, "aggregate": "last", "label": "production"},
        {"table": "yearly", "column": "consumption", "where": {}, "aggregate": "last", "label": "consumption"},
    )
    ratio["claimed"]["period"] = "2024"
    rows = run(ratio, tables)["evidence_rows"]
    assert sorted(r["value"] for r in rows) == [1428, 2118]
    count = value_claim(
        [{"table": "plants", "column": "plant_id", "where": {"fuel": "Oil"}, "aggregate": "count", "label": "plants"}],
        {"value": 3, "unit": "count"},
        tolerance_abs=0,
    )
    rows = run(count, tables)["evidence_rows"]
    assert len(rows) == 3 and len({r["key"] for r in rows}) == 3


# -- the fact-check desk's own sentence, held to the data ------------------------------------------------------------


def test_a_written_summary_replaces_the_generated_one_and_its_numbers_must_match_the_data():
    num = _flow("Venezuela", "2025-01-01", "2025-10-31", name="Venezuelan deliveries", source="Wire")
    den = _flow("Mexico", "2025-01-01", "2025-06-30", how="sum", name="Mexico's", source="Filing")
    good = "Venezuela sent more than Mexico in 2025 (27,400 bbl/d against 19,600 on 30 June 2025), 140% of it."
    c = _pair(num, den) | {"summary": good, "summary_es": "Venezuela envió 27.400 barriles diarios, el 140 %."}
    r = run(c)
    assert r["conclusion_en"] == good and r["conclusion_es"].startswith("Venezuela envió 27.400")
    assert unsupported_numbers(c, r) == []
    # a figure the data no longer hold (a refresh changed it, or a typo) is named, in either language
    stale = c | {"summary": "Venezuela sent 31,000 bbl/d in 2025.", "summary_es": "Venezuela envió 27.400; el 90 %."}
    problems = unsupported_numbers(stale, run(stale))
    assert problems == [
        "summary: 31,000 matches no figure behind the card",
        "summary_es: 90 matches no figure behind the card",
    ]
    # bounds are read as bounds, the claim's own number is allowed, years and days are dates
    bounded = c | {"headline": "Under 150% of Mexico's in 2025, over 100% as the claim says, on 31 October 2025"}
    assert unsupported_numbers(bounded, run(bounded)) == []
    far = c | {"headline": "Under 300% of Mexico's"}
    assert unsupported_numbers(far, run(far)) == ["headline: 300 matches no figure behind the card"]


def test_the_claims_source_refuses_a_summary_the_data_do_not_support(tmp_path):
    assert check_claim(
        _pair(_flow("Venezuela", "2025-01-01", "2025-10-31"), _flow("Mexico", "2025-01-01", "2025-06-30"))
        | {"summary": 3}
    ) == ["summary must be text"]


def test_a_context_series_gets_no_verdict_of_its_own_and_is_marked_in_the_csv():
    """Fact-check of issue 20 (R3): a context row (two ships' total against a per-cargo threshold) carried a
    "Consistent" sub-verdict, and claims.csv listed it with no sign that it did not count."""
    from etl.sources.claims import _measured_text

    result = {
        "ratios": [],
        "measured": [
            {"value": 86000, "unit": "bbl", "period": "2026-01", "publisher": "EFE", "status": "ok", "counted": True},
            {
                "value": 80000,
                "unit": "bbl",
                "period": "2025-12-19",
                "publisher": "CiberCuba",
                "status": "ok",
                "counted": False,
            },
        ],
    }
    text = _measured_text(result)
    assert text == "86000 bbl (2026-01, EFE); context, not counted: 80000 bbl (2025-12-19, CiberCuba)"
    published = json.loads((Path(__file__).resolve().parents[2] / "data" / "claims.json").read_text("utf-8"))
    rows = [m for c in published["claims"] for m in c.get("measured", []) + c.get("ratios", [])]
    assert any(not m.get("counted") and m.get("status") == "ok" for m in rows)  # context series exist
    assert all(m.get("verdict") is None and m.get("difference") is None for m in rows if not m.get("counted"))


def test_a_share_its_publisher_states_is_judged_beside_the_computed_ratio():
    """Fact-check of 6 December 2026: Reuters called Venezuela's 2025 deliveries "roughly a third" of Cuba's needs
    (no denominator given) while 27,400 ÷ 110,000 is 25%: the card shows both and the label says sources differ."""
    flows = pd.concat(
        [
            _flows(),
            pd.DataFrame(
                {
                    "period_start": ["2025-01-01", "2025-01-01"],
                    "period_end": ["2025-12-31", "2025-12-31"],
                    "supplier": ["consumption", "Venezuela"],
                    "flow": ["all", "all"],
                    "value": [110000.0, 33.0],
                    "unit": ["bbl_per_day", "pct"],
                    "publisher": ["Expert", "Wire"],
                    "verification": ["confirmed", "confirmed"],
                }
            ),
        ],
        ignore_index=True,
    ).astype({c: "string" for c in ("period_start", "period_end", "supplier", "flow", "unit", "publisher")})

    def flow(supplier: str, unit: str = "bbl_per_day", **extra: Any) -> dict[str, Any]:
        where = {"supplier": supplier, "unit": unit}
        period = {"from": "2025-01-01", "to": "2025-12-31"}
        return {"table": "flows", "column": "value", "where": where, "period": period, "label": supplier, **extra}

    pair = [flow("Venezuela", name="Venezuelan deliveries"), flow("consumption", name="consumption")]
    stated = flow("Venezuela", "pct", stated_pct=True, chart_name="Wire: roughly a third of needs", source="Wire")
    claim = {
        **value_claim(
            [*pair, stated], {"low": 30, "high": 40, "unit": "pct", "period": "2025"}, "ratio_range", tolerance_abs=2
        ),
        "type": "share",
    }
    assert check_claim(claim) == []
    assert check_claim({**claim, "evidence": [*pair[:1], stated]})  # an unpaired numerator is still refused
    r = run(claim, {**TABLES, "flows": flows})
    assert r["label"] == LABEL_PARTLY and r["sources_disagree"] is True
    computed, own = r["ratios"]
    assert round(computed["value"], 1) == 24.9 and computed["verdict"] == LABEL_NOT_CONSISTENT
    assert (
        own["value"] == 33 and own["verdict"] == LABEL_CONSISTENT and own["label"] == "Wire: roughly a third of needs"
    )
    assert (own["x_start"], own["x_end"]) == ("2025-01-01", "2025-12-31")
    # Without the stated share the same pair is simply not consistent.
    assert run({**claim, "evidence": pair}, {**TABLES, "flows": flows})["label"] == LABEL_NOT_CONSISTENT

"""The claims source: seed validation, a run over a fixture document, a run over the real seeds and published
tables, stable published JSON, and the refresh end to end in a temporary copy of data/."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from etl.claims.labels import (
    LABEL_CANNOT_CHECK,
    LABEL_CONSISTENT,
    LABEL_NOT_CONSISTENT,
    LABEL_NOT_FACTUAL,
    LABEL_PARTLY,
    LABELS,
)
from etl.meta import load_source_meta
from etl.paths import Paths
from etl.registry import SOURCES_DIR, all_sources, all_tables
from etl.runner import Refresher
from etl.sources import claims as source
from etl.sources.base import DeriveContext, ParseError
from etl.validation import read_published
from tests.conftest import REPO

SEEDS = REPO / "seeds"
FIXTURE_DOC = REPO / "tests" / "fixtures" / "seeds" / "test-note-2026"
REAL_CLAIMS = sorted(SEEDS.glob("*/claims.yaml"))
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
META = load_source_meta(SOURCES_DIR / "claims.meta.yaml")


def _claims(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]


def ctx_for(
    seeds: Path,
    inputs: dict[str, pd.DataFrame],
    package: dict[str, Any] | None = None,
    previous: dict[str, bytes] | None = None,
    now: datetime = NOW,
) -> DeriveContext:
    return DeriveContext(
        inputs=inputs,
        meta=META,
        vintages={},
        package=package or {},
        seeds_dir=seeds,
        previous_documents=previous or {},
        now=now,
    )


def synthetic_inputs(oil_share: float = 82.0) -> dict[str, pd.DataFrame]:
    """Just enough data for the fixture document: a peak demand of 3,100 MW and an oil share near 82%."""
    une = pd.DataFrame(
        {
            "date": pd.array(["2026-02-12", "2026-02-13"], dtype="string"),
            "peak_demand_mw": [3050.0, 3100.0],
            "source_url": pd.array(["https://example.org/12", "https://example.org/13"], dtype="string"),
        }
    )
    owid = pd.DataFrame(
        {
            "country": pd.array(["Cuba", "Cuba"], dtype="string"),
            "iso_code": pd.array(["CUB", "CUB"], dtype="string"),
            "year": pd.array([2023, 2024], dtype="Int64"),
            "oil_share_of_electricity_pct": [83.0, oil_share],
        }
    )
    return {"une_daily": une, "owid_energy": owid}


@pytest.fixture
def fixture_seeds(tmp_path: Path) -> Path:
    """A seeds folder holding only the test document: adding a document is adding a folder."""
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURE_DOC, seeds / FIXTURE_DOC.name)
    return seeds


@pytest.fixture(scope="module")
def real_inputs() -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """The repository's published tables (read only) and its datapackage."""
    paths = Paths(data_dir=REPO / "data", cache_dir=REPO / ".cache", seeds_dir=SEEDS)
    own = set(META.tables)
    tables = {}
    for name, table in all_tables().items():
        if name in own:
            continue
        df = read_published(paths, table)
        if df is not None:
            tables[name] = df
    return tables, json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))


# -- (a) quotes and paragraphs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("claims_file", [*REAL_CLAIMS, FIXTURE_DOC / "claims.yaml"], ids=lambda p: p.parent.name)
def test_every_quote_is_verbatim_and_in_its_paragraph(claims_file):
    text = (claims_file.parent / "document.txt").read_text(encoding="utf-8")
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    for claim in _claims(claims_file):
        assert claim["quote"] in text, f"{claim['id']}: quote not verbatim"
        assert claim["quote"] in paragraphs[claim["paragraph"] - 1], f"{claim['id']}: wrong paragraph"


def test_the_real_document_has_87_claims_with_unique_ids():
    ids = [c["id"] for path in REAL_CLAIMS for c in _claims(path)]
    assert len(ids) == 87 and len(set(ids)) == 87


# -- (b) evidence names real tables and columns ----------------------------------------------------------------------


def _known_columns() -> dict[str, set[str]]:
    """Published tables (data/datapackage.json), plus tables the registry declares that are not published yet
    (une_daily while it is being built; eia_international, which needs an API key)."""
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    known = {
        r["path"].removesuffix(".csv"): {f["name"] for f in r["schema"]["fields"]}
        for r in package["resources"]
        if r["path"].endswith(".csv")
    }
    for src in all_sources():
        for name, table in src.meta.tables.items():
            if name not in known and (name == "une_daily" or src.meta.requires_env):
                known[name] = set(table.columns)
    return known


@pytest.mark.parametrize("claims_file", REAL_CLAIMS, ids=lambda p: p.parent.name)
def test_every_evidence_table_and_column_exists(claims_file):
    known = _known_columns()
    problems = []
    for claim in _claims(claims_file):
        for ev in claim.get("evidence") or []:
            table = ev["table"]
            if table not in known:
                if table != "une_daily":  # being built: may not be declared anywhere yet
                    problems.append(f"{claim['id']}: unknown table {table}")
                continue
            for column in [ev["column"], *(ev.get("where") or {})]:
                if column not in known[table]:
                    problems.append(f"{claim['id']}: {table} has no column {column}")
    assert not problems, "\n".join(problems)


# -- (c) a run over a seeds folder holding only the fixture document --------------------------------------------------


def test_fixture_document_gives_the_three_expected_labels(fixture_seeds):
    tables = source.derive(ctx_for(fixture_seeds, synthetic_inputs()))
    df = tables["claims"].set_index("claim_id")
    assert list(df.index) == ["peak-demand-3100", "oil-share-95-pct-2024", "authorities-deserve-praise"]
    assert df.loc["peak-demand-3100", "label"] == LABEL_CONSISTENT
    assert df.loc["oil-share-95-pct-2024", "label"] == LABEL_NOT_CONSISTENT
    assert df.loc["authorities-deserve-praise", "label"] == LABEL_NOT_FACTUAL
    assert set(df["document_id"]) == {"test-note-2026"}
    assert df["checkable"].tolist() == [True, True, False]
    # The table is exactly what the metadata declares (the runner validates it the same way).
    validated = META.tables["claims"].schema().validate(_conform(tables["claims"]))
    assert len(validated) == 3


def _conform(df: pd.DataFrame) -> pd.DataFrame:
    from etl.meta import conform

    return conform(df, META.tables["claims"])


def test_fixture_documents_are_published_as_json_and_claimreview(fixture_seeds, monkeypatch):
    monkeypatch.setenv("CUBA_SITE_URL", "https://dashboard.example/")
    ctx = ctx_for(fixture_seeds, synthetic_inputs())
    docs, changes = source.documents(source.derive(ctx), ctx)
    assert changes == []
    data = json.loads(docs["claims.json"])
    assert data["documents"][0]["id"] == "test-note-2026" and data["documents"][0]["published"] == "2026-02-20"
    first = data["claims"][0]
    assert first["claim_id"] == "peak-demand-3100" and first["label_since"] == "2026-03-01"
    assert first["quote"] == "peak demand reached 3,100 MW on 13 February 2026" and first["paragraph"] == 3
    assert first["evidence"][0]["period"] == {"from": "2026-02-13", "to": "2026-02-13"}
    assert first["measured"][0]["value"] == 3100
    review = json.loads(docs["claims-review.jsonld"])
    assert len(review) == 2  # no ClaimReview for "Not a factual claim" (tests/browser/test_claim_pages.py)
    r = review[1]
    assert (
        r["@type"] == "ClaimReview"
        and r["claimReviewed"] == "Oil supplied 95% of Cuba’s electricity generation in 2024"
    )
    assert r["url"] == "https://dashboard.example/claims/oil-share-95-pct-2024"
    assert r["reviewRating"]["alternateName"] == LABEL_NOT_CONSISTENT
    assert r["reviewRating"]["ratingExplanation"] == data["claims"][1]["conclusion_en"]
    assert r["itemReviewed"]["author"] == {"@type": "Organization", "name": "Example Test Publisher (fictitious)"}
    assert r["itemReviewed"]["datePublished"] == "2026-02-20"
    assert r["itemReviewed"]["appearance"]["url"] == "https://example.org/test-note-2026"
    assert r["author"]["name"] == "Cuba Energy Crisis Dashboard" and r["datePublished"] == "2026-03-01"


def test_without_a_site_url_claim_review_addresses_are_root_relative(fixture_seeds, monkeypatch):
    monkeypatch.delenv("CUBA_SITE_URL", raising=False)
    ctx = ctx_for(fixture_seeds, synthetic_inputs())
    docs, _ = source.documents(source.derive(ctx), ctx)
    assert json.loads(docs["claims-review.jsonld"])[0]["url"] == "/claims/peak-demand-3100"


# -- (d) the real seeds against the real published tables ------------------------------------------------------------


def test_real_seeds_against_published_tables(real_inputs):
    tables, package = real_inputs
    df = source.derive(ctx_for(SEEDS, tables, package))["claims"]
    assert len(df) == 87 and not df["claim_id"].duplicated().any()
    assert set(df["label"]) <= set(LABELS)
    assert df["conclusion_en"].str.len().gt(0).all() and df["conclusion_es"].str.len().gt(0).all()
    META.tables["claims"].schema().validate(_conform(df))
    # Claims on tables that are not published give "cannot be checked" rather than an error, and a claim with
    # evidence in another table is still decided by it. (une_daily no longer serves: its only claim,
    # twenty-hours-without-power, now cannot be checked with every table, its UNE series being context.)
    without_tourism = {k: v for k, v in tables.items() if k != "tourism_visitors"}
    df2 = source.derive(ctx_for(SEEDS, without_tourism, package))["claims"].set_index("claim_id")
    assert df2.loc["tourism-worst-in-twenty-years", "label"] == LABEL_CANNOT_CHECK  # tourism_visitors only
    assert df2.loc["tourism-two-million-2025", "label"] in (LABEL_CONSISTENT, LABEL_PARTLY)  # + reference_facts
    assert len(df2) == 87


# -- (e) stability ---------------------------------------------------------------------------------------------------


def test_documents_are_byte_stable_and_label_since_is_carried_over(fixture_seeds):
    ctx1 = ctx_for(fixture_seeds, synthetic_inputs())
    first, changes = source.documents(source.derive(ctx1), ctx1)
    assert changes == []
    for content in first.values():
        assert content.endswith(b"\n")
    later = datetime(2026, 4, 1, tzinfo=UTC)
    ctx2 = ctx_for(fixture_seeds, synthetic_inputs(), previous=first, now=later)
    second, changes = source.documents(source.derive(ctx2), ctx2)
    assert second == first and changes == []  # a later run with the same data changes nothing
    # New data turn the oil-share claim consistent: reported, and only that claim's label_since moves.
    ctx3 = ctx_for(fixture_seeds, synthetic_inputs(oil_share=94.0), previous=first, now=later)
    third, changes = source.documents(source.derive(ctx3), ctx3)
    assert changes == [
        {
            "document_id": "test-note-2026",
            "claim_id": "oil-share-95-pct-2024",
            "old": LABEL_NOT_CONSISTENT,
            "new": LABEL_CONSISTENT,
        }
    ]
    since = {c["claim_id"]: c["label_since"] for c in json.loads(third["claims.json"])["claims"]}
    assert since == {
        "peak-demand-3100": "2026-03-01",
        "oil-share-95-pct-2024": "2026-04-01",
        "authorities-deserve-praise": "2026-03-01",
    }
    review = json.loads(third["claims-review.jsonld"])
    assert review[1]["datePublished"] == "2026-04-01" and review[0]["datePublished"] == "2026-03-01"


def test_json_is_deterministic():
    assert source.dump_json({"b": 1, "a": "é"}) == '{\n  "a": "é",\n  "b": 1\n}\n'.encode()


# -- (f) validation errors -------------------------------------------------------------------------------------------


def _edit_claims(seeds: Path, edit) -> None:
    path = seeds / "test-note-2026" / "claims.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data["claims"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda cs: cs[0].update(quote="peak demand reached 3,200 MW"), r"peak-demand-3100.*not a verbatim substring"),
        (lambda cs: cs[1].update(paragraph=3), r"oil-share-95-pct-2024.*not in paragraph 3 \(it is in paragraph 4"),
        (lambda cs: cs[2].update(id="peak-demand-3100"), r"peak-demand-3100.*duplicate id"),
        (lambda cs: cs[0]["rule"].update(kind="about"), r"peak-demand-3100.*unknown rule kind 'about'"),
        (lambda cs: cs[0].update(topic="weather"), r"peak-demand-3100.*unknown topic 'weather'"),
        (lambda cs: cs[0].update(type="guess"), r"peak-demand-3100.*unknown type 'guess'"),
        (lambda cs: cs[1]["claimed"].pop("value"), r"oil-share-95-pct-2024.*needs a numeric claimed.value"),
    ],
)
def test_invalid_claims_are_rejected_naming_the_claim(fixture_seeds, edit, message):
    _edit_claims(fixture_seeds, edit)
    with pytest.raises(ParseError, match=message):
        source.derive(ctx_for(fixture_seeds, synthetic_inputs()))


def test_a_folder_without_its_files_is_rejected(fixture_seeds):
    (fixture_seeds / "half-added").mkdir()
    (fixture_seeds / "half-added" / "document.txt").write_text("Title\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"half-added: missing meta.yaml, claims.yaml"):
        source.derive(ctx_for(fixture_seeds, synthetic_inputs()))


# -- the refresh end to end ------------------------------------------------------------------------------------------


def test_refresh_publishes_claims_and_a_second_run_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("CUBA_SITE_URL", raising=False)
    data = tmp_path / "data"
    data.mkdir()
    for path in (REPO / "data").glob("*.csv"):
        if path.stem not in META.tables:
            shutil.copy(path, data / path.name)
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r.get("x_source_id") != "claims"]
    (data / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths = Paths(data_dir=data, cache_dir=tmp_path / "cache", seeds_dir=SEEDS)
    report = Refresher(paths, env={}, now=NOW).refresh(["claims"])
    assert [r.source_id for r in report.results] == ["claims"]
    assert not report.failed, [r.line() for r in report.failed]
    for name in ("claims.csv", "claims.json", "claims-review.jsonld"):
        assert (data / name).exists(), name
    published = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    assert {"claims.csv", "claims.json", "claims-review.jsonld"} <= {r["path"] for r in published["resources"]}
    before = {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}
    report = Refresher(paths, env={}, now=datetime(2026, 3, 2, tzinfo=UTC)).refresh(["claims"])
    assert not report.changed and report.results[0].status == "no change"
    assert {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()} == before
    # Without the no-change fast path the claims are evaluated again, and still give identical bytes.
    (paths.state_dir / "fingerprints.json").unlink()
    report = Refresher(paths, env={}, now=datetime(2026, 3, 3, tzinfo=UTC)).refresh(["claims"])
    assert not report.changed and report.results[0].status == "no change", report.results[0].line()
    assert {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()} == before


def test_a_written_sentence_the_data_no_longer_support_is_set_aside_not_published(fixture_seeds, capsys):
    """A summary written for yesterday's figures (2,600 MW) after a refresh moved them (2,300 MW): the engine's own
    sentence is published for that claim, the refresh still publishes, and the reason is said."""
    _edit_claims(fixture_seeds, lambda cs: cs[0].update(summary="Peak demand reached 2,600 MW in February 2026."))
    before = synthetic_inputs()
    before["une_daily"]["peak_demand_mw"] = [2500.0, 2600.0]
    matching = source.evaluate_all(ctx_for(fixture_seeds, before))
    assert matching[0][2]["conclusion_en"] == "Peak demand reached 2,600 MW in February 2026."
    inputs = synthetic_inputs()
    inputs["une_daily"]["peak_demand_mw"] = [2200.0, 2300.0]
    moved = source.evaluate_all(ctx_for(fixture_seeds, inputs))
    result = moved[0][2]
    assert "2,600" not in result["conclusion_en"] and "2,300" in result["conclusion_en"]
    assert any("written sentences set aside" in n for n in result["notes"])
    assert "written sentences set aside (summary: 2,600 matches no figure" in capsys.readouterr().err

"""The UNE parser on the real corpora, measured against the third party's LLM extraction.

Runs only where ../shared (the mirrored corpora) exists. The agreement must be at least 99% per field
once the disagreements investigated in bench/une_parser_disagreements.yaml are set aside, and every
listed disagreement must still occur with the recorded values (so the list cannot go stale).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

if not SHARED.is_dir():
    pytest.skip(f"{SHARED} not found: corpus checks need the mirrored corpora", allow_module_level=True)

import une_corpus

from etl.une.parser import FIELDS, looks_like_une_note

pytestmark = pytest.mark.shared

if not une_corpus.corpus_available():
    pytest.skip("UNE corpora missing from ../shared", allow_module_level=True)


@pytest.fixture(scope="module")
def corpus() -> list[tuple[une_corpus.Article, dict]]:
    """Both corpora parsed once for the whole module (keeps the file under a few seconds)."""
    return une_corpus.parsed_corpus()


@pytest.fixture(scope="module")
def result(corpus: list[tuple[une_corpus.Article, dict]]) -> une_corpus.Verdict:
    return une_corpus.verdict(une_corpus.comparisons(corpus))


@pytest.mark.parametrize("field", list(une_corpus.COMPARED_FIELDS))
def test_agreement_with_third_party_after_explained(result: une_corpus.Verdict, field: str) -> None:
    compared, agree, explained = result.field_stats(field)
    assert compared > 700, f"{field}: only {compared} articles compared"
    share = result.agreement_after_explained(field)
    unexplained = [r for r in result.unexplained if r.field == field]
    assert share >= 0.99, f"{field}: {share:.2%} ({agree} agree, {explained} explained); unexplained: {unexplained[:5]}"


def test_explained_disagreements_still_occur(result: une_corpus.Verdict) -> None:
    assert not result.stale, f"listed disagreements that no longer occur (remove or update them): {result.stale}"


def test_disagreement_entries_are_complete() -> None:
    entries = une_corpus.load_disagreements()
    assert entries, "the investigated list is empty"
    keys = set()
    for entry in entries:
        assert {"url", "field", "ours", "theirs", "right", "reason"} <= set(entry), entry
        assert entry["field"] in une_corpus.COMPARED_FIELDS, entry
        assert entry["right"] in ("ours", "theirs", "neither"), entry
        assert 10 <= len(entry["reason"]) <= 200, entry
        key = une_corpus.disagreement_key(entry["url"], entry["field"])
        assert key not in keys, f"duplicate entry {key}"
        keys.add(key)


def test_every_article_parses_and_notes_are_recognised(corpus: list[tuple[une_corpus.Article, dict]]) -> None:
    assert len(corpus) > 950
    notes = 0
    for article, record in corpus:
        assert set(record) == {"date", *FIELDS}
        assert record["date"] == article.date
        if looks_like_une_note(article.text):
            notes += 1
            assert record["total_grid_collapse"] is not None
        else:
            assert all(record[f] is None for f in FIELDS), article.url
    assert notes > 950


def test_peak_forecast_is_found_in_nearly_every_note(corpus: list[tuple[une_corpus.Article, dict]]) -> None:
    records = [record for article, record in corpus if looks_like_une_note(article.text)]
    with_peak = sum(r["peak_affectation_mw"] is not None or r["peak_deficit_mw"] is not None for r in records)
    assert with_peak / len(records) > 0.97

"""The second live source of the UNE note (issue 16, item 3): other outlets' feeds, merged into une_daily as a
secondary source. End to end over a real local HTTP server standing in for the outlets (the mirror layout): Granma's
RSS feed and Canal Caribe's WordPress listing serve the fixtures in tests/fixtures/une_outlets_feeds; the other
declared outlets answer 404, as an unreachable outlet would. The primary source is the archive fixture of
tests/support/une_fixtures.py (Cubadebate notes for 2025-04-02 and 2025-04-03)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from etl.http import make_session
from etl.registry import load_source
from etl.runner import Refresher
from etl.sources import une_outlets
from etl.une.daily import note_choice
from etl.une.daily.plausibility import DAILY_VALUE_FIELDS
from tests.conftest import snapshot_dir
from tests.support import une_fixtures as une
from tests.support.fixture_server import Fault

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "une_outlets_feeds"
GRANMA_FEED = "www.granma.cu/feed"  # the mirror path of Granma's feed URL
NOW = datetime(2025, 4, 8, 6, 0, tzinfo=UTC)  # the morning after the fixtures' last note
SOURCES = ["curated", "une_archive", "une_outlets"]
PRIMARY_04_02 = "http://www.cubadebate.cu/noticias/2025/04/02/une-nota-c/"
PRIMARY_04_03 = "http://www.cubadebate.cu/noticias/2025/04/03/une-nota-d/"
GRANMA_04_06 = "https://www.granma.cu/cuba/2025-04-06/pronostican-afectacion-en-la-noche-06-04-2025-09-04-10"
CARIBE_04_03 = "https://www.canalcaribe.icrt.cu/2025/04/03/union-electrica-pronostica-afectacion-para-este-jueves/"
CARIBE_04_06 = "https://www.canalcaribe.icrt.cu/2025/04/06/union-electrica-estima-deficit-de-1-480-mw/"


class FakeCanalCaribe(une.FakeWordPress):
    """Canal Caribe's WordPress REST listing (search, after, paging), serving the fixture posts."""

    PATH = "www.canalcaribe.icrt.cu/wp-json/wp/v2/posts"


@pytest.fixture
def caribe(server) -> FakeCanalCaribe:
    fake = FakeCanalCaribe(json.loads((FEEDS / "canal_caribe_posts.json").read_text(encoding="utf-8")))
    server.handlers.append(fake)
    return fake


@pytest.fixture
def outlets_tree(upstream_tree: Path) -> Path:
    """The archive (primary) and Granma's feed; Canal Caribe answers through the `caribe` handler."""
    une.add_une_archive(upstream_tree)
    serve_granma(upstream_tree, "granma_feed.xml")
    return upstream_tree


def serve_granma(root: Path, fixture: str) -> None:
    target = root / GRANMA_FEED
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((FEEDS / fixture).read_bytes())


def refresh(paths, server, sources=SOURCES):
    session = make_session(retries=0, backoff=0)
    return Refresher(paths, mirror=server.url, env={}, session=session, now=NOW).refresh(sources)


def result_of(report, source_id):
    return next(r for r in report.results if r.source_id == source_id)


def table(paths, name) -> pd.DataFrame:
    return pd.read_csv(paths.data_dir / f"{name}.csv", dtype={"date": str})


def daily_row(paths, day: str) -> pd.Series:
    return table(paths, "une_daily").set_index("date").loc[day]


# -- the source -----------------------------------------------------------------------------------------------------
def test_outl001_two_outlets_give_one_row_per_outlet_and_date(paths, server, outlets_tree, caribe):
    report = refresh(paths, server)
    assert not report.failed, [r.line() for r in report.failed]
    notes = table(paths, "une_notes_outlets")
    assert set(zip(notes["outlet"], notes["date"], strict=True)) == {
        ("granma", "2025-04-02"),
        ("granma", "2025-04-06"),
        ("canal_caribe", "2025-04-03"),
        ("canal_caribe", "2025-04-06"),
    }
    # Granma's evening update is dated in Cuba time (01:40 GMT on the 7th is 21:40 on the 6th) and is the second
    # note of that date: the morning one is kept, the other counted.
    granma = notes[notes["outlet"] == "granma"].set_index("date")
    assert granma.loc["2025-04-06", "url"] == GRANMA_04_06 and granma.loc["2025-04-06", "peak_affectation_mw"] == 1550
    assert granma.loc["2025-04-06", "publisher"] == "Granma"
    # Figures only, never the text; the article's URL travels with them.
    assert "text" not in notes.columns and notes["url"].str.startswith("https://").all()
    rejected = result_of(report, "une_outlets").texts_rejected
    assert rejected["granma: " + une_outlets.SECOND_NOTE] == 1
    assert rejected["granma: no UNE figures"] == 1 and rejected["canal_caribe: no UNE figures"] == 1
    # The declared outlets without a fixture answered 404: each is named, the run is not failed.
    assert rejected["minem: " + une_outlets.NOT_FETCHED] == 1 and rejected["cubasi: " + une_outlets.NOT_FETCHED] == 1
    # The WordPress listing is searched like Cubadebate's, from 30 days back on a first run.
    assert caribe.queries[0]["search"] == ["Unión Eléctrica"]
    assert caribe.queries[0]["after"] == ["2025-03-09T00:00:00"]


@pytest.mark.parametrize(
    ("down", "filled_by", "publisher"),
    [("granma", CARIBE_04_06, "Canal Caribe (UNE note)"), ("canal_caribe", GRANMA_04_06, "Granma (UNE note)")],
)
def test_outl002_one_outlet_down_the_other_still_gives_the_note(
    paths, server, outlets_tree, caribe, down, filled_by, publisher
):
    if down == "granma":
        server.faults[GRANMA_FEED] = Fault("status", status=500)
    else:
        caribe.fail_with = 500
    report = refresh(paths, server)
    outlets = result_of(report, "une_outlets")
    assert outlets.status == "ok", outlets.line()
    assert outlets.texts_rejected[f"{down}: {une_outlets.NOT_FETCHED}"] == 1
    # ... and so is the run log, which keeps what each run did not read.
    last_run = json.loads((paths.state_dir / "runs.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert f"{down}: {une_outlets.NOT_FETCHED}" in last_run["sources"]["une_outlets"]["texts_rejected"]
    row = daily_row(paths, "2025-04-06")
    assert (row["source_kind"], row["source_url"], row["publisher"]) == ("note", filled_by, publisher)
    assert row["peak_affectation_mw"] == 1550 and row["prev_day_max_affectation_mw"] == 1587


def test_outl003_a_layout_change_on_one_outlet_lets_the_other_fill_the_date(paths, server, outlets_tree, caribe):
    serve_granma(outlets_tree, "granma_feed_excerpts.xml")  # excerpts only: the note is no longer in the feed
    report = refresh(paths, server)
    outlets = result_of(report, "une_outlets")
    assert outlets.status == "ok", outlets.line()
    assert outlets.texts_rejected["granma: no UNE figures"] == 2  # said in the run log, not a silent gap
    row = daily_row(paths, "2025-04-06")
    assert row["source_url"] == CARIBE_04_06 and row["publisher"] == "Canal Caribe (UNE note)"


@pytest.mark.parametrize(("broken", "filled_by"), [("granma", CARIBE_04_06), ("canal_caribe", GRANMA_04_06)])
def test_outl004_an_answer_that_is_not_the_outlets_feed_counts_as_that_outlet_failing(
    paths, server, outlets_tree, caribe, broken, filled_by
):
    if broken == "granma":  # an error page served with status 200
        server.faults[GRANMA_FEED] = Fault("body", body=b"<html><body>Mantenimiento</body></html>")
    else:  # the API moved: an error object where the list of posts was
        body = b'{"code":"rest_no_route","message":"No route was found","data":{"status":404}}'
        server.faults[FakeCanalCaribe.PATH] = Fault("body", body=body, content_type="application/json")
    report = refresh(paths, server)
    outlets = result_of(report, "une_outlets")
    assert outlets.status == "ok", outlets.line()
    assert any(k.startswith(f"{broken}: feed unreadable") for k in outlets.texts_rejected), outlets.texts_rejected
    assert daily_row(paths, "2025-04-06")["source_url"] == filled_by


def test_outl005_all_outlets_down_fails_the_source_and_changes_nothing(paths, server, outlets_tree, caribe):
    refresh(paths, server)
    before = snapshot_dir(paths.data_dir)
    server.faults[GRANMA_FEED] = Fault("status", status=503)
    caribe.fail_with = 503
    report = refresh(paths, server)
    outlets = result_of(report, "une_outlets")
    assert outlets.status == "failed" and "no outlet answered" in outlets.message
    assert "granma" in outlets.message and "canal_caribe" in outlets.message
    assert result_of(report, "une_daily").status == "no change"  # the optional input is as it was
    assert snapshot_dir(paths.data_dir) == before


def test_outl006_a_night_an_outlet_is_down_keeps_its_earlier_rows(paths, server, outlets_tree, caribe):
    refresh(paths, server)
    server.faults[GRANMA_FEED] = Fault("status", status=500)
    report = refresh(paths, server)
    assert result_of(report, "une_outlets").status in ("ok", "no change")
    notes = table(paths, "une_notes_outlets")
    assert {"2025-04-02", "2025-04-06"} <= set(notes.loc[notes["outlet"] == "granma", "date"])
    assert daily_row(paths, "2025-04-06")["source_url"] == GRANMA_04_06


def test_outl007_without_any_outlet_the_offline_refresh_still_builds_une_daily(paths, server, upstream_tree):
    une.add_une_archive(upstream_tree)  # the mirror has no outlet feeds at all
    report = refresh(paths, server)
    assert result_of(report, "une_outlets").status == "failed"
    assert result_of(report, "une_daily").status == "ok"
    assert not (paths.data_dir / "une_notes_outlets.csv").exists()
    notes = table(paths, "une_daily").query("source_kind == 'note'")
    assert set(notes["publisher"]) == {"Cubadebate (UNE note)"}
    assert table(paths, "une_source_conflicts").empty


# -- the merge in une_daily -----------------------------------------------------------------------------------------
def test_outl008_the_merged_series_uses_the_primary_where_both_agree(paths, server, outlets_tree, caribe):
    refresh(paths, server)
    row = daily_row(paths, "2025-04-02")
    assert (row["source_url"], row["publisher"], row["peak_demand_mw"]) == (
        PRIMARY_04_02,
        "Cubadebate (UNE note)",
        3300,
    )
    # A date only the outlets have: from the first outlet in the declared order that has it (Granma before Canal
    # Caribe), its copy recorded as an alternate; agreeing figures make no conflict.
    row = daily_row(paths, "2025-04-06")
    assert (row["source_kind"], row["source_url"], row["publisher"]) == ("note", GRANMA_04_06, "Granma (UNE note)")
    alternates = table(paths, "une_alternates").set_index("other_url")
    assert alternates.loc[CARIBE_04_06, "kept_url"] == GRANMA_04_06
    assert alternates.loc[CARIBE_04_06, "other_source"] == "outlet note"
    assert pd.isna(alternates.loc[CARIBE_04_06, "differing_fields"])
    conflicts = table(paths, "une_source_conflicts")
    assert not set(conflicts["date"]) & {"2025-04-02", "2025-04-06"}


def test_outl009_a_conflicting_value_is_published_with_both_sources(paths, server, outlets_tree, caribe):
    refresh(paths, server)
    conflicts = table(paths, "une_source_conflicts")
    assert len(conflicts) == 1, conflicts.to_dict("records")
    hit = conflicts.iloc[0]
    assert (hit["date"], hit["field"]) == ("2025-04-03", "peak_affectation_mw")
    assert (str(hit["primary_value"]), hit["primary_url"], hit["primary_publisher"]) == (
        "1630",
        PRIMARY_04_03,
        "Cubadebate (UNE note)",
    )
    assert (str(hit["secondary_value"]), hit["secondary_url"], hit["secondary_publisher"]) == (
        "1680",
        CARIBE_04_03,
        "Canal Caribe (UNE note)",
    )
    assert hit["difference"] == 50
    # The series publishes the primary's figure; the disagreement is also named among the alternates.
    assert daily_row(paths, "2025-04-03")["peak_affectation_mw"] == 1630
    alternate = table(paths, "une_alternates").set_index("other_url").loc[CARIBE_04_03]
    assert alternate["differing_fields"] == "peak_affectation_mw"


# -- pieces ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "a", "b", "expected"),
    [
        ("peak_demand_mw", 3300, 3300.0, False),
        ("peak_demand_mw", 1450, 1450.6, False),  # rounding
        ("peak_demand_mw", 1450, 1452, True),
        ("peak_demand_mw", None, 1452, False),  # one note does not state it: nothing to disagree on
        ("solar_energy_mwh", 2645, float("nan"), False),
        ("prev_day_max_affectation_time", "20:10", "20:40", True),
        ("prev_day_affected_all_day", True, "True", False),
        ("prev_day_affected_all_day", True, False, True),
    ],
)
def test_outl010_values_differ_only_beyond_rounding(field, a, b, expected):
    assert note_choice.differs(field, a, b) is expected


def test_outl012_yes_no_fields_are_not_compared():
    """The parser reads "no" where a copy leaves the sentence out: not a contradiction, so not a conflict."""
    assert not {"prev_day_affected_all_day", "total_grid_collapse"} & set(note_choice.CONFLICT_FIELDS)
    primary = pd.DataFrame([{"date": "2025-04-06", "url": "https://a.cu/1", "publisher": "Cubadebate (UNE note)"}])
    primary = primary.assign(**{f: None for f in DAILY_VALUE_FIELDS}).assign(prev_day_affected_all_day=True)
    copy = primary.assign(url="https://b.cu/1", outlet="granma", publisher="Granma", prev_day_affected_all_day=False)
    filled, alternates, conflicts = note_choice.merge_outlet_notes(primary, copy, {"granma": 0})
    assert filled.empty and conflicts == [] and alternates[0]["differing_fields"] == ""


def test_outl011_every_outlet_is_declared_with_a_fetchable_host():
    meta = load_source("une_outlets").meta
    declared = une_outlets.outlets()
    assert [o.id for o in declared][:3] == ["minem", "acn", "granma"]  # the ministry's own site is preferred
    for outlet in declared:
        assert outlet.url in meta.urls and outlet.url.startswith("https://")
        assert outlet.format in une_outlets.FORMATS
    assert {"granma.cu", "www.granma.cu", "cubasi.cu", "www.cubasi.cu"} <= meta.own_hosts


# -- the ministry's daily pages and the causes of failures ---------------------------------------------------------
MINEM = "www.minem.gob.cu/es/noticias/situacion-del-sen/situacion-del-sen-para-el-{}-de-abril-de-2025"


def serve_minem(root: Path) -> None:
    """The ministry's pages for the 6th (day written "06") and the 7th (written "7" only); every other day is 404."""
    for day, fixture in (("06", "minem_page_2025-04-06.html"), ("7", "minem_page_2025-04-07.html")):
        target = root / MINEM.format(day)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((FEEDS / fixture).read_bytes())


def test_outl013_the_ministrys_daily_pages_give_its_notes_first(paths, server, outlets_tree, caribe):
    serve_minem(outlets_tree)
    report = refresh(paths, server)
    outlets = result_of(report, "une_outlets")
    assert outlets.status == "ok", outlets.line()
    notes = table(paths, "une_notes_outlets")
    minem = notes[notes["outlet"] == "minem"].set_index("date")
    assert sorted(minem.index) == ["2025-04-06", "2025-04-07"]  # the days without a page are absent, not failures
    assert minem.loc["2025-04-06", "url"] == "https://" + MINEM.format("06")
    assert minem.loc["2025-04-07", "url"] == "https://" + MINEM.format("7")  # "07" answered 404, "7" was tried
    assert minem.loc["2025-04-06", "peak_affectation_mw"] == 1550  # not the 1 550 of the comment form
    assert minem.loc["2025-04-07", "peak_availability_mw"] == 1850 and minem.loc["2025-04-07", "peak_demand_mw"] == 3250
    assert minem.loc["2025-04-06", "publisher"] == "Ministerio de Energía y Minas (MINEM)"
    assert not any(p.startswith("minem:") for p in outlets.parts_failed)
    # The ministry is preferred: the date only the outlets have is filled from its page (Granma's copy an alternate).
    row = daily_row(paths, "2025-04-06")
    assert (row["source_url"], row["publisher"]) == (
        "https://" + MINEM.format("06"),
        "Ministerio de Energía y Minas (MINEM) (UNE note)",
    )
    # Asked once per day of the window, "d" only after a 404 for "dd" on days 1-9.
    asked = [path for path, _ in server.requests if "situacion-del-sen-para-el" in path]
    assert any(p.endswith("-6-de-abril-de-2025") for p in asked) is False  # "06" answered: "6" never asked
    assert any(p.endswith("-07-de-abril-de-2025") for p in asked) and any(
        p.endswith("-7-de-abril-de-2025") for p in asked
    )


def test_outl014_a_failed_outlet_is_named_with_its_cause_in_the_run_log(paths, server, outlets_tree, caribe):
    server.faults[GRANMA_FEED] = Fault("status", status=503)
    report = refresh(paths, server)
    outlets = result_of(report, "une_outlets")
    assert outlets.status == "ok"
    granma = next(p for p in outlets.parts_failed if p.startswith("granma: "))
    assert "503" in granma and "granma.cu/feed" in granma  # the HTTP cause, with the address asked
    minem = next(p for p in outlets.parts_failed if p.startswith("minem: "))
    assert "no daily page" in minem  # every day answered 404: said as a failure of that outlet, not as no notes
    assert "part failed" in outlets.line() and "granma" in outlets.line()
    last_run = json.loads((paths.state_dir / "runs.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert last_run["sources"]["une_outlets"]["parts_failed"] == outlets.parts_failed


def test_outl015_an_outlet_that_hangs_uses_only_its_share_of_the_time(paths, server, outlets_tree, caribe, monkeypatch):
    """Six outlets share the source's time equally (here 12 s: 2 s each): Granma's feed hanging for 5 s fails
    Granma alone, on its own share, and the outlets after it are still read."""
    monkeypatch.setenv("CUBA_ETL_SOURCE_DEADLINE", "12")
    server.faults[GRANMA_FEED] = Fault("sleep", seconds=5)
    report = refresh(paths, server)
    outlets = result_of(report, "une_outlets")
    assert outlets.status == "ok", outlets.line()
    granma = next(p for p in outlets.parts_failed if p.startswith("granma: "))
    assert "share of its part" in granma, granma
    notes = table(paths, "une_notes_outlets")
    assert set(notes.loc[notes["outlet"] == "canal_caribe", "date"]) == {"2025-04-03", "2025-04-06"}

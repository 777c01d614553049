"""UNE sources end to end over a real local HTTP server: archive corpora, the live WordPress API with its RSS
fallback, and the daily series (one record per date, alternates recorded, absurd values rejected, estimates)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from etl.http import make_session
from etl.runner import Refresher
from tests.conftest import REPO, snapshot_dir
from tests.etl.test_une_parser import NOTE_2026
from tests.support import une_fixtures as une
from tests.support.fixture_server import Fault

SOURCES = ["curated", "une_archive"]


@pytest.fixture
def tree(upstream_tree):
    une.add_une_archive(upstream_tree)
    return upstream_tree


def refresh(paths, server, sources, env=None):
    return Refresher(paths, mirror=server.url, env=env or {}, session=make_session(retries=0, backoff=0)).refresh(
        sources
    )


def daily(paths) -> pd.DataFrame:
    return pd.read_csv(paths.data_dir / "une_daily.csv", dtype={"date": str})


def test_archive_gives_one_record_per_date_with_the_morning_note(paths, server, tree):
    report = refresh(paths, server, SOURCES)
    assert not report.failed, [r.line() for r in report.failed]
    df = daily(paths)
    notes = df[df["source_kind"] == "note"]
    assert set(notes["date"]) == {"2022-11-18", "2024-03-05", "2025-04-02", "2025-04-03"}
    assert not df["date"].duplicated().any()
    kept = notes.set_index("date").loc["2025-04-02"]
    assert kept["source_url"].endswith("/une-nota-c/") and kept["peak_demand_mw"] == 3300
    alternates = pd.read_csv(paths.data_dir / "une_alternates.csv")
    evening = alternates[alternates["other_url"].str.contains("tarde")].iloc[0]
    assert evening["date"] == "2025-04-02" and "peak_demand_mw" in evening["differing_fields"]
    # The random article is not a note; the repeated article is counted once.
    notes_table = pd.read_csv(paths.data_dir / "une_notes_archive.csv")
    assert len(notes_table) == 5 and not notes_table["url"].str.contains("otro-tema").any()


def test_daily_figures_and_derived_measures(paths, server, tree):
    refresh(paths, server, SOURCES)
    row = daily(paths).set_index("date").loc["2024-03-05"]
    assert (row["peak_demand_mw"], row["peak_affectation_mw"], row["morning_affected_mw"]) == (3262, 1565, 744)
    assert row["peak_share_of_demand_cut_pct"] == pytest.approx(48.0)
    # Hand-computed: night 744/2410, day 910/((2410+3262)/2), evening 1565/3262, over 7 + 10 + 7 hours.
    assert row["estimated_outage_hours_per_day_central"] == pytest.approx(8.7)
    # Low: 0.8 × each share, the day over 3262 MW, over 6 + 13 + 5 h (the day's share is the smallest);
    # high: 1.2 × each share, the day over 2410 MW, over 6 + 10 + 8 h (une_outage_hours_assumptions):
    # 1.2 × (6 × 744/2410 + 10 × 910/2410 + 8 × 1565/3262) = 11.36.
    assert row["estimated_outage_hours_per_day_low"] == pytest.approx(6.3)
    assert row["estimated_outage_hours_per_day_high"] == pytest.approx(11.4)
    # The assumptions the band spans are published beside the series, validated like any table.
    assumptions = pd.read_csv(paths.data_dir / "une_outage_hours_assumptions.csv").set_index("assumption")
    assert assumptions.loc["protected_load_share_pct", ["low", "central", "high"]].tolist() == [0.0, 0.0, 0.0]
    assert assumptions.loc[["night_window_hours", "day_window_hours", "evening_window_hours"], "central"].sum() == 24
    assert row["prev_day_affected_all_day"]
    assert row["thermal_units_out_of_service"] == 5
    units = pd.read_csv(paths.data_dir / "une_unit_outages.csv", dtype={"date": str})
    assert len(units[units["date"] == "2024-03-05"]) == 5


def test_press_points_fill_dates_the_corpora_miss(paths, server, tree):
    refresh(paths, server, SOURCES)
    df = daily(paths)
    press = pd.read_csv(paths.data_dir / "une_press_points.csv", dtype={"date": str})
    press_dates = set(press["date"]) - {"2022-11-18", "2024-03-05", "2025-04-02", "2025-04-03"}
    covered = df[df["source_kind"] == "press point"]
    assert set(covered["date"]) == press_dates
    assert covered["source_url"].str.startswith("http").all() and covered["publisher"].notna().all()


def test_aggregates_count_days_and_collapses(paths, server, tree):
    refresh(paths, server, SOURCES)
    agg = pd.read_csv(paths.data_dir / "une_aggregates.csv", dtype={"period": str})
    march = agg[(agg["period"] == "2024-03") & (agg["period_type"] == "month")].set_index("measure")
    assert march.loc["peak_demand_mw", "max"] == 3262
    # The 2024-03-05 note says the previous day (4 March) was cut all day.
    assert march.loc["days_with_service_cut_all_day", "max"] == 1
    year = agg[(agg["period"] == "2024") & (agg["period_type"] == "year")].set_index("measure")
    assert year.loc["total_grid_collapses", "max"] >= 3  # 18 Oct, 6 Nov, 4 Dec 2024 in the curated table


def test_an_absurd_value_is_rejected_with_a_reason_not_published(paths, server, upstream_tree):
    absurd = une.note_with(90000, 1500)
    une.add_une_archive(
        upstream_tree, {"2025-04-02": [une.article("2025-04-02 08:30:00", "http://x.cu/absurd/", absurd)]}
    )
    report = refresh(paths, server, SOURCES)
    assert not report.failed, [r.line() for r in report.failed]
    row = daily(paths).set_index("date").loc["2025-04-02"]
    assert pd.isna(row["peak_demand_mw"])
    rejected = pd.read_csv(paths.data_dir / "une_rejected_values.csv")
    hit = rejected[(rejected["field"] == "peak_demand_mw")].iloc[0]
    assert hit["value"] == 90000 and "6,000" in hit["reason"]


def test_without_the_listing_api_daily_files_are_found_by_probing_dates(paths, server, upstream_tree):
    une.add_une_archive(upstream_tree, listing=False)
    report = refresh(paths, server, SOURCES)
    assert not report.failed
    assert {"2025-04-02", "2025-04-03"} <= set(daily(paths)["date"])
    probed = [p for p, _ in server.requests if "articulos_" in p]
    assert len(probed) > 300  # every day since April 2025 was asked for once
    server.requests.clear()
    refresh(paths, server, SOURCES)
    # Cached daily files are not asked for again; only the days after the last cached one (minus 3) are.
    again = [p for p, _ in server.requests if "articulos_" in p]
    assert "articulos_2025-04-02.csv" not in " ".join(again) and len(again) < len(probed)


def test_html_instead_of_the_archive_fails_the_source_and_changes_nothing(paths, server, tree):
    refresh(paths, server, SOURCES)
    before = snapshot_dir(paths.data_dir)
    server.faults[une.mirror_path(une.une_archive.ALBERTE03_URL)] = Fault(
        "body", body=b"<html><body>rate limited</body></html>"
    )
    report = refresh(paths, server, ["une_archive"])
    result = next(r for r in report.results if r.source_id == "une_archive")
    assert result.status == "failed" and "HTML" in result.message
    assert snapshot_dir(paths.data_dir) == before


def test_second_refresh_of_unchanged_archive_is_no_change(paths, server, tree):
    refresh(paths, server, SOURCES)
    before = snapshot_dir(paths.data_dir)
    report = refresh(paths, server, SOURCES)
    waiting = [r for r in report.results if r.status == "skipped"]  # derived sources whose other inputs never ran
    assert all("not published yet" in r.message for r in waiting), [r.line() for r in waiting]
    assert not report.changed and {r.status for r in report.results} - {"skipped"} == {"no change"}
    assert snapshot_dir(paths.data_dir) == before


# -- live: WordPress API and RSS --------------------------------------------------------------------------------------
POSTS = [
    une.wp_post(101, "2025-04-04T08:40:00", "une-pronostica-a", une.note_with(3350, 1580)),
    une.wp_post(102, "2025-04-04T11:00:00", "beisbol", "El equipo ganó el partido de anoche."),
    une.wp_post(103, "2025-04-05T08:35:00", "une-pronostica-b", NOTE_2026, title="Unión Eléctrica: afectación de hoy"),
]


def test_live_source_reads_new_notes_after_the_last_stored(paths, server, tree):
    wordpress = une.FakeWordPress(list(POSTS))
    server.handlers.append(wordpress)
    refresh(paths, server, SOURCES)
    report = refresh(paths, server, ["une_cubadebate"])
    assert not report.failed, [r.line() for r in report.failed]
    # The archive's last note is 2025-04-03: ask after that minus the 3-day re-read window.
    assert wordpress.queries[0]["after"] == ["2025-03-31T00:00:00"]
    assert wordpress.queries[0]["search"] == ["Unión Eléctrica"]
    live = pd.read_csv(paths.data_dir / "une_notes_cubadebate.csv")
    assert set(live["date"]) == {"2025-04-04", "2025-04-05"}
    df = daily(paths).set_index("date")
    assert df.loc["2025-04-05", "peak_affectation_mw"] == 1630
    assert df.loc["2025-04-04", "source_url"].startswith("https://www.cubadebate.cu/noticias/2025/04/04/")


def test_one_new_note_adds_exactly_one_row_and_the_changelog_says_so(paths, server, tree):
    wordpress = une.FakeWordPress(list(POSTS[:2]))
    server.handlers.append(wordpress)
    refresh(paths, server, [*SOURCES, "une_cubadebate"])
    rows_before = len(daily(paths))
    wordpress.posts.append(POSTS[2])
    report = refresh(paths, server, [*SOURCES, "une_cubadebate"])
    change = next(t for r in report.results for t in r.tables if t.table == "une_daily")
    assert change.rows_added == 1 and change.added_keys == [{"date": "2025-04-05"}]
    assert len(daily(paths)) == rows_before + 1
    last = json.loads(paths.changelog.read_text().splitlines()[-1])
    tables = {t["table"]: t for t in last["sources"]["une_daily"]["tables"]}
    assert tables["une_daily"]["rows_added"] == 1
    # The live table accumulates: the first note is still there.
    live = pd.read_csv(paths.data_dir / "une_notes_cubadebate.csv")
    assert len(live) == 2


def test_live_source_falls_back_to_rss_when_the_api_fails(paths, server, tree, upstream_tree):
    wordpress = une.FakeWordPress(list(POSTS))
    wordpress.fail_with = 500
    server.handlers.append(wordpress)
    feed = upstream_tree / "www.cubadebate.cu" / "feed" / "index"
    feed.parent.mkdir(parents=True)
    feed.write_bytes(une.rss_feed(POSTS))
    refresh(paths, server, SOURCES)
    report = refresh(paths, server, ["une_cubadebate"])
    assert not report.failed, [r.line() for r in report.failed]
    live = pd.read_csv(paths.data_dir / "une_notes_cubadebate.csv")
    assert set(live["date"]) == {"2025-04-04", "2025-04-05"}


def test_live_source_fails_clearly_when_api_and_rss_fail_and_daily_still_updates(paths, server, tree):
    wordpress = une.FakeWordPress(list(POSTS))
    wordpress.fail_with = 503
    server.handlers.append(wordpress)
    report = refresh(paths, server, [*SOURCES, "une_cubadebate"])
    by_id = {r.source_id: r for r in report.results}
    assert by_id["une_cubadebate"].status == "failed"
    assert "API" in by_id["une_cubadebate"].message and "RSS" in by_id["une_cubadebate"].message
    assert by_id["une_daily"].status == "ok"  # the live table is optional for the daily series


def test_parse_une_command_reads_and_writes_json_lines(tmp_path):
    lines = [json.dumps({"date": "2026-02-10", "text": NOTE_2026}, ensure_ascii=False), "not json"]
    result = subprocess.run(
        [sys.executable, "-m", "etl", "parse-une"],
        input="\n".join(lines) + "\n",
        text=True,
        capture_output=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1  # one bad line
    assert "line 2" in result.stderr
    record = json.loads(result.stdout.splitlines()[0])
    assert record["date"] == "2026-02-10" and record["peak_affectation_mw"] == 1630

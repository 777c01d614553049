"""The UNE's evening forecasts held to account (issue 16): the pairing of day D's forecast peak cut with the maximum
cut D+1's note reports (pure transform), its monthly summary, the two published tables after a refresh over local
fixtures, the /blackouts chart in both languages, and the parser's rejection counts in the run log."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from etl.http import make_session
from etl.runner import Refresher
from etl.sources.une_daily import check
from etl.une.daily.tables import OUTCOME_COLUMNS, forecast_outcomes, forecast_outcomes_monthly
from etl.validation import texts_rejected
from tests.support import une_fixtures as une

SOURCES = ["curated", "une_archive"]  # une_daily (derived) runs after them


def _daily(rows: list[tuple]) -> pd.DataFrame:
    """A small une_daily: (date, peak_affectation_mw, prev_day_max_affectation_mw, prev_day_max_affectation_time)."""
    df = pd.DataFrame(rows, columns=["date", "peak_affectation_mw", "prev_day_max_affectation_mw", "time"])
    return df.assign(
        date=df["date"].astype("string"),
        prev_day_max_affectation_time=df["time"].astype("string"),
        peak_availability_mw=2000.0,
        peak_demand_mw=3000.0,
        peak_deficit_mw=1000.0,
        source_url=[f"https://example.cu/{d}/" for d in df["date"]],
    ).drop(columns=["time"])


DAILY = _daily(
    [
        ("2025-01-01", 1000.0, np.nan, None),  # forecast only: paired with the 2nd's report
        ("2025-01-02", 1200.0, 1100.0, "20:10"),  # reports 1 Jan: 1,100 against 1,000 forecast → +100
        # 3 Jan: no note at all, so 2 Jan's forecast has no outcome and 3 Jan's outcome (below) no forecast
        ("2025-01-04", 800.0, 900.0, "19:00"),  # reports 3 Jan, which has no forecast → absent
        ("2025-01-05", 0.0, 700.0, "21:00"),  # reports 4 Jan: 700 against 800 → −100 (−12.5 %)
        ("2025-01-06", np.nan, 50.0, None),  # reports 5 Jan: 50 against a forecast of 0 → +50, no percentage
        ("2025-01-31", 500.0, np.nan, None),
        ("2025-02-01", 400.0, 650.0, "20:00"),  # reports 31 Jan (across the month's end): +150
    ]
)


def test_each_days_forecast_is_paired_with_the_next_days_report():
    out = forecast_outcomes(DAILY)
    assert list(out.columns) == OUTCOME_COLUMNS
    assert list(out["date"].astype(str)) == ["2025-01-01", "2025-01-04", "2025-01-05", "2025-01-31"]
    assert list(out["forecast_peak_cut_mw"]) == [1000.0, 800.0, 0.0, 500.0]
    assert list(out["reported_max_cut_mw"]) == [1100.0, 700.0, 50.0, 650.0]
    assert [None if pd.isna(v) else v for v in out["reported_max_cut_time"]] == ["20:10", "21:00", None, "20:00"]
    # error = reported − forecast: positive when more was cut than forecast; no percentage of a 0 MW forecast.
    assert list(out["error_mw"]) == [100.0, -100.0, 50.0, 150.0]
    assert list(out["error_pct"].fillna(-999.0)) == [10.0, -12.5, -999.0, 30.0]
    # Each side links its own note: D's for the forecast, D+1's for the report.
    assert list(out["forecast_source_url"]) == [f"https://example.cu/{d}/" for d in out["date"].astype(str)]
    assert list(out["report_source_url"]) == [
        f"https://example.cu/{d}/" for d in ("2025-01-02", "2025-01-05", "2025-01-06", "2025-02-01")
    ]
    # Days missing either side are absent: 2 Jan (no report on the 3rd), 3 Jan (no forecast), 6 Jan (no note on 7th).
    assert not {"2025-01-02", "2025-01-03", "2025-01-06", "2025-02-01"} & set(out["date"].astype(str))
    # The forecast's context comes from the same note as the forecast cut.
    assert (out["forecast_peak_demand_mw"] == 3000.0).all()


def test_the_transform_does_not_mutate_its_input_and_handles_no_pairs():
    before = DAILY.copy()
    forecast_outcomes(DAILY)
    pd.testing.assert_frame_equal(DAILY, before)
    lone = forecast_outcomes(DAILY.iloc[[0]])
    assert lone.empty and list(lone.columns) == OUTCOME_COLUMNS
    assert forecast_outcomes_monthly(lone).empty


def test_monthly_summary_bias_median_absolute_error_and_share_worse_than_forecast():
    monthly = forecast_outcomes_monthly(forecast_outcomes(DAILY)).set_index("month")
    jan = monthly.loc["2025-01"]  # errors +100, −100, +50, +150
    assert jan["days_paired"] == 4
    assert jan["mean_error_mw"] == pytest.approx(50.0)
    assert jan["median_error_mw"] == pytest.approx(75.0)
    assert jan["mean_absolute_error_mw"] == pytest.approx(100.0)
    assert jan["days_reported_above_forecast"] == 3
    assert jan["share_of_days_reported_above_forecast_pct"] == pytest.approx(75.0)
    assert list(monthly.index) == ["2025-01"]


def test_check_refuses_an_error_that_is_not_reported_minus_forecast():
    out = forecast_outcomes(DAILY)
    tables = {
        "une_daily": pd.DataFrame(
            {
                "date": ["2025-01-01"],
                "estimated_outage_hours_per_day_low": [1.0],
                "estimated_outage_hours_per_day_central": [1.5],
                "estimated_outage_hours_per_day_high": [2.0],
            }
        ),
        "une_forecast_outcomes": out,
        "une_forecast_outcomes_monthly": forecast_outcomes_monthly(out),
    }
    assert check(tables) == []
    tables["une_forecast_outcomes"] = out.assign(error_mw=-out["error_mw"])
    assert any("reported − forecast" in p for p in check(tables))


# -- after a refresh over local fixtures -------------------------------------------------------------------------------
@pytest.fixture
def refreshed(paths, server, upstream_tree):
    une.add_une_archive(upstream_tree)
    report = Refresher(paths, mirror=server.url, env={}, session=make_session(retries=0, backoff=0)).refresh(SOURCES)
    # Only these sources matter here (another derived source may need inputs this run does not publish).
    failed = [r.line() for r in report.failed if r.source_id in ("curated", "une_archive", "une_daily")]
    assert not failed, failed
    return paths


def test_refresh_publishes_both_tables_with_their_method_in_the_data_package(refreshed):
    package = json.loads(refreshed.datapackage.read_text(encoding="utf-8"))
    resources = {r["path"]: r for r in package["resources"]}
    daily = resources["une_forecast_outcomes.csv"]
    assert "Method:" in daily["description"] and "D+1" in daily["description"]
    fields = {f["name"]: f for f in daily["schema"]["fields"]}
    assert fields["error_mw"]["unit"] == "MW" and fields["error_pct"]["unit"] == "%"
    assert daily["schema"]["primaryKey"] == ["date"]
    monthly = resources["une_forecast_outcomes_monthly.csv"]
    assert {f["name"] for f in monthly["schema"]["fields"]} >= {"month", "mean_error_mw", "mean_absolute_error_mw"}
    # The 2 April 2025 note forecast 1,500 MW at the peak; the 3 April note reports 1,733 MW for the day before.
    table = pd.read_csv(refreshed.data_dir / "une_forecast_outcomes.csv", dtype={"date": str})
    row = table.set_index("date").loc["2025-04-02"]
    assert (row["forecast_peak_cut_mw"], row["reported_max_cut_mw"], row["error_mw"]) == (1500, 1733, 233)
    assert row["error_pct"] == pytest.approx(15.5)
    assert row["report_source_url"].endswith("/une-nota-d/")
    assert "2025-04-03" not in set(table["date"])  # no note on 4 April: its outcome is unknown


def test_the_run_log_counts_the_texts_the_une_parser_rejected_per_reason(refreshed):
    record = json.loads((refreshed.state_dir / "runs.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    rejected = record["sources"]["une_archive"]["texts_rejected"]
    # The fixture corpus holds one article about something else (tests/support/une_fixtures.RANDOM_ARTICLE).
    assert sum(rejected.values()) >= 1 and all(isinstance(n, int) and n > 0 for n in rejected.values())
    assert "texts_rejected" not in record["sources"]["une_daily"]  # derived: it reads no texts


def test_texts_rejected_sums_the_parsers_counts_over_tables():
    a, b, c = pd.DataFrame({"x": [1]}), pd.DataFrame({"x": [2]}), pd.DataFrame({"x": [3]})
    a.attrs["rejected"] = {"no UNE figures": 2, "not a daily note": 1}
    b.attrs["rejected"] = {"no UNE figures": 3, "empty": 0}
    assert texts_rejected({"a": a, "b": b, "c": c}) == {"no UNE figures": 5, "not a daily note": 1}
    assert texts_rejected({"c": c}) == {}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_chart_builds_from_the_published_table_in_both_languages(refreshed, lang):
    from dashboard import charts
    from dashboard.data import DataStore
    from dashboard.pages_index import PAGES

    assert "une-forecast-error" in PAGES["/blackouts"].charts
    spec = charts.get("une-forecast-error")
    assert spec.page == "/blackouts" and spec.title[lang]
    store = DataStore(refreshed)
    view = spec.build(store, charts.ChartState(lang=lang))
    figure = go.Figure(view.figure)  # plotly validates every property
    assert [len(t.x) for t in figure.data if t.mode == "markers"] == [len(view.frame)]
    assert "MW" in figure.layout.yaxis.title.text
    header = figure.layout.title.subtitle.text
    # The source and the date of the latest pair (not of the retrieval) are inside the image.
    latest = pd.Timestamp(view.frame["date"].max())
    assert ("Source" if lang == "en" else "Fuente") in header and view.as_of.endswith(str(latest.year))
    assert view.as_of.split()[0] == str(latest.day) and str(latest.year) in header
    assert list(view.frame.columns)[:5] == [
        "date",
        "forecast_peak_cut_mw",
        "reported_max_cut_mw",
        "reported_max_cut_time",
        "error_mw",
    ]
    assert view.notes and view.notes[0].startswith("Method:" if lang == "en" else "Método:")
    assert ("exceeded" if lang == "en" else "superó") in view.summary
    empty = spec.build(store, charts.ChartState(lang=lang, start="2010", end="2010"))
    assert empty.frame.empty and empty.summary


def test_the_live_source_keeps_its_rejection_counts_when_it_merges_earlier_notes():
    from etl.registry import load_source
    from etl.sources import une_cubadebate
    from tests.etl.test_une_parser import RANDOM_ARTICLE

    meta = load_source("une_cubadebate").meta
    first = une.rss_feed([une.wp_post(1, "2025-04-02T08:30:00", "une-nota-c", une.note_with(3300, 1500))])
    earlier = une_cubadebate.parse({"rss.xml": first}, meta)["une_notes_cubadebate"]
    posts = [
        une.wp_post(2, "2025-04-03T08:20:00", "une-nota-d", une.note_with(3200, 1400)),
        une.wp_post(3, "2025-04-03T11:00:00", "otro-tema", RANDOM_ARTICLE, title="Otro tema"),
    ]
    table = une_cubadebate.parse({"rss.xml": une.rss_feed(posts)}, meta, {"une_notes_cubadebate": earlier})
    notes = table["une_notes_cubadebate"]
    assert len(notes) == 2  # the earlier note is kept beside the new one
    assert sum(texts_rejected(table).values()) == 1  # the article about something else, with its reason

"""The grid series' averages are computed once in the ETL (etl/sources/une_trends.py) and the /blackouts charts draw
the published rows, so a chart, its CSV and the data package agree."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import charts
from dashboard.chartdefs.blackouts.supply import _peak_sentence
from dashboard.data import DataStore
from etl.sources import une_trends

STORE = DataStore()


def _daily(rows: list[dict]) -> pd.DataFrame:
    columns = [
        "date",
        "peak_availability_mw",
        "peak_demand_mw",
        "peak_affectation_mw",
        "prev_day_max_affectation_mw",
        "peak_share_of_demand_cut_pct",
        "thermal_units_out_of_service",
        *une_trends.OUTAGE_HOURS,
    ]
    return pd.DataFrame(rows).reindex(columns=columns)


def test_weekly_means_are_calendar_weeks_of_like_days():
    daily = _daily(
        [
            # Monday 1 Jan 2024 and Wednesday 3 Jan: both give availability and demand.
            {
                "date": "2024-01-01",
                "peak_availability_mw": 1000,
                "peak_demand_mw": 3000,
                "peak_share_of_demand_cut_pct": 40,
            },
            {
                "date": "2024-01-03",
                "peak_availability_mw": 2000,
                "peak_demand_mw": 3200,
                "peak_share_of_demand_cut_pct": 20,
            },
            # Sunday 7 Jan gives demand only: it must not pull the week's demand away from its availability.
            {"date": "2024-01-07", "peak_demand_mw": 9000},
            # Monday 8 Jan reports the actual maximum of Sunday 7 Jan (the week before).
            {"date": "2024-01-08", "prev_day_max_affectation_mw": 1500, "peak_affectation_mw": 1200},
            # Nothing in the week of 15 Jan; the week of 22 Jan has one day.
            {"date": "2024-01-24", "thermal_units_out_of_service": 9},
        ]
    )
    weekly = une_trends.weekly_means(daily, une_trends.rolling_share(daily)).set_index("week_start")
    assert [str(d) for d in weekly.index] == ["2024-01-01", "2024-01-08", "2024-01-22"]  # empty week left out
    first = weekly.loc[pd.Timestamp("2024-01-01").date()]
    assert first["peak_availability_mw"] == 1500 and first["peak_demand_mw"] == 3100  # not 5066.67 with Sunday
    assert first["actual_max_affectation_mw"] == 1500  # counted on the 7th, the day it happened
    assert first["peak_share_of_demand_cut_pct"] == 30
    assert first["days_with_note"] == 3
    second = weekly.loc[pd.Timestamp("2024-01-08").date()]
    assert second["peak_affectation_mw"] == 1200 and np.isnan(second["actual_max_affectation_mw"])
    assert weekly.loc[pd.Timestamp("2024-01-22").date(), "thermal_units_out_of_service"] == 9


def test_a_days_30_day_mean_covers_the_30_calendar_days_to_it():
    dates = pd.date_range("2024-01-01", periods=40, freq="D")
    daily = _daily(
        [{"date": d.date().isoformat(), "peak_share_of_demand_cut_pct": float(i)} for i, d in enumerate(dates)]
    )
    rolling = une_trends.rolling_share(daily).set_index("date")
    day = pd.Timestamp("2024-02-09").date()  # the 40th day: the window is days 11..40 (values 10..39)
    assert rolling.loc[day, "rolling_30_day_mean_pct"] == pytest.approx(np.mean(range(10, 40)))
    assert rolling.loc[day, "days_in_window"] == 30
    assert rolling.loc[pd.Timestamp("2024-01-01").date(), "days_in_window"] == 1


def test_outage_hours_monthly_means_are_over_the_same_days_so_the_central_lies_in_its_band():
    low, central, high = une_trends.OUTAGE_HOURS
    january = [{"date": f"2024-01-{d:02d}", low: 1.0, central: 2.0, high: 3.0} for d in range(1, 6)]
    # Days with a band but no central estimate (e.g. no midday figure) do not pull the band away from the central.
    january += [{"date": f"2024-01-{d:02d}", low: 9.0, high: 12.0} for d in range(10, 20)]
    february = [{"date": f"2024-02-{d:02d}", low: 1.0, central: 2.0, high: 3.0} for d in range(1, 5)]  # 4 days
    march = [{"date": "2024-03-01", "peak_demand_mw": 3000}]  # no estimate at all
    monthly = une_trends.outage_hours_monthly(_daily([*january, *february, *march])).set_index("month_start")
    assert [str(m) for m in monthly.index] == ["2024-01-01"]  # February has too few days, March none
    row = monthly.iloc[0]
    assert (row[low], row[central], row[high], row["days_with_estimate"]) == (1.0, 2.0, 3.0, 5)


def test_havana_years_average_only_usable_blocks_over_their_period():
    havana = pd.DataFrame(
        {
            "year": [2024, 2024, 2025],
            "block": [1, 2, 1],
            "outage_hours_per_day": [2.0, 9.0, 4.0],
            "first_message_date": ["2024-02-01", "2024-01-15", "2025-01-01"],
            "last_message_date": ["2024-12-31", "2024-11-30", "2025-06-30"],
            "days_covered": [300, 320, 181],
            "usable": [True, False, True],
        }
    )
    per_year = une_trends.havana_by_year(havana).set_index("year")
    assert per_year.loc[2024, "outage_hours_per_day"] == 2.0  # the unusable block is left out
    assert str(per_year.loc[2024, "first_message_date"]) == "2024-02-01"
    assert per_year.loc[2024, "blocks"] == 1


def _view(chart_id: str, params: dict[str, str]):
    spec = charts.get(chart_id)
    return spec.build(STORE, charts.narrow(spec, STORE, charts.parse_state(spec, STORE, params)))


def _drawn(view, name: str) -> tuple[np.ndarray, np.ndarray]:
    for tr in view.figure["data"]:
        if tr.name == name:
            return np.asarray(tr.x, dtype="datetime64[ns]"), np.asarray(tr.y, dtype="float64")
    raise AssertionError(f"no trace {name!r}")


@pytest.mark.parametrize(
    ("chart_id", "trace_name", "column"),
    [
        ("une-supply-demand", "Demand", "peak_demand_mw"),
        ("une-load-cut", "Actual maximum", "actual_max_affectation_mw"),
        ("une-share-dark", "30-day average", "rolling_30_day_mean_pct"),
        ("une-units-out", "Units out", "thermal_units_out_of_service"),
    ],
)
def test_long_views_draw_the_published_weekly_means(chart_id, trace_name, column):
    weekly = STORE.table("une_weekly").sort_values("week_start")
    view = _view(chart_id, {"start": "2023-01-01", "end": "2025-06-30"})
    x, y = _drawn(view, trace_name)
    # The weeks the period touches: from the Monday of its first day's week to its last day.
    first_day = view.frame["date"].min()
    expected = weekly[
        (weekly["week_start"] >= first_day - pd.Timedelta(days=first_day.weekday()))
        & (weekly["week_start"] <= pd.Timestamp("2025-06-30"))
    ]
    # Every Monday of the period is drawn, the weeks without notes empty, so the line breaks there.
    assert (np.diff(x) == np.timedelta64(7, "D")).all()
    published = dict(zip(expected["week_start"].to_numpy("datetime64[ns]"), expected[column], strict=True))
    assert set(published) <= set(x) and len(x) > len(published)  # some weeks of 2023-2025 have no note
    drawn = dict(zip(x, y, strict=True))
    for week, value in published.items():
        assert drawn[week] == value or (np.isnan(drawn[week]) and pd.isna(value))
    assert all(np.isnan(drawn[w]) for w in set(x) - set(published))


def test_short_views_draw_days_not_weeks():
    view = _view("une-supply-demand", {"start": "2025-01-01", "end": "2025-03-31"})
    x, _ = _drawn(view, "Demand")
    assert len(x) == 90  # every calendar day, gaps empty


def test_the_outage_hours_chart_draws_the_published_monthly_means_and_breaks_at_missing_months():
    monthly = STORE.table("une_outage_hours_monthly").sort_values("month_start")
    view = _view("une-outage-hours", {"start": "2022-01-01", "end": "2025-12-31"})
    expected = monthly[(monthly["month_start"] >= "2022-01-01") & (monthly["month_start"] <= "2025-12-31")]
    drawn = view.frame.dropna(subset=["estimated_outage_hours_per_day_central"])
    assert len(drawn) == len(expected) > 0
    np.testing.assert_array_equal(
        drawn["estimated_outage_hours_per_day_central"].to_numpy("float64"),
        expected["estimated_outage_hours_per_day_central"].to_numpy("float64", na_value=np.nan),
    )
    months = pd.to_datetime(view.frame["month"])
    assert (months.diff().dropna() <= pd.Timedelta(days=31)).all()  # every month present, gaps empty
    assert len(view.frame) > len(drawn)  # some months of 2022-2025 have too few estimates and stay empty


def test_the_peak_summary_quotes_the_unes_stated_deficit():
    assert _peak_sentence(pd.Timestamp("2026-03-10").date(), 1600, 3000, 1450, "en").endswith(
        "it stated a deficit of 1,450 MW (demand minus availability: 1,400 MW)."
    )
    assert "un déficit de 1.400 MW" in _peak_sentence(pd.Timestamp("2026-03-10").date(), 1600, 3000, 1400, "es")
    assert "(demand minus availability)" in _peak_sentence(pd.Timestamp("2026-03-10").date(), 1600, 3000, None, "en")
    daily = STORE.table("une_daily").dropna(subset=["peak_availability_mw", "peak_demand_mw"]).sort_values("date")
    last = daily.iloc[-1]
    summary = _view("une-supply-demand", {}).summary
    if pd.notna(last["peak_deficit_mw"]):
        assert f"{last['peak_deficit_mw']:,.0f} MW" in summary


def test_the_peak_sentence_names_a_surplus_and_the_load_cut_sentence_its_period_and_share():
    when = pd.Timestamp("2023-05-02").date()
    assert _peak_sentence(when, 2900, 2400, None, "en").endswith("availability exceeded demand by 500 MW.")
    assert "la disponibilidad superó a la demanda en 500 MW" in _peak_sentence(when, 2900, 2400, None, "es")
    outcomes = STORE.table("une_forecast_outcomes")
    above, paired = int((outcomes["error_mw"] > 0).sum()), len(outcomes)
    summary = _view("une-load-cut", {}).summary
    assert summary.startswith(f"On {above} of the {paired} days with both figures ({round(100 * above / paired)}%),")
    assert "exceeded the cut planned for the evening peak" in summary and len(summary.split()) <= 40

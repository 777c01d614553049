"""Outage hours as an honest estimate and gaps in the open (issue 16): a day with only the peak figure gets no
low–high band, every day says which snapshots its estimate stands on, and dates with nothing published are listed.
Frames written by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.sources.une_daily import estimate_outage_hours


def _days(rows: list[tuple]) -> pd.DataFrame:
    """(peak cut, peak demand, morning cut, morning demand, midday cut) per day."""
    cols = [
        "peak_affectation_mw",
        "peak_demand_mw",
        "morning_affected_mw",
        "morning_demand_mw",
        "midday_affectation_mw",
    ]
    df = pd.DataFrame(rows, columns=cols, dtype="float64")
    return df.assign(date=[f"2025-05-{i + 1:02d}" for i in range(len(df))])


DAYS = _days(
    [
        (1500.0, 3000.0, 750.0, 2500.0, 1100.0),  # all three snapshots
        (1500.0, 3000.0, 750.0, 2500.0, np.nan),  # morning and peak
        (1500.0, 3000.0, np.nan, np.nan, 1100.0),  # midday and peak
        (1500.0, 3000.0, np.nan, np.nan, np.nan),  # peak only
        (np.nan, 3000.0, 750.0, 2500.0, 1100.0),  # no peak cut: no estimate at all
    ]
)


def test_each_day_names_its_basis() -> None:
    out = estimate_outage_hours(DAYS)
    assert list(out["estimated_outage_hours_basis"].fillna("none")) == [
        "morning, midday and peak",
        "morning and peak",
        "midday and peak",
        "peak only",
        "none",
    ]


def test_a_peak_only_day_gets_no_band_and_no_central() -> None:
    out = estimate_outage_hours(DAYS).set_index("date")
    peak_only = out.loc["2025-05-04"]
    assert (
        peak_only[
            [
                "estimated_outage_hours_per_day_low",
                "estimated_outage_hours_per_day_central",
                "estimated_outage_hours_per_day_high",
            ]
        ]
        .isna()
        .all()
    )
    # Days with a second snapshot keep their band; only the full day has a central estimate.
    assert out.loc[["2025-05-01", "2025-05-02", "2025-05-03"], "estimated_outage_hours_per_day_low"].notna().all()
    assert out.loc[["2025-05-02", "2025-05-03"], "estimated_outage_hours_per_day_central"].isna().all()


def test_the_full_day_estimate_is_unchanged() -> None:
    # night 750/2500 × 7, day 1100/2750 × 10, evening 1500/3000 × 7 = 2.1 + 4.0 + 3.5
    row = estimate_outage_hours(DAYS).iloc[0]
    assert row["estimated_outage_hours_per_day_central"] == 9.6
    assert row["estimated_outage_hours_per_day_low"] <= 9.6 <= row["estimated_outage_hours_per_day_high"]


def test_dates_with_nothing_published_are_listed_as_gaps() -> None:
    from etl.sources.une_daily import GAP_COLUMNS, note_gaps

    daily = pd.DataFrame({"date": ["2024-10-16", "2024-10-17", "2024-10-21", "2024-10-23"]})
    gaps = note_gaps(daily, collapse_dates={"2024-10-18"})
    assert list(gaps.columns) == GAP_COLUMNS
    assert list(gaps["date"]) == ["2024-10-18", "2024-10-19", "2024-10-20", "2024-10-22"]
    assert list(gaps["gap_start"]) == ["2024-10-18"] * 3 + ["2024-10-22"]
    assert list(gaps["gap_end"]) == ["2024-10-20"] * 3 + ["2024-10-22"]
    assert list(gaps["gap_days"]) == [3, 3, 3, 1]
    assert list(gaps["grid_collapse_reported"]) == [True, False, False, False]
    # No gap, or no series: an empty table with its columns.
    assert note_gaps(daily.iloc[:2], set()).empty
    assert list(note_gaps(daily.iloc[:0], set()).columns) == GAP_COLUMNS

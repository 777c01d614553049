"""Outage hours as an honest estimate and gaps in the open (issue 16): the low–high band is the estimate's range over
stated assumptions (window lengths, customers cut per load cut, protected load), published in
une_outage_hours_assumptions; a day with only the peak figure gets no band, every day says which snapshots its
estimate stands on, and dates with nothing published are listed. Frames written by hand."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from etl.meta import check_schema, load_source_meta
from etl.une.daily.outage_hours import (
    EVENING_WINDOW,
    NIGHT_WINDOW,
    OUTAGE_HOURS_ASSUMPTIONS,
    PROTECTED_LOAD,
    assumption_problems,
    estimate_outage_hours,
    outage_hours_assumptions,
    outage_windows,
)
from tests.conftest import REPO

BAND = ["estimated_outage_hours_per_day_low", "estimated_outage_hours_per_day_high"]


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


def _with(**ranges: tuple[float, float, float]) -> tuple:
    """The default assumptions with some ranges replaced: name=(low, central, high)."""
    return tuple(
        replace(a, **dict(zip(("low", "central", "high"), ranges[a.assumption], strict=True)))
        if a.assumption in ranges
        else a
        for a in OUTAGE_HOURS_ASSUMPTIONS
    )


def test_the_band_is_the_range_over_the_stated_assumptions() -> None:
    # Low: 0.8 customers per unit of load cut, nothing protected, night 8 h (its share is the smallest), evening 5 h,
    # the daytime cut over the larger demand (3000): 8 × 0.24 + 11 × 0.8 × 1100/3000 + 5 × 0.4 = 7.15.
    # High: 1.2 × each share (the protected share is not varied: it does not change the national average), night
    # 6 h, evening 8 h, the daytime cut over the smaller demand (2500): 6 × 0.36 + 10 × 0.528 + 8 × 0.6 = 12.24.
    row = estimate_outage_hours(DAYS).iloc[0]
    assert row["estimated_outage_hours_per_day_low"] == 7.1
    assert row["estimated_outage_hours_per_day_central"] == 9.6
    assert row["estimated_outage_hours_per_day_high"] == 12.2


def test_the_band_widens_when_the_protected_share_range_widens() -> None:
    protected = PROTECTED_LOAD.assumption
    widths = []
    for high in (0.0, 10.0, 20.0, 40.0):
        out = estimate_outage_hours(DAYS, _with(**{protected: (0.0, 0.0, high)}))
        widths.append((out[BAND[1]] - out[BAND[0]]).iloc[:3].to_numpy())
        # The central estimate keeps its 0 % whatever the range.
        assert out["estimated_outage_hours_per_day_central"].iloc[0] == 9.6
    for narrower, wider in itertools.pairwise(widths):
        assert (wider > narrower).all()


def test_the_central_estimate_follows_the_central_assumptions() -> None:
    # 20 % of the load protected: each share over 0.8 of the demand (0.375, 0.5, 0.625); night 8 h, evening 7 h,
    # day 9 h: 8 × 0.375 + 9 × 0.5 + 7 × 0.625 = 11.875.
    assumptions = _with(
        night_window_hours=(6.0, 8.0, 8.0),
        protected_load_share_pct=(0.0, 20.0, 20.0),
    )
    assert estimate_outage_hours(DAYS, assumptions).iloc[0]["estimated_outage_hours_per_day_central"] == 11.9


def test_a_share_is_capped_at_the_whole_unprotected_load() -> None:
    # A cut of 95 % of demand with 20 % protected would be 119 % of the rest: counted as everyone, 24 h at most.
    day = _days([(2850.0, 3000.0, 2375.0, 2500.0, 2612.5)])
    out = estimate_outage_hours(day, _with(protected_load_share_pct=(0.0, 0.0, 20.0))).iloc[0]
    assert out["estimated_outage_hours_per_day_high"] == 24.0
    assert out["estimated_outage_hours_per_day_central"] == pytest.approx(22.8)


ODD_DAYS = _days(
    [
        (1500.0, 3000.0, 750.0, 2500.0, 1100.0),
        (200.0, 2800.0, 1400.0, 2000.0, 50.0),  # the night cut far above the evening's
        (2900.0, 3000.0, 2400.0, 2450.0, 2700.0),  # near-total cuts: shares capped at 1
        (1500.0, 3000.0, 750.0, 3200.0, 1100.0),  # morning demand above the peak's
        (0.0, 3000.0, 0.0, 2500.0, 0.0),  # no cut at all
        (1500.0, 3000.0, 750.0, np.nan, 1100.0),  # morning cut without its demand
        (1500.0, 0.0, 750.0, 2500.0, 1100.0),  # a zero demand: no share
    ]
).assign(prev_day_max_affectation_mw_next=[1800.0, np.nan, 3000.0, 1000.0, 400.0, np.nan, np.nan])


@pytest.mark.parametrize(
    "assumptions",
    [
        OUTAGE_HOURS_ASSUMPTIONS,
        _with(protected_load_share_pct=(0.0, 10.0, 60.0), customers_to_load_cut_ratio=(0.5, 1.0, 2.0)),
    ],
    ids=["published", "wide"],
)
def test_low_central_high_are_in_order_on_every_row(assumptions) -> None:
    out = estimate_outage_hours(pd.concat([DAYS, ODD_DAYS], ignore_index=True), assumptions)
    low, central, high = (out[f"estimated_outage_hours_per_day_{b}"] for b in ("low", "central", "high"))
    assert ((low <= high) | low.isna()).all()
    with_central = central.notna()
    assert with_central.sum() >= 6
    assert (low[with_central] <= central[with_central]).all() and (central[with_central] <= high[with_central]).all()
    assert ((low >= 0) | low.isna()).all() and ((high <= 24) | high.isna()).all()
    # No peak figure or no peak demand: no estimate at all; a peak-only day: no band.
    assert out.loc[out["estimated_outage_hours_basis"].isna(), BAND].isna().all().all()
    assert out.loc[out["estimated_outage_hours_basis"] == "peak only", BAND].isna().all().all()


def test_a_peak_only_day_gets_no_band_however_wide_the_assumptions() -> None:
    wide = _with(protected_load_share_pct=(0.0, 0.0, 50.0), evening_window_hours=(3.0, 7.0, 12.0))
    peak_only = estimate_outage_hours(DAYS, wide).set_index("date").loc["2025-05-04"]
    assert peak_only[[*BAND, "estimated_outage_hours_per_day_central"]].isna().all()
    assert peak_only["estimated_outage_hours_basis"] == "peak only"


def test_window_lengths_always_cover_the_day_once() -> None:
    splits = outage_windows(NIGHT_WINDOW.levels(), EVENING_WINDOW.levels())
    assert len(splits) == len(NIGHT_WINDOW.levels()) * len(EVENING_WINDOW.levels()) >= 4
    assert all(sum(split) == 24 and min(split) > 0 for split in splits)
    assert (NIGHT_WINDOW.central, 10.0, EVENING_WINDOW.central) in splits
    table = outage_hours_assumptions().set_index("assumption")
    windows = table.loc[["night_window_hours", "day_window_hours", "evening_window_hours"]]
    assert windows["central"].sum() == 24
    assert list(windows["central"]) == [7.0, 10.0, 7.0]
    # The day's shortest window goes with the longest night and evening, and the other way round.
    assert windows.loc["day_window_hours", "low"] == 24 - NIGHT_WINDOW.high - EVENING_WINDOW.high
    assert windows.loc["day_window_hours", "high"] == 24 - NIGHT_WINDOW.low - EVENING_WINDOW.low


def test_the_published_assumptions_pass_validation() -> None:
    meta = load_source_meta(REPO / "etl" / "sources" / "une_daily.meta.yaml").tables["une_outage_hours_assumptions"]
    table = outage_hours_assumptions()
    checked = check_schema(table, meta)
    assert set(checked["assumption"]) == {
        "night_window_hours",
        "day_window_hours",
        "evening_window_hours",
        "customers_to_load_cut_ratio",
        "protected_load_share_pct",
    }
    assert assumption_problems(table) == []
    # Every assumption without a source says so.
    unsourced = checked.set_index("assumption").loc[["customers_to_load_cut_ratio", "protected_load_share_pct"]]
    assert unsourced["note"].str.contains("Assumption, no published figure").all()


def test_assumptions_that_contradict_the_estimate_are_refused() -> None:
    table = outage_hours_assumptions().set_index("assumption")
    inverted = table.copy()
    inverted.loc["protected_load_share_pct", "central"] = 30.0  # above its high end
    assert "low ≤ central ≤ high fails for protected_load_share_pct" in " ".join(
        assumption_problems(inverted.reset_index())
    )
    long_day = table.copy()
    long_day.loc["day_window_hours", "central"] = 11.0
    assert "windows do not add up to 24 h (central)" in " ".join(assumption_problems(long_day.reset_index()))
    everything_protected = table.copy()
    everything_protected.loc["protected_load_share_pct", "high"] = 100.0
    assert any("no load to cut" in p for p in assumption_problems(everything_protected.reset_index()))


def test_dates_with_nothing_published_are_listed_as_gaps() -> None:
    from etl.une.daily.tables import GAP_COLUMNS, note_gaps

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


def test_check_refuses_a_central_estimate_outside_its_band() -> None:
    from etl.sources.une_daily import check

    daily = estimate_outage_hours(DAYS).iloc[:1]
    tables = {"une_daily": daily, "une_outage_hours_assumptions": outage_hours_assumptions()}
    assert check(tables) == []
    tables["une_daily"] = daily.assign(estimated_outage_hours_per_day_central=20.0)
    assert any("central estimate outside its band" in p for p in check(tables))
    tables["une_daily"] = daily
    tables["une_outage_hours_assumptions"] = outage_hours_assumptions().iloc[[0, 2, 3, 4]]  # no day window
    assert any("a window length is missing" in p for p in check(tables))


def test_a_collapse_reported_the_next_morning_is_counted_once() -> None:
    """The curated table dates a collapse when it began; the next notes flag it too. Counted once per event, and a
    flagged date with no curated collapse in the two days before is an event of its own."""
    from etl.une.daily.tables import collapse_event_dates

    curated = pd.Series(["2022-09-27", "2024-12-04"])
    flagged = pd.Series(["2022-09-29", "2024-12-05", "2025-01-20"])
    assert collapse_event_dates(curated, flagged) == {"2022-09-27", "2024-12-04", "2025-01-20"}
    assert collapse_event_dates(pd.Series([], dtype="object"), flagged) == set(flagged)

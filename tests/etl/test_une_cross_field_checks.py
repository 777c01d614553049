"""Cross-field checks (issue 16): a value that contradicts the other figures of its note is moved to
une_rejected_values with its reason, never published and never silently dropped. Frames written by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from etl.une.daily.plausibility import MW_FIELDS, reject_inconsistent

CONSISTENT = {
    "peak_availability_mw": 2000.0,
    "peak_demand_mw": 3000.0,
    "peak_deficit_mw": 1000.0,
    "peak_affectation_mw": 1070.0,
    "prev_day_max_affectation_mw": 1100.0,
    "morning_availability_mw": 1500.0,
    "morning_demand_mw": 2300.0,
    "morning_affected_mw": 850.0,
    "midday_affectation_mw": 1000.0,
    "thermal_limitations_mw": 400.0,
    "distributed_generation_out_mw": 500.0,
    "out_of_fuel_mw": 600.0,
}


def _frame(*days: dict) -> pd.DataFrame:
    rows = []
    for i, changes in enumerate(days):
        date = f"2025-03-{i + 1:02d}"
        rows.append({"date": date, "source_url": f"https://example.cu/{date}/", **CONSISTENT, **changes})
    return pd.DataFrame(rows)


def test_consistent_days_pass_untouched() -> None:
    df = _frame({}, {"peak_deficit_mw": 1090.0}, {"morning_affected_mw": 1150.0})  # within the notes' own slack
    out, rejected = reject_inconsistent(df)
    assert rejected == []
    pd.testing.assert_frame_equal(out[list(MW_FIELDS)], df[list(MW_FIELDS)])


@pytest.mark.parametrize(
    ("changes", "field", "reason_part"),
    [
        ({"peak_deficit_mw": 1250.0}, "peak_deficit_mw", "differs from demand − availability"),
        ({"peak_affectation_mw": 3200.0}, "peak_affectation_mw", "exceeds the peak demand"),
        ({"peak_affectation_mw": 700.0}, "peak_affectation_mw", "below the forecast deficit"),
        ({"morning_affected_mw": 2400.0}, "morning_affected_mw", "exceeds the morning demand"),
        (
            {"morning_affected_mw": 1450.0, "morning_availability_mw": 1360.0, "morning_demand_mw": 2320.0},
            "morning_affected_mw",
            "by more than 400 MW",
        ),
        ({"morning_demand_mw": 186.0, "morning_affected_mw": np.nan}, "morning_demand_mw", "below 1,000 MW"),
        ({"midday_affectation_mw": 3100.0}, "midday_affectation_mw", "exceeds the day's demand"),
    ],
)
def test_a_contradicted_value_is_rejected_with_its_reason(changes: dict, field: str, reason_part: str) -> None:
    df = _frame(changes)
    out, rejected = reject_inconsistent(df)
    assert [(r["field"], r["date"], r["url"]) for r in rejected] == [
        (field, "2025-03-01", "https://example.cu/2025-03-01/")
    ]
    assert reason_part in rejected[0]["reason"]
    assert rejected[0]["value"] == changes[field]
    assert pd.isna(out.at[0, field])
    # Only that value goes: the rest of the day is still published.
    others = [f for f in MW_FIELDS if f != field and not pd.isna(df.at[0, f])]
    assert out.loc[0, others].notna().all()


def test_a_rejected_demand_does_not_reject_the_cut_measured_against_it() -> None:
    # "demand 186 MW" was the cut misread as the demand: the cut itself must survive.
    out, rejected = reject_inconsistent(_frame({"morning_demand_mw": 186.0, "morning_affected_mw": 186.0}))
    assert [r["field"] for r in rejected] == ["morning_demand_mw"]
    assert out.at[0, "morning_affected_mw"] == 186.0


def test_previous_day_maximum_above_that_days_demand() -> None:
    # The 2nd reports the 1st's maximum cut: 3,100 MW against a forecast peak demand of 3,000 MW on the 1st.
    out, rejected = reject_inconsistent(_frame({}, {"prev_day_max_affectation_mw": 3100.0}))
    assert pd.isna(out.at[1, "prev_day_max_affectation_mw"])
    assert [(r["date"], r["field"]) for r in rejected] == [("2025-03-02", "prev_day_max_affectation_mw")]
    assert "exceeds that day's forecast peak demand 3,000 MW" in rejected[0]["reason"]
    # Without a note for the day before, there is nothing to hold it against.
    assert reject_inconsistent(_frame({"prev_day_max_affectation_mw": 3100.0}))[1] == []


def test_missing_values_are_not_checked() -> None:
    df = _frame({f: np.nan for f in MW_FIELDS})
    assert reject_inconsistent(df)[1] == []

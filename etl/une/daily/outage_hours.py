"""The estimate of hours without power per customer and per day, with its band: the stated assumptions
(``OUTAGE_HOURS_ASSUMPTIONS``, published as ``une_outage_hours_assumptions``), the estimate over every combination of
their levels, and the checks that the published assumptions agree with the estimate.

One module because the assumptions, the formula and its checks must change together.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class OutageAssumption:
    """One stated assumption of the outage-hours estimate: the range it is varied over (low to high) and the value
    the central estimate uses. Published as a row of `une_outage_hours_assumptions`, so a reader sees the ranges
    the band comes from."""

    assumption: str
    low: float
    central: float
    high: float
    unit: str
    note: str

    def levels(self) -> tuple[float, ...]:
        return tuple(sorted({self.low, self.central, self.high}))


HOURS_PER_DAY = 24.0
# The assumptions of the outage-hours estimate, all in one place (methodology: "Estimated hours without power").
# The central estimate uses each `central`; the band's low and high ends are the minimum and maximum over every
# combination of the levels below. The day window is what the night and evening windows leave of 24 hours.
NIGHT_WINDOW = OutageAssumption(
    "night_window_hours",
    6.0,
    7.0,
    8.0,
    "hours",
    "Hours from midnight that the morning snapshot (morning cut ÷ morning demand) stands for: up to the snapshot, "
    "which the notes give between 06:00 and 07:30 (07:00 on most days); 8 h allows half an hour past the latest "
    "snapshot, a judgement",
)
EVENING_WINDOW = OutageAssumption(
    "evening_window_hours",
    5.0,
    7.0,
    8.0,
    "hours",
    "Hours to midnight that the peak forecast (peak cut ÷ peak demand) stands for, starting between 16:00 and "
    "19:00 (the start is a judgement, not a published time); the notes report the day's largest cut between 17:00 "
    "and 23:59 on almost every day",
)
CUSTOMERS_TO_LOAD_CUT = OutageAssumption(
    "customers_to_load_cut_ratio",
    0.8,
    1.0,
    1.2,
    "ratio",
    "Share of customers cut ÷ share of load cut. 1 = the circuits cut have the average load per customer; cuts "
    "falling on lighter circuits (mostly homes) raise it, on heavier ones lower it. Which customers take turns does "
    "not change the national average; the load per customer of the circuits cut does. "
    "Assumption, no published figure",
)
# Not varied in the band (fact-check of 6 December 2026): circuits never cut do not change the national average per
# customer, only who bears it; above 0 % the formula gives the hours of a customer on a circuit that can be cut, a
# different quantity. Kept as a stated row so the reader sees it was considered and why it is not in the range.
PROTECTED_LOAD = OutageAssumption(
    "protected_load_share_pct",
    0.0,
    0.0,
    0.0,
    "%",
    "Share of demand on circuits never cut (hospitals, water pumping and the like). Not varied: it does not change "
    "the national average per customer, only who bears it (if those circuits have the average number of customers "
    "per MW; protecting heavy circuits with few customers raises the customers-to-load ratio, whose range covers "
    "it); a customer on a circuit that can be cut is without "
    "power 1 ÷ (1 − share) times the average (1.25 times if a fifth of the load is never cut). "
    "Assumption, no published figure",
)
OUTAGE_HOURS_ASSUMPTIONS = (NIGHT_WINDOW, EVENING_WINDOW, CUSTOMERS_TO_LOAD_CUT, PROTECTED_LOAD)
ASSUMPTION_COLUMNS = ["assumption", "low", "central", "high", "unit", "note"]


def _share(cut: pd.Series, demand: pd.Series) -> pd.Series:
    share = cut / demand.where(demand > 0)
    return share.clip(lower=0, upper=1)


def outage_windows(night: tuple[float, ...], evening: tuple[float, ...]) -> list[tuple[float, float, float]]:
    """Every (night, day, evening) split of the day from the given window lengths: the day window is what the other
    two leave, so each split covers 24 hours once."""
    return [(n, HOURS_PER_DAY - n - e, e) for n in night for e in evening]


def _assumption_grid(assumptions: tuple[OutageAssumption, ...], central_only: bool) -> dict[str, np.ndarray]:
    """Every combination of the assumptions' levels (or the central values only): the three window lengths from
    `outage_windows`, the customers-to-load ratio and the protected share, each as a column vector of shape
    (combinations, 1) that broadcasts against the rows of the daily table."""
    named = {a.assumption: a for a in assumptions}

    def levels(a: OutageAssumption) -> tuple[float, ...]:
        return (named[a.assumption].central,) if central_only else named[a.assumption].levels()

    windows = outage_windows(levels(NIGHT_WINDOW), levels(EVENING_WINDOW))
    combos = itertools.product(windows, levels(CUSTOMERS_TO_LOAD_CUT), levels(PROTECTED_LOAD))
    values = np.array([[*split, ratio, protected] for split, ratio, protected in combos], dtype="float64")
    names = ("night_hours", "day_hours", "evening_hours", CUSTOMERS_TO_LOAD_CUT.assumption, PROTECTED_LOAD.assumption)
    return {name: values[:, [i]] for i, name in enumerate(names)}


def _customer_share(cut: pd.Series, demand: pd.Series, grid: dict[str, np.ndarray]) -> np.ndarray:
    """Share of the customers who can be cut that are without power, for each combination of the grid: the cut over
    the load not protected, times customers-to-load ratio, between 0 and 1 (NaN without a cut or a demand)."""
    unprotected = demand.where(demand > 0).to_numpy("float64") * (1 - grid[PROTECTED_LOAD.assumption] / 100)
    share = grid[CUSTOMERS_TO_LOAD_CUT.assumption] * cut.to_numpy("float64") / unprotected
    return np.clip(share, 0, 1)


def _hours(night: np.ndarray, day: np.ndarray, evening: np.ndarray, grid: dict[str, np.ndarray]) -> np.ndarray:
    return grid["night_hours"] * night + grid["day_hours"] * day + grid["evening_hours"] * evening


def estimate_outage_hours(
    df: pd.DataFrame, assumptions: tuple[OutageAssumption, ...] = OUTAGE_HOURS_ASSUMPTIONS
) -> pd.DataFrame:
    """Hours without power per customer per day, from the day's three snapshots: the morning one for the night,
    the daytime forecast for the day, the peak forecast for the evening, each share weighted by its window.
    Central: every assumption at its central value (7/10/7 h, share of customers cut = share of load cut, nothing
    protected). Low and high: the minimum and maximum over every combination of the assumptions' levels, with the
    figures' own uncertainty on top — the day's demand between the morning and the peak demand, the evening cut up
    to the maximum reported next morning, a missing snapshot between 0 and the evening share. A day with only the
    peak figure gets no band (``estimated_outage_hours_basis`` = 'peak only').
    This is an ESTIMATE: see the methodology for its assumptions and its check against Havana's blocks."""
    peak_demand = df["peak_demand_mw"]
    morning_demand = df["morning_demand_mw"]
    night_cut, day_cut, evening_cut = df["morning_affected_mw"], df["midday_affectation_mw"], df["peak_affectation_mw"]
    demands = pd.concat([morning_demand, peak_demand], axis=1)
    actual_next = pd.Series(df.get("prev_day_max_affectation_mw_next", np.nan), index=df.index, dtype="float64")
    evening_cut_high = pd.concat([evening_cut, actual_next], axis=1).max(axis=1)

    central_grid = _assumption_grid(assumptions, central_only=True)
    central = _hours(
        _customer_share(night_cut, morning_demand, central_grid),
        _customer_share(day_cut, (morning_demand + peak_demand) / 2, central_grid),
        _customer_share(evening_cut, peak_demand, central_grid),
        central_grid,
    )[0]
    grid = _assumption_grid(assumptions, central_only=False)
    # Low: the daytime cut against the larger of the two demands, the evening at the forecast, missing parts 0.
    evening_low = _customer_share(evening_cut, peak_demand, grid)
    low = _hours(
        np.nan_to_num(_customer_share(night_cut, morning_demand, grid), nan=0.0),
        np.nan_to_num(_customer_share(day_cut, demands.max(axis=1), grid), nan=0.0),
        evening_low,
        grid,
    ).min(axis=0)
    # High: the daytime cut against the smaller demand, the evening at the larger of the forecast and the maximum
    # reported next morning; missing parts take that evening share.
    evening_high = _customer_share(evening_cut_high, peak_demand, grid)
    night_high = _customer_share(night_cut, morning_demand, grid)
    day_high = _customer_share(day_cut, demands.min(axis=1), grid)
    high = _hours(
        np.where(np.isnan(night_high), evening_high, night_high),
        np.where(np.isnan(day_high), evening_high, day_high),
        evening_high,
        grid,
    ).max(axis=0)
    s_eve = _share(evening_cut, peak_demand)
    # On a day with only the peak figure, "missing parts = 0" to "missing parts = the evening share" spans 7 × share
    # to 24 × share: the two assumptions, not an uncertainty range. Such days get no band, and say why.
    basis = _estimate_basis(s_eve, _share(night_cut, morning_demand), day_cut)
    banded = (s_eve.notna() & (basis != "peak only")).to_numpy()
    out = df.copy()
    out["estimated_outage_hours_per_day_low"] = pd.Series(np.where(banded, low, np.nan), index=df.index).round(1)
    out["estimated_outage_hours_per_day_central"] = pd.Series(central, index=df.index).round(1)
    out["estimated_outage_hours_per_day_high"] = pd.Series(np.where(banded, high, np.nan), index=df.index).round(1)
    out["estimated_outage_hours_basis"] = basis
    return out


def outage_hours_assumptions(assumptions: tuple[OutageAssumption, ...] = OUTAGE_HOURS_ASSUMPTIONS) -> pd.DataFrame:
    """The assumptions the outage-hours band is computed over, one row each, plus the day window they leave (24 h
    less the night and evening windows), so a reader sees every range without reading code."""
    rows = [{c: getattr(a, c) for c in ASSUMPTION_COLUMNS} for a in assumptions]
    named = {a.assumption: a for a in assumptions}
    night, evening = named[NIGHT_WINDOW.assumption], named[EVENING_WINDOW.assumption]
    days = [day for _, day, _ in outage_windows(night.levels(), evening.levels())]
    rows.insert(
        1,
        {
            "assumption": "day_window_hours",
            "low": min(days),
            "central": HOURS_PER_DAY - night.central - evening.central,
            "high": max(days),
            "unit": "hours",
            "note": "Hours the daytime forecast (daytime cut ÷ mean of morning and peak demand) stands for: "
            "24 less the night and evening windows, so the three always cover the day once",
        },
    )
    return pd.DataFrame(rows, columns=ASSUMPTION_COLUMNS)


def _estimate_basis(evening: pd.Series, night: pd.Series, day: pd.Series) -> pd.Series:
    """Which of the day's three snapshots the estimate stands on: 'morning, midday and peak', 'morning and peak',
    'midday and peak' or 'peak only' (null without a peak figure, which has no estimate at all)."""
    names = np.select(
        [night.notna() & day.notna(), night.notna(), day.notna()],
        ["morning, midday and peak", "morning and peak", "midday and peak"],
        default="peak only",
    )
    return pd.Series(names, index=evening.index, dtype="object").where(evening.notna())


def assumption_problems(assumptions: pd.DataFrame) -> list[str]:
    """What would make the published assumptions contradict the estimate: a range that does not hold its central
    value, windows that do not cover the day once, a protected share that leaves no load to cut."""
    problems = []
    rows = assumptions.set_index("assumption")
    unordered = rows[(rows["low"] > rows["central"]) | (rows["central"] > rows["high"])]
    if len(unordered):
        problems.append(f"une_outage_hours_assumptions: low ≤ central ≤ high fails for {', '.join(unordered.index)}")
    windows = ["night_window_hours", "day_window_hours", "evening_window_hours"]
    if not set(windows) <= set(rows.index):
        return [*problems, "une_outage_hours_assumptions: a window length is missing"]
    night, day, evening = (rows.loc[w] for w in windows)
    sums = {
        "central": night["central"] + day["central"] + evening["central"],
        "low day": night["high"] + day["low"] + evening["high"],
        "high day": night["low"] + day["high"] + evening["low"],
    }
    off = [name for name, total in sums.items() if abs(total - HOURS_PER_DAY) > 1e-9]
    if off:
        problems.append(f"une_outage_hours_assumptions: windows do not add up to 24 h ({', '.join(off)})")
    if PROTECTED_LOAD.assumption in rows.index and rows.loc[PROTECTED_LOAD.assumption, "high"] >= 100:
        problems.append("une_outage_hours_assumptions: a protected share of 100 % leaves no load to cut")
    return problems

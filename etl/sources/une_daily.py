"""The daily series of Cuba's grid: one record per date from the UNE notes (a Cubadebate note first; other outlets'
copies of the note, `une_notes_outlets`, fill the dates Cubadebate misses, their disagreements published in
`une_source_conflicts`; cited press points fill dates no note covers), plus derived measures — share of demand cut at
the peak and an *estimate* of hours without power per customer, its band spanning the stated assumptions published
in `une_outage_hours_assumptions` — monthly/yearly aggregates, and the UNE's evening
forecasts held against the outcome its next note reports (`une_forecast_outcomes`, by day and by month).
Methodology: dashboard/content/methodology.en.md."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from etl.sources.base import DeriveContext
from etl.sources.une_outlets import outlet_rank
from etl.une.notes import parse_units_text

INPUTS = ("une_notes_archive", "une_notes_cubadebate", "une_notes_outlets", "une_press_points", "grid_collapses")
# The live tables may be absent (an offline refresh from the mirror, a first run): the archive alone builds the series.
OPTIONAL_INPUTS = ("une_notes_cubadebate", "une_notes_outlets")

MW_FIELDS = (
    "peak_availability_mw",
    "peak_demand_mw",
    "peak_deficit_mw",
    "peak_affectation_mw",
    "prev_day_max_affectation_mw",
    "morning_availability_mw",
    "morning_demand_mw",
    "morning_affected_mw",
    "midday_affectation_mw",
    "thermal_limitations_mw",
    "distributed_generation_out_mw",
    "out_of_fuel_mw",
)
MAX_PLAUSIBLE_MW = 6000.0  # above Cuba's whole installed capacity: a parse error or a typo, never published
DAILY_VALUE_FIELDS = (
    *MW_FIELDS,
    "prev_day_max_affectation_time",
    "prev_day_affected_all_day",
    "morning_time",
    "solar_energy_mwh",
    "total_grid_collapse",
)
AGGREGATED = (
    "peak_availability_mw",
    "peak_demand_mw",
    "peak_deficit_mw",
    "peak_affectation_mw",
    "prev_day_max_affectation_mw",
    "morning_affected_mw",
    "midday_affectation_mw",
    "out_of_fuel_mw",
    "peak_share_of_demand_cut_pct",
    "estimated_outage_hours_per_day_low",
    "estimated_outage_hours_per_day_central",
    "estimated_outage_hours_per_day_high",
    "thermal_units_out_of_service",
    "solar_energy_mwh",
)


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


def _is_morning(published_at: str) -> bool:
    time = str(published_at)[11:16]
    return bool(time) and time < "12:00"


def choose_notes(notes: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """One note per date: the morning note (the daily report), earliest first; the others are recorded."""
    if notes.empty:
        return notes, []
    ranked = notes.assign(
        _morning=~notes["published_at"].map(_is_morning), _at=notes["published_at"].astype(str)
    ).sort_values(["date", "_morning", "_at", "url"])
    kept = ranked.drop_duplicates("date", keep="first")
    others = ranked[~ranked.index.isin(kept.index)]
    alternates = []
    kept_by_date = kept.set_index("date")
    for row in others.itertuples(index=False):
        base = kept_by_date.loc[row.date]
        differing = [
            f
            for f in ("peak_demand_mw", "peak_affectation_mw", "prev_day_max_affectation_mw")
            if not _same(getattr(row, f), base[f])
        ]
        alternates.append(
            {
                "date": row.date,
                "kept_url": base["url"],
                "other_url": row.url,
                "other_source": "note",
                "reason": "a later or second note for the same date",
                "differing_fields": ", ".join(differing),
            }
        )
    return kept.drop(columns=["_morning", "_at"]), alternates


def _same(a: Any, b: Any) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)) or a is pd.NA:
        return b is None or (isinstance(b, float) and math.isnan(b)) or b is pd.NA
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)


def reject_implausible(df: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """MW values outside 0–6,000 are set to null and recorded with the reason (a published absurdity never)."""
    out = df.copy()
    rejected = []
    for field in MW_FIELDS:
        if field not in out.columns:
            continue
        values = pd.to_numeric(out[field], errors="coerce")
        bad = values.notna() & ((values < 0) | (values > MAX_PLAUSIBLE_MW))
        for idx in out.index[bad]:
            rejected.append(
                {
                    "date": out.at[idx, "date"],
                    "url": out.at[idx, "source_url"],
                    "field": field,
                    "value": float(values[idx]),
                    "reason": f"outside 0–{MAX_PLAUSIBLE_MW:,.0f} MW (larger than the whole grid)",
                }
            )
        out[field] = values.where(~bad)
    return out, rejected


# Cross-field checks. Each names the value it rejects: the one a misreading most likely produced, or the redundant one
# (the deficit can be recomputed from availability and demand). Thresholds come from the notes themselves (measured
# on the published series, 2022-2026; see bench/RESULTS.md): the stated deficit differs from demand − availability by
# at most 90 MW, a morning cut exceeds the morning shortfall by at most 264 MW (transfer-limited regional cuts), and
# the lowest demand read right is 1,550 MW (a morning); the 1,000 MW floor leaves room for days after a collapse.
DEFICIT_TOLERANCE_MW = 100.0
MORNING_CUT_OVER_SHORTFALL_MW = 400.0
MIN_PLAUSIBLE_DEMAND_MW = 1000.0
CUT_BELOW_DEFICIT_MW = 50.0


def _fmt(value: Any) -> str:
    return f"{float(value):,.0f} MW"


def _cross_field_failures(row: Any, previous_peak_demand: float) -> list[tuple[str, str]]:
    """(field, reason) for each value of one day that contradicts the other values of the same note."""
    v = {f: (None if pd.isna(getattr(row, f)) else float(getattr(row, f))) for f in MW_FIELDS}
    out: list[tuple[str, str]] = []
    for field in ("peak_demand_mw", "morning_demand_mw"):
        if v[field] is not None and v[field] < MIN_PLAUSIBLE_DEMAND_MW:
            reason = f"demand {_fmt(v[field])} is below {_fmt(MIN_PLAUSIBLE_DEMAND_MW)} (a cut or part read as demand)"
            out.append((field, reason))
            v[field] = None  # the checks below must not lean on it
    avail, demand, deficit, cut = (
        v["peak_availability_mw"],
        v["peak_demand_mw"],
        v["peak_deficit_mw"],
        v["peak_affectation_mw"],
    )
    if avail is not None and demand is not None and deficit is not None:
        gap = demand - avail
        if abs(deficit - gap) > DEFICIT_TOLERANCE_MW:
            reason = (
                f"deficit {_fmt(deficit)} differs from demand − availability ({_fmt(demand)} − {_fmt(avail)} = "
                f"{_fmt(gap)}) by more than {_fmt(DEFICIT_TOLERANCE_MW)}"
            )
            out.append(("peak_deficit_mw", reason))
            deficit = None  # the cut is not held against a rejected deficit
    if cut is not None and demand is not None and cut > demand:
        out.append(("peak_affectation_mw", f"forecast cut {_fmt(cut)} exceeds the peak demand {_fmt(demand)}"))
    elif cut is not None and deficit is not None and cut < deficit - CUT_BELOW_DEFICIT_MW:
        out.append(("peak_affectation_mw", f"forecast cut {_fmt(cut)} is below the forecast deficit {_fmt(deficit)}"))
    m_avail, m_demand, m_cut = v["morning_availability_mw"], v["morning_demand_mw"], v["morning_affected_mw"]
    if m_cut is not None and m_demand is not None:
        if m_cut > m_demand:
            out.append(
                ("morning_affected_mw", f"morning cut {_fmt(m_cut)} exceeds the morning demand {_fmt(m_demand)}")
            )
        elif m_avail is not None and m_cut > max(m_demand - m_avail, 0) + MORNING_CUT_OVER_SHORTFALL_MW:
            reason = (
                f"morning cut {_fmt(m_cut)} exceeds demand − availability ({_fmt(max(m_demand - m_avail, 0))}) by "
                f"more than {_fmt(MORNING_CUT_OVER_SHORTFALL_MW)}"
            )
            out.append(("morning_affected_mw", reason))
    midday = v["midday_affectation_mw"]
    day_demand = max((x for x in (demand, m_demand) if x is not None), default=None)
    if midday is not None and day_demand is not None and midday > day_demand:
        out.append(("midday_affectation_mw", f"daytime cut {_fmt(midday)} exceeds the day's demand {_fmt(day_demand)}"))
    prev_max = v["prev_day_max_affectation_mw"]
    if prev_max is not None and not math.isnan(previous_peak_demand) and prev_max > previous_peak_demand:
        reason = (
            f"previous day's maximum cut {_fmt(prev_max)} exceeds that day's forecast peak demand "
            f"{_fmt(previous_peak_demand)}"
        )
        out.append(("prev_day_max_affectation_mw", reason))
    return out


def reject_inconsistent(df: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Values that contradict the other figures of their note (cut above demand, deficit ≠ demand − availability,
    ...) are set to null and recorded with the reason, like out-of-range values: never published, never lost."""
    out = df.copy()
    for field in MW_FIELDS:
        out[field] = pd.to_numeric(out[field], errors="coerce")
    previous = (pd.to_datetime(out["date"]) - pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d")
    demand_by_date = out.drop_duplicates("date").set_index("date")["peak_demand_mw"]
    previous_demand = previous.map(demand_by_date).astype("float64")
    rejected = []
    for idx, row, prev_demand in zip(out.index, out.itertuples(index=False), previous_demand, strict=True):
        for field, reason in _cross_field_failures(row, prev_demand):
            rejected.append(
                {
                    "date": row.date,
                    "url": row.source_url,
                    "field": field,
                    "value": float(getattr(row, field)),
                    "reason": reason,
                }
            )
            out.at[idx, field] = np.nan
    return out, rejected


def press_rows(press: pd.DataFrame, dates_with_notes: set[str]) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Press points for dates without a parsed note; one per date (confirmed first), the rest recorded."""
    press = press[~press["date"].isin(dates_with_notes)].copy()
    if press.empty:
        return press, []
    press["_rank"] = press["verification"].map({"confirmed": 0, "unverified": 1, "conflicting": 2}).fillna(3)
    press = press.sort_values(["date", "_rank", "publisher", "url"])
    kept = press.drop_duplicates("date", keep="first")
    alternates = []
    base = kept.set_index("date")
    for row in press[~press.index.isin(kept.index)].itertuples(index=False):
        differing = [
            f
            for f in ("peak_demand_mw", "peak_affectation_mw", "prev_day_max_affectation_mw")
            if not _same(getattr(row, f), base.loc[row.date, f])
        ]
        alternates.append(
            {
                "date": row.date,
                "kept_url": base.loc[row.date, "url"],
                "other_url": row.url,
                "other_source": "press point",
                "reason": f"another outlet ({row.publisher})",
                "differing_fields": ", ".join(differing),
            }
        )
    return kept.drop(columns=["_rank"]), alternates


# -- the secondary source: the same note republished by other outlets (une_notes_outlets) ---------------------------
#: Two figures for one field and date are the same figure when they differ by at most this much (MW, or MWh for the
#: solar energy): outlets write "1 450" or "1.450", they do not report different grids. Beyond it, a conflict.
ROUNDING_TOLERANCE = 1.0
NUMERIC_FIELDS = (*MW_FIELDS, "solar_energy_mwh")
BOOLEAN_FIELDS = ("prev_day_affected_all_day", "total_grid_collapse")
# The fields two copies of a note are compared on: the figures and their times. Not the yes/no fields: the parser
# reads False where a note does not say (no "24 horas", no collapse), and a copy that leaves a sentence out does not
# contradict the one that keeps it.
CONFLICT_FIELDS = (*NUMERIC_FIELDS, "prev_day_max_affectation_time", "morning_time")
PRIMARY_PUBLISHER = "Cubadebate (UNE note)"
CONFLICT_COLUMNS = [
    "date",
    "field",
    "primary_value",
    "primary_url",
    "primary_publisher",
    "secondary_value",
    "secondary_url",
    "secondary_publisher",
    "difference",
]


def _absent(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _as_bool(value: Any) -> bool:
    return value.strip().lower() in ("true", "1") if isinstance(value, str) else bool(value)


def differs(field: str, a: Any, b: Any) -> bool:
    """Both notes state the field and the values are not the same beyond rounding."""
    if _absent(a) or _absent(b):
        return False
    if field in NUMERIC_FIELDS:
        return abs(float(a) - float(b)) > ROUNDING_TOLERANCE
    if field in BOOLEAN_FIELDS:
        return _as_bool(a) != _as_bool(b)
    return str(a).strip() != str(b).strip()


def _shown(field: str, value: Any) -> str:
    """A value as the conflicts table writes it: 1450, 20:10, true."""
    if field in BOOLEAN_FIELDS:
        return "true" if _as_bool(value) else "false"
    if field in NUMERIC_FIELDS:
        number = float(value)
        return str(int(number)) if number.is_integer() else f"{number:.2f}".rstrip("0")
    return str(value)


def merge_outlet_notes(
    primary: pd.DataFrame, secondary: pd.DataFrame | None, rank: dict[str, int]
) -> tuple[pd.DataFrame, list[dict[str, Any]], list[dict[str, Any]]]:
    """The other outlets' notes as a secondary source. Returns the notes that fill dates the primary (Cubadebate:
    archive and live) lacks, one per date from the outlet first in `rank`; the other outlets' notes as alternates;
    and, for every field where an outlet's note and the note used for that date both give a value and they differ
    beyond rounding, a conflict row with both values and both URLs. A conflict is published, never dropped; the
    value used is the primary's (or the preferred outlet's on a filled date)."""
    empty = pd.DataFrame(columns=[*primary.columns, "outlet"])
    if secondary is None or secondary.empty:
        return empty, [], []
    ranked = secondary.assign(_rank=secondary["outlet"].map(rank).fillna(len(rank)))
    ranked = ranked.sort_values(["date", "_rank", "url"]).drop(columns=["_rank"])
    ranked = ranked.assign(publisher=ranked["publisher"].astype(str) + " (UNE note)")
    fill = ranked[~ranked["date"].isin(set(primary["date"]))].drop_duplicates("date", keep="first")
    used = pd.concat([primary, fill], ignore_index=True).set_index("date")
    alternates: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    for row in ranked[~ranked.index.isin(fill.index)].to_dict("records"):
        base = used.loc[row["date"]]
        differing = [f for f in CONFLICT_FIELDS if differs(f, base[f], row[f])]
        alternates.append(
            {
                "date": row["date"],
                "kept_url": base["url"],
                "other_url": row["url"],
                "other_source": "outlet note",
                "reason": f"the same day's note as republished by another outlet ({row['publisher']})",
                "differing_fields": ", ".join(differing),
            }
        )
        for field in differing:
            numeric = field in NUMERIC_FIELDS
            conflicts.append(
                {
                    "date": row["date"],
                    "field": field,
                    "primary_value": _shown(field, base[field]),
                    "primary_url": base["url"],
                    "primary_publisher": base["publisher"],
                    "secondary_value": _shown(field, row[field]),
                    "secondary_url": row["url"],
                    "secondary_publisher": row["publisher"],
                    "difference": float(row[field]) - float(base[field]) if numeric else None,
                }
            )
    return fill, alternates, conflicts


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


def units_frame(daily: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for row in daily.itertuples(index=False):
        for status, text in (("breakdown", row.units_breakdown), ("maintenance", row.units_maintenance)):
            for plant, unit in parse_units_text(text):
                rows.append({"date": row.date, "plant": plant, "unit": unit, "status": status})
    df = pd.DataFrame(rows, columns=["date", "plant", "unit", "status"])
    return df.drop_duplicates(["date", "plant", "unit", "status"])


COLLAPSE_REPORT_LAG_DAYS = 2  # a note reports a collapse the morning after, or the day after that


def collapse_event_dates(curated: pd.Series, flagged: pd.Series) -> set[str]:
    """One date per total collapse: the curated table's dates, and the dates of notes that report a total collapse
    unless a curated one began up to two days before (the note of 5 Dec 2024 reports the fall of 4 Dec: one event,
    not two; fact-check of 6 December 2026)."""
    known = pd.to_datetime(pd.Series(list(curated), dtype="object"))
    out = {str(c) for c in curated}
    for day in flagged:
        lag = (pd.Timestamp(day) - known).dt.days
        if not ((lag >= 0) & (lag <= COLLAPSE_REPORT_LAG_DAYS)).any():
            out.add(str(day))
    return out


def aggregates(daily: pd.DataFrame, collapses: pd.DataFrame) -> pd.DataFrame:
    """Mean, max and min of each daily field by month and by year, plus counts of all-day cuts and collapses."""
    frames = []
    d = daily.copy()
    d["month"] = d["date"].str.slice(0, 7)
    d["year"] = d["date"].str.slice(0, 4)
    # A note's "affected all day" refers to the previous day.
    prev_day = pd.to_datetime(d["date"]) - pd.Timedelta(days=1)
    all_day = d.assign(month=prev_day.dt.strftime("%Y-%m"), year=prev_day.dt.strftime("%Y"))
    all_day = all_day[all_day["prev_day_affected_all_day"] == True]  # pandas boolean with NA: `is True` would not work
    collapse_dates = collapse_event_dates(
        collapses.loc[collapses["scope"] == "total", "date"], d.loc[d["total_grid_collapse"] == True, "date"]
    )
    for period_type, key in (("month", "month"), ("year", "year")):
        grouped = d.groupby(key)
        for measure in AGGREGATED:
            values = pd.to_numeric(d[measure], errors="coerce")
            stats = values.groupby(d[key]).agg(["mean", "max", "min", "count"])
            for period, s in stats.iterrows():
                if s["count"] == 0:
                    continue
                frames.append(
                    {
                        "period_type": period_type,
                        "period": period,
                        "measure": measure,
                        "mean": round(float(s["mean"]), 2),
                        "max": float(s["max"]),
                        "min": float(s["min"]),
                        "days_with_data": int(s["count"]),
                    }
                )
        counts = grouped.size()
        all_day_counts = all_day.groupby(key).size()
        collapse_counts = pd.Series(sorted(collapse_dates)).str.slice(0, 7 if key == "month" else 4).value_counts()
        for period in counts.index:
            for measure, value in (
                ("days_with_report", counts[period]),
                ("days_with_service_cut_all_day", all_day_counts.get(period, 0)),
                ("total_grid_collapses", collapse_counts.get(period, 0)),
            ):
                frames.append(
                    {
                        "period_type": period_type,
                        "period": period,
                        "measure": measure,
                        "mean": None,
                        "max": float(value),
                        "min": None,
                        "days_with_data": int(counts[period]),
                    }
                )
    return pd.DataFrame(frames)


FORECAST_COLUMNS = {  # day D's note: the UNE's forecast for D's evening peak
    "peak_availability_mw": "forecast_peak_availability_mw",
    "peak_demand_mw": "forecast_peak_demand_mw",
    "peak_deficit_mw": "forecast_peak_deficit_mw",
    "peak_affectation_mw": "forecast_peak_cut_mw",
    "source_url": "forecast_source_url",
}
REPORT_COLUMNS = {  # day D+1's note: what happened on D
    "prev_day_max_affectation_mw": "reported_max_cut_mw",
    "prev_day_max_affectation_time": "reported_max_cut_time",
    "source_url": "report_source_url",
}
OUTCOME_COLUMNS = [
    "date",
    "forecast_peak_availability_mw",
    "forecast_peak_demand_mw",
    "forecast_peak_deficit_mw",
    "forecast_peak_cut_mw",
    "reported_max_cut_mw",
    "reported_max_cut_time",
    "error_mw",
    "error_pct",
    "forecast_source_url",
    "report_source_url",
]
MONTHLY_OUTCOME_COLUMNS = [
    "month",
    "days_paired",
    "mean_error_mw",
    "median_error_mw",
    "mean_absolute_error_mw",
    "days_reported_above_forecast",
    "share_of_days_reported_above_forecast_pct",
]


def forecast_outcomes(daily: pd.DataFrame) -> pd.DataFrame:
    """One row per day D with both the cut the UNE forecast for D's evening peak (D's note) and the largest cut of D
    that the next day's note reports (D+1's note); days missing either are absent. error_mw = reported − forecast,
    so a positive error means more load was cut than forecast; error_pct is that error over the forecast (empty
    when the forecast was 0 MW)."""
    forecast = daily.loc[
        pd.to_numeric(daily["peak_affectation_mw"], errors="coerce").notna(), ["date", *FORECAST_COLUMNS]
    ]
    forecast = forecast.rename(columns=FORECAST_COLUMNS, errors="raise")
    # A note's previous-day maximum belongs to the calendar day before the note.
    report = daily.loc[
        pd.to_numeric(daily["prev_day_max_affectation_mw"], errors="coerce").notna(), ["date", *REPORT_COLUMNS]
    ]
    report = report.rename(columns=REPORT_COLUMNS, errors="raise")
    report["date"] = (pd.to_datetime(report["date"]) - pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d")
    pairs = forecast.merge(report, on="date", how="inner", validate="one_to_one")
    for column in ("forecast_peak_availability_mw", "forecast_peak_demand_mw", "forecast_peak_deficit_mw"):
        pairs[column] = pd.to_numeric(pairs[column], errors="coerce")
    forecast_mw = pd.to_numeric(pairs["forecast_peak_cut_mw"]).astype("float64")
    reported_mw = pd.to_numeric(pairs["reported_max_cut_mw"]).astype("float64")
    pairs["forecast_peak_cut_mw"], pairs["reported_max_cut_mw"] = forecast_mw, reported_mw
    pairs["error_mw"] = (reported_mw - forecast_mw).round(1)
    pairs["error_pct"] = (100 * pairs["error_mw"] / forecast_mw.where(forecast_mw > 0)).round(1)
    return pairs.reindex(columns=OUTCOME_COLUMNS).sort_values("date").reset_index(drop=True)


def forecast_outcomes_monthly(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per calendar month of the forecast day: days paired, mean error (the bias), median error, mean absolute
    error (MW), and how many and what share of days the reported maximum cut exceeded the forecast."""
    if pairs.empty:
        return pd.DataFrame(columns=MONTHLY_OUTCOME_COLUMNS)
    error = pairs["error_mw"].astype("float64")
    grouped = error.groupby(pairs["date"].str.slice(0, 7))
    monthly = pd.DataFrame(
        {
            "days_paired": grouped.size(),
            "mean_error_mw": grouped.mean().round(1),
            "median_error_mw": grouped.median().round(1),
            "mean_absolute_error_mw": error.abs().groupby(pairs["date"].str.slice(0, 7)).mean().round(1),
            "days_reported_above_forecast": (error > 0).groupby(pairs["date"].str.slice(0, 7)).sum(),
        }
    )
    monthly["share_of_days_reported_above_forecast_pct"] = (
        100 * monthly["days_reported_above_forecast"] / monthly["days_paired"]
    ).round(1)
    return monthly.rename_axis("month").reset_index().reindex(columns=MONTHLY_OUTCOME_COLUMNS)


GAP_COLUMNS = ["date", "gap_start", "gap_end", "gap_days", "grid_collapse_reported"]


def note_gaps(daily: pd.DataFrame, collapse_dates: set[str]) -> pd.DataFrame:
    """One row per date between the first and last day of the series with nothing published for it (no note and no
    press point), with the run of missing days it belongs to, so a gap is drawn as a gap and counted, never
    interpolated. A collapse on that date (curated grid_collapses) is flagged: notes often stop then."""
    if daily.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    present = pd.DatetimeIndex(pd.to_datetime(daily["date"]).unique()).sort_values()
    missing = pd.date_range(present[0], present[-1], freq="D").difference(present)
    if missing.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    run = (missing.to_series().diff() != pd.Timedelta(days=1)).cumsum()
    bounds = missing.to_series().groupby(run).agg(["min", "max", "size"])
    out = pd.DataFrame({"date": missing, "run": run.to_numpy()}).join(bounds, on="run")
    out = out.rename(columns={"min": "gap_start", "max": "gap_end", "size": "gap_days"})
    for column in ("date", "gap_start", "gap_end"):
        out[column] = out[column].dt.strftime("%Y-%m-%d")
    out["grid_collapse_reported"] = out["date"].isin(collapse_dates)
    return out.reindex(columns=GAP_COLUMNS).reset_index(drop=True)


def derive(ctx: DeriveContext) -> dict[str, pd.DataFrame]:
    notes = pd.concat(
        [ctx.inputs[n] for n in ("une_notes_archive", "une_notes_cubadebate") if n in ctx.inputs], ignore_index=True
    )
    chosen, alternates = choose_notes(notes)
    chosen = chosen.assign(publisher=PRIMARY_PUBLISHER)
    # Other outlets' copies of the note: they fill the dates Cubadebate misses; where both give a figure and differ,
    # the primary's is used and both are published in une_source_conflicts.
    filled, outlet_alternates, conflicts = merge_outlet_notes(
        chosen, ctx.inputs.get("une_notes_outlets"), outlet_rank()
    )
    used = pd.concat([chosen, filled], ignore_index=True) if len(filled) else chosen
    note_rows = used.assign(source_kind="note", source_url=used["url"])
    press, press_alternates = press_rows(ctx.inputs["une_press_points"], set(used["date"]))
    press = press.rename(columns={"url": "source_url"})
    press = press.assign(
        source_kind="press point",
        units_breakdown=None,
        units_maintenance=None,
        total_grid_collapse=None,
        prev_day_affected_all_day=None,
        distributed_generation_out_mw=None,
    )
    columns = [
        "date",
        "source_kind",
        "source_url",
        "publisher",
        *DAILY_VALUE_FIELDS,
        "units_breakdown",
        "units_maintenance",
    ]
    press_units = press.set_index("date")["thermal_units_out_of_service"] if len(press) else pd.Series(dtype=float)
    daily = pd.concat([note_rows.reindex(columns=columns), press.reindex(columns=columns)], ignore_index=True)
    daily = daily.sort_values("date").reset_index(drop=True)
    daily, rejected = reject_implausible(daily)
    daily, inconsistent = reject_inconsistent(daily)
    rejected += inconsistent
    # Previous-day actual maximum, as reported by the next day's note, for the high estimate.
    next_day = (pd.to_datetime(daily["date"]) - pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d")
    actual = pd.Series(daily["prev_day_max_affectation_mw"].to_numpy(), index=next_day)
    actual = actual[~actual.index.duplicated()]
    daily["prev_day_max_affectation_mw_next"] = daily["date"].map(actual)
    for field in MW_FIELDS:
        daily[field] = pd.to_numeric(daily[field], errors="coerce")
    daily["peak_share_of_demand_cut_pct"] = (100 * _share(daily["peak_affectation_mw"], daily["peak_demand_mw"])).round(
        1
    )
    daily = estimate_outage_hours(daily).drop(columns=["prev_day_max_affectation_mw_next"])
    units = units_frame(daily)
    counted = units.drop_duplicates(["date", "plant", "unit"]).groupby("date").size()
    daily["thermal_units_out_of_service"] = daily["date"].map(counted)
    no_units = daily["units_breakdown"].isna() & daily["units_maintenance"].isna()
    daily.loc[no_units, "thermal_units_out_of_service"] = daily.loc[no_units, "date"].map(press_units).astype("float64")
    collapses = ctx.inputs["grid_collapses"]
    total = set(collapses.loc[collapses["scope"] == "total", "date"])
    daily["grid_collapse_reported"] = daily["date"].isin(total)
    # The UNE's evening forecast against the outcome its next note reports (after implausible values are dropped).
    outcomes = forecast_outcomes(daily)
    return {
        "une_daily": daily,
        "une_unit_outages": units,
        "une_aggregates": aggregates(daily, collapses),
        "une_alternates": pd.DataFrame(
            alternates + outlet_alternates + press_alternates,
            columns=["date", "kept_url", "other_url", "other_source", "reason", "differing_fields"],
        ),
        "une_rejected_values": pd.DataFrame(rejected, columns=["date", "url", "field", "value", "reason"]),
        "une_forecast_outcomes": outcomes,
        "une_forecast_outcomes_monthly": forecast_outcomes_monthly(outcomes),
        "une_note_gaps": note_gaps(daily, total),
        "une_source_conflicts": pd.DataFrame(conflicts, columns=CONFLICT_COLUMNS),
        "une_outage_hours_assumptions": outage_hours_assumptions(),
    }


def check(tables: dict[str, pd.DataFrame]) -> list[str]:
    daily = tables["une_daily"]
    problems = []
    if daily["date"].duplicated().any():
        problems.append("une_daily: more than one record for a date")
    inverted = daily[
        (daily["estimated_outage_hours_per_day_low"] > daily["estimated_outage_hours_per_day_high"] + 0.05)
    ]
    if len(inverted):
        problems.append(
            f"une_daily: low estimate above high on {len(inverted)} day(s), e.g. {inverted['date'].iloc[0]}"
        )
    central = daily["estimated_outage_hours_per_day_central"]
    outside = daily[
        (central < daily["estimated_outage_hours_per_day_low"] - 0.05)
        | (central > daily["estimated_outage_hours_per_day_high"] + 0.05)
    ]
    if len(outside):
        problems.append(
            f"une_daily: central estimate outside its band on {len(outside)} day(s), e.g. {outside['date'].iloc[0]}"
        )
    assumptions = tables.get("une_outage_hours_assumptions")
    if assumptions is not None:
        problems += assumption_problems(assumptions)
    conflicts = tables.get("une_source_conflicts")
    if conflicts is not None and len(conflicts):
        # Each conflict names the note une_daily uses for its date, so a reader can open both articles.
        used = set(zip(daily["date"].astype(str), daily["source_url"], strict=True))
        orphans = conflicts[
            [(str(d), u) not in used for d, u in zip(conflicts["date"], conflicts["primary_url"], strict=True)]
        ]
        if len(orphans):
            problems.append(f"une_source_conflicts: primary_url is not une_daily's source on {orphans['date'].iloc[0]}")
    outcomes = tables.get("une_forecast_outcomes")
    if outcomes is not None and len(outcomes):
        recomputed = outcomes["reported_max_cut_mw"] - outcomes["forecast_peak_cut_mw"]
        off = outcomes[(outcomes["error_mw"] - recomputed).abs() > 0.05]
        if len(off):
            problems.append(f"une_forecast_outcomes: error_mw is not reported − forecast on {off['date'].iloc[0]}")
        monthly = tables.get("une_forecast_outcomes_monthly")
        if monthly is not None and int(monthly["days_paired"].sum()) != len(outcomes):
            problems.append("une_forecast_outcomes_monthly: days_paired do not add up to the daily pairs")
    return problems


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

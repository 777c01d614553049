"""What the UNE daily series refuses to publish: values no grid of Cuba's size can have, and values that contradict
the other figures of the same note (a misreading). Each refused value is kept with its reason
(``une_rejected_values``), so nothing is dropped silently. Also the value fields of a daily record these checks run over.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

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

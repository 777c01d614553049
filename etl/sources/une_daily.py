"""The daily series of Cuba's grid: one record per date from the UNE notes (a Cubadebate note first; other outlets'
copies of the note, `une_notes_outlets`, fill the dates Cubadebate misses, their disagreements published in
`une_source_conflicts`; cited press points fill dates no note covers), plus derived measures — share of demand cut at
the peak and an *estimate* of hours without power per customer, its band spanning the stated assumptions published
in `une_outage_hours_assumptions` — monthly/yearly aggregates, and the UNE's evening
forecasts held against the outcome its next note reports (`une_forecast_outcomes`, by day and by month).
Methodology: dashboard/content/methodology.en.md.

This module holds the source's hooks only (its inputs, `derive`, which runs the steps in order, and `check`); the
steps are pure transforms in `etl/une/daily/`: `note_choice` (one note per date, alternates, conflicts),
`plausibility` (refused values), `outage_hours` (the estimate and its assumptions) and `tables` (aggregates,
forecast outcomes, gaps, unit outages)."""

from __future__ import annotations

import pandas as pd

from etl.sources.base import DeriveContext
from etl.sources.une_outlets import outlet_rank
from etl.une.daily.note_choice import CONFLICT_COLUMNS, PRIMARY_PUBLISHER, choose_notes, merge_outlet_notes, press_rows
from etl.une.daily.outage_hours import _share, assumption_problems, estimate_outage_hours, outage_hours_assumptions
from etl.une.daily.plausibility import DAILY_VALUE_FIELDS, MW_FIELDS, reject_implausible, reject_inconsistent
from etl.une.daily.tables import aggregates, forecast_outcomes, forecast_outcomes_monthly, note_gaps, units_frame

INPUTS = ("une_notes_archive", "une_notes_cubadebate", "une_notes_outlets", "une_press_points", "grid_collapses")
# The live tables may be absent (an offline refresh from the mirror, a first run): the archive alone builds the series.
OPTIONAL_INPUTS = ("une_notes_cubadebate", "une_notes_outlets")


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

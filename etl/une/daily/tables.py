"""The tables derived from the UNE daily series once it is built: unit outages, monthly and yearly aggregates (with
the total collapses counted once per event), the evening forecasts against the outcome the next note reports, and
the dates with nothing published. Pure functions of the daily table.
"""

from __future__ import annotations

import pandas as pd

from etl.une.notes import parse_units_text

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

"""Aggregates of the daily grid series that the /blackouts charts draw: the 30-day mean share of demand cut,
weekly means (what a chart over more than 13 months draws), monthly means of the outage-hours estimate, and Havana's
block estimates by year. Computed once here and published, so a chart, its CSV and any reader of the data package
see the same numbers, and the dashboard only selects rows."""

from __future__ import annotations

import pandas as pd

from etl.sources.base import DeriveContext

INPUTS = ("une_daily", "havana_block_outages")
OPTIONAL_INPUTS = ("havana_block_outages",)  # the daily aggregates stand without Havana's table

ROLLING_DAYS = 30
SHARE = "peak_share_of_demand_cut_pct"
# Daily columns averaged per week, as named in une_daily (the actual maximum cut is put on the day it happened).
WEEKLY_COLUMNS = (
    "peak_availability_mw",
    "peak_demand_mw",
    "peak_affectation_mw",
    "actual_max_affectation_mw",
    SHARE,
    "rolling_30_day_mean_pct",
    "thermal_units_out_of_service",
)
HAVANA_COLUMNS = [
    "year",
    "block",
    "outage_hours_per_day",
    "first_message_date",
    "last_message_date",
    "days_covered",
    "usable",
]
MIN_DAYS_PER_MONTH = 5  # a monthly mean of fewer days' estimates is not drawn
OUTAGE_HOURS = tuple(f"estimated_outage_hours_per_day_{b}" for b in ("low", "central", "high"))


def derive(ctx: DeriveContext) -> dict[str, pd.DataFrame]:
    daily = ctx.inputs["une_daily"]
    rolling = rolling_share(daily)
    out = {
        "une_share_rolling": rolling,
        "une_weekly": weekly_means(daily, rolling),
        "une_outage_hours_monthly": outage_hours_monthly(daily),
    }
    havana = ctx.inputs.get("havana_block_outages", pd.DataFrame(columns=HAVANA_COLUMNS))
    out["havana_outages_yearly"] = havana_by_year(havana)  # empty until Havana's table is published
    return out


def _dated(daily: pd.DataFrame) -> pd.DataFrame:
    return daily.assign(date=pd.to_datetime(daily["date"])).sort_values("date")


def rolling_share(daily: pd.DataFrame) -> pd.DataFrame:
    """Each day's share of peak demand cut with the mean over the 30 calendar days to it (the days with a figure):
    the same for a day whatever period a reader views, since the days before a view count too."""
    days = _dated(daily).dropna(subset=[SHARE])
    share = days.set_index("date")[SHARE].astype("float64")
    rolled = share.rolling(f"{ROLLING_DAYS}D").mean()
    return pd.DataFrame(
        {
            "date": share.index.date,
            SHARE: share.to_numpy(),
            "rolling_30_day_mean_pct": rolled.round(2).to_numpy(),
            "days_in_window": share.rolling(f"{ROLLING_DAYS}D").count().astype("int64").to_numpy(),
        }
    )


def weekly_means(daily: pd.DataFrame, rolling: pd.DataFrame) -> pd.DataFrame:
    """Mean of each charted column per calendar week, Monday to Sunday, labelled by its Monday; weeks with no value
    are left out. Availability and demand are averaged over the days that give both, so the weekly gap between
    them is a gap between like days. The actual maximum cut (reported the next morning) counts on the day it
    happened."""
    days = _dated(daily)
    both = days[["peak_availability_mw", "peak_demand_mw"]].notna().all(axis=1)
    columns = pd.DataFrame(index=days["date"])
    columns["peak_availability_mw"] = days["peak_availability_mw"].where(both).to_numpy("float64", na_value=None)
    columns["peak_demand_mw"] = days["peak_demand_mw"].where(both).to_numpy("float64", na_value=None)
    columns["peak_affectation_mw"] = days["peak_affectation_mw"].to_numpy("float64", na_value=None)
    columns[SHARE] = days[SHARE].to_numpy("float64", na_value=None)
    columns["thermal_units_out_of_service"] = days["thermal_units_out_of_service"].to_numpy("float64", na_value=None)
    actual = days.dropna(subset=["prev_day_max_affectation_mw"])
    actual = pd.Series(
        actual["prev_day_max_affectation_mw"].astype("float64").to_numpy(),
        index=actual["date"] - pd.Timedelta(days=1),
        name="actual_max_affectation_mw",
    )
    rolled = pd.Series(
        rolling["rolling_30_day_mean_pct"].to_numpy(), index=pd.to_datetime(rolling["date"]), name="rolling"
    )
    columns = columns.join(actual, how="outer").join(rolled.rename("rolling_30_day_mean_pct"), how="outer")
    notes = pd.Series(1, index=days["date"], name="days_with_note")
    weekly = columns.resample("W-MON", label="left", closed="left").mean()
    weekly["days_with_note"] = notes.resample("W-MON", label="left", closed="left").sum()
    weekly = weekly.dropna(how="all", subset=list(WEEKLY_COLUMNS))
    weekly = weekly[list(WEEKLY_COLUMNS)].round(2).assign(days_with_note=weekly["days_with_note"].fillna(0))
    weekly = weekly.astype({"days_with_note": "int64"}).reset_index(names="week_start")
    weekly["week_start"] = weekly["week_start"].dt.date
    return weekly


def outage_hours_monthly(daily: pd.DataFrame) -> pd.DataFrame:
    """Monthly means of the daily outage-hours estimate (low, central, high), all three over the same days: those
    with a central estimate, so a month's central value lies inside its band (averaging each over the days it
    has put March 2024's central, 2 days, below its band, 28 days). A month with fewer than MIN_DAYS_PER_MONTH such
    days is left out, as are months without any."""
    days = _dated(daily).set_index("date")
    values = days[list(OUTAGE_HOURS)].astype("float64").dropna()
    monthly = values.resample("MS").mean().round(1)
    monthly["days_with_estimate"] = values.iloc[:, 0].resample("MS").count().astype("int64")
    monthly = monthly[monthly["days_with_estimate"] >= MIN_DAYS_PER_MONTH].reset_index(names="month_start")
    monthly["month_start"] = monthly["month_start"].dt.date
    return monthly


def havana_by_year(havana: pd.DataFrame) -> pd.DataFrame:
    """The mean of the usable block estimates per year, with the period the messages cover (first to last message):
    a figure for that period, to be drawn across it, never as a mid-year point."""
    usable = havana[havana["usable"].astype("boolean").fillna(False)]
    per_year = (
        usable.groupby("year")
        .agg(
            outage_hours_per_day=("outage_hours_per_day", "mean"),
            blocks=("block", "nunique"),
            first_message_date=("first_message_date", "min"),
            last_message_date=("last_message_date", "max"),
            days_covered=("days_covered", "max"),
        )
        .reset_index()
    )
    per_year["outage_hours_per_day"] = per_year["outage_hours_per_day"].round(2)
    for column in ("first_message_date", "last_message_date"):
        per_year[column] = pd.to_datetime(per_year[column]).dt.date
    return per_year

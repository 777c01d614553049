"""Check the estimated hours without power (une_daily) against what is reported: Havana's blackout blocks (third-
party estimate from the Havana company's Telegram posts) and press figures in cited_figures.csv.

Run: python bench/outage_hours_check.py
Expectation, from reporting: Havana is cut much less than the provinces, so Havana's hours should sit below the
national average estimate; provincial press figures (e.g. "more than 20 hours") should sit near or above the
estimate's high end on the worst days.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[1] / "data"


def main() -> int:
    daily = pd.read_csv(DATA / "une_daily.csv", parse_dates=["date"])
    havana = pd.read_csv(DATA / "havana_block_outages.csv")
    cited = pd.read_csv(DATA / "cited_figures.csv", parse_dates=["figure_date"])
    cols = [
        "estimated_outage_hours_per_day_low",
        "estimated_outage_hours_per_day_central",
        "estimated_outage_hours_per_day_high",
    ]
    print("Havana blocks (third party) vs the national estimate, hours per day")
    print(f"{'period':<22} {'Havana blocks':>16} {'national low':>13} {'central':>8} {'high':>6}")
    for _year, part in havana[havana["usable"]].groupby("year"):
        first, last = part["first_message_date"].iloc[0], part["last_message_date"].iloc[0]
        window = daily[(daily["date"] >= first) & (daily["date"] <= last)][cols].mean()
        low, high = part["outage_hours_per_day"].min(), part["outage_hours_per_day"].max()
        print(
            f"{first}..{last[5:]:<10} {low:6.1f}–{high:<6.1f}   {window.iloc[0]:12.1f} {window.iloc[1]:8.1f} "
            f"{window.iloc[2]:6.1f}"
        )
    hours = cited[cited["topic"] == "blackout_hours"]
    if len(hours):
        print("\nPress figures (cited_figures.csv, topic blackout_hours) vs the estimate that day or month")
        for row in hours.itertuples(index=False):
            month = daily[daily["date"].dt.to_period("M") == row.figure_date.to_period("M")][cols]
            est = month.mean() if len(month) else pd.Series([float("nan")] * 3)
            worst = month[cols[2]].max() if len(month) else float("nan")
            print(
                f"{row.figure_date.date()} {row.value:6.1f} {row.unit:<6} {row.publisher[:40]:<40} "
                f"month estimate {est.iloc[1]:4.1f} (high {est.iloc[2]:4.1f}, worst day high {worst:4.1f})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

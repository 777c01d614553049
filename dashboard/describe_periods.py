"""Values, dates and periods as a chart's description writes them (`dashboard/describe.py`): a quantity with its
unit, a point's date at the table's resolution, a short day, the drawn period's bounds, and each row's time span. The
paragraph's wording and these formats change for different reasons, so they live apart."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard.i18n import MONTHS_SHORT, fmt_date, fmt_num, t
from etl.month_names import MONTHS

ISO_DAY = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
ISO_MONTH = re.compile(r"\A[0-9]{4}-[0-9]{2}\Z")
YEAR = re.compile(r"\A[0-9]{4}\Z")
DAY_ES = re.compile(r"\A[0-9]{1,2}(–[0-9]{1,2})? de ")


def quantity(value: float, unit: str, lang: str, decimals: int | None = None) -> str:
    number = float(value)
    if decimals is None:
        decimals = 0 if number.is_integer() or abs(number) >= 100 else (1 if abs(number) >= 1 else 2)
    text = fmt_num(number, lang, decimals)
    if number == 1 and unit == t("describe_unit_units", lang):  # "1 unit", not "1 units"
        unit = t("describe_unit_one_unit", lang)
    return f"{text}%" if unit == "%" else f"{text} {unit}".strip()


def when(start: pd.Timestamp, end: pd.Timestamp, resolution: str, lang: str) -> str:
    """A point's date as the table gives it: a year, a month, a day, or the period a figure covers."""
    if resolution == "year":
        return str(start.year)
    if resolution == "month":
        return fmt_date(start.strftime("%Y-%m"), lang)
    if resolution == "day" or start == end:
        return fmt_date(start.strftime("%Y-%m-%d"), lang)
    whole_months = start.day == 1 and end.normalize() == (end + pd.offsets.MonthEnd(0)).normalize()
    if whole_months and start.month == 1 and end.month == 12:
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if whole_months and start.year == end.year:  # March 2026; July–December 2023 / julio–diciembre de 2023
        last = fmt_date(end.strftime("%Y-%m"), lang)
        return last if start.month == end.month else f"{MONTHS[lang][start.month - 1]}–{last}"
    if start.year == end.year and start.month == end.month:  # 8–23 March 2026 / 8–23 de marzo de 2026
        return f"{start.day}–{fmt_date(end.strftime('%Y-%m-%d'), lang)}"
    return f"{fmt_date(start.strftime('%Y-%m-%d'), lang)}–{fmt_date(end.strftime('%Y-%m-%d'), lang)}"


def short_date(text: str, lang: str) -> str:
    """'30 December 2022' → '30 Dec 2022', '30 de diciembre de 2022' → '30 dic 2022' (a day's date only)."""
    for month, short in zip(MONTHS[lang], MONTHS_SHORT[lang], strict=True):
        long = t("describe_month_in_day_date", lang, month=month)
        if re.match(r"\A[0-9]{1,2}" + long, text):
            return text.replace(long, f" {short} ", 1)
    return text


def bound(moment: pd.Timestamp, resolution: str, lang: str, first: bool) -> str:
    """One end of the drawn period: a period table's bound is a year when its figure starts (ends) with one."""
    if resolution == "period":
        whole_year = (moment.month, moment.day) == ((1, 1) if first else (12, 31))
        resolution = "year" if whole_year else "day"
    return when(moment, moment, resolution, lang)


def timeline(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series, str] | None:
    """Each row's start and end as timestamps and the table's time resolution, or None for a chart without time."""
    if "date" in frame:
        when = pd.to_datetime(frame["date"], errors="coerce", format="ISO8601")
        return when, when, "day"
    if "month" in frame:
        when = pd.to_datetime(frame["month"].astype("string").str[:7] + "-01", errors="coerce", format="ISO8601")
        return when, when, "month"
    if "period_start" in frame and "period_end" in frame:
        return (
            pd.to_datetime(frame["period_start"], format="ISO8601"),
            pd.to_datetime(frame["period_end"], format="ISO8601"),
            "period",
        )
    if "year" in frame and pd.api.types.is_numeric_dtype(frame["year"]):
        year = pd.to_numeric(frame["year"], errors="coerce")
        when = pd.to_datetime(year.astype("Int64").astype("string") + "-01-01", errors="coerce")
        return when, when, "year"
    return None


def period(first: pd.Timestamp, last: pd.Timestamp, resolution: str, lang: str) -> str:
    a, b = bound(first, resolution, lang, True), bound(last, resolution, lang, False)
    if a == b:
        return a
    # Spanish contracts before a day ("del 1 de junio de 2023 al 27 de febrero de 2026", "de 2003 al 30 de enero…"):
    # the catalogue has the four forms, English the same words in each.
    ends = "day" if DAY_ES.match(a) else "other", "day" if DAY_ES.match(b) else "other"
    return t(f"describe_period_{ends[0]}_{ends[1]}", lang, a=a, b=b)


def moments(values: pd.Series | np.ndarray) -> np.ndarray:
    """Timestamps as a plain datetime64 array (what `_trend` sorts and indexes)."""
    return np.asarray(values, dtype="datetime64[ns]")


def claim_period(value: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """A claim row's period ('2023', '2025-01-01', '2025-01-01/2025-10-31') as its first and last day."""
    text = str(value or "").strip()
    first, _, last = text.partition("/")
    last = last or first
    try:
        a = pd.Timestamp(f"{first}-01-01" if YEAR.match(first) else first)
        b = pd.Timestamp(f"{last}-12-31" if YEAR.match(last) else last)
    except ValueError:
        return None
    return None if pd.isna(a) or pd.isna(b) else (a, b)

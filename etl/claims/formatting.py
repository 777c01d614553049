"""Numbers, units, dates and periods as a reporter writes them, in English and Spanish: the pieces every generated
sentence of the claims engine is built from."""

from __future__ import annotations

import calendar
import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from etl.claims.catalogue import has, number_marks, say
from etl.claims.values import ISO_DATE, ISO_MONTH, ISO_YEAR, parse_date, to_number
from etl.month_names import MONTHS


def unit_words(unit: str | None, lang: str) -> str | None:
    """The words after a number in `unit` ('%', ' bbl/d', ' barriles diarios'); None for a unit the catalogue lacks."""
    key = f"unit.{unit or ''}"
    return say(key, lang) if has(key) else None


def fmt_number(value: float, lang: str, decimals: int | None = None) -> str:
    """1234.5 → '1,234.5' (en) / '1.234,5' (es); precision follows magnitude (none from 10,000), trailing zeros
    dropped, so that a conclusion shows what the data say without spurious digits."""
    value = float(value)
    if decimals is None:
        decimals = 0 if value.is_integer() or abs(value) >= 10_000 else (1 if abs(value) >= 10 else 2)
    text = f"{value:,.{decimals}f}"
    if "." in text and decimals and decimals > 0:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0.0"):
        text = "0"
    return number_marks(text, lang)


def fmt_reporter(value: Any, unit: str | None, lang: str) -> str:
    """A number as a reporter writes it: 1,810,663 → '1.81 million', 27,437 → '27,400', 82.5 % → '83%',
    15.83 hours → '15.8 hours' (halves round up); the exact figure stays in the data and the table."""
    number = to_number(value)
    if number is None:
        return fmt_value(value, unit, lang)
    magnitude = abs(number)
    if unit in ("pct", "percent"):
        return fmt_value(_half_up(number, 0 if magnitude >= 10 else 1), unit, lang)
    if _half_up(magnitude, -3 if magnitude >= 10_000 else 0) >= 1_000_000:
        millions = fmt_number(_significant(number / 1e6, 3), lang)
        words = unit_words(unit, lang)
        suffix = words if words is not None else (f" {unit}" if unit else "")
        word = say("number.million_one" if millions == "1" else "number.million_many", lang)
        template = "number.millions_of" if suffix.strip() and not suffix.strip().startswith("%") else "number.millions"
        return say(template, lang, number=millions, word=word, unit=suffix)
    if magnitude >= 10_000:
        return fmt_value(_significant(number, 3), unit, lang)
    if magnitude >= 100 or float(number).is_integer():
        return fmt_value(_half_up(number, 0), unit, lang)
    return fmt_value(_half_up(number, 1), unit, lang)


def _half_up(number: float, digits: int) -> float:
    """Round half away from zero, as people do (Python's round() goes to even: 82.5 → 82)."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(number)).quantize(quantum, rounding=ROUND_HALF_UP))


def _significant(number: float, figures: int) -> float:
    if number == 0:
        return 0.0
    exponent = math.floor(math.log10(abs(number)))
    return _half_up(number, figures - 1 - exponent)


def fmt_value(value: Any, unit: str | None, lang: str, decimals: int | None = None) -> str:
    """A number with its unit words ('27,400 bbl/d', '1.214 personas'); a date-like value as a date, else as is."""
    number = to_number(value)
    if number is None:
        return fmt_date(str(value), lang) if parse_date(str(value)) else str(value)
    suffix = unit_words(unit, lang)
    if suffix is None:
        suffix = f" {(unit or '').replace('_per_', '/').replace('_', ' ')}".rstrip()
    if unit == "years" and abs(number) == 1:
        suffix = say("unit_one.years", lang)
    return fmt_number(number, lang, decimals) + suffix


def fmt_date(text: str, lang: str) -> str:
    """'2026-02-13' → '13 February 2026' / '13 de febrero de 2026'; '2026-02' → 'February 2026'; '2026' as is."""
    text = text.strip()
    if ISO_YEAR.fullmatch(text):
        return text
    if ISO_MONTH.fullmatch(text):
        return say("date.month", lang, month=MONTHS[lang][int(text[5:7]) - 1], year=text[:4])
    if ISO_DATE.fullmatch(text):
        d = date.fromisoformat(text)
        return say("date.day", lang, day=d.day, month=MONTHS[lang][d.month - 1], year=d.year)
    return text


def period_name(period: str, lang: str) -> str:
    """'2025-01-01/2025-10-31' → 'January–October 2025'; '2026-02' → 'February 2026'; a day as a date (and Spanish)."""
    period = str(period or "").strip()
    if "/" in period:
        lo, hi = _simplify_span(*(p.strip() for p in period.split("/", 1)))
        if hi is None:
            return fmt_date(lo, lang)
        if ISO_MONTH.fullmatch(lo) and ISO_MONTH.fullmatch(hi) and lo[:4] == hi[:4]:
            first, last = MONTHS[lang][int(lo[5:]) - 1], MONTHS[lang][int(hi[5:]) - 1]
            return say("period.months", lang, first=first, last=last, year=lo[:4])
        return f"{fmt_date(lo, lang)} – {fmt_date(hi, lang)}"
    return fmt_date(period, lang)


def period_phrase(period: str, lang: str) -> str:
    """A period as a phrase: 'in 2024', 'in February 2026', 'on 13 February 2026', 'from X to Y' (and Spanish)."""
    period = str(period or "").strip()
    if not period:
        return ""
    if "/" in period:
        lo, hi = (p.strip() for p in period.split("/", 1))
        lo, hi = _simplify_span(lo, hi)
        if hi is None:
            return period_phrase(lo, lang)
        key = f"phrase.from_{_day_or_period(lo)}_to_{_day_or_period(hi)}"
        return say(key, lang, start=fmt_date(lo, lang), end=fmt_date(hi, lang))
    if ISO_DATE.fullmatch(period):
        return say("phrase.on_day", lang, date=fmt_date(period, lang))
    if ISO_YEAR.fullmatch(period) or ISO_MONTH.fullmatch(period):
        return say("phrase.in", lang, date=fmt_date(period, lang))
    return say("phrase.for", lang, period=period)


def _day_or_period(text: str) -> str:
    """Whether a span's end is one day: Spanish says 'del 3 de enero' but 'de enero' (catalogue keys phrase.from_*)."""
    return "day" if ISO_DATE.fullmatch(text) else "period"


def _simplify_span(lo: str, hi: str) -> tuple[str, str | None]:
    """Whole years and months read as such: 2025-01-01/2025-12-31 → 2025; 2025-01-01/2025-10-31 → 2025-01/2025-10."""
    if not (ISO_DATE.fullmatch(lo) and ISO_DATE.fullmatch(hi)):
        return lo, (None if lo == hi else hi)
    start, end = date.fromisoformat(lo), date.fromisoformat(hi)
    month_end = end.day == calendar.monthrange(end.year, end.month)[1]
    if start.day != 1 or not month_end:
        return lo, (None if lo == hi else hi)
    if start.month == 1 and end.month == 12:
        return (str(start.year), None) if start.year == end.year else (str(start.year), str(end.year))
    lo_m, hi_m = lo[:7], hi[:7]
    return (lo_m, None) if lo_m == hi_m else (lo_m, hi_m)


def refers_to(period: str, lang: str) -> str:
    """The object of 'the claim refers to …' / 'la afirmación se refiere …' (Spanish carries its preposition)."""
    period = period.strip()
    if "/" in period:
        lo, hi = _simplify_span(*(p.strip() for p in period.split("/", 1)))
        if hi is not None:
            span = f"{fmt_date(lo, lang)} – {fmt_date(hi, lang)}"
            if ISO_YEAR.fullmatch(lo) and ISO_YEAR.fullmatch(hi):
                span = f"{lo}–{hi}"
            return say("refers.span", lang, span=span)
        period = lo
    return say(f"refers.{_day_or_period(period)}", lang, date=fmt_date(period, lang))


def sentence(text: str) -> str:
    """Spaces collapsed and a full stop added if missing: every published conclusion ends as a sentence."""
    text = " ".join(text.split())
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def capital(text: str) -> str:
    """First letter upper-cased only (`str.capitalize` would lower the rest: 'CIA', 'UNE')."""
    return text[:1].upper() + text[1:] if text else text

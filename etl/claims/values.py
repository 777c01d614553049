"""Scalars, numbers and ISO dates as the claim files and the published tables hold them: the claims engine compares
and serialises them as text, so every module converts them the same way."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MONTH = re.compile(r"\d{4}-\d{2}")
ISO_YEAR = re.compile(r"\d{4}")


def normalise(obj: Any) -> Any:
    """YAML dates → ISO strings, tuples → lists, numpy scalars → Python: claims are compared and serialised as text."""
    if isinstance(obj, datetime):
        return obj.date().isoformat()
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, Mapping):
        return {str(k): normalise(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [normalise(v) for v in obj]
    return plain(obj)


def plain(value: Any) -> Any:
    """numpy/pandas scalars → Python; NA/NaN → None (JSON has no NaN)."""
    if value is None:
        return None
    if isinstance(value, bool | str | int):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isinf(value):
        return None
    return value


def jsonable(obj: Any) -> Any:
    """A result ready for JSON: floats rounded to 10 places (whole ones as int) so the bytes do not vary."""
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set):
        return [jsonable(v) for v in obj]
    value = normalise(obj)
    if isinstance(value, float):
        value = round(value, 10)
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    return value


def is_number(value: Any) -> bool:
    """A finite int or float, not a bool (YAML reads `yes` as True, which is not a figure)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def to_number(value: Any) -> float | None:
    """A value as a float (numeric text too), or None when it is not a finite number."""
    value = plain(value)
    if is_number(value):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def year_of(text: str) -> int | None:
    """The year a time value starts with ('2025', '2025-03', '2025-03-01/…', '2025.0'), or None."""
    match = re.match(r"(\d{4})(?:$|-|/|\.0$)", text.strip())
    return int(match.group(1)) if match else None


def parse_date(text: str) -> date | None:
    """The first day of 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (the start of 'A/B')."""
    text = text.split("/", 1)[0].strip()
    try:
        if ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
        if ISO_MONTH.fullmatch(text):
            return date(int(text[:4]), int(text[5:7]), 1)
        if ISO_YEAR.fullmatch(text):
            return date(int(text), 1, 1)
    except ValueError:
        return None
    return None


def time_text(value: Any) -> str:
    """A time value as text, a whole-number year without its '.0' (a year column read as float)."""
    value = plain(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)

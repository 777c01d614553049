"""Spanish month ticks for time axes (the blackouts and oil charts): plotly.js writes month names in English unless a
locale module is loaded (and the PNG renderer loads none)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.chart_registry import ChartState, ChartView
from dashboard.data import DataStore
from dashboard.figures.common import Draft
from dashboard.i18n import MONTHS_SHORT

# plotly.js writes month names in English unless a locale module is loaded (and the PNG renderer loads none), so a
# Spanish time axis gets its ticks from here: first days of months, every 1–12 months by the span, written "ene",
# "feb"... with the year after January and after the first tick ("ene 2023", "abr", "jul", "oct", "ene 2024").
MONTH_STEPS = ((7, 1), (14, 2), (26, 3), (40, 6), (120, 12), (240, 24))
PLOTLY_MONTH_LANGS = ("en",)  # languages whose month names plotly.js writes itself


def month_ticks(first: np.datetime64, last: np.datetime64, lang: str) -> dict[str, list]:
    first_month = pd.Timestamp(first).to_period("M")
    last_month = pd.Timestamp(last).to_period("M")
    span = (last_month - first_month).n + 1
    step = next((s for limit, s in MONTH_STEPS if span <= limit), 60)
    if step > 12 or (step == 12 and span > 72):  # ticks a year apart or more: plotly writes years, in any language
        return {}
    start = pd.Timestamp(first).normalize()
    months = [
        m
        for m in pd.period_range(first_month, last_month, freq="M")
        if (m.month - 1 + 12 * m.year) % step == 0 and m.start_time >= start
    ]
    names = MONTHS_SHORT[lang]
    vals, text = [], []
    for i, m in enumerate(months):
        vals.append(m.start_time.strftime("%Y-%m-%d"))
        if step == 12:  # every tick a January: the year alone ("2023 2024 …", as the phone images write it)
            text.append(str(m.year))
        else:  # as plotly writes English ticks: "ene 2023", then "abr", "jul"... until the next January
            text.append(f"{names[m.month - 1]} {m.year}" if (i == 0 or m.month == 1) else names[m.month - 1])
    return {"tickvals": vals, "ticktext": text}


def _x_dates(draft: Draft) -> np.ndarray:
    out = []
    for item in draft.data:
        xs = item.get("x")
        if xs is None or item.get("xaxis") not in (None, "x"):
            continue
        try:
            arr = pd.to_datetime(pd.Series(np.asarray(xs, dtype=object).ravel()), errors="coerce").dropna()
        except (TypeError, ValueError):
            continue
        out.append(arr.to_numpy("datetime64[ns]"))
    return np.concatenate(out) if out else np.array([], dtype="datetime64[ns]")


def spanish_months(draft: Draft, lang: str) -> None:
    """Month ticks in Spanish on the date axis of a figure (page, embed and PNG alike); English keeps plotly's."""
    if lang in PLOTLY_MONTH_LANGS or not isinstance(draft, Draft):
        return
    dates = _x_dates(draft)
    if not len(dates):
        return
    ticks = month_ticks(dates.min(), dates.max(), lang)
    if not ticks:
        return
    for key in [k for k in draft.layout if k.startswith("xaxis")]:
        axis = draft.layout[key]
        if axis.get("type", "date") == "date" and axis.get("tickformat") != "%Y":  # years alone need no month names
            axis.update(ticks, tickmode="array")


def with_spanish_months(build):
    def built(store: DataStore, state: ChartState) -> ChartView:
        view = build(store, state)
        spanish_months(view.draft, state.lang)
        return view

    built.__name__ = getattr(build, "__name__", "built")
    return built

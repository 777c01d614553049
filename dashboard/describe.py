"""A chart's text alternative: `describe(view, lang) -> str`, a short paragraph (about 60 words; more when the
publishers' names are long) that says what a built view shows — the measure and unit, the period, the direction from
its first to its last value, the highest and lowest values with their dates, the latest value with its date and the
source — in English or Spanish. Claim charts say how the claim is drawn (its label) and describe the main evidence.

Used wherever a chart travels without being seen: the `alt` of chart images (static cards, embeds' static and
<noscript> images, the embed code's <noscript> image, og:image:alt), the <title>/<desc> of SVGs (render.to_image's
`alt`), the embed's accessible name (no controls) or description, and the "Chart description" under each chart card.
Call it with any `ChartView` (from `charts.build`) and the view's language:

    from dashboard.describe import describe
    alt = describe(charts.build(spec.id, store, state), state.lang)

Pure and deterministic: it only selects values of the view's own table (`view.frame`, "the numbers it shows", the same
rows as the table view and the CSV: daily values where the figure draws weekly averages) and words of its figure
(legend names, the claim's label); it derives no new statistic (no averages, no fitted trend: the direction is the
first value against the last). Cached on the view (`view.derived`)."""

from __future__ import annotations

import html
import math
import re
from typing import Any

import numpy as np
import pandas as pd

from dashboard.chart_registry import ChartView
from dashboard.i18n import DATA_TERMS_ES, MONTHS_SHORT, fmt_date, fmt_num, normalize_lang, source_text, t
from etl.month_names import MONTHS

MAX_SOURCES = 2
MAX_NAMES = 3
ISO_DAY = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
ISO_MONTH = re.compile(r"\A[0-9]{4}-[0-9]{2}\Z")
YEAR = re.compile(r"\A[0-9]{4}\Z")
DAY_ES = re.compile(r"\A[0-9]{1,2}(–[0-9]{1,2})? de ")
WORD_BUDGET = 70  # optional parts (the list of series) are left out of a paragraph longer than this

# Value columns a description reads, most important first: (English label, Spanish label, unit en, unit es). A
# view describes at most two of them (its main measures); the figure's legend names every series drawn.
MEASURES: dict[str, tuple[str, str, str, str]] = {
    "peak_availability_mw": ("Available capacity", "Capacidad disponible", "MW", "MW"),
    "peak_demand_mw": ("Demand", "Demanda", "MW", "MW"),
    "planned_peak_affectation_mw": ("Planned cut at the peak", "Afectación prevista en el pico", "MW", "MW"),
    "actual_max_affectation_mw": ("Actual maximum cut", "Afectación máxima real", "MW", "MW"),
    "peak_share_of_demand_cut_pct": (
        "Share of peak demand planned to be cut",
        "Parte de la demanda pico prevista para cortar",
        "%",
        "%",
    ),
    "estimated_outage_hours_per_day_central": (
        "Central estimate",
        "Estimación central",
        "hours a day",
        "horas al día",
    ),
    "thermal_units_out_of_service": ("Thermal units out", "Unidades térmicas fuera", "units", "unidades"),
    "error_mw": ("Reported maximum cut minus forecast", "Afectación máxima informada menos pronóstico", "MW", "MW"),
    "electricity_generation_twh": ("Total generation", "Generación total", "TWh", "TWh"),
    "oil_electricity_twh": ("Oil", "Petróleo", "TWh", "TWh"),
    "oil_share_of_electricity_pct": ("Share from oil", "Parte del petróleo", "%", "%"),
    "fossil_share_of_electricity_pct": ("Share from fossil fuels", "Parte de los combustibles fósiles", "%", "%"),
    "electricity_demand_twh": ("Electricity demand", "Demanda de electricidad", "TWh", "TWh"),
    "share_of_consumption_pct": (
        "Share of that year's consumption estimate (a different estimate each year)",
        "Parte de la estimación de consumo de ese año (una estimación distinta cada año)",
        "%",
        "%",
    ),
    "value_bbl_per_day": ("Barrels per day", "Barriles diarios", "bbl/d", "b/d"),
    "installed_capacity_mw": ("Installed capacity", "Capacidad instalada", "MW", "MW"),
    "capacity_mw": ("Nameplate capacity", "Capacidad nominal", "MW", "MW"),
}
GROUP_COLUMNS = ("country", "supplier", "source", "measure")
NAME_COLUMNS = ("plant", "name")

WORDS = {
    "en": {
        "rose": "rose from {a} to {b}",
        "fell": "fell from {a} to {b}",
        "flat": "was unchanged from {a} to {b}",
        "same_period": "{values} ({when})",
        "latest": "latest",
        "only": "the only figure",
        "high": "highest",
        "low": "lowest",
        "high_day": "highest daily value",
        "low_day": "lowest daily value",
        "partial": "partial figure",
        "whole": "of the whole-month figures",
        "estimates": "{n} estimates by {k} publishers, from {low} to {high}; latest {latest} ({when}, {source})",
        "no_trend": "{b}",
        "series": "Series",
        "period": "{a} to {b}",
        "period_day": "{a} to {b}",
        "items": "{n} items",
        "largest": "largest",
        "smallest": "smallest",
        "as_of": "as of",
        "claim_drawn": "The claim is drawn as a {how}",
        "line": "dashed line",
        "band": "shaded band",
        "evidence": "Figures drawn",
        "n_figures": "{n} figures",
        "and_more": "and {n} more",
        "drawn_period": "Period drawn",
    },
    "es": {
        "rose": "aumento de {a} a {b}",
        "fell": "descenso de {a} a {b}",
        "flat": "sin cambio de {a} a {b}",
        "same_period": "{values} ({when})",
        "latest": "último dato",
        "only": "única cifra",
        "high": "máximo",
        "low": "mínimo",
        "high_day": "máximo diario",
        "low_day": "mínimo diario",
        "partial": "cifra parcial",
        "whole": "de las cifras de mes completo",
        "estimates": "{n} estimaciones de {k} fuentes, de {low} a {high}; la más reciente, {latest} ({when}, {source})",
        "no_trend": "{b}",
        "series": "Series",
        "period": "{from_} {a} {to} {b}",
        "period_day": "{from_} {a} {to} {b}",
        "items": "{n} elementos",
        "largest": "mayor",
        "smallest": "menor",
        "as_of": "a",
        "claim_drawn": "La afirmación se dibuja como {how}",
        "line": "línea discontinua",
        "band": "banda sombreada",
        "evidence": "Cifras dibujadas",
        "n_figures": "{n} cifras",
        "and_more": "y {n} más",
        "drawn_period": "Periodo representado",
    },
}


class Droppable(str):
    """A part of the paragraph left out when the paragraph would be too long (the list of series)."""


def describe(view: ChartView, lang: str) -> str:
    """What the view shows, in words (about 60, more with long publisher names): measure and unit, period, direction,
    extremes, latest value ("as of") and source. Deterministic per view, so it is built once and kept with the view."""
    lang = normalize_lang(lang)
    return view.derived(f"description:{lang}", lambda: _describe(view, lang))


# -- reading the view -------------------------------------------------------------------------------------------------
def _describe(view: ChartView, lang: str) -> str:
    frame = view.frame
    if {"series", "role", "period", "value", "unit"} <= set(frame.columns):
        body = _claim_body(view, lang)
    else:
        body = _series_body(view, lang)
    parts = [p for p in (*body, _sources(view, lang)) if p]
    while sum(len(p.split()) for p in parts) > WORD_BUDGET and any(isinstance(p, Droppable) for p in parts):
        parts.remove(next(p for p in reversed(parts) if isinstance(p, Droppable)))
    return " ".join(parts)


def _plain(text: str) -> str:
    """Figure text (with <br>, <b>, non-breaking spaces) as plain words."""
    text = re.sub(r"<br\s*/?>", " ", str(text))
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


def _legend_names(view: ChartView) -> list[str]:
    """The names of the series the figure draws, as its legend shows them."""
    names: list[str] = []
    for item in _traces(view):
        name = item.get("name")
        if name and item.get("showlegend") is not False and _plain(name) not in names:
            names.append(_plain(name))
    return names


def _traces(view: ChartView) -> list[dict[str, Any]]:
    draft = view.draft
    data = getattr(draft, "data", [])
    return [d if isinstance(d, dict) else d.to_plotly_json() for d in data]


def _annotations(view: ChartView) -> list[str]:
    draft = view.draft
    layout = draft.layout if isinstance(getattr(draft, "layout", None), dict) else draft.layout.to_plotly_json()
    return [_plain(a.get("text", "")) for a in layout.get("annotations", []) or [] if a.get("text")]


def _shapes(view: ChartView) -> list[dict[str, Any]]:
    draft = view.draft
    layout = draft.layout if isinstance(getattr(draft, "layout", None), dict) else draft.layout.to_plotly_json()
    return list(layout.get("shapes", []) or [])


def _title_line(view: ChartView, period: str, unit: str) -> str:
    title = view.title.rstrip(". ")
    unit_part = f" ({unit})" if unit and unit.split()[0].lower() not in title.lower() else ""
    return f"{title}{unit_part}" + (f", {period}." if period else ".")


# -- values, dates and periods ----------------------------------------------------------------------------------------
def _value(value: float, unit: str, lang: str, decimals: int | None = None) -> str:
    number = float(value)
    if decimals is None:
        decimals = 0 if number.is_integer() or abs(number) >= 100 else (1 if abs(number) >= 1 else 2)
    text = fmt_num(number, lang, decimals)
    if number == 1 and unit in ("units", "unidades"):
        unit = unit[:-1] if lang == "en" else "unidad"
    return f"{text}%" if unit == "%" else f"{text} {unit}".strip()


def _when(start: pd.Timestamp, end: pd.Timestamp, resolution: str, lang: str) -> str:
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


def _short(text: str, lang: str) -> str:
    """'30 December 2022' → '30 Dec 2022', '30 de diciembre de 2022' → '30 dic 2022' (a day's date only)."""
    for month, short in zip(MONTHS[lang], MONTHS_SHORT[lang], strict=True):
        long = f" {month} " if lang == "en" else f" de {month} de "
        if re.match(r"\A[0-9]{1,2}" + long, text):
            return text.replace(long, f" {short} ", 1)
    return text


def _bound(moment: pd.Timestamp, resolution: str, lang: str, first: bool) -> str:
    """One end of the drawn period: a period table's bound is a year when its figure starts (ends) with one."""
    if resolution == "period":
        whole_year = (moment.month, moment.day) == ((1, 1) if first else (12, 31))
        resolution = "year" if whole_year else "day"
    return _when(moment, moment, resolution, lang)


def _timeline(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series, str] | None:
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


def _period(first: pd.Timestamp, last: pd.Timestamp, resolution: str, lang: str) -> str:
    a, b = _bound(first, resolution, lang, True), _bound(last, resolution, lang, False)
    if a == b:
        return a
    day = resolution == "day" or (resolution == "period" and not YEAR.match(a) and not YEAR.match(b))
    # Spanish contracts before a day ("del 1 de junio de 2023 al 27 de febrero de 2026", "de 2003 al 30 de enero…").
    from_ = "del" if DAY_ES.match(a) else "de"
    to = "al" if DAY_ES.match(b) else "a"
    return WORDS[lang]["period_day" if day else "period"].format(a=a, b=b, from_=from_, to=to)


def _group_label(value: str, column: str, lang: str) -> str:
    text = str(value)
    if lang == "es":
        from dashboard.chartdefs._shared import country_label

        text = country_label(text, lang) if column == "country" else DATA_TERMS_ES.get(text, text)
    return text[:1].upper() + text[1:]


# -- time series ------------------------------------------------------------------------------------------------------
def _series_body(view: ChartView, lang: str) -> list[str]:
    frame = view.frame.reset_index(drop=True)
    present = {c: frame[c].notna().to_numpy() for c in MEASURES if c in frame.columns}
    columns = [c for c, ok in present.items() if ok.any()]
    timeline = _timeline(frame)
    if not columns or frame.empty:
        return [_title_line(view, _as_of(view, lang), ""), view.summary]
    if timeline is None:
        return _ranking_body(view, columns[0], lang)
    start, end, resolution = timeline
    group = next((g for g in GROUP_COLUMNS if g in frame.columns and frame[g].nunique(dropna=True) > 1), None)
    unit_of = {c: MEASURES[c][2 if lang == "en" else 3] for c in columns}
    main_cols = columns[:1] if group else columns[:2]
    dated = start.notna().to_numpy()
    rows = np.logical_or.reduce([present[c] for c in main_cols]) & dated
    if not rows.any():
        return [_title_line(view, _as_of(view, lang), ""), view.summary]
    first, last = start[rows].min(), end[rows].max()
    bounds = (_bound(first, resolution, lang, True), _bound(last, resolution, lang, False))
    out = [_title_line(view, _period(first, last, resolution, lang), unit_of[main_cols[0]])]
    described: list[str] = []
    if group:
        column = main_cols[0]
        keyed = np.flatnonzero(present[column] & dated)  # positions (the frame's index was reset)
        groups = frame[group].to_numpy(dtype=object, na_value=None)[keyed]
        keys = list(dict.fromkeys(g for g in groups if g is not None))  # in the table's order: the main series first
        main = "Cuba" if "Cuba" in keys else keys[0]
        picked = keyed[np.array([g == main for g in groups], dtype=bool)]
        label = _group_label(main, group, lang)
        described.append(label)
        publishers = frame["publisher"].astype("string").iloc[picked] if "publisher" in frame else None
        if publishers is not None and publishers.nunique() > 1 and group == "measure":
            # Estimates of different publishers (oil consumption): no direction across them, their spread instead.
            out.append(
                _estimates(
                    label,
                    frame[column].iloc[picked],
                    start.iloc[picked],
                    end.iloc[picked],
                    publishers,
                    unit_of[column],
                    lang,
                )
            )
        else:
            partial = _partial_rows(frame)
            out.append(
                _trend(
                    label,
                    frame[column].to_numpy()[picked],
                    _moments(start)[picked],
                    _moments(end)[picked],
                    resolution,
                    unit_of[column],
                    lang,
                    bounds,
                    partial=None if partial is None else partial.to_numpy()[picked],
                )
            )
    else:
        for n, column in enumerate(main_cols):
            keyed = np.flatnonzero(present[column] & dated)  # positions (the frame's index was reset)
            label = MEASURES[column][0 if lang == "en" else 1]
            described.append(label)
            series = (frame[column].to_numpy()[keyed], _moments(start)[keyed], _moments(end)[keyed])
            noisy = column in NO_DIRECTION
            out.append(
                _trend(label, *series, resolution, unit_of[column], lang, bounds, compact=n > 0, no_direction=noisy)
            )
    names = _legend_names(view)
    if len(names) > 1 and len(main_cols) == 1:  # two measures described already fill the paragraph
        out.append(_names(names, lang))
    return out


NO_DIRECTION = ("error_mw",)  # day-to-day noise: its first and last values say nothing of a direction
PARTIAL_KINDS = ("part of the month", "cargoes reported (at least)")


def _partial_rows(rows: pd.DataFrame) -> pd.Series | None:
    """Rows that hold part of a period's figure (a part-month average, reported cargoes, one product only)."""
    if "figure_kind" not in rows:
        return None
    partial = rows["figure_kind"].isin(PARTIAL_KINDS)
    if "lower_bound" in rows:
        partial |= rows["lower_bound"].astype("boolean").fillna(False).astype(bool)
    return partial


def _estimates(
    label: str, values: pd.Series, start: pd.Series, end: pd.Series, sources: pd.Series, unit: str, lang: str
) -> str:
    """Several publishers' estimates of one measure: how many, their range and the latest, never a 'rise' or 'fall'
    strung across publishers."""
    order = end.sort_values(kind="stable").index
    latest = order[-1]
    resolution = "period"
    text = WORDS[lang]["estimates"].format(
        n=len(values),
        k=sources.nunique(),
        low=_value(values.min(), unit, lang),
        high=_value(values.max(), unit, lang),
        latest=_value(values[latest], unit, lang),
        when=_when(start[latest], end[latest], resolution, lang),
        source=source_text(str(sources[latest]), lang),
    )
    return f"{label[:1].upper() + label[1:]}: {text}."


def _names(names: list[str], lang: str) -> Droppable:
    words = WORDS[lang]
    more = f" {words['and_more'].format(n=len(names) - MAX_NAMES)}" if len(names) > MAX_NAMES else ""
    return Droppable(f"{words['series']}: {'; '.join(names[:MAX_NAMES])}{more}.")


def _trend(
    label: str,
    values: pd.Series | np.ndarray,
    start: pd.Series | np.ndarray,
    end: pd.Series | np.ndarray,
    resolution: str,
    unit: str,
    lang: str,
    bounds: tuple[str, str] = ("", ""),
    compact: bool = False,
    partial: pd.Series | np.ndarray | None = None,
    no_direction: bool = False,
) -> str:
    """'Demand: rose from 2,650 to 3,100 MW (latest, 29 April 2026); highest 3,850 MW (22 August 2025), lowest …'.
    The first value's date is left out when it is the start of the period already named. Works on plain arrays in
    the rows' order (`partial` too): a callback describes six daily charts, and pandas indexing cost more than the
    sentence."""
    words = WORDS[lang]
    label = label[:1].upper() + label[1:]  # it opens a sentence ("all political prisoners" in a claim's rows)
    ends = _moments(end)
    order = np.argsort(ends, kind="stable")
    v = np.asarray(values, dtype=float)[order]
    starts, ends = _moments(start)[order], ends[order]
    first, last = v[0], v[-1]
    # One precision for the whole series (16.0 beside 12.7, not 16), as its table would print it.
    top_abs = float(np.abs(v).max())
    places = 0 if bool(np.all(v == np.floor(v))) or top_abs >= 100 else (1 if top_abs >= 1 else 2)

    def value(x: float) -> str:
        return _value(x, unit, lang, places)

    def full(i: int) -> str:
        return _when(pd.Timestamp(starts[i]), pd.Timestamp(ends[i]), resolution, lang)

    # Dates but the latest in short (30 Dec 2022 / 30 dic 2022): the paragraph stays short; the period is in full.
    # Only the dates the sentence names are written (a daily series has a thousand points).
    def when(i: int) -> str:
        return _short(full(i), lang)

    latest_when = full(-1)
    if len(v) == 1:
        return f"{label}: {value(last)} ({latest_when}, {words['only']})."
    if when(0) == when(-1) and len({when(i) for i in range(len(v))}) == 1:  # several figures for one period
        listed = ", ".join(value(x) for x in v)
        return f"{label}: {words['same_period'].format(values=listed, when=when(0))}."
    a = value(first) + ("" if when(0) == _short(bounds[0], lang) else f" ({when(0)})")
    b = f"{value(last)} ({words['latest']}, {latest_when})"
    part = np.zeros(len(v), dtype=bool) if partial is None else np.asarray(partial, dtype=bool)[order]
    if part[-1]:  # the latest covers part of its period only (1-16 February): said, not taken for a month
        b = f"{value(last)} ({words['latest']}, {latest_when}, {words['partial']})"
    direction = "rose" if last > first else "fell" if last < first else "flat"
    if no_direction:
        direction = "no_trend"
    if compact:  # a second measure: where it went and its highest, no more (the paragraph stays short)
        a = value(first)
        b = value(last) + ("" if latest_when == bounds[1] else f" ({when(-1)})")
    text = f"{label}: {words[direction].format(a=a, b=b)}"
    # Extremes among whole figures only (a half-month average is not the series' "highest"), daily values named so
    # where the chart draws weekly means of them. The first of equal values, in time order.
    whole = np.flatnonzero(~part) if (~part).any() else np.arange(len(v))
    top, bottom = whole[np.argmax(v[whole])], whole[np.argmin(v[whole])]
    high, low = ("high_day", "low_day") if resolution == "day" else ("high", "low")
    of_whole = f" {words['whole']}" if part.any() else ""
    extremes = []
    if v[top] not in (first, last):  # the first or last value already said
        extremes.append(f"{words[high]}{of_whole} {value(v[top])} ({when(top)})")
    if v[bottom] not in (first, last) and not compact:
        extremes.append(f"{words[low]}{of_whole} {value(v[bottom])} ({when(bottom)})")
    return text + (f"; {', '.join(extremes)}" if extremes else "") + "."


def _moments(values: pd.Series | np.ndarray) -> np.ndarray:
    """Timestamps as a plain datetime64 array (what `_trend` sorts and indexes)."""
    return np.asarray(values, dtype="datetime64[ns]")


# -- charts without time: bars of plants, countries... ------------------------------------------------------------------
def _ranking_body(view: ChartView, column: str, lang: str) -> list[str]:
    """Largest and smallest of the drawn items: from the bar the figure draws (its labels are in the reader's
    language), else from the table's name column."""
    words = WORDS[lang]
    unit = MEASURES[column][2 if lang == "en" else 3]
    pairs: list[tuple[str, float]] = []
    for item in _traces(view):
        if item.get("type") == "bar" and item.get("orientation") == "h":
            pairs = [
                (_plain(label), float(value))
                for label, value in zip(list(item.get("y", [])), list(item.get("x", [])), strict=False)
                if value is not None and not (isinstance(value, float) and math.isnan(value))
            ]
            break
    if not pairs:
        name = next((c for c in NAME_COLUMNS if c in view.frame.columns), None)
        rows = view.frame[view.frame[column].notna()]
        if name is None or rows.empty:
            return [_title_line(view, _as_of(view, lang), unit), view.summary]
        pairs = [(str(n), float(v)) for n, v in zip(rows[name], rows[column], strict=True)]
    out = [_title_line(view, _as_of(view, lang), unit) + " " + words["items"].format(n=len(pairs)) + "."]
    top = max(pairs, key=lambda p: p[1])
    bottom = min(pairs, key=lambda p: p[1])
    out.append(
        f"{words['largest'].capitalize()}: {top[0]}, {_value(top[1], unit, lang)}; "
        f"{words['smallest']}: {bottom[0]}, {_value(bottom[1], unit, lang)}."
    )
    return out


def _as_of(view: ChartView, lang: str) -> str:
    """The view's "as of", as a reader writes a date (some views keep an ISO date)."""
    as_of = str(view.as_of or "")
    if ISO_DAY.match(as_of) or ISO_MONTH.match(as_of):
        as_of = fmt_date(as_of, lang)
    return f"{WORDS[lang]['as_of']} {as_of}" if as_of else ""


# -- claim charts -----------------------------------------------------------------------------------------------------
def _claim_period(value: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
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


def _claim_body(view: ChartView, lang: str) -> list[str]:
    """The claim as drawn (its label on the chart) and the evidence marks: their period, highest, lowest, latest."""
    from dashboard.chartdefs.claims import ROLES

    words = WORDS[lang]
    frame = view.frame.reset_index(drop=True)
    values = pd.to_numeric(frame["value"], errors="coerce")
    spans = [_claim_period(p) for p in frame["period"]]
    drawn = [i for i, span in enumerate(spans) if span is not None and not math.isnan(values.iloc[i])]
    period = ""
    if drawn:
        period = _period(min(spans[i][0] for i in drawn), max(spans[i][1] for i in drawn), "period", lang)
    # A claim chart's title is its finding, a sentence: the period follows as a sentence of its own.
    out = [f"{view.title.rstrip('. ')}." + (f" {words['drawn_period']}: {period}." if period else "")]
    claim_word = t("claim", lang)
    label = next((a for a in _annotations(view) if a.startswith(f"{claim_word}:")), "")
    band = any(s.get("type") == "rect" and s.get("yref") == "y" and s.get("y0") != s.get("y1") for s in _shapes(view))
    if label:
        how = words["band" if band else "line"]
        out.append(f"{words['claim_drawn'].format(how=how)}: {label.removeprefix(claim_word + ':').strip()}.")
    if drawn:
        rows = frame.iloc[drawn]
        evidence = rows[rows["role"] == ROLES[lang].get("evidence", "evidence")]
        pool = evidence if not evidence.empty else rows
        main = pool["series"].value_counts().index[0]
        picked = [i for i in drawn if frame["series"].iloc[i] == main]
        unit = str(frame["unit"].iloc[picked[0]] or "")
        marks = pd.Series([values.iloc[i] for i in picked], index=picked)
        starts = pd.Series([spans[i][0] for i in picked], index=picked)
        ends = pd.Series([spans[i][1] for i in picked], index=picked)
        out.append(
            _trend(
                _plain(main),
                marks,
                starts,
                ends,
                "period",
                unit,
                lang,
                (_bound(starts.min(), "period", lang, True), ""),
            )
        )
        others = [_plain(s) for s in dict.fromkeys(rows["series"]) if s != main]
        if others:
            out.append(_names(others, lang))
    elif not frame.empty:  # a list (plants, names): how many items each series has
        counts = frame["series"].value_counts()
        items = "; ".join(f"{_plain(s)}: {words['items'].format(n=n)}" for s, n in counts.items())
        out.append(f"{words['evidence']}: {items}.")
    return out


# -- sources ------------------------------------------------------------------------------------------------------------
def _sources(view: ChartView, lang: str) -> str:
    names: list[str] = []
    for s in view.sources:
        name = source_text(s.publisher or s.title, lang)
        if name and name not in names:
            names.append(name)
    if not names:
        return ""
    text = "; ".join(names[:MAX_SOURCES])
    # The rest counted as organisations, as the image's source line counts them ("14ymedio (…)" is 14ymedio).
    named = {n.split(" (")[0].strip() for n in names[:MAX_SOURCES]}
    rest = {n.split(" (")[0].strip() for n in names[MAX_SOURCES:]} - named
    if rest:
        text += f" {WORDS[lang]['and_more'].format(n=len(rest))}"
    return f"{t('source' if len(names) == 1 else 'sources', lang)}: {text}."

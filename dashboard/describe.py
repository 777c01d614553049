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

import math

import numpy as np
import pandas as pd

from dashboard import describe_figure as figure
from dashboard import describe_periods as periods
from dashboard.chart_registry import ChartView
from dashboard.i18n import data_term, fmt_date, normalize_lang, source_text, t

MAX_SOURCES = 2
MAX_NAMES = 3
WORD_BUDGET = 70  # optional parts (the list of series) are left out of a paragraph longer than this
WORD_LIMIT = 100  # past this the sources are named one and counted ("Sources: A and 5 more")

# Value columns a description reads, most important first, with the catalogue key of their unit; their names are the
# catalogue's `describe_measure_<column>`. A view describes at most two of them (its main measures); the figure's
# legend names every series drawn.
MEASURES: dict[str, str] = {
    "peak_availability_mw": "describe_unit_mw",
    "peak_demand_mw": "describe_unit_mw",
    "planned_peak_affectation_mw": "describe_unit_mw",
    "actual_max_affectation_mw": "describe_unit_mw",
    "peak_share_of_demand_cut_pct": "describe_unit_pct",
    "estimated_outage_hours_per_day_central": "describe_unit_hours_a_day",
    "thermal_units_out_of_service": "describe_unit_units",
    "error_mw": "describe_unit_mw",
    "electricity_generation_twh": "describe_unit_twh",
    "oil_electricity_twh": "describe_unit_twh",
    "oil_share_of_electricity_pct": "describe_unit_pct",
    "fossil_share_of_electricity_pct": "describe_unit_pct",
    "electricity_demand_twh": "describe_unit_twh",
    "share_of_consumption_pct": "describe_unit_pct",
    "value_bbl_per_day": "describe_unit_bbl_per_day",
    "installed_capacity_mw": "describe_unit_mw",
    "capacity_mw": "describe_unit_mw",
}
GROUP_COLUMNS = ("country", "supplier", "source", "measure")
NAME_COLUMNS = ("plant", "name")


def measure_name(column: str, lang: str) -> str:
    return t(f"describe_measure_{column}", lang)


def measure_unit(column: str, lang: str) -> str:
    return t(MEASURES[column], lang)


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
    sources = _sources(view, lang)
    parts = [p for p in (*body, sources) if p]
    while sum(len(p.split()) for p in parts) > WORD_BUDGET and any(isinstance(p, Droppable) for p in parts):
        parts.remove(next(p for p in reversed(parts) if isinstance(p, Droppable)))
    if sum(len(p.split()) for p in parts) > WORD_LIMIT and parts[-1] == sources:
        parts[-1] = _sources(view, lang, most=1)  # one publisher named, the rest counted
    return " ".join(parts)


def _title_line(view: ChartView, period: str, unit: str) -> str:
    title = view.title.rstrip(". ")
    unit_part = f" ({unit})" if unit and unit.split()[0].lower() not in title.lower() else ""
    return f"{title}{unit_part}" + (f", {period}." if period else ".")


def _group_label(value: str, column: str, lang: str) -> str:
    text = str(value)
    if column == "country":
        from dashboard.chartdefs._shared import country_label

        text = country_label(text, lang)
    else:
        text = data_term(text, lang)
    return text[:1].upper() + text[1:]


# -- time series ------------------------------------------------------------------------------------------------------
def _series_body(view: ChartView, lang: str) -> list[str]:
    frame = view.frame.reset_index(drop=True)
    present = {c: frame[c].notna().to_numpy() for c in MEASURES if c in frame.columns}
    columns = [c for c, ok in present.items() if ok.any()]
    timeline = periods.timeline(frame)
    if not columns or frame.empty:
        return [_title_line(view, _as_of(view, lang), ""), view.summary]
    if timeline is None:
        return _ranking_body(view, columns[0], lang)
    start, end, resolution = timeline
    group = next((g for g in GROUP_COLUMNS if g in frame.columns and frame[g].nunique(dropna=True) > 1), None)
    unit_of = {c: measure_unit(c, lang) for c in columns}
    main_cols = columns[:1] if group else columns[:2]
    dated = start.notna().to_numpy()
    rows = np.logical_or.reduce([present[c] for c in main_cols]) & dated
    if not rows.any():
        return [_title_line(view, _as_of(view, lang), ""), view.summary]
    first, last = start[rows].min(), end[rows].max()
    bounds = (periods.bound(first, resolution, lang, True), periods.bound(last, resolution, lang, False))
    out = [_title_line(view, periods.period(first, last, resolution, lang), unit_of[main_cols[0]])]
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
                    periods.moments(start)[picked],
                    periods.moments(end)[picked],
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
            label = measure_name(column, lang)
            described.append(label)
            series = (frame[column].to_numpy()[keyed], periods.moments(start)[keyed], periods.moments(end)[keyed])
            noisy = column in NO_DIRECTION
            out.append(
                _trend(label, *series, resolution, unit_of[column], lang, bounds, compact=n > 0, no_direction=noisy)
            )
    names = figure.legend_names(view)
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
    text = t(
        "describe_estimates",
        lang,
        n=len(values),
        k=sources.nunique(),
        low=periods.quantity(values.min(), unit, lang),
        high=periods.quantity(values.max(), unit, lang),
        latest=periods.quantity(values[latest], unit, lang),
        when=periods.when(start[latest], end[latest], resolution, lang),
        source=source_text(str(sources[latest]), lang),
    )
    return f"{label[:1].upper() + label[1:]}: {text}."


def _names(names: list[str], lang: str) -> Droppable:
    more = f" {t('describe_and_more', lang, n=len(names) - MAX_NAMES)}" if len(names) > MAX_NAMES else ""
    return Droppable(f"{t('describe_series', lang)}: {'; '.join(names[:MAX_NAMES])}{more}.")


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
    label = label[:1].upper() + label[1:]  # it opens a sentence ("all political prisoners" in a claim's rows)
    ends = periods.moments(end)
    order = np.argsort(ends, kind="stable")
    v = np.asarray(values, dtype=float)[order]
    starts, ends = periods.moments(start)[order], ends[order]
    first, last = v[0], v[-1]
    # One precision for the whole series (16.0 beside 12.7, not 16), as its table would print it.
    top_abs = float(np.abs(v).max())
    places = 0 if bool(np.all(v == np.floor(v))) or top_abs >= 100 else (1 if top_abs >= 1 else 2)

    def value(x: float) -> str:
        return periods.quantity(x, unit, lang, places)

    def full(i: int) -> str:
        return periods.when(pd.Timestamp(starts[i]), pd.Timestamp(ends[i]), resolution, lang)

    # Dates but the latest in short (30 Dec 2022 / 30 dic 2022): the paragraph stays short; the period is in full.
    # Only the dates the sentence names are written (a daily series has a thousand points).
    def when(i: int) -> str:
        return periods.short_date(full(i), lang)

    latest_when = full(-1)
    if len(v) == 1:
        return f"{label}: {value(last)} ({latest_when}, {t('describe_only', lang)})."
    if when(0) == when(-1) and len({when(i) for i in range(len(v))}) == 1:  # several figures for one period
        listed = ", ".join(value(x) for x in v)
        return f"{label}: {t('describe_same_period', lang, values=listed, when=when(0))}."
    a = value(first) + ("" if when(0) == periods.short_date(bounds[0], lang) else f" ({when(0)})")
    b = f"{value(last)} ({t('describe_latest', lang)}, {latest_when})"
    part = np.zeros(len(v), dtype=bool) if partial is None else np.asarray(partial, dtype=bool)[order]
    if part[-1]:  # the latest covers part of its period only (1-16 February): said, not taken for a month
        b = f"{value(last)} ({t('describe_latest', lang)}, {latest_when}, {t('describe_partial', lang)})"
    direction = "rose" if last > first else "fell" if last < first else "flat"
    if no_direction:
        direction = "no_trend"
    if compact:  # a second measure: where it went and its highest, no more (the paragraph stays short)
        a = value(first)
        b = value(last) + ("" if latest_when == bounds[1] else f" ({when(-1)})")
    text = f"{label}: {t(f'describe_{direction}', lang, a=a, b=b)}"
    # Extremes among whole figures only (a half-month average is not the series' "highest"), daily values named so
    # where the chart draws weekly means of them. The first of equal values, in time order.
    whole = np.flatnonzero(~part) if (~part).any() else np.arange(len(v))
    top, bottom = whole[np.argmax(v[whole])], whole[np.argmin(v[whole])]
    high, low = ("high_day", "low_day") if resolution == "day" else ("high", "low")
    of_whole = f" {t('describe_whole', lang)}" if part.any() else ""
    extremes = []
    if v[top] not in (first, last):  # the first or last value already said
        extremes.append(f"{t(f'describe_{high}', lang)}{of_whole} {value(v[top])} ({when(top)})")
    if v[bottom] not in (first, last) and not compact:
        extremes.append(f"{t(f'describe_{low}', lang)}{of_whole} {value(v[bottom])} ({when(bottom)})")
    return text + (f"; {', '.join(extremes)}" if extremes else "") + "."


# -- charts without time: bars of plants, countries... ------------------------------------------------------------------
def _ranking_body(view: ChartView, column: str, lang: str) -> list[str]:
    """Largest and smallest of the drawn items: from the bar the figure draws (its labels are in the reader's
    language), else from the table's name column."""
    unit = measure_unit(column, lang)
    pairs: list[tuple[str, float]] = []
    for item in figure.traces(view):
        if item.get("type") == "bar" and item.get("orientation") == "h":
            pairs = [
                (figure.plain(label), float(value))
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
    out = [_title_line(view, _as_of(view, lang), unit) + " " + t("describe_items", lang, n=len(pairs)) + "."]
    top = max(pairs, key=lambda p: p[1])
    bottom = min(pairs, key=lambda p: p[1])
    out.append(
        f"{t('describe_largest', lang).capitalize()}: {top[0]}, {periods.quantity(top[1], unit, lang)}; "
        f"{t('describe_smallest', lang)}: {bottom[0]}, {periods.quantity(bottom[1], unit, lang)}."
    )
    return out


def _as_of(view: ChartView, lang: str) -> str:
    """The view's "as of", as a reader writes a date (some views keep an ISO date)."""
    as_of = str(view.as_of or "")
    if periods.ISO_DAY.match(as_of) or periods.ISO_MONTH.match(as_of):
        as_of = fmt_date(as_of, lang)
    return f"{t('describe_as_of', lang)} {as_of}" if as_of else ""


# -- claim charts -----------------------------------------------------------------------------------------------------
def _claim_body(view: ChartView, lang: str) -> list[str]:
    """The claim as drawn (its label on the chart) and the evidence marks: their period, highest, lowest, latest."""
    from dashboard.chartdefs.claims import role_name

    frame = view.frame.reset_index(drop=True)
    values = pd.to_numeric(frame["value"], errors="coerce")
    spans = [periods.claim_period(p) for p in frame["period"]]
    drawn = [i for i, span in enumerate(spans) if span is not None and not math.isnan(values.iloc[i])]
    shown = figure.date_span(view)  # rows the chart leaves to the table (other reports of 2003) are not "drawn"
    if shown is not None:
        first, last = pd.Timestamp(shown[0]), pd.Timestamp(shown[1])
        drawn = [i for i in drawn if spans[i][1] >= first and spans[i][0] <= last] or drawn
    period = ""
    if drawn:
        period = periods.period(min(spans[i][0] for i in drawn), max(spans[i][1] for i in drawn), "period", lang)
    # A claim chart's title is its finding, a sentence: the period follows as a sentence of its own.
    out = [f"{view.title.rstrip('. ')}." + (f" {t('describe_drawn_period', lang)}: {period}." if period else "")]
    claim_word = t("claim", lang)
    label = next((a for a in figure.annotations(view) if a.startswith(f"{claim_word}:")), "")
    band = any(
        s.get("type") == "rect" and s.get("yref") == "y" and s.get("y0") != s.get("y1") for s in figure.shapes(view)
    )
    if label:
        how = t("describe_band" if band else "describe_line", lang)
        out.append(f"{t('describe_claim_drawn', lang, how=how)}: {label.removeprefix(claim_word + ':').strip()}.")
    if drawn:
        rows = frame.iloc[drawn]
        evidence = rows[rows["role"] == role_name("evidence", lang)]
        pool = evidence if not evidence.empty else rows
        main = pool["series"].value_counts().index[0]
        picked = [i for i in drawn if frame["series"].iloc[i] == main]
        unit = str(frame["unit"].iloc[picked[0]] or "")
        marks = pd.Series([values.iloc[i] for i in picked], index=picked)
        starts = pd.Series([spans[i][0] for i in picked], index=picked)
        ends = pd.Series([spans[i][1] for i in picked], index=picked)
        out.append(
            _trend(
                figure.plain(main),
                marks,
                starts,
                ends,
                "period",
                unit,
                lang,
                (periods.bound(starts.min(), "period", lang, True), ""),
            )
        )
        others = [figure.plain(s) for s in dict.fromkeys(rows["series"]) if s != main]
        if others:
            out.append(_names(others, lang))
    elif not frame.empty:  # a list (plants, names): how many items each series has
        counts = frame["series"].value_counts()
        items = "; ".join(f"{figure.plain(s)}: {t('describe_items', lang, n=n)}" for s, n in counts.items())
        out.append(f"{t('describe_evidence', lang)}: {items}.")
    return out


# -- sources ------------------------------------------------------------------------------------------------------------
def _sources(view: ChartView, lang: str, most: int | None = None) -> str:
    most = MAX_SOURCES if most is None else most
    names: list[str] = []
    for s in view.sources:
        name = source_text(s.publisher or s.title, lang)
        if name and name not in names:
            names.append(name)
    if not names:
        return ""
    text = "; ".join(names[:most])
    # The rest counted as organisations, as the image's source line counts them ("14ymedio (…)" is 14ymedio).
    named = {n.split(" (")[0].strip() for n in names[:most]}
    rest = {n.split(" (")[0].strip() for n in names[most:]} - named
    if rest:
        text += f" {t('describe_and_more', lang, n=len(rest))}"
    return f"{t('source' if len(names) == 1 else 'sources', lang)}: {text}."

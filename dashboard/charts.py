"""Charts by id, from URL to view: `get` and `all_charts` (the registry filled by the chart definitions, imported
here), `parse_state` (URL parameters → `ChartState`, or `BadParameter`), `build` (a view, cached by value) and the
share, embed and download links.

Pages, downloads (CSV/PNG/SVG), embeds, share images and the static export all go through `build()`, so a
chart looks and cites the same wherever it appears. What a chart is (`ChartSpec`, `ChartState`, `ChartView`,
`register`) lives in `dashboard/chart_registry.py`, which the chart definitions import: no import cycle.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from urllib.parse import urlencode

import pandas as pd

from dashboard import data as data_module
from dashboard import memo
from dashboard.chart_registry import REGISTRY, ChartSpec, ChartState, ChartView

# Chart definitions register themselves on import.
from dashboard.chartdefs import blackouts, claims, explore, generation, oil, oil_monthly  # noqa: F401

# Re-exported: helpers of the chart definitions that embed.py, pages/data.py and tests still import from here.
from dashboard.chartdefs._shared import filter_period, observation_text, source_line  # noqa: F401
from dashboard.data import DataStore
from dashboard.i18n import LANGS, lang_query

TABS = ("chart", "table")
# ASCII digits only and no trailing newline (`\d` matches any Unicode digit and `$` matches before a final "\n").
YEAR = re.compile(r"\A[0-9]{4}\Z")
DAY = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
MONTH = re.compile(r"\A[0-9]{4}-[0-9]{2}\Z")
MAX_PARAM_LENGTH = 200
COMMON_PARAMS = ("lang", "tab")


class BadParameter(ValueError):
    """A URL parameter with a value the chart does not accept (→ HTTP 400 with a helpful page)."""


def get(chart_id: str) -> ChartSpec:
    """A registered chart, or a claim's evidence chart (`claim-<id>`, KeyError if the claim or its chart is unknown)."""
    if chart_id in REGISTRY:
        return REGISTRY[chart_id]
    if chart_id.startswith("claim-"):
        claim = claims.find_claim(data_module.store(), chart_id.removeprefix("claim-"))
        if claims.has_chart(claim):
            return claims.spec_for(chart_id)
    raise KeyError(chart_id)


def all_charts() -> list[ChartSpec]:
    return list(REGISTRY.values())


def parse_state(spec: ChartSpec, store: DataStore, params: Mapping[str, str], strict: bool = True) -> ChartState:
    """Validate URL parameters against what the chart accepts; raise BadParameter with a readable reason."""
    allowed = set(spec.params) | set(COMMON_PARAMS)
    state = ChartState()
    for key, raw in params.items():
        if key not in allowed:
            if strict:
                raise BadParameter(f"unknown parameter {key!r} (this view accepts: {', '.join(sorted(allowed))})")
            continue
        value = str(raw)
        if len(value) > MAX_PARAM_LENGTH:
            raise BadParameter(f"parameter {key!r} is too long")
        if key == "lang":
            if value not in LANGS:
                raise BadParameter(f"lang must be one of {', '.join(LANGS)}")
            state = replace(state, lang=value)
        elif key == "tab":
            if value not in TABS:
                raise BadParameter(f"tab must be one of {', '.join(TABS)}")
            state = replace(state, tab=value)
        elif key == "country":
            codes = tuple(c for c in value.split("~") if c)
            choices = set(spec.country_choices(store)) if spec.country_choices else set()
            bad = [c for c in codes if c not in choices]
            if bad or not codes or len(codes) > 12:
                raise BadParameter(f"unknown country code(s): {', '.join(bad) or value!r}")
            state = replace(state, countries=codes)
        elif key in ("start", "end"):
            if not (YEAR.match(value) or MONTH.match(value) or DAY.match(value)):
                raise BadParameter(f"{key} must be a year (2024), a month (2024-06) or a date (2024-06-30)")
            if DAY.match(value) or MONTH.match(value):
                try:  # a month is checked as its first day (2024-13 is not a month)
                    date.fromisoformat(value if DAY.match(value) else f"{value}-01")
                except ValueError as exc:
                    raise BadParameter(f"{key} is not a real date") from exc
            if not 1900 <= int(value[:4]) <= 2100:
                raise BadParameter(f"{key} is out of range")
            state = replace(state, **{key: value})
        elif key == "table":
            choices = spec.table_choices(store) if spec.table_choices else []
            if value not in choices:
                raise BadParameter(f"unknown dataset {value!r}")
            state = replace(state, table=value)
        elif key == "series":
            choices = spec.series_choices(store, state.table or params.get("table")) if spec.series_choices else []
            if value not in choices:
                raise BadParameter(f"unknown series {value!r}")
            state = replace(state, series=value)
    if state.start and state.end and period_bounds(state.start)[0] > period_bounds(state.end)[1]:
        raise BadParameter("start is after end")
    if not state.countries and spec.default_countries:
        state = replace(state, countries=spec.default_countries)
    return state


def period_bounds(value: str) -> tuple[str, str]:
    """First and last day a year, month or date covers, as comparable ISO strings (start=2024-06&end=2024 is fine)."""
    if len(value) == 4:
        return f"{value}-01-01", f"{value}-12-31"
    if len(value) == 7:
        return f"{value}-01", f"{value}-31"
    return value, value


_BUILT = memo.ByteLRU.for_budget("views")  # bounded in bytes (estimated by view_bytes) as well as entries (256)


VIEW_BYTES_SAMPLE = 128  # rows measured to estimate a long frame's size


def view_bytes(view: ChartView) -> int:
    """An estimate of what a cached view holds: its frame (deep; measured on a sample past 128 rows) three times over — the frame, the figure's
    arrays and the on-page JSON made from them on first use — plus 64 KB for layout, text and annotations."""
    frame = view.frame
    if len(frame) <= VIEW_BYTES_SAMPLE:
        return 3 * int(frame.memory_usage(deep=True).sum()) + 64 * 1024
    # Measuring every string of a thousand-row frame cost more than building some views: a sample, scaled up.
    sample = frame.iloc[:: len(frame) // VIEW_BYTES_SAMPLE]
    return 3 * int(sample.memory_usage(deep=True).sum() * len(frame) / len(sample)) + 64 * 1024


def build(chart_id: str, store: DataStore, state: ChartState) -> ChartView:
    """Build a chart, or reuse it: a view is a pure function of (chart, state, published data), and a callback that
    changes one control only needs to rebuild the charts that control affects. Callers never mutate views. The
    chart/table switch changes no chart (it only chooses what is shown), so both tabs share one view. A view is kept
    only under the data version it was built from (not if a reload happened meanwhile)."""
    state = replace(state, tab="chart")
    version = store.version
    key = (
        chart_id,
        cache_state(get(chart_id), store, state),
        version,
        store.is_pinned,
    )  # a pinned view says it is archived (chartdefs/_shared.py)
    view = _BUILT.get(key)
    if view is not None:
        return view
    with store.noting_later_tables() as later:
        view = get(chart_id).build(store, state)
    if later:  # a pinned version from before a table this chart draws: say so, never an empty chart with figures
        view = not_published_view(view, store, state, later)
    if store.version == version:
        _BUILT.set(key, view, view_bytes(view))
    return view


def cache_state(spec: ChartSpec, store: DataStore, state: ChartState) -> ChartState:
    """The state a view is kept under: for a chart that declares the span of its data, a start at or before its first
    period is no start and an end at or after its last is no end (the same rows, so the same view; checked chart by
    chart in tests/dashboard/test_caches.py). Readers stepping through early years on /oil then reuse one view."""
    if spec.span is None or (not state.start and not state.end):
        return state
    first, last = store.prepared(f"span:{spec.id}", spec.span)
    start = None if state.start and pd.Timestamp(state.start) <= pd.Timestamp(first) else state.start
    end = None if state.end and pd.Timestamp(state.end) >= pd.Timestamp(last) else state.end
    return replace(state, start=start, end=end)


def not_published_view(view: ChartView, store: DataStore, state: ChartState, tables: list[str]) -> ChartView:
    """The chart at a data version published before a table it draws: its title, a note instead of marks, no
    figures in the summary or the table (second reader, round 3: empty axes under a summary that gave figures)."""
    from dashboard.chartdefs._shared import archived_mark
    from dashboard.figures.common import Frame, empty_figure
    from dashboard.i18n import t

    names = ", ".join(dict.fromkeys(tables))
    message = t("not_published_at_version", state.lang, version=store.version_id, tables=names)
    frame = Frame(view.title, view.subtitle, archived_mark(state.lang).removeprefix(" · "), state.lang)
    return ChartView(
        empty_figure(frame, message), view.frame.iloc[0:0], message, view.title, view.subtitle, [], view.as_of
    )


def share_path(spec: ChartSpec, state: ChartState) -> str:
    """The page URL that shows this chart in this state (anchor on the chart; a claim's chart opens its claim's page)."""
    if spec.id.startswith("claim-"):
        query = lang_query(state.lang)
        return f"/claims/{spec.id.removeprefix('claim-')}{'?' + urlencode(query) if query else ''}"
    query = state.query(spec)
    return f"{spec.page}{'?' + urlencode(query) if query else ''}#{spec.id}"


def embed_path(spec: ChartSpec, state: ChartState, **flags: str) -> str:
    query = {**state.query(spec), **{k: v for k, v in flags.items() if v}}
    return f"/embed/{spec.id}{'?' + urlencode(query) if query else ''}"


def download_path(spec: ChartSpec, state: ChartState, ext: str) -> str:
    query = state.query(spec)
    return f"/download/{spec.id}.{ext}{'?' + urlencode(query) if query else ''}"


def narrow(spec: ChartSpec, store: DataStore, state: ChartState) -> ChartState:
    """A page-level state adapted to one chart: keep only the countries it knows and the params it takes."""
    countries: tuple[str, ...] = ()
    if "country" in spec.params and spec.country_choices:
        known = set(spec.country_choices(store))
        countries = tuple(c for c in state.countries if c in known) or spec.default_countries
    return ChartState(
        countries=countries,
        start=state.start if "start" in spec.params else None,
        end=state.end if "end" in spec.params else None,
        series=state.series if "series" in spec.params else None,
        table=state.table if "table" in spec.params else None,
        tab=state.tab,
        lang=state.lang,
    )

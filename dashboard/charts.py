"""The chart registry: every chart has a stable id, the URL parameters it accepts, and a builder that turns the
published data and a view state into a figure, the numbers shown, a one-sentence summary and its sources.

Pages, downloads (CSV/PNG/SVG), embeds, share images and the static export all go through `build()`, so a
chart looks and cites the same wherever it appears.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from dashboard import memo
from dashboard.data import DataStore, SourceRef
from dashboard.figures.common import Draft, for_screen, wrap
from dashboard.i18n import LANGS, fmt_date, normalize_lang, source_text, t

TABS = ("chart", "table")
# ASCII digits only and no trailing newline (`\d` matches any Unicode digit and `$` matches before a final "\n").
YEAR = re.compile(r"\A[0-9]{4}\Z")
DAY = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
MONTH = re.compile(r"\A[0-9]{4}-[0-9]{2}\Z")
MAX_PARAM_LENGTH = 200
COMMON_PARAMS = ("lang", "tab")


class BadParameter(ValueError):
    """A URL parameter with a value the chart does not accept (→ HTTP 400 with a helpful page)."""


@dataclass(frozen=True)
class ChartState:
    """What the URL says about a view. Empty values mean the chart's defaults."""

    countries: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None
    series: str | None = None
    table: str | None = None
    tab: str = "chart"
    lang: str = "en"

    def query(self, spec: ChartSpec, include_lang: bool = True) -> dict[str, str]:
        """Query parameters that reproduce this view (defaults omitted)."""
        out: dict[str, str] = {}
        if self.table and "table" in spec.params:
            out["table"] = self.table
        if self.series and "series" in spec.params:
            out["series"] = self.series
        if self.countries and "country" in spec.params and tuple(self.countries) != tuple(spec.default_countries):
            out["country"] = "~".join(self.countries)
        if self.start and "start" in spec.params:
            out["start"] = self.start
        if self.end and "end" in spec.params:
            out["end"] = self.end
        if self.tab != "chart":
            out["tab"] = self.tab
        if include_lang and self.lang != "en":
            out["lang"] = self.lang
        return out


@dataclass
class ChartView:
    """A built chart: the figure, the numbers it shows, a sentence for screen readers, and its citations."""

    draft: Draft | go.Figure  # chart definitions hand over a Draft; `figure` and `screen()` are made from it
    frame: pd.DataFrame
    summary: str
    title: str
    subtitle: str
    sources: list[SourceRef]
    as_of: str
    notes: list[str] = field(default_factory=list)
    method_link: str | None = None

    derived_cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def derived(self, key: str, make: Callable[[], Any]) -> Any:
        """Something built from this view (its figure, its table), built once: views are cached and shared, so
        charts a control does not affect cost nothing to send again. Never mutate the result."""
        if key not in self.derived_cache:
            self.derived_cache[key] = make()
        return self.derived_cache[key]

    @property
    def figure(self) -> go.Figure:
        """The plotly figure, made on first use: downloads, share images and static embeds need it; pages and
        callbacks send `screen()`, the same JSON made straight from the draft (tests/test_fast_paths.py)."""
        draft = self.draft
        return self.derived("figure", draft.figure) if isinstance(draft, Draft) else draft

    def screen(self) -> dict:
        """The on-page figure (`for_screen`): what a page or a callback sends for this chart."""
        draft = self.draft
        return self.derived("screen", draft.screen if isinstance(draft, Draft) else lambda: for_screen(draft))


Builder = Callable[[DataStore, ChartState], ChartView]
ChoiceFn = Callable[[DataStore], list[str]]


@dataclass(frozen=True)
class ChartSpec:
    id: str
    page: str
    title: Mapping[str, str]
    build: Builder
    params: tuple[str, ...] = ()
    default_countries: tuple[str, ...] = ()
    country_choices: ChoiceFn | None = None
    series_choices: Callable[[DataStore, str | None], list[str]] | None = None
    table_choices: ChoiceFn | None = None
    description: Mapping[str, str] = field(default_factory=dict)

    def title_in(self, lang: str) -> str:
        return self.title[normalize_lang(lang)]


REGISTRY: dict[str, ChartSpec] = {}


def register(spec: ChartSpec) -> ChartSpec:
    if spec.id in REGISTRY and REGISTRY[spec.id] is not spec:
        raise ValueError(f"chart id {spec.id!r} registered twice")
    REGISTRY[spec.id] = spec
    return spec


def get(chart_id: str) -> ChartSpec:
    """A registered chart, or a claim's evidence chart (`claim-<id>`, KeyError if the claim or its chart is unknown)."""
    _ensure_loaded()
    if chart_id in REGISTRY:
        return REGISTRY[chart_id]
    if chart_id.startswith("claim-"):
        from dashboard.chartdefs import claims
        from dashboard.data import store

        claim = claims.find_claim(store(), chart_id.removeprefix("claim-"))
        if claims.has_chart(claim):
            return claims.spec_for(chart_id)
    raise KeyError(chart_id)


def all_charts() -> list[ChartSpec]:
    _ensure_loaded()
    return list(REGISTRY.values())


def _ensure_loaded() -> None:
    # Chart definitions register themselves on import; import them lazily to avoid cycles.
    from dashboard.chartdefs import blackouts, claims, explore, generation, oil  # noqa: F401


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


def view_bytes(view: ChartView) -> int:
    """An estimate of what a cached view holds: its frame (exact, deep) three times over — the frame, the figure's
    arrays and the on-page JSON made from them on first use — plus 64 KB for layout, text and annotations."""
    return 3 * int(view.frame.memory_usage(deep=True).sum()) + 64 * 1024


def build(chart_id: str, store: DataStore, state: ChartState) -> ChartView:
    """Build a chart, or reuse it: a view is a pure function of (chart, state, published data), and a callback that
    changes one control only needs to rebuild the charts that control affects. Callers never mutate views. The
    chart/table switch changes no chart (it only chooses what is shown), so both tabs share one view. A view is kept
    only under the data version it was built from (not if a reload happened meanwhile)."""
    state = replace(state, tab="chart")
    version = store.version
    key = (chart_id, state, version)
    view = _BUILT.get(key)
    if view is not None:
        return view
    view = get(chart_id).build(store, state)
    if store.version == version:
        _BUILT.set(key, view, view_bytes(view))
    return view


def share_path(spec: ChartSpec, state: ChartState) -> str:
    """The page URL that shows this chart in this state (anchor on the chart; a claim's chart opens its claim's page)."""
    if spec.id.startswith("claim-"):
        query = {"lang": state.lang} if state.lang != "en" else {}
        return f"/claims/{spec.id.removeprefix('claim-')}{'?' + urlencode(query) if query else ''}"
    query = state.query(spec)
    return f"{spec.page}{'?' + urlencode(query) if query else ''}#{spec.id}"


def embed_path(spec: ChartSpec, state: ChartState, **flags: str) -> str:
    query = {**state.query(spec), **{k: v for k, v in flags.items() if v}}
    return f"/embed/{spec.id}{'?' + urlencode(query) if query else ''}"


def download_path(spec: ChartSpec, state: ChartState, ext: str) -> str:
    query = state.query(spec)
    return f"/download/{spec.id}.{ext}{'?' + urlencode(query) if query else ''}"


# -- helpers shared by chart definitions -----------------------------------------------------------------------------
def source_line(sources: list[SourceRef], as_of: str, lang: str, extra: str = "") -> str:
    """'Source: Ember · Data as of 2024', inside every image. "As of" is the latest observation (the chart's, else its
    tables'); a table whose latest observation is older than its cadence allows says so: 'Data as of 29 April 2026
    — stale', or '… · latest data: 29 April 2026 — stale' when the view ends earlier than the table (naming the
    publisher when the chart has several)."""
    names = []
    for s in sources:
        name = source_text(s.publisher or s.title, lang)
        if name and name not in names:
            names.append(name)
    text = f"{t('source', lang)}: {'; '.join(names)}"
    observed = [s for s in sources if s.latest_observation]
    if not as_of and observed:
        latest = max(observed, key=lambda s: s.latest_observation)
        as_of = observation_text(latest.latest_observation, latest.resolution, lang)
    if as_of:
        text += f" · {t('data_as_of', lang)} {as_of}"
    stale = max((s for s in observed if s.stale_since), key=lambda s: s.latest_observation, default=None)
    if stale is not None:
        latest_text = observation_text(stale.latest_observation, stale.resolution, lang)
        note = f"{t('latest_data', lang)}: {latest_text} — {t('stale_mark', lang)}"
        if len(names) > 1:  # name the stale one: 'OWID; Ember · Data as of 2024 · Ember, latest data: 2024 — stale'
            text += f" · {source_text(stale.publisher or stale.title, lang)}, {note}"
        elif as_of in (latest_text, stale.latest_observation):
            text += f" — {t('stale_mark', lang)}"
        else:
            text += f" · {note}"
    if extra:
        text += f" · {extra}"
    return wrap(text, 110)


def period_start(start: str) -> pd.Timestamp:
    return pd.Timestamp(start if len(start) > 4 else f"{start}-01-01")


def period_end(end: str) -> pd.Timestamp:
    """The last day a year, month or date covers."""
    if len(end) == 10:
        return pd.Timestamp(end)
    if len(end) == 4:
        return pd.Timestamp(f"{end}-12-31")
    return pd.Timestamp(f"{end}-01") + pd.offsets.MonthEnd(0)


def filter_period(df: pd.DataFrame, column: str, start: str | None, end: str | None) -> pd.DataFrame:
    """Keep rows within [start, end]; works on integer years and on datetime columns."""
    if df.empty:
        return df
    col = df[column]
    if pd.api.types.is_datetime64_any_dtype(col):
        if col.is_monotonic_increasing:  # sorted dates (prepared frames): two binary searches, no mask over the rows
            first = col.searchsorted(period_start(start), "left") if start else 0
            last = col.searchsorted(period_end(end), "right") if end else len(col)
            return df.iloc[first:last]
        if start:
            df = df[col >= period_start(start)]
            col = df[column]
        if end:
            df = df[col <= period_end(end)]
        return df
    if col.is_monotonic_increasing and col.dtype.kind == "i":  # sorted years (one entity's rows): binary searches
        first = col.searchsorted(int(start[:4]), "left") if start else 0
        last = col.searchsorted(int(end[:4]), "right") if end else len(col)
        return df.iloc[first:last]
    if start:
        df = df[col >= int(start[:4])]
        col = df[column]
    if end:
        df = df[col <= int(end[:4])]
    return df


def observation_text(latest: str, resolution: str, lang: str) -> str:
    """A latest observation (ISO date) as its table publishes it: '2024' for a year, 'April 2026', '29 April 2026'."""
    if not latest:
        return ""
    if resolution == "year":
        return latest[:4]
    if resolution == "month":
        return fmt_date(latest[:7], lang)
    return fmt_date(latest[:10], lang)


def as_of_text(value: object, lang: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return fmt_date(value.date(), lang)
    return str(value)


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

"""What a chart is, and the table of charts: `ChartSpec` (id, page, accepted URL parameters, builder), `ChartState`
(what a URL says about a view), `ChartView` (what a builder returns) and `register`.

Chart definitions (`dashboard/chartdefs/`) import from here and register themselves when imported; this module imports
no chart definition, so there is no import cycle. `dashboard/charts.py` imports the definitions (filling `REGISTRY`)
and does the rest: URL parsing, building with a cache, links.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.data import DataStore, SourceRef
from dashboard.figures.common import Draft, for_screen
from dashboard.i18n import lang_query


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
        if include_lang:
            out.update(lang_query(self.lang))
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
    # On a page whose heading already shows the claim's quote, the card's subtitle leaves it out (a phone's first
    # screen has room for the chart, not the quote twice); images and embeds travel alone and keep `subtitle`.
    page_subtitle: str | None = None

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
        callbacks send `screen()`, the same JSON made straight from the draft (tests/dashboard/test_fast_paths.py)."""
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
    # The first and last period the chart's data hold (ISO: a year, a month or a day), for charts whose view depends
    # on start and end only through the rows they keep: a start before the first period (an end after the last)
    # then draws the very view that no start (no end) draws, and both are kept as one (charts.cache_state).
    span: Callable[[DataStore], tuple[str, str]] | None = None


REGISTRY: dict[str, ChartSpec] = {}


def register(spec: ChartSpec) -> ChartSpec:
    if spec.id in REGISTRY and REGISTRY[spec.id] is not spec:
        raise ValueError(f"chart id {spec.id!r} registered twice")
    REGISTRY[spec.id] = spec
    return spec

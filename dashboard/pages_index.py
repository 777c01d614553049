"""The one list of pages: path, name key, charts in the order the page shows them, the URL parameters each accepts
and whether the navigation lists it. Used to answer bad URLs with 404/400 before Dash renders, to lay out each page's
cards (dashboard/pages/*), to build the navigation and per-page titles, descriptions and share images."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from dashboard import charts
from dashboard.charts import BadParameter, ChartSpec, ChartState, ChartView
from dashboard.data import DataStore
from dashboard.i18n import LANGS
from etl.claims.labels import (
    LABEL_CANNOT_CHECK,
    LABEL_CONSISTENT,
    LABEL_NOT_CONSISTENT,
    LABEL_NOT_FACTUAL,
    LABEL_PARTLY,
)

CLAIM_PREFIX = "/claims/"  # the page per claim: /claims/<claim id> (dashboard/pages/claim.py)
CLAIM_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # kebab-case, as docs/CLAIMS_FORMAT.md requires
MAX_CLAIM_ID_CHARS = 100
LABEL_SLUGS = {
    "consistent": LABEL_CONSISTENT,
    "partly": LABEL_PARTLY,
    "not-consistent": LABEL_NOT_CONSISTENT,
    "cannot-check": LABEL_CANNOT_CHECK,
    "not-factual": LABEL_NOT_FACTUAL,
}


@dataclass(frozen=True)
class PageInfo:
    path: str
    key: str  # i18n key stem: page_<key>_title / page_<key>_desc
    charts: tuple[str, ...] = ()
    extra_params: Mapping[str, Callable[[DataStore], list[str]]] = field(default_factory=dict)
    share_chart: str | None = None  # the chart whose image represents the page in link previews
    in_nav: bool = True  # listed in the site's navigation, as t(f"nav_{key}")

    def view_spec(self) -> ChartSpec:
        """A chart-like spec whose parameters are the union of the page's charts' (for validation)."""
        specs = [charts.get(c) for c in self.charts]
        params: list[str] = []
        for s in specs:
            params += [p for p in s.params if p not in params]
        with_countries = next((s for s in specs if s.country_choices), None)
        with_series = next((s for s in specs if s.series_choices), None)
        with_tables = next((s for s in specs if s.table_choices), None)
        return ChartSpec(
            id=f"page-{self.key}",
            page=self.path,
            title=dict.fromkeys(LANGS, self.key),  # the key names it in every language
            build=_no_build,
            params=tuple(params),
            default_countries=with_countries.default_countries if with_countries else (),
            country_choices=with_countries.country_choices if with_countries else None,
            series_choices=with_series.series_choices if with_series else None,
            table_choices=with_tables.table_choices if with_tables else None,
        )


def _no_build(store: DataStore, state: ChartState) -> ChartView:
    raise NotImplementedError


def _claim_topics(store: DataStore) -> list[str]:
    doc = store.json_file("claims.json") or {}
    return sorted({c["topic"] for c in doc.get("claims", [])})


def _claim_ids(store: DataStore) -> list[str]:
    doc = store.json_file("claims.json") or {}
    return [c["claim_id"] for c in doc.get("claims", [])]


PAGES: dict[str, PageInfo] = {
    "/": PageInfo(
        "/",
        "claims",
        extra_params={"topic": _claim_topics, "label": lambda s: list(LABEL_SLUGS), "claim": _claim_ids},
        share_chart=None,
    ),
    "/blackouts": PageInfo(
        "/blackouts",
        "blackouts",
        charts=(
            "une-supply-demand",
            "une-share-dark",
            "une-load-cut",
            "une-forecast-error",
            "une-outage-hours",
            "une-units-out",
            "une-calendar",
        ),
        share_chart="une-supply-demand",
    ),
    "/oil": PageInfo(
        "/oil",
        "oil",
        charts=("oil-imports-monthly", "oil-imports-share", "oil-balance", "oil-shipments", "oil-gap-vs-producers"),
        share_chart="oil-imports-monthly",
    ),
    "/generation": PageInfo(
        "/generation",
        "generation",
        charts=(
            "generation-by-source",
            "oil-share-of-electricity",
            "fossil-share-of-electricity",
            "electricity-demand-two-publishers",
            "thermal-plants",
            "power-plants-map",
        ),
        share_chart="generation-by-source",
    ),
    "/explore": PageInfo("/explore", "explore", charts=("explore",), share_chart="explore"),
    "/data": PageInfo("/data", "data"),
    "/methodology": PageInfo("/methodology", "methodology"),
}


NAV = [(page.path, f"nav_{page.key}") for page in PAGES.values() if page.in_nav]


def parse_page_query(page: PageInfo, store: DataStore, query: Mapping[str, str]) -> tuple[ChartState, dict[str, str]]:
    """Validate a page's query string: chart state plus page-specific extras. Raises BadParameter."""
    extras = {k: v for k, v in query.items() if k in page.extra_params}
    for key, value in extras.items():
        if value not in page.extra_params[key](store):
            raise BadParameter(f"unknown {key} {value!r}")
    chart_query = {k: v for k, v in query.items() if k not in page.extra_params}
    if page.charts:
        state = charts.parse_state(page.view_spec(), store, chart_query)
    else:
        allowed = {"lang"}
        unknown = [k for k in chart_query if k not in allowed]
        if unknown:
            raise BadParameter(f"unknown parameter {unknown[0]!r} (this page accepts: lang)")
        state = charts.parse_state(page.view_spec(), store, chart_query)
    return state, extras


def claim_id_of(path: str) -> str | None:
    """The claim id in `/claims/<id>`, or None when the path is not a well-formed claim page address."""
    if not path.startswith(CLAIM_PREFIX):
        return None
    claim_id = path[len(CLAIM_PREFIX) :]
    if len(claim_id) > MAX_CLAIM_ID_CHARS or not CLAIM_ID.fullmatch(claim_id):
        return None
    return claim_id


def find_claim(store: DataStore, claim_id: str | None) -> dict | None:
    """The published claim with this id (first document that has it), or None."""
    if not claim_id:
        return None
    doc = store.json_file("claims.json") or {}
    return next((c for c in doc.get("claims", []) if c.get("claim_id") == claim_id), None)


def parse_claim_query(query: Mapping[str, str]) -> str:
    """A claim page accepts `lang` only (its chart is shown in its one state). Raises BadParameter."""
    unknown = [k for k in query if k != "lang"]
    if unknown:
        raise BadParameter(f"unknown parameter {unknown[0]!r} (this page accepts: lang)")
    lang = query.get("lang") or "en"
    if lang not in ("en", "es"):
        raise BadParameter(f"unknown lang {lang!r} (en or es)")
    return lang

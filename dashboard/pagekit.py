"""What every page does the same way: read the URL state, build its charts, wrap them in the shell, and keep the
URL in step with the controls (so a copied link reproduces the view)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from dash import dcc, html
from plotly.utils import PlotlyJSONEncoder

from dashboard import chart_card, charts, components, ids, memo
from dashboard.chart_registry import ChartState
from dashboard.charts import BadParameter
from dashboard.data import store
from dashboard.i18n import normalize_lang, t
from dashboard.pages_index import PAGES, parse_page_query


def base_url() -> str:
    """The site's configured public address (create_app: $CUBA_SITE_URL), never the request's Host: layouts are
    cached and shared by every reader. "/" outside an app (a layout built in a test without one)."""
    try:
        import flask

        return flask.current_app.config["SITE_URL"] + "/"
    except (RuntimeError, KeyError):
        return "/"


VIEW_NEUTRAL_PARAMS = ("light",)
_LAYOUTS = memo.ByteLRU.for_budget("layouts")  # bounded in bytes (estimated below) as well as entries (128)
_LAYOUT_JSON_FACTOR = 5  # a layout's Python objects take ~5× its JSON (tracemalloc on the generation page: 4.7×)


def _layout_bytes(layout: html.Div) -> int:
    try:
        return _LAYOUT_JSON_FACTOR * len(json.dumps(layout, cls=PlotlyJSONEncoder))
    except (TypeError, ValueError):
        return _LAYOUTS.max_item  # cannot be measured: count it as the largest allowed


def render(path: str, query: dict[str, str], body: Callable[[ChartState, dict[str, str], str], list]) -> html.Div:
    """A page's layout for a URL: pure in (path, query, published data, site URL), so it is cached per process and
    rebuilt only when the ETL publishes new data. Components are never mutated after they are built."""
    data = store()
    version = data.version
    # `light` chooses how the page is delivered (dashboard/static_first.py), not what it shows
    query = {k: v for k, v in query.items() if k not in VIEW_NEUTRAL_PARAMS}
    # (an archived page's layout offers pinned addresses: not the live page's, even at the same version)
    key = (
        path,
        tuple(sorted((k, str(v)) for k, v in query.items() if v is not None)),
        version,
        data.is_pinned,
        base_url(),
    )
    layout = _LAYOUTS.get(key)
    if layout is not None:
        return layout
    layout = _render(path, query, body)
    if data.version == version:  # kept only under the version it was built from
        _LAYOUTS.set(key, layout, _layout_bytes(layout))
    return layout


def _render(path: str, query: dict[str, str], body: Callable[[ChartState, dict[str, str], str], list]) -> html.Div:
    """Validate the query, then build the page body inside the shell. Bad values show a message (the server has
    already answered such URLs with 400 on a full page load; this covers in-app navigation)."""
    lang = normalize_lang(query.get("lang"))
    page = PAGES[path]
    data = store()
    try:
        state, extras = parse_page_query(page, data, {k: v for k, v in query.items() if v is not None})
    except BadParameter as exc:
        return components.shell(
            path,
            lang,
            {"lang": lang},
            data,
            [html.H1(t("bad_request_title", lang)), html.P(str(exc), className="lead")],
        )
    children = body(state, extras, base_url())
    children.append(
        dcc.Store(id=ids.PAGE_STATE, data={"page": path, "lang": lang, "charts": list(page.charts), "extras": extras})
    )
    children.append(html.Div(id=ids.URL_SYNC, hidden=True))
    return components.shell(path, lang, {k: v for k, v in query.items() if v}, data, children)


def cards(chart_ids: tuple[str, ...] | list[str], state: ChartState, url: str) -> list:
    out = []
    data = store()
    for chart_id in chart_ids:
        spec = charts.get(chart_id)
        chart_state = charts.narrow(spec, data, state)
        out.append(chart_card.chart_card(spec, charts.build(chart_id, data, chart_state), chart_state, url))
    return out


def _state_from_controls(
    page: dict[str, Any],
    countries: list[str] | None,
    start: str | None,
    end: str | None,
    tab: str | None,
    table: str | None = None,
    series: str | None = None,
) -> tuple[ChartState, dict]:
    query = {"lang": page["lang"]}
    if countries:
        query["country"] = "~".join(countries)
    if start:
        query["start"] = start
    if end:
        query["end"] = end
    if tab and tab != "chart":
        query["tab"] = tab
    if table:
        query["table"] = table
    if series:
        query["series"] = series
    info = PAGES[page["page"]]
    state, _ = parse_page_query(info, store(), query)
    return state, query


def _views_for(chart_ids: list[str], state: ChartState):
    data = store()
    for chart_id in chart_ids:
        spec = charts.get(chart_id)
        chart_state = charts.narrow(spec, data, state)
        yield spec, chart_state, charts.build(chart_id, data, chart_state)


def page_title_marker(title: str) -> html.Span:
    return html.Span(title, id="page-title-text", hidden=True)


def current_lang() -> str:
    """The language of the page being rendered (from the router's search input, or the request)."""
    import dash
    from dash.exceptions import MissingCallbackContextException

    try:
        search = dash.callback_context.inputs.get("_pages_location.search") or ""
    except MissingCallbackContextException:
        search = ""
    for part in search.lstrip("?").split("&"):
        if part.startswith("lang="):
            return normalize_lang(part[5:])
    try:
        import flask

        return normalize_lang(flask.request.args.get("lang"))
    except RuntimeError:
        return "en"


def title_for(key: str) -> Callable[..., str]:
    from dashboard.pagemeta import page_title

    return lambda **_: page_title(key, current_lang())


def description_for(key: str) -> Callable[..., str]:
    from dashboard.pagemeta import page_description

    return lambda **_: page_description(key, current_lang())


def heading(key: str, lang: str) -> list:
    from dashboard.pagemeta import page_title

    return [
        page_title_marker(page_title(key, lang)),
        html.H1(t(f"page_{key}_title", lang)),
        html.P(t(f"page_{key}_desc", lang), className="lead"),
    ]

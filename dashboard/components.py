"""Reusable pieces of pages: the shell (header, navigation, language switch, stale-data banner, footer) and the view
controls. The chart card is in dashboard/chart_card.py (its table view in dashboard/table_view.py), the claims' cards
in dashboard/claim_cards.py."""

from __future__ import annotations

from urllib.parse import urlencode

from dash import dcc, html

from dashboard import ids
from dashboard.chart_registry import ChartState
from dashboard.data import DataStore
from dashboard.i18n import DEFAULT_LANG, fmt_date, other_lang, t
from dashboard.pages_index import NAV


def with_lang(path: str, lang: str, query: dict[str, str] | None = None) -> str:
    params = dict(query or {})
    if lang != DEFAULT_LANG:
        params["lang"] = lang
    else:
        params.pop("lang", None)
    return f"{path}?{urlencode(params)}" if params else path


def shell(path: str, lang: str, query: dict[str, str], store: DataStore, children: list) -> html.Div:
    """The page frame every page shares; built server-side per request, so it is in the page's language."""
    other = other_lang(lang)
    nav = html.Nav(
        html.Ul(
            [
                html.Li(
                    html.A(
                        t(key, lang),
                        href=with_lang(href, lang),
                        className="nav-link" + (" active" if href == path else ""),
                        **({"aria-current": "page"} if href == path else {}),
                    ),
                    className="nav-item",
                )
                for href, key in NAV
            ],
            className="nav nav-pills flex-wrap",
        ),
        **{"aria-label": t("nav_main_label", lang)},
    )
    switch = html.A(
        t("lang_switch", lang),
        href=with_lang(path, other, query),
        lang=other,
        hrefLang=other,
        className="btn btn-outline-secondary btn-sm lang-switch",
        title=t("lang_switch_label", lang),
        id="lang-switch",
    )
    return html.Div(
        [
            html.A(t("skip_to_content", lang), href="#main", className="visually-hidden-focusable skip-link"),
            html.Header(
                [
                    html.Div(
                        [
                            html.A(t("site_title", lang), href=with_lang("/", lang), className="site-title"),
                            html.Div([switch, light_switch(path, lang, query)], className="d-flex gap-2"),
                        ],
                        className="d-flex justify-content-between align-items-center gap-2 flex-wrap",
                    ),
                    html.P(t("site_tagline", lang), className="tagline"),
                    nav,
                ],
                className="site-header container",
            ),
            stale_banner(store, lang),
            html.Main(children, id="main", className="container", lang=lang),
            html.Footer(
                [
                    html.P(t("footer_neutral", lang)),
                    html.P(
                        [t("footer_licence", lang), " ", html.A(t("nav_data", lang), href=with_lang("/data", lang))]
                    ),
                ],
                className="site-footer container",
            ),
        ],
        lang=lang,
    )


def light_switch(path: str, lang: str, query: dict[str, str]) -> html.A:
    """The visible switch to the light version: static charts, no scripts (dashboard/static_first.py)."""
    from dashboard.light import light_switch as switch

    return switch(path, lang, query)


def stale_banner(store: DataStore, lang: str) -> html.Div | None:
    """A visible warning when a source failed on its last attempt or is older than twice its cadence."""
    bad = [s for s in store.staleness() if s["failed"] or s["stale"]]
    if not bad:
        return html.Div(id="stale-banner", hidden=True)
    names = ", ".join(
        f"{s['source_id']} ({t('failed', lang) if s['failed'] else t('stale', lang)}, "
        f"{t('data_as_of', lang).lower()} {fmt_date(s['as_of'], lang)})"
        for s in bad
    )
    return html.Div(
        html.Div(t("stale_banner", lang, names=names), className="container"),
        id="stale-banner",
        role="status",
        className="alert alert-warning stale-banner",
    )


# -- controls ---------------------------------------------------------------------------------------------------------
def controls(
    lang: str,
    state: ChartState,
    *,
    countries: list[tuple[str, str]] | None = None,
    years: list[int] | None = None,
    dates: tuple[str, str] | None = None,
    tables: list[dict] | None = None,
    series: list[dict] | None = None,
) -> html.Div:
    """The page's view controls. Every page renders all of them (hidden when unused) so callbacks stay simple."""
    items = [
        html.Div(
            [
                html.Label(t("table", lang), htmlFor=ids.CONTROL_TABLE, className="form-label"),
                dcc.Dropdown(id=ids.CONTROL_TABLE, options=tables or [], value=state.table, clearable=False),
            ],
            className="control control-wide",
            hidden=not tables,
        ),
        html.Div(
            [
                html.Label(t("series", lang), htmlFor=ids.CONTROL_SERIES, className="form-label"),
                dcc.Dropdown(id=ids.CONTROL_SERIES, options=series or [], value=state.series, clearable=False),
            ],
            className="control control-wide",
            hidden=not series,
        ),
    ]
    items.append(
        html.Div(
            [
                html.Label(t("entities", lang), htmlFor=ids.CONTROL_COUNTRIES, className="form-label"),
                dcc.Dropdown(
                    id=ids.CONTROL_COUNTRIES,
                    options=[{"label": label, "value": code} for code, label in (countries or [])],
                    value=list(state.countries),
                    multi=True,
                    clearable=False,
                ),
            ],
            className="control control-countries",
            hidden=not countries,
        )
    )
    if dates:
        start_opts = end_opts = None
        for key, cid, value in (("from", ids.CONTROL_START, state.start), ("to", ids.CONTROL_END, state.end)):
            items.append(
                html.Div(
                    [
                        html.Label(t(key, lang), htmlFor=cid, className="form-label"),
                        dcc.Input(
                            id=cid,
                            type="date",
                            min=dates[0],
                            max=dates[1],
                            value=value or "",
                            debounce=True,
                            className="form-control",
                        ),
                    ],
                    className="control",
                )
            )
    else:
        start_opts = [{"label": str(y), "value": str(y)} for y in (years or [])]
        end_opts = start_opts
        for cid, key, value, opts in (
            (ids.CONTROL_START, "from", state.start, start_opts),
            (ids.CONTROL_END, "to", state.end, end_opts),
        ):
            items.append(
                html.Div(
                    [
                        html.Label(t(key, lang), htmlFor=cid, className="form-label"),
                        # no year chosen: every year from the first, or up to the latest (not "…": the static
                        # form's select showed it as a value)
                        dcc.Dropdown(
                            id=cid, options=opts, value=value, clearable=True, placeholder=t(f"{key}_any_year", lang)
                        ),
                    ],
                    className="control control-year",
                    hidden=not years,
                )
            )
    items.append(
        html.Div(
            [
                html.Span(t("view", lang), className="form-label", id="control-tab-label"),
                dcc.RadioItems(
                    id=ids.CONTROL_TAB,
                    options=[
                        {"label": t("tab_chart", lang), "value": "chart"},
                        {"label": t("tab_table", lang), "value": "table"},
                    ],
                    value=state.tab,
                    inline=True,
                    className="tab-switch",
                ),
            ],
            # Dash renders the options as a listbox; assets/30-accessible-controls.js makes it a radiogroup named
            # by this label (native radios need no listbox), and 10-site.css gives the radios a 24 px target.
            className="control",
        )
    )
    return html.Div(
        items,
        className="controls",
        role="group",
        **{"aria-label": t("controls_label", lang)},
    )

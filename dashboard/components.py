"""Reusable pieces of pages: the shell (header, navigation, language switch, stale-data banner, footer), the
view controls, and the chart card (figure, table, summary, sources, downloads, share, embed, cite)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pandas as pd
from dash import dcc, html

from dashboard import charts, ids, memo
from dashboard import data as data_module
from dashboard.chart_registry import ChartSpec, ChartState, ChartView
from dashboard.chartdefs._shared import source_line
from dashboard.chartdefs.claims import has_chart, unit_label
from dashboard.charts import download_path, embed_path, share_path
from dashboard.data import DataStore
from dashboard.describe import describe
from dashboard.i18n import fmt_date, fmt_num, label_text, licence_name, source_text, t
from dashboard.pages_index import LABEL_SLUGS, NAV

# No modebar: its image export would lack title and source (our PNG/SVG links carry them), and its buttons cost
# 10-20 ms per chart at page load. Zoom by dragging and reset by double-click still work.
GRAPH_CONFIG = {
    "displaylogo": False,
    "displayModeBar": False,
    "responsive": True,
    "topojsonURL": "/static/topojson/",
}
MAX_TABLE_ROWS = 60  # two months of daily notes, newest first; every row is in the CSV (the note says so)


def with_lang(path: str, lang: str, query: dict[str, str] | None = None) -> str:
    params = dict(query or {})
    if lang != "en":
        params["lang"] = lang
    else:
        params.pop("lang", None)
    return f"{path}?{urlencode(params)}" if params else path


def shell(path: str, lang: str, query: dict[str, str], store: DataStore, children: list) -> html.Div:
    """The page frame every page shares; built server-side per request, so it is in the page's language."""
    other = "es" if lang == "en" else "en"
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
        **{"aria-label": "Main" if lang == "en" else "Principal"},
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
                        dcc.Dropdown(id=cid, options=opts, value=value, clearable=True, placeholder="…"),
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
        **{"aria-label": "View controls" if lang == "en" else "Controles de vista"},
    )


# -- chart card -------------------------------------------------------------------------------------------------------
def _html(tag: str, children: Any, **props: Any) -> dict:
    """An html component as the JSON Dash sends for it (`className=` as in dash.html). A table view holds up to
    2,000 cells; building each as an `html.Td` object cost ~80 ms per table-view callback. Same JSON as the
    components (tests/dashboard/test_fast_paths.py)."""
    return {"props": {"children": children, **props}, "type": tag, "namespace": "dash_html_components"}


def _cell(value: Any, lang: str) -> dict:
    if isinstance(value, float):
        return _html("Td", fmt_num(value, lang), className="num")
    if isinstance(value, pd.Timestamp):
        return _html("Td", value.date().isoformat())
    if value is None or value is pd.NA:
        return _html("Td", "–")
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        text = value[:60] + ("…" if len(value) > 60 else "")
        return _html("Td", _html("A", text, href=value, rel="noopener noreferrer", target="_blank"))
    return _html("Td", str(value))


_TABLES_MAX = 24  # a page's tables in both languages, and a few more
_TABLES = memo.ByteLRU("tables", memo.budget("tables")[0], _TABLES_MAX, memo.budget("tables")[2])


def view_table(view: ChartView, lang: str) -> dict:
    """A view's table, kept for the last few tables only: a long table is ~3,000 small dicts, and keeping one with
    each of the 256 cached views made Python's full garbage collections take ~100 ms (the callbacks' p95). Keyed by
    what the table is made of (the view's title, the language and its frame's values: `memo.frame_key`), never by
    the view object: an object's id is reused once it is gone, and equal views share one table."""
    key = (view.derived("frame_key", lambda: memo.frame_key(view.frame)), view.title, lang)
    table = _TABLES.get(key)
    if table is None:
        table = data_table(view.frame, lang, view.title)
        _TABLES.set(key, table, memo.size_of(table))
    return table


def _column_cells(col: pd.Series, rows: np.ndarray, lang: str) -> list[dict]:
    """Those rows of a column as cells, formatted as `_cell` formats each value; the common types in one pass."""
    if col.dtype == "float64":
        return [_html("Td", fmt_num(v, lang), className="num") for v in col.to_numpy()[rows].tolist()]
    if pd.api.types.is_datetime64_dtype(col.dtype):
        return [_html("Td", v) for v in np.datetime_as_string(col.to_numpy()[rows], unit="D").tolist()]
    return [_cell(v, lang) for v in col.array[rows].tolist()]


def _shown_rows(frame: pd.DataFrame, lang: str) -> tuple[np.ndarray, str]:
    """Positions of the rows a table view shows, and a note when it shows only some: long series show their newest
    rows first (what a reader checks), everything else its first rows; the CSV download always has every row."""
    if len(frame) <= MAX_TABLE_ROWS:
        return np.arange(len(frame)), ""
    counts = {"shown": fmt_num(MAX_TABLE_ROWS, lang), "total": fmt_num(len(frame), lang)}
    when = next((c for c in ("date", "month", "period_end", "year") if c in frame.columns), None)
    if when is None:
        return np.arange(MAX_TABLE_ROWS), t("table_first", lang, **counts)
    order = frame[when]
    if order.is_monotonic_increasing and order.is_unique:  # the usual case: one row per date, oldest first
        return np.arange(len(frame) - 1, len(frame) - 1 - MAX_TABLE_ROWS, -1), t("table_newest", lang, **counts)
    newest = order.reset_index(drop=True).sort_values(ascending=False, kind="stable")  # ties keep their order
    return newest.index.to_numpy()[:MAX_TABLE_ROWS], t("table_newest", lang, **counts)


def table_rows(frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, str]:
    """The rows a table view shows (see `_shown_rows`), as a frame."""
    rows, note = _shown_rows(frame, lang)
    return frame.iloc[rows], note


def data_table(frame: pd.DataFrame, lang: str, caption: str) -> dict:
    """A real <table> of the numbers shown (for screen readers and for copying), as an html.Table's JSON."""
    rows, note = _shown_rows(frame, lang)
    header = _html("Thead", _html("Tr", [_html("Th", c, scope="col") for c in frame.columns]))
    columns = [_column_cells(col, rows, lang) for _, col in frame.items()]
    cells = [_html("Tr", list(row)) for row in zip(*columns, strict=True)]
    return _html(
        "Table",
        [_html("Caption", f"{caption} ({note})" if note else caption), header, _html("Tbody", cells)],
        className="table table-sm table-striped data-table",
    )


def source_list(view: ChartView, lang: str) -> html.Ul:
    """One line per publisher and dataset (a source of many files, e.g. one UNE note per day, is listed once; its
    files are on /data)."""
    items = []
    shown: set[tuple[str, str]] = set()
    for s in view.sources:
        if (s.publisher, s.title) in shown:
            continue
        shown.add((s.publisher, s.title))
        text = source_text(s.publisher or s.title, lang)
        title = source_text(s.title, lang) if s.title else ""
        items.append(
            html.Li(
                [
                    html.A(text, href=s.url, rel="noopener noreferrer", target="_blank")
                    if s.url.startswith("http")
                    else html.Span(text),
                    f" — {title}" if title and title != text else "",
                    f" · {t('retrieved', lang)} {s.retrieved}" if s.retrieved else "",
                    f" · {t('licence', lang)} {licence_name(s.licence, lang)}" if s.licence else "",
                ]
            )
        )
    return html.Ul(items, className="sources")


def citation_text(spec: ChartSpec, view: ChartView, state: ChartState, base_url: str) -> str:
    """A citation in the reader's language: title, publishers, the site, the data's date (as the page writes it), the
    data version and the address that keeps showing it (the archived page, when that version is in the site's
    history; else the live page), as the chart's zip cites it (dashboard/citation.py)."""
    lang = state.lang
    publishers = "; ".join(dict.fromkeys(source_text(s.publisher or s.title, lang) for s in view.sources))
    as_of = fmt_date(view.as_of, lang) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(view.as_of or "")) else view.as_of
    version_id, pinnable = cited_version()
    url = f"{base_url.rstrip('/')}{share_path(spec, state)}"
    version = f" {t('data_version', lang, version=version_id)}." if version_id else ""
    if pinnable:
        from dashboard.citation import with_version

        url = with_version(url, version_id)
    return (
        f"{view.title.rstrip('.')}. {publishers}. {t('site_title', lang)}, {t('data_as_of', lang).lower()} {as_of}."
        f"{version} {url}"
    )


def cited_version() -> tuple[str, bool]:
    """(the data version this page shows, whether addresses pinned to it work: it is in the site's history or the
    page is itself pinned). ("", False) when no data serve."""
    from dashboard.versions import history_for

    data = data_module.store()
    try:
        version_id = data.version_id
    except Exception:  # noqa: BLE001 - no data: a citation without a version
        return "", False
    return version_id, data.is_pinned or history_for(data).is_pinnable(version_id)


def chart_card(
    spec: ChartSpec,
    view: ChartView,
    state: ChartState,
    base_url: str,
    heading_level: int = 2,
    extra: list | None = None,
    section_id: str | None = None,
    static_image: str | None = None,
    lazy_image: bool = False,
) -> html.Section:
    """One chart with everything a journalist needs around it. With `static_image`, the chart is an SVG image with
    a link to the interactive version: for pages that list many charts (images do not block the page's render).
    With `lazy_image`, the image's address waits in `data-src` until its collapsed claim is opened."""
    lang = state.lang
    heading = (html.H2 if heading_level == 2 else html.H3)(view.title, id=f"{spec.id}-title")
    summary_id = f"{spec.id}-summary"
    description_id = f"{spec.id}-description"
    description = describe(view, lang)
    share_url = f"{base_url.rstrip('/')}{share_path(spec, state)}"
    embed_url = f"{base_url.rstrip('/')}{embed_path(spec, state)}"
    pinned_id = data_module.store().version_id if data_module.store().is_pinned else None
    if pinned_id:  # an archived page (dashboard/archived.py): every address it offers stays on its version
        from dashboard.citation import with_version

        share_url, embed_url = with_version(share_url, pinned_id), with_version(embed_url, pinned_id)
    iframe = embed_code(spec, view, state, base_url, version=pinned_id)
    return html.Section(
        [
            heading,
            html.P(view.page_subtitle or view.subtitle, className="subtitle"),
            *(extra or []),
            html.Div(
                [
                    html.Img(
                        alt=description,
                        width="960",
                        height="560",
                        className="chart-img",
                        **({"data-src": static_image} if lazy_image else {"src": static_image}),
                    ),
                    html.P(
                        html.A(t("interactive_chart", lang), href=embed_url, target="_blank", rel="noopener"),
                        className="small",
                    ),
                ]
                if static_image
                else dcc.Graph(
                    id=ids.chart("graph", spec.id),
                    figure=view.screen(),
                    config=GRAPH_CONFIG,
                    className="chart-graph",
                    responsive=True,
                ),
                hidden=state.tab == "table",
                id=ids.chart("graph-wrap", spec.id),
                # An interactive chart is one image named by its title; a static one is an <img> with its own alt
                # and a link beside it (an image role around the link would hide a control inside an image).
                **(
                    {}
                    if static_image
                    else {"role": "img", "aria-labelledby": f"{spec.id}-title", "aria-describedby": description_id}
                ),
            ),
            html.Div(
                # The table is built only when it is shown (tab=table): hidden tables of every chart would make
                # pages several times heavier to render. Switching to the table view asks the server for it.
                view_table(view, lang) if state.tab == "table" else None,
                id=ids.chart("table", spec.id),
                className="table-wrap",
                hidden=state.tab != "table",
                # A long table scrolls inside its box: focusable, so the keyboard can scroll it too.
                tabIndex="0",
                role="region",
                **{"aria-labelledby": f"{spec.id}-title"},
            ),
            html.P(
                [
                    html.Strong(f"{t('summary_label', lang)}: "),
                    html.Span(view.summary, id=ids.chart("summary", spec.id)),
                ],
                id=summary_id,
                className="summary",
            ),
            # What the chart shows, in words (measure, period, direction, extremes, latest value, source): the chart's
            # accessible description and, for sighted readers, one click away. An interactive card's text follows
            # the controls (its inner span is a callback output, as the summary's).
            html.Details(
                [
                    html.Summary(t("chart_description", lang)),
                    html.P(
                        description if static_image else html.Span(description, id=ids.chart("description", spec.id)),
                        id=description_id,
                        className="small",
                    ),
                ],
                className="chart-description",
            ),
            *([html.P(n, className="note") for n in view.notes]),
            # The chart's own "as of" and the stale flag, as the image and the embed carry them (one date in all three).
            html.P(
                source_line(view.sources, view.as_of, lang).replace("<br>", " "), className="as-of small text-muted"
            ),
            html.Details(
                [html.Summary(t("sources", lang)), source_list(view, lang)], className="sources-box", open=True
            ),
            html.Div(
                [
                    html.Span(t("download", lang) + ":", className="me-1"),
                    *(
                        html.A(
                            t(f"download_{ext}", lang),
                            href=download_path(spec, state, ext),
                            id=ids.chart(ext, spec.id),
                            className="btn btn-sm btn-outline-primary",
                            download="",
                        )
                        for ext in ("csv", "png", "svg", "zip")
                    ),
                ],
                className="actions",
            ),
            html.Details(
                [
                    html.Summary(f"{t('share', lang)} · {t('embed', lang)} · {t('cite', lang)}"),
                    html.Label(t("share_link", lang), htmlFor=dom_id(ids.chart("share", spec.id))),
                    html.Div(
                        [
                            dcc.Input(
                                id=ids.chart("share", spec.id),
                                value=share_url,
                                readOnly=True,
                                className="form-control form-control-sm",
                            ),
                            dcc.Clipboard(
                                target_id=None,
                                content=share_url,
                                title=t("copy", lang),
                                id=ids.chart("share-copy", spec.id),
                                className="copy",
                            ),
                        ],
                        className="copy-row",
                    ),
                    html.Label(t("embed_code", lang), htmlFor=dom_id(ids.chart("embed", spec.id))),
                    html.Div(
                        [
                            dcc.Textarea(
                                id=ids.chart("embed", spec.id),
                                value=iframe,
                                readOnly=True,
                                rows=4,
                                className="form-control form-control-sm code",
                            ),
                            dcc.Clipboard(
                                content=iframe,
                                title=t("copy", lang),
                                id=ids.chart("embed-copy", spec.id),
                                className="copy",
                            ),
                        ],
                        className="copy-row",
                    ),
                    html.P([html.A(embed_url, href=embed_url, id=ids.chart("embed-link", spec.id))], className="small"),
                    *pinned_links(spec, state, base_url, lang),
                    html.Label(t("how_to_cite", lang)),
                    html.P(citation_text(spec, view, state, base_url), className="small citation"),
                ],
                className="share-box",
            ),
        ],
        id=section_id or spec.id,
        className="chart-card",
        **{"aria-labelledby": f"{spec.id}-title"},
    )


def pinned_links(spec: ChartSpec, state: ChartState, base_url: str, lang: str) -> list:
    """The cite box's archived views, as OWID's archived embeds and pages: the embed and the page at the data version
    serving now (`?version=<id>`, dashboard/versions.py; the page as its archived static copy, dashboard/archived.py),
    beside the live link above, which follows new data. Hidden when that version is not in the repository's history
    (not committed yet), where a pinned link would break; always in the layout, so that a callback can keep their
    addresses in step with the view as it does the downloads'."""
    from dashboard.citation import with_version
    from dashboard.versions import history_for

    data = data_module.store()
    version_id = data.version_id
    offered = data.is_pinned or history_for(data).is_pinnable(version_id)
    base = base_url.rstrip("/")
    links = (
        ("pinned_embed", "pinned", with_version(embed_path(spec, state), version_id)),
        ("pinned_page", "pinned-page", with_version(share_path(spec, state), version_id)),
    )
    return [
        html.P(
            [
                t(key, lang, version=version_id),
                " ",
                html.A(base + path, href=base + path, id=ids.chart(kind, spec.id), className="pinned-link"),
            ],
            className="small",
            hidden=not offered,
        )
        for key, kind, path in links
    ]


def dom_id(component_id: dict[str, str]) -> str:
    """The DOM id Dash gives a pattern-matching id (sorted keys, compact JSON), for <label for=...>."""
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


def embed_code(spec: ChartSpec, view: ChartView, state: ChartState, base_url: str, version: str | None = None) -> str:
    """Copy-ready iframe with title, lazy loading, a <noscript> static image and the auto-height listener; with
    `version`, the chart as cited (its frame and image pinned to that data version)."""
    from html import escape

    from dashboard.citation import with_version

    base = base_url.rstrip("/")
    src = f"{base}{embed_path(spec, state)}"
    png = f"{base}{download_path(spec, state, 'png')}"
    if version:
        src, png = with_version(src, version), with_version(png, version)
    title = escape(view.title, quote=True)
    alt = escape(describe(view, state.lang), quote=True)
    frame_id = f"cuba-energy-{spec.id}"
    # Claim charts carry a second panel and a legend below the plot: without /embed.js the frame must still fit them.
    height = 680 if spec.id.startswith("claim-") else 520
    return (
        f'<iframe id="{frame_id}" src="{escape(src, quote=True)}" title="{title}" loading="lazy" '
        f'style="width:100%;min-width:300px;border:0" height="{height}"></iframe>\n'
        f'<noscript><img src="{escape(png, quote=True)}" alt="{alt}" style="max-width:100%"></noscript>\n'
        f'<script src="{base}/embed.js" async></script>'
    )


def number(value: float | None, lang: str, unit: str = "", decimals: int | None = None) -> str:
    text = fmt_num(value, lang, decimals)
    return f"{text} {unit}".strip()


# -- claims -----------------------------------------------------------------------------------------------------------
LABEL_SLUG = {label: slug for slug, label in LABEL_SLUGS.items()}
TOPICS_ES = {
    "oil supply": "suministro de petróleo",
    "generation": "generación",
    "blackouts": "apagones",
    "plants": "centrales",
    "tourism": "turismo",
    "prisoners": "presos políticos",
    "history": "historia",
    "geography": "geografía",
    "politics": "política",
    "economy": "economía",
}


def claim_path(claim_id: str, lang: str) -> str:
    """The claim's own page (pages/claim.py)."""
    return with_lang(f"/claims/{claim_id}", lang)


def topic_text(topic: str, lang: str) -> str:
    return TOPICS_ES.get(topic, topic) if lang == "es" else topic


def localized(record: dict[str, Any], field: str, lang: str) -> str:
    """`<field>_<lang>` when present, else `<field>_en`, else `<field>` (older claims files)."""
    for key in (f"{field}_{lang}", f"{field}_en", field):
        if record.get(key):
            return str(record[key])
    return ""


def claim_finding(claim: dict[str, Any], lang: str) -> str:
    """The one-line finding for the compact list; the full conclusion when the claims file has no finding yet."""
    return localized(claim, "finding", lang) or localized(claim, "conclusion", lang)


def label_badge(label: str, lang: str) -> html.Span:
    return html.Span(label_text(label, lang), className=f"label-badge label-{LABEL_SLUG.get(label, 'cannot-check')}")


def value_text(value: Any, unit: str | None, lang: str) -> str:
    shown = unit_label(unit, lang)
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = fmt_num(value, lang)
        return f"{text}%" if shown == "%" else f"{text} {shown}".strip()
    return str(value) if value is not None else "–"


def period_words(row: dict[str, Any], lang: str) -> str:
    """An evidence row's period in words from its x_start/x_end (a day, a year, whole months, or two dates); the
    period as published when those are missing."""
    start, end = str(row.get("x_start") or ""), str(row.get("x_end") or "")
    if len(start) != 10 or len(end) != 10:
        return str(row.get("period") or "")
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        return str(row.get("period") or "")
    if first == last:
        return fmt_date(start, lang)
    if first.year == last.year and (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        return str(first.year)
    if first.day == 1 and (last + timedelta(days=1)).day == 1:
        months = (fmt_date(start[:7], lang), fmt_date(end[:7], lang))
        return months[0] if months[0] == months[1] else f"{months[0]} – {months[1]}"
    return f"{fmt_date(start, lang)} – {fmt_date(end, lang)}"


def _source_link(name: str, url: str) -> Any:
    return html.A(name, href=url, rel="noopener noreferrer", target="_blank") if url.startswith("http") else name


def measured_list(claim: dict[str, Any], lang: str) -> html.Ul:
    """The values behind the label: the engine's `evidence_rows` (role "evidence") when published, else `measured`."""
    rows = [r for r in claim.get("evidence_rows") or [] if r.get("role", "evidence") == "evidence"]
    items = []
    if rows:
        for r in rows:
            flag = r.get("verification") or ""
            items.append(
                html.Li(
                    [
                        html.Strong(value_text(r.get("value"), r.get("unit"), lang)),
                        " — ",
                        localized(r, "series", lang) if lang == "es" and r.get("series_es") else r.get("series", ""),
                        f" ({period_words(r, lang)})" if r.get("period") or r.get("x_start") else "",
                        " · ",
                        _source_link(str(r.get("publisher") or r.get("table", "")), str(r.get("url", ""))),
                        f" · {t('retrieved', lang)} {r['retrieved']}" if r.get("retrieved") else "",
                        *(
                            [" · ", html.Em(t(f"verification_{flag}", lang), className="verification")]
                            if flag in ("unverified", "conflicting")
                            else []
                        ),
                    ]
                )
            )
        return html.Ul(items, className="measured", **{"aria-label": t("evidence_rows", lang)})
    for m in claim.get("measured", []):
        if m.get("status") != "ok":
            items.append(
                html.Li(
                    [
                        m["name_es"] if lang == "es" and m.get("name_es") else m.get("label", m.get("table", "")),
                        ": ",
                        html.Em("no data" if lang == "en" else "sin datos"),
                        f" ({m['note']})" if m.get("note") else "",
                    ],
                    className="text-muted",
                )
            )
            continue
        items.append(
            html.Li(
                [
                    html.Strong(value_text(m.get("value"), m.get("unit"), lang)),
                    " — ",
                    m["name_es"] if lang == "es" and m.get("name_es") else m.get("name") or m.get("label", ""),
                    f" ({m['period']})" if m.get("period") else "",
                    " · ",
                    _source_link(str(m.get("publisher") or m.get("table", "")), str(m.get("url", ""))),
                    f" · {t('retrieved', lang)} {m['retrieved']}" if m.get("retrieved") else "",
                    *([" · ", html.Em(t("not_counted", lang))] if m.get("counted") is False else []),
                ]
            )
        )
    return html.Ul(items, className="measured", **{"aria-label": t("evidence_rows", lang)})


def document_title(document: dict[str, Any], lang: str, **link: Any) -> list:
    """The document's title as a link, in its own language; on a page in another language our translation follows
    it, marked as ours."""
    doc_lang = document.get("language") or "en"
    out: list = [html.A(document.get("title", ""), href=document.get("url", "#"), lang=doc_lang, **link)]
    translated = document.get(f"title_{lang}") if lang != doc_lang else None
    if translated:
        out += [" (", html.Span(f"«{translated}»", lang=lang), f", {t('quote_translated_short', lang).strip('()')})"]
    return out


def shown_quote(claim: dict[str, Any], lang: str, document: dict[str, Any]) -> tuple[str, str, bool]:
    """(text, its language, translated?): on a page in another language than the document, the claim's own
    translation where the claims file has one (always marked as ours, with the original beside it)."""
    doc_lang = document.get("language") or "en"
    translated = claim.get(f"quote_{lang}") if lang != doc_lang else None
    if translated:
        return str(translated), lang, True
    return str(claim["quote"]), doc_lang, False


def quote_note(claim: dict[str, Any], lang: str, document: dict[str, Any]) -> html.P | None:
    """The line under a quote on a page in another language: 'our translation; the original: “…”', or, where there
    is no translation, that the quote is the English original."""
    doc_lang = document.get("language") or "en"
    if doc_lang == lang:
        return None
    _, _, translated = shown_quote(claim, lang, document)
    if translated:
        return html.P(
            [f"({t('quote_translated', lang)} ", html.Span(f"“{claim['quote']}”", lang=doc_lang), ")"],
            className="small text-muted mb-1 quote-original",
        )
    return html.P(f"({t('quote_in_english', lang)})", className="small text-muted mb-1")


def claim_quote(claim: dict[str, Any], lang: str, document: dict[str, Any]) -> html.Blockquote:
    """The quote: verbatim in the document's language, or our marked translation with the original beside it."""
    text, text_lang, _ = shown_quote(claim, lang, document)
    children: list = [html.P(f"“{text}”", lang=text_lang)]
    note = quote_note(claim, lang, document)
    if note is not None:
        children.append(note)
    return html.Blockquote(children, cite=document.get("url") or None)


def claim_body(
    claim: dict[str, Any],
    lang: str,
    base_url: str,
    document: dict[str, Any],
    *,
    chart: str = "image",
    with_quote: bool = True,
    with_label: bool = True,
) -> list:
    """The full card's content: label, quote, characterisation and core, conclusion, evidence, caveats, how the
    claim is read, context, and the evidence chart (`chart`: "image", "lazy-image", "interactive" or "none")."""
    cid = claim["claim_id"]
    children: list = [
        html.Div(
            [
                *([label_badge(claim["label"], lang), " "] if with_label else []),
                html.Span(
                    f"{topic_text(claim['topic'], lang)} · {t('paragraph', lang)} {claim['paragraph']}",
                    className="text-muted small",
                ),
            ]
        )
    ]
    if with_quote:
        children.append(claim_quote(claim, lang, document))
    characterisation, core = localized(claim, "characterisation", lang), localized(claim, "core", lang)
    if characterisation:
        children.append(
            html.P([html.Strong(t("characterisation", lang) + ": "), characterisation], className="characterisation")
        )
    if core:
        children.append(html.P([html.Strong(t("core", lang) + ": "), core], className="core"))
    children.append(
        html.P(
            [html.Strong(t("what_data_says", lang) + ": "), localized(claim, "conclusion", lang)],
            className="conclusion",
        )
    )
    if claim.get("evidence_rows") or claim.get("measured"):
        children.append(measured_list(claim, lang))
    caveats = claim.get(f"caveats_{lang}") or claim.get("caveats_en") or []
    if caveats:
        children.append(
            html.Div(
                [html.P(html.Strong(t("caveats", lang)), className="mb-1"), html.Ul([html.Li(c) for c in caveats])],
                className="caveats",
            )
        )
    claimed = claim.get("claimed") or {}
    if claimed.get("assumption") and lang == "en":  # the engine writes it in English only
        children.append(html.P([html.Em("How the claim is read: "), claimed["assumption"]], className="small"))
    context = localized(claim, "context", lang) if lang == "es" and claim.get("context_es") else claim.get("context")
    if context:
        children.append(html.Details([html.Summary(t("context", lang)), html.P(context)]))
    if chart != "none" and has_chart(claim):
        spec = charts.get(f"claim-{cid}")
        state = ChartState(lang=lang)
        view = charts.build(spec.id, data_module.store(), state)
        image = f"/embed/{spec.id}.svg" + ("?lang=es" if lang == "es" else "")
        children.append(
            chart_card(
                spec,
                view,
                state,
                base_url,
                heading_level=3,
                section_id=f"{spec.id}-chart",
                static_image=None if chart == "interactive" else image,
                lazy_image=chart == "lazy-image",
            )
        )
    return children


def claim_list_item(
    claim: dict[str, Any], lang: str, base_url: str, document: dict[str, Any], *, hidden: bool, expanded: bool
) -> html.Article:
    """One line of the compact list (label, quote, one-line finding) that opens, natively and from the keyboard
    (Enter or Space on the summary), into the full card and a link to the claim's page."""
    cid = claim["claim_id"]
    text, text_lang, _ = shown_quote(claim, lang, document)
    summary = html.Summary(
        [
            label_badge(claim["label"], lang),
            html.Span(
                [
                    html.Q(text, className="claim-line-quote", lang=text_lang),
                    html.Span(claim_finding(claim, lang), className="claim-line-finding"),
                ],
                className="claim-line-text",
            ),
        ],
        className="claim-line",
    )
    note = quote_note(claim, lang, document)
    body = html.Div(
        [
            *([note] if note is not None else []),
            html.P(html.A(t("claim_page_link", lang) + " →", href=claim_path(cid, lang)), className="mb-1"),
            # The summary above already shows the label and, once open, the whole quote.
            *claim_body(
                claim,
                lang,
                base_url,
                document,
                chart="image" if expanded else "lazy-image",
                with_quote=False,
                with_label=False,
            ),
        ],
        className="claim-card-body",
    )
    return html.Article(
        html.Details([summary, body], open=expanded, className="claim-details"),
        id=f"claim-{cid}",
        className=f"claim-item label-card-{LABEL_SLUG.get(claim['label'], 'cannot-check')}",
        hidden=hidden,
        **{"data-topic": claim["topic"], "data-label": LABEL_SLUG.get(claim["label"], "")},
    )


def claim_cite_box(claim: dict[str, Any], lang: str, page_url: str, as_of: str) -> html.Details:
    """A link to the claim's page and a citation of the check (the chart card, when there is one, cites the chart)."""
    label = label_text(claim["label"], lang)
    # A citation quotes the original; on a page in another language our translation follows it, marked as ours.
    translated = claim.get(f"quote_{lang}") if lang != "en" else None
    tr = f" [“{translated}”, {t('quote_translated_short', lang).strip('()')}]" if translated else ""
    # the data version the check was made on, and the address that keeps showing it (as the chart cards cite)
    version_id, pinnable = cited_version()
    cited_url = page_url
    if pinnable:
        from dashboard.citation import with_version

        cited_url = with_version(page_url, version_id)
        if data_module.store().is_pinned:  # an archived copy offers its own address, not the live one
            page_url = cited_url
    version = f" {t('data_version', lang, version=version_id)}." if version_id else ""
    cite = (
        f"“{claim['quote']}”{tr} — {label} ({fmt_date(claim.get('label_since', ''), lang)}). "
        f"{t('site_title', lang)}"
        + (f", {t('claim_checked', lang, date=fmt_date(as_of, lang))}" if as_of else "")
        + f".{version} {cited_url}"
    )
    return html.Details(
        [
            html.Summary(t("cite_check", lang)),
            html.Label(t("page_link", lang), htmlFor="claim-page-url"),
            html.Div(
                [
                    dcc.Input(
                        id="claim-page-url", value=page_url, readOnly=True, className="form-control form-control-sm"
                    ),
                    dcc.Clipboard(content=page_url, title=t("copy", lang), className="copy", id="claim-page-url-copy"),
                ],
                className="copy-row",
            ),
            html.Label(t("how_to_cite", lang)),
            html.P(cite, className="small citation"),
        ],
        className="share-box claim-cite",
        open=True,
    )

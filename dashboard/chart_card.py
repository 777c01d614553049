"""The chart card: one chart with everything a journalist needs around it (figure or image, table view, summary,
description, sources, downloads, share, embed, cite), and the citation and embed code it offers."""

from __future__ import annotations

import json
import re

from dash import dcc, html

from dashboard import data as data_module
from dashboard import ids
from dashboard.chart_registry import ChartSpec, ChartState, ChartView
from dashboard.chartdefs._shared import source_line
from dashboard.charts import download_path, embed_path, share_path
from dashboard.describe import describe
from dashboard.i18n import fmt_date, fmt_num, licence_name, source_text, t
from dashboard.table_view import view_table

# No modebar: its image export would lack title and source (our PNG/SVG links carry them), and its buttons cost
# 10-20 ms per chart at page load. Zoom by dragging and reset by double-click still work.
GRAPH_CONFIG = {
    "displaylogo": False,
    "displayModeBar": False,
    "responsive": True,
    "topojsonURL": "/static/topojson/",
}


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

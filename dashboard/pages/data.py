"""Data and sources: every dataset with publisher, URL, licence, retrieval date, latest observation, freshness and
downloads, plus the log of recent refreshes. "Up to date" means the data are current by the table's expected cadence,
not that a fetch succeeded."""

from __future__ import annotations

import dash
from dash import html

from dashboard import pagekit
from dashboard.charts import ChartState, observation_text
from dashboard.data import store
from dashboard.downloads import PACKAGE_ZIP
from dashboard.i18n import fmt_date, fmt_num, licence_name, source_text, t

PATH = "/data"
dash.register_page(
    __name__, path=PATH, title=pagekit.title_for("data"), description=pagekit.description_for("data"), name="Data"
)


def _state(fetch: dict, content, lang: str) -> list:
    """Badges: the last fetch failed or is overdue (per source), the content is stale since a day (per table), or
    up to date; a table without a schedule is never called up to date."""
    badges = []
    if fetch.get("failed"):
        badges.append(html.Span(t("failed", lang), className="badge text-bg-danger me-1"))
    elif fetch.get("stale"):
        badges.append(html.Span(t("stale", lang), className="badge text-bg-warning me-1"))
    if content.is_stale:
        since = fmt_date(content.stale_since, lang)
        badges.append(html.Span(t("stale_since", lang, date=since), className="badge text-bg-warning stale-since"))
    elif not content.cadence_days:
        badges.append(html.Span(t("cadence_irregular", lang), className="badge text-bg-secondary"))
    elif not badges:
        badges.append(html.Span(t("fresh", lang), className="badge text-bg-success"))
    return badges


def _dataset_rows(lang: str) -> list:
    data = store()
    freshness = {s["source_id"]: s for s in data.source_staleness()}
    rows = []
    for res in sorted((r for r in data.resources() if r["path"].endswith(".csv")), key=lambda r: r["path"]):
        name = res["path"].removesuffix(".csv")
        content = data.table_staleness(name)
        state = _state(freshness.get(res.get("x_source_id", ""), {}), content, lang)
        cadence = (
            t("cadence", lang, n=fmt_num(content.cadence_days, lang))
            if content.cadence_days
            else t("never_stale", lang)
        )
        # one line per publisher (a source that fetched six files of one publisher listed it six times)
        sources = list({(s.get("publisher") or s.get("title") or ""): s for s in res.get("sources", [])}.values())
        upstream = [
            html.Li(
                [
                    html.A(
                        s.get("publisher") or s.get("title"),
                        href=s.get("path"),
                        rel="noopener noreferrer",
                        target="_blank",
                    )
                    if str(s.get("path", "")).startswith("http")
                    else (s.get("publisher") or ""),
                    f" · {t('retrieved', lang)} {fmt_date(s['retrieved'][:10], lang)}" if s.get("retrieved") else "",
                ]
            )
            for s in sources[:6]
        ]
        more = len(sources) - 6
        if more > 0:
            upstream.append(html.Li(f"+{more} …"))
        licence = (res.get("licenses") or [{}])[0]
        rows.append(
            html.Tr(
                [
                    html.Th(
                        [
                            html.Div(source_text(res.get("title", name), lang)),
                            html.Code(f"{name}.csv", className="small"),
                        ],
                        scope="row",
                    ),
                    html.Td(html.Ul(upstream, className="list-unstyled small mb-0")),
                    html.Td(
                        html.A(
                            licence_name(licence.get("name", ""), lang),
                            href=licence.get("path", "#"),
                            rel="noopener noreferrer",
                            target="_blank",
                        )
                    ),
                    html.Td(observation_text(content.latest_observation, content.resolution, lang) or "–"),
                    html.Td(fmt_date(res.get("x_last_changed", "")[:10], lang)),
                    html.Td([*state, html.Div(cadence, className="small")]),
                    html.Td(fmt_num(_rows(res), lang), className="num"),
                    html.Td(html.A("CSV", href=f"/files/{name}.csv", download="")),
                ]
            )
        )
    return rows


def _rows(res: dict) -> int:
    """Lines after the header in the file of the version that serves (an archived page counts its own version's)."""
    return max(store().file_bytes(res["path"]).count(b"\n") - 1, 0)


def _changelog(lang: str) -> html.Table:
    rows = []
    for record in store().changelog(30):
        changed = []
        for sid, info in record.get("sources", {}).items():
            if info.get("status") == "failed":
                changed.append(html.Li(f"{sid}: {t('failed', lang)} — {info.get('message', '')[:200]}"))
            for table in info.get("tables", []):
                bits = []
                if table.get("rows_added"):
                    bits.append(t("data_rows_added", lang, n=table["rows_added"]))
                if table.get("cells_revised"):
                    bits.append(t("data_cells_revised", lang, n=table["cells_revised"]))
                if table.get("rows_removed"):
                    bits.append(f"−{table['rows_removed']}")
                changed.append(html.Li(f"{table['table']}: {', '.join(bits) or 'rewritten'}"))
            for claim in info.get("label_changes", []):
                changed.append(html.Li(f"claim {claim['claim_id']}: {claim['old']} → {claim['new']}"))
        rows.append(
            html.Tr(
                [
                    html.Td(record.get("started_at", "")[:16].replace("T", " ") + " UTC"),
                    html.Td(html.Ul(changed, className="mb-0 small") if changed else t("no_change", lang)),
                ]
            )
        )
    return html.Table(
        [
            html.Caption(t("changelog", lang)),
            html.Thead(html.Tr([html.Th(t("when", lang), scope="col"), html.Th(t("what_changed", lang), scope="col")])),
            html.Tbody(rows),
        ],
        className="table table-sm",
    )


def body(state: ChartState, extras: dict, url: str) -> list:
    lang = state.lang
    header = html.Thead(
        html.Tr(
            [
                html.Th(t("table", lang), scope="col"),
                html.Th(t("sources", lang), scope="col"),
                html.Th(t("licence", lang).capitalize(), scope="col"),
                html.Th(t("data_as_of", lang), scope="col"),
                html.Th(t("last_changed", lang), scope="col"),
                html.Th(t("status", lang), scope="col"),
                html.Th(t("rows", lang), scope="col"),
                html.Th(t("download", lang), scope="col"),
            ]
        )
    )
    return [
        *pagekit.heading("data", lang),
        html.P(
            [
                html.A(
                    t("whole_package", lang),
                    href=f"/files/{PACKAGE_ZIP}",
                    className="btn btn-primary me-2",
                    download="",
                ),
                html.A("datapackage.json", href="/files/datapackage.json", className="btn btn-outline-primary me-2"),
                html.A("claims.json", href="/files/claims.json", className="btn btn-outline-primary"),
            ]
        ),
        html.Div(
            html.Table(
                [html.Caption(t("datasets", lang)), header, html.Tbody(_dataset_rows(lang))],
                className="table table-sm datasets",
            ),
            # The whole table on the page (no inner scroll box); on a narrow screen it scrolls sideways, from the
            # keyboard too (a focusable, named region).
            className="wide-table",
            tabIndex="0",
            role="region",
            **{"aria-label": t("datasets", lang)},
        ),
        html.H2(t("changelog", lang)),
        html.Div(
            _changelog(lang),
            className="wide-table",
            tabIndex="0",
            role="region",
            **{"aria-label": t("changelog", lang)},
        ),
    ]


def layout(**query: str):
    return pagekit.render(PATH, query, body)

"""Claims (home). A journalist's first screen: the latest grid and oil figures, each with the date of its latest
observation and a flag when it is old; then the document's claims as a compact list (label, quote, one-line finding)
that opens into the full card with its evidence chart; statements data cannot settle behind a toggle. Filter by
topic and label; every claim links to its own page (/claims/<id>)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import dash
import pandas as pd
from dash import Input, Output, dcc, html

from dashboard import claim_cards, components, ids, pagekit, static_first
from dashboard.chartdefs.claims import claims_doc
from dashboard.charts import ChartState
from dashboard.claim_cards import LABEL_SLUG, claim_path, label_badge, localized, topic_text
from dashboard.data import DataStore, store
from dashboard.i18n import data_term, fmt_date, fmt_num, label_text, t, translation
from dashboard.pages_index import LABEL_SLUGS
from etl.claims.labels import LABEL_NOT_FACTUAL

PATH = "/"
dash.register_page(
    __name__, path=PATH, title=pagekit.title_for("claims"), description=pagekit.description_for("claims"), name="Claims"
)
OLD_FIGURE_DAYS = 90  # a figure from a table without a declared cadence is flagged as old after this many days
DAILY = "une_daily"
MONTHLY = "une_aggregates"
OIL = "oil_supply_reported"


# -- the latest figures -----------------------------------------------------------------------------------------------
def latest_row(frame: pd.DataFrame, column: str, when: str) -> pd.Series | None:
    """The row with the latest `when` among those with a value in `column` (selection only: values as published)."""
    rows = frame[frame[column].notna()]
    if rows.empty:
        return None
    return rows.loc[rows[when].idxmax()]


def month_mean(data: DataStore, measure: str, month: str) -> tuple[float, int] | None:
    """The ETL's monthly mean of a daily measure (une_aggregates) and the days it covers."""
    agg = data.table(MONTHLY)
    row = agg[(agg["period_type"] == "month") & (agg["measure"] == measure) & (agg["period"] == month)]
    if row.empty or pd.isna(row["mean"].iloc[0]):
        return None
    days = row["days_with_data"].iloc[0] if "days_with_data" in row.columns else None
    return float(row["mean"].iloc[0]), int(days) if days is not None and not pd.isna(days) else 0


def age_flag(data: DataStore, table: str, observed: date, today: date, lang: str) -> html.P | None:
    """'Out of date since …' when the table's cadence says a newer observation is overdue (DataStore.staleness);
    for tables without a schedule, 'old figure' once the observation is older than OLD_FIGURE_DAYS."""
    info = data.staleness(table, today=today)
    if info.is_stale and info.stale_since:
        text = t("tile_stale", lang, since=fmt_date(info.stale_since, lang))
    elif (today - observed).days > OLD_FIGURE_DAYS:
        text = t("tile_old", lang)
    else:
        return None
    return html.P(text, className="tile-stale")


def tile(
    label: str,
    value: str,
    notes: list[str],
    observed: date,
    source: tuple[str, str],
    flag: Any,
    lang: str,
    key: str,
    trend: Any = None,
) -> html.Div:
    publisher, url = source
    return html.Div(
        [
            html.H2(label, className="tile-label", id=f"tile-{key}-label"),
            html.P(value, className="tile-value"),
            *([trend] if trend is not None else []),
            *[html.P(n, className="tile-note") for n in notes if n],
            html.P(
                [
                    t("tile_as_of", lang, date=fmt_date(observed.isoformat(), lang)),
                    " · ",
                    html.A(publisher, href=url, rel="noopener noreferrer", target="_blank")
                    if url.startswith("http")
                    else publisher,
                ],
                className="tile-asof",
            ),
            flag,
        ],
        className="tile" + (" tile-is-stale" if flag is not None else ""),
        id=f"tile-{key}",
        role="group",
        **{"aria-labelledby": f"tile-{key}-label"},
    )


def period_text(start: pd.Timestamp, end: pd.Timestamp, lang: str) -> str:
    first, last = start.date().isoformat(), end.date().isoformat()
    return fmt_date(last, lang) if first == last else f"{fmt_date(first, lang)} – {fmt_date(last, lang)}"


def latest_figures(data: DataStore, lang: str, today: date) -> list[html.Div]:
    """Four tiles: evening-peak gap, share of demand cut, estimated outage hours (UNE daily series, with the ETL's
    monthly mean) and the latest confirmed oil-supply figure (curated reports)."""
    tiles = []
    daily = data.table(DAILY)
    for key, column, label, unit, note in (
        ("gap", "peak_deficit_mw", "tile_gap", "MW", "tile_gap_note"),
        ("share", "peak_share_of_demand_cut_pct", "tile_share", "%", "tile_share_note"),
        ("hours", "estimated_outage_hours_per_day_central", "tile_hours", t("hours_unit", lang), "tile_hours_note"),
    ):
        row = latest_row(daily, column, "date")
        if row is None:
            continue
        observed = row["date"].date()

        def shown(value: float, unit: str = unit) -> str:
            number = fmt_num(value, lang, 0 if unit != t("hours_unit", lang) else 1)
            return f"{number}%" if unit == "%" else f"{number} {unit}"

        notes = [
            t(
                note,
                lang,
                low=fmt_num(row.get("estimated_outage_hours_per_day_low"), lang, 1),
                high=fmt_num(row.get("estimated_outage_hours_per_day_high"), lang, 1),
            )
            if key == "hours"
            else t(note, lang)
        ]
        mean = month_mean(data, column, observed.strftime("%Y-%m"))
        if mean is not None:
            month = fmt_date(observed.strftime("%Y-%m"), lang)
            notes.append(t("tile_month_mean", lang, month=month, days=mean[1], value=shown(mean[0])))
        source = (data_term(str(row.get("publisher") or "UNE"), lang), str(row.get("source_url") or ""))
        flag = age_flag(data, DAILY, observed, today, lang)
        # the gap's tile shows its last 90 days: the home page's first chart (dashboard/static_first.py)
        trend = static_first.trend_image(lang) if key == "gap" else None
        tiles.append(tile(t(label, lang), shown(float(row[column])), notes, observed, source, flag, lang, key, trend))
    oil = data.table(OIL)
    confirmed = oil[oil["verification"] == "confirmed"] if "verification" in oil.columns else oil
    if len(confirmed):
        row = confirmed.sort_values(["period_end", "period_start"], kind="stable").iloc[-1]
        observed = row["period_end"].date()
        approx = "≈ " if bool(row.get("approximate")) else ""
        value = approx + claim_cards.value_text(float(row["value"]), str(row["unit"]), lang)
        note = ", ".join(
            (
                data_term(str(row["supplier"]), lang),
                data_term(str(row["flow"]), lang),
                period_text(row["period_start"], row["period_end"], lang),
            )
        )
        source = (str(row["publisher"]), str(row.get("url") or ""))
        flag = age_flag(data, OIL, observed, today, lang)
        tiles.append(tile(t("tile_oil", lang), value, [note], observed, source, flag, lang, "oil"))
    return tiles


# -- the claims ---------------------------------------------------------------------------------------------------------
def visible(claim: dict[str, Any], extras: dict[str, str]) -> bool:
    if extras.get("claim") and claim["claim_id"] != extras["claim"]:
        return False
    if extras.get("topic") and claim["topic"] != extras["topic"]:
        return False
    return not (extras.get("label") and LABEL_SLUG.get(claim["label"]) != extras["label"])


def opinion_item(claim: dict[str, Any], lang: str, extras: dict[str, str], doc_lang: str) -> html.Li:
    return html.Li(
        [
            html.Q(
                translation(claim, "quote", lang) or claim["quote"],
                lang=lang if translation(claim, "quote", lang) else doc_lang,
            ),
            " — ",
            label_badge(claim["label"], lang),
            html.Br(),
            html.Span(f"{t('why_not_checkable', lang)}: {localized(claim, 'reason', lang)}", className="small"),
            " ",
            html.A(t("claim_page_link", lang), href=claim_path(claim["claim_id"], lang), className="small"),
        ],
        id=f"claim-{claim['claim_id']}",
        hidden=not visible(claim, extras),
        **{"data-topic": claim["topic"], "data-label": "not-factual"},
    )


def body(state: ChartState, extras: dict, url: str) -> list:
    lang = state.lang
    data = store()
    doc = claims_doc(data)
    document = doc["documents"][0] if doc["documents"] else {}
    doc_lang = document.get("language") or "en"
    claims = [c for c in doc["claims"] if c.get("document_id") == document.get("id")]
    checkable = [c for c in claims if c["label"] != LABEL_NOT_FACTUAL]
    opinions = [c for c in claims if c["label"] == LABEL_NOT_FACTUAL]
    counts: dict[str, int] = {}
    for c in claims:
        counts[c["label"]] = counts.get(c["label"], 0) + 1
    topics = sorted({c["topic"] for c in claims})
    latest = html.Section(
        [
            html.H1(t("home_heading", lang)),
            html.P(t("latest_intro", lang), className="small text-muted mb-2"),
            html.Div(latest_figures(data, lang, datetime.now(UTC).date()), className="tiles"),
            html.P(
                [
                    html.A(t("nav_blackouts", lang), href=components.with_lang("/blackouts", lang)),
                    " · ",
                    html.A(t("nav_oil", lang), href=components.with_lang("/oil", lang)),
                    " · ",
                    html.A(t("methodology_link", lang), href=components.with_lang("/methodology", lang)),
                ],
                className="small mb-0",
            ),
        ],
        className="latest-figures",
        id="latest-figures",
    )
    header = html.Section(
        [
            html.H2(t("claims_heading", lang)),
            html.P(
                [
                    f"{t('document', lang)}: ",
                    *claim_cards.document_title(
                        document, lang, rel="noopener noreferrer", target="_blank", className="doc-title"
                    ),
                    f" · {document.get('publisher', '')}",
                    f" · {t('published', lang)} {fmt_date(document.get('published', ''), lang)}",
                ],
                className="mb-1",
            ),
            html.P([t("claims_intro", lang), " ", t("claims_list_hint", lang)], className="small mb-1"),
            html.Ul(
                [
                    html.Li([label_badge(label, lang), f" {counts[label]}"])
                    for label in LABEL_SLUGS.values()
                    if label in counts
                ],
                className="label-counts list-inline mb-0",
            ),
        ],
        className="doc-header",
    )
    filters = html.Div(
        [
            html.Div(
                [
                    html.Label(t("filter_topic", lang), htmlFor=ids.CLAIMS_TOPIC, className="form-label"),
                    dcc.Dropdown(
                        id=ids.CLAIMS_TOPIC,
                        value=extras.get("topic"),
                        placeholder=t("all", lang),
                        options=[{"label": topic_text(tp, lang), "value": tp} for tp in topics],
                    ),
                ],
                className="control control-wide",
            ),
            html.Div(
                [
                    html.Label(t("filter_label", lang), htmlFor=ids.CLAIMS_LABEL, className="form-label"),
                    dcc.Dropdown(
                        id=ids.CLAIMS_LABEL,
                        value=extras.get("label"),
                        placeholder=t("all", lang),
                        options=[{"label": label_text(v, lang), "value": k} for k, v in LABEL_SLUGS.items()],
                    ),
                ],
                className="control control-wide",
            ),
            html.P(
                id=ids.CLAIMS_COUNT,
                className="mb-0 align-self-end",
                role="status",
                **{"aria-live": "polite"},
                children=t("claims_count", lang, n=sum(visible(c, extras) for c in claims)),
            ),
        ],
        className="controls",
        role="group",
        **{"aria-label": t("filter_label", lang)},
    )
    items = [
        claim_cards.claim_list_item(
            c,
            lang,
            url,
            document,
            hidden=not visible(c, extras),
            expanded=extras.get("claim") == c["claim_id"],
        )
        for c in checkable
    ]
    show_opinions = extras.get("label") == "not-factual" or any(extras.get("claim") == c["claim_id"] for c in opinions)
    return [
        pagekit.page_title_marker(t("site_title", lang)),
        latest,
        header,
        filters,
        *(
            [
                html.P(
                    t(
                        "quotes_translated"
                        if any(translation(c, "quote", lang) for c in claims)
                        else "quotes_in_english",
                        lang,
                    ),
                    className="small text-muted mb-1",
                    id="quotes-language",
                )
            ]
            if (document.get("language") or "en") != lang
            else []
        ),
        html.Div(items, id="claim-cards", className="claim-list"),
        html.Details(
            [
                html.Summary(t("not_checkable_toggle", lang, n=len(opinions)), className="opinions-summary"),
                html.Ul(
                    [opinion_item(c, lang, extras, doc_lang) for c in opinions],
                    className="opinions",
                    id="claim-opinions",
                ),
            ],
            id="claim-opinions-toggle",
            className="opinions-toggle",
            open=show_opinions,
        ),
    ]


def layout(**query: str):
    return pagekit.render(PATH, query, body)


# A collapsed claim's chart image is requested only when the claim is opened (its address waits in data-src), so the
# list costs no image downloads until a reader asks for one. Listens once per page render; `toggle` does not bubble.
dash.clientside_callback(
    """
    function(id) {
        if (window.__claimImagesBound) { return window.dash_clientside.no_update; }
        window.__claimImagesBound = true;
        document.addEventListener('toggle', function(event) {
            var details = event.target;
            if (!details.open || !details.classList || !details.classList.contains('claim-details')) { return; }
            // On a phone the desktop-width image would be unreadable: it stays hidden (CSS) and unloaded; the
            // card's link opens the responsive chart instead.
            if (window.matchMedia && window.matchMedia("(max-width: 576px)").matches) { return; }
            details.querySelectorAll('img[data-src]').forEach(function(img) {
                img.src = img.getAttribute('data-src');
                img.removeAttribute('data-src');
            });
        }, true);
        return window.dash_clientside.no_update;
    }
    """,
    Output("claim-cards", "title"),
    Input("claim-cards", "id"),
)

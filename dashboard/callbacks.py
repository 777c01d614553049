"""All callbacks, registered on the app by `create_app` (thin: read inputs, call chart builders, return)."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import ALL, Input, Output, State, no_update

from dashboard import chart_card, charts, ids, table_view
from dashboard.chartdefs.explore import choice_labels
from dashboard.charts import BadParameter
from dashboard.citation import with_version
from dashboard.data import store
from dashboard.describe import describe
from dashboard.i18n import normalize_lang
from dashboard.pagekit import _state_from_controls, _views_for, base_url


def register(app: dash.Dash) -> None:
    @app.callback(
        Output(ids.chart("graph", ALL), "figure"),
        Output(ids.chart("table", ALL), "children"),
        Output(ids.chart("summary", ALL), "children"),
        Output(ids.chart("description", ALL), "children"),
        Output(ids.chart("graph-wrap", ALL), "hidden"),
        Output(ids.chart("table", ALL), "hidden"),
        Output(ids.chart("csv", ALL), "href"),
        Output(ids.chart("png", ALL), "href"),
        Output(ids.chart("svg", ALL), "href"),
        Output(ids.chart("zip", ALL), "href"),
        Output(ids.chart("pinned", ALL), "href"),
        Output(ids.chart("pinned", ALL), "children"),
        Output(ids.chart("pinned-page", ALL), "href"),
        Output(ids.chart("pinned-page", ALL), "children"),
        Output(ids.chart("share", ALL), "value"),
        Output(ids.chart("embed", ALL), "value"),
        Output(ids.URL_SYNC, "children"),
        Input(ids.CONTROL_COUNTRIES, "value"),
        Input(ids.CONTROL_START, "value"),
        Input(ids.CONTROL_END, "value"),
        Input(ids.CONTROL_TAB, "value"),
        Input(ids.CONTROL_TABLE, "value"),
        Input(ids.CONTROL_SERIES, "value"),
        State(ids.PAGE_STATE, "data"),
        State(ids.chart("graph", ALL), "id"),
        prevent_initial_call=True,
    )
    def update_page_charts(countries, start, end, tab, table, series, page, graph_ids):
        """Thin: controls → state → the same chart builders the server used → outputs, plus the URL to write."""
        n = len(graph_ids)
        try:
            state, query = _state_from_controls(page, countries, start or None, end or None, tab, table, series)
        except BadParameter:
            return ([no_update] * n,) * 16 + (no_update,)
        url = base_url()
        figures, tables, summaries, descriptions, graph_hidden, table_hidden = [], [], [], [], [], []
        csvs, pngs, svgs, zips, pinned, pinned_pages, shares, embeds = [], [], [], [], [], [], [], []
        version_id = store().version_id
        chart_ids = [g["chart"] for g in graph_ids]
        for spec, chart_state, view in _views_for(chart_ids, state):
            # A table view leaves the (hidden) figures as they are: the chart tab sends them again when shown.
            figures.append(no_update if state.tab == "table" else view.screen())
            tables.append(table_view.view_table(view, state.lang) if state.tab == "table" else None)
            summaries.append(view.summary)
            descriptions.append(describe(view, state.lang))
            graph_hidden.append(state.tab == "table")
            table_hidden.append(state.tab != "table")
            csvs.append(charts.download_path(spec, chart_state, "csv"))
            pngs.append(charts.download_path(spec, chart_state, "png"))
            svgs.append(charts.download_path(spec, chart_state, "svg"))
            zips.append(charts.download_path(spec, chart_state, "zip"))
            pinned.append(url.rstrip("/") + with_version(charts.embed_path(spec, chart_state), version_id))
            pinned_pages.append(url.rstrip("/") + with_version(charts.share_path(spec, chart_state), version_id))
            shares.append(f"{url.rstrip('/')}{charts.share_path(spec, chart_state)}")
            embeds.append(chart_card.embed_code(spec, view, chart_state, url))
        search = urlencode({k: v for k, v in query.items() if not (k == "lang" and v == "en")})
        return (
            figures,
            tables,
            summaries,
            descriptions,
            graph_hidden,
            table_hidden,
            csvs,
            pngs,
            svgs,
            zips,
            pinned,
            pinned,
            pinned_pages,
            pinned_pages,
            shares,
            embeds,
            f"?{search}" if search else "",
        )

    # Write the view into the address bar without reloading or re-rendering the page (Dash's router listens to
    # dcc.Location, not to history.replaceState).
    app.clientside_callback(
        """
        function(search) {
            if (search === undefined || search === null) { return window.dash_clientside.no_update; }
            var url = window.location.pathname + search + window.location.hash;
            window.history.replaceState(null, "", url);
            return window.dash_clientside.no_update;
        }
        """,
        Output(ids.URL_SYNC, "title"),
        Input(ids.URL_SYNC, "children"),
        prevent_initial_call=True,
    )

    # Localized document title after in-app navigation (Dash's router only knows the English one).
    app.clientside_callback(
        """
        function(data) {
            setTimeout(function() { var el = document.getElementById('page-title-text');
            if (el && el.textContent) { document.title = el.textContent; } }, 50);
            return window.dash_clientside.no_update;
        }
        """,
        Output("page-title-sync", "children"),
        Input("_pages_store", "data"),
    )

    @app.callback(
        Output(ids.CONTROL_SERIES, "options"),
        Output(ids.CONTROL_SERIES, "value"),
        Input(ids.CONTROL_TABLE, "value"),
        State(ids.CONTROL_SERIES, "value"),
        State(ids.PAGE_STATE, "data"),
        prevent_initial_call=True,
    )
    def explore_series_options(table, series, page):
        """Series follow the chosen dataset, named in the page's language; keep the current series if the new
        dataset has it."""
        _tables, options = choice_labels(store(), table, normalize_lang((page or {}).get("lang")))
        choices = [o["value"] for o in options]
        value = series if series in choices else (choices[0] if choices else None)
        return options, value

    # Claims filters: show/hide cards in the browser (no round trip), keep the count and the URL in step.
    app.clientside_callback(
        """
        function(topic, label, page) {
            var lang = page && page.lang;
            var shown = 0;
            document.querySelectorAll('#claim-cards > article, #claim-opinions > li').forEach(function(el) {
                var ok = (!topic || el.dataset.topic === topic) && (!label || el.dataset.label === label);
                el.hidden = !ok;
                if (ok) { shown += 1; }
            });
            var toggle = document.getElementById('claim-opinions-toggle');  // non-factual statements' toggle
            if (toggle && label === 'not-factual') { toggle.open = true; }
            var params = new URLSearchParams(window.location.search);
            params.delete('claim');
            if (topic) { params.set('topic', topic); } else { params.delete('topic'); }
            if (label) { params.set('label', label); } else { params.delete('label'); }
            var search = params.toString();
            window.history.replaceState(null, '', window.location.pathname + (search ? '?' + search : ''));
            return (lang === 'es') ? shown + ' afirmaciones mostradas' : shown + ' claims shown';
        }
        """,
        Output(ids.CLAIMS_COUNT, "children"),
        Input(ids.CLAIMS_TOPIC, "value"),
        Input(ids.CLAIMS_LABEL, "value"),
        State(ids.PAGE_STATE, "data"),
        prevent_initial_call=True,
    )

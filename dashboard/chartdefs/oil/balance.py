"""oil-balance: Cuba's consumption and domestic production as each publisher estimated them, every figure a bar
across the period it covers with the publisher's symbol at its middle."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.chart_registry import ChartState, ChartView
from dashboard.chartdefs._shared import filter_period, no_data, source_line, sources_for
from dashboard.chartdefs.month_ticks import spanish_months
from dashboard.chartdefs.oil.groups import MEASURES, short_publisher
from dashboard.data import DataStore
from dashboard.figures.common import PALETTE, Frame, axis_title, base_figure, empty_figure, trace
from dashboard.i18n import fmt_num, t


def balance_frame(store: DataStore) -> pd.DataFrame:
    """Cuba's oil consumption and domestic production estimates as published (oil_balance_estimates: one row per
    publisher's figure with the period it covers), with pandas timestamps for the periods."""
    df = store.table("oil_balance_estimates")
    return df.assign(
        period_start=pd.to_datetime(df["period_start"]),
        period_end=pd.to_datetime(df["period_end"]),
        basis=df["basis"].fillna(""),
    )


# Marker symbols for publishers, each with the character that shows it in the key printed beside the chart (the
# key is text, so it wraps on a phone instead of a legend of a dozen rows squeezing the plot away).
SYMBOLS = {
    "circle": "●",
    "square": "■",
    "diamond": "◆",
    "triangle-up": "▲",
    "triangle-down": "▼",
    "star": "★",
    "x": "✕",
    "cross": "✚",
    "triangle-left": "◀",
    "triangle-right": "▶",
}


def period_segments(starts: pd.Series, ends: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """x positions drawing each figure across its period (start, midpoint, end, gap) and the index of its midpoint,
    where its marker sits: one figure, one x, on every chart (`period_midpoint`)."""
    first, last = starts.to_numpy("datetime64[ns]"), ends.to_numpy("datetime64[ns]")
    middle = first + (last - first) / 2
    xs = np.column_stack([first, middle, last, last]).ravel()
    return xs, np.arange(len(first)) * 4 + 1


def _balance(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    df = store.prepared("oil:balance", balance_frame)
    df = filter_period(df, "year", state.start, state.end).reset_index(drop=True)
    title = t("oil_balance_title", lang)
    subtitle = t("oil_balance_subtitle", lang)
    sources = sources_for(store, "oil_supply_reported", "cia_factbook")
    as_of = max((str(y)[-4:] for y in df["year"] if str(y)), default="") if len(df) else ""
    extra = t("oil_balance_source_extra", lang)
    publishers = list(dict.fromkeys(short_publisher(p) for p in df["publisher"]))
    names = list(SYMBOLS)
    symbol_of = {p: names[i % len(names)] for i, p in enumerate(publishers)}
    if publishers:  # the symbol key, in the subtitle: in the image's header and in the text above the chart
        key = " · ".join(f"{SYMBOLS[symbol_of[p]]} {p}" for p in publishers)
        subtitle += ". " + t("oil_balance_symbols", lang, symbols=key)
    fr = Frame(title, subtitle, source_line(sources, as_of, lang, extra), lang)
    if df.empty:
        return ChartView(empty_figure(fr, no_data(lang)), df, no_data(lang), title, subtitle, sources, as_of)
    fig = base_figure(fr, height=520)
    # The legend keys the colours (measures); the subtitle keys the symbols (publishers).
    for i, measure in enumerate(m for m in MEASURES if m in set(df["measure"])):
        name = t(MEASURES[measure], lang)
        fig.add_trace(
            trace("scatter", x=[None], y=[None], mode="lines", name=name, line={"color": PALETTE[i], "width": 4})
        )
    # The figures: one trace per measure and publisher; each figure is a bar across its period with its symbol at
    # the middle. Figures are never joined by a line (not across publishers, not across periods).
    for i, measure in enumerate(m for m in MEASURES if m in set(df["measure"])):
        label = t(MEASURES[measure], lang)
        color = PALETTE[i]
        part = df[df["measure"] == measure]
        for publisher, rows in part.groupby(part["publisher"].map(short_publisher), sort=False):
            xs, middle = period_segments(rows["period_start"], rows["period_end"])
            values = rows["value_bbl_per_day"].to_numpy("float64")
            ys = np.column_stack([values, values, values, np.full(len(values), np.nan)]).ravel()
            sizes = np.zeros(len(xs))
            sizes[middle] = 10
            hollow = ~rows["verification"].eq("confirmed").to_numpy()
            custom = np.repeat(rows[["publisher", "basis", "verification", "year"]].to_numpy(), 4, axis=0)
            fig.add_trace(
                trace(
                    "scatter",
                    x=xs,
                    y=ys,
                    mode="lines+markers",
                    name=f"{label} · {publisher}",
                    showlegend=False,
                    line={"color": color, "width": 3},
                    marker={
                        "size": sizes,
                        "color": color,
                        "symbol": [symbol_of[publisher] + ("-open" if h else "") for h in np.repeat(hollow, 4)],
                        "line": {"width": 1.5, "color": color},
                    },
                    customdata=custom,
                    hovertemplate="%{customdata[3]}: %{y:,.0f} bbl/d<br>%{customdata[0]}<br>%{customdata[1]}<br>"
                    "%{customdata[2]}<extra>" + label + "</extra>",
                )
            )
    fig.update_xaxes(type="date")  # plotly would guess the axis from the first trace (an empty key entry)
    fig.update_yaxes(**axis_title(t("oil_unit_bbl_per_day", lang)), rangemode="tozero")
    spanish_months(fig, lang)
    latest = df.sort_values("period_end").groupby("measure").tail(1).set_index("measure")
    if {"consumption", "domestic production"} <= set(latest.index):
        c, p = latest.loc["consumption"], latest.loc["domestic production"]
        summary = t(
            "oil_balance_summary",
            lang,
            consumption=fmt_num(c["value_bbl_per_day"], lang),
            consumption_year=int(c["year"]),
            consumption_publisher=c["publisher"],
            production=fmt_num(p["value_bbl_per_day"], lang),
            production_year=int(p["year"]),
            production_publisher=p["publisher"],
        )
    else:
        summary = no_data(lang)
    return ChartView(fig, df, summary, title, subtitle, sources, as_of)

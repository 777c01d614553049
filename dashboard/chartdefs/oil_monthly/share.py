"""oil-imports-share: each supplier's share of the same year's consumption estimate (`oil_imports_yearly`), stacked
by year, every year in view on the axis so that a year without a figure says so instead of reading as zero."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.chart_registry import ChartState, ChartView
from dashboard.chartdefs._shared import no_data, source_line, sources_for
from dashboard.chartdefs.oil.groups import short_publisher
from dashboard.chartdefs.oil_monthly.suppliers import SUPPLIER_ORDER, supplier_colour, supplier_name
from dashboard.data import DataStore
from dashboard.figures.common import Frame, axis_title, base_figure, empty_figure, readable_on, trace
from dashboard.i18n import fmt_num, t


def _estimate_credit(publisher: str, lang: str) -> str:
    """Who published a consumption estimate, keeping what it counts ('CIA World Factbook (refined products)')."""
    if "refined products" in publisher:
        return t("oil_monthly_cia_refined_only", lang)
    return short_publisher(publisher)


def _share(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    yearly = store.table("oil_imports_yearly")
    if state.start:
        yearly = yearly[yearly["year"] >= pd.Timestamp(state.start).year]
    if state.end:
        yearly = yearly[yearly["year"] <= pd.Timestamp(state.end).year]
    df = yearly.dropna(subset=["share_of_consumption_pct"]).reset_index(drop=True)
    title = t("oil_monthly_share_title", lang)
    used = df.drop_duplicates(["year", "consumption_publisher"]).sort_values("year")
    estimates = "; ".join(
        f"{int(r.year)}: {fmt_num(r.consumption_bbl_per_day, lang)} ({_estimate_credit(r.consumption_publisher, lang)})"
        for r in used.itertuples(index=False)
    )
    subtitle = t("oil_monthly_share_subtitle", lang, estimates=estimates)
    sources = sources_for(store, "oil_imports_yearly", "oil_supply_reported", "cia_factbook")
    as_of = str(int(df["year"].max())) if len(df) else ""
    fr = Frame(title, subtitle, source_line(sources, as_of, lang), lang)
    if df.empty:
        return ChartView(empty_figure(fr, no_data(lang)), yearly, no_data(lang), title, subtitle, sources, as_of)
    fig = base_figure(fr, height=440)
    # Every year in view is on the axis, with or without bars, so a gap never reads as a steady trend.
    years = [str(y) for y in range(int(yearly["year"].min()), int(yearly["year"].max()) + 1)]
    unit = t("oil_unit_bbl_per_day", lang)
    for supplier in [s for s in SUPPLIER_ORDER if s in set(df["supplier"])]:
        rows = df[df["supplier"] == supplier]
        basis = [
            t("oil_monthly_basis_months", lang, months=int(m), of=int(n))
            if b == "monthly figures"
            else t("oil_monthly_basis_year", lang, publisher=short_publisher(str(b)[15:-1]))
            for m, n, b in zip(rows["months_with_figure"], rows["months_in_year"], rows["year_basis"], strict=True)
        ]
        estimate = [
            f"{fmt_num(c, lang)} {unit} ({short_publisher(p)})"
            for c, p in zip(rows["consumption_bbl_per_day"], rows["consumption_publisher"], strict=True)
        ]
        fig.add_trace(
            trace(
                "bar",
                x=rows["year"].astype(int).astype(str),
                y=rows["share_of_consumption_pct"],
                name=supplier_name(supplier, lang),
                marker={"color": supplier_colour(supplier)},
                text=[f"{fmt_num(v, lang, 0)}%" for v in rows["share_of_consumption_pct"]],
                # inside its own segment: beside another supplier's bar, "18%" was wider than its bar on a phone
                # and ran over its neighbour (graphics review, round 7)
                textposition="inside",
                textangle=0,
                insidetextanchor="middle",
                # 11 px in bars nine tenths of their year wide: "59%" fits a live phone's 30 px bar (graphics round 8)
                insidetextfont={"color": readable_on(supplier_colour(supplier)), "size": 11},
                customdata=np.column_stack([rows["year_bbl_per_day"].map(lambda v: fmt_num(v, lang)), basis, estimate]),
                hovertemplate="%{x}: %{y:.0f}% "
                + t("oil_monthly_share_of", lang)
                + " %{customdata[2]}<br>%{customdata[0]} "
                + unit
                + " (%{customdata[1]})<extra>"
                + supplier_name(supplier, lang)
                + "</extra>",
            )
        )
    # Each supplier's share of the same year's estimate: the parts stack to the share the suppliers covered together.
    # Value labels keep one readable size on a phone (plotly would shrink them to the bar's width).
    fig.update_layout(barmode="stack", bargap=0.1, uniformtext={"minsize": 11, "mode": "show"})
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=years,
        range=[-0.6, len(years) - 0.5],
        tickangle=0,
        tickfont={"size": 11},
    )
    top = float(df.groupby("year")["share_of_consumption_pct"].sum().max())
    fig.update_yaxes(**axis_title(t("oil_monthly_share_axis", lang)), range=[0, top * 1.1])
    # a year without a bar says so on the axis, so that it is not read as zero (graphics review, round 7)
    for year in [y for y in years if int(y) not in set(df["year"])]:
        fig.add_annotation(
            text=t("oil_monthly_share_no_figure", lang),
            x=years.index(year),  # (by position: a category's name here draws nothing)
            y=0,
            xref="x",
            yref="y",
            yanchor="bottom",
            yshift=4,
            textangle=-90,
            showarrow=False,
            font={"size": 11, "color": "#595959"},
        )
    parts = []
    for supplier in [s for s in SUPPLIER_ORDER if s in set(df["supplier"])]:
        rows = df[df["supplier"] == supplier].sort_values("year")
        shares = ", ".join(
            f"{fmt_num(v, lang, 0)}% ({int(y)})"
            for y, v in zip(rows["year"], rows["share_of_consumption_pct"], strict=True)
        )
        parts.append(f"{supplier_name(supplier, lang)} {shares}")
    missing = [y for y in years if int(y) not in set(df["year"])]
    summary = t("oil_monthly_share_summary", lang, shares="; ".join(parts))
    if missing:
        summary += " " + t("oil_monthly_share_missing", lang, years=", ".join(missing))
    return ChartView(fig, df, summary, title, subtitle, sources, as_of)

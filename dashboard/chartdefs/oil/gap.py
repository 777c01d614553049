"""oil-gap-vs-producers: Cuba's import need set against Mexico's and Brazil's production and use, as published, in
horizontal bars whose value labels are never cut off (and written out in Spanish, where plotly would write "2M")."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard.chart_registry import ChartState, ChartView
from dashboard.chartdefs._shared import country_label, no_data, source_line, sources_for
from dashboard.data import DataStore
from dashboard.figures.common import PALETTE, Frame, axis_title, base_figure, empty_figure, trace, wrap
from dashboard.i18n import fmt_num, plotly_si_suffixes, t


def gap_frame(store: DataStore) -> pd.DataFrame:
    """Cuba's import need beside Mexico's and Brazil's production and use, as published (oil_gap_estimates)."""
    published = store.table("oil_gap_estimates").rename(columns={"reference_years": "year"})
    out = published[["country", "measure", "value_bbl_per_day", "year", "source"]]
    order = out["country"].map(COUNTRY_ORDER).fillna(len(COUNTRY_ORDER))
    return out.assign(_order=order).sort_values(["_order", "measure"], kind="stable").drop(columns="_order")


GAP_MEASURES = {  # measure → its name's key in the catalogue
    "import need (consumption − production)": "oil_gap_measure_import_need",
    "production": "oil_gap_measure_production",
    "production − consumption": "oil_gap_measure_production_minus_consumption",
}
VALUE_HEADROOM = 1.3  # room right of the longest bar for its value label (labels are never cut off)
INSIDE_FROM = 0.6  # bars at least this share of the longest carry their value inside
COUNTRY_ORDER = {"Cuba": 0, "Mexico": 1, "Brazil": 2}


def million_ticks(low: float, high: float, lang: str) -> dict[str, Any]:
    """About five ticks between low and high at a round step, written "1 mill." / "500.000" in Spanish."""
    raw = (high - low) / 5 or 1.0
    magnitude = 10 ** np.floor(np.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    values = np.arange(np.ceil(low / step) * step, high + step / 2, step)
    values = [float(v) for v in values if low <= v <= high]
    text = [
        (
            t("oil_ticks_million", lang, value=fmt_num(v / 1e6, lang, 0 if (v / 1e6).is_integer() else 1))
            if abs(v) >= 1e6
            else fmt_num(v, lang)
        )
        for v in values
    ]
    return {"tickmode": "array", "tickvals": values, "ticktext": text}


def _gap(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    df = store.prepared("oil:gap", gap_frame)
    title = t("oil_gap_title", lang)
    subtitle = t("oil_gap_subtitle", lang)
    sources = sources_for(store, "cia_factbook")
    as_of = max((str(y)[-4:] for y in df["year"] if str(y)), default="") if len(df) else ""
    extra = t("oil_gap_source_extra", lang)
    fr = Frame(title, subtitle, source_line(sources, as_of, lang, extra), lang)
    if df.empty:
        return ChartView(empty_figure(fr, no_data(lang)), df, no_data(lang), title, subtitle, sources, as_of)
    fig = base_figure(fr)
    measure = df["measure"].map(lambda m: t(GAP_MEASURES[m], lang) if m in GAP_MEASURES else m)
    labels = [
        wrap(f"{country_label(c, lang)}: {m} ({y})", 24)
        for c, m, y in zip(df["country"], measure, df["year"], strict=True)
    ]
    colors = [PALETTE[{"Cuba": 3, "Mexico": 0, "Brazil": 2}.get(c, 4)] for c in df["country"]]
    patterns = ["/" if "derived" in s else "" for s in df["source"]]
    unit = t("oil_unit_bbl_per_day", lang)
    top = float(df["value_bbl_per_day"].max())
    fig.add_trace(
        trace(
            "bar",
            y=labels,
            x=df["value_bbl_per_day"],
            orientation="h",
            marker={"color": colors, "pattern": {"shape": patterns, "fgcolor": "#333", "bgcolor": "rgba(0,0,0,0)"}},
            texttemplate="%{x:,.0f}",
            # Inside a long bar, outside a short one, never turned or shrunk: no label is cut off or unreadable.
            textposition=["inside" if v >= INSIDE_FROM * top else "outside" for v in df["value_bbl_per_day"]],
            textangle=0,
            textfont={"size": 12},
            insidetextfont={"size": 12, "color": "#ffffff"},
            outsidetextfont={"size": 12, "color": "#222222"},
            cliponaxis=False,
            hovertemplate="%{y}: %{x:,.0f} " + unit + "<extra></extra>",
            showlegend=False,
        )
    )
    low = min(0.0, float(df["value_bbl_per_day"].min()))
    fig.update_xaxes(**axis_title(unit), range=[low * VALUE_HEADROOM, top * VALUE_HEADROOM], nticks=5)
    if not plotly_si_suffixes(lang):  # plotly would write "2M", which reads as thousands ("miles") in Spanish
        fig.update_xaxes(**million_ticks(low * VALUE_HEADROOM, top * VALUE_HEADROOM, lang))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_layout(uniformtext={"minsize": 12, "mode": "show"})
    cuba = df[df["country"] == "Cuba"]
    mex = df[(df["country"] == "Mexico") & (df["measure"] == "production")]
    if len(cuba) and len(mex):
        share = 100 * cuba["value_bbl_per_day"].iloc[0] / mex["value_bbl_per_day"].iloc[0]
        years = " / ".join(dict.fromkeys(str(y) for y in (cuba["year"].iloc[0], mex["year"].iloc[0])))
        summary = t(
            "oil_gap_summary",
            lang,
            need=fmt_num(cuba["value_bbl_per_day"].iloc[0], lang),
            share=fmt_num(share, lang, 1),
            years=years,
        )
    else:
        summary = no_data(lang)
    return ChartView(fig, df, summary, title, subtitle, sources, as_of)

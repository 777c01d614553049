"""Oil supply: consumption vs domestic production, shipments by supplier as reported (each figure with its
source), and the import gap set against Mexico's and Brazil's output."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard.chart_registry import ChartSpec, ChartState, ChartView, register
from dashboard.chartdefs._shared import (
    column_span,
    country_label,
    filter_period,
    in_every_language,
    no_data,
    period_end,
    period_start,
    source_line,
    sources_for,
)
from dashboard.chartdefs.month_ticks import spanish_months
from dashboard.data import DataStore
from dashboard.figures.basic import groups
from dashboard.figures.common import (
    PALETTE,
    Frame,
    axis_title,
    base_figure,
    empty_figure,
    trace,
    wrap,
)
from dashboard.i18n import fmt_date, fmt_num, plotly_si_suffixes, t

PAGE = "/oil"
SUPPLIERS = ("Venezuela", "Mexico", "Russia")
ALL_IMPORTS = "All origins (total imports)"
OTHER = "Other origins"
# Supplier groups of the shipments chart: fixed colour and symbol each (the same in every period), the name's key in
# the catalogue (dashboard/i18n.py). "all origins" is a total of imports; a total that also counts domestic production
# is not a shipment and is left out of the chart (said in a note; it is in the oil table and the balance's sources).
GROUPS = {
    "Venezuela": ("oil_group_venezuela", PALETTE[0], "circle"),
    "Mexico": ("oil_group_mexico", PALETTE[1], "square"),
    "Russia": ("oil_group_russia", PALETTE[2], "diamond"),
    ALL_IMPORTS: ("oil_group_all_imports", PALETTE[3], "triangle-up"),
    OTHER: ("oil_group_other", PALETTE[4], "star"),
}
INCLUDES_DOMESTIC = "all sources incl. domestic production"
MEASURES = {  # measure → its name's key in the catalogue
    "consumption": "oil_measure_consumption",
    "domestic production": "oil_measure_domestic_production",
}


def group_name(group: str, lang: str) -> str:
    """A supplier group of the shipments chart in words ("Todos los orígenes (importaciones totales)")."""
    return t(GROUPS[group][0], lang)


def _midpoint(df: pd.DataFrame) -> pd.Series:
    return df["period_start"] + (df["period_end"] - df["period_start"]) / 2


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


def short_publisher(name: str) -> str:
    """The publisher's name without the bracketed detail ("U.S. EIA (country analysis, July 2016)" → "U.S. EIA"),
    for legends; the full name is in the hover and the table."""
    return name.split(" (")[0].strip() or name


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


def _with_groups(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["supplier_group"] = np.select(
        [df["supplier"].isin(SUPPLIERS).to_numpy(), (df["supplier"] == "all origins").to_numpy()],
        [df["supplier"].to_numpy(), np.full(len(df), ALL_IMPORTS)],
        OTHER,
    )
    return df


SHIPMENT_COLUMNS = [
    "period_start",
    "period_end",
    "supplier",
    "supplier_group",
    "flow",
    "value",
    "basis",
    "publisher",
    "url",
    "verification",
    "approximate",
    "note",
]


MONTH_DAYS = 31  # a flow over at most a month is a monthly figure: drawn in the monthly chart (oil-imports-monthly)


def shipments_frame(store: DataStore) -> pd.DataFrame:
    """Average flows (bbl/d) over periods longer than a month (years, quarters, several months), one row per
    reported figure. Month-by-month figures are the monthly series' (oil_imports_monthly), drawn in its own chart:
    drawn here too, 60 points crowded 2021-2026 into an unreadable cloud on a phone."""
    df = store.table("oil_supply_reported")
    days = (df["period_end"] - df["period_start"]).dt.days + 1
    df = df[(df["unit"] == "bbl_per_day") & ~df["supplier"].isin([*MEASURES, INCLUDES_DOMESTIC]) & (days > MONTH_DAYS)]
    return _with_groups(df)[SHIPMENT_COLUMNS].rename(columns={"value": "value_bbl_per_day"})


def cargoes_frame(store: DataStore) -> pd.DataFrame:
    """Volumes reported in barrels (a cargo, or the barrels delivered over a period), one row per figure: drawn in
    the chart's second panel, never on the barrels-per-day axis."""
    df = store.table("oil_supply_reported")
    df = df[(df["unit"] == "bbl") & ~df["supplier"].isin([*MEASURES, INCLUDES_DOMESTIC])]
    return _with_groups(df)[SHIPMENT_COLUMNS].rename(columns={"value": "cargo_bbl"})


def _shipments_in_order(store: DataStore) -> dict[str, Any]:
    """The shipments in drawing order (supplier group, then period start), with what each marker needs, once per
    published package: sorting, grouping and converting these per callback cost about 10 ms of this chart. Flows
    (bbl/d) come first, then the volumes in barrels (`cargo`); `value` holds either."""
    flows = shipments_frame(store)
    cargoes = cargoes_frame(store)
    df = pd.concat([flows.assign(_cargo=False), cargoes.assign(_cargo=True)], ignore_index=True)
    df = df.sort_values(["_cargo", "supplier_group", "period_start"], kind="stable").reset_index(drop=True)
    value = df["value_bbl_per_day"].fillna(df["cargo_bbl"])
    return {
        "frame": df.drop(columns="_cargo"),
        "start": df["period_start"].to_numpy(),
        "end": df["period_end"].to_numpy(),
        "middle": _midpoint(df).to_numpy(),
        "value": value.to_numpy("float64", na_value=np.nan),
        "cargo": df["_cargo"].to_numpy(bool),
        "group": df["supplier_group"].to_numpy(),
        "confirmed": (df["verification"] == "confirmed").to_numpy(),
        "hover": df[["supplier", "flow", "publisher", "basis", "verification"]].to_numpy(),
    }


def _in_period(ends: np.ndarray, start: str | None, end: str | None) -> np.ndarray:
    """Positions of the periods ending within [start, end] (what `filter_period` keeps on `period_end`)."""
    keep = np.ones(len(ends), dtype=bool)
    if start:
        keep &= ends >= period_start(start).to_datetime64()
    if end:
        keep &= ends <= period_end(end).to_datetime64()
    return np.flatnonzero(keep)


def period_text(start: object, end: object, lang: str) -> str:
    """A reported period in words: '8 December 2025', '8–23 March 2026', 'March 2025', '2025',
    '15 December 2025 to 15 January 2026' (Spanish: '8–23 de marzo de 2026'...)."""
    first, last = pd.Timestamp(start).date(), pd.Timestamp(end).date()
    if first == last:
        return fmt_date(first, lang)
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return str(first.year)
    month_end = (pd.Timestamp(last) + pd.offsets.MonthEnd(0)).date()
    if first.day == 1 and last == month_end and (first.year, first.month) == (last.year, last.month):
        return fmt_date(first, lang, month_only=True)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{fmt_date(last, lang)}"
    return t("oil_period_to", lang, first=fmt_date(first, lang), last=fmt_date(last, lang))


def reporter_round(value: float) -> float:
    """Two significant figures, as a reporter writes a figure: 9,528 → 9,500; 730,000 → 730,000."""
    if not value:
        return 0.0
    digits = int(np.floor(np.log10(abs(value))))
    return float(round(value, 1 - digits)) if digits >= 1 else float(round(value))


def _shipments_summary(frame: pd.DataFrame, value: np.ndarray, cargo: np.ndarray, lang: str) -> str:
    """The latest confirmed report of each named supplier, latest first, in plain words."""
    df = frame.assign(amount=value, is_cargo=cargo)
    df = df[df["supplier_group"].isin(SUPPLIERS) & (df["verification"] == "confirmed")]
    if df.empty:
        return no_data(lang)
    latest = df.sort_values(["period_end", "period_start"], kind="stable").groupby("supplier_group").tail(1)
    parts = []
    for r in latest.sort_values("period_end", ascending=False).itertuples(index=False):
        name = group_name(r.supplier_group, lang)
        amount = fmt_num(reporter_round(r.amount), lang)
        when = period_text(r.period_start, r.period_end, lang)
        key = "oil_shipments_summary_cargo" if r.is_cargo else "oil_shipments_summary_flow"
        parts.append(t(key, lang, name=name, amount=amount, when=when))
    return t("oil_shipments_summary", lang, reports="; ".join(parts))


# The second panel: volumes in barrels on a log axis (single cargoes of 70,000 barrels beside totals of millions),
# ticks written out in each language (no "2M").
CARGO_TICKS = [1e5, 1e6, 1e7]
CARGO_TICKTEXT = ("oil_cargo_tick_100k", "oil_cargo_tick_1m", "oil_cargo_tick_10m")  # catalogue keys
# The flow panel (most reports) gets most of the height; the gap holds the cargo panel's heading, clear of the flow
# panel's marks at zero (on a phone they sat on it: graphics round 8).
FLOW_DOMAIN, CARGO_DOMAIN = [0.5, 0.94], [0.0, 0.31]


def _shipments(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    prepared = store.prepared("oil:shipments:in_order", _shipments_in_order)
    rows = _in_period(prepared["end"], state.start, state.end)
    df = prepared["frame"].iloc[rows].reset_index(drop=True)
    title = t("oil_shipments_title", lang)
    subtitle = t("oil_shipments_subtitle", lang)
    sources = sources_for(store, "oil_supply_reported")
    # "As of": the latest observation of everything the view holds (flows and cargoes), written out.
    as_of = fmt_date(pd.Timestamp(prepared["end"][rows].max()).date(), lang) if len(rows) else ""
    fr = Frame(
        title,
        subtitle,
        source_line(sources, as_of, lang, t("oil_shipments_source_extra", lang)),
        lang,
    )
    if df.empty:
        return ChartView(empty_figure(fr, no_data(lang)), df, no_data(lang), title, subtitle, sources, as_of)
    fig = base_figure(fr, height=620)
    unit = t("oil_unit_bbl_per_day", lang)
    # The key: one entry per supplier group (colour and symbol), shared by both panels.
    present = set(prepared["group"][rows])
    for group in (g for g in GROUPS if g in present):
        _, color, symbol = GROUPS[group]
        fig.add_trace(
            trace(
                "scatter",
                x=[None],
                y=[None],
                mode="lines+markers",
                name=group_name(group, lang),
                legendgroup=group,
                line={"color": color, "width": 4},
                marker={"size": 9, "symbol": symbol, "color": color},
            )
        )
    for group, part in groups(pd.Series(prepared["group"][rows])):
        _, color, symbol = GROUPS[group]
        for cargo in (False, True):
            at = rows[part][prepared["cargo"][rows[part]] == cargo]  # positions in the prepared arrays
            if not len(at):
                continue
            axes = {"xaxis": "x2", "yaxis": "y2"} if cargo else {}
            ends, value = prepared["end"][at], prepared["value"][at]
            spans = prepared["start"][at] < ends
            if spans.any():  # one segment per reported period (start → end), each ended by an empty value
                xs = np.column_stack([prepared["start"][at][spans], ends[spans], ends[spans]]).ravel()
                ys = np.column_stack([value[spans], value[spans], np.full(int(spans.sum()), np.nan)]).ravel()
                fig.add_trace(
                    trace(
                        "scatter",
                        x=xs,
                        y=ys,
                        mode="lines",
                        line={"color": color, "width": 4},
                        name=group_name(group, lang),
                        legendgroup=group,
                        showlegend=False,
                        hoverinfo="skip",
                        **axes,
                    )
                )
            per = t("oil_unit_barrels", lang) if cargo else unit
            fig.add_trace(
                trace(
                    "scatter",
                    x=prepared["middle"][at],
                    y=value,
                    mode="markers",
                    legendgroup=group,
                    showlegend=False,
                    marker={
                        "size": 9,
                        "symbol": [symbol + ("" if s else "-open") for s in prepared["confirmed"][at]],
                        "color": color,
                        "line": {"width": 1.5, "color": color},
                    },
                    customdata=prepared["hover"][at],
                    hovertemplate="%{customdata[0]} (%{customdata[1]}): %{y:,.0f} " + per + "<br>%{customdata[2]}<br>"
                    "%{customdata[3]}<br>%{customdata[4]}<extra></extra>",
                    **axes,
                )
            )
    has_cargo = bool(prepared["cargo"][rows].any())
    fig.update_layout(
        xaxis={"type": "date", "anchor": "y", "showticklabels": not has_cargo},
        # Full numbers ("150,000" / "150.000"): plotly's "150k" is not Spanish.
        yaxis={
            "domain": FLOW_DOMAIN if has_cargo else [0, 1],
            **axis_title(unit),
            "rangemode": "tozero",
            "tickformat": ",.0f",
        },
    )
    if has_cargo:  # two panels, each with its own heading
        headings = [
            (FLOW_DOMAIN[1], t("oil_shipments_flow_heading", lang)),
            (CARGO_DOMAIN[1], t("oil_shipments_cargo_heading", lang)),
        ]
        fig.update_layout(
            xaxis2={**fig.layout["xaxis"], "matches": "x", "anchor": "y2", "showticklabels": True},
            yaxis2={
                **{k: v for k, v in fig.layout["yaxis"].items() if k != "tickformat"},
                "domain": CARGO_DOMAIN,
                "anchor": "x2",
                "type": "log",
                **axis_title(t("oil_shipments_cargo_axis", lang)),
                "tickvals": CARGO_TICKS,
                "ticktext": [t(key, lang) for key in CARGO_TICKTEXT],
                "rangemode": "normal",
            },
        )
        for y, text in headings:
            fig.add_annotation(
                text=f"<b>{text}</b>",
                x=0,
                xref="paper",
                xanchor="left",
                y=y,
                yref="paper",
                yanchor="bottom",
                yshift=4,
                showarrow=False,
                font={"size": 13, "color": "#222"},
            )
    spanish_months(fig, lang)
    summary = _shipments_summary(df, prepared["value"][rows], prepared["cargo"][rows], lang)
    return ChartView(fig, df, summary, title, subtitle, sources, as_of, notes=[t("oil_shipments_total_note", lang)])


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


register(
    ChartSpec(
        id="oil-balance",
        page=PAGE,
        build=_balance,
        params=("start", "end"),
        title=in_every_language("oil_balance_title"),
        span=lambda store: column_span(store.table("oil_balance_estimates"), "year"),
    )
)
register(
    ChartSpec(
        id="oil-shipments",
        page=PAGE,
        build=_shipments,
        params=("start", "end"),
        title=in_every_language("oil_shipments_title"),
    )
)
register(
    ChartSpec(
        id="oil-gap-vs-producers",
        page=PAGE,
        build=_gap,
        title=in_every_language("oil_gap_card_title"),
    )
)

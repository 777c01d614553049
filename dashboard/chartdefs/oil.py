"""Oil supply: consumption vs domestic production, shipments by supplier as reported (each figure with its
source), and the import gap set against Mexico's and Brazil's output."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard.chartdefs._shared import country_label, no_data, sources_for
from dashboard.charts import (
    ChartSpec,
    ChartState,
    ChartView,
    filter_period,
    period_end,
    period_start,
    register,
    source_line,
)
from dashboard.data import DataStore
from dashboard.figures.basic import groups, take
from dashboard.figures.common import (
    PALETTE,
    Frame,
    axis_title,
    base_figure,
    empty_figure,
    trace,
    wrap,
)
from dashboard.i18n import fmt_num

PAGE = "/oil"
SUPPLIERS = ("Venezuela", "Mexico", "Russia")
ALL_IMPORTS = "All origins (total imports)"
OTHER = "Other origins"
# Supplier groups of the shipments chart: fixed colour and symbol each (the same in every period), names in both
# languages. "all origins" is a total of imports; a total that also counts domestic production is not a shipment
# and is left out of the chart (said in a note; it is in the oil table and the balance's sources).
GROUPS = {
    "Venezuela": ("Venezuela", "Venezuela", PALETTE[0], "circle"),
    "Mexico": ("Mexico", "México", PALETTE[1], "square"),
    "Russia": ("Russia", "Rusia", PALETTE[2], "diamond"),
    ALL_IMPORTS: (ALL_IMPORTS, "Todos los orígenes (importaciones totales)", PALETTE[3], "triangle-up"),
    OTHER: (OTHER, "Otros orígenes", PALETTE[4], "star"),
}
INCLUDES_DOMESTIC = "all sources incl. domestic production"
MEASURES = {
    "consumption": ("Consumption", "Consumo"),
    "domestic production": ("Domestic production", "Producción nacional"),
}


def _midpoint(df: pd.DataFrame) -> pd.Series:
    return df["period_start"] + (df["period_end"] - df["period_start"]) / 2


def balance_frame(store: DataStore) -> pd.DataFrame:
    """Cuba's oil consumption and domestic production (bbl/day) from every publisher we hold, one row per figure,
    with the period it covers (a year: 1 Jan to 31 Dec)."""
    rows = []
    reported = store.table("oil_supply_reported")
    cuba = reported[reported["supplier"].isin(MEASURES) & (reported["unit"] == "bbl_per_day")]
    for r in cuba.itertuples(index=False):
        rows.append(
            {
                "year": r.period_end.year,
                "period_start": r.period_start,
                "period_end": r.period_end,
                "measure": r.supplier,
                "value_bbl_per_day": r.value,
                "publisher": r.publisher,
                "basis": r.basis or "",
                "url": r.url,
                "verification": r.verification,
            }
        )
    cia = store.table("cia_factbook")
    cia = cia[(cia["iso_code"] == "CUB") & (cia["unit"] == "bbl_per_day")]
    for r in cia.itertuples(index=False):
        measure = {
            "refined_petroleum_consumption": "consumption",
            "total_petroleum_production": "domestic production",
        }.get(r.indicator)
        if measure:
            rows.append(
                {
                    "year": r.reference_year,
                    **_whole_year(r.reference_year),
                    "measure": measure,
                    "value_bbl_per_day": r.value,
                    "publisher": "CIA World Factbook",
                    "basis": r.text,
                    "url": "https://www.cia.gov/the-world-factbook/countries/cuba/",
                    "verification": "confirmed",
                }
            )
    if "eia_international" in store.table_names():
        eia = store.table("eia_international")
        eia = eia[(eia["iso_code"] == "CUB") & eia["activity_id"].isin(["1", "2"]) & (eia["product_id"] == "53")]
        for r in eia.dropna(subset=["value_bbl_per_day"]).itertuples(index=False):
            rows.append(
                {
                    "year": r.year,
                    **_whole_year(r.year),
                    "measure": "consumption" if r.activity_id == "2" else "domestic production",
                    "value_bbl_per_day": r.value_bbl_per_day,
                    "publisher": "U.S. EIA",
                    "basis": r.product,
                    "url": "https://www.eia.gov/international/data/country/CUB",
                    "verification": "confirmed",
                }
            )
    return pd.DataFrame(rows, columns=BALANCE_COLUMNS).sort_values(["measure", "period_start", "publisher"])


BALANCE_COLUMNS = [
    "year",
    "period_start",
    "period_end",
    "measure",
    "value_bbl_per_day",
    "publisher",
    "basis",
    "url",
    "verification",
]
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


def _whole_year(year: object) -> dict[str, pd.Timestamp]:
    return {"period_start": pd.Timestamp(f"{int(year)}-01-01"), "period_end": pd.Timestamp(f"{int(year)}-12-31")}


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
    title = (
        "Cuba: oil consumption and domestic production"
        if lang == "en"
        else "Cuba: consumo y producción nacional de petróleo"
    )
    subtitle = (
        "Barrels per day as each publisher reported them (one symbol per publisher; a bar spans the period covered;"
        " hollow = unverified or conflicting); estimates, not official balances"
        if lang == "en"
        else "Barriles diarios según cada editor (un símbolo por editor; la barra abarca el periodo; hueco = no"
        " verificado o en conflicto); estimaciones, no balances oficiales"
    )
    sources = sources_for(store, "oil_supply_reported", "cia_factbook")
    as_of = str(int(df["year"].max())) if len(df) else ""
    extra = "Publishers per point: hover or see the table" if lang == "en" else "Editor de cada punto: en la tabla"
    publishers = list(dict.fromkeys(short_publisher(p) for p in df["publisher"]))
    names = list(SYMBOLS)
    symbol_of = {p: names[i % len(names)] for i, p in enumerate(publishers)}
    if publishers:  # the symbol key, in the subtitle: in the image's header and in the text above the chart
        key = " · ".join(f"{SYMBOLS[symbol_of[p]]} {p}" for p in publishers)
        subtitle += f". {'Symbols' if lang == 'en' else 'Símbolos'}: {key}"
    fr = Frame(title, subtitle, source_line(sources, as_of, lang, extra), lang)
    if df.empty:
        return ChartView(empty_figure(fr, no_data(lang)), df, no_data(lang), title, subtitle, sources, as_of)
    fig = base_figure(fr, height=520)
    # The legend keys the colours (measures); the subtitle keys the symbols (publishers).
    for i, measure in enumerate(m for m in MEASURES if m in set(df["measure"])):
        name = MEASURES[measure][0 if lang == "en" else 1]
        fig.add_trace(
            trace("scatter", x=[None], y=[None], mode="lines", name=name, line={"color": PALETTE[i], "width": 4})
        )
    # The figures: one trace per measure and publisher; each figure is a bar across its period with its symbol at
    # the middle. Figures are never joined by a line (not across publishers, not across periods).
    for i, measure in enumerate(m for m in MEASURES if m in set(df["measure"])):
        label = MEASURES[measure][0 if lang == "en" else 1]
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
    fig.update_yaxes(**axis_title("bbl/d" if lang == "en" else "b/d"), rangemode="tozero")
    latest = df.sort_values("period_end").groupby("measure").tail(1).set_index("measure")
    if {"consumption", "domestic production"} <= set(latest.index):
        c, p = latest.loc["consumption"], latest.loc["domestic production"]
        summary = (
            f"Latest figures: consumption {fmt_num(c['value_bbl_per_day'], lang)} bbl/d ({int(c['year'])}, "
            f"{c['publisher']}); domestic production {fmt_num(p['value_bbl_per_day'], lang)} bbl/d "
            f"({int(p['year'])}, {p['publisher']})."
            if lang == "en"
            else f"Cifras más recientes: consumo {fmt_num(c['value_bbl_per_day'], lang)} b/d ({int(c['year'])}, "
            f"{c['publisher']}); producción nacional {fmt_num(p['value_bbl_per_day'], lang)} b/d "
            f"({int(p['year'])}, {p['publisher']})."
        )
    else:
        summary = no_data(lang)
    return ChartView(fig, df, summary, title, subtitle, sources, as_of)


def shipments_frame(store: DataStore) -> pd.DataFrame:
    df = store.table("oil_supply_reported")
    df = df[(df["unit"] == "bbl_per_day") & ~df["supplier"].isin([*MEASURES, INCLUDES_DOMESTIC])].copy()
    df["supplier_group"] = np.select(
        [df["supplier"].isin(SUPPLIERS).to_numpy(), (df["supplier"] == "all origins").to_numpy()],
        [df["supplier"].to_numpy(), np.full(len(df), ALL_IMPORTS)],
        OTHER,
    )
    return df[
        [
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
    ].rename(columns={"value": "value_bbl_per_day"})


def _shipments_in_order(store: DataStore) -> dict[str, Any]:
    """The shipments in drawing order (supplier group, then period start), with what each marker needs, once per
    published package: sorting, grouping and converting these per callback cost about 10 ms of this chart."""
    df = shipments_frame(store).sort_values(["supplier_group", "period_start"]).reset_index(drop=True)
    return {
        "frame": df,
        "start": df["period_start"].to_numpy(),
        "end": df["period_end"].to_numpy(),
        "middle": _midpoint(df).to_numpy(),
        "value": df["value_bbl_per_day"].to_numpy("float64", na_value=np.nan),
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


def _latest_per_group(rows: np.ndarray, ends: np.ndarray, groups: np.ndarray) -> list[int]:
    """Each group's latest period (the last of equal ends), listed from the earliest to the latest end."""
    by_end = rows[np.argsort(ends[rows], kind="stable")]
    last = {groups[i]: rank for rank, i in enumerate(by_end)}
    return [int(by_end[rank]) for rank in sorted(last.values())]


def _shipments(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    prepared = store.prepared("oil:shipments:in_order", _shipments_in_order)
    rows = _in_period(prepared["end"], state.start, state.end)
    df = prepared["frame"].iloc[rows].reset_index(drop=True)
    title = (
        "Oil shipments to Cuba by supplier, as reported"
        if lang == "en"
        else "Envíos de petróleo a Cuba por proveedor, según lo publicado"
    )
    subtitle = (
        "Barrels per day averaged over each reported period (bars span the period); hollow = unverified or conflicting"
        if lang == "en"
        else "Barriles diarios en promedio de cada periodo publicado (las barras abarcan el periodo); "
        "hueco = no verificado o en conflicto"
    )
    sources = sources_for(store, "oil_supply_reported")
    as_of = pd.Timestamp(prepared["end"][rows].max()).date().isoformat() if len(rows) else ""
    fr = Frame(
        title,
        subtitle,
        source_line(
            sources,
            as_of,
            lang,
            "Reuters, Pemex filings, Kpler, EFE and others — each figure's publisher in the table and on hover"
            if lang == "en"
            else "Reuters, informes de Pemex, Kpler, EFE y otros: el editor de cada cifra, en la tabla",
        ),
        lang,
    )
    if df.empty:
        return ChartView(empty_figure(fr, no_data(lang)), df, no_data(lang), title, subtitle, sources, as_of)
    fig = base_figure(fr, height=500)
    for group, part in groups(pd.Series(prepared["group"][rows])):
        name_en, name_es, color, symbol = GROUPS[group]
        name = name_en if lang == "en" else name_es
        at = rows[part]  # positions in the prepared arrays
        # One segment per reported period (start → end), each ended by an empty value that breaks the line.
        ends, value = prepared["end"][at], prepared["value"][at]
        xs = np.column_stack([prepared["start"][at], ends, ends]).ravel()
        ys = np.column_stack([value, value, np.full(len(value), np.nan)]).ravel()
        fig.add_trace(
            trace(
                "scatter",
                x=xs,
                y=ys,
                mode="lines",
                line={"color": color, "width": 4},
                name=name,
                legendgroup=group,
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            trace(
                "scatter",
                x=prepared["middle"][at],
                y=take(df["value_bbl_per_day"], part),
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
                hovertemplate="%{customdata[0]} (%{customdata[1]}): %{y:,.0f} bbl/d<br>%{customdata[2]}<br>"
                "%{customdata[3]}<br>%{customdata[4]}<extra></extra>",
            )
        )
    fig.update_yaxes(**axis_title("bbl/d" if lang == "en" else "b/d"), rangemode="tozero")
    parts = []
    for i in _latest_per_group(rows, prepared["end"], prepared["group"]):
        group, (_, _, publisher, _, _) = prepared["group"][i], prepared["hover"][i]
        if group in SUPPLIERS:
            first, last = (pd.Timestamp(prepared[k][i]).date() for k in ("start", "end"))
            value = fmt_num(prepared["value"][i], lang)
            name = GROUPS[group][0 if lang == "en" else 1]
            parts.append(f"{name} {value} {'bbl/d' if lang == 'en' else 'b/d'} ({first}–{last}, {publisher})")
    summary = (
        (("Latest reported figures: " if lang == "en" else "Últimas cifras publicadas: ") + "; ".join(parts) + ".")
        if parts
        else no_data(lang)
    )
    return ChartView(fig, df, summary, title, subtitle, sources, as_of, notes=[TOTAL_NOTE[lang]])


TOTAL_NOTE = {
    "en": "Not drawn: estimates of total oil supply that include Cuba's own production (they are not shipments;"
    " they stay in the published oil table). Domestic production is on the oil balance chart.",
    "es": "No se dibujan las estimaciones del suministro total que incluyen la producción propia de Cuba (no son"
    " envíos; siguen en la tabla publicada). La producción nacional está en el gráfico del balance.",
}


def gap_frame(store: DataStore) -> pd.DataFrame:
    """Cuba's import need (consumption − domestic production) beside Mexico's and Brazil's production and use."""
    cia = store.table("cia_factbook")
    cia = cia[(cia["unit"] == "bbl_per_day") & cia["iso_code"].isin(["CUB", "MEX", "BRA"])]
    wide = cia.pivot_table(index=["country", "iso_code"], columns="indicator", values="value").reset_index()
    years = cia.groupby("iso_code")["reference_year"].max()
    rows = []
    for r in wide.itertuples(index=False):
        d = r._asdict()
        prod, cons = d.get("total_petroleum_production"), d.get("refined_petroleum_consumption")
        year = int(years.get(d["iso_code"]))
        if d["iso_code"] == "CUB":
            if pd.notna(prod) and pd.notna(cons):
                rows.append(
                    {
                        "country": d["country"],
                        "measure": "import need (consumption − production)",
                        "value_bbl_per_day": cons - prod,
                        "year": year,
                        "source": "CIA World Factbook (derived)",
                    }
                )
        else:
            if pd.notna(prod):
                rows.append(
                    {
                        "country": d["country"],
                        "measure": "production",
                        "value_bbl_per_day": prod,
                        "year": year,
                        "source": "CIA World Factbook",
                    }
                )
            if pd.notna(prod) and pd.notna(cons):
                rows.append(
                    {
                        "country": d["country"],
                        "measure": "production − consumption",
                        "value_bbl_per_day": prod - cons,
                        "year": year,
                        "source": "CIA World Factbook (derived)",
                    }
                )
    out = pd.DataFrame(rows, columns=["country", "measure", "value_bbl_per_day", "year", "source"])
    order = out["country"].map(COUNTRY_ORDER).fillna(len(COUNTRY_ORDER))
    return out.assign(_order=order).sort_values(["_order", "measure"], kind="stable").drop(columns="_order")


GAP_MEASURES = {
    "import need (consumption − production)": (
        "import need (consumption − production)",
        "necesidad de importación (consumo − producción)",
    ),
    "production": ("production", "producción"),
    "production − consumption": ("production − consumption", "producción − consumo"),
}
VALUE_HEADROOM = 1.3  # room right of the longest bar for its value label (labels are never cut off)
INSIDE_FROM = 0.6  # bars at least this share of the longest carry their value inside
COUNTRY_ORDER = {"Cuba": 0, "Mexico": 1, "Brazil": 2}


def _gap(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    df = store.prepared("oil:gap", gap_frame)
    title = (
        "Cuba's oil import need beside Mexico's and Brazil's output"
        if lang == "en"
        else "Necesidad de importación de Cuba frente a la producción de México y Brasil"
    )
    subtitle = (
        "Barrels per day (linear scale); hatched bars are differences of two CIA estimates"
        if lang == "en"
        else "Barriles diarios (escala lineal); las barras rayadas son diferencias de dos estimaciones de la CIA"
    )
    sources = sources_for(store, "cia_factbook")
    as_of = str(int(df["year"].max())) if len(df) else ""
    extra = (
        "Refined-product consumption minus total petroleum production"
        if lang == "en"
        else "Consumo de productos refinados menos producción total de petróleo"
    )
    fr = Frame(title, subtitle, source_line(sources, as_of, lang, extra), lang)
    if df.empty:
        return ChartView(empty_figure(fr, no_data(lang)), df, no_data(lang), title, subtitle, sources, as_of)
    fig = base_figure(fr)
    measure = df["measure"].map(lambda m: GAP_MEASURES.get(m, (m, m))[0 if lang == "en" else 1])
    labels = [wrap(f"{country_label(c, lang)}: {m}", 24) for c, m in zip(df["country"], measure, strict=True)]
    colors = [PALETTE[{"Cuba": 3, "Mexico": 0, "Brazil": 2}.get(c, 4)] for c in df["country"]]
    patterns = ["/" if "derived" in s else "" for s in df["source"]]
    unit = "bbl/d" if lang == "en" else "b/d"
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
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_layout(uniformtext={"minsize": 12, "mode": "show"})
    cuba = df[df["country"] == "Cuba"]
    mex = df[(df["country"] == "Mexico") & (df["measure"] == "production")]
    if len(cuba) and len(mex):
        share = 100 * cuba["value_bbl_per_day"].iloc[0] / mex["value_bbl_per_day"].iloc[0]
        summary = (
            f"Cuba's import need of about {fmt_num(cuba['value_bbl_per_day'].iloc[0], lang)} bbl/d equals "
            f"{fmt_num(share, lang, 1)}% of Mexico's production ({as_of}, CIA estimates)."
            if lang == "en"
            else f"La necesidad de importación de Cuba, unos {fmt_num(cuba['value_bbl_per_day'].iloc[0], lang)} b/d, "
            f"equivale al {fmt_num(share, lang, 1)}% de la producción de México ({as_of}, estimaciones de la CIA)."
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
        title={
            "en": "Cuba: oil consumption and domestic production",
            "es": "Cuba: consumo y producción nacional de petróleo",
        },
    )
)
register(
    ChartSpec(
        id="oil-shipments",
        page=PAGE,
        build=_shipments,
        params=("start", "end"),
        title={"en": "Oil shipments to Cuba by supplier, as reported", "es": "Envíos de petróleo a Cuba por proveedor"},
    )
)
register(
    ChartSpec(
        id="oil-gap-vs-producers",
        page=PAGE,
        build=_gap,
        title={
            "en": "Cuba's oil import need beside Mexico's and Brazil's output",
            "es": "Necesidad de importación de Cuba frente a México y Brasil",
        },
    )
)

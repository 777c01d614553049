"""Blackouts: the UNE's daily figures — supply vs demand, planned vs actual load cuts, the share of the country
without power at the peak, estimated outage hours (with band and method), thermal units out, and a calendar."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.chartdefs._shared import no_data, sources_for
from dashboard.charts import (
    ChartSpec,
    ChartState,
    ChartView,
    period_end,
    period_start,
    register,
    source_line,
)
from dashboard.data import DataStore
from dashboard.figures.common import (
    ESTIMATE_FILL,
    PALETTE,
    Draft,
    Frame,
    axis_title,
    base_figure,
    empty_figure,
    rows_with_values,
    trace,
)
from dashboard.i18n import fmt_date, fmt_num

PAGE = "/blackouts"
TABLES = ("une_daily",)
SOURCE_NOTE = {
    "en": "UNE daily notes (Cubadebate) and press reports",
    "es": "Notas diarias de la UNE (Cubadebate) y prensa",
}

CIVIDIS = [list(stop) for stop in go.scatter.Marker(colorscale="Cividis").colorscale]  # as plotly expands it


def _by_date(store: DataStore) -> tuple[pd.DataFrame, np.ndarray]:
    df = store.table("une_daily").sort_values("date")
    return df, df["date"].to_numpy()


def _daily(store: DataStore, state: ChartState, *columns: str) -> pd.DataFrame:
    """The UNE's daily rows in the view's period, by date; only `columns` (and the date) when given, so that what
    follows copies a few columns instead of forty."""
    df, dates = store.prepared("une_daily:by_date", _by_date)
    first, last = period_rows(dates, state)
    if not columns:
        return df.iloc[first:last]
    return df.iloc[first:last, df.columns.get_indexer(["date", *columns])]  # one step: rows and columns


def period_rows(dates: np.ndarray, state: ChartState) -> tuple[int, int]:
    """The positions [first, last) of the view's period in sorted dates (what `filter_period` keeps)."""
    first = int(np.searchsorted(dates, period_start(state.start), "left")) if state.start else 0
    last = int(np.searchsorted(dates, period_end(state.end), "right")) if state.end else len(dates)
    return first, max(first, last)


def with_gaps(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Every calendar day present (missing days empty), so lines and fills break at gaps instead of bridging."""
    if df.empty:
        return df
    full = pd.date_range(df["date"].min(), df["date"].max(), freq="D", name="date")
    return df[["date", *columns]].set_index("date").reindex(full).reset_index()


WEEKLY_AFTER_DAYS = 400
WEEKLY_NOTE = {
    "en": "weekly averages over periods longer than 13 months (daily values in the table and CSV)",
    "es": "medias semanales en periodos de más de 13 meses (valores diarios en la tabla y el CSV)",
}


def for_display(df: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, bool]:
    """What a time-series chart draws: daily values (with gaps) for up to ~13 months, weekly means beyond that —
    a seventh of the points, so long views draw quickly and stay legible; downloads keep the daily values."""
    dates = df["date"].to_numpy()
    if df.empty or (dates.max() - dates.min()) <= np.timedelta64(WEEKLY_AFTER_DAYS, "D"):
        return with_gaps(df, columns), False
    return weekly_means(df, columns), True


def weekly_means(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Mean of each column per calendar week (Monday to Sunday, labelled by its Monday; weeks without values are
    empty), as `resample("W-MON", label="left", closed="left").mean()` gives it, in numpy: resample took ~9 ms of
    a 20 ms chart. Equal to pandas' means within 1e-15 (pandas sums with Kahan compensation; tested)."""
    dates = df["date"].to_numpy()
    days = dates.astype("datetime64[D]").astype("int64")
    mondays = days - (days + 3) % 7  # day 0 (1970-01-01) was a Thursday
    week = (mondays - mondays[0]) // 7
    n = int(week[-1]) + 1
    out = {"date": (mondays[0] + 7 * np.arange(n)).astype("datetime64[D]").astype(dates.dtype)}
    for column in columns:
        values = df[column].to_numpy("float64", na_value=np.nan)
        present = ~np.isnan(values)
        total = np.bincount(week[present], weights=values[present], minlength=n)
        count = np.bincount(week[present], minlength=n)
        out[column] = np.divide(total, count, out=np.full(n, np.nan), where=count > 0)
    return pd.DataFrame(out)


def _with_note(subtitle: dict[str, str], aggregated: bool, lang: str) -> str:
    return f"{subtitle[lang]}; {WEEKLY_NOTE[lang]}" if aggregated else subtitle[lang]


def _frame(
    store: DataStore, state: ChartState, title: dict, subtitle: dict, df: pd.DataFrame
) -> tuple[Frame, list, str]:
    lang = state.lang
    sources = sources_for(store, "une_daily")
    as_of = fmt_date(df["date"].max().date(), lang) if len(df) else ""
    return (
        Frame(title[lang], subtitle[lang], source_line(sources, as_of, lang, SOURCE_NOTE[lang]), lang),
        sources,
        as_of,
    )


def _daily_line(
    d: pd.DataFrame, column: str, name: str, line: dict, value: str = "%{y:,.0f} MW", label: bool = True
) -> dict:
    """One daily (or weekly) series: a single line path (not a marker per day, which is far slower to draw), with
    the date and value in the hover and, when `label`, the series name beside them."""
    return trace(
        "scatter",
        x=d["date"],
        y=d[column],
        name=name,
        mode="lines",
        line=line,
        hovertemplate="%{x|%Y-%m-%d}: " + value + "<extra>" + (name if label else "") + "</extra>",
    )


def _between(dates: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    values = dates.to_numpy()
    return (values >= start.to_datetime64()) & (values <= end.to_datetime64())


def add_events(fig: Draft, store: DataStore, start: pd.Timestamp, end: pd.Timestamp, lang: str) -> None:
    """Total grid collapses: a dotted vertical line each, plus a marker trace named in the legend (words, not
    colour) whose hover gives the date and the reported trigger."""
    collapses = store.prepared(
        "grid_collapses:total",
        lambda s: s.table("grid_collapses").query("scope == 'total'").drop_duplicates("date").sort_values("date"),
    )
    total = collapses[_between(collapses["date"], start, end)]
    fig.update_layout(yaxis2={"overlaying": "y", "range": [0, 1.05], "visible": False, "fixedrange": True})
    add_key_events(fig, store, start, end, lang)
    if total.empty:
        return
    lines = [
        {
            "type": "line",
            "xref": "x",
            "yref": "y domain",
            "x0": when,
            "x1": when,
            "y0": 0,
            "y1": 1,
            "line": {"color": "#777777", "dash": "dot", "width": 1},
        }
        for when in total["date"]
    ]
    fig.update_layout(shapes=[*fig.layout.get("shapes", []), *lines])
    name = "Total grid collapse" if lang == "en" else "Colapso total de la red"
    marker = {"symbol": "x", "size": 10, "color": "#777777"}
    hover = "%{x|%Y-%m-%d}: " + name + "<br>%{customdata}<extra></extra>"
    fig.add_trace(_top_markers(total["date"], 1.0, name, marker, total["trigger"].fillna("").to_numpy(), hover))


def _top_markers(dates: pd.Series, level: float, name: str, marker: dict, hover: object, template: str) -> dict:
    """Markers along the top of a time chart (on a hidden 0–1 axis), one per dated event, with its text in the hover."""
    return trace(
        "scatter",
        x=dates,
        y=[level] * len(dates),
        yaxis="y2",
        mode="markers",
        name=name,
        marker=marker,
        customdata=hover,
        hovertemplate=template,
    )


def _key_events(store: DataStore) -> pd.DataFrame:
    events = store.table("events_timeline")
    events = events[events["category"] != "grid"]
    hover = events["category"] + ": " + events["event"].str.slice(0, 140) + " (" + events["publisher"] + ")"
    return pd.DataFrame({"date": events["date"], "hover": hover})


def add_key_events(fig: Draft, store: DataStore, start: pd.Timestamp, end: pd.Timestamp, lang: str) -> None:
    """Key events other than grid collapses (oil supply, policy, weather) as triangles along the top, each with its
    sentence and source in the hover; named in the legend, so they do not rely on colour."""
    events = store.prepared("events_timeline:key", _key_events)
    events = events[_between(events["date"], start, end)]
    if events.empty:
        return
    name = "Key event (see timeline)" if lang == "en" else "Hecho destacado (ver cronología)"
    marker = {"symbol": "triangle-down", "size": 9, "color": "#7a5195", "line": {"width": 1, "color": "#333"}}
    hover = "%{x|%Y-%m-%d}: %{customdata}<extra></extra>"
    fig.add_trace(_top_markers(events["date"], 0.95, name, marker, events["hover"].to_numpy(), hover))


def deficit_polygons(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The area between availability and demand as closed polygons, one per run of consecutive days (so the shading
    never bridges days without a report). One trace; each polygon ends with an empty value, which breaks the fill."""
    dates = df["date"].to_numpy()
    avail = df["peak_availability_mw"].to_numpy("float64", na_value=np.nan)
    demand = df["peak_demand_mw"].to_numpy("float64", na_value=np.nan)
    present = ~(np.isnan(avail) | np.isnan(demand))
    edges = np.flatnonzero(np.diff(np.concatenate(([0], present.astype(np.int8), [0]))))
    xs, ys = [], []
    for first, stop in zip(edges[::2], edges[1::2], strict=True):  # runs [first, stop) of present days
        if stop - first < 2:
            continue
        xs += [dates[first:stop], dates[first:stop][::-1], dates[first : first + 1], dates[first : first + 1]]
        ys += [avail[first:stop], demand[first:stop][::-1], avail[first : first + 1], [np.nan]]
    if not xs:
        return dates[:0], avail[:0]
    return np.concatenate(xs), np.concatenate(ys)


def _supply_demand(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    df = _daily(
        store, state, "peak_availability_mw", "peak_demand_mw", "peak_deficit_mw", "source_kind", "source_url"
    ).pipe(rows_with_values, ["peak_demand_mw"])
    title = {
        "en": "Cuba's grid at the evening peak: available capacity vs demand",
        "es": "La red de Cuba en el pico nocturno: capacidad disponible frente a demanda",
    }
    subtitle = {
        "en": "Megawatts (MW), UNE forecast for each evening; dotted lines mark total grid collapses",
        "es": "Megavatios (MW), pronóstico de la UNE para cada noche; las líneas punteadas marcan colapsos totales",
    }
    fr, sources, as_of = _frame(store, state, title, subtitle, df)
    frame_df = df[["date", "peak_availability_mw", "peak_demand_mw", "peak_deficit_mw", "source_kind", "source_url"]]
    if df.empty:
        return ChartView(
            empty_figure(fr, no_data(lang)), frame_df, no_data(lang), title[lang], subtitle[lang], sources, as_of
        )
    fig = base_figure(fr)
    avail = "Available capacity" if lang == "en" else "Capacidad disponible"
    demand = "Demand" if lang == "en" else "Demanda"
    full, weekly = for_display(df, ["peak_availability_mw", "peak_demand_mw"])
    both = full["peak_availability_mw"].notna() & full["peak_demand_mw"].notna()
    full = full.assign(**{c: full[c].where(both) for c in ("peak_availability_mw", "peak_demand_mw")})
    daily, df = df, full  # the chart draws `full`; the summary speaks of the last reported day
    if weekly:
        fig.update_layout(title={"subtitle": {"text": _with_note(subtitle, True, lang)}})
    gap_name = "Gap (demand above capacity)" if lang == "en" else "Faltante (demanda sobre capacidad)"
    xs, ys = deficit_polygons(df)
    fig.add_trace(
        trace(
            "scatter",
            x=xs,
            y=ys,
            fill="toself",
            mode="lines",
            line={"width": 0},
            name=gap_name,
            fillcolor="rgba(213,94,0,0.18)",
            hoverinfo="skip",
        )
    )
    fig.add_trace(_daily_line(df, "peak_availability_mw", avail, {"color": PALETTE[0], "width": 1.6}))
    fig.add_trace(_daily_line(df, "peak_demand_mw", demand, {"color": PALETTE[3], "width": 1.6, "dash": "dot"}))
    add_events(fig, store, df["date"].min(), df["date"].max(), lang)
    fig.update_yaxes(**axis_title("MW"), rangemode="tozero")
    last = rows_with_values(daily, ["peak_demand_mw", "peak_availability_mw"]).iloc[-1]
    gap = last["peak_demand_mw"] - last["peak_availability_mw"]
    summary = (
        f"On {fmt_date(last['date'].date(), lang)}, the UNE forecast {fmt_num(last['peak_availability_mw'], lang)} MW "
        f"available against a demand of {fmt_num(last['peak_demand_mw'], lang)} MW at the evening peak, a gap of "
        f"{fmt_num(gap, lang)} MW."
        if lang == "en"
        else f"El {fmt_date(last['date'].date(), lang)}, la UNE pronosticó {fmt_num(last['peak_availability_mw'], lang)} MW "
        f"disponibles frente a una demanda de {fmt_num(last['peak_demand_mw'], lang)} MW en el pico nocturno, "
        f"un faltante de {fmt_num(gap, lang)} MW."
    )
    return ChartView(
        fig, frame_df.reset_index(drop=True), summary, title[lang], _with_note(subtitle, weekly, lang), sources, as_of
    )


def _load_cut(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    df = _daily(store, state, "peak_affectation_mw", "prev_day_max_affectation_mw")
    title = {
        "en": "Load cuts: planned at the peak vs the actual maximum",
        "es": "Afectaciones: previstas en el pico frente al máximo real",
    }
    subtitle = {
        "en": "MW; the actual maximum is reported in the next morning's note and drawn on the day it happened",
        "es": "MW; el máximo real lo informa la nota de la mañana siguiente y se dibuja en el día en que ocurrió",
    }
    fr, sources, as_of = _frame(store, state, title, subtitle, df)
    # Each note's actual maximum belongs to the day before it; days come from either column (an outer join by date,
    # done on the date index: the dates are unique and sorted).
    planned = pd.Series(df["peak_affectation_mw"].array, index=pd.DatetimeIndex(df["date"]))
    reported = rows_with_values(df, ["prev_day_max_affectation_mw"])
    actual = pd.Series(
        reported["prev_day_max_affectation_mw"].array, index=pd.DatetimeIndex(reported["date"]) - pd.Timedelta(days=1)
    )
    days = planned.index.union(actual.index)
    frame_df = pd.DataFrame(
        {
            "date": days,
            "planned_peak_affectation_mw": planned.reindex(days).array,
            "actual_max_affectation_mw": actual.reindex(days).array,
        }
    )
    if rows_with_values(frame_df, ["planned_peak_affectation_mw", "actual_max_affectation_mw"], how="all").empty:
        return ChartView(
            empty_figure(fr, no_data(lang)), frame_df, no_data(lang), title[lang], subtitle[lang], sources, as_of
        )
    fig = base_figure(fr)
    planned = "Planned (forecast) at the peak" if lang == "en" else "Prevista (pronóstico) en el pico"
    real = "Actual maximum" if lang == "en" else "Máximo real"
    shown, weekly = for_display(frame_df, ["planned_peak_affectation_mw", "actual_max_affectation_mw"])
    if weekly:
        fig.update_layout(title={"subtitle": {"text": _with_note(subtitle, True, lang)}})
    fig.add_trace(_daily_line(shown, "planned_peak_affectation_mw", planned, {"color": PALETTE[1], "width": 1.4}))
    fig.add_trace(
        _daily_line(shown, "actual_max_affectation_mw", real, {"color": PALETTE[4], "width": 1.2, "dash": "dot"})
    )
    fig.update_yaxes(**axis_title("MW"), rangemode="tozero")
    both = rows_with_values(frame_df)
    above = int((both["actual_max_affectation_mw"] > both["planned_peak_affectation_mw"]).sum())
    summary = (
        f"On {above} of {len(both)} days with both figures, the actual maximum cut exceeded the planned one."
        if lang == "en"
        else f"En {above} de {len(both)} días con ambas cifras, la afectación máxima real superó la prevista."
    )
    return ChartView(
        fig, frame_df.reset_index(drop=True), summary, title[lang], _with_note(subtitle, weekly, lang), sources, as_of
    )


def _share_dark(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    df = rows_with_values(_daily(store, state, "peak_share_of_demand_cut_pct"), ["peak_share_of_demand_cut_pct"])
    title = {
        "en": "Share of demand cut at the evening peak",
        "es": "Parte de la demanda sin servicio en el pico nocturno",
    }
    subtitle = {
        "en": "% of forecast peak demand planned to be cut — about the share of the country without power at once",
        "es": "% de la demanda pico prevista que se planifica cortar: aproximadamente la parte del país sin corriente a la vez",
    }
    fr, sources, as_of = _frame(store, state, title, subtitle, df)
    rolled = (
        df.set_index("date")["peak_share_of_demand_cut_pct"].rolling("30D").mean().rename("rolling_30_day_mean_pct")
    )
    frame_df = df[["date", "peak_share_of_demand_cut_pct"]].assign(rolling_30_day_mean_pct=rolled.to_numpy())
    frame_df = frame_df.reset_index(drop=True)  # one rolling mean per day, in the same order (dates are unique)
    if df.empty:
        return ChartView(
            empty_figure(fr, no_data(lang)), frame_df, no_data(lang), title[lang], subtitle[lang], sources, as_of
        )
    fig = base_figure(fr)
    shown, weekly = for_display(frame_df, ["peak_share_of_demand_cut_pct", "rolling_30_day_mean_pct"])
    daily_name = (
        ("Weekly average" if lang == "en" else "Media semanal") if weekly else ("Daily" if lang == "en" else "Diario")
    )
    mean_name = "30-day average" if lang == "en" else "Media de 30 días"
    if weekly:
        fig.update_layout(title={"subtitle": {"text": _with_note(subtitle, True, lang)}})
    daily_line = {"width": 0.8, "color": "rgba(0,114,178,0.45)"}
    fig.add_trace(_daily_line(shown, "peak_share_of_demand_cut_pct", daily_name, daily_line, "%{y:.1f}%", label=False))
    mean_line = {"color": PALETTE[0], "width": 2.5}
    fig.add_trace(_daily_line(shown, "rolling_30_day_mean_pct", mean_name, mean_line, "%{y:.1f}%"))
    add_events(fig, store, df["date"].min(), df["date"].max(), lang)
    fig.update_yaxes(**axis_title("%"), range=[0, 100])
    last = frame_df.iloc[-1]
    summary = (
        f"In the 30 days to {fmt_date(last['date'].date(), lang)}, on average "
        f"{fmt_num(last['rolling_30_day_mean_pct'], lang, 0)}% of peak demand was planned to be cut."
        if lang == "en"
        else f"En los 30 días hasta el {fmt_date(last['date'].date(), lang)}, se planificó cortar en promedio el "
        f"{fmt_num(last['rolling_30_day_mean_pct'], lang, 0)}% de la demanda pico."
    )
    return ChartView(
        fig, frame_df.reset_index(drop=True), summary, title[lang], _with_note(subtitle, weekly, lang), sources, as_of
    )


def _havana_per_year(store: DataStore) -> pd.DataFrame:
    """Yearly mean of the usable Havana block estimates, drawn mid-year beside the national model."""
    havana = store.table("havana_block_outages")
    havana = havana[havana["usable"] == True]
    per_year = havana.groupby("year")["outage_hours_per_day"].mean().reset_index()
    per_year["x"] = pd.to_datetime(per_year["year"].astype(str) + "-07-01")
    return per_year


def _outage_hours(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    cols = [
        "estimated_outage_hours_per_day_low",
        "estimated_outage_hours_per_day_central",
        "estimated_outage_hours_per_day_high",
    ]
    df = _daily(store, state, *cols)
    monthly = (
        df.set_index("date")
        .resample("MS")
        .mean()
        .dropna(how="all")
        .round(1)
        .reset_index()
        .rename(columns={"date": "month"})
    )
    title = {
        "en": "Estimated hours without power per customer per day (ESTIMATE)",
        "es": "Horas sin corriente por cliente y día (ESTIMACIÓN)",
    }
    subtitle = {
        "en": "Monthly mean of a model on the UNE's figures: national average under rotating cuts, with its "
        "low–high band. Diamonds: Havana blocks (third-party estimate)",
        "es": "Media mensual de un modelo sobre las cifras de la UNE: promedio nacional con cortes rotativos, con "
        "su banda baja–alta. Rombos: bloques de La Habana (estimación de terceros)",
    }
    fr, sources, as_of = _frame(store, state, title, subtitle, df)
    sources = sources + sources_for(store, "havana_block_outages")
    if monthly.empty:
        return ChartView(
            empty_figure(fr, no_data(lang)), monthly, no_data(lang), title[lang], subtitle[lang], sources, as_of
        )
    fig = base_figure(fr)
    band = "Low–high band" if lang == "en" else "Banda baja–alta"
    central = "Central estimate" if lang == "en" else "Estimación central"
    fig.add_trace(
        trace(
            "scatter",
            x=monthly["month"],
            y=monthly[cols[2]],
            mode="lines",
            line={"width": 0},
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        trace(
            "scatter",
            x=monthly["month"],
            y=monthly[cols[0]],
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor=ESTIMATE_FILL,
            name=band,
            hovertemplate="%{x|%Y-%m}: %{y:.1f} h<extra>low</extra>",
        )
    )
    fig.add_trace(
        trace(
            "scatter",
            x=monthly["month"],
            y=monthly[cols[1]],
            mode="lines+markers",
            name=central,
            line={"color": PALETTE[0], "width": 2},
            marker={"size": 4},
            hovertemplate="%{x|%Y-%m}: %{y:.1f} h<extra>" + central + "</extra>",
        )
    )
    per_year = store.prepared("havana_block_outages:per_year", _havana_per_year)
    if len(per_year):
        name = (
            "Havana blocks, yearly mean (third party)"
            if lang == "en"
            else "Bloques de La Habana, media anual (terceros)"
        )
        fig.add_trace(
            trace(
                "scatter",
                x=per_year["x"],
                y=per_year["outage_hours_per_day"],
                name=name,
                mode="markers",
                marker={"symbol": "diamond-open", "size": 11, "color": PALETTE[3], "line": {"width": 2}},
                hovertemplate="%{x|%Y}: %{y:.1f} h<extra>Havana</extra>",
            )
        )
    fig.update_yaxes(**axis_title("hours per day" if lang == "en" else "horas por día"), range=[0, 24])
    last = rows_with_values(monthly, [cols[1]]).iloc[-1] if monthly[cols[1]].notna().any() else monthly.iloc[-1]
    summary = (
        f"Estimate for {fmt_date(last['month'].date(), lang, month_only=True)}: about "
        f"{fmt_num(last[cols[1]], lang, 1)} hours a day without power on average (band "
        f"{fmt_num(last[cols[0]], lang, 1)}–{fmt_num(last[cols[2]], lang, 1)} h); local durations vary widely."
        if lang == "en"
        else f"Estimación para {fmt_date(last['month'].date(), lang, month_only=True)}: unas "
        f"{fmt_num(last[cols[1]], lang, 1)} horas al día sin corriente en promedio (banda "
        f"{fmt_num(last[cols[0]], lang, 1)}–{fmt_num(last[cols[2]], lang, 1)} h); la duración local varía mucho."
    )
    note = (
        "This is an estimate, not a reported figure. How it is computed: Methodology."
        if lang == "en"
        else "Es una estimación, no una cifra publicada. Cómo se calcula: Metodología."
    )
    view = ChartView(
        fig,
        monthly,
        summary,
        title[lang],
        subtitle[lang],
        sources,
        as_of,
        notes=[note],
        method_link="/methodology#outage-hours",
    )
    return view


def _units_out(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    df = _daily(store, state, "thermal_units_out_of_service", "units_breakdown", "units_maintenance")
    df = rows_with_values(df, ["thermal_units_out_of_service"])
    title = {"en": "Thermal generating units out of service", "es": "Unidades térmicas fuera de servicio"}
    subtitle = {
        "en": "Units the UNE's note lists in breakdown or maintenance, per day",
        "es": "Unidades que la nota de la UNE lista en avería o mantenimiento, por día",
    }
    fr, sources, as_of = _frame(store, state, title, subtitle, df)
    frame_df = df[["date", "thermal_units_out_of_service", "units_breakdown", "units_maintenance"]]
    if df.empty:
        return ChartView(
            empty_figure(fr, no_data(lang)), frame_df, no_data(lang), title[lang], subtitle[lang], sources, as_of
        )
    fig = base_figure(fr)
    shown, weekly = for_display(df, ["thermal_units_out_of_service"])
    if weekly:
        fig.update_layout(title={"subtitle": {"text": _with_note(subtitle, True, lang)}})
    units_line = {"color": PALETTE[2], "width": 1, "shape": "hv"}
    name = "Units out" if lang == "en" else "Unidades fuera"
    fig.add_trace(_daily_line(shown, "thermal_units_out_of_service", name, units_line, "%{y:.1f} units", label=False))
    fig.update_yaxes(**axis_title("units" if lang == "en" else "unidades"), rangemode="tozero")
    last = df.iloc[-1]
    summary = (
        f"On {fmt_date(last['date'].date(), lang)}, the note listed {int(last['thermal_units_out_of_service'])} "
        "thermal units in breakdown or maintenance."
        if lang == "en"
        else f"El {fmt_date(last['date'].date(), lang)}, la nota listaba {int(last['thermal_units_out_of_service'])} "
        "unidades térmicas en avería o mantenimiento."
    )
    return ChartView(
        fig, frame_df.reset_index(drop=True), summary, title[lang], _with_note(subtitle, weekly, lang), sources, as_of
    )


def calendar_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Each day with a value, with its month (first day) and day of the month: the calendar's columns and rows."""
    d = rows_with_values(df[["date", "peak_share_of_demand_cut_pct"]])
    dates = d["date"].to_numpy()
    months = dates.astype("datetime64[M]").astype(dates.dtype)
    days = (dates.astype("datetime64[D]") - months.astype("datetime64[D]")).astype("int64") + 1
    return d.assign(month=months, day=days.astype("int32"))


def make_calendar(d: pd.DataFrame, frame: Frame, lang: str, no_data_text: str) -> Draft:
    """Months across, days of the month down, colour = share of demand cut (Cividis: readable with colour
    blindness; darker = worse), the value in the hover and the table. Square markers of a scatter trace (not a
    heatmap), so the small plotly.js bundle of embeds can draw it."""
    if d.empty:
        return empty_figure(frame, no_data_text)
    fig = base_figure(frame, height=520)
    months = max(d["month"].nunique(), 1)
    fig.add_trace(
        trace(
            "scatter",
            x=d["month"],
            y=d["day"],
            mode="markers",
            marker={
                "symbol": "square",
                "size": max(4, min(11, int(700 / months))),
                "color": d["peak_share_of_demand_cut_pct"],
                "colorscale": CIVIDIS,
                "reversescale": True,
                "cmin": 0,
                "cmax": 80,
                "colorbar": {"title": {"text": "%"}, "thickness": 12},
            },
            customdata=np.datetime_as_string(d["date"].to_numpy(), unit="D").astype(object),
            hovertemplate="%{customdata}: %{marker.color:.0f}%<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_yaxes(
        range=[31.6, 0.4],
        showgrid=False,
        zeroline=False,
        dtick=5,
        title={"text": "day of month" if lang == "en" else "día del mes", "font": {"size": 12}},
    )
    fig.update_xaxes(showgrid=False)
    return fig


def _calendar(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    df = _daily(store, state)
    title = {"en": "Calendar of daily severity", "es": "Calendario de la gravedad diaria"}
    subtitle = {
        "en": "Share of peak demand planned to be cut, each day (darker = more of the country without power)",
        "es": "Parte de la demanda pico que se planificó cortar cada día (más oscuro = más país sin corriente)",
    }
    fr, sources, as_of = _frame(store, state, title, subtitle, df)
    d = calendar_frame(df)
    fig = make_calendar(d, fr, lang, no_data(lang))
    if len(d):
        worst = d.loc[d["peak_share_of_demand_cut_pct"].idxmax()]
        summary = (
            f"The most severe day in this period was {fmt_date(worst['date'].date(), lang)}, with "
            f"{fmt_num(worst['peak_share_of_demand_cut_pct'], lang, 0)}% of peak demand planned to be cut."
            if lang == "en"
            else f"El día más grave del periodo fue el {fmt_date(worst['date'].date(), lang)}, con el "
            f"{fmt_num(worst['peak_share_of_demand_cut_pct'], lang, 0)}% de la demanda pico previsto para cortar."
        )
    else:
        summary = no_data(lang)
    return ChartView(
        fig,
        d[["date", "peak_share_of_demand_cut_pct"]].reset_index(drop=True),
        summary,
        title[lang],
        subtitle[lang],
        sources,
        as_of,
    )


for chart_id, builder, en, es in (
    (
        "une-supply-demand",
        _supply_demand,
        "Available capacity vs demand at the evening peak",
        "Capacidad disponible frente a demanda en el pico",
    ),
    ("une-load-cut", _load_cut, "Load cuts: planned vs actual", "Afectaciones: previstas frente a reales"),
    ("une-share-dark", _share_dark, "Share of demand cut at the peak", "Parte de la demanda cortada en el pico"),
    (
        "une-outage-hours",
        _outage_hours,
        "Estimated hours without power per day",
        "Horas estimadas sin corriente por día",
    ),
    ("une-units-out", _units_out, "Thermal units out of service", "Unidades térmicas fuera de servicio"),
    ("une-calendar", _calendar, "Calendar of daily severity", "Calendario de la gravedad diaria"),
):
    register(ChartSpec(id=chart_id, page=PAGE, build=builder, params=("start", "end"), title={"en": en, "es": es}))

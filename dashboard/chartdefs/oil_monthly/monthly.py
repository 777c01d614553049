"""oil-imports-monthly: the published monthly figures (one per month and supplier) as stacked bars, part-month and
lower-bound figures lighter and hatched, stated zeros marked under the axis, beside the yearly estimates of
consumption and domestic production and the 110,000 bbl/d the document cites; a phone shows the last three years."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.chart_registry import ChartState, ChartView
from dashboard.chartdefs._shared import no_data, source_line, sources_for
from dashboard.chartdefs.month_ticks import spanish_months
from dashboard.chartdefs.oil.balance import balance_frame
from dashboard.chartdefs.oil.groups import reporter_round, short_publisher
from dashboard.chartdefs.oil_monthly.suppliers import SUPPLIER_CODES, SUPPLIER_ORDER, supplier_colour, supplier_name
from dashboard.data import DataStore
from dashboard.describe_periods import when
from dashboard.figures.claim_marks import CLAIM_COLOR
from dashboard.figures.common import Frame, axis_title, base_figure, empty_figure, trace, wrap
from dashboard.figures.phone import phone_window
from dashboard.i18n import fmt_date, fmt_num, reported_figures, t

DOCUMENT_NEEDS_BBL_PER_DAY = 110_000
LOWER_BOUND = "cargoes reported (at least)"
KIND_KEYS = {  # what a bar is, for its hover and the table's column (table_view): catalogue keys by `figure_kind`
    "month average": "table.value.figure_kind.month average",
    "stated zero": "table.value.figure_kind.stated zero",
    "part of the month": "table.value.figure_kind.part of the month",
    LOWER_BOUND: "table.value.figure_kind.cargoes reported (at least)",
}
CONTEXT = {  # yearly estimates drawn as flat segments across their year, never joined: name key, colour, dash
    "consumption": ("oil_monthly_context_consumption", "#555555", "dash"),
    "domestic production": ("oil_monthly_context_production", "#555555", "dot"),
}


def _partial(df: pd.DataFrame) -> pd.Series:
    """Figures drawn lighter: part of the month, or a lower bound of it (reported cargoes, one product only)."""
    return df["figure_kind"].isin(PARTIAL) | df["lower_bound"].astype(bool)


def _other_reports(text: str, lang: str) -> str:
    """The month's other figures in the reader's language, one a line (dashboard/i18n.py `reported_figures`)."""
    return "<br>".join(hover_lines(part) for part in reported_figures(text, lang))


HOVER_LINE_CHARS = 40  # a hover line a 375 px phone shows whole beside a bar (graphics review 9b: boxes ran off it)


def hover_lines(text: str) -> str:
    """Text for a hover box, broken into lines short enough for a phone."""
    return wrap(text, HOVER_LINE_CHARS)


def _month_names(month_starts: pd.Series, lang: str) -> list[str]:
    """'January 2025' / 'enero de 2025' for the hover: plotly.js writes month names in English whatever the page's
    language (no locale module is loaded)."""
    return [fmt_date(m, lang) for m in month_starts.dt.strftime("%Y-%m")]


def _kind_text(kind: str, scope: str, lower_bound: bool, lang: str) -> str:
    """What a bar is, for its hover: '... month average, refined products only (at least)'."""
    text = t(KIND_KEYS[kind], lang) if kind in KIND_KEYS else kind
    if lower_bound and kind != LOWER_BOUND:
        scope_text = t(SCOPE_KEYS[scope], lang) if scope in SCOPE_KEYS else scope
        text += t("oil_monthly_scope_only", lang, scope=scope_text)
    return text


SCOPE_KEYS = {
    "crude": "oil_monthly_scope_crude",
    "refined products": "oil_monthly_scope_refined_products",
    "fuel oil": "oil_monthly_scope_fuel_oil",
    "diesel": "oil_monthly_scope_diesel",
}


def _with_month_start(store: DataStore) -> pd.DataFrame:
    """The monthly table with its months as dates, once per published version (a view only slices it)."""
    table = store.table("oil_imports_monthly")
    return table.assign(month_start=pd.to_datetime(table["month"], format="%Y-%m"))


def _months(state: ChartState, store: DataStore) -> pd.DataFrame:
    df = store.prepared("oil_monthly:months", _with_month_start)
    if state.start:
        df = df[df["month_start"] >= pd.Timestamp(state.start).to_period("M").to_timestamp()]
    if state.end:
        df = df[df["month_start"] <= pd.Timestamp(state.end)]
    return df.reset_index(drop=True)


PARTIAL = (LOWER_BOUND, "part of the month")


PHONE_MONTHS = 36  # on a phone: bars about 8 px wide instead of 2


def _monthly(store: DataStore, state: ChartState) -> ChartView:
    lang = state.lang
    df = _months(state, store)
    title = t("oil_monthly_title", lang)
    subtitle = t("oil_monthly_subtitle", lang)
    sources = sources_for(store, "oil_imports_monthly", "oil_supply_reported", "cia_factbook")
    as_of = fmt_date(df["month_start"].max(), lang, month_only=True) if len(df) else ""
    fr = Frame(title, subtitle, source_line(sources, as_of, lang), lang)
    if df.empty:
        return ChartView(empty_figure(fr, no_data(lang)), df, no_data(lang), title, subtitle, sources, as_of)
    fig = base_figure(fr, height=540)
    unit = t("oil_unit_bbl_per_day", lang)
    present = [s for s in SUPPLIER_ORDER if s in set(df["supplier"])]
    drawn = df[df["value_bbl_per_day"] > 0]
    partial_of = _partial(drawn)
    for supplier in present:
        name = supplier_name(supplier, lang)
        is_mine = (drawn["supplier"] == supplier).to_numpy()
        mine, mine_partial = drawn[is_mine], partial_of.to_numpy()[is_mine]
        has_solid = (~mine_partial).any()
        whole_month = (mine["figure_kind"] != "part of the month").to_numpy()
        # Solid bars: month averages. Lighter hatched bars (same legend entry): part-month figures and sums of the
        # cargoes reported, both lower bounds, so a reader never takes them for a whole month's supply.
        for partial in (False, True):
            rows = mine[(mine_partial == partial) & whole_month]
            if rows.empty:
                continue
            kinds = [
                hover_lines(_kind_text(k, scope, bool(low), lang))
                for k, scope, low in zip(rows["figure_kind"], rows["product_scope"], rows["lower_bound"], strict=True)
            ]
            publisher = rows["publisher"].map(lambda p: hover_lines(short_publisher(p)))
            also = t("oil_monthly_also", lang)
            others = (
                rows["other_reports"]
                .fillna("")
                .map(lambda o, a=also: f"<br>{a}:<br>{_other_reports(o, lang)}" if o else "")
            )
            marker = {"color": supplier_colour(supplier), "line": {"width": 0}}
            if partial:
                marker.update(
                    opacity=0.55,
                    pattern={"shape": "/", "fgcolor": "#ffffff", "fillmode": "overlay", "solidity": 0.4},
                )
            fig.add_trace(
                trace(
                    "bar",
                    x=rows["month_start"],
                    y=rows["value_bbl_per_day"],
                    name=name,
                    showlegend=not partial,
                    marker=marker,
                    customdata=np.column_stack([kinds, publisher, others, _month_names(rows["month_start"], lang)]),
                    xperiod="M1",
                    xperiodalignment="middle",
                    # Short lines, the supplier in the first: a phone's hover box must fit beside the bar (graphics
                    # review, 7 December 2026: "cargoes reported (at least) · 14ymedio" ran off the screen).
                    hovertemplate=name
                    + " · %{customdata[3]}: %{y:,.0f} "
                    + unit
                    + "<br>%{customdata[0]}<br>%{customdata[1]}%{customdata[2]}<extra></extra>",
                )
            )
        _part_month_bars(fig, mine, name, supplier, lang)
        if not has_solid:  # a supplier seen only in partial figures still gets a plain swatch in the key
            fig.add_trace(
                trace(
                    "bar", x=[None], y=[None], name=name, marker={"color": supplier_colour(supplier)}, hoverinfo="skip"
                )
            )
    if _partial(df).any():  # one key for the lighter bars, whatever the supplier
        fig.add_trace(
            trace(
                "bar",
                x=[None],
                y=[None],
                name=t("oil_monthly_partial_key", lang),
                marker={
                    "color": "#888888",
                    "opacity": 0.55,
                    "pattern": {"shape": "/", "fgcolor": "#ffffff", "fillmode": "overlay", "solidity": 0.4},
                },
                hoverinfo="skip",
            )
        )
    zeros = df[df["value_bbl_per_day"] == 0]
    if len(zeros):  # a zero bar cannot be seen: marked on the axis, the supplier and source on hover
        names = zeros["supplier"].map(lambda x: supplier_name(x, lang))
        fig.add_trace(
            trace(
                "scatter",
                # In the supplier's colour, in a strip under the axis with one row per supplier: marks of
                # neighbouring months and suppliers never merge, and never hide a small bar (graphics review, round 3).
                x=zeros["month_start"] + pd.Timedelta(days=14),
                y=-(zeros["supplier"].map(_zero_row).to_numpy() + 1.0),  # rows; scaled to the axis below
                mode="markers",
                name=t("oil_monthly_none_shipped", lang),
                showlegend=False,  # keyed in the subtitle: an eighth legend row squeezes the plot in a phone embed
                marker={
                    "symbol": "x",
                    "size": 7,
                    "color": [supplier_colour(s) for s in zeros["supplier"]],
                    "line": {"width": 0.8, "color": CLAIM_COLOR},
                },
                cliponaxis=False,
                text=[
                    f"{m} · {n}: 0<br>{hover_lines(short_publisher(p))}{_until_line(k, e, lang)}"
                    for m, n, p, k, e in zip(
                        _month_names(zeros["month_start"], lang),
                        names,
                        zeros["publisher"],
                        zeros["figure_kind"],
                        zeros["period_end"],
                        strict=True,
                    )
                ],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    _context_segments(fig, store, df, lang)
    first, last = df["month_start"].min(), df["month_start"].max() + pd.offsets.MonthEnd(0)
    fig.add_trace(
        trace(
            "scatter",
            x=[first, last],
            y=[DOCUMENT_NEEDS_BBL_PER_DAY] * 2,
            mode="lines",
            name=t("oil_monthly_document_line", lang),
            line={"color": CLAIM_COLOR, "dash": "dash", "width": 2},
            hovertemplate=t("oil_monthly_document_hover", lang) + "<extra></extra>",
        )
    )
    fig.update_layout(barmode="stack", bargap=0.1, legend={"traceorder": "normal"})
    fig.update_xaxes(type="date")
    pad = pd.Timedelta(days=20)
    # The y range from what each view shows: the "none shipped" rows under the axis, the tallest month above.
    top = _y_top(fig, first - pad, last + pad) * 1.08
    row = ZERO_ROW_SHARE * top
    for tr in fig.data:  # the "none shipped" strip: its rows a fixed share of the axis apart, at every width
        if tr.get("name") == t("oil_monthly_none_shipped", lang):
            tr["y"] = np.asarray(tr["y"], dtype="float64") * row
    bottom = -row * (zeros["supplier"].map(_zero_row).max() + 1.7) if len(zeros) else 0.0
    step = next(s for s in (10_000, 20_000, 25_000, 50_000, 100_000, 10**9) if top / s <= 5)
    values = list(np.arange(0, top, step))
    # The strip's rows are named where the axis would give a value (its marks' colour alone told the suppliers apart:
    # graphics review, rounds 4-5); the axis's own ticks go from 0 up, written out ("20,000" / "20.000").
    rows = sorted({_zero_row(x) for x in zeros["supplier"]})
    row_suppliers = {_zero_row(x): x for x in zeros["supplier"]}
    fig.update_yaxes(
        **axis_title(unit),
        range=[bottom, top],
        autorange=False,
        tickmode="array",
        tickvals=[-(r + 1.0) * row for r in rows] + values,
        ticktext=[f"× {SUPPLIER_CODES.get(row_suppliers[r], row_suppliers[r][:3].upper())}" for r in rows]
        + [fmt_num(float(v), lang, 0) for v in values],
    )
    phone_start = max(first, last - pd.DateOffset(months=PHONE_MONTHS) + pd.Timedelta(days=1))
    if phone_start > first:
        phone_window(
            fig,
            [(first - pad).strftime("%Y-%m-%d"), (last + pad).strftime("%Y-%m-%d")],
            [(phone_start - pad).strftime("%Y-%m-%d"), (last + pad).strftime("%Y-%m-%d")],
            t("oil_monthly_phone_note", lang),
            phone_y=[bottom, _y_top(fig, phone_start - pad, last + pad) * 1.08],
        )
    spanish_months(fig, lang)
    summary = _monthly_summary(df, store.table("oil_imports_yearly"), lang)
    return ChartView(fig, df.drop(columns=["month_start"]), summary, title, subtitle, sources, as_of)


def _part_month_bars(fig, rows: pd.DataFrame, name: str, supplier: str, lang: str) -> None:
    """An average over part of a month (Reuters' 173,000 bbl/d for 1-14 February 2020) spans only the days it
    covers, lighter and hatched like the other partial figures: a full-month bar would pass it off as the month's."""
    part = rows[rows["figure_kind"] == "part of the month"]
    if part.empty:
        return
    start, end = pd.to_datetime(part["period_start"]), pd.to_datetime(part["period_end"]) + pd.Timedelta(days=1)
    days = [
        when(a, b - pd.Timedelta(days=1), "period", lang) for a, b in zip(start, end, strict=True)
    ]  # "1–14 February 2020"
    fig.add_trace(
        trace(
            "bar",
            x=start + (end - start) / 2,
            y=part["value_bbl_per_day"],
            width=((end - start).dt.total_seconds() * 1000).tolist(),
            name=name,
            showlegend=False,
            marker={
                "color": supplier_colour(supplier),
                "opacity": 0.55,
                "line": {"width": 0},
                "pattern": {"shape": "/", "fgcolor": "#ffffff", "fillmode": "overlay", "solidity": 0.4},
            },
            customdata=np.column_stack([days, part["publisher"].map(lambda p: hover_lines(short_publisher(p)))]),
            hovertemplate=name
            + " · %{customdata[0]}: %{y:,.0f} "
            + t("oil_unit_bbl_per_day", lang)
            + "<br>%{customdata[1]}<extra></extra>",
        )
    )


ZERO_ROW_SHARE = 0.06  # of the axis' top: the distance between the rows of "none shipped" marks under the axis


def _zero_row(supplier: str) -> int:
    """The row (0 = just under the axis) of a supplier's "none shipped" marks."""
    return SUPPLIER_ORDER.index(supplier) if supplier in SUPPLIER_ORDER else len(SUPPLIER_ORDER)


def _y_top(fig, start: pd.Timestamp, end: pd.Timestamp) -> float:
    """The highest value drawn between two dates: stacked bars month by month, lines and the document's line."""
    stacks: dict[np.datetime64, float] = {}
    top = 0.0
    lo, hi = np.datetime64(start, "ns"), np.datetime64(end, "ns")
    for tr in fig.data:
        xs, ys = tr.get("x"), tr.get("y")
        if xs is None or ys is None:
            continue
        x, y = np.asarray(xs), np.asarray(ys)
        # dates and numbers as the builders give them (datetime64, floats); anything else is parsed
        x = (
            x.astype("datetime64[ns]")
            if x.dtype.kind == "M"
            else pd.to_datetime(pd.Series(xs), errors="coerce").to_numpy("datetime64[ns]")
        )
        y = (
            y.astype(float)
            if y.dtype.kind in "fiu"
            else pd.to_numeric(pd.Series(ys), errors="coerce").to_numpy(dtype=float)
        )
        n = min(len(x), len(y))
        x, y = x[:n], y[:n]
        keep = ~np.isnat(x) & ~np.isnan(y) & (x >= lo) & (x <= hi)
        if tr.get("type") == "bar":
            for when, value in zip(x[keep], y[keep], strict=True):
                stacks[when] = stacks.get(when, 0.0) + float(value)
        elif keep.any():
            top = max(top, float(y[keep].max()))
    return max([top, *stacks.values()])


def _context_frame(store: DataStore) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The yearly estimates with their periods as dates, once per published version."""
    balance = store.prepared("oil:balance", balance_frame)
    starts = pd.to_datetime(balance["period_start"]).to_numpy("datetime64[ns]")
    return balance, starts, pd.to_datetime(balance["period_end"]).to_numpy("datetime64[ns]")


def _context_segments(fig, store: DataStore, months: pd.DataFrame, lang: str) -> None:
    """Consumption and production estimates for the years in view, each a flat segment over its year (one per
    publisher; the publisher is on hover and in the oil-balance chart's table)."""
    balance, starts, ends = store.prepared("oil_monthly:context", _context_frame)
    first, last = months["month_start"].min(), months["month_start"].max()
    in_view = (ends >= first) & (starts <= last + pd.offsets.MonthEnd(0))
    for measure, (name_key, colour, dash) in CONTEXT.items():
        rows = balance[
            (balance["measure"] == measure).to_numpy()
            # the document's own 110,000 bbl/d (a consumption statement of 2026) is the reference line already
            & ~(
                (balance["measure"] == "consumption") & (balance["value_bbl_per_day"] == DOCUMENT_NEEDS_BBL_PER_DAY)
            ).to_numpy()
            & in_view
        ]
        xs: list = []
        ys: list = []
        hover: list = []
        for r in rows.itertuples(index=False):
            start = max(pd.Timestamp(r.period_start), first)
            end = min(pd.Timestamp(r.period_end), last + pd.offsets.MonthEnd(0))
            if (end - pd.Timestamp(r.period_start)).days < 300:  # a dated statement: drawn across its year
                start, end = pd.Timestamp(year=end.year, month=1, day=1), pd.Timestamp(year=end.year, month=12, day=31)
                start, end = max(start, first), min(end, last + pd.offsets.MonthEnd(0))
            xs += [start, end, None]
            ys += [r.value_bbl_per_day] * 2 + [None]
            # Who made the estimate (the basis: "Cupet ... to Granma", "expert estimate (Jorge Piñón) ..."), not only
            # the outlet: two 2024 production estimates reached us through the same outlet.
            who = hover_lines(short_publisher(r.publisher))
            if r.basis:  # the basis and the outlet each on their lines: a name is never split between two
                who = hover_lines(str(r.basis)) + "<br>" + who
            value = f"{fmt_num(r.value_bbl_per_day, lang)} {t('oil_unit_bbl_per_day', lang)}"
            hover += [f"{r.year}: {value}<br>{who}"] * 2 + [""]
        if xs:
            fig.add_trace(
                trace(
                    "scatter",
                    x=xs,
                    y=ys,
                    mode="lines",
                    name=t(name_key, lang),
                    line={"color": colour, "dash": dash, "width": 2},
                    text=hover,
                    hovertemplate="%{text}<extra></extra>",
                    connectgaps=False,
                )
            )


def _until_line(kind: str, end: object, lang: str) -> str:
    """The hover's own line for a part-month figure's last day ("to 16 February 2026"): a date never split."""
    until = _until(kind, end, lang)
    return "<br>" + until.removeprefix(", ") if until else ""


def _until(kind: str, end: object, lang: str) -> str:
    """', to 16 February' for a figure that covers only the start of its month."""
    if kind != "part of the month":
        return ""
    return t("oil_monthly_until", lang, day=fmt_date(end, lang))


def _monthly_summary(df: pd.DataFrame, yearly: pd.DataFrame, lang: str) -> str:
    """A finding in a few words: how many months Venezuela has a figure for, its yearly means at both ends of the
    view (published, from years with at least 9 reported months), and the latest month."""
    ven = df[df["supplier"] == "Venezuela"]
    if ven.empty:
        return no_data(lang)
    first, last = ven["month_start"].min(), ven["month_start"].max()
    span = len(pd.period_range(first, last, freq="M"))
    years = set(ven["month"].str[:4].astype(int))
    full = yearly[
        (yearly["supplier"] == "Venezuela") & (yearly["months_with_figure"] >= 9) & yearly["year"].isin(years)
    ].drop_duplicates("year")
    latest = ven.iloc[-1]
    month = fmt_date(latest["month_start"], lang, month_only=True)
    value = fmt_num(latest["value_bbl_per_day"], lang)
    who = short_publisher(latest["publisher"])
    text = t(
        "oil_monthly_summary_months",
        lang,
        months=len(ven),
        span=span,
        first=fmt_date(first, lang, month_only=True),
        last=fmt_date(last, lang, month_only=True),
        partial=int(_partial(ven).sum()),
    )
    if len(full) >= 2:
        a, b = full.iloc[0], full.iloc[-1]
        text += " " + t(
            "oil_monthly_summary_mean",
            lang,
            first=fmt_num(reporter_round(a["reported_months_mean_bbl_per_day"]), lang),
            first_year=int(a["year"]),
            last=fmt_num(reporter_round(b["reported_months_mean_bbl_per_day"]), lang),
            last_year=int(b["year"]),
        )
    until = _until(latest["figure_kind"], latest["period_end"], lang)
    text += " " + t("oil_monthly_summary_latest", lang, month=month, value=value, who=who, until=until)
    return text

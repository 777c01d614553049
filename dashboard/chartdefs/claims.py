"""Evidence charts for claims: the published series a claim is checked against, with the claimed value drawn on it
as a labelled dashed line (or band for a range). One chart id per claim: `claim-<claim id>`."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.charts import ChartSpec, ChartState, ChartView, source_line
from dashboard.data import DataStore, SourceRef
from dashboard.figures.basic import with_claim
from dashboard.figures.common import DASHES, PALETTE, Draft, Frame, axis_title, base_figure, empty_figure, trace
from dashboard.i18n import fmt_num, t

CHARTED_RULES = {"approx", "range", "at_least", "at_most", "ratio_range", "rank_min"}
TIME_COLUMNS = ("date", "as_of_date", "figure_date", "period_end", "year", "reference_year")
UNIT_LABELS = {
    "pct": "%",
    "bbl_per_day": "bbl/d",
    "persons": "persons",
    "count": "count",
    "mw": "MW",
    "km": "km",
    "hours_per_day": "hours/day",
    "years": "years",
    "bbl": "barrels",
    "twh": "TWh",
}
UNIT_LABELS_ES = {
    "persons": "personas",
    "count": "número",
    "hours_per_day": "horas/día",
    "years": "años",
    "bbl": "barriles",
    "bbl_per_day": "b/d",
}


def claims_doc(store: DataStore) -> dict[str, Any]:
    return store.json_file("claims.json") or {"documents": [], "claims": []}


def find_claim(store: DataStore, claim_id: str) -> dict[str, Any]:
    for claim in claims_doc(store)["claims"]:
        if claim["claim_id"] == claim_id:
            return claim
    raise KeyError(f"no claim {claim_id!r}")


def has_chart(claim: dict[str, Any]) -> bool:
    rule = (claim.get("rule") or {}).get("kind")
    return rule in CHARTED_RULES and any(m.get("status") == "ok" for m in claim.get("measured", []))


def unit_label(unit: str | None, lang: str) -> str:
    if not unit:
        return ""
    if lang == "es" and unit in UNIT_LABELS_ES:
        return UNIT_LABELS_ES[unit]
    return UNIT_LABELS.get(unit, unit.replace("_", " "))


def claim_label(claim: dict[str, Any], lang: str) -> str:
    """'Claim: 80–95%' in words, so the claim is never shown by colour alone."""
    claimed = claim.get("claimed") or {}
    unit = unit_label(claimed.get("unit"), lang)
    sep = "" if unit == "%" else " "
    prefix = t("claim", lang) + ": "
    if claimed.get("low") is not None and claimed.get("high") is not None:
        low, high = claimed["low"], claimed["high"]
        if high >= 1000 and claim["rule"]["kind"] == "ratio_range":
            return prefix + f"≥ {fmt_num(low, lang)}{sep}{unit}"
        return prefix + f"{fmt_num(low, lang)}–{fmt_num(high, lang)}{sep}{unit}"
    if claimed.get("value") is not None:
        sign = {"at_least": "≥ ", "at_most": "≤ "}.get(claim["rule"]["kind"], "")
        return prefix + f"{sign}{fmt_num(claimed['value'], lang)}{sep}{unit}"
    return prefix + claim.get("quote", "")[:40]


def _select(store: DataStore, spec: dict[str, Any]) -> pd.DataFrame:
    """All rows of an evidence series (its `where`, not its period), for drawing the history around the claim."""
    if spec["table"] not in store.table_names():
        return pd.DataFrame()
    df = store.table(spec["table"])
    for key, value in (spec.get("where") or {}).items():
        if key not in df.columns:
            return pd.DataFrame()
        col = df[key]
        if pd.api.types.is_datetime64_any_dtype(col):
            text = col.dt.strftime("%Y-%m-%d")
            df = df[text.str.startswith(str(value))]
        else:
            df = df[col.astype("string") == str(value)]
    return df


def _time_column(df: pd.DataFrame) -> str | None:
    return next((c for c in TIME_COLUMNS if c in df.columns), None)


def history_frame(store: DataStore, claim: dict[str, Any]) -> pd.DataFrame:
    """Long frame (series, x, value, unit, source) of every evidence series with its full history."""
    rows = []
    measured = claim.get("measured", [])
    for i, spec in enumerate(claim.get("evidence", [])):
        m = measured[i] if i < len(measured) else {}
        if m.get("status") != "ok" or claim["rule"]["kind"] == "ratio_range":
            continue
        df = _select(store, spec)
        col = spec["column"]
        time_col = _time_column(df) if len(df) else None
        if df.empty or col not in df.columns or time_col is None or not pd.api.types.is_numeric_dtype(df[col]):
            continue
        part = df[[time_col, col]].dropna()
        for x, value in zip(part[time_col], part[col], strict=True):
            rows.append(
                {
                    "series": m.get("label") or spec.get("label") or col,
                    "x": x,
                    "value": float(value),
                    "unit": m.get("unit"),
                    "source": m.get("publisher", ""),
                    "url": m.get("url", ""),
                }
            )
    return pd.DataFrame(rows, columns=["series", "x", "value", "unit", "source", "url"])


def measured_frame(claim: dict[str, Any]) -> pd.DataFrame:
    rows = []
    for m in claim.get("measured", []):
        if m.get("status") != "ok" or not isinstance(m.get("value"), int | float):
            continue
        rows.append(
            {
                "series": m.get("label", ""),
                "period": m.get("period", ""),
                "value": float(m["value"]),
                "unit": m.get("unit"),
                "source": m.get("publisher", ""),
                "url": m.get("url", ""),
            }
        )
    return pd.DataFrame(rows, columns=["series", "period", "value", "unit", "source", "url"])


def ratio_frame(claim: dict[str, Any]) -> pd.DataFrame:
    rows = []
    for r in claim.get("ratios", []) or []:
        if r.get("value") is None:
            continue
        rows.append(
            {
                "series": r.get("label", ""),
                "period": r.get("period", ""),
                "value": float(r["value"]),
                "unit": "pct",
                "source": r.get("publisher", ""),
                "url": r.get("url", ""),
            }
        )
    if not rows and claim.get("ratio") is not None and claim["rule"]["kind"] == "ratio_range":
        rows.append(
            {"series": "ratio", "period": "", "value": float(claim["ratio"]), "unit": "pct", "source": "", "url": ""}
        )
    return pd.DataFrame(rows, columns=["series", "period", "value", "unit", "source", "url"])


def make_claim_figure(
    claim: dict[str, Any], history: pd.DataFrame, points: pd.DataFrame, frame: Frame, lang: str
) -> Draft:
    """Lines for evidence series with a history, bars for single figures; the claim drawn on top in words."""
    unit = unit_label((claim.get("claimed") or {}).get("unit") or (points["unit"].iloc[0] if len(points) else ""), lang)
    long_series = history.groupby("series").filter(lambda g: len(g) >= 3) if len(history) else history
    if len(long_series):
        fig = base_figure(frame)
        for i, (name, part) in enumerate(long_series.groupby("series", sort=False)):
            fig.add_trace(
                trace(
                    "scatter",
                    x=part["x"],
                    y=part["value"],
                    name=name,
                    mode="lines+markers",
                    line={"color": PALETTE[i % len(PALETTE)], "dash": DASHES[i % len(DASHES)]},
                    marker={"size": 5, "symbol": i},
                    hovertemplate="%{x}: %{y:,.1f}<extra>" + name[:40] + "</extra>",
                )
            )
        shown = set(long_series["series"])
        singles = points[~points["series"].isin(shown)]
        for j, row in enumerate(singles.itertuples(index=False)):
            x = _point_x(row.period, long_series["x"])
            fig.add_trace(
                trace(
                    "scatter",
                    x=[x],
                    y=[row.value],
                    name=row.series,
                    mode="markers",
                    marker={
                        "size": 12,
                        "symbol": "diamond",
                        "color": PALETTE[(j + 3) % len(PALETTE)],
                        "line": {"width": 1, "color": "#222"},
                    },
                    hovertemplate=f"{row.period}: %{{y:,.1f}}<extra>{row.series[:40]}</extra>",
                )
            )
    elif len(points):
        fig = base_figure(frame)
        labels = [_short(s) for s in points["series"]]
        fig.add_trace(
            trace(
                "bar",
                x=labels,
                y=points["value"],
                marker={"color": PALETTE[0]},
                showlegend=False,
                texttemplate="%{y:,.1f}",
                textposition="outside",
                cliponaxis=False,
                customdata=points[["source", "period"]].to_numpy(),
                hovertemplate="%{x}<br>%{y:,.1f} (%{customdata[1]})<br>%{customdata[0]}<extra></extra>",
            )
        )
    else:
        return empty_figure(frame, t("no_data", lang))
    fig.update_yaxes(**axis_title(unit), rangemode="tozero")
    return with_claim(fig, claim.get("claimed"), claim_label(claim, lang))


def _short(text: str, width: int = 38) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines[:3])


def _point_x(period: str, xs: pd.Series) -> Any:
    """Place a single figure on the history's x axis (years or dates)."""
    period = str(period or "")
    if pd.api.types.is_datetime64_any_dtype(xs):
        try:
            return pd.Timestamp(
                period[:10] if len(period) >= 10 else period[:7] + "-01" if len(period) >= 7 else period[:4] + "-07-01"
            )
        except ValueError:
            return xs.max()
    try:
        return int(period[:4])
    except ValueError:
        return xs.max()


def make_rank_figure(claim: dict[str, Any], series: pd.DataFrame, frame: Frame, lang: str) -> Draft:
    """Bars over the claim's window; the claimed year highlighted (pattern + label), excluded years hatched grey."""
    m = claim["measured"][0]
    excluded = set(m.get("excluded_years") or [])
    year = int(str(claim["claimed"].get("period", "0"))[:4] or 0)
    fig = base_figure(frame)
    colors = ["#bbbbbb" if y in excluded else (PALETTE[3] if y == year else PALETTE[0]) for y in series["x"]]
    patterns = ["/" if y in excluded else ("x" if y == year else "") for y in series["x"]]
    fig.add_trace(
        trace(
            "bar",
            x=series["x"],
            y=series["value"],
            marker={"color": colors, "pattern": {"shape": patterns, "fgcolor": "#333", "bgcolor": "rgba(0,0,0,0)"}},
            showlegend=False,
            hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
        )
    )
    label = f"{year}: " + ("the claim says lowest" if lang == "en" else "la afirmación dice: el más bajo")
    fig.add_annotation(
        x=year,
        y=float(series.loc[series["x"] == year, "value"].max() or 0),
        text=label,
        showarrow=True,
        arrowhead=2,
        ay=-40,
        font={"size": 12},
    )
    if excluded:
        fig.add_annotation(
            x=min(excluded),
            y=0,
            yanchor="bottom",
            text="excluded" if lang == "en" else "excluidos",
            showarrow=False,
            font={"size": 10, "color": "#555"},
            yshift=4,
        )
    fig.update_yaxes(**axis_title(unit_label(m.get("unit"), lang)), rangemode="tozero")
    return fig


def build_claim_view(store: DataStore, claim: dict[str, Any], lang: str) -> ChartView:
    title = claim.get("quote", "")
    title = (title[:90] + "…") if len(title) > 90 else title
    title = f"“{title}”"
    claimed = claim.get("claimed") or {}
    unit = unit_label(claimed.get("unit"), lang)
    subtitle = (
        f"{'Evidence for the claim' if lang == 'en' else 'Evidencia para la afirmación'}"
        f"{' (' + unit + ')' if unit else ''}; {'dashed line' if lang == 'en' else 'línea discontinua'} = "
        f"{t('claim', lang).lower()}"
    )
    refs = [
        SourceRef(m.get("label", ""), m.get("publisher", ""), m.get("url", ""), m.get("retrieved", ""), "", "")
        for m in claim.get("measured", [])
        if m.get("status") == "ok"
    ]
    as_of = max((m.get("period", "") for m in claim.get("measured", []) if m.get("status") == "ok"), default="")
    frame = Frame(title, subtitle, source_line(refs, str(as_of)[:10], lang), lang)
    kind = claim["rule"]["kind"]
    if kind == "ratio_range":
        points = ratio_frame(claim)
        history = pd.DataFrame(columns=["series", "x", "value", "unit", "source", "url"])
        fig = make_claim_figure(claim, history, points, frame, lang)
        shown = points
    elif kind == "rank_min":
        spec = claim["evidence"][0]
        df = _select(store, spec)
        time_col = _time_column(df)
        window = str(claim["measured"][0].get("window", ""))
        start, _, end = window.partition("/")
        series = df[[time_col, spec["column"]]].dropna().rename(columns={time_col: "x", spec["column"]: "value"})
        series = series.groupby("x", as_index=False)["value"].max()
        if start and end:
            series = series[(series["x"] >= int(start[:4])) & (series["x"] <= int(end[:4]))]
        fig = make_rank_figure(claim, series, frame, lang)
        shown = series.assign(series=spec.get("label", spec["column"]))
    else:
        history = history_frame(store, claim)
        points = measured_frame(claim)
        fig = make_claim_figure(claim, history, points, frame, lang)
        shown = pd.concat([history, points], ignore_index=True) if len(history) else points
    summary = claim.get(f"conclusion_{lang}") or claim.get("conclusion_en", "")
    return ChartView(fig, shown.reset_index(drop=True), summary, title, subtitle, refs, str(as_of)[:10])


def spec_for(chart_id: str) -> ChartSpec:
    """A chart spec made on demand for `claim-<id>` (claims are data, so their charts are too)."""
    claim_id = chart_id.removeprefix("claim-")

    def builder(store: DataStore, state: ChartState) -> ChartView:
        return build_claim_view(store, find_claim(store, claim_id), state.lang)

    return ChartSpec(id=chart_id, page="/", build=builder, title={"en": claim_id, "es": claim_id})

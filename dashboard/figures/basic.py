"""Pure figure functions: DataFrame (+ the words to print) in, plotly figure out. No data access here."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard.figures.common import (
    DASHES,
    PALETTE,
    Draft,
    Frame,
    add_claim_band,
    add_claim_line,
    axis_title,
    base_figure,
    empty_figure,
    rows_with_values,
    trace,
)
from etl.claims.schema import OPEN_HIGH  # a claimed `high` this large, in %, means "no upper bound"


def make_lines(
    df: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    frame: Frame,
    unit: str,
    no_data: str,
    hover_format: str = ",.1f",
    group_labels: dict[str, str] | None = None,
    markers: bool = True,
    highlight: str | None = None,
) -> Draft:
    """One line per group (country, publisher...), each with its own colour AND dash/marker, so lines stay
    distinguishable without colour."""
    data = rows_with_values(df, [y])
    if data.empty:
        return empty_figure(frame, no_data)
    fig = base_figure(frame)
    xs, ys = data[x], data[y]
    for i, (name, rows) in enumerate(groups(data[group])):
        label = (group_labels or {}).get(name, str(name))
        width = 3.5 if highlight is not None and name == highlight else 2
        fig.add_trace(
            trace(
                "scatter",
                x=take(xs, rows),
                y=take(ys, rows),
                name=label,
                mode="lines+markers" if markers else "lines",
                line={"color": PALETTE[i % len(PALETTE)], "dash": DASHES[i % len(DASHES)], "width": width},
                marker={"size": 5, "symbol": i % 20},
                hovertemplate=f"%{{x}}<br>{label}: %{{y:{hover_format}}} {unit}<extra></extra>",
            )
        )
    fig.update_yaxes(**axis_title(unit), rangemode="tozero")
    return fig


def groups(column: pd.Series) -> list[tuple[Any, np.ndarray]]:
    """Each group's key and row positions, in order of first appearance, as `groupby(sort=False)` gives them (rows
    without a key left out), without building a frame per group: groupby cost ~2 ms of a 5 ms chart."""
    codes, keys = pd.factorize(column)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(keys) + 1))
    return [(keys[i], order[bounds[i] : bounds[i + 1]]) for i in range(len(keys))]


def take(column: pd.Series, rows: np.ndarray) -> np.ndarray | pd.Series:
    """Those rows of a column, as a numpy array when its type is numpy's (what plotly stores anyway); other types
    (nullable integers, strings) stay a Series, which the figure converts as before."""
    return column.to_numpy()[rows] if isinstance(column.dtype, np.dtype) else column.iloc[rows]


def make_stacked_area(
    df: pd.DataFrame, x: str, columns: dict[str, str], frame: Frame, unit: str, no_data: str
) -> Draft:
    """Stacked areas (e.g. generation by source); `columns` maps column → legend label."""
    data = rows_with_values(df, list(columns), how="all")
    if data.empty:
        return empty_figure(frame, no_data)
    fig = base_figure(frame)
    patterns = ["", "/", ".", "x", "-", "|", "+", "\\"]
    for i, (col, label) in enumerate(columns.items()):
        fig.add_trace(
            trace(
                "scatter",
                x=data[x],
                y=data[col],
                name=label,
                stackgroup="one",
                mode="lines",
                line={"width": 0.8, "color": PALETTE[i % len(PALETTE)]},
                fillpattern={"shape": patterns[i % len(patterns)], "solidity": 0.15},
                hovertemplate=f"%{{x}}<br>{label}: %{{y:,.2f}} {unit}<extra></extra>",
            )
        )
    fig.update_yaxes(**axis_title(unit), rangemode="tozero")
    return fig


def make_bars(
    df: pd.DataFrame,
    category: str,
    value: str,
    frame: Frame,
    unit: str,
    no_data: str,
    color_by: str | None = None,
    text_format: str = ",.0f",
    horizontal: bool = False,
    hover: str | None = None,
) -> Draft:
    data = rows_with_values(df, [value])
    if data.empty:
        return empty_figure(frame, no_data)
    fig = base_figure(frame)
    groups = data.groupby(color_by, sort=False) if color_by else [(None, data)]
    patterns = ["", "/", ".", "x", "-", "\\"]
    for i, (name, part) in enumerate(groups):
        kwargs = (
            {"y": part[category], "x": part[value], "orientation": "h"}
            if horizontal
            else {"x": part[category], "y": part[value]}
        )
        fig.add_trace(
            trace(
                "bar",
                **kwargs,
                name=str(name) if name is not None else unit,
                marker={
                    "color": PALETTE[i % len(PALETTE)],
                    "pattern": {"shape": patterns[i % len(patterns)], "fgcolor": "#333", "bgcolor": "rgba(0,0,0,0)"},
                },
                texttemplate=f"%{{{'x' if horizontal else 'y'}:{text_format}}}",
                textposition="outside",
                cliponaxis=False,
                customdata=part[hover] if hover else None,
                hovertemplate=("%{customdata}<br>" if hover else "")
                + f"%{{{'y' if horizontal else 'x'}}}: %{{{'x' if horizontal else 'y'}:{text_format}}} {unit}<extra></extra>",
                showlegend=color_by is not None,
            )
        )
    if horizontal:
        fig.update_xaxes(**axis_title(unit), rangemode="tozero")
        fig.update_yaxes(autorange="reversed", automargin=True)
    else:
        fig.update_yaxes(**axis_title(unit), rangemode="tozero")
    fig.update_layout(barmode="group", bargap=0.25)
    return fig


def open_high(claimed: dict) -> bool:
    """'≥ low' written as a range with a huge `high` (ratios in %); 110,000 bbl is a real bound in barrels."""
    high = claimed.get("high")
    unit = str(claimed.get("unit") or "pct")
    return isinstance(high, int | float) and high >= OPEN_HIGH and unit in ("pct", "%")


def with_claim(fig: Draft, claimed: dict | None, label: str, top: float | None = None) -> Draft:
    """Draw the claimed value (line) or range (band) on a chart, labelled in words. An open-ended band (`high` ≥
    OPEN_HIGH, "≥ 100 %") is drawn up to `top`, the axis' data-driven top, so it never stretches the axis."""
    if not claimed:
        return fig
    if claimed.get("low") is not None and claimed.get("high") is not None:
        low, high = float(claimed["low"]), float(claimed["high"])
        if open_high(claimed):  # "≥ low": a dashed line at the bound, shaded up to the axis' top, no top edge
            fig.add_shape(
                type="rect",
                xref="x domain",
                yref="y",
                x0=0,
                x1=1,
                y0=low,
                y1=max(low, top if top is not None else low),
                fillcolor="rgba(0,0,0,0.07)",
                line={"width": 0},
            )
            add_claim_line(fig, low, label)
            fig.layout["annotations"][-1]["yshift"] = 5  # clear of a marker sitting on the line
        elif high == low:  # a band of no width is a value
            add_claim_line(fig, low, label)
            fig.layout["annotations"][-1]["yshift"] = 5
        else:
            add_claim_band(fig, low, high, label)
    elif claimed.get("value") is not None:
        add_claim_line(fig, float(claimed["value"]), label)
        fig.layout["annotations"][-1]["yshift"] = 5
    return fig

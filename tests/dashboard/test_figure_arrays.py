"""Columns of the less common types are sent as plotly would send them (dashboard/figures/common.py makes the arrays
itself, with no private plotly module); tests/dashboard/test_fast_paths.py covers the common types and every chart."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.io.json import to_json_plotly

from dashboard.figures import common

COLUMNS = [
    pd.Series([True, None, False], dtype="boolean"),
    pd.Series(["a", None, "c"], dtype="string"),
    pd.Series([1.5, None], dtype="Float64"),
    pd.Series([1, 2], dtype="UInt8"),
    pd.Series(["x", "y", "x"], dtype="category"),
    pd.Series(pd.to_datetime(["2024-01-01 10:00", "2024-03-01 23:30"]).tz_localize("America/Havana")),
    pd.DatetimeIndex(["2024-01-01", "2024-03-01"]).tz_localize("UTC"),
    pd.Index([True, False]),
    pd.Series([1, 2], dtype="int16"),
]


@pytest.mark.parametrize("column", COLUMNS, ids=lambda c: f"{type(c).__name__}-{c.dtype}")
def test_less_common_column_types_are_encoded_as_plotly_encodes_them(column):
    expected = go.Figure(data=[{"type": "scatter", "x": column}]).to_dict()["data"][0]["x"]
    assert to_json_plotly(common._for_json(column, "x")) == to_json_plotly(expected)


def test_the_typed_array_codes_are_the_ones_plotly_sends():
    for dtype, code in common.TYPED_ARRAY_CODES.items():
        column = pd.Series([1, 2, 3], dtype=dtype)
        sent = go.Figure(data=[{"type": "scatter", "y": column}]).to_dict()["data"][0]["y"]
        assert to_json_plotly(sent).startswith(f'{{"dtype":"{code}"'), (dtype, to_json_plotly(sent))

"""The dashboard's fast paths give what the library paths give.

Charts are drafted as plain dicts and made into figures without plotly's validation, tables are sent as the JSON of
dash.html components, and a few pandas steps are done in numpy (see dashboard/figures/common.py). Each test here
builds the same thing both ways and requires the same result, so a chart that plotly would reject, or an array
encoded differently, fails here rather than in a reader's browser.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from dash import html
from dash._utils import to_json
from plotly.io.json import to_json_plotly

from dashboard import charts, table_view
from dashboard.chartdefs.blackouts.days import with_gaps
from dashboard.chartdefs.claims import claims_doc, has_chart
from dashboard.data import DataStore
from dashboard.figures import common
from dashboard.figures.basic import groups, take
from dashboard.figures.common import for_screen, rows_with_values
from dashboard.i18n import fmt_num, t

STORE = DataStore()
CHART_IDS = [spec.id for spec in charts.all_charts()] + [
    f"claim-{c['claim_id']}" for c in claims_doc(STORE)["claims"] if has_chart(c)
]


def _states(spec: charts.ChartSpec) -> list[dict[str, str]]:
    states = [{}, {"lang": "es"}]
    if "start" in spec.params:
        states += [{"start": "2019"}, {"start": "2025-01-01", "end": "2025-06-30"}, {"start": "2099"}]
    if "country" in spec.params and spec.country_choices and "DOM" in spec.country_choices(STORE):
        states.append({"country": "CUB~DOM", "tab": "table"})
    return states


def _built(spec: charts.ChartSpec, params: dict[str, str], validate: bool, monkeypatch) -> tuple[str, str]:
    monkeypatch.setattr(common, "VALIDATE", validate)
    view = spec.build(STORE, charts.narrow(spec, STORE, charts.parse_state(spec, STORE, params)))
    figure = json.loads(to_json_plotly(view.figure))
    screen = json.loads(to_json_plotly(view.screen()))
    return json.dumps(figure, sort_keys=True), json.dumps(screen, sort_keys=True)


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_every_chart_is_the_same_with_and_without_plotly_validation(chart_id, monkeypatch):
    spec = charts.get(chart_id)
    for params in _states(spec):
        checked = _built(spec, params, True, monkeypatch)  # plotly validates every property (raises if invalid)
        fast = _built(spec, params, False, monkeypatch)
        assert fast[0] == checked[0], (chart_id, params, "figure")
        assert fast[1] == checked[1], (chart_id, params, "on-screen figure")


def test_the_on_screen_figure_is_for_screen_of_the_figure():
    spec = charts.get("une-supply-demand")
    view = spec.build(STORE, charts.narrow(spec, STORE, charts.parse_state(spec, STORE, {"start": "2025-01-01"})))
    screen = view.screen()
    assert "title" not in screen["layout"]
    assert json.loads(to_json_plotly(screen)) == json.loads(to_json_plotly(for_screen(view.figure)))


@pytest.mark.parametrize(
    "column",
    [
        pd.Series([1985, 1990, 2024], dtype="int64"),
        pd.Series([1, -200, 40_000], dtype="int64"),
        pd.Series([1, 2**40], dtype="int64"),
        pd.Series([1, 2, 3], dtype="uint64"),
        pd.Series([1.5, np.nan, 3.25]),
        pd.Series([1.5, 2.5], dtype="float32"),
        pd.Series([2000, None, 2002], dtype="Int64"),
        pd.Series([2000, 2001], dtype="Int64"),
        pd.Series([True, False]),
        pd.Series(["a", None, "c"]),
        pd.Series(pd.to_datetime(["2024-01-01", None, "2024-03-01"])),
        pd.Series([], dtype="float64"),
    ],
    ids=lambda s: str(s.dtype) + "-" + str(len(s)),
)
def test_arrays_are_encoded_as_plotly_encodes_them(column):
    expected = go.Figure(data=[{"type": "scatter", "x": column}]).to_dict()["data"][0]["x"]
    assert to_json_plotly(common._for_json(column, "x")) == to_json_plotly(expected)


def _table_as_components(frame: pd.DataFrame, lang: str, caption: str) -> html.Table:
    """The table built from dash.html components, cell by cell: what `table_view.data_table` must send."""
    shown, note = table_view.table_rows(frame, lang)
    rows = []
    for record in shown.itertuples(index=False):
        cells = []
        for column, value in zip(shown.columns, record, strict=True):
            words = table_view.cell_words(str(column))
            if isinstance(value, bool | np.bool_):
                cells.append(html.Td(t("table_yes" if value else "table_no", lang)))
            elif isinstance(value, int | np.integer):
                text = fmt_num(float(value), lang, 0) if abs(value) >= 10_000 else str(value)
                cells.append(html.Td(text, className="num"))
            elif isinstance(value, float):
                cells.append(html.Td(fmt_num(value, lang), className="num"))
            elif isinstance(value, pd.Timestamp):
                text = value.strftime("%Y-%m") if column == "month" else value.date().isoformat()
                cells.append(html.Td(text, className="date"))
            elif value is None or value is pd.NA or value is pd.NaT or value == "":
                cells.append(html.Td("–"))
            elif isinstance(value, str) and value.startswith(("http://", "https://")):
                text = value[:60] + ("…" if len(value) > 60 else "")
                cells.append(html.Td(html.A(text, href=value, rel="noopener noreferrer", target="_blank")))
            elif isinstance(value, str) and table_view.ISO_DATE.fullmatch(value):
                cells.append(html.Td(value, className="date"))
            else:
                cells.append(html.Td(words(str(value), lang)))
        rows.append(html.Tr(cells))
    header = html.Thead(html.Tr([html.Th(table_view.column_header(c, lang), scope="col") for c in shown.columns]))
    return html.Table(
        [html.Caption(f"{caption} ({note})" if note else caption), header, html.Tbody(rows)],
        className="table table-sm table-striped data-table",
    )


@pytest.mark.parametrize("lang", ["en", "es"])
def test_tables_are_the_json_of_html_components(lang):
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-01-01", None, "2024-01-03"]),
            "value_mw": [1234.5, np.nan, 3.0],
            "units": pd.Series([3, None, 5], dtype="Int64"),
            "flag": pd.Series([True, None, False], dtype="boolean"),
            "url": ["https://example.org/" + "x" * 80, "http://example.org/a", None],
            "note": ["<b>bold?</b>", "", "ok"],
            "supplier": ["Mexico", "Russia", "nowhere"],
            "source_kind": ["note", "press point", ""],
            "basis": ["press report; tanker tracking", "2024-05-01", "x"],
            "value_bbl": pd.Series([350_000, 2024, None], dtype="Int64"),
            "publisher": ["CiberCuba (citing Reuters)", "A via B", None],
        }
    )
    assert to_json(table_view.data_table(frame, lang, "Caption")) == to_json(
        _table_as_components(frame, lang, "Caption")
    )
    long = pd.DataFrame({"v": np.arange(table_view.MAX_TABLE_ROWS + 5, dtype="float64")})
    assert to_json(table_view.data_table(long, lang, "Long")) == to_json(_table_as_components(long, lang, "Long"))


def test_published_tables_are_the_json_of_html_components():
    for chart_id in ("une-supply-demand", "oil-shipments", "thermal-plants", "oil-share-of-electricity"):
        spec = charts.get(chart_id)
        view = spec.build(STORE, charts.narrow(spec, STORE, charts.parse_state(spec, STORE, {"lang": "es"})))
        assert to_json(table_view.data_table(view.frame, "es", view.title)) == to_json(
            _table_as_components(view.frame, "es", view.title)
        ), chart_id


@pytest.mark.parametrize(
    ("columns", "how"), [(None, "any"), (["a"], "any"), (["a", "b"], "any"), (["a", "b"], "all"), ([], "any")]
)
def test_rows_with_values_is_dropna(columns, how):
    df = pd.DataFrame(
        {
            "a": [1.0, np.nan, 3.0, np.nan],
            "b": pd.Series([1, 2, None, None], dtype="Int64"),
            "c": ["x", None, "z", "w"],
        },
        index=[10, 11, 12, 13],
    )
    expected = df.dropna(how=how) if columns is None else df.dropna(subset=columns, how=how)
    pd.testing.assert_frame_equal(rows_with_values(df, columns, how), expected)


def _gappy() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-01-03", "2024-01-04", "2024-01-21", "2024-02-05", "2024-04-30"]),
            "x": [1.0, np.nan, 2.5, 4.0, np.nan],  # Wed, Thu, Sun, Mon; April has no value at all
            "y": [np.nan, 3.0, 2.0, np.nan, np.nan],
        }
    ).astype({"date": "datetime64[us]"})


def _cases(columns: list[str]) -> list[tuple[pd.DataFrame, list[str]]]:
    daily = STORE.table("une_daily").sort_values("date")
    return [(daily, columns), (daily.iloc[100:130], columns), (_gappy(), ["x", "y"])]


def _arrays(df: pd.DataFrame, columns: list[str]) -> dict:
    return {c: df[c].to_numpy() if df[c].dtype.kind == "f" else df[c].array for c in columns}


def test_with_gaps_is_a_daily_reindex():
    for df, cols in _cases(["peak_demand_mw", "thermal_units_out_of_service"]):
        days, ours = with_gaps(df["date"].to_numpy(), _arrays(df, cols))
        full = pd.date_range(df["date"].min(), df["date"].max(), freq="D", name="date")
        theirs = df[["date", *cols]].set_index("date").reindex(full)
        assert list(days) == list(full)
        for c in cols:
            expected = theirs[c].to_numpy("float64", na_value=np.nan)
            np.testing.assert_array_equal(np.asarray(ours[c], dtype="float64"), expected)
    # Whole numbers stay whole when no day is missing (plotly then sends them as integers, as it did from pandas).
    units = STORE.table("une_daily").dropna(subset=["thermal_units_out_of_service"]).iloc[:3]
    _, kept = with_gaps(units["date"].to_numpy(), _arrays(units, ["thermal_units_out_of_service"]))
    consecutive = (units["date"].diff().dropna() == pd.Timedelta(days=1)).all()
    assert kept["thermal_units_out_of_service"].dtype.kind == ("i" if consecutive else "f")


def test_the_30_day_mean_of_a_day_does_not_depend_on_the_view():
    """A day's 30-day mean averages the 30 days to it, also when the view starts on that day."""
    spec = charts.get("une-share-dark")

    def means(params: dict[str, str]) -> pd.Series:
        frame = spec.build(STORE, charts.narrow(spec, STORE, charts.parse_state(spec, STORE, params))).frame
        return frame.set_index("date")["rolling_30_day_mean_pct"]

    whole, part = means({}), means({"start": "2025-01-15", "end": "2025-03-31"})
    assert len(part) > 30
    pd.testing.assert_series_equal(part, whole.loc[part.index])
    daily = STORE.table("une_daily").dropna(subset=["peak_share_of_demand_cut_pct"]).set_index("date")
    first = part.index[0]
    window = daily.loc[first - pd.Timedelta(days=29) : first, "peak_share_of_demand_cut_pct"]
    assert len(window) > 1  # the days before the view count
    assert part.iloc[0] == pytest.approx(window.mean(), abs=0.005)  # published to 0.01


@pytest.mark.parametrize(
    "keys",
    [
        ["Mexico", "Cuba", "Mexico", None, "Aruba", "Cuba"],  # not in sorted order
        pd.Series(["b", "a", "b", "c"], dtype="category"),
        pd.Series(["x", pd.NA, "y", "x"], dtype="string"),
        [],
    ],
)
def test_groups_are_groupby_groups(keys):
    df = pd.DataFrame({"key": pd.Series(keys, dtype=getattr(keys, "dtype", "object")), "year": range(len(keys))})
    df["y"] = df["year"] * 1.5
    ours = [(key, list(rows)) for key, rows in groups(df["key"])]
    theirs = [(key, [df.index.get_loc(i) for i in part.index]) for key, part in df.groupby("key", sort=False)]
    assert ours == theirs
    for _, rows in groups(df["key"]):
        np.testing.assert_array_equal(take(df["y"], rows), df["y"].iloc[rows].to_numpy())


def test_prepared_frames_are_made_once_per_published_package():
    store = DataStore()
    calls = []
    make = lambda s: calls.append(1) or len(calls)
    assert store.prepared("test", make) == 1
    assert store.prepared("test", make) == 1
    store.maybe_reload(force=True)  # what a new package from the ETL does
    assert store.prepared("test", make) == 2


def test_table_rows_are_a_stable_newest_first_sort():
    """Frames not sorted by date (several countries a year, gaps): the rows a table shows are pandas' stable
    descending sort, missing values last, whatever the frame's index."""
    rng = np.random.default_rng(0)
    for trial in range(200):
        n = int(rng.integers(table_view.MAX_TABLE_ROWS + 1, 4 * table_view.MAX_TABLE_ROWS))
        year = pd.Series(rng.integers(1990, 2000, n).astype(float))
        if trial % 2:
            year[rng.integers(0, n, 5)] = np.nan
        df = pd.DataFrame({"year": year, "row": range(n)}, index=rng.permutation(n))
        ours, _ = table_view.table_rows(df, "en")
        theirs = df.sort_values("year", ascending=False, kind="stable").head(table_view.MAX_TABLE_ROWS)
        assert list(ours["row"]) == list(theirs["row"]), trial


@pytest.mark.parametrize(
    "start, end", [(None, None), ("2001", None), (None, "2003"), ("2001", "2003"), ("2010", "2011")]
)
def test_filter_period_is_a_mask_on_sorted_and_unsorted_frames(start, end):
    years = pd.DataFrame({"year": [1999, 2000, 2001, 2001, 2002, 2003, 2004], "v": range(7)}, index=list("abcdefg"))
    dates = pd.DataFrame({"date": pd.to_datetime([f"{y}-06-30" for y in years["year"]]), "v": range(7)})
    for df, column in ((years, "year"), (years.iloc[::-1], "year"), (dates, "date"), (dates.iloc[::-1], "date")):
        values = df[column] if column == "year" else df[column].dt.year
        keep = (values >= int(start or 0)) & (values <= int(end or 9999))
        pd.testing.assert_frame_equal(charts.filter_period(df, column, start, end), df[keep])

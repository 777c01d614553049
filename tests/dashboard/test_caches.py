"""The dashboard's in-process caches: one class (`memo.ByteLRU`, bounded in bytes and entries), and every key made of
values (chart, state, data version, path, query, a frame's contents), never of an object's identity, which Python
reuses once the object is gone."""

from __future__ import annotations

import gc
import weakref

import pandas as pd
import pytest

from dashboard import charts, memo, pagekit, table_view, versions
from dashboard.chart_registry import ChartState, ChartView
from dashboard.data import DataStore


@pytest.fixture(scope="module")
def store() -> DataStore:
    return DataStore()


def _view(frame: pd.DataFrame, title: str = "Title") -> ChartView:
    return ChartView(None, frame, "summary", title, "subtitle", [], "2024")


def test_every_cache_of_the_dashboard_is_a_byte_lru(tmp_path):
    for cache in (charts._BUILT, pagekit._LAYOUTS, table_view._TABLES):
        assert isinstance(cache, memo.ByteLRU)
        assert cache.max_bytes > 0 and cache.max_entries > 0
    pinned = versions.VersionHistory(tmp_path, max_versions=3)._loaded  # whole data versions: bounded by count
    assert isinstance(pinned, memo.ByteLRU) and pinned.max_entries == 3


def test_a_cache_bounded_by_entries_alone_keeps_the_most_recently_used():
    cache = memo.ByteLRU.of_entries("versions", 2)
    for key in ("a", "b"):
        assert cache.set(key, key.upper(), 0)
    assert cache.get("a") == "A"  # "a" is now the most recently used
    cache.set("c", "C", 0)
    assert list(cache) == ["a", "c"] and cache.get("b") is None


def test_a_frame_key_is_its_values_columns_and_types():
    frame = pd.DataFrame({"year": [2023, 2024], "value_twh": [1.5, None], "source": ["a", "b"]})
    same = pd.DataFrame({"year": [2023, 2024], "value_twh": [1.5, None], "source": ["a", "b"]}, index=[7, 8])
    assert memo.frame_key(frame) == memo.frame_key(same)  # built apart, other index: the same table
    assert memo.frame_key(frame) != memo.frame_key(frame.assign(value_twh=[1.5, 2.0]))
    assert memo.frame_key(frame) != memo.frame_key(frame.rename(columns={"value_twh": "value_gwh"}))
    assert memo.frame_key(frame) != memo.frame_key(frame.astype({"year": "float64"}))
    assert memo.frame_key(frame) != memo.frame_key(frame.iloc[::-1])
    assert memo.frame_key(frame) != memo.frame_key(frame.iloc[:1])


def test_tables_are_kept_by_what_they_show_not_by_which_view_object_asks():
    table_view._TABLES.clear()
    frame = pd.DataFrame({"year": [2023, 2024], "value_twh": [1.5, 2.5]})
    first = table_view.view_table(_view(frame), "en")
    assert table_view.view_table(_view(frame.copy()), "en") is first  # an equal view, another object: shared
    assert table_view.view_table(_view(frame), "es") is not first  # another language
    assert table_view.view_table(_view(frame, "Other title"), "en") is not first  # the title is the caption
    other = table_view.view_table(_view(frame.assign(value_twh=[1.5, 9.5])), "en")
    assert other != first and "9.5" in str(other)


def test_a_kept_table_does_not_keep_its_view_alive():
    """Keyed by values, an entry needs no reference to the view (an id-keyed entry had to hold it, or the id could
    be reused by another view and answer with the wrong table)."""
    table_view._TABLES.clear()
    view = _view(pd.DataFrame({"year": [2023], "value_twh": [1.0]}))
    table_view.view_table(view, "en")
    alive = weakref.ref(view)
    del view
    gc.collect()
    assert alive() is None
    assert len(table_view._TABLES) == 1


def test_views_are_cached_by_chart_state_and_data_version(store):
    spec = charts.get("une-supply-demand")
    state = charts.narrow(spec, store, charts.parse_state(spec, store, {"start": "2025-01-01"}))
    view = charts.build(spec.id, store, state)
    equal = ChartState(countries=state.countries, start="2025-01-01", lang=state.lang)  # another object, same values
    assert equal == state and equal is not state
    assert charts.build(spec.id, store, equal) is view
    assert charts.build(spec.id, store, ChartState(start="2025-01-01", tab="table")) is view  # both tabs, one view
    assert charts.build(spec.id, store, ChartState(start="2025-02-01")) is not view
    assert (spec.id, state, store.version, False) in charts._BUILT  # (False: not pinned to a data version)


def test_layouts_are_cached_by_path_and_query_values():
    calls = []

    def body(state, extras, url):
        calls.append(state)
        return []

    pagekit._LAYOUTS.clear()
    first = pagekit.render("/blackouts", {"start": "2025-01-01", "lang": "es"}, body)
    again = pagekit.render("/blackouts", {"lang": "es", "start": "2025-01-01", "end": None}, body)  # same values
    assert again is first and len(calls) == 1
    assert pagekit.render("/blackouts", {"start": "2025-02-01", "lang": "es"}, body) is not first
    assert len(calls) == 2


SPANNED = [spec.id for spec in charts.all_charts() if spec.span is not None]


def _drawn(view: ChartView) -> tuple:
    """Everything a reader gets from a view: the figure, the words and the table."""
    return (view.figure.to_json(), view.summary, view.title, view.subtitle, view.as_of, view.frame.to_csv())


@pytest.mark.parametrize("chart_id", SPANNED)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_chart_with_a_span_draws_one_view_for_every_start_before_its_data(store, chart_id, lang):
    """charts.cache_state keeps a start before a chart's first period (an end after its last) under no start (no
    end): that is right only if the chart really draws the same view for them, which this checks, and that a start
    inside the data is still a view of its own."""
    spec = charts.get(chart_id)
    first, last = spec.span(store)
    built = {
        kind: spec.build(store, ChartState(start=start, end=end, lang=lang))
        for kind, (start, end) in {
            "none": (None, None),
            "early": ("1900", None),
            "first": (first, None),
            "late": (None, "2100"),
            "last": (None, last),
            "inside": (str(int(first[:4]) + 2), None),
        }.items()
    }
    assert _drawn(built["early"]) == _drawn(built["none"]) == _drawn(built["first"])
    assert _drawn(built["late"]) == _drawn(built["none"]) == _drawn(built["last"])
    assert _drawn(built["inside"]) != _drawn(built["none"])
    keyed = {
        k: charts.cache_state(spec, store, ChartState(start=s, lang=lang)) for k, s in (("e", "1900"), ("i", "2100"))
    }
    assert keyed["e"] == ChartState(lang=lang)
    assert keyed["i"].start == "2100"  # a start after the data is kept as asked (the chart says there is nothing)


def test_views_of_states_before_a_charts_data_are_built_once(store):
    spec = charts.get(SPANNED[0])
    charts._BUILT.clear()
    one = charts.build(spec.id, store, ChartState(start="1901"))
    two = charts.build(spec.id, store, ChartState(start="1902"))
    assert one is two
    assert charts.build(spec.id, store, ChartState(start="2023")) is not one

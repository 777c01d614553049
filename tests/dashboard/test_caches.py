"""The dashboard's in-process caches: one class (`memo.ByteLRU`, bounded in bytes and entries), and every key made of
values (chart, state, data version, path, query, a frame's contents), never of an object's identity, which Python
reuses once the object is gone."""

from __future__ import annotations

import gc
import weakref

import pandas as pd
import pytest

from dashboard import charts, components, memo, pagekit
from dashboard.chart_registry import ChartState, ChartView
from dashboard.data import DataStore


@pytest.fixture(scope="module")
def store() -> DataStore:
    return DataStore()


def _view(frame: pd.DataFrame, title: str = "Title") -> ChartView:
    return ChartView(None, frame, "summary", title, "subtitle", [], "2024")


def test_every_cache_of_the_dashboard_is_a_byte_lru():
    for cache in (charts._BUILT, pagekit._LAYOUTS, components._TABLES):
        assert isinstance(cache, memo.ByteLRU)
        assert cache in memo._ALL  # counted in the per-worker total
        assert cache.max_bytes > 0 and cache.max_entries > 0


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
    components._TABLES.clear()
    frame = pd.DataFrame({"year": [2023, 2024], "value_twh": [1.5, 2.5]})
    first = components.view_table(_view(frame), "en")
    assert components.view_table(_view(frame.copy()), "en") is first  # an equal view, another object: shared
    assert components.view_table(_view(frame), "es") is not first  # another language
    assert components.view_table(_view(frame, "Other title"), "en") is not first  # the title is the caption
    other = components.view_table(_view(frame.assign(value_twh=[1.5, 9.5])), "en")
    assert other != first and "9.5" in str(other)


def test_a_kept_table_does_not_keep_its_view_alive():
    """Keyed by values, an entry needs no reference to the view (an id-keyed entry had to hold it, or the id could
    be reused by another view and answer with the wrong table)."""
    components._TABLES.clear()
    view = _view(pd.DataFrame({"year": [2023], "value_twh": [1.0]}))
    components.view_table(view, "en")
    alive = weakref.ref(view)
    del view
    gc.collect()
    assert alive() is None
    assert len(components._TABLES) == 1


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

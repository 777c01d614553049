"""Dashboard logic without a browser: formats, translations, figures as data, every chart on the published data,
URL state parsing."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import charts, table_view
from dashboard.charts import BadParameter, ChartState
from dashboard.data import DataStore
from dashboard.figures.basic import make_bars, make_lines, with_claim
from dashboard.figures.common import Frame, for_screen
from dashboard.i18n import LANGS, STRINGS, fmt_date, fmt_num, t


def test_number_formats_follow_the_language():
    assert fmt_num(1234.5, "en", 1) == "1,234.5"
    assert fmt_num(1234.5, "es", 1) == "1.234,5"
    assert fmt_num(110000, "es") == "110.000"
    assert fmt_num(None, "en") == "–" and fmt_num(float("nan"), "es") == "–"


def test_dates_follow_the_language():
    assert fmt_date("2026-02-13", "en") == "13 February 2026"
    assert fmt_date("2026-02-13", "es") == "13 de febrero de 2026"
    assert fmt_date("2026-02", "es") == "febrero de 2026"


def test_every_interface_string_exists_in_both_languages():
    for key, texts in STRINGS.items():
        assert set(texts) == set(LANGS), key
        assert all(texts[lang].strip() for lang in LANGS), key
    assert t("claims_count", "es", n=3) == "3 afirmaciones mostradas"


FRAME = Frame("Title", "Subtitle (TWh)", "Source: Test · Data as of 2024", "en")


def test_lines_figure_has_one_trace_per_group_the_unit_and_the_source_inside():
    df = pd.DataFrame({"year": [2020, 2021, 2020, 2021], "v": [1.0, 2.0, 3.0, 4.0], "g": ["A", "A", "B", "B"]})
    fig = make_lines(df, "year", "v", "g", FRAME, "TWh", "no data").figure()
    assert [trace.name for trace in fig.data] == ["A", "B"]
    assert fig.layout.yaxis.title.text == "TWh"
    assert fig.layout.title.text == "Title" and fig.layout.title.subtitle.text.startswith("Subtitle (TWh)<br>")
    assert "Source: Test · Data as of 2024" in fig.layout.title.subtitle.text  # the header carries the source
    # Distinguishable without colour: different dashes.
    assert fig.data[0].line.dash != fig.data[1].line.dash


def test_empty_input_gives_a_figure_that_says_so():
    fig = make_lines(pd.DataFrame({"year": [], "v": [], "g": []}), "year", "v", "g", FRAME, "TWh", "Nothing here")
    fig = fig.figure()
    assert len(fig.data) == 0 and any(a.text == "Nothing here" for a in fig.layout.annotations)


def test_claim_line_and_band_are_labelled_in_words():
    bars = make_bars(pd.DataFrame({"c": ["x"], "v": [1.0]}), "c", "v", FRAME, "%", "no data")
    band = with_claim(bars, {"low": 80, "high": 95}, "Claim: 80–95%").figure()
    # the band is shaded, with dashed top and bottom edges only (a dashed side would run through the y ticks)
    edges = [s for s in band.layout.shapes if s.type == "line"]
    assert sorted((s.y0, s.y1) for s in edges) == [(80, 80), (95, 95)] and all(s.line.dash == "dash" for s in edges)
    assert [s.line.width for s in band.layout.shapes if s.type == "rect"] == [0]
    assert any(a.text == "Claim: 80–95%" for a in band.layout.annotations)
    line = with_claim(
        make_bars(pd.DataFrame({"c": ["x"], "v": [1.0]}), "c", "v", FRAME, "%", "no data"),
        {"value": 110000},
        "Claim: 110,000 bbl/d",
    ).figure()
    assert any(a.text == "Claim: 110,000 bbl/d" for a in line.layout.annotations)


def test_screen_version_drops_title_and_source_but_downloads_keep_them():
    fig = make_lines(
        pd.DataFrame({"year": [1, 2], "v": [1.0, 2.0], "g": ["A", "A"]}), "year", "v", "g", FRAME, "%", "-"
    ).figure()
    screen = for_screen(fig)
    assert "title" not in screen["layout"] and screen["layout"]["annotations"] == []
    assert "Source: Test" not in str(screen["layout"])
    assert fig.layout.title.text == "Title" and "Source: Test" in fig.layout.title.subtitle.text


@pytest.fixture(scope="module")
def store() -> DataStore:
    from dashboard import data

    s = DataStore()
    data.configure(s)
    return s


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_chart_builds_on_the_published_data(store, lang):
    built = 0
    for spec in charts.all_charts():
        state = charts.parse_state(spec, store, {"lang": lang})
        view = spec.build(store, state)
        assert len(view.figure.data) > 0, spec.id
        assert view.summary and view.title and view.sources, spec.id
        assert view.figure.layout.title.text, spec.id
        assert len(view.frame) > 0, spec.id
        built += 1
    assert built >= 15


def test_claim_charts_draw_the_claimed_value(store):
    from dashboard.chartdefs.claims import claims_doc, has_chart

    charted = [c for c in claims_doc(store)["claims"] if has_chart(c)]
    assert len(charted) >= 10
    for claim in charted:
        view = charts.build(f"claim-{claim['claim_id']}", store, ChartState())
        texts = [a.text or "" for a in view.figure.layout.annotations]
        assert any(("Claim" in x) or ("claim says" in x) for x in texts), claim["claim_id"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"country": "XXX"}, "unknown country"),
        ({"start": "last-year"}, "must be a year"),
        ({"start": "2024-02-30"}, "not a real date"),
        ({"start": "2025", "end": "2020"}, "start is after end"),
        ({"lang": "fr"}, "lang must be"),
        ({"tab": "map"}, "tab must be"),
        ({"colour": "red"}, "unknown parameter"),
        ({"country": "CUB~" * 60}, "too long"),
    ],
)
def test_bad_url_parameters_are_rejected_with_a_reason(store, params, message):
    with pytest.raises(BadParameter, match=message):
        charts.parse_state(charts.get("oil-share-of-electricity"), store, params)


def test_state_round_trips_through_the_url(store):
    spec = charts.get("oil-share-of-electricity")
    state = charts.parse_state(spec, store, {"country": "CUB~MEX", "start": "2000", "lang": "es", "tab": "table"})
    again = charts.parse_state(spec, store, state.query(spec))
    assert again == state
    assert (
        charts.share_path(spec, state)
        == "/generation?country=CUB~MEX&start=2000&tab=table&lang=es#oil-share-of-electricity"
    )


def test_long_tables_show_their_newest_rows_first_and_say_so():

    n = 1000
    assert table_view.MAX_TABLE_ROWS < n
    daily = pd.DataFrame({"date": pd.date_range("2022-01-01", periods=n), "value_mw": range(n)})
    shown, note = table_view.table_rows(daily, "es")
    assert len(shown) == table_view.MAX_TABLE_ROWS
    assert shown["date"].iloc[0] == daily["date"].max() and shown["date"].is_monotonic_decreasing
    assert note.startswith(f"las {table_view.MAX_TABLE_ROWS} filas más recientes de 1.000")
    plants = pd.DataFrame({"plant": [f"P{i}" for i in range(n)]})
    shown, note = table_view.table_rows(plants, "en")
    assert list(shown["plant"][:2]) == ["P0", "P1"] and note.startswith(f"first {table_view.MAX_TABLE_ROWS} of 1,000")
    years = pd.DataFrame({"year": [y for y in range(1900, 2000) for _ in (0, 1)], "code": ["CUB", "MEX"] * 100})
    shown, _ = table_view.table_rows(years, "en")  # years repeat: newest first, countries in their order
    assert list(shown["year"][:4]) == [1999, 1999, 1998, 1998] and list(shown["code"][:2]) == ["CUB", "MEX"]
    shown, note = table_view.table_rows(daily.head(3), "en")
    assert len(shown) == 3 and note == ""


def test_the_chart_and_table_tabs_share_one_built_view(store):
    spec = charts.get("une-share-dark")
    as_chart = charts.parse_state(spec, store, {"start": "2024-03-01"})
    as_table = charts.parse_state(spec, store, {"start": "2024-03-01", "tab": "table"})
    assert as_chart != as_table
    assert charts.build(spec.id, store, as_table) is charts.build(spec.id, store, as_chart)
    other = charts.parse_state(spec, store, {"start": "2024-04-01", "tab": "table"})
    assert charts.build(spec.id, store, other) is not charts.build(spec.id, store, as_chart)


def test_the_served_app_builds_every_chart_then_freezes_what_it_keeps():
    """The WSGI module (and `python -m dashboard`) warm the caches and move long-lived objects out of the garbage
    collector's full walks (dashboard/app.py: warm_up); run in a child process, since gc.freeze is process-wide."""
    import os
    import subprocess
    import sys

    code = (
        "import gc, dashboard.wsgi\n"
        "from dashboard import charts\n"
        "from dashboard.data import store\n"
        "s = store()\n"
        "cached = all(charts.narrow(spec, s, charts.parse_state(spec, s, {})) == key[1]\n"
        "    for spec in charts.all_charts() for key in charts._BUILT if key[0] == spec.id)\n"
        "built = {key[0] for key in charts._BUILT}\n"
        "print(gc.get_freeze_count() > 10000, built == {spec.id for spec in charts.all_charts()}, cached)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "CUBA_WARM_IMAGES": "0", "CUBA_SITE_URL": "https://energy.example.org"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert out.stdout.split() == ["True", "True", "True"]


def test_tables_are_kept_for_the_last_few_views_only(store):
    from dashboard import table_view

    spec = charts.get("une-share-dark")
    views = [
        spec.build(
            store,
            charts.narrow(
                spec, store, charts.parse_state(spec, store, {"start": f"{2023 + m // 12}-{m % 12 + 1:02d}-01"})
            ),
        )
        for m in range(13)
    ]
    tables = [table_view.view_table(view, lang) for view in views for lang in ("en", "es")]
    assert len(table_view._TABLES) == table_view._TABLES_MAX  # 26 made, the two oldest let go
    assert table_view.view_table(views[-1], "es") is tables[-1]  # a recent one is reused
    assert table_view.view_table(views[0], "en") is not tables[0]  # an old one is made again, the same
    assert table_view.view_table(views[0], "en") == tables[0]


def test_a_process_with_no_good_data_starts_and_answers_503_instead_of_exiting(tmp_path):
    """No good data version anywhere (data/ refused, no last good copy): the WSGI module still loads (warm-up is
    skipped with a reason), so the server starts and every data route says 503 with the reason."""
    import os
    import subprocess
    import sys

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "datapackage.json").write_text("{ truncated", encoding="utf-8")
    code = (
        "import dashboard.wsgi as w\n"
        "client = w.server.test_client()\n"
        "print(client.get('/healthz').status_code, client.get('/download/une-supply-demand.csv').status_code)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **os.environ,
            "CUBA_WARM_IMAGES": "0",
            "CUBA_SITE_URL": "https://energy.example.org",
            "CUBA_DATA_DIR": str(tmp_path / "data"),
            "CUBA_CACHE_DIR": str(tmp_path / "cache"),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["503", "503"], out.stdout
    assert "warm-up skipped: no data version can serve" in out.stderr


def test_every_chart_table_names_its_columns_in_words_in_both_languages():
    """The Table view is read, not parsed: 'Barrels a day (bbl/d)', not `value_bbl_per_day`, and Spanish in Spanish
    (graphics review, 7 December 2026). The CSV download keeps the published names."""
    from dashboard.chart_registry import REGISTRY
    from dashboard.chartdefs import claims as claimdefs

    store = DataStore()
    frames = [charts.get(c).build(store, charts.ChartState(lang="en")).frame for c in REGISTRY if c != "explore"]
    claims = [c for c in claimdefs.claims_doc(store)["claims"] if claimdefs.has_chart(c)]
    frames += [claimdefs.build_claim_view(store, c, "en").frame for c in claims[:5]]
    missing = {c for f in frames for c in f.columns if f"table.col.{c}" not in STRINGS}
    assert not missing, sorted(missing)
    shown = table_view.data_table(frames[0], "es", "caption")
    header = [th["props"]["children"] for th in shown["props"]["children"][1]["props"]["children"]["props"]["children"]]
    assert header == [table_view.column_header(c, "es") for c in frames[0].columns]
    assert not set(header) & set(frames[0].columns)  # no published name left as a Spanish header


def test_a_wrapped_header_never_opens_a_line_with_its_separator():
    from dashboard.figures.common import wrap

    lines = wrap("Claim: a quote about oil · %, 2003–2026 · Dashed line: the claim", 24).split("<br>")
    assert not any(line.startswith("·") for line in lines) and " ".join(lines).count("·") == 2


def test_a_chart_with_a_phone_note_keeps_a_line_for_it_above_the_plot_on_the_page():
    """At 16 px the top of "Últimos 3 años" was cut on a phone (graphics review, 7 December 2026)."""
    from dashboard.figures.common import for_screen
    from dashboard.figures.phone import PHONE_NOTE_ROOM_PX

    store = DataStore()
    noted = for_screen(charts.get("oil-imports-monthly").build(store, ChartState(lang="es")).figure)
    plain = for_screen(charts.get("oil-imports-share").build(store, ChartState(lang="es")).figure)
    assert noted["layout"]["margin"]["t"] == PHONE_NOTE_ROOM_PX and plain["layout"]["margin"]["t"] == 16


def test_a_table_says_when_a_unit_has_no_number_and_keeps_periods_whole():
    words = table_view.cell_words("units_breakdown")
    shown = words("Máximo Gómez (Mariel)#6; Otto Parellada (Tallapiedra)#", "es")
    assert shown == "Máximo Gómez (Mariel)#6; Otto Parellada (Tallapiedra) (unidad sin número)"
    for period in ("2026-02", "2023-06-01/2023-06-30", "2025-01-01/2025-10-31 / 2026-01-30"):
        assert table_view.ISO_DATE.fullmatch(period), period
    assert not table_view.ISO_DATE.fullmatch("2023/2024")  # a year pair is not a date

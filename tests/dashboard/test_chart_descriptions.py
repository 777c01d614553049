"""Text alternatives that describe (issue 19, item 2): every chart's generated description (`dashboard/describe.py`)
names its period, a latest value that is in the view's own data and its source, in English and in real Spanish; it is
the alt of every chart image, the accessible name or description of every embed, the <title>/<desc> of the SVGs and
the "Chart description" under each chart card on the page (checked over a real local server and in Chromium)."""

from __future__ import annotations

import html
import re
import urllib.request

import pandas as pd
import pytest

from dashboard import charts
from dashboard.chartdefs.claims import claims_doc, has_chart
from dashboard.data import DataStore
from dashboard.describe import describe
from dashboard.i18n import source_text

STORE = DataStore()
LANGS = ("en", "es")
CHART_IDS = [spec.id for spec in charts.all_charts()]
CLAIM_CHARTS = [f"claim-{c['claim_id']}" for c in claims_doc(STORE)["claims"] if has_chart(c)]
LATEST = {"en": "latest", "es": "último dato"}
LIST_WORDS = re.compile(r"[0-9]+ (items|elementos)")
YEAR = re.compile(r"\A(?:19|20)[0-9]{2}\Z")
ENGLISH_WORDS = re.compile(r"\b(latest|highest|lowest|rose|fell|from|Source|items|largest|as of)\b")


def view_of(chart_id: str, lang: str, **params: str) -> charts.ChartView:
    spec = charts.get(chart_id)
    return charts.build(chart_id, STORE, charts.parse_state(spec, STORE, {"lang": lang, **params}))


def number_of(text: str, lang: str) -> float:
    """'1,710' / '1.710' / '82,3' back to a float, as fmt_num wrote it."""
    thousands, decimal = (".", ",") if lang == "es" else (",", ".")
    return float(text.replace(thousands, "").replace(decimal, ".").replace("−", "-"))


def decimals_of(text: str, lang: str) -> int:
    decimal = "," if lang == "es" else "."
    return len(text.split(decimal)[1]) if decimal in text else 0


def frame_numbers(view: charts.ChartView) -> pd.Series:
    """Every number of the view's own table (the rows the chart, its table view and its CSV show)."""
    frame = view.frame
    numeric = [pd.to_numeric(frame[c], errors="coerce") for c in frame.columns if c not in ("year", "month", "date")]
    return pd.concat(numeric, ignore_index=True).dropna() if numeric else pd.Series(dtype=float)


def frame_years(view: charts.ChartView) -> set[str]:
    """The years the view's table covers, whatever its time columns are."""
    text = " ".join(str(v) for c in view.frame.columns for v in view.frame[c].tolist() if c not in ("url",))
    return set(re.findall(r"\b(?:19|20)[0-9]{2}\b", text))


# -- the description itself ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chart_id", CHART_IDS + CLAIM_CHARTS)
def test_description_names_period_latest_value_and_source(chart_id, lang):
    view = view_of(chart_id, lang)
    text = describe(view, lang)
    # A short paragraph, not the table read aloud (about 60 words before the sources' names; Spanish runs longer).
    assert text and len(text.split()) <= 100, text
    assert not re.search(r"<[a-z/]", text) and "nan" not in text.lower().split() and "NaT" not in text
    # The source: the view's first publisher, as the card and the image name it.
    first = view.sources[0]
    assert source_text(first.publisher or first.title, lang) in text
    # The period: years of the drawn data are named (a chart without time names its "as of").
    years = set(re.findall(r"\b(?:19|20)[0-9]{2}\b", text))
    as_of_years = set(re.findall(r"\b(?:19|20)[0-9]{2}\b", str(view.as_of)))
    assert years & (frame_years(view) | as_of_years) or LIST_WORDS.search(text), text
    # The latest value, with its date, is a number of the view's own data at the precision written.
    latest = re.search(rf"(-?[0-9][0-9.,]*)(?:%|(?: [^\s()0-9;,.]+){{1,3}}) \({LATEST[lang]}, ([^)]+)\)", text)
    if latest:
        written = latest.group(1)
        value = number_of(written, lang)
        tolerance = 0.5 * 10 ** -decimals_of(written, lang) + 1e-9
        assert ((frame_numbers(view) - value).abs() <= tolerance).any(), (written, text)
        assert re.search(r"(?:19|20)[0-9]{2}", latest.group(2)), latest.group(2)
    else:  # a ranking (plants, countries), a list of names, or several figures for one period: numbers of the data
        written = [w for w in re.findall(r"(?<![0-9])[0-9][0-9.,]*[0-9]|(?<![0-9])[0-9]", text) if not YEAR.match(w)]
        drawn = frame_numbers(view)
        found = [w for w in written if ((drawn - number_of(w, lang)).abs() <= 0.5).any()]
        assert found or LIST_WORDS.search(text), text


@pytest.mark.parametrize("chart_id", CHART_IDS + CLAIM_CHARTS)
def test_spanish_description_is_spanish(chart_id):
    es = describe(view_of(chart_id, "es"), "es")
    en = describe(view_of(chart_id, "en"), "en")
    assert es != en
    assert not ENGLISH_WORDS.search(es.replace("Our World in Data", "")), es  # no English connecting words
    # Numbers as the app formats them in Spanish: decimal comma, thousands with a point.
    assert not re.search(r"\b[0-9]{1,3},[0-9]{3}\b", es), es
    assert " de " in es


def test_description_follows_the_view_and_says_direction_and_extremes():
    """A narrower period is described as drawn; direction and the highest and lowest values come from the drawn rows."""
    view = view_of("explore", "en", start="2010", end="2020")
    text = describe(view, "en")
    assert "2010 to 2020" in text
    rows = view.frame.reset_index(drop=True)
    values, years = rows["oil_share_of_electricity_pct"], rows["year"]
    first, last = values.iloc[0], values.iloc[-1]
    assert ("rose" if last > first else "fell") + f" from {first:.1f}% to {last:.1f}% (latest, 2020)" in text
    for word, at in (("highest", values.idxmax()), ("lowest", values.idxmin())):
        if at not in (0, len(values) - 1):
            assert f"{word} {values[at]:.1f}% ({years[at]})" in text, text
    assert describe(view, "en") is describe(view, "en")  # cached with the view


def test_description_never_calls_a_partial_figure_the_highest_nor_strings_publishers_into_a_trend():
    """Fact-check of 6 December 2026: "highest 173,000 bbl/d (February 2020)" was an average over 1-14 February;
    the oil balance "fell" across six publishers' one-off estimates; the forecast miss "fell" between two noisy days."""
    monthly = view_of("oil-imports-monthly", "en")
    text = describe(monthly, "en")
    frame = monthly.frame[monthly.frame["supplier"] == "Venezuela"]
    partial = frame["figure_kind"].isin(["part of the month", "cargoes reported (at least)"]) | frame["lower_bound"]
    whole_top = frame.loc[~partial, "value_bbl_per_day"].max()
    assert frame["value_bbl_per_day"].max() > whole_top  # a partial figure is the largest drawn
    assert f"highest of the whole-month figures {whole_top:,.0f} bbl/d" in text
    assert "partial figure" in text  # February 2026 covers 1-16 February
    balance = describe(view_of("oil-balance", "en"), "en")
    assert "estimates by" in balance and " fell " not in balance and " rose " not in balance
    assert "fuentes" in describe(view_of("oil-balance", "es"), "es")
    miss = describe(view_of("une-forecast-error", "en"), "en")
    assert " fell " not in miss and " rose " not in miss and "highest daily value" in miss


def test_claim_chart_description_says_how_the_claim_is_drawn():
    for lang, drawn in (("en", "The claim is drawn as a shaded band: 80–95%"), ("es", "banda sombreada: 80–95")):
        text = describe(view_of("claim-electricity-oil-share-80-95", lang), lang)
        assert drawn in text, text
        assert ("Oil share of generation" if lang == "en" else "petróleo") in text


def test_description_of_a_view_without_data_still_names_chart_and_source():
    view = view_of("une-units-out", "en", start="1990", end="1991")
    text = describe(view, "en")
    assert view.title.rstrip(".") in text and "Source" in text


# -- where the description goes -------------------------------------------------------------------------------------
def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        assert response.status == 200
        return response.read().decode("utf-8")


def attribute_values(page: str, pattern: str) -> list[str]:
    return [html.unescape(v) for v in re.findall(pattern, page)]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chart_id", CHART_IDS + CLAIM_CHARTS[:2])
def test_embed_html_carries_the_description(live_server, chart_id, lang):
    text = describe(view_of(chart_id, lang), lang)
    page = fetch(f"{live_server}/embed/{chart_id}?lang={lang}")
    # The noscript image's alt, the chart's accessible description, the link preview's image alt.
    assert text in attribute_values(page, r'<noscript><img [^>]*alt="([^"]*)"')
    assert 'role="group" aria-labelledby="t" aria-describedby="d"' in page
    assert html.unescape(re.search(r'<p id="d" class="summary">([^<]*)</p>', page).group(1)) == text
    assert text in attribute_values(page, r'<meta property="og:image:alt" content="([^"]*)"')
    # Without controls the chart is an image named by the description; a static embed's <img> has it as alt.
    bare = fetch(f"{live_server}/embed/{chart_id}?lang={lang}&controls=off")
    assert re.search(r'<div id="chart" class="chart" role="img" aria-labelledby="d"[ >]', bare)
    static = fetch(f"{live_server}/embed/{chart_id}?lang={lang}&static=1")
    assert text in attribute_values(static, r'<picture[^>]*>.*?<img [^>]*alt="([^"]*)"')


@pytest.mark.parametrize("lang", LANGS)
def test_embed_code_noscript_image_has_the_description(live_server, lang):
    from dashboard.chart_card import embed_code

    spec = charts.get("une-units-out")
    state = charts.parse_state(spec, STORE, {"lang": lang})
    view = charts.build(spec.id, STORE, state)
    code = embed_code(spec, view, state, live_server)
    assert describe(view, lang) in attribute_values(code, r'<noscript><img [^>]*alt="([^"]*)"')
    # The page's own copy of the code (the card's textarea) is the same string, served to every reader.
    assert 'title="' + html.escape(view.title, quote=True) + '"' in code


# -- in the browser ---------------------------------------------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_page_cards_show_the_description_and_use_it_for_the_chart(browser, live_server, lang):
    """On /generation, every card has a "Chart description" whose text is the view's description, and the drawn
    chart points at it (aria-describedby); on /blackouts it follows the period chosen with the date controls."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{live_server}/generation?lang={lang}", wait_until="networkidle")
        page.wait_for_selector("main h1", timeout=20000)
        cards = [s.id for s in charts.all_charts() if s.page == "/generation"]
        for chart_id in cards:
            expected = describe(view_of(chart_id, lang), lang)
            box = page.locator(f"#{chart_id}-description")
            assert box.text_content() == expected, chart_id
            summary = page.locator(f"#{chart_id} details.chart-description > summary")
            assert summary.text_content() == ("Chart description" if lang == "en" else "Descripción del gráfico")
            wrap = page.locator(f"#{chart_id} [role=img][aria-describedby]").first
            assert wrap.get_attribute("aria-describedby") == f"{chart_id}-description"
        page.goto(f"{live_server}/blackouts?lang={lang}", wait_until="networkidle")
        page.wait_for_selector("main h1", timeout=20000)
        before = page.locator("#une-units-out-description").text_content()
        assert before == describe(view_of("une-units-out", lang), lang)
        start = page.locator("#control-start")
        start.fill("2025-02-10")
        start.press("Enter")
        after = describe(view_of("une-units-out", lang, start="2025-02-10"), lang)
        assert after != before
        page.wait_for_function(
            "([sel, text]) => document.querySelector(sel).textContent === text",
            arg=["#une-units-out-description", after],
            timeout=20000,
        )
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_embed_accessible_name_is_the_description(browser, live_server, lang):
    """In Chromium's accessibility tree: an embed without controls is an image named by its description; with
    controls, a group named by its title and described by the description."""
    chart_id = "une-supply-demand"
    view = view_of(chart_id, lang)
    text = describe(view, lang)
    page = browser.new_page(viewport={"width": 800, "height": 700})
    try:
        page.goto(f"{live_server}/embed/{chart_id}?lang={lang}&controls=off", wait_until="networkidle")
        chart = page.get_by_role("img", name=text, exact=True)
        assert chart.count() == 1
        snapshot = chart.aria_snapshot().splitlines()[0]  # YAML: quoted when the name holds a colon
        assert snapshot.startswith(("- img", "- 'img")) and text.split(":")[0].replace("'", "''") in snapshot
        page.goto(f"{live_server}/embed/{chart_id}?lang={lang}", wait_until="networkidle")
        group = page.get_by_role("group", name=view.title, exact=True)
        assert group.count() == 1
        described = page.evaluate(
            "() => document.getElementById(document.getElementById('chart').getAttribute('aria-describedby'))"
            ".textContent"
        )
        assert described == text
    finally:
        page.close()


@pytest.mark.browser
def test_svg_images_carry_title_and_description(live_server):
    """The embed SVG and the SVG download hold the title and the description as their <title> and <desc>."""
    from tests.conftest import chromium_or_skip

    chromium_or_skip()
    view = view_of("une-units-out", "es")
    text = describe(view, "es")
    for url in ("/embed/une-units-out.svg?lang=es", "/download/une-units-out.svg?lang=es"):
        svg = fetch(f"{live_server}{url}")
        head = svg[: svg.index("<title")]
        assert 'role="img"' in head and 'aria-describedby="chart-desc"' in head
        assert html.unescape(re.search(r'<desc id="chart-desc">([^<]*)</desc>', svg).group(1)) == text
        assert html.unescape(re.search(r'<title id="chart-title">([^<]*)</title>', svg).group(1)) == view.title


def png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk, each CRC checked, as a PNG decoder reads them."""
    import zlib

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, at = [], 8
    while at < len(png):
        length = int.from_bytes(png[at : at + 4], "big")
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        assert int.from_bytes(png[at + 8 + length : at + 12 + length], "big") == zlib.crc32(kind + data), kind
        chunks.append((kind, data))
        at += 12 + length
    return chunks


@pytest.mark.browser
def test_png_downloads_carry_title_and_description_as_text_chunks(live_server):
    """A PNG that travels without its page (saved, pasted into a CMS's media library) still says what it shows: its
    iTXt "Title" and "Description" chunks hold the chart's title and generated description, in the page's language,
    and the image itself is still a valid PNG (every chunk's CRC right, IHDR first, IEND last)."""
    from tests.conftest import chromium_or_skip

    chromium_or_skip()
    view = view_of("une-units-out", "es")
    with urllib.request.urlopen(f"{live_server}/download/une-units-out.png?lang=es", timeout=120) as response:
        assert response.status == 200
        chunks = png_chunks(response.read())
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    texts = {}
    for kind, data in chunks:
        if kind == b"iTXt":
            keyword, rest = data.split(b"\x00", 1)
            assert rest[:2] == b"\x00\x00"  # not compressed
            _lang, _translated, text = rest[2:].split(b"\x00", 2)
            texts[keyword.decode("latin-1")] = text.decode("utf-8")
    assert texts["Title"] == view.title and texts["Description"] == describe(view, "es")
    assert texts["Source"].endswith("/blackouts?lang=es#une-units-out") and texts["Copyright"].startswith("CC BY 4.0")

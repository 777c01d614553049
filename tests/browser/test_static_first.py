"""Static first, interactive after (issue 18; dashboard/static_first.py, dashboard/static/static-first.js).

Every page's HTML carries its first screen (headings, figures, the first chart as an image of the figure with its
title, summary and source) before any script runs; Dash and plotly.js load after the page and replace the static
page in place (the chart's box does not move, no static copy remains, the controls keep working); the light mode
(`?light=1`, `Save-Data: on`) loads no script and no plotly.js; and every page is readable with scripts disabled."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard import render

CLAIM = "electricity-oil-share-80-95"  # a claim with an evidence chart
PAGES = ["/", "/blackouts", "/oil", "/generation", "/explore", "/data", "/methodology", f"/claims/{CLAIM}"]
CHART_PAGES = {"/blackouts": "une-supply-demand", "/generation": "generation-by-source", "/explore": "explore"}


class Markup(HTMLParser):
    """Elements with their attributes, and the text, of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self.scripts.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(text: str) -> Markup:
    markup = Markup()
    markup.feed(text)
    return markup


def static_part(text: str) -> str:
    start = text.index('<div id="sf-static"')
    end = text.index('<div id="react-entry-point"')
    return text[start:end]


def executable_scripts(markup: Markup) -> list[str]:
    """Scripts a browser runs as the page is parsed (src or inline), not the ones waiting for static-first.js."""
    return [
        s.get("src") or "inline"
        for s in markup.scripts
        if s.get("type") in (None, "text/javascript", "application/javascript", "module")
    ]


# -- the HTML ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", PAGES)
def test_sf001_every_page_carries_its_first_screen_before_any_script(client, path):
    response = client.get(path)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    static = static_part(text)
    markup = parse(static)
    assert any(tag == "h1" for tag, _ in markup.elements), path
    assert any(tag == "nav" for tag, _ in markup.elements) and 'id="main"' in static
    # Dash's scripts wait for the page: only static-first.js (deferred) and Dash's inline definitions run as parsed
    page = parse(text)
    runs = executable_scripts(page)
    assert [s for s in runs if s != "inline"] == [s.get("src") for s in page.scripts if "defer" in s]
    assert any("static-first.js" in s for s in runs)
    assert re.search(r'data-sf-src="[^"]*dash_renderer[^"]*"', text)
    assert 'id="react-entry-point" class="sf-pending"' in text
    assert 'rel="preload"' not in text  # nothing competes with the first screen


@pytest.mark.parametrize("path", list(CHART_PAGES))
def test_sf002_the_first_chart_is_an_image_with_its_title_summary_and_source(client, path):
    from dashboard import charts
    from dashboard.data import store

    chart = CHART_PAGES[path]
    static = static_part(client.get(path).get_data(as_text=True))
    spec = charts.get(chart)
    view = charts.build(chart, store(), charts.narrow(spec, store(), charts.parse_state(spec, store(), {})))
    start = re.search(rf'<section[^>]* id="{chart}"', static).start()
    section = static[start : static.index("</section>", start)]
    markup = parse(section)
    images = [a for tag, a in markup.elements if tag == "img"]
    assert images and images[0]["class"] == "sf-img" and images[0].get("fetchpriority") == "high"
    assert images[0]["alt"] and len(images[0]["alt"]) > 20  # the chart described in words
    sources = [a for tag, a in markup.elements if tag == "source"]
    assert [s["media"] for s in sources] == ["(max-width: 575.98px)", "(max-width: 991.98px)"]
    text = " ".join(markup.text)
    import html

    assert html.unescape(view.title) in text and html.unescape(view.summary) in text
    assert "as-of" in section  # the chart's source line and "as of"
    assert 'href="/download/' in section  # CSV, PNG, SVG downloads
    # the first chart is the only image the page asks for: the others wait in <noscript>
    eager = re.findall(r'<img class="sf-img"[^>]*fetchpriority="high"', static)
    assert len(eager) == 1
    outside = re.sub(r"<noscript>.*?</noscript>", "", static, flags=re.DOTALL)
    assert outside.count('<img class="sf-img"') == 1


@pytest.mark.parametrize("path", PAGES)
def test_sf003_the_static_page_repeats_no_id(client, path):
    text = client.get(path).get_data(as_text=True)
    ids = [a["id"] for _, a in parse(text).elements if a.get("id")]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    assert repeated == []


def test_sf004_the_first_chart_image_is_drawn_and_cached_for_a_year(client):
    if render.browser_missing():
        pytest.skip("no Chromium to render images with")
    static = static_part(client.get("/blackouts?lang=es").get_data(as_text=True))
    src = re.search(r'<img class="sf-img" src="([^"]+)"', static).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(src).query)["lang"] == ["es"]
    response = client.get(src)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.get_data().lstrip().startswith(b"<svg")
    assert "immutable" in response.headers["Cache-Control"]  # its address names the data version
    stale = client.get(re.sub(r"v=[0-9a-f]{12}", "v=000000000000", src))
    assert stale.status_code == 200 and "immutable" not in stale.headers["Cache-Control"]
    for bad in ("size=xl", "variant=x", "v=zz"):
        assert client.get(f"/screen/une-supply-demand.svg?{bad}").status_code == 400
    assert client.get("/screen/no-such-chart.svg").status_code == 404


# -- light mode, forms ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", PAGES)
def test_sf005_light_mode_has_no_script_and_every_chart_is_an_image(client, path):
    for response in (client.get(f"{path}?light=1"), client.get(path, headers={"Save-Data": "on"})):
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        markup = parse(text)
        assert markup.scripts == [] or all(s.get("type") == "application/ld+json" for s in markup.scripts)
        assert "plotly" not in text and "_dash-component-suites" not in text
        assert "Save-Data" in response.headers.get("Vary", "")
        # every chart an image (lazy but the first), none waiting in <noscript>
        assert text.count("dash-graph chart-graph sf-graph") == text.count('<img class="sf-img"')
        assert "<noscript><picture" not in text
        links = [a for tag, a in markup.elements if tag == "a"]
        switch = [a for a in links if a.get("id") == "light-switch"]
        assert switch and "light=0" in switch[0]["href"]  # the way back to the full page
        nav = [a["href"] for a in links if "nav-link" in (a.get("class") or "")]
        assert len(nav) == 7 and all("light=1" in href for href in nav)  # pages keep the light mode


def test_sf006_light_mode_answers_and_refuses_like_the_page(client):
    assert client.get("/oil?light=2").status_code == 400
    assert client.get("/no-such-page?light=1").status_code == 404
    assert client.get("/claims/no-such-claim?light=1").status_code == 404
    assert client.get("/blackouts?light=1&start=banana").status_code == 400
    full = client.get("/oil?light=0", headers={"Save-Data": "on"})  # asked for the full page despite Save-Data
    assert full.status_code == 200 and "static-first.js" in full.get_data(as_text=True)
    plain = client.get("/oil")
    assert "Save-Data" in plain.headers.get("Vary", "")  # a cache keeps the two variants apart


def test_sf007_light_embeds_load_no_plotly(client):
    for response in (
        client.get("/embed/une-supply-demand?light=1"),
        client.get("/embed/une-supply-demand", headers={"Save-Data": "on"}),
    ):
        text = response.get_data(as_text=True)
        assert response.status_code == 200 and "plotly" not in text and "<picture" in text and "<script" not in text
        assert "light=0" in text  # a link to the interactive chart
    interactive = client.get("/embed/une-supply-demand").get_data(as_text=True)
    assert 'data-plotly="/static/v/' in interactive and 'class="sf-placeholder"' in interactive
    assert not re.search(r'<script src="[^"]*plotly', interactive)  # loaded after the page, not with it


def test_sf008_the_static_controls_form_gives_the_pages_own_address(client):
    response = client.get("/generation?sf=1&country=CUB&country=MEX&start=&end=2020&tab=chart&light=1")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/generation?country=CUB~MEX&end=2020&light=1")
    static = static_part(client.get("/blackouts?lang=es").get_data(as_text=True))
    form = re.search(r'<form class="controls"[^>]*>', static).group(0)
    assert 'method="get"' in form and 'action="/blackouts"' in form
    assert 'name="sf" value="1"' in static and 'name="lang" value="es"' in static
    assert 'name="start"' in static and 'name="tab"' in static
    assert client.get("/generation?country=CUB&country=MEX").status_code == 400  # still: a repeated parameter
    # no year chosen reads as what it means (the select showed "…" as if it were a value)
    for lang, first, last in (("en", "Earliest", "Latest"), ("es", "Desde el inicio", "Hasta el final")):
        static = static_part(client.get(f"/oil?lang={lang}").get_data(as_text=True))
        start = re.search(r'<select[^>]*name="start"[^>]*>(.*?)</select>', static).group(1)
        end = re.search(r'<select[^>]*name="end"[^>]*>(.*?)</select>', static).group(1)
        assert f'<option value="" selected>{first}</option>' in start and "…" not in start
        assert f'<option value="" selected>{last}</option>' in end and "…" not in end


def test_sf009_bootstrap_is_served_cut_to_the_classes_the_code_uses():
    """assets/00-bootstrap.min.css is Bootstrap cut to the rules whose classes occur in the site's code: rebuilt by
    scripts/bootstrap_subset.py whenever a class is added (this fails until it is)."""
    import sys

    from tests.conftest import REPO

    sys.path.insert(0, str(REPO / "scripts"))
    import bootstrap_subset

    assert bootstrap_subset.SUBSET.read_text(encoding="utf-8") == bootstrap_subset.build(), (
        "run python scripts/bootstrap_subset.py"
    )
    full = bootstrap_subset.bootstrap_classes(bootstrap_subset.FULL.read_text(encoding="utf-8"))
    served = bootstrap_subset.bootstrap_classes(bootstrap_subset.SUBSET.read_text(encoding="utf-8"))
    for used in (
        "container",
        "btn",
        "btn-sm",
        "nav-pills",
        "form-control",
        "table-striped",
        "visually-hidden-focusable",
    ):
        assert used in full and used in served
    assert bootstrap_subset.SUBSET.stat().st_size < 40_000


@pytest.mark.parametrize("encoding", ["br", "gzip", "zstd", "gzip, deflate, br, zstd"])
def test_sf010_a_repeat_visit_revalidates_the_page_for_a_304(client, encoding):
    for path in ("/blackouts", "/?light=1", f"/claims/{CLAIM}"):
        first = client.get(path, headers={"Accept-Encoding": encoding})
        chosen = first.headers["Content-Encoding"]
        assert first.headers["Cache-Control"] == "no-cache" and first.headers["ETag"].endswith(f':{chosen}"')
        again = client.get(path, headers={"Accept-Encoding": encoding, "If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.get_data() == b""
        # the same tag from the app's answer cache and from a new build (Dash's per-load token left out)
        assert client.get(path, headers={"Accept-Encoding": encoding}).headers["ETag"] == first.headers["ETag"]


# -- in the browser ------------------------------------------------------------------------------------------------------
FIRST_BOX = """(chart) => {
    const el = document.getElementById('{"chart":"' + chart + '","type":"chart-graph-wrap"}');
    const r = el.getBoundingClientRect();
    return {top: r.top + scrollY, left: r.left, width: r.width, height: r.height};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_sf101_the_interactive_chart_takes_the_static_ones_place_without_a_jump(browser, live_server, width):
    page = browser.new_page(viewport={"width": width, "height": 812})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    held: list = []
    page.route("**/dash_renderer*", lambda route: held.append(route))  # Dash waits until the static page is measured
    # (not "load": Dash's scripts, once inserted, hold the load event, and the renderer is held here)
    page.goto(f"{live_server}/blackouts", wait_until="domcontentloaded")
    page.wait_for_function("() => document.querySelector('#sf-static .sf-img').complete", timeout=30000)
    assert page.evaluate("() => document.querySelector('#sf-static .sf-img').naturalWidth") > 0
    before = page.evaluate(FIRST_BOX, "une-supply-demand")
    assert before["top"] < 812  # on the first screen, phone included
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    for route in held:
        route.continue_()
    page.unroute("**/dash_renderer*")
    page.wait_for_function("() => !document.getElementById('sf-static')", timeout=30000)
    page.wait_for_selector("#une-supply-demand .js-plotly-plot .main-svg", timeout=20000)
    after = page.evaluate(FIRST_BOX, "une-supply-demand")
    for key in ("top", "left", "width", "height"):
        assert abs(after[key] - before[key]) <= 3, (key, before, after)
    # one chart, drawn by plotly; no static copy left
    assert page.locator('[id=\'{"chart":"une-supply-demand","type":"chart-graph"}\']').count() == 1
    assert page.locator(".sf-graph, .sf-picture, #sf-static").count() == 0
    assert page.evaluate("() => document.getElementById('react-entry-point').classList.contains('sf-pending')") is False
    # the controls work after the swap: the table view, written into the address
    page.locator("#control-tab label", has_text="Table").first.click()
    page.wait_for_function("() => location.search.includes('tab=table')")
    page.wait_for_selector('[id=\'{"chart":"une-supply-demand","type":"chart-table"}\'] table', timeout=20000)
    assert errors == []
    page.close()


@pytest.mark.browser
def test_sf102_url_state_and_filters_work_after_the_swap(browser, live_server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server}/blackouts?start=2025-01-01", wait_until="load")
    page.wait_for_function("() => !document.getElementById('sf-static')", timeout=30000)
    assert page.locator("#control-start").input_value() == "2025-01-01"
    page.locator("#control-start").fill("2025-06-01")
    page.locator("#control-start").press("Enter")
    page.wait_for_function("() => location.search.includes('start=2025-06-01')", timeout=20000)
    home = browser.new_page(viewport={"width": 1280, "height": 900})
    home.goto(f"{live_server}/?label=partly", wait_until="load")
    home.wait_for_function("() => !document.getElementById('sf-static')", timeout=30000)
    shown = home.evaluate(
        "() => [...document.querySelectorAll('#claim-cards > article')].filter(a => !a.hidden).length"
    )
    assert shown > 0
    assert all(
        label == "partly"
        for label in home.evaluate(
            "() => [...document.querySelectorAll('#claim-cards > article')].filter(a => !a.hidden)"
            ".map(a => a.dataset.label)"
        )
    )
    page.close()
    home.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_sf103_every_page_is_readable_without_javascript(browser, live_server, path):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(f"{live_server}{path}", wait_until="load")
    assert page.locator("main h1").first.is_visible()
    assert page.locator("#react-entry-point").is_hidden()  # Dash's "Loading..." never shows
    if path in CHART_PAGES:
        chart = CHART_PAGES[path]
        image = page.locator(f"#{chart} img.sf-img")
        image.scroll_into_view_if_needed()
        page.wait_for_function(
            "(c) => { const i = document.querySelector('#' + c + ' img.sf-img'); return i && i.complete; }", arg=chart
        )
        assert image.evaluate("(i) => i.naturalWidth") > 0
        assert page.locator(f"#{chart} .summary").is_visible()
        assert page.locator(f"#{chart} a[href^='/download/'][href*='.csv']").count() == 1
        # every chart as an image (from <noscript>): lazy, so loaded when scrolled to
        assert page.locator(".sf-graph img").count() == page.locator(".sf-graph").count()
    if path == "/":
        assert page.locator("#claim-cards > article").count() > 10
        page.locator("#claim-cards details summary").first.click()
        assert page.locator("#claim-cards details[open] .conclusion").first.is_visible()
    if path == "/methodology":
        assert page.locator(".prose h2").count() > 3
    context.close()


@pytest.mark.browser
def test_sf104_light_mode_loads_no_plotly_and_no_script(browser, live_server):
    for headers, url in (
        ({"Save-Data": "on"}, "/blackouts"),
        ({}, "/blackouts?light=1"),
        ({}, "/embed/une-supply-demand?light=1"),
        ({"Save-Data": "on"}, "/embed/une-supply-demand"),
        ({"Save-Data": "on"}, "/"),
    ):
        context = browser.new_context(extra_http_headers=headers, viewport={"width": 375, "height": 812})
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda r, seen=requested: seen.append(r.url))
        page.goto(live_server + url, wait_until="networkidle")
        page.mouse.wheel(0, 3000)  # charts further down load as images
        page.wait_for_timeout(500)
        assert not [u for u in requested if "plotly" in u or "_dash-" in u], (url, requested)
        scripts = [u for u in requested if u.endswith(".js")]
        # no script at all, in a page or an embed (a light embed keeps the height its embed code gives it)
        assert scripts == []
        assert any("/screen/" in u or ".svg" in u for u in requested), url
        context.close()


@pytest.mark.browser
def test_sf105_the_light_switch_and_its_form_work(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/blackouts", wait_until="load")
    page.locator("#light-switch").click()
    page.wait_for_url("**/blackouts?light=1")
    page.locator("#control-start").fill("2025-01-01")
    page.locator("#control-tab label", has_text="Table").first.click()
    page.locator("form.controls button[type=submit]").click()
    page.wait_for_url("**start=2025-01-01**")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"start": ["2025-01-01"], "tab": ["table"], "light": ["1"]}
    assert page.locator("table.data-table").first.is_visible()
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/", "/blackouts", "/explore", "/data", f"/claims/{CLAIM}"])
@pytest.mark.parametrize("mode", ["static", "light"])
def test_sf106_the_static_and_light_pages_have_no_axe_violations(browser, live_server, path, mode):
    """The static first screen (Dash's scripts refused, so it stays) and the light page, as axe-core sees them."""
    from tests.browser.test_accessibility import violations

    page = browser.new_page(viewport={"width": 375, "height": 812}, bypass_csp=True)
    if mode == "static":
        page.route("**/_dash-component-suites/**", lambda route: route.abort())
        url = f"{live_server}{path}"
    else:
        url = f"{live_server}{path}?light=1"
    page.goto(url, wait_until="load")
    assert page.locator("#sf-static").count() == 1
    assert violations(page) == []
    page.close()


def test_sf107_with_scripts_the_waiting_charts_show_no_markup_and_claims_no_empty_image(browser, live_server):
    """Graphics review of issue 18: with scripts on, a CSS rule displayed the <noscript> copies of charts 2..n, so
    their markup showed as text until the interactive page took over; without scripts, a closed claim's waiting
    <img> (no src yet) showed as an empty box."""
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.route("**/dash_renderer*", lambda route: None)  # the interactive page never arrives: the static one stays
    page.goto(f"{live_server}/oil", wait_until="domcontentloaded")
    text = page.evaluate("() => document.getElementById('sf-static').innerText")
    assert "<picture" not in text and "srcset=" not in text
    page.close()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/", wait_until="load")
    waiting = page.locator("img[data-src]:not([src])")
    assert waiting.count() > 0 and all(not waiting.nth(i).is_visible() for i in range(min(waiting.count(), 5)))
    context.close()


# -- second reader's findings (docs/reviews/2026-12-06-graphics-static-first.md) -------------------------------------
SWAP_PAGES = ["/oil", "/blackouts", "/generation"]
ALL_BOXES = """() => [...document.querySelectorAll('[id*="chart-graph-wrap"]')].filter(w => !w.hidden).map(w => {
    const g = w.querySelector('.chart-graph');
    const r = g.getBoundingClientRect();
    return {chart: JSON.parse(w.id).chart, top: r.top + scrollY, height: r.height, width: r.width};
})"""


def open_held(browser, url: str, width: int, *, java_script: bool = True):
    """A page at `width` × 812 whose Dash renderer is held back (the static page stays until `release`)."""
    context = browser.new_context(viewport={"width": width, "height": 812}, java_script_enabled=java_script)
    page = context.new_page()
    held: list = []
    page.route("**/dash_renderer*", lambda route: held.append(route))
    page.goto(url, wait_until="domcontentloaded")
    return context, page, held


def release(page, held: list) -> None:
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    for route in held:
        route.continue_()
    page.unroute("**/dash_renderer*")
    page.wait_for_function("() => !document.getElementById('sf-static')", timeout=60000)


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", SWAP_PAGES)
def test_sf108_no_chart_on_the_page_moves_at_the_swap_or_when_drawn(browser, live_server, path, width):
    """Every chart's box, not only the first: the static box is as tall as the interactive one before plotly draws in
    it (charts 2..n are drawn when near the screen) and after (a jump of 30-270 px before)."""
    context, page, held = open_held(browser, f"{live_server}{path}", width)
    page.wait_for_selector("#sf-static .sf-graph")
    before = page.evaluate(ALL_BOXES)
    assert len(before) >= 3
    release(page, held)
    at_swap = page.evaluate(ALL_BOXES)
    assert [b["chart"] for b in at_swap] == [b["chart"] for b in before]
    for b, a in zip(before, at_swap, strict=True):
        assert abs(a["top"] - b["top"]) <= 3 and abs(a["height"] - b["height"]) <= 3, (path, width, b, a)
    # then drawn by plotly, one after the other as the reader scrolls to them: each keeps its box
    for index in range(len(before)):
        page.evaluate(
            "(i) => document.querySelectorAll('[id*=\"chart-graph-wrap\"] .chart-graph')[i].scrollIntoView()", index
        )
        chart = before[index]["chart"]
        graph = f'[id=\'{{"chart":"{chart}","type":"chart-graph"}}\'] .main-svg'
        page.wait_for_selector(graph, timeout=30000)
    page.wait_for_timeout(300)
    drawn = page.evaluate(ALL_BOXES)
    for b, a in zip(before, drawn, strict=True):
        assert abs(a["top"] - b["top"]) <= 3 and abs(a["height"] - b["height"]) <= 3, (path, width, "drawn", b, a)
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "es"])
def test_sf109_a_claims_chart_is_on_a_phones_first_screen(browser, live_server, lang):
    """At 375 × 812 the claim's evidence chart starts on the first screen (under the label and a compact quote),
    before and after the swap; the judgement and the figures follow it."""
    query = "?lang=es" if lang == "es" else ""
    context, page, held = open_held(browser, f"{live_server}/claims/{CLAIM}{query}", 375)
    box = f'[id=\'{{"chart":"claim-{CLAIM}","type":"chart-graph"}}\']'
    page.wait_for_selector(f"#sf-static {box}")
    top = page.evaluate(f"() => document.querySelector(`{box}`).getBoundingClientRect().top")
    assert 0 < top < 812 - 120, top  # room on the first screen for the chart, not only its edge
    order = page.evaluate(
        f"() => document.querySelector(`{box}`).compareDocumentPosition(document.querySelector('#sf-static .conclusion'))"
    )
    assert order & 4  # the conclusion (DOCUMENT_POSITION_FOLLOWING) comes after the chart
    release(page, held)
    after = page.evaluate(f"() => document.querySelector(`{box}`).getBoundingClientRect().top")
    assert abs(after - top) <= 3
    context.close()


def test_sf110_a_claims_page_puts_its_chart_right_after_the_label(client):
    static = static_part(client.get(f"/claims/{CLAIM}").get_data(as_text=True))
    chart = static.index(f'id="claim-{CLAIM}-chart"')
    assert static.index("label-badge") < chart < static.index('class="conclusion"')


def test_sf111_a_light_embed_has_no_script_and_a_phone_sized_image(client):
    """A light embed at 375 px used to show the 960 px desktop image shrunk (4-5 px text) and load a script."""
    for url in ("/embed/oil-imports-monthly?light=1&lang=es", "/embed/une-supply-demand?light=1&theme=auto"):
        text = client.get(url).get_data(as_text=True)
        assert "<script" not in text, url
        markup = parse(text)
        sources = [a for tag, a in markup.elements if tag == "source"]
        phone = [s for s in sources if s["media"].endswith("(max-width: 575.98px)")]
        assert phone and all("size=s" in s["srcset"] and "variant=embed" in s["srcset"] for s in phone), url
        images = [a for tag, a in markup.elements if tag == "img"]
        assert len(images) == 1 and "size=l" in images[0]["src"] and images[0]["alt"]
        # the title as text (it wraps on a phone), the source line once: in the caption, not in the image
        assert any(tag == "h1" for tag, _ in markup.elements)
    assert "prefers-color-scheme: dark" in text  # theme=auto: a dark image for a dark page


@pytest.mark.browser
def test_sf112_a_light_embed_on_a_phone_shows_the_phone_image_at_its_size(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 600})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{live_server}/embed/oil-imports-monthly?light=1&lang=es", wait_until="load")
    page.wait_for_function("() => document.querySelector('.chart-static img').naturalWidth > 0", timeout=60000)
    shown = page.evaluate(
        "() => { const i = document.querySelector('.chart-static img');"
        " return {src: i.currentSrc, width: i.getBoundingClientRect().width, natural: i.naturalWidth}; }"
    )
    assert "size=s" in shown["src"] and shown["natural"] == 360
    assert shown["width"] / shown["natural"] > 0.92  # drawn at its own size, not a desktop image shrunk
    assert not [u for u in requested if u.endswith(".js") or "plotly" in u]
    context.close()


@pytest.mark.parametrize("path", ["/oil", "/blackouts"])
def test_sf113_phone_images_have_readable_ticks_and_spanish_numbers(client, path):
    """Phone images (size=s, 360 px, shown at least 330 px wide on a 375 px phone: test_sf114): tick labels at least
    12 px, so 11 px on the screen; Spanish images write whole numbers with the site's separators, never "150k"."""
    if render.browser_missing():
        pytest.skip("no Chromium to render images with")
    static = client.get(f"{path}?lang=es&light=1").get_data(as_text=True)  # every chart an image
    phones = [
        u.replace("&amp;", "&") for u in re.findall(r'<source media="\(max-width: 575.98px\)" srcset="([^"]+)"', static)
    ]
    assert len(phones) >= 3
    for url in phones:
        svg = client.get(url).get_data(as_text=True)
        ticks = re.findall(r'<g class="[xy]\d*tick">\s*<text[^>]*style="([^"]*)"[^>]*>([^<]*)</text>', svg)
        assert ticks, url
        sizes = [float(m) for style, _ in ticks for m in re.findall(r"font-size: ?([\d.]+)px", style)]
        assert sizes and min(sizes) >= 12, (url, sorted(set(sizes)))
        labels = [label for _, label in ticks]
        assert not [label for label in labels if re.fullmatch(r"[\d.,−-]+\s?[kMG]", label)], (url, labels)
        assert not [label for label in labels if re.fullmatch(r"\d{1,3}(,\d{3})+", label)], (url, labels)  # no "1,500"


@pytest.mark.browser
def test_sf114_before_the_swap_the_static_controls_work(browser, live_server):
    """With Dash still loading (here: never), a control that looks usable does what it says: the table view reloads
    the page in that view, as the form does without scripts; copy buttons (no script behind them yet) are hidden."""
    context, page, _held = open_held(browser, f"{live_server}/blackouts", 375)
    page.wait_for_selector("#sf-static form.controls")
    width = page.evaluate("() => document.querySelector('#sf-static .sf-graph').getBoundingClientRect().width")
    assert width >= 330  # a 360 px phone image is shown at least 330 px wide: its 12 px ticks at least 11 px
    assert page.locator("#sf-static .sf-apply").count() == 0  # no button that would move the page at the swap
    assert all(not c.is_visible() for c in page.locator("#sf-static .copy").all())
    page.locator("#sf-static #control-tab label", has_text="Table").first.click()
    page.wait_for_url("**/blackouts?tab=table", timeout=30000)
    assert page.locator("#sf-static table.data-table").first.is_visible()
    page.locator("#sf-static #control-start").fill("2025-01-01")
    page.locator("#sf-static #control-start").press("Enter")
    page.wait_for_url("**start=2025-01-01**", timeout=30000)
    assert parse_qs(urlsplit(page.url).query) == {"start": ["2025-01-01"], "tab": ["table"]}
    context.close()


def test_sf115_the_light_page_shows_its_state_as_text_not_as_a_selected_link(client):
    text = client.get("/blackouts?light=1&lang=es").get_data(as_text=True)
    switch = next(a for tag, a in parse(text).elements if tag == "a" and a.get("id") == "light-switch")
    assert "active" not in switch["class"] and "aria-current" not in switch
    assert '<span class="light-state">Versión ligera ✓</span>' in text


@pytest.mark.parametrize("chart", ["une-supply-demand", "une-share-dark", "une-calendar"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_sf120_phone_images_of_long_daily_series_label_years_alone(client, chart, lang):
    """Graphics review, round 4: at 360 px the date ticks "ene 2023 ene 2024 …" ran together into one string on
    /blackouts' phone images. A date axis spanning more than two years is labelled by the year alone."""
    if render.browser_missing():
        pytest.skip("no Chromium to draw the image")
    answer = client.get(f"/screen/{chart}.svg?size=s&lang={lang}")
    assert answer.status_code == 200
    ticks = re.findall(r'class="xtick"><text[^>]*>([^<]*)<', answer.get_data(as_text=True))
    assert len(ticks) >= 3 and all(re.fullmatch(r"20\d\d", t) for t in ticks), ticks
    assert [int(t) for t in ticks] == list(range(int(ticks[0]), int(ticks[0]) + len(ticks)))  # one a year, in order


def test_sf121_the_home_tile_draws_its_desktop_chart_at_the_size_it_is_shown(browser, live_server):
    """Graphics review, round 4: the desktop tile showed the 360 px phone image at 246 px (text about 8.9 px). From
    992 px up the tile gets an image drawn about as wide as it is shown (12 px text, so at least 11 px on screen),
    with the same shape (no jump); a phone keeps its own. The caption keys the ▼ and × marks the chart draws."""
    if render.browser_missing():
        pytest.skip("no Chromium")
    shown = {}
    for width in (1280, 375):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{live_server}/", wait_until="load")
        page.wait_for_function("() => !document.getElementById('sf-static')", timeout=60_000)  # after the swap
        image = page.locator("img.tile-trend-img").first
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        shown[width] = page.evaluate(
            """img => ({src: img.currentSrc, natural: img.naturalWidth, naturalH: img.naturalHeight,
                        shown: img.getBoundingClientRect().width,
                        caption: img.closest('figure').querySelector('figcaption').innerText})""",
            image.element_handle(),
        )
        page.close()
    wide, phone = shown[1280], shown[375]
    assert "size=l" in wide["src"] and "size=s" in phone["src"]
    assert 12 * wide["shown"] / wide["natural"] >= 11, wide  # the desktop image's 12 px text, as shown
    assert abs(wide["natural"] / wide["naturalH"] - phone["natural"] / phone["naturalH"]) < 0.05  # the same shape
    assert wide["caption"] == phone["caption"] and wide["caption"].startswith("Last 90 days")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_sf122_the_home_tile_caption_keys_exactly_the_marks_its_chart_draws(dash_app, lang):
    """The tile has no legend: its caption names the ▼ (key event) and × (grid collapse) marks when, and only when,
    its 90 days have some."""
    from datetime import timedelta

    from dashboard import charts
    from dashboard.charts import ChartState
    from dashboard.data import store
    from dashboard.static_first import trend_caption

    data = store()
    end = data.table("une_daily")["date"].max()
    for days in (90, 3):  # the tile's window, and a few days that have neither mark
        start = (end - timedelta(days=days - 1)).date().isoformat()
        view = charts.build("une-supply-demand", data, ChartState(start=start, lang=lang))
        drawn = {str(t.marker.symbol) for t in view.figure.data if t.x is not None and len(t.x) and t.mode == "markers"}
        caption = trend_caption(view, lang)
        assert ("▼" in caption) == ("triangle-down" in drawn) and ("×" in caption) == ("x" in drawn), (days, caption)


def test_sf123_a_new_dataset_chosen_in_the_static_explore_form_opens_with_its_own_series(client):
    """Second reader: on the static /explore (light, archived, or before Dash arrives), choosing another dataset and
    pressing Apply sent the previous dataset's series too, and the reader got a 400 page. The series and countries
    that belong to another dataset now fall back to the new one's defaults; a bad value of anything else is still 400."""
    answer = client.get("/explore?sf=1&light=1&table=exchange_rate&series=peak_demand_mw&country=CUB&start=&end=")
    assert answer.status_code == 303
    target = answer.headers["Location"]
    assert "table=exchange_rate" in target and "series=" not in target and "light=1" in target
    assert client.get(target).status_code == 200
    bad = client.get("/explore?sf=1&light=1&table=no_such_table")
    assert client.get(bad.headers["Location"]).status_code == 400


XTICK = re.compile(r'<g class="xtick"><text([^>]*)>([^<]*)</text>')


def test_sf124_no_phone_image_has_rotated_or_overlapping_date_labels(client):
    """Graphics review, round 5: year ticks on every 1 January were rotated and stacked on long series (40 labels
    for 1986–2025) on /generation, /oil and most claim pages. Every chart's phone image (Spanish: the longer labels)
    has level x labels with room between them (a label's width estimated from its characters and font size)."""
    if render.browser_missing():
        pytest.skip("no Chromium to draw the images")
    from dashboard.chartdefs.claims import claims_doc, has_chart
    from dashboard.data import store
    from dashboard.pages_index import PAGES
    from tests.support.pages import CHART_PAGES

    chart_ids = [c for path in CHART_PAGES for c in PAGES[path].charts]
    chart_ids += [f"claim-{c['claim_id']}" for c in claims_doc(store())["claims"] if has_chart(c)]
    problems = []
    for chart in dict.fromkeys(chart_ids):
        svg = client.get(f"/screen/{chart}.svg?size=s&lang=es").get_data(as_text=True)
        ticks = []
        for attrs, text in XTICK.findall(svg):
            if "rotate(" in attrs:
                problems.append(f"{chart}: {text!r} rotated")
            at = re.search(r"translate\(([-\d.]+),\s*([-\d.]+)\)", attrs)
            size = float(re.search(r"font-size: ([\d.]+)px", attrs)[1])
            ticks.append((float(at[2]) if at else 0.0, float(at[1]) if at else 0.0, text, size))
        for (row_a, x_a, a, size), (row_b, x_b, b, _size) in zip(sorted(ticks), sorted(ticks)[1:], strict=False):
            if row_a == row_b and x_b - x_a - 0.55 * size * (len(a) + len(b)) / 2 < 2:
                problems.append(f"{chart}: {a!r} and {b!r} overlap")
    assert problems == [], problems[:10]


TEXT_BOXES = """() => {
    const svg = document.querySelector('svg');
    const frame = svg.getBoundingClientRect();
    return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
        const r = t.getBoundingClientRect();
        const group = t.closest('[class*="tick"], .annotation, .textpoint, .legendtext, .g-gtitle') || t;
        return {text: t.textContent.trim(), kind: group.getAttribute('class') || 'text',
                x: r.left - frame.left, y: r.top - frame.top, w: r.width, h: r.height,
                width: frame.width, height: frame.height};
    }).filter(b => b.w > 0);
}"""


def phone_chart_ids() -> list[str]:
    """Every chart a page shows, and every claim's evidence chart."""
    from dashboard.chartdefs.claims import claims_doc, has_chart
    from dashboard.data import store
    from dashboard.pages_index import PAGES
    from tests.support.pages import CHART_PAGES

    chart_ids = [c for path in CHART_PAGES for c in PAGES[path].charts]
    chart_ids += [f"claim-{c['claim_id']}" for c in claims_doc(store())["claims"] if has_chart(c)]
    return list(dict.fromkeys(chart_ids))


def text_collisions(boxes: list[dict]) -> list[str]:
    """Pairs of texts drawn into each other (more than a pixel's touch), and texts cut by the image's edge."""
    problems = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            across = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            down = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if across > 1 and down > 2:
                problems.append(f"{a['text']!r} ({a['kind']}) on {b['text']!r} ({b['kind']}): {across:.0f}x{down:.0f}")
        if a["x"] < -0.5 or a["y"] < -0.5 or a["x"] + a["w"] > a["width"] + 0.5 or a["y"] + a["h"] > a["height"] + 0.5:
            problems.append(f"{a['text']!r} ({a['kind']}) cut by the image's edge")
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "es"])
def test_sf126_no_text_on_a_phone_image_runs_into_other_text_or_off_the_image(browser, client, lang):
    """Graphics review, round 6: sf124 compared x labels with x labels only, and missed the y axis's "0" on the first
    date ("2000", "mar 2025"), a bar's "59%" on the "60" tick, and a note cut by the image's top. Every phone image
    is drawn in Chromium and every text's box compared with every other's (ticks, notes, value labels, legend)."""
    if render.browser_missing():
        pytest.skip("no Chromium to draw the images")
    page = browser.new_page(viewport={"width": 400, "height": 900})
    problems = []
    for chart in phone_chart_ids():
        svg = client.get(f"/screen/{chart}.svg?size=s&lang={lang}").get_data(as_text=True)
        page.set_content(f"<body style='margin:0'>{svg}</body>")
        problems += [f"{chart}: {p}" for p in text_collisions(page.evaluate(TEXT_BOXES))]
    page.close()
    assert problems == [], problems[:12]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_sf125_the_explore_controls_name_datasets_and_series_in_words(client, lang):
    """Second readers (archived pages round 2, graphics round 6): the dataset list carried table ids
    ("… (owid_energy)") and English titles on the Spanish page, the series list raw column names
    ("oil_share_of_electricity_pct"). Every option is now words, in the page's language."""
    page = client.get(f"/explore?light=1&lang={lang}").get_data(as_text=True)
    for name in ("table", "series"):
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.DOTALL)[1]
        labels = re.findall(r"<option[^>]*>([^<]*)</option>", select)
        assert len(labels) >= 3, name
        assert not [label for label in labels if "_" in label or re.search(r"\([a-z]+_[a-z_]+\)", label)], labels
    if lang == "es":
        assert " and " not in page.split('name="table"')[1].split("</select>")[0]  # no English title left


POINT = re.compile(r'<path class="point[^"]*" transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*fill: (rgb\([^)]*\))')


@pytest.mark.parametrize("lang", ["en", "es"])
def test_sf128_the_home_tile_writes_the_year_once_and_keeps_its_marks_apart(client, lang):
    """Graphics review, rounds 5-6: the wide tile (250 px) wrote "Feb 2026 Mar 2026 Apr 2026" in English, 7.6 px
    apart, and drew the grid-collapse × on the plot's top edge over a key-event ▼, one grey cluster. The year is
    written once (and at January), as in Spanish, and the × row sits a mark's height below the ▼ row, inside the plot."""
    if render.browser_missing():
        pytest.skip("no Chromium to draw the images")
    home = client.get(f"/?light=1&lang={lang}").get_data(as_text=True)
    urls = {m.replace("&amp;", "&") for m in re.findall(r'(/screen/[^"\s,]+variant=trend[^"\s,]*)', home)}
    assert {re.search(r"size=(\w)", u)[1] for u in urls} == {"s", "l"}, urls
    for url in urls:
        svg = client.get(url).get_data(as_text=True)
        ticks = [text for _attrs, text in XTICK.findall(svg)]
        with_year = [t for t in ticks if re.search(r"\d{4}", t)]
        assert len(ticks) >= 3 and with_year == [
            t for i, t in enumerate(ticks) if i == 0 or t.startswith(("Jan", "ene"))
        ]
        points = [(float(y), colour) for _x, y, colour in POINT.findall(svg)]
        events = [y for y, colour in points if colour == "rgb(122, 81, 149)"]  # ▼
        collapses = [y for y, colour in points if colour == "rgb(119, 119, 119)"]  # ×
        assert events and collapses, url  # (the tile's 90 days have both; sf122 checks the caption keys them)
        assert min(collapses) >= max(events) + 10 and min(collapses) >= 6, (url, events, collapses)

"""The dashboard in real headless Chromium (Debian's /usr/bin/chromium via Playwright): every page in both languages
without console errors, charts with the expected traces, the claim drawn on its chart, URL state, downloads, phone
width, keyboard, embeds on another origin, the static export opened offline, and the staleness banner.

Screenshots of every page at 1280 and 375 px go to artifacts/screenshots/ (git-ignored) for review."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, REPO
from tests.support.fixture_server import FixtureServer
from tests.support.pages import CHART_PAGES

pytestmark = pytest.mark.browser

PAGES = CHART_PAGES  # claim evidence charts on "/" are SVG images (checked below)
SHOTS = ARTIFACTS / "screenshots"


def open_page(browser, url: str, width: int = 1280, dashboard: bool = True):
    """A new page; for dashboard pages, wait until Dash has rendered the page's heading."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    if dashboard:  # every asset comes from the app itself: no request to another host, ever
        origin = "/".join(url.split("/")[:3]) + "/"
        page.on(
            "request",
            lambda r: None if r.url.startswith((origin, "data:", "blob:")) else errors.append(f"third-party {r.url}"),
        )
    page.goto(url, wait_until="networkidle")
    if dashboard:
        page.wait_for_selector("main h1", timeout=20000)
        wait_for_dash(page)
    return page, errors


def wait_for_dash(page) -> None:
    """Wait until Dash's interactive page has taken the static first screen's place (dashboard/static_first.py)."""
    page.wait_for_function("() => !document.getElementById('sf-static')", timeout=30000)


GRAPH_SELECTOR = """[id$='"type":"chart-graph"}']"""  # a dcc.Graph's DOM id is its id dict as JSON, keys sorted
SCROLL_THROUGH = """async (selector) => {
    for (const el of document.querySelectorAll(selector)) {
        el.scrollIntoView();
        for (let i = 0; i < 200 && !el.querySelector('.main-svg'); i++) {
            await new Promise((done) => setTimeout(done, 50));
        }
    }
    window.scrollTo(0, 0);
}"""


def wait_for_charts(page, count: int) -> None:
    """Wait until `count` charts are drawn. Charts are drawn when they come near the screen (assets/20-draw-when-
    near.js), so scroll to each and wait for it, as a reader would, then back to the top."""
    wait_for_dash(page)
    if count:
        page.wait_for_function(
            "([selector, n]) => document.querySelectorAll(selector).length >= n", arg=[GRAPH_SELECTOR, count]
        )
        page.evaluate(SCROLL_THROUGH, GRAPH_SELECTOR)
        page.wait_for_function(
            f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {count}", timeout=20000
        )


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("path", list(PAGES))
def test_brw001_every_page_loads_without_console_errors(browser, live_server, path, lang):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page, errors = open_page(browser, f"{live_server}{path}?lang={lang}", width)
        wait_for_charts(page, PAGES[path])
        assert page.evaluate("() => document.documentElement.lang") == lang
        assert page.locator("h1").first.is_visible()
        if width == 375:  # works on a phone: nothing wider than the screen
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 376, path
        name = (path.strip("/") or "claims") + f"-{lang}-{width}"
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        assert errors == [], errors
        page.close()


def test_brw002b_charts_far_below_the_screen_are_drawn_when_scrolled_to(browser, live_server):
    page, errors = open_page(browser, f"{live_server}/blackouts")
    page.wait_for_function(
        "([selector, n]) => document.querySelectorAll(selector).length >= n", arg=[GRAPH_SELECTOR, 6]
    )
    page.wait_for_selector("#une-supply-demand .js-plotly-plot .main-svg", timeout=20000)  # on screen: drawn
    page.wait_for_timeout(1500)
    assert page.locator("#une-calendar .js-plotly-plot").count() == 0  # at the bottom: not drawn yet
    drawn = page.evaluate("() => document.querySelectorAll('.js-plotly-plot').length")
    assert 1 <= drawn < 6
    page.locator("#une-calendar").scroll_into_view_if_needed()
    page.wait_for_selector("#une-calendar .js-plotly-plot .main-svg", timeout=20000)
    assert errors == []


def test_brw002_charts_render_with_the_expected_traces(browser, live_server):
    page, errors = open_page(browser, f"{live_server}/generation?country=CUB~MEX~OWID_WRL")
    wait_for_charts(page, 6)
    traces = page.evaluate(
        "() => document.querySelector('#oil-share-of-electricity .js-plotly-plot').data.map(t => t.name)"
    )
    assert traces == ["Cuba", "Mexico", "World"]
    supply = open_page(browser, f"{live_server}/blackouts")[0]
    wait_for_charts(supply, 6)
    names = supply.evaluate("() => document.querySelector('#une-supply-demand .js-plotly-plot').data.map(t => t.name)")
    assert {"Available capacity", "Demand", "Total grid collapse"} <= set(names)
    assert errors == []


def test_brw003_the_claim_is_drawn_on_its_evidence_chart(browser, live_server):
    page, errors = open_page(browser, f"{live_server}/?claim=electricity-oil-share-80-95")
    card = page.locator("#claim-electricity-oil-share-80-95")
    assert card.is_visible()
    image = card.locator("img.chart-img")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('#claim-electricity-oil-share-80-95 img.chart-img');"
        " return i && i.complete && i.naturalWidth > 0; }",
        timeout=60000,
    )
    svg = page.request.get(image.evaluate("img => img.src")).text()
    assert "Claim: 80–95%" in svg and "Our World in Data" in svg  # the claim and the source are in the image
    assert card.locator(".label-badge").first.inner_text().endswith("Cannot be checked with available data")
    # Only the requested claim is shown.
    assert page.locator("#claim-cards > article:visible").count() == 1
    assert errors == []


def test_brw004_a_url_with_state_reproduces_the_view(browser, live_server):
    page, errors = open_page(browser, f"{live_server}/generation?country=CUB~MEX&start=2010&tab=table")
    table = page.locator("#oil-share-of-electricity table")
    assert table.is_visible()
    assert not page.locator("#oil-share-of-electricity .js-plotly-plot").is_visible()
    years = table.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert years and min(int(y.replace(",", "")) for y in years) >= 2010
    codes = set(table.locator("tbody tr td:nth-child(2)").all_inner_texts())
    assert codes == {"CUB", "MEX"}
    assert errors == []


def test_brw004b_a_range_chosen_in_the_table_view_is_charted_when_the_chart_tab_is_shown(browser, live_server):
    """The table view does not send the hidden figures again; showing the charts must still draw the new range."""
    # Under 60 days: the table shows every row, oldest first.
    page, errors = open_page(browser, f"{live_server}/blackouts?start=2025-01-01&end=2025-02-20&tab=table")
    first_dates = "() => document.querySelector('#une-units-out table tbody tr:first-child td').innerText"
    assert page.evaluate(first_dates) == "2025-01-01"
    start = page.locator("#control-start")
    start.fill("2025-02-10")
    start.press("Enter")
    page.wait_for_function(f"() => ({first_dates})() === '2025-02-10'", timeout=10000)
    page.get_by_text("Chart", exact=True).click()
    page.wait_for_function(
        "() => window.location.search.includes('start=2025-02-10') && !window.location.search.includes('tab=')"
    )
    page.locator("#une-units-out").scroll_into_view_if_needed()  # drawn when near the screen
    page.wait_for_selector("#une-units-out .js-plotly-plot .main-svg", timeout=20000)
    first_x = page.evaluate(
        "() => document.querySelector('#une-units-out .js-plotly-plot').data.find(t => t.name === 'Units out').x[0]"
    )
    assert str(first_x).startswith("2025-02-10")
    assert errors == []


def test_brw005_changing_a_control_updates_the_address_and_the_chart(browser, live_server):
    page, errors = open_page(browser, f"{live_server}/explore")
    wait_for_charts(page, 1)
    page.get_by_text("Table", exact=True).click()
    page.wait_for_function("() => window.location.search.includes('tab=table')", timeout=10000)
    assert page.locator("#explore table").is_visible()
    share = page.locator("#explore input[id*='chart-share']").first.input_value()
    assert "tab=table" in share
    assert errors == []


def test_brw006_downloads_return_files_of_the_right_type(browser, live_server):
    page, errors = open_page(browser, f"{live_server}/oil")
    wait_for_charts(page, 3)
    expected = {"csv": "text/csv", "png": "image/png", "svg": "image/svg+xml"}
    for ext, mime in expected.items():
        href = page.locator(f"#oil-shipments a[href*='/download/oil-shipments.{ext}']").get_attribute("href")
        response = page.request.get(f"{live_server}{href}")
        assert response.status == 200 and response.headers["content-type"].startswith(mime), ext
        body = response.body()
        assert {
            "csv": body.startswith(b"period_start,"),
            "png": body[:8] == b"\x89PNG\r\n\x1a\n",
            "svg": b"<svg" in body[:200],
        }[ext]
    assert errors == []


def test_brw007_language_switch_and_spanish_number_format(browser, live_server):
    page, errors = open_page(browser, f"{live_server}/generation")
    wait_for_charts(page, 3)
    page.locator("#lang-switch").click()
    page.wait_for_url("**/generation?lang=es")
    wait_for_charts(page, 3)
    assert page.locator("nav").inner_text().startswith("Afirmaciones")
    summary = page.locator("#generation-by-source .summary").inner_text()
    assert "TWh" in summary and "," in summary.split("TWh")[0]  # 16,0 de los 19,4 TWh
    assert page.title().startswith("Generación y centrales")
    assert errors == []


def focus_sequence(page, presses: int) -> list[str]:
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("() => document.activeElement.tagName + '.' + document.activeElement.className"))
    return seen


def test_brw008_keyboard_reaches_the_skip_link_navigation_and_controls(browser, live_server):
    page, _ = open_page(browser, f"{live_server}/generation")
    sequence = focus_sequence(page, 14)
    assert sequence[0].startswith("A.visually-hidden-focusable")  # first stop: skip to content
    assert sum(s.startswith("A.nav-link") for s in sequence) == 7  # every page of the navigation
    assert any(s.startswith("BUTTON.dash-dropdown") for s in sequence)  # then the view controls
    page.reload()
    page.wait_for_selector("main h1")
    wait_for_dash(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link jumps over the header and the navigation
    after = focus_sequence(page, 1)[0]
    assert not after.startswith("A.nav-link") and not after.startswith("A.site-title")


def test_brw009_claims_filter_hides_cards_and_keeps_the_url(browser, live_server):
    page, errors = open_page(browser, f"{live_server}/?label=partly")
    shown = page.locator("#claim-cards > article:visible").count()
    assert 1 <= shown < 20
    assert page.locator("#claims-count").inner_text().startswith(str(shown))
    assert errors == []


# -- embeds on another site -------------------------------------------------------------------------------------------
@pytest.fixture
def host_site(tmp_path, live_server):
    """A page on another origin (a second local server) that embeds our charts as the embed dialog says."""
    site = tmp_path / "host"
    site.mkdir()

    def write(name: str, src: str, listener: bool = True) -> str:
        script = f'<script src="{live_server}/embed.js" async></script>' if listener else ""
        (site / name).write_text(
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>host</title><link rel="icon" href="data:,">'
            f'</head><body style="margin:0">'
            f'<p>Somebody\'s article.</p><iframe id="f" src="{live_server}{src}" title="chart" style="width:100%;border:0" '
            f'height="520"></iframe>{script}</body></html>'
        )
        return name

    with FixtureServer(site) as srv:
        yield srv.url, write


def frame_of(page):
    page.wait_for_function("() => document.getElementById('f').contentWindow !== null")
    return next(f for f in page.frames if f != page.main_frame)


def test_emb001_embed_renders_and_resizes_its_iframe_on_another_origin(browser, host_site):
    base, write = host_site
    name = write("a.html", "/embed/une-share-dark?lang=es")
    for width in (320, 1200):
        page, errors = open_page(browser, f"{base}/{name}", width, dashboard=False)
        frame = frame_of(page)
        frame.wait_for_selector(".main-svg", timeout=20000)
        page.wait_for_function("() => document.getElementById('f').style.height !== ''", timeout=10000)
        height = page.evaluate("() => document.getElementById('f').getBoundingClientRect().height")
        content = frame.evaluate("() => Math.ceil(document.documentElement.getBoundingClientRect().height)")
        assert abs(height - content) <= 3 and height != 520
        assert "Fuente:" in frame.inner_text("figcaption")
        assert frame.evaluate("() => document.documentElement.lang") == "es"
        assert errors == [], errors
        page.close()


def test_emb002_without_the_listener_the_embed_fits_its_default_height(browser, host_site):
    base, write = host_site
    name = write("b.html", "/embed/oil-shipments", listener=False)
    for width in (320, 800, 1200):
        page, _ = open_page(browser, f"{base}/{name}", width, dashboard=False)
        frame = frame_of(page)
        frame.wait_for_selector(".main-svg", timeout=20000)
        assert page.evaluate("() => document.getElementById('f').getBoundingClientRect().height") == 520
        # Nothing is cut off: the page inside fits the frame.
        assert frame.evaluate("() => document.documentElement.scrollHeight") <= 521, width
        page.close()


def test_emb003_static_dark_and_transparent_flags(browser, host_site):
    base, write = host_site
    page, errors = open_page(
        browser, f"{base}/{write('c.html', '/embed/oil-gap-vs-producers?static=1')}", dashboard=False
    )
    frame = frame_of(page)
    frame.wait_for_function(
        "() => document.querySelector('img') && document.querySelector('img').naturalWidth > 0", timeout=30000
    )
    assert frame.evaluate("() => typeof window.Plotly") == "undefined"
    page.close()
    page, errors = open_page(browser, f"{base}/{write('d.html', '/embed/une-units-out?theme=dark')}", dashboard=False)
    frame = frame_of(page)
    frame.wait_for_selector(".main-svg", timeout=20000)
    background = frame.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 20, 23)"
    assert frame.evaluate("() => document.querySelector('#chart')._fullLayout.paper_bgcolor") == "#121417"
    page.close()
    page, errors = open_page(
        browser, f"{base}/{write('e.html', '/embed/une-units-out?transparent=1')}", dashboard=False
    )
    frame = frame_of(page)
    frame.wait_for_selector(".main-svg", timeout=20000)
    assert frame.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert errors == []


# -- static export --------------------------------------------------------------------------------------------------
def test_exp001_static_export_is_complete_and_loads_offline(browser, tmp_path):
    out = tmp_path / "export"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "export",
            str(out),
            "--only",
            "une-share-dark",
            "--only",
            "claim-electricity-oil-share-80-95",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for chart in ("une-share-dark", "claim-electricity-oil-share-80-95"):
        for lang in ("en", "es"):
            for rel in (
                f"embed/{chart}.{lang}.html",
                f"embed/{chart}.{lang}.static.html",
                f"svg/{chart}.{lang}.svg",
                f"png/{chart}.{lang}.png",
            ):
                assert (out / rel).stat().st_size > 500, rel
        assert (out / "csv" / f"{chart}.csv").exists()
    assert (out / "index.html").exists() and list((out / "share").glob("*.png"))
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((out / "embed" / "une-share-dark.es.html").as_uri())
    page.wait_for_selector(".main-svg", timeout=20000)
    assert all(u.startswith(("file://", "data:")) for u in requests), requests  # nothing from the network
    page.goto((out / "embed" / "une-share-dark.en.static.html").as_uri())
    page.wait_for_function("() => document.querySelector('img').naturalWidth > 0")
    page.close()


# -- staleness banner (issue 7) ---------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_stl001_a_failed_or_stale_source_shows_a_banner(browser, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    state = tmp_path / "cache" / "state"
    state.mkdir(parents=True)
    (state / "status.json").write_text(
        json.dumps(
            {
                "une_archive": {
                    "last_attempt_at": "2026-11-27T03:17:00Z",
                    "last_result": "failed",
                    "message": "HTTP 503 for the archive",
                    "last_success_at": "2026-11-20T03:17:00Z",
                },
            }
        )
    )
    port = free_port()
    env = {**os.environ, "CUBA_DATA_DIR": str(data), "CUBA_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        page, errors = open_page(browser, f"http://127.0.0.1:{port}/blackouts")
        banner = page.locator("#stale-banner")
        assert banner.is_visible()
        assert "une_archive" in banner.inner_text() and "failed" in banner.inner_text()
        normal, _ = open_page(browser, f"http://127.0.0.1:{port}/oil")
        assert "une_archive" in normal.locator("#stale-banner").inner_text()
        assert errors == []
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_stl002_fresh_data_shows_no_banner(browser, live_server):
    page, _ = open_page(browser, f"{live_server}/oil")
    assert not page.locator("#stale-banner").is_visible()


def test_artifacts_folder_is_ignored_by_git():
    assert "artifacts/" in (REPO / ".gitignore").read_text()
    assert isinstance(ARTIFACTS, Path)


DATASET_ROWS = """() => [...document.querySelectorAll('table.datasets tbody tr')].map(row => {
    const cells = [...row.children].map(c => c.innerText.trim());
    const r = row.getBoundingClientRect();
    return {table: row.querySelector('code').innerText, asOf: cells[3], status: cells[5], top: r.top + scrollY,
            height: r.height, badges: row.querySelectorAll('.badge').length};
})"""


@pytest.mark.parametrize("width", [1280, 375])
def test_data_page_lists_every_dataset_in_full_with_its_latest_observation_and_staleness(browser, live_server, width):
    """Issue 19 item 6: the datasets table is the page's own (no inner scroll box cutting it to a few rows), one row per
    published table, each with its latest observation and a staleness badge; on a phone it scrolls sideways only."""
    package = json.loads((REPO / "data" / "datapackage.json").read_text())
    tables = sorted(r["path"] for r in package["resources"] if r["path"].endswith(".csv"))
    page, errors = open_page(browser, f"{live_server}/data", width=width)
    rows = page.evaluate(DATASET_ROWS)
    box = page.evaluate(
        """() => { const w = document.querySelector('table.datasets').closest('.wide-table');
                   return {client: w.clientHeight, scroll: w.scrollHeight, overflowY: getComputedStyle(w).overflowY}; }"""
    )
    page.close()
    assert [r["table"] for r in rows] == tables
    assert box["scroll"] <= box["client"] + 1, box  # every row is on the page, not behind an inner scroll
    assert all(r["height"] > 0 for r in rows)
    assert all(r["badges"] >= 1 for r in rows)  # up to date / stale since … / failed / no fixed schedule
    # every table with dated rows shows its latest observation ("–" only for undated or empty tables)
    undated = {r["path"] for r in package["resources"] if not r.get("x_time_column")}
    empty = {r["path"] for r in package["resources"] if str(r.get("x_row_count", r.get("rows", ""))) == "0"}
    empty |= {t for t in tables if len((REPO / "data" / t).read_text(encoding="utf-8").strip().splitlines()) <= 1}
    missing = [r["table"] for r in rows if r["asOf"] in ("", "–") and r["table"] not in undated | empty]
    assert missing == [] and len(undated | empty) < len(rows) // 4, (missing, sorted(undated | empty))
    daily = next(r for r in rows if r["table"] == "une_daily.csv")
    assert "2026" in daily["asOf"] and ("stale since" in daily["status"] or "up to date" in daily["status"])
    assert errors == []

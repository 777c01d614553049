"""Accessibility in real headless Chromium (issue 19, item 1): axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on
any page, in both languages, in the states a reader reaches (table view, an opened claim, an open dropdown), on a
phone, and on embeds; and the controls work from the keyboard with a visible focus.

axe-core 4.14.1 is vendored for the tests only: tests/support/vendor/axe-core/axe.min.js, unmodified from the npm
package (`npm pack axe-core@4.14.1`), MPL-2.0 (licence and provenance beside it). It is injected into each page by
Playwright (the pages' Content-Security-Policy would refuse an injected script, so the test pages bypass it); the
app never serves it and the tests need no network.

Nothing is excluded: every rule of the five WCAG tags runs on the whole document, plotly's drawing included.
Charts are drawn only when near the screen (assets/20-draw-when-near.js), so each page is scrolled through first."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_pages_and_embeds import wait_for_charts, wait_for_dash
from tests.support.pages import CHART_PAGES

pytestmark = pytest.mark.browser

AXE_VERSION = "4.14.1"
AXE = Path(__file__).resolve().parents[1] / "support" / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CLAIM = "electricity-oil-share-80-95"  # a claim with an evidence chart
PAGES = {**CHART_PAGES, f"/claims/{CLAIM}": 1}  # path: charts drawn with plotly on the page
EMBEDS = {  # one of each kind: a daily series, a monthly bar chart, a claim's chart; static, dark, without controls
    "une-supply-demand": "",
    "oil-imports-monthly": "",
    f"claim-{CLAIM}": "",
    "une-units-out": "theme=dark&controls=off",
    "oil-shipments": "static=1",
}
RUN_AXE = """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
    .then((r) => r.violations.map((v) => ({id: v.id, help: v.help,
        nodes: v.nodes.map((n) => n.target.join(' ') + ' :: ' + n.failureSummary.split('\\n').slice(0, 2).join(' '))})))"""


def with_lang(url: str, lang: str) -> str:
    if lang == "en":
        return url
    return url + ("&" if "?" in url else "?") + f"lang={lang}"


def open_page(browser, url: str, width: int = 1280, charts: int = 0, dashboard: bool = True):
    """A page (its CSP bypassed so that axe can be injected), its charts drawn, with its console errors collected."""
    page = browser.new_page(viewport={"width": width, "height": 900}, bypass_csp=True)
    errors: list[str] = []
    # Console errors, except a failed load, which is recorded with its address instead (a top-level embed asks for
    # /favicon.ico, which the app does not have: nothing a reader of an embed in its iframe ever sees).
    page.on(
        "console", lambda m: errors.append(m.text) if m.type == "error" and "Failed to load" not in m.text else None
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 and "/favicon.ico" not in r.url else None,
    )
    page.goto(url, wait_until="networkidle")
    if dashboard:
        page.wait_for_selector("main h1", timeout=20000)
        wait_for_dash(page)
        wait_for_charts(page, charts)
    return page, errors


def violations(page) -> list[str]:
    """axe-core's WCAG A/AA violations on the page as it is now, one readable line per rule and node."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    assert page.evaluate("() => axe.version") == AXE_VERSION
    found = page.evaluate(RUN_AXE, WCAG_TAGS)
    return [f"{v['id']} ({v['help']}): {node}" for v in found for node in v["nodes"]]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("path", list(PAGES))
def test_a11y001_every_page_has_no_axe_violations(browser, live_server, path, lang):
    page, errors = open_page(browser, with_lang(f"{live_server}{path}", lang), charts=PAGES[path])
    assert violations(page) == []
    assert errors == []
    page.close()


@pytest.mark.parametrize(
    "url, charts",
    [
        ("/generation?tab=table", 0),  # every chart's table view
        ("/blackouts?tab=table&lang=es", 0),
        (f"/?claim={CLAIM}", 0),  # one claim, opened, with its evidence image
        ("/?label=partly&lang=es", 0),  # the list filtered
    ],
)
def test_a11y002_states_from_the_address_have_no_axe_violations(browser, live_server, url, charts):
    page, errors = open_page(browser, f"{live_server}{url}", charts=charts)
    assert violations(page) == []
    assert errors == []
    page.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a11y003_states_reached_with_the_controls_have_no_axe_violations(browser, live_server, lang):
    """A claim opened in the list; the countries dropdown open; the table view chosen with the Chart/Table switch."""
    page, errors = open_page(browser, with_lang(f"{live_server}/", lang))
    page.locator("#claim-cards details.claim-details > summary").first.click()
    page.wait_for_function("() => document.querySelector('#claim-cards details.claim-details[open]') !== null")
    assert violations(page) == []
    page.close()

    page, errors2 = open_page(browser, with_lang(f"{live_server}/generation", lang), charts=6)
    page.locator("#control-countries").click()
    page.wait_for_selector(".dash-dropdown-content .dash-options-list")
    assert violations(page) == []
    page.keyboard.press("Escape")
    page.wait_for_selector(".dash-dropdown-content", state="detached")
    page.locator(".tab-switch label").nth(1).click()
    page.wait_for_selector("#oil-share-of-electricity table", timeout=30000)
    page.wait_for_function("() => window.location.search.includes('tab=table')", timeout=30000)
    assert violations(page) == []
    assert errors + errors2 == []
    page.close()


@pytest.mark.parametrize("path", ["/", "/generation", f"/claims/{CLAIM}"])
def test_a11y004_phone_width_has_no_axe_violations(browser, live_server, path):
    """Targets of at least 24 px and nothing hidden from the keyboard at 375 px too."""
    page, errors = open_page(browser, with_lang(f"{live_server}{path}", "es"), width=375, charts=PAGES[path])
    assert violations(page) == []
    assert errors == []
    page.close()


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("chart", list(EMBEDS))
def test_a11y005_embeds_have_no_axe_violations(browser, live_server, chart, lang):
    query = EMBEDS[chart]
    url = with_lang(f"{live_server}/embed/{chart}" + (f"?{query}" if query else ""), lang)
    page, errors = open_page(browser, url, width=800, dashboard=False)
    if "static=1" in query:
        page.wait_for_function("() => document.querySelector('img').complete")
    else:
        page.wait_for_selector("#chart .main-svg", timeout=20000)
    assert violations(page) == []
    assert errors == []
    page.close()


# -- keyboard -----------------------------------------------------------------------------------------------------------
FOCUS_STYLE = """() => {
    const el = document.activeElement;
    const target = el.matches('.tab-switch input') ? el.closest('label') : el;
    const s = getComputedStyle(target);
    return {tag: el.tagName, id: el.id, cls: String(el.className), outline: parseFloat(s.outlineWidth) || 0,
            style: s.outlineStyle, shadow: s.boxShadow};
}"""


def focus_is_visible(style: dict) -> bool:
    return (style["outline"] >= 2 and style["style"] != "none") or style["shadow"] not in ("none", "")


def test_a11y006_every_control_is_reached_and_used_from_the_keyboard_with_a_visible_focus(browser, live_server):
    page, errors = open_page(browser, f"{live_server}/generation", charts=6)
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        style = page.evaluate(FOCUS_STYLE)
        seen.append(style)
        assert focus_is_visible(style), style
        if style["cls"].startswith("dash-options-list-option-checkbox"):
            break
    kinds = [(s["tag"], s["id"]) for s in seen]
    assert ("BUTTON", "control-countries") in kinds and ("BUTTON", "control-start") in kinds
    assert not any(s["cls"] == "dash-dropdown-focus-target" for s in seen)  # no invisible stop

    # The Chart/Table switch: a radio group; the arrow key moves to "Table" and shows the tables.
    assert page.evaluate("() => document.activeElement.closest('[role=radiogroup]') !== null")
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("#oil-share-of-electricity table", timeout=30000)
    page.wait_for_function("() => window.location.search.includes('tab=table')", timeout=30000)

    # A table view scrolls in its box from the keyboard: its box takes focus (visibly).
    page.locator('[id*=\'"type":"chart-table"\']').first.focus()
    assert focus_is_visible(page.evaluate(FOCUS_STYLE))

    # The countries dropdown opens with Enter and takes a country with the keyboard alone.
    page.locator("#control-countries").focus()
    before = page.locator("#control-countries").inner_text()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.matches('.dash-dropdown-search')")  # type to filter
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => document.activeElement.matches('.dash-options-list input[type=checkbox]')")
    assert focus_is_visible(page.evaluate(FOCUS_STYLE))
    page.keyboard.press("Space")
    page.wait_for_function(
        "(b) => document.querySelector('#control-countries').innerText !== b", arg=before, timeout=30000
    )
    page.keyboard.press("Escape")
    assert errors == []
    page.close()


def test_a11y007_embed_controls_are_reached_from_the_keyboard_and_shown_when_focused(browser, live_server):
    """plotly's mode bar (zoom in and out without dragging) appears on hover; it must appear on focus too."""
    page, errors = open_page(browser, f"{live_server}/embed/une-supply-demand", width=800, dashboard=False)
    page.wait_for_selector("#chart .main-svg", timeout=20000)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.getAttribute('data-title') || ''")
    assert focused  # the first mode bar button
    page.wait_for_function(  # it fades in (a 0.3 s transition), as on hover
        "() => getComputedStyle(document.activeElement.closest('.modebar-group')).opacity === '1'", timeout=5000
    )
    assert focus_is_visible(page.evaluate(FOCUS_STYLE))
    assert errors == []
    page.close()


def test_a11y008_the_vendored_axe_core_is_the_documented_version():
    head = AXE.read_text(encoding="utf-8")[:200]
    assert f"axe v{AXE_VERSION}" in head
    assert (AXE.parent / "LICENSE").read_text(encoding="utf-8").startswith("Mozilla Public License")

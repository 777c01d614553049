"""Text from the data is shown as text (issue 8): claim quotes and conclusions, source titles and publishers, and
curated notes that contain HTML or JavaScript never execute, in pages, embeds and error pages.

A copy of data/ gets payloads in claims.json (quote, conclusion, a measured figure's publisher and label),
claims-review.jsonld (the JSON-LD in the page head), datapackage.json (every resource's title and its sources'
publishers and titles) and the published curated table oil_supply_reported.csv (every row's note and publisher). A
separate app process serves that copy (Dash keeps one app per process), and headless Chromium opens the pages with
the Content-Security-Policy bypassed, so that the test checks the escaping itself and not only the CSP behind it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.browser

MARK = "__pwned"
SCRIPT = f"<script>window.{MARK}=1</script>"
IMG = f'<img src=x onerror="window.{MARK}=1">'
SVG = f"<svg onload=window.{MARK}=1>"
CLOSE = f"</script><script>window.{MARK}=1</script>"
QUOTE_TEXT = f"Quoted claim {SCRIPT} ends"
CONCLUSION_TEXT = f"Our conclusion {IMG} ends"
PUBLISHER_TEXT = f"Publisher {IMG} Ltd"
TITLE_TEXT = f"Resource title {SCRIPT}"
NOTE_TEXT = f"Curated note {SVG} ends"
ROW_PUBLISHER_TEXT = f"Row publisher {SCRIPT}"
# Elements a payload would create if it were parsed as HTML (none of our pages has any of them).
INJECTED = "img[src='x'], img[onerror], svg[onload], script:not([src]):not([type])"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def poison(data: Path) -> str:
    """Put the payloads into the copy of data/; returns the id of the claim that carries them (it has a chart)."""
    from dashboard.chartdefs.claims import has_chart

    doc = json.loads((data / "claims.json").read_text(encoding="utf-8"))
    claim = next(c for c in doc["claims"] if has_chart(c))
    claim["quote"] = QUOTE_TEXT
    claim["conclusion_en"] = CONCLUSION_TEXT
    claim["context"] = f"Context {IMG}"
    for measured in claim["measured"]:
        if measured.get("status") == "ok":
            measured["publisher"] = PUBLISHER_TEXT
            measured["label"] = f"Series {SVG}"
    for row in claim.get("evidence_rows") or []:  # the rows behind the label, listed on the card and charted
        row["publisher"] = PUBLISHER_TEXT
        row["series"] = f"Series {SVG}"
    (data / "claims.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")

    reviews = json.loads((data / "claims-review.jsonld").read_text(encoding="utf-8"))
    for review in reviews:
        review["claimReviewed"] = f"{review['claimReviewed']} {CLOSE}"
    (data / "claims-review.jsonld").write_text(json.dumps(reviews, ensure_ascii=False), encoding="utf-8")

    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        res["title"] = f"{res.get('title', '')} {TITLE_TEXT}"
        for src in res.get("sources", []):
            src["publisher"] = PUBLISHER_TEXT
            src["title"] = f"{src.get('title', '')} {SCRIPT}"
    (data / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")

    table = data / "oil_supply_reported.csv"
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    for row in rows:
        row["note"] = NOTE_TEXT
        row["publisher"] = ROW_PUBLISHER_TEXT
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    table.write_text(out.getvalue(), encoding="utf-8")
    # Published like the ETL would publish poisoned upstream text: each file's sha256 and size recorded in the
    # package (the dashboard refuses files that do not match their record, issue 15).
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        content = (data / res["path"]).read_bytes()
        res["hash"], res["bytes"] = f"sha256:{hashlib.sha256(content).hexdigest()}", len(content)
    (data / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    return claim["claim_id"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    """The dashboard on a poisoned copy of data/, in its own process."""
    root = tmp_path_factory.mktemp("injection")
    shutil.copytree(REPO / "data", root / "data")
    claim_id = poison(root / "data")
    port = free_port()
    env = {
        **os.environ,
        "CUBA_DATA_DIR": str(root / "data"),
        "CUBA_CACHE_DIR": str(root / "cache"),
        "CUBA_WARM_IMAGES": "0",  # no background SVG renders in this process
    }
    log = open(root / "app.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "--port", str(port)], cwd=REPO, env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start: {(root / 'app.log').read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield base, claim_id, root / "app.log"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(bypass_csp=True)  # test the escaping, not the CSP that would also stop it
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    yield page
    context.close()


def open_and_check(page, url: str, texts: list[str], *, wait_dash: bool = True) -> str:
    """Load the page, wait until each text is rendered as text, and check that nothing executed or was injected."""
    response = page.goto(url, wait_until="domcontentloaded")
    for text in texts:
        try:
            page.wait_for_function("t => document.body && document.body.innerText.includes(t)", arg=text, timeout=20000)
        except Exception as exc:
            body = page.evaluate("document.body ? document.body.innerText : ''")
            raise AssertionError(f"{url}: {text!r} is not shown as text; page text starts {body[:400]!r}") from exc
    if wait_dash:
        page.wait_for_load_state("networkidle")
    assert page.evaluate(f"typeof window.{MARK}") == "undefined", f"{url}: a payload executed"
    injected = page.evaluate(f"Array.from(document.querySelectorAll({INJECTED!r})).map(e => e.outerHTML)")
    injected = [html for html in injected if MARK in html or 'src="x"' in html]
    assert not injected, f"{url}: payload parsed as HTML: {injected}"
    return response.status if response else 0


def test_claims_page_shows_quotes_and_conclusions_as_text(site, page):
    base, claim, _log = site
    status = open_and_check(page, f"{base}/?claim={claim}", [QUOTE_TEXT, CONCLUSION_TEXT, PUBLISHER_TEXT])
    assert status == 200
    # The claim's page too, whose head carries its ClaimReview JSON-LD: the payload stays inside the JSON, not as a
    # closing tag.
    status = open_and_check(page, f"{base}/claims/{claim}", [QUOTE_TEXT, CONCLUSION_TEXT, PUBLISHER_TEXT])
    assert status == 200
    scripts = page.evaluate(
        "Array.from(document.querySelectorAll('script[type=\"application/ld+json\"]')).map(s => s.textContent)"
    )
    assert len(scripts) == 1
    assert CLOSE in json.dumps(json.loads(scripts[0]), ensure_ascii=False)
    assert not page.errors, page.errors


def test_data_page_shows_titles_and_publishers_as_text(site, page):
    base, _claim, _log = site
    status = open_and_check(page, f"{base}/data", [TITLE_TEXT, PUBLISHER_TEXT])
    assert status == 200
    assert not page.errors, page.errors


def test_oil_page_shows_curated_notes_and_publishers_as_text(site, page):
    base, _claim, _log = site
    status = open_and_check(page, f"{base}/oil?tab=table", [NOTE_TEXT, ROW_PUBLISHER_TEXT])
    assert status == 200
    assert not page.errors, page.errors


def test_claim_embed_shows_the_quote_and_sources_as_text(site, page):
    base, claim, _log = site
    status = open_and_check(page, f"{base}/embed/claim-{claim}", [QUOTE_TEXT, PUBLISHER_TEXT], wait_dash=False)
    assert status == 200
    assert QUOTE_TEXT in page.locator("p.sub").inner_text()  # a claim chart's title is its finding, the quote below
    page.wait_for_selector("#chart .main-svg", timeout=20000)  # plotly drew the figure (legend names from data)
    assert page.evaluate(f"typeof window.{MARK}") == "undefined"
    assert not page.errors, page.errors


def test_oil_embed_shows_publishers_as_text(site, page):
    base, _claim, _log = site
    status = open_and_check(page, f"{base}/embed/oil-shipments", [PUBLISHER_TEXT], wait_dash=False)
    assert status == 200
    page.wait_for_selector("#chart .main-svg", timeout=20000)
    assert page.evaluate(f"typeof window.{MARK}") == "undefined"


@pytest.mark.parametrize(
    ("path", "status", "reflected"),
    [
        (f"/generation?country=CUB~{quote(IMG)}", 400, IMG),
        (f"/?claim={quote(CLOSE)}", 400, CLOSE),
        (f"/nope/{quote(IMG, safe='')}", 404, IMG),
        (f"/oil?start={quote(SCRIPT)}", 400, None),  # these messages do not repeat the value
        (f"/download/{quote(SCRIPT, safe='')}.csv", 404, None),
        (f"/embed/{quote(IMG, safe='')}", 404, None),
        (f"/embed/une-supply-demand?theme={quote(SVG)}", 400, None),
        (f"/files/{quote(SCRIPT, safe='')}", 404, None),
    ],
)
def test_error_pages_show_the_address_as_text(site, page, path, status, reflected):
    base, _claim, _log = site
    response = page.goto(f"{base}{path}", wait_until="load")
    assert response.status == status
    text = page.evaluate("document.body.innerText")
    assert page.evaluate("document.querySelector('h1') !== null"), "a helpful page, with a heading"
    if reflected:
        assert reflected in text, text[:500]
    assert page.evaluate(f"typeof window.{MARK}") == "undefined"
    assert not page.evaluate(f"Array.from(document.querySelectorAll({INJECTED!r})).length")


def test_pages_and_embeds_also_forbid_inline_scripts(site):
    """Defence in depth: even an unescaped payload could not run, because no inline script is allowed."""
    base, claim, _log = site
    for path in ("/", "/data", f"/embed/claim-{claim}", "/nope"):
        with urllib.request.urlopen(f"{base}{path}") if path != "/nope" else _error(f"{base}{path}") as answer:
            csp = answer.headers["Content-Security-Policy"]
        script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, (path, csp)


def _error(url: str):
    try:
        urllib.request.urlopen(url)
    except urllib.error.HTTPError as exc:
        return exc
    raise AssertionError(f"{url} did not fail")


def test_the_app_logged_no_server_error(site):
    """Every page above was answered without an exception (the payloads broke nothing server-side either)."""
    _base, _claim, log = site
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text[-3000:]
    assert '" 500 ' not in text, text[-3000:]

"""Issue 19 item 4, citable downloads: a chart's zip (the CSV of exactly what is drawn, metadata.json, a README with a
ready citation) and the whole data package's, at stable URLs, with the same bytes for the same data version, linked
from the chart's download row and cite box."""

from __future__ import annotations

import io
import json
import threading
import zipfile
from pathlib import Path

import pytest
import requests

from dashboard import data as data_module
from tests.http.test_pinned_versions import git

SITE = "https://energy.example.org"
CHART = "generation-by-source"
VIEW = "start=2010&end=2024"


@pytest.fixture(scope="module")
def zip_server(tmp_path_factory):
    from werkzeug.serving import make_server

    from dashboard.app import create_app
    from dashboard.data import DataStore
    from tests.http.test_loading_bad_data import copy_data

    repo = tmp_path_factory.mktemp("zips")
    paths = copy_data(repo)
    git(repo, "init", "-q")  # the data are in the site's history: links pinned to them keep working
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "data")
    previous = data_module._STORE  # create_app configures the process-wide store: put it back afterwards
    store = DataStore(paths)
    app = create_app(store, site_url=SITE)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", store, paths
    server.shutdown()
    data_module._STORE = previous


def members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_a_chart_zip_holds_the_drawn_csv_metadata_and_a_citation(zip_server):
    base, store, _paths = zip_server
    answer = requests.get(f"{base}/download/{CHART}.zip?{VIEW}", headers={"Host": "evil.example"}, timeout=60)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/zip"
    assert f'filename="{CHART}.zip"' in answer.headers["Content-Disposition"]
    files = members(answer.content)
    assert set(files) == {f"{CHART}.csv", "metadata.json", "README.txt"}
    # exactly what the chart's CSV download gives for the same view
    assert files[f"{CHART}.csv"] == requests.get(f"{base}/download/{CHART}.csv?{VIEW}", timeout=60).content
    meta = json.loads(files["metadata.json"])
    version_id = store.version_id
    assert meta["data_version"] == version_id and meta["pinned"] is False
    assert meta["title"] and meta["units"] and meta["licence"]["name"] == "CC-BY-4.0"
    assert meta["view_url"] == f"{SITE}/generation?{VIEW}#{CHART}"
    assert meta["pinned_embed_url"] == f"{SITE}/embed/{CHART}?{VIEW}&version={version_id}"
    assert meta["pinned_download_url"] == f"{SITE}/download/{CHART}.zip?{VIEW}&version={version_id}"
    for source in meta["sources"]:
        assert source["url"].startswith("http") and len(source["retrieved"]) == 10 and source["licence"]
    assert meta["method_notes"] and all(isinstance(n, str) for n in meta["method_notes"])
    readme = files["README.txt"].decode()
    assert meta["citation"] in readme and version_id in meta["citation"] and meta["view_url"] in readme
    assert "evil.example" not in readme + files["metadata.json"].decode()


def test_zips_have_the_same_bytes_for_the_same_data_version(zip_server):
    from dashboard import charts, citation

    base, store, _paths = zip_server
    first = requests.get(f"{base}/download/{CHART}.zip?{VIEW}", timeout=60).content
    spec = charts.get(CHART)
    state = charts.parse_state(spec, store, {"start": "2010", "end": "2024"})
    rebuilt = citation.chart_zip(spec, charts.build(CHART, store, state), state, store, SITE)  # not from a cache
    assert rebuilt == first
    package = requests.get(f"{base}/files/cuba-energy-data.zip", timeout=60).content
    assert citation.package_zip(store, SITE, "cuba-energy-data.zip") == package
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        stamps = {info.date_time for info in archive.infolist()}
    assert len(stamps) == 1  # fixed timestamps, not the moment it was built


def test_the_data_package_zip_has_every_table_and_a_citation(zip_server):
    base, store, _paths = zip_server
    files = members(requests.get(f"{base}/files/cuba-energy-data.zip", timeout=60).content)
    package = json.loads(files["datapackage.json"])
    for res in package["resources"]:
        assert res["path"] in files
    readme = files["README.txt"].decode()
    version_id = store.version_id
    assert f"(Version {version_id}) [Data set]" in readme
    assert f"{SITE}/files/cuba-energy-data.zip?version={version_id}" in readme


def test_bad_download_types_and_views_are_refused(zip_server):
    base, _store, _paths = zip_server
    assert requests.get(f"{base}/download/{CHART}.tar", timeout=60).status_code == 404
    assert requests.get(f"{base}/download/no-such-chart.zip", timeout=60).status_code == 404
    assert requests.get(f"{base}/download/{CHART}.zip?start=20x0", timeout=60).status_code == 400


def test_the_chart_card_offers_the_zip_and_the_pinned_embed(zip_server):
    from dashboard import charts
    from dashboard.chart_card import chart_card

    _base, store, _paths = zip_server
    spec = charts.get(CHART)
    state = charts.parse_state(spec, store, {"lang": "es"})
    card = str(chart_card(spec, charts.build(CHART, store, state), state, SITE).to_plotly_json())
    assert f"/download/{CHART}.zip?lang=es" in card and "ZIP citable" in card
    assert f"{SITE}/embed/{CHART}?lang=es&version={store.version_id}" in card


def test_a_version_not_in_the_history_is_named_but_not_offered_pinned(tmp_path):
    """A refresh that nobody committed serves today and is gone tomorrow: its zip names the version and cites the live
    view, and the cite box offers no pinned link that would break."""
    from dashboard import charts, citation
    from dashboard.chart_card import pinned_links
    from dashboard.data import DataStore
    from tests.http.test_loading_bad_data import copy_data

    store = DataStore(copy_data(tmp_path))  # not a git repository
    previous = data_module._STORE
    data_module.configure(store)
    try:
        spec = charts.get(CHART)
        state = charts.parse_state(spec, store, {})
        meta = citation.chart_metadata(spec, charts.build(CHART, store, state), state, store, SITE)
        assert meta["data_version"] == store.version_id and meta["pinned_embed_url"] is None
        assert meta["citation"].endswith(meta["view_url"])
        assert "not in the site's history yet" in citation.chart_readme(meta)
        boxes = pinned_links(spec, state, SITE, "en")  # the pinned embed and the archived page
        assert len(boxes) == 2 and all(box.hidden is True for box in boxes)  # in the layout (kept in step), not shown
        readme = members(citation.package_zip(store, SITE, "cuba-energy-data.zip"))["README.txt"].decode()
        assert "?version=" not in readme and "not in the site's history yet" in readme
    finally:
        data_module._STORE = previous


def test_the_zip_and_the_pinned_link_from_a_chart_page_in_the_browser(browser, zip_server):
    """A reader on /generation downloads the chart's zip from its download row and finds the pinned link in the
    cite box; the zip names the data version the pinned link carries."""
    base, store, _paths = zip_server
    version_id = store.version_id
    page = browser.new_page(accept_downloads=True)
    try:
        page.goto(f"{base}/generation?start=2010")
        link = page.locator(f'a[href="/download/{CHART}.zip?start=2010"]').first  # (a static first screen may precede)
        link.wait_for(timeout=60_000)
        # (the zip waits for the process's build slot behind the page's own first-screen images: minutes on a busy CI)
        with page.expect_download(timeout=240_000) as download:
            link.click()
        archive = members(Path(download.value.path()).read_bytes())
        pinned = page.locator(f"#{CHART} a.pinned-link").first.get_attribute("href", timeout=60_000)
    finally:
        page.close()
    meta = json.loads(archive["metadata.json"])
    assert meta["data_version"] == version_id and meta["view"] == {"start": "2010"}
    assert pinned == f"{SITE}/embed/{CHART}?start=2010&version={version_id}" == meta["pinned_embed_url"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_download_row_and_the_opened_cite_box_have_no_axe_violations(browser, zip_server, lang):
    """The zip button and the pinned link (shown: these data are in the history) pass axe-core, in both languages."""
    from tests.browser.test_accessibility import open_page, violations, with_lang

    base, _store, _paths = zip_server
    page, errors = open_page(browser, with_lang(f"{base}/generation", lang), charts=0)
    page.locator(f'a[href^="/download/{CHART}.zip"]').first.wait_for(timeout=60_000)
    page.locator(f"#{CHART} details.share-box > summary").first.click()
    assert page.locator(f"#{CHART} a.pinned-link").first.is_visible()
    assert violations(page) == []
    assert errors == []
    page.close()

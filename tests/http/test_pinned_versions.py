"""Issue 19 item 5, the chart as cited: `?version=<id>` keeps showing a chart as it was at that data version, from the
repository's own history of data/ (dashboard/versions.py), while the plain URL follows the live data. End to end on a
temporary git repository with two commits of the data package, served on a real local server."""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest
import requests

from dashboard import data as data_module
from dashboard.versions import VersionHistory, VersionNotAvailable
from tests.http.test_loading_bad_data import copy_data, rehash

CHART = "generation-by-source"
OLD_ROW = b"Cuba,CUB,2024,10979781,19.43,19.43,1769.616,16.0,"
NEW_ROW = b"Cuba,CUB,2024,10979781,19.43,19.43,1769.616,12.5,"


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    done = subprocess.run(
        ["git", "-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", "-C", str(repo), *args],
        capture_output=True,
        env=env,
        timeout=60,
        check=True,
    )
    return done.stdout.decode()


def package_id(paths) -> str:
    import hashlib

    return hashlib.sha256(paths.datapackage.read_bytes()).hexdigest()[:16]


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory):
    """A repository whose data/ has two commits: the old one says 16.0 TWh of oil power in 2024, the new one 12.5."""
    repo = tmp_path_factory.mktemp("repo")
    paths = copy_data(repo)  # repo/data, consistent with its package
    table = paths.data_dir / "owid_energy.csv"
    assert OLD_ROW in table.read_bytes()
    git(repo, "init", "-q")
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "old data")
    old_id = package_id(paths)
    table.write_bytes(table.read_bytes().replace(OLD_ROW, NEW_ROW, 1))
    rehash(paths, ["owid_energy.csv"])
    git(repo, "commit", "-q", "-am", "new data")
    new_id = package_id(paths)
    assert old_id != new_id
    return paths, old_id, new_id


@pytest.fixture(scope="module")
def pinned_server(two_versions):
    from werkzeug.serving import make_server

    from dashboard.app import create_app
    from dashboard.data import DataStore

    paths, old_id, new_id = two_versions
    previous = data_module._STORE  # create_app configures the process-wide store: put it back afterwards
    app = create_app(DataStore(paths), site_url="https://energy.example.org")
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", old_id, new_id
    server.shutdown()
    data_module._STORE = previous


def summary_of(page: str) -> str:
    return re.search(r'<p id="s" class="summary">(.*?)</p>', page, re.DOTALL).group(1)


def test_a_pinned_embed_shows_the_old_value_and_the_plain_one_the_new(pinned_server):
    base, old_id, new_id = pinned_server
    live = requests.get(f"{base}/embed/{CHART}", timeout=60)
    pinned = requests.get(f"{base}/embed/{CHART}?version={old_id}", timeout=60)
    current = requests.get(f"{base}/embed/{CHART}?version={new_id}", timeout=60)
    assert live.status_code == pinned.status_code == current.status_code == 200
    assert "12.5" in summary_of(live.text) and "16.0" not in summary_of(live.text)
    assert "16.0" in summary_of(pinned.text) and "12.5" not in summary_of(pinned.text)
    assert summary_of(current.text) == summary_of(live.text)
    again = requests.get(f"{base}/embed/{CHART}", timeout=60)  # the pin did not leak into later requests
    assert summary_of(again.text) == summary_of(live.text)
    # A pinned embed's own links stay on its version: its address, its PNG, a static embed's SVGs.
    assert f'content="https://energy.example.org/embed/{CHART}?version={old_id}"' in pinned.text
    assert f"/download/{CHART}.png?version={old_id}" in pinned.text
    static = requests.get(f"{base}/embed/{CHART}?static=1&theme=auto&version={old_id}", timeout=60).text
    sources = [html.unescape(u) for u in re.findall(r'(?:src|srcset)="(/screen/[^"]+)"', static)]
    assert len(sources) >= 3 and all(f"version={old_id}" in src for src in sources), sources
    # the light (no-script) embed's phone, tablet and desktop images are drawn from the pinned version too
    light = requests.get(f"{base}/embed/{CHART}?light=1&version={old_id}", timeout=60).text
    screens = [html.unescape(u) for u in re.findall(r'(?:src|srcset)="(/screen/[^"]+)"', light)]
    assert len(screens) >= 3 and all(f"version={old_id}" in u for u in screens), screens


def test_pinned_downloads_and_zip_metadata_name_the_version(pinned_server):
    base, old_id, _new_id = pinned_server
    old_csv = requests.get(f"{base}/download/{CHART}.csv?version={old_id}", timeout=60)
    new_csv = requests.get(f"{base}/download/{CHART}.csv", timeout=60)
    assert old_csv.status_code == new_csv.status_code == 200 and old_csv.content != new_csv.content
    answer = requests.get(f"{base}/download/{CHART}.zip?version={old_id}", timeout=60)
    assert answer.status_code == 200
    assert f"{CHART}-{old_id}.zip" in answer.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        meta = json.loads(archive.read("metadata.json"))
        assert archive.read(f"{CHART}.csv") == old_csv.content
        readme = archive.read("README.txt").decode()
    assert meta["data_version"] == old_id and meta["pinned"] is True
    assert meta["pinned_embed_url"].startswith("https://energy.example.org/embed/")
    assert f"version={old_id}" in meta["pinned_embed_url"] and old_id in meta["citation"]
    assert old_id in readme
    package = requests.get(f"{base}/files/cuba-energy-data.zip?version={old_id}", timeout=60)
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        assert OLD_ROW in archive.read("owid_energy.csv")
        assert f"Version {old_id}" in archive.read("README.txt").decode()


def test_malformed_and_unknown_versions_answer_400_and_404_with_the_error_page(pinned_server):
    base, old_id, _new_id = pinned_server
    for bad in ("zz", "../../etc", "0123456789ABCDEF", "1" * 40):
        answer = requests.get(f"{base}/embed/{CHART}", params={"version": bad}, timeout=60)
        assert answer.status_code == 400, bad
        assert "<h1>" in answer.text and "Traceback" not in answer.text
    unknown = requests.get(f"{base}/download/{CHART}.zip?version=0123456789abcdef", timeout=60)
    assert unknown.status_code == 404 and "version not available" in unknown.text
    for path in ("/generation", f"/oembed?url=https://energy.example.org/embed/{CHART}%3Fversion%3D"):
        assert (
            requests.get(
                f"{base}{path}{'&' if '?' in path else '?'}version=zz" if path == "/generation" else f"{base}{path}zz",
                timeout=60,
            ).status_code
            == 400
        ), path
        assert (
            requests.get(
                f"{base}{path}{'&' if '?' in path else '?'}version=0123456789abcdef"
                if path == "/generation"
                else f"{base}{path}0123456789abcdef",
                timeout=60,
            ).status_code
            == 404
        ), path
    bad_view = requests.get(f"{base}/generation?version={old_id}&start=nonsense", timeout=60)
    assert bad_view.status_code == 400 and "Traceback" not in bad_view.text


def site_addresses(page: str) -> list[str]:
    """Every site address an archived page's HTML holds in href, src, action or srcset."""
    found = re.findall(r'\s(?:href|src|action)="(/[^"]*)"', page)
    for srcset in re.findall(r'\ssrcset="([^"]*)"', page):
        found += [item.strip().split(" ")[0] for item in srcset.split(",")]
    return [html.unescape(a) for a in found if not a.startswith(("/assets/", "/static/", "/_dash"))]


def test_an_archived_page_shows_the_old_figures_and_keeps_every_address_on_its_version(pinned_server):
    """`/<page>?version=<id>`: the page as it was (its static copy, no script), a banner naming the version and the
    live page, every chart image, download, embed and page link on that version, and the live page canonical."""
    base, old_id, _new_id = pinned_server
    archived = requests.get(f"{base}/generation?version={old_id}", timeout=60)
    live = requests.get(f"{base}/generation?light=1", timeout=60)
    assert archived.status_code == live.status_code == 200
    page = archived.text
    assert "oil generated 16.0 of" in page and "oil generated 12.5 of" not in page
    assert "oil generated 12.5 of" in live.text
    banner = re.search(r'<div id="archived-banner".*?</div></div>', page, re.DOTALL)[0]
    assert old_id in banner and 'href="/generation"' in banner and "Archived view" in banner
    assert '<meta name="robots" content="noindex">' in page and archived.headers["X-Robots-Tag"] == "noindex"
    assert '<link rel="canonical" href="https://energy.example.org/generation">' in page
    assert "<script src=" not in page and "data-sf-src" not in page  # no script at all
    addresses = site_addresses(page)
    live_links = re.findall(r'<a[^>]*data-live="1"[^>]*>', page)
    assert len(live_links) == 1 and 'href="/generation"' in live_links[0]  # the header's switch leads to the live page
    pinned = [a for a in addresses if f"version={old_id}" in a]
    assert len(pinned) == len(addresses) - 2, sorted(set(addresses) - set(pinned))  # all but the two live links
    assert any(a.startswith("/screen/") for a in pinned) and any(a.startswith(f"/download/{CHART}.zip") for a in pinned)
    assert any(a.startswith("/oil?") for a in pinned)  # the navigation stays in the archive
    # its first chart image is the old figure's, not the live one's
    first = html.unescape(re.search(r'<img class="sf-img" src="([^"]+)"', page)[1])
    old_image = requests.get(base + first, timeout=120)
    live_image = requests.get(base + re.sub(r"&version=[0-9a-f]+", "", first), timeout=120)
    assert old_image.status_code == live_image.status_code == 200 and old_image.content != live_image.content
    # a frozen chart says so on its card and in its downloaded image (a screenshot or a saved file travels without
    # the banner); the live ones do not
    mark = f"Archived copy: data version {old_id}"
    assert mark in html.unescape(page) and "Archived copy" not in live.text
    svg = requests.get(f"{base}/download/{CHART}.svg?version={old_id}", timeout=120).text
    assert "Archived copy" in svg and old_id in svg  # (the source line may wrap between them)
    assert "Archived copy" not in requests.get(f"{base}/download/{CHART}.svg", timeout=120).text
    for path in (f"/embed/{CHART}", "/files/datapackage.json", f"/download/{CHART}.csv", "/share/generation.png"):
        pinned = requests.get(f"{base}{path}?version={old_id}", timeout=120)
        assert pinned.headers["Cache-Control"] == "public, max-age=31536000, immutable", path  # it never changes
        assert "immutable" not in requests.get(f"{base}{path}", timeout=120).headers.get("Cache-Control", "")
    # the controls' form keeps the version, through the redirect a submission gets
    assert f'<input type="hidden" name="version" value="{old_id}">' in page
    submitted = requests.get(
        f"{base}/generation",
        params={"sf": "1", "light": "1", "version": old_id, "start": "2010"},
        timeout=60,
        allow_redirects=False,
    )
    assert submitted.status_code == 303 and f"version={old_id}" in submitted.headers["Location"]
    # Spanish: the banner in Spanish, its live link keeps the language
    spanish = requests.get(f"{base}/generation?version={old_id}&lang=es", timeout=60).text
    assert "Vista archivada" in spanish and 'href="/generation?lang=es"' in spanish


def test_the_live_cite_box_offers_the_pinned_page_and_oembed_answers_a_pinned_url_with_pinned_code(pinned_server):
    base, old_id, new_id = pinned_server
    live = requests.get(f"{base}/generation?light=1", timeout=60).text
    pinned_page = f"https://energy.example.org/generation?version={new_id}#{CHART}"
    assert f'href="{html.escape(pinned_page)}"' in live  # the cite box: this page, archived at today's version
    for url in (
        f"https://energy.example.org/generation?version={old_id}#{CHART}",
        f"https://energy.example.org/embed/{CHART}?version={old_id}",
    ):
        answer = requests.get(f"{base}/oembed", params={"url": url}, timeout=60)
        assert answer.status_code == 200, url
        body = answer.json()
        assert f"/embed/{CHART}?version={old_id}" in body["html"] and f"version={old_id}" in body["thumbnail_url"]
    plain = requests.get(f"{base}/oembed", params={"url": f"https://energy.example.org/generation#{CHART}"}, timeout=60)
    assert "version=" not in plain.json()["html"]


def test_without_git_history_an_old_version_is_not_available_but_the_live_one_is(tmp_path, two_versions):
    from dashboard.app import create_app
    from dashboard.data import DataStore

    paths, old_id, new_id = two_versions
    bare = copy_data(tmp_path)  # no .git anywhere above tmp_path's data
    shutil.copyfile(paths.datapackage, bare.datapackage)
    shutil.copyfile(paths.data_dir / "owid_energy.csv", bare.data_dir / "owid_energy.csv")
    with pytest.raises(VersionNotAvailable, match="version not available"):
        VersionHistory(bare.data_dir).load(old_id)
    previous = data_module._STORE
    client = create_app(DataStore(bare), site_url="https://energy.example.org").server.test_client()
    answer = client.get(f"/embed/{CHART}?version={old_id}")
    assert answer.status_code == 404 and b"version not available" in answer.data
    try:
        assert client.get(f"/embed/{CHART}?version={new_id}").status_code == 200  # the live one needs no history
    finally:
        data_module._STORE = previous


def test_at_most_a_few_pinned_versions_are_kept_in_memory(two_versions):
    paths, old_id, _new_id = two_versions
    history = VersionHistory(paths.data_dir, max_versions=1)
    first = history.load(old_id)
    assert history.load(old_id) is first and history.loaded_ids() == [old_id]
    assert first.id == old_id and first.tables["owid_energy"] is not None


def test_the_archived_page_in_the_browser_draws_every_chart_of_its_version(browser, pinned_server):
    """An archived page on a phone: every chart image is drawn (none broken), its figures are the old ones, it runs no
    script, and axe-core finds nothing (the banner and the live link included), in both languages."""
    from tests.browser.test_accessibility import violations

    base, old_id, _new_id = pinned_server
    page = browser.new_page(viewport={"width": 375, "height": 812}, bypass_csp=True)  # (axe is added by the test)
    try:
        page.goto(f"{base}/generation?version={old_id}")
        images = page.locator("img.sf-img")
        count = images.count()
        assert count >= 3
        for i in range(count):
            images.nth(i).scroll_into_view_if_needed()
            page.wait_for_function(
                "img => img.complete && img.naturalWidth > 0", arg=images.nth(i).element_handle(), timeout=120_000
            )
        assert page.locator("#archived-banner").is_visible()
        assert "16.0" in page.locator(f"#{CHART}-summary").inner_text()
        assert page.evaluate("() => document.scripts.length") == 0
        assert violations(page) == []
        page.goto(f"{base}/?version={old_id}&lang=es")
        assert "Vista archivada" in page.locator("#archived-banner").inner_text()
        assert violations(page) == []
    finally:
        page.close()


def test_the_pinned_embed_in_the_browser_shows_the_old_value(browser, pinned_server):
    base, old_id, _new_id = pinned_server
    page = browser.new_page()
    try:
        page.goto(f"{base}/embed/{CHART}?version={old_id}")
        page.wait_for_selector("#chart .main-svg", state="attached", timeout=60_000)
        pinned_text = page.locator("#s").inner_text()
        drawn = page.evaluate("() => JSON.stringify(document.getElementById('chart').data)")
        page.goto(f"{base}/embed/{CHART}")
        page.wait_for_selector("#chart .main-svg", state="attached", timeout=60_000)
        live_text = page.locator("#s").inner_text()
    finally:
        page.close()
    assert "16.0" in pinned_text and "12.5" in live_text
    assert "16" in drawn and "12.5" not in drawn  # the drawn trace holds the old value


def test_a_pinned_version_is_judged_stale_as_on_the_day_it_was_published(two_versions):
    """A version published on 30 April 2026 whose daily series ends on 29 April was current that day: pinned, it still
    says so; the same package read as live today is stale."""
    from dashboard.data import DataStore, verify_version

    paths, old_id, _new_id = two_versions
    old = VersionHistory(paths.data_dir).load(old_id)
    package = json.loads(old.files["datapackage.json"])
    for res in package["resources"]:
        res["x_last_changed"] = "2026-04-30T03:17:00Z"
        if res["path"] == "une_daily.csv":
            res["x_latest_observation"], res["x_expected_cadence_days"] = "2026-04-29", 2
    files = {**old.files, "datapackage.json": json.dumps(package).encode()}
    april = verify_version(paths.data_dir, files)
    store = DataStore(paths)
    with store.pinned(april):
        assert store.version_id == april.id
        assert not store.table_staleness("une_daily").is_stale
        assert store.table_staleness("une_daily", date(2026, 12, 6)).is_stale  # the day is what differs
    assert not store.is_pinned and store.version_id != april.id


def test_an_archived_page_cites_and_links_its_version_everywhere_and_its_changelog_stops_at_its_day(pinned_server):
    """Second reader (docs/reviews/2026-12-06-archived-pages-review.md): on an archived copy every address a reader
    copies — the share link, the embed code, the citation, the link preview image — names the version; the pinned
    lines do not say "as it is now"; and the live page's citation names its version too, as the chart's zip does."""
    base, old_id, new_id = pinned_server
    page = requests.get(f"{base}/generation?version={old_id}", timeout=60).text
    share = html.unescape(re.search(r'<input[^>]*id="[^"]*chart-share[^"]*"[^>]*value="([^"]+)"', page)[1])
    assert share == f"https://energy.example.org/generation?version={old_id}#{CHART}"
    embed_code = html.unescape(re.search(r"<textarea[^>]*chart-embed[^>]*>(.*?)</textarea>", page, re.DOTALL)[1])
    assert f'src="https://energy.example.org/embed/{CHART}?version={old_id}"' in html.unescape(embed_code)
    citations = [html.unescape(c) for c in re.findall(r'<p class="small citation">(.*?)</p>', page, re.DOTALL)]
    assert citations and all(f"Data version {old_id}." in c and f"version={old_id}" in c for c in citations)
    assert "as it is now" not in page
    image = re.search(r'<meta property="og:image" content="([^"]+)"', page)[1]
    assert f"version={old_id}" in html.unescape(image)
    claim = requests.get(f"{base}/claims/twenty-hours-without-power?version={old_id}", timeout=60).text
    claim_link = html.unescape(re.search(r'<input[^>]*id="claim-page-url"[^>]*value="([^"]+)"', claim)[1])
    assert claim_link == f"https://energy.example.org/claims/twenty-hours-without-power?version={old_id}"
    claim_citations = re.findall(r'<p class="small citation">(.*?)</p>', claim, re.DOTALL)
    assert claim_citations and all(f"Data version {old_id}." in html.unescape(c) for c in claim_citations)
    live = requests.get(f"{base}/generation?light=1", timeout=60).text
    live_citation = html.unescape(re.search(r'<p class="small citation">(.*?)</p>', live, re.DOTALL)[1])
    assert f"Data version {new_id}." in live_citation and f"/generation?version={new_id}#{CHART}" in live_citation
    live_share = html.unescape(re.search(r'<input[^>]*id="[^"]*chart-share[^"]*"[^>]*value="([^"]+)"', live)[1])
    assert "version=" not in live_share  # the live link stays live


def test_a_pinned_version_reads_the_changelog_only_up_to_its_publication(two_versions):
    """An archived page must not show a refresh or a label change that came after its version was published (the
    changelog is one file for all versions)."""
    from dashboard.data import DataStore

    paths, old_id, _new_id = two_versions
    store = DataStore(paths)
    record = {
        "started_at": "2099-01-01T00:00:00Z",
        "finished_at": "2099-01-01T00:01:00Z",
        "changed": True,
        "sources": {
            "claims": {
                "status": "ok",
                "tables": [],
                "label_changes": [
                    {
                        "claim_id": "test-claim-later",
                        "old": "Consistent with the data",
                        "new": "Not consistent with the data",
                    }
                ],
            }
        },
    }
    original = paths.changelog.read_bytes()
    try:
        paths.changelog.write_bytes(original + (json.dumps(record) + "\n").encode())
        assert store.changelog(5)[0]["started_at"] == "2099-01-01T00:00:00Z"  # live: the newest run
        assert store.label_changes("test-claim-later")
        with store.pinned(VersionHistory(paths.data_dir).load(old_id)):
            assert all(r["started_at"] < "2099" for r in store.changelog(5))
            assert store.label_changes("test-claim-later") == []
    finally:
        paths.changelog.write_bytes(original)


def test_a_version_published_before_a_table_existed_is_shown_with_that_table_empty(tmp_path):
    """Second reader, round 2: refusing every version that lacks a table the live data have would retire all older
    versions each time a table is added. A version published before a table existed is shown (pages, embeds,
    downloads): the code draws today's tables, and the missing one is empty there ("no data"), never a 500."""
    from dashboard.app import create_app
    from dashboard.data import DataStore

    repo = tmp_path / "repo"
    paths = copy_data(repo)
    complete = paths.datapackage.read_bytes()
    later = ["une_source_conflicts.csv", "une_weekly.csv"]  # one nothing draws, one the long daily charts draw
    kept = {name: (paths.data_dir / name).read_bytes() for name in later}
    package = json.loads(complete)
    package["resources"] = [r for r in package["resources"] if r["path"] not in later]
    paths.datapackage.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for name in later:
        (paths.data_dir / name).unlink()
    git(repo, "init", "-q")
    git(repo, "add", "-A", "data")
    git(repo, "commit", "-q", "-m", "before the tables existed")
    old_id = package_id(paths)
    for name, content in kept.items():
        (paths.data_dir / name).write_bytes(content)
    paths.datapackage.write_bytes(complete)
    git(repo, "add", "-A", "data")
    git(repo, "commit", "-q", "-m", "the tables are published")
    previous = data_module._STORE
    try:
        client = create_app(DataStore(paths), site_url="https://energy.example.org").server.test_client()
        for path in ("/blackouts", "/", "/data", "/embed/une-supply-demand", "/download/une-supply-demand.csv"):
            answer = client.get(f"{path}?version={old_id}")
            assert answer.status_code == 200, (path, answer.status_code, answer.get_data(as_text=True)[:300])
        page = client.get(f"/blackouts?version={old_id}").get_data(as_text=True)
        assert "Archived view" in page and old_id in page
        # a chart drawing the weekly means says it was not published then, and its summary gives no figure that
        # an empty chart would contradict (third reader: empty axes under "1,710 MW available")
        summary = re.search(r'id="une-supply-demand-summary"[^>]*>(.*?)</p>', page, re.DOTALL)[1]
        assert f"Not published at data version {old_id}" in summary and "une_weekly" in summary
        assert "MW" not in summary
        live = client.get("/blackouts?light=1").get_data(as_text=True)
        assert "Not published" not in live
        files = client.get(f"/files/datapackage.json?version={old_id}")
        assert files.status_code == 200 and not any(name in files.get_data(as_text=True) for name in later)
        assert client.get("/blackouts?light=1").status_code == 200  # the live page is untouched by the pin
    finally:
        data_module._STORE = previous


def test_an_archived_pages_own_images_go_first_but_other_pinned_renders_stay_limited(two_versions, monkeypatch):
    """Second reader, round 2: every image of an archived page counted against the reader's render budget, so a page
    with many charts showed some of them blank (429). The images an archived page links to in its default view (the
    live pages' linked set, at another version) go first, as the live ones do; any other pinned render is limited."""
    from dashboard import render
    from dashboard.app import create_app
    from dashboard.data import DataStore

    if render.browser_missing():
        pytest.skip("no Chromium to draw the images")
    paths, old_id, _new_id = two_versions
    monkeypatch.setenv("CUBA_EXPENSIVE_BURST", "0")  # a reader who may cause no render at all
    monkeypatch.setenv("CUBA_EXPENSIVE_PER_MINUTE", "0")
    previous = data_module._STORE
    try:
        client = create_app(DataStore(paths), site_url="https://energy.example.org").server.test_client()
        client.environ_base["REMOTE_ADDR"] = "198.51.100.7"  # a reader on the internet (loopback is this machine)
        live = client.get("/generation?light=1").get_data(as_text=True)
        live_first = html.unescape(re.search(r'<img class="sf-img" src="([^"]+)"', live)[1])
        assert client.get(live_first).status_code == 200  # a live linked image (this lists the linked set)
        # (reading the old version from git is itself an expensive answer: this machine asks first, as the cite box's
        # own link or a previous reader would have)
        client.get(f"/generation?version={old_id}", environ_overrides={"REMOTE_ADDR": "127.0.0.1"})
        archived = client.get(f"/generation?version={old_id}").get_data(as_text=True)
        images = [html.unescape(src) for src in re.findall(r'<img class="sf-img" src="([^"]+)"', archived)]
        assert len(images) >= 3
        for src in images:
            answer = client.get(src)
            assert answer.status_code == 200 and answer.data.startswith(b"<svg"), (src, answer.status_code)
        other = client.get(f"/download/{CHART}.png?start=2010&version={old_id}")
        assert other.status_code == 429  # not what the archived page links to: this reader's budget is 0
    finally:
        data_module._STORE = previous

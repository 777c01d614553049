"""Issue 15: rendering ahead of time, and re-warming after a new data version (also the readiness probe's test: 503
until the images are rendered, then 200). A worker serving version A notices a refresh publishing version B
within seconds (its data watcher), renders the images the pages link to for B in the background, and serves them
from memory under B's keys before readers ask; a reader who asks earlier is served first, never refused, and never
gets A's image under B. gunicorn with deploy/gunicorn.conf.py on 127.0.0.1 (tests/support/gunicorn_server.py), over a
copy of data/ in a temp dir into which B is published as the ETL does (table first, then its package record).
"""

from __future__ import annotations

import hashlib
import html
import re
import time

import requests

from tests.http.test_loading_bad_data import copy_data, edit_cells, rehash
from tests.support.gunicorn_server import Gunicorn

# The worker's log line once every linked image of a version has been tried ("all N" when none failed; a render that
# fails — e.g. a chart Chromium cannot draw — is reported there and does not make the others wait).
READY = (
    r"linked images ready: (?:all )?(\d+) (?:of \d+ )?images the pages link to are rendered for data version {version}"
)
# A client with no budget at all (the server runs with a per-client limit of 0): any render it caused would be 429.
NO_BUDGET = {"X-Forwarded-For": "198.51.100.20"}


def fetch(base: str, path: str, headers: dict[str, str] | None = None) -> requests.Response:
    return requests.get(base + path, headers=headers or {}, timeout=120)


def wait_for_line(server: Gunicorn, pattern: str, seconds: float) -> re.Match[str]:
    """The first line of the server's log matching `pattern`, waiting up to `seconds` (the images of a version take
    a minute or two to render on a busy 2-core machine)."""
    deadline = time.monotonic() + seconds
    while True:
        found = re.search(pattern, server.output())
        if found or time.monotonic() > deadline:
            assert found, f"no log line {pattern!r}; log ends with:\n{server.output()[-3000:]}"
            return found
        time.sleep(1)


def test_a_new_data_version_has_its_linked_images_rendered_before_readers_ask(tmp_path):
    from dashboard import charts
    from dashboard.data import DataStore

    paths = copy_data(tmp_path)  # version A
    store = DataStore(paths, reload_check_seconds=0)
    spec = charts.get("une-supply-demand")  # the blackouts page's first chart and its share image
    png = charts.download_path(spec, charts.narrow(spec, store, charts.parse_state(spec, store, {})), "png")
    with Gunicorn(
        tmp_path / "server.log",
        CUBA_DATA_DIR=str(paths.data_dir),
        CUBA_CACHE_DIR=str(paths.cache_dir),
        CUBA_WARM_IMAGES="1",
        CUBA_THREADS="4",
        CUBA_EXPENSIVE_PER_MINUTE="0",
        CUBA_EXPENSIVE_BURST="0",
    ) as server:
        version_a = fetch(server.base, "/healthz").json()["version"]
        assert fetch(server.base, "/healthz/ready").status_code == 503  # a deploy's probe: not before its images
        old = {path: fetch(server.base, path) for path in (png, "/share/blackouts.png")}  # the machine itself
        assert all(r.status_code == 200 for r in old.values()), {p: r.status_code for p, r in old.items()}

        # A refresh publishes B: the latest evening-peak availability revised, in the daily table and its weekly
        # means (what the charts draw over years), then the package record.
        edit_cells(paths.data_dir / "une_daily.csv", "peak_availability_mw", "1110.0", match="1710.0")
        edit_cells(paths.data_dir / "une_weekly.csv", "peak_availability_mw", "1118.33", match="1718.33")
        rehash(paths, ["une_daily.csv", "une_weekly.csv"])
        version_b = store.version
        assert version_b != version_a
        deadline = time.monotonic() + 60  # the reload: this probe's or the worker's own watcher's, within seconds
        # (between the table and its package record /healthz may say "degraded", without a version: wait on)
        while fetch(server.base, "/healthz").json().get("version") != version_b:
            assert time.monotonic() < deadline, "version B was not loaded"
            time.sleep(0.2)

        # A reader who asks before the warmer got there is served first — not refused for having no budget — and
        # gets B's image, never A's under B's key.
        early = fetch(server.base, png, NO_BUDGET)
        assert early.status_code == 200, (early.status_code, early.text[:200])
        assert early.content.startswith(b"\x89PNG") and early.content != old[png].content

        ready = wait_for_line(server, READY.format(version=version_b), seconds=480)
        assert int(ready.group(1)) > 100  # every page's share image, every chart's default PNG, first screens...
        assert fetch(server.base, "/healthz/ready").json() == {"ready": True, "workers_ready": 1, "workers": 1}

        # Everything the pages of B link to is now served from memory, to a reader who may cause no render at all.
        tag = hashlib.sha256(version_b.encode()).hexdigest()[:12]
        home = fetch(server.base, "/").text
        screens = [html.unescape(src) for src in re.findall(r'src="(/screen/[^"]+)"', home)]
        assert screens and all(f"v={tag}" in src for src in screens), screens  # B's tag
        blackouts = fetch(server.base, "/blackouts").text
        first = html.unescape(re.search(r'<img class="sf-img" src="(/screen/une-supply-demand[^"]+)"', blackouts)[1])
        for path in ("/share/blackouts.png", "/share/generation.png", png, first, *screens):
            response = fetch(server.base, path, NO_BUDGET)
            assert response.status_code == 200 and response.headers["X-Cache"] == "hit", (path, response.status_code)
        for path in (first, *screens):
            assert "immutable" in fetch(server.base, path, NO_BUDGET).headers["Cache-Control"]  # tag is current
        share = fetch(server.base, "/share/blackouts.png", NO_BUDGET)
        assert share.content != old["/share/blackouts.png"].content  # drawn from B
        # Something the pages do not link to still needs a render, and this reader may cause none.
        assert fetch(server.base, "/download/une-supply-demand.png?start=2024-02-03", NO_BUDGET).status_code == 429

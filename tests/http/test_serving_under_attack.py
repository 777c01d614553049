"""Issue 15, the serving findings: each one as an attack on a real server on 127.0.0.1 — gunicorn with
deploy/gunicorn.conf.py as production runs it (tests/support/gunicorn_server.py), or the in-process `live_server`
for app-level limits — and what must hold afterwards.

1. Host-header cache poisoning: links come from CUBA_SITE_URL, never from the Host a client names.
2. Memory: the caches hold at most the per-worker byte budget, however many distinct large answers are asked for.
4. Slow clients: a request head or body sent slowly costs no thread and is cut at its deadline; sizes are capped.
5. Image renders: limited per client (429) and per process (503), pre-warmed for the views pages link to.
7. The claim page's ClaimReview names the configured site; changing CUBA_SITE_URL takes effect (cache keys).
10. Callback bodies: deep nesting → 400, too large → 413.
12. 405 with Allow; CORS on open data; repeated parameters → 400 everywhere; published files and the zip are
    always one complete version, keyed by the package record that built them.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import zipfile
from pathlib import Path

import pytest
import requests

from tests.conftest import REPO
from tests.support.gunicorn_server import SITE, Gunicorn

EVIL = "evil.example"
EMBED = "/embed/oil-balance?start=2015"
CLEAN = requests.utils.default_headers()


def fetch(base: str, path: str, **headers: str) -> requests.Response:
    return requests.get(base + path, headers={**CLEAN, **headers}, timeout=60)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    """One worker with two threads and short request deadlines, so slow clients would take every thread."""
    log = tmp_path_factory.mktemp("gunicorn") / "server.log"
    with Gunicorn(
        log,
        CUBA_HEADER_TIMEOUT="2",
        CUBA_BODY_TIMEOUT="2",
        CUBA_MAX_BODY_BYTES="65536",
        CUBA_EXPENSIVE_PER_MINUTE="600",
        CUBA_EXPENSIVE_BURST="100",
    ) as server:
        yield server


def factual_claim_id() -> str:
    reviews = json.loads((REPO / "data" / "claims-review.jsonld").read_text(encoding="utf-8"))
    return str(reviews[0]["url"]).rstrip("/").rsplit("/", 1)[-1]


def page_router_body(pathname: str, search: str = "") -> dict:
    """What the Dash renderer posts to render a page's content (the pages router callback)."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


# -- 1. Host-header cache poisoning ------------------------------------------------------------------------------------
def absolute_links(text: str) -> dict[str, str]:
    """The embed page's canonical, og:url, og:image, oEmbed discovery, noscript image and "Full view" link."""
    found = {
        "canonical": re.search(r'<link rel="canonical" href="([^"]*)"', text),
        "og:url": re.search(r'<meta property="og:url" content="([^"]*)"', text),
        "og:image": re.search(r'<meta property="og:image" content="([^"]*)"', text),
        "oembed": re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]*)"', text),
        "noscript": re.search(r'<noscript><img src="([^"]*)"', text),
        "full view": re.search(r'<a href="([^"]*)" target="_blank"', text),
    }
    return {name: (match.group(1) if match else "") for name, match in found.items()}


def test_links_come_from_the_site_url_never_from_the_host_header(site):
    """Six requests naming another Host (and one naming a broken one) must not change what clean clients get."""
    for _ in range(6):
        assert fetch(site.base, EMBED, Host=EVIL).status_code == 200
    fetch(site.base, EMBED, Host='x"><b>')
    for response in (fetch(site.base, EMBED), fetch(site.base, EMBED, Host=EVIL)):
        text = response.text
        links = absolute_links(text)
        assert all(url.startswith(f"{SITE}/") for url in links.values()), links
        assert EVIL not in text and "x&#34;&gt;" not in text and "http:/oil" not in text

    claim = factual_claim_id()
    for path in ("/generation?start=2016", f"/claims/{claim}"):
        text = fetch(site.base, path, Host=EVIL).text
        assert EVIL not in text
        assert re.search(rf'<link rel="canonical" href="{re.escape(SITE)}/', text), path
        assert re.search(rf'<meta property="og:image" content="{re.escape(SITE)}/share/', text), path
    # The page's content (share links, embed codes, citations) comes from the router callback.
    answer = requests.post(
        f"{site.base}/_dash-update-component", json=page_router_body("/generation"), headers={"Host": EVIL}, timeout=60
    )
    content = json.dumps(answer.json())  # Dash writes "/" as \u002f
    assert EVIL not in content and f"{SITE}/embed/" in content

    oembed = fetch(site.base, f"/oembed?url={SITE}/embed/oil-shipments", Host=EVIL)
    assert oembed.status_code == 200 and EVIL not in oembed.text
    assert f'src="{SITE}/embed/oil-shipments"' in oembed.json()["html"]
    assert fetch(site.base, f"/oembed?url=http://{EVIL}/embed/oil-shipments", Host=EVIL).status_code == 404


def test_gunicorn_refuses_to_start_without_the_site_url(tmp_path):
    """Production requires CUBA_SITE_URL: without it, links would have to come from somewhere else."""
    server = Gunicorn(tmp_path / "server.log", CUBA_SITE_URL=None)
    proc = server.spawn()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.proc = proc
        server.stop()
        raise AssertionError("gunicorn started without CUBA_SITE_URL") from None
    assert proc.returncode != 0 and "CUBA_SITE_URL" in server.output()


def nginx_block(markdown: str) -> str:
    return re.search(r"```nginx\n(.*?)```", markdown, re.DOTALL).group(1)


def test_every_deploy_example_sets_the_site_url_and_no_client_host_reaches_the_app():
    deploy = (REPO / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    nginx = nginx_block(deploy)
    assert not re.search(r"proxy_set_header\s+Host\s+\$(host|http_host)", nginx)
    assert re.search(r"proxy_set_header\s+Host\s+energy\.example\.org;", nginx)  # the configured name, fixed
    assert re.search(r"client_header_timeout\s+\d+s;", nginx) and re.search(r"client_body_timeout\s+\d+s;", nginx)
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    joined = [text.replace("\\\n", " ") for text in (deploy, dockerfile)]  # continuation lines: one command
    runs = [run for text in joined for run in re.findall(r"docker run[^\n]*", text)]
    assert len(runs) >= 4
    for run in runs:
        assert "CUBA_SITE_URL" in run, run
        for published in re.findall(r"-p\s+(\S+)", run):
            assert published.startswith("127.0.0.1:"), run  # only the proxy on the same host reaches the container
    for unit in ("cuba-energy-dashboard.service", "cuba-energy-refresh.service"):
        assert re.search(
            r"^Environment=CUBA_SITE_URL=https://", (REPO / "deploy" / "systemd" / unit).read_text(), re.MULTILINE
        )
    crontab = (REPO / "deploy" / "cron" / "cuba-energy-refresh.crontab").read_text()
    assert re.search(r"^CUBA_SITE_URL=https://", crontab, re.MULTILINE)


# -- 2. memory ---------------------------------------------------------------------------------------------------------
def test_caches_stay_within_the_byte_budget_after_many_distinct_large_downloads(tmp_path):
    """Each `start` day of the UNE notes archive is a new ~9 MB CSV. Before: every one was kept (2,000 entries, no
    byte bound): two workers grew from 0.45 to 2.45 GB in 180 requests. Now the worker's memory grows by less than
    its cache budget plus what one request needs while it runs."""
    budget = 32 * 1024 * 1024
    with Gunicorn(
        tmp_path / "server.log",
        CUBA_CACHE_BYTES=str(budget),
        CUBA_EXPENSIVE_PER_MINUTE="6000",
        CUBA_EXPENSIVE_BURST="1000",
    ) as server:
        (worker,) = server.worker_pids()
        url = "/download/explore.csv?table=une_notes_archive&start=2022-01-{:02d}"
        for day in range(1, 4):  # the allocator's working set for one such answer, before measuring
            assert fetch(server.base, url.format(day)).status_code == 200
        before = Gunicorn.rss(worker)
        sizes = []
        for day in range(4, 32):
            response = fetch(server.base, url.format(day))
            assert response.status_code == 200
            sizes.append(len(response.content))
        grown = Gunicorn.rss(worker) - before
        print(
            f"worker RSS {before / 2**20:.0f} → +{grown / 2**20:.0f} MiB after {sum(sizes) / 2**20:.0f} MiB of answers"
        )
        assert sum(sizes) > 5 * budget  # far more than the budget was asked for …
        assert grown < budget + 48 * 1024 * 1024, f"grew {grown / 2**20:.0f} MiB for {sum(sizes) / 2**20:.0f} MiB"
        assert fetch(server.base, url.format(31)).status_code == 200  # … and the server still answers


def test_byte_bounded_cache_never_holds_more_than_its_bytes_or_entries():
    from dashboard.memo import ByteLRU, BytesCache

    lru = ByteLRU("test", max_bytes=10_000, max_entries=5, max_item=4_000)
    for n in range(200):
        lru.set(n, b"x", 1_000 + n * 10)
        assert lru.size <= 10_000 and len(lru) <= 5
        assert lru.size == sum(1_000 + k * 10 for k in lru)
    assert lru.set("huge", b"x", 4_001) is False and "huge" not in lru
    cache = BytesCache(max_bytes=50_000, max_entries=100, max_item=20_000)
    for n in range(100):
        cache.set(f"k{n}", b"y" * 10_000)
        assert cache.lru.size <= 50_000
    assert cache.set("big", b"z" * 30_000) is False and cache.get("big") is None
    assert cache.get("k99") == b"y" * 10_000 and cache.get("k0") is None


# -- 4. slow clients ---------------------------------------------------------------------------------------------------
class SlowClient(threading.Thread):
    """Sends `first`, then `drip` every half second for up to `give_up` seconds; records how the server ended it."""

    def __init__(self, port: int, first: bytes, drip: bytes, give_up: float = 12.0) -> None:
        super().__init__(daemon=True)
        self.port, self.first, self.drip, self.give_up = port, first, drip, give_up
        self.answer = b""
        self.closed_by_server = False

    def run(self) -> None:
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(self.first)
            deadline = time.monotonic() + self.give_up
            sock.settimeout(0.5)
            while time.monotonic() < deadline:
                try:
                    data = sock.recv(4096)
                except TimeoutError:
                    data = None
                except OSError:
                    self.closed_by_server = True
                    return
                if data == b"":
                    self.closed_by_server = True
                    return
                if data:
                    self.answer += data
                    continue
                try:
                    sock.sendall(self.drip)
                except OSError:
                    self.closed_by_server = True
                    return


def test_slow_request_heads_and_bodies_take_no_thread_and_are_cut_at_their_deadline(site):
    """Before: 12 connections sending one header line every 15 s made every /healthz time out (gthread reads a
    head with a blocking socket and no limit). Six slow heads and four slow bodies against two threads now."""
    port = site.port
    heads = [SlowClient(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n", b"X-Slow: 1\r\n") for _ in range(6)]
    bodies = [
        SlowClient(
            port,
            b"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 2000\r\n\r\n{",
            b" ",
        )
        for _ in range(4)
    ]
    for client in heads + bodies:
        client.start()
    time.sleep(1.0)
    for _ in range(3):  # while all ten are still sending
        assert requests.get(f"{site.base}/healthz", timeout=5).status_code == 200
    for client in heads + bodies:
        client.join(timeout=20)
    for client in heads + bodies:
        assert client.closed_by_server, "the server kept a slow client beyond its deadline"
        assert client.answer.startswith(b"HTTP/1.1 408"), client.answer[:80]


def raw_request(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        return sock.recv(4096)


def test_request_sizes_are_refused_before_any_thread_reads_them(site):
    too_large = b"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n"
    assert raw_request(site.port, too_large).startswith(b"HTTP/1.1 413")  # the body is never sent
    chunked = b"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n"
    assert raw_request(site.port, chunked).startswith(b"HTTP/1.1 411")
    huge_head = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Filler: " + b"a" * 70_000
    assert raw_request(site.port, huge_head).startswith(b"HTTP/1.1 431")
    assert requests.get(f"{site.base}/healthz", timeout=5).status_code == 200


# -- 10. callback bodies (the app itself, under the development server) --------------------------------------------
def test_callback_bodies_nested_too_deep_are_400_and_too_large_413(live_server):
    url = f"{live_server}/_dash-update-component"
    deep = requests.post(
        url, data="[" * 100_000 + "]" * 100_000, headers={"Content-Type": "application/json"}, timeout=30
    )
    assert deep.status_code == 400 and "Traceback" not in deep.text and "RecursionError" not in deep.text
    nested = {"output": "x", "inputs": [{"value": json.loads("[" * 200 + "]" * 200)}]}
    assert requests.post(url, json=nested, timeout=30).status_code == 400
    large = requests.post(url, json={"output": "x", "pad": "a" * 300_000}, timeout=30)  # the app's limit: 256 KiB
    assert large.status_code == 413


# -- 5. expensive answers --------------------------------------------------------------------------------------------
def as_client(address: str) -> dict[str, str]:
    """The test is the proxy on 127.0.0.1 (trusted): X-Forwarded-For names the client."""
    return {"X-Forwarded-For": address}


def test_clients_are_told_apart_by_the_address_the_trusted_proxy_saw():
    from dashboard.throttle import LOCAL, client_key

    trusted = {"127.0.0.1"}
    assert client_key("127.0.0.1", "10.0.0.9, 198.51.100.7", trusted) == "198.51.100.7"  # the proxy's own entry
    assert client_key("203.0.113.5", "198.51.100.7", trusted) == "203.0.113.5"  # anyone else's header: ignored
    assert client_key("127.0.0.1", "2001:db8:1:2:3::9", trusted) == "2001:db8:1:2::/64"
    assert client_key("127.0.0.1", None, trusted) == LOCAL  # this machine itself (health checks, tests)


def test_image_renders_are_limited_per_client_and_per_process(tmp_path):
    with Gunicorn(
        tmp_path / "server.log",
        CUBA_THREADS="4",
        CUBA_EXPENSIVE_PER_MINUTE="1",
        CUBA_EXPENSIVE_BURST="3",
        CUBA_RENDER_SLOTS="1",
        CUBA_RENDER_QUEUE="0",
    ) as server:
        png = "/download/une-calendar.png?start=2024-0{}-01"
        first = [fetch(server.base, png.format(m), **as_client("198.51.100.1")) for m in (1, 2, 3)]
        assert [r.status_code for r in first] == [200, 200, 200]
        limited = fetch(server.base, png.format(4), **as_client("198.51.100.1"))
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
        again = fetch(server.base, png.format(1), **as_client("198.51.100.1"))  # in the cache: not limited
        assert again.status_code == 200 and again.headers["X-Cache"] == "hit"
        assert fetch(server.base, png.format(5), **as_client("198.51.100.2")).status_code == 200  # another client

        results: list[requests.Response] = []

        def render(n: int) -> None:
            url = f"/download/une-calendar.svg?start=2023-{n:02d}-01"
            results.append(fetch(server.base, url, **as_client(f"203.0.113.{n}")))

        threads = [threading.Thread(target=render, args=(n,)) for n in range(1, 5)]
        for thread in threads:
            thread.start()
        assert fetch(server.base, "/healthz").status_code == 200
        for thread in threads:
            thread.join(timeout=120)
        statuses = sorted(r.status_code for r in results)
        assert 200 in statuses and 503 in statuses, statuses
        assert all(r.headers.get("Retry-After") for r in results if r.status_code == 503)

        # Many readers asking for the same new image at the same moment: built once, every one of them served.
        results.clear()
        same = [
            threading.Thread(
                target=lambda n=n: results.append(
                    fetch(server.base, "/download/une-calendar.png?start=2022-06-01", **as_client(f"192.0.2.{n}"))
                )
            )
            for n in range(1, 7)
        ]
        for thread in same:
            thread.start()
        for thread in same:
            thread.join(timeout=120)
        assert [r.status_code for r in results] == [200] * 6
        assert sorted(r.headers["X-Cache"] for r in results) == ["hit"] * 5 + ["miss"]


# Images the pages link to, rendered ahead of time from a worker's start and again for each new data version, served
# from memory to a reader who may cause no render, and the readiness probe that waits for them: one real-gunicorn test
# covers both (tests/http/test_rewarm_after_new_data.py), as each waits minutes for a few hundred renders.


# -- 12. methods, CORS, repeated parameters, one version per answer ------------------------------------------------------
def test_405_answers_list_the_allowed_methods(site):
    for method, path in (("POST", "/download/oil-balance.csv"), ("PUT", "/healthz"), ("DELETE", "/files/x.csv")):
        response = requests.request(method, site.base + path, timeout=30)
        assert response.status_code == 405
        assert "GET" in {m.strip() for m in response.headers["Allow"].split(",")}


def test_open_data_can_be_fetched_by_other_sites_scripts(site):
    oembed = f"/oembed?url={SITE}/embed/oil-shipments"
    for path in ("/files/datapackage.json", "/files/power_plants_wri.csv", "/download/oil-balance.csv", oembed):
        response = fetch(site.base, path, Origin="https://news.example")
        assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*", path
    assert "Access-Control-Allow-Origin" not in fetch(site.base, "/generation").headers


@pytest.mark.parametrize(
    "path",
    [
        "/download/oil-balance.csv?start=2015&start=2016",
        "/share/generation.png?start=2015&start=2016",
        "/embed/oil-balance?start=2015&start=2016",
        "/oembed?url=a&url=b",
        "/files/datapackage.json?x=1&x=2",
        "/files/cuba-energy-data.zip?x=1&x=2",
        "/generation?start=2015&start=2016",
    ],
)
def test_repeated_parameters_are_refused_everywhere(site, path):
    assert fetch(site.base, path).status_code == 400


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "data", tmp_path / "data", ignore=shutil.ignore_patterns("curated", "raw"))
    return tmp_path / "data"


def replace_file(path: Path, content: bytes) -> None:
    """As the ETL publishes: write beside, then rename over (readers see the old file or the new one)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def zip_is_one_version(content: bytes) -> dict:
    """The zip's datapackage.json, after checking that every member it lists has the sha256 it gives."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    package = json.loads(archive.read("datapackage.json"))
    for res in package["resources"]:
        if res["path"] in archive.namelist():
            digest = hashlib.sha256(archive.read(res["path"])).hexdigest()
            assert res["hash"] == f"sha256:{digest}", res["path"]
    return package


def served_files_agree(base: str, table: str) -> bytes:
    """/files/datapackage.json, /files/<table> and the zip as served now: one version. Returns the table's bytes."""
    package = fetch(base, "/files/datapackage.json")
    record = next(r for r in package.json()["resources"] if r["path"] == table)
    content = fetch(base, f"/files/{table}").content
    assert record["hash"] == f"sha256:{hashlib.sha256(content).hexdigest()}"
    archive = fetch(base, "/files/cuba-energy-data.zip")
    assert archive.status_code == 200
    assert zip_is_one_version(archive.content) == package.json()
    return content


def test_published_files_and_the_zip_are_always_one_complete_version(tmp_path, data_copy):
    """The ETL writes a table, then the package record naming it. Between the two (or if it stops there), a table
    must never be served beside a record that does not name it, nor zipped with one (before: both were read from
    disk at request time, and the zip was cached under the version in memory whatever it held)."""
    table = data_copy / "power_plants_wri.csv"
    old = table.read_bytes()
    new = old.replace(b",330.0,", b",331.25,", 1)
    assert new != old
    with Gunicorn(tmp_path / "server.log", CUBA_DATA_DIR=str(data_copy), CUBA_CACHE_DIR=str(tmp_path / "cache")) as srv:
        assert served_files_agree(srv.base, table.name) == old
        replace_file(table, new)  # the table is published; its record is not yet
        served_files_agree(srv.base, table.name)
        package = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
        record = next(r for r in package["resources"] if r["path"] == table.name)
        record["hash"], record["bytes"] = f"sha256:{hashlib.sha256(new).hexdigest()}", len(new)
        replace_file(data_copy / "datapackage.json", json.dumps(package, indent=2).encode() + b"\n")  # the record
        served_files_agree(srv.base, table.name)


# -- 7. the site URL in JSON-LD and in cache keys --------------------------------------------------------------------------
def test_claim_review_on_the_page_names_the_configured_site(tmp_path, data_copy):
    """claims-review.jsonld published with a development address (the ETL ran with CUBA_SITE_URL=127.0.0.1:8050):
    the JSON-LD in the claim page's head names the site serving it."""
    path = data_copy / "claims-review.jsonld"
    text = path.read_text(encoding="utf-8").replace('"url": "/', '"url": "http://127.0.0.1:8050/')
    path.write_text(text, encoding="utf-8")
    package = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        if res["path"] == path.name:
            res["hash"], res["bytes"] = f"sha256:{hashlib.sha256(path.read_bytes()).hexdigest()}", path.stat().st_size
    (data_copy / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
    claim = factual_claim_id()
    with Gunicorn(tmp_path / "server.log", CUBA_DATA_DIR=str(data_copy), CUBA_CACHE_DIR=str(tmp_path / "cache")) as srv:
        page = fetch(srv.base, f"/claims/{claim}").text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    review = json.loads(block.group(1).replace("<\\!--", "<!--"))
    assert review["url"] == f"{SITE}/claims/{claim}" and review["author"]["url"] == f"{SITE}/"
    assert "127.0.0.1:8050" not in page


def test_changing_the_site_url_takes_effect_with_a_shared_disk_cache(tmp_path):
    """The embed page cached on disk (CUBA_CACHE_TYPE=FileSystemCache) under one site URL is not served under
    another: the site URL is part of every cache key."""
    shared = {"CUBA_CACHE_TYPE": "FileSystemCache", "CUBA_CACHE_DIR": str(tmp_path / "cache")}
    with Gunicorn(tmp_path / "a.log", CUBA_SITE_URL="https://first.example.org", **shared) as first:
        assert "https://first.example.org/" in fetch(first.base, EMBED).text
    with Gunicorn(tmp_path / "b.log", CUBA_SITE_URL="https://second.example.org", **shared) as second:
        text = fetch(second.base, EMBED).text
    assert "https://second.example.org/" in text and "first.example.org" not in text


# -- limits shared by a server's workers (issue 15, "limits per worker") -------------------------------------------
def _spend(path: str, client: str, tries: int, queue) -> None:
    from dashboard.throttle import SharedBuckets

    buckets = SharedBuckets(path, per_minute=1, burst=3)
    queue.put(sum(1 for _ in range(tries) if buckets.take(client) == 0))


def test_per_client_limits_are_shared_by_processes(tmp_path):
    """Two processes (two workers) spending one client's tokens at once grant the burst once, not once each."""
    import multiprocessing

    path = str(tmp_path / "limits.sqlite3")
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=_spend, args=(path, "198.51.100.9", 5, results)) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    granted = [results.get(timeout=5) for _ in workers]
    assert sum(granted) == 3, granted
    from dashboard.throttle import SharedBuckets

    other = SharedBuckets(path, per_minute=1, burst=3)
    assert other.take("198.51.100.10") == 0  # another client has its own bucket
    assert other.take("198.51.100.9") > 0  # and the first is still empty, with a wait to tell


def test_a_client_gets_the_stated_burst_from_a_server_with_two_workers(tmp_path):
    with Gunicorn(
        tmp_path / "server.log",
        CUBA_WORKERS="2",
        CUBA_THREADS="4",
        CUBA_EXPENSIVE_PER_MINUTE="1",
        CUBA_EXPENSIVE_BURST="3",
        CUBA_RENDER_SLOTS="1",
        CUBA_RENDER_QUEUE="8",
        CUBA_LIMITS_DB=None,  # as deployed: the settings give this server's workers one file
    ) as server:
        from concurrent.futures import ThreadPoolExecutor

        csv = "/download/explore.csv?table=une_daily&start=2024-0{}-01"
        with ThreadPoolExecutor(8) as pool:
            answers = list(
                pool.map(lambda m: fetch(server.base, csv.format(m), **as_client("198.51.100.3")), range(1, 9))
            )
        codes = sorted(r.status_code for r in answers)
        assert codes.count(200) in (3, 4), codes  # the burst (plus one token if a minute passed), not 3 per worker
        assert set(codes) <= {200, 429}

"""HTTP behaviour of the app (Flask test client, one app per session): statuses for good and bad URLs, headers per
route, downloads, published files, oEmbed, page metadata and ClaimReview."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

PAGES = ["/", "/blackouts", "/oil", "/generation", "/explore", "/data", "/methodology"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_pages_answer_200_with_their_own_title_description_and_share_image(client, path, lang):
    response = client.get(f"{path}?lang={lang}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in text
    title = re.search(r"<title>(.*?)</title>", text).group(1)
    assert ("Panel sobre la crisis" in title) if lang == "es" else ("Cuba Energy Crisis Dashboard" in title)
    assert re.search(r'<meta name="description" content="[^"]{20,}"', text)
    image = re.search(r'<meta property="og:image" content="([^"]+)"', text)
    if path not in ("/", "/data", "/methodology"):
        assert image and "/share/" in image.group(1) and f"lang={lang}" in image.group(1)


def test_share_image_follows_the_view_in_the_url(client):
    text = client.get("/generation?country=CUB~MEX&start=2010").get_data(as_text=True)
    image = re.search(r'<meta property="og:image" content="([^"]+)"', text).group(1)
    assert "country=CUB" in image and "MEX" in image and "start=2010" in image


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/no-such-page", 404),
        ("/generation/extra", 404),
        ("/generation?country=XXX", 400),
        ("/generation?start=yesterday", 400),
        ("/blackouts?start=2026-02-30", 400),
        ("/oil?colour=red", 400),
        ("/?topic=astrology", 400),
        ("/?label=true", 400),
        ("/?claim=no-such-claim", 400),
        ("/explore?table=passwords", 400),
        ("/explore?table=owid_energy&series=drop_table", 400),
        ("/generation?lang=fr", 400),
        ("/generation?country=CUB&country=MEX", 400),
        ("/download/nope.csv", 404),
        ("/download/oil-shipments.exe", 404),
        ("/download/oil-shipments.csv?start=soon", 400),
        ("/files/../../etc/passwd", 404),
        ("/files/secrets.csv", 404),
        ("/embed/nope", 404),
        ("/embed/oil-shipments?theme=neon", 400),
        ("/embed/oil-shipments?static=2", 400),
        ("/share/nope.png", 404),
        ("/oembed?url=https://evil.example/x", 404),
        ("/oembed", 400),
    ],
)
def test_bad_urls_get_a_4xx_page_not_a_200_or_a_traceback(client, url, status):
    response = client.get(url)
    assert response.status_code == status, url
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "<html" in text.lower()


def test_error_pages_escape_what_the_url_says(client):
    response = client.get("/oil?<script>alert(1)</script>=1")  # the unknown parameter's name is echoed
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)" in text
    page = client.get("/no-such-<b>page</b>")
    assert page.status_code == 404 and "<b>page</b>" not in page.get_data(as_text=True)


def test_pages_may_not_be_framed_but_embeds_may(client):
    page = client.get("/generation")
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in page.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in page.headers["Content-Security-Policy"]
    for url in ("/embed/oil-shipments", "/oembed?url=http://localhost/embed/oil-shipments", "/embed.js"):
        response = client.get(url)
        assert "X-Frame-Options" not in response.headers, url
        assert "frame-ancestors *" in response.headers["Content-Security-Policy"], url
    for response in (page, client.get("/embed/oil-shipments")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_csv_download_is_the_shown_data_with_its_citation(client):
    response = client.get("/download/oil-share-of-electricity.csv?country=CUB~MEX&start=2015")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="oil-share-of-electricity.csv"' in response.headers["Content-Disposition"]
    df = pd.read_csv(io.BytesIO(response.data))
    assert set(df["code"]) == {"CUB", "MEX"} and df["year"].min() == 2015
    assert {"source", "source_url", "licence", "retrieved"} <= set(df.columns)
    assert df["source_url"].str.startswith("https://").all()


def test_published_files_and_the_whole_package(client):
    package = client.get("/files/datapackage.json")
    assert package.status_code == 200
    names = [r["path"] for r in package.get_json()["resources"]]
    assert "une_daily.csv" in names and "claims.json" in names
    csv = client.get("/files/une_daily.csv")
    assert csv.status_code == 200 and csv.data.startswith(b"date,")
    archive = client.get("/files/cuba-energy-data.zip")
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.data)) as z:
        members = set(z.namelist())
    assert {"datapackage.json", "README.txt", "une_daily.csv", "claims.json"} <= members


def test_healthz_reports_the_package(client):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["tables"] >= 20 and len(body["version"]) == 12


def test_a_claim_page_carries_its_claim_review_json_ld(client):
    """One ClaimReview per claim page (its url is the page); the home page carries none (tests/browser/test_claim_pages.py)."""
    assert "application/ld+json" not in client.get("/").get_data(as_text=True)
    text = client.get("/claims/electricity-oil-share-80-95").get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.DOTALL).group(1)
    review = json.loads(block)
    assert review["@type"] == "ClaimReview"
    assert review["url"] == "http://localhost/claims/electricity-oil-share-80-95"
    assert review["itemReviewed"]["appearance"]["url"].startswith("https://litci.org")
    assert review["reviewRating"]["alternateName"] in {
        "Consistent with the data",
        "Partly consistent",
        "Not consistent with the data",
        "Cannot be checked with available data",
    }


def test_oembed_returns_a_rich_iframe_for_our_urls(client):
    for url in (
        "http://localhost/embed/une-share-dark?lang=es",
        "http://localhost/generation?country=CUB~MEX#oil-share-of-electricity",
        "http://localhost/?claim=electricity-oil-share-80-95",
    ):
        response = client.get("/oembed", query_string={"url": url, "format": "json", "maxwidth": "600"})
        assert response.status_code == 200, url
        body = response.get_json()
        assert body["version"] == "1.0" and body["type"] == "rich"
        assert body["width"] == 600 and body["height"] > 0
        assert "<iframe" in body["html"] and 'loading="lazy"' in body["html"] and "<noscript>" in body["html"]
        assert body["thumbnail_url"].endswith(".png") or ".png?" in body["thumbnail_url"]
    assert (
        client.get("/oembed", query_string={"url": "http://localhost/embed/oil-shipments", "format": "xml"}).status_code
        == 501
    )


def test_embed_page_is_light_attributed_and_escaped(client):
    response = client.get("/embed/oil-shipments?lang=es&theme=dark&controls=off")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert '<html lang="es">' in text and 'name="color-scheme" content="dark"' in text
    assert "Fuente:" in text and "Vista completa y datos" in text and "Datos a" in text
    assert "_dash-" not in text  # no Dash renderer in an embed
    # plotly.js basic, loaded by embed-frame.js once the page (and its static first screen) has loaded
    assert re.search(r'data-plotly="/static/v/[0-9a-f]{12}/vendor/plotly-basic\.min\.js"', text)
    payload = json.loads(re.search(r'id="figure-data">(.*?)</script>', text, re.DOTALL).group(1).replace("<\\/", "</"))
    assert payload["theme"] == "dark" and payload["controls"] == "off"
    assert payload["figure"]["layout_dark"]["paper_bgcolor"] != payload["figure"]["layout"].get("paper_bgcolor")
    static = client.get("/embed/oil-shipments?static=1&theme=auto").get_data(as_text=True)
    assert "plotly" not in static and "<picture" in static and "prefers-color-scheme: dark" in static
    # ... with the phone and tablet images a frame of that width shows (never the desktop one shrunk to 4 px text)
    assert "size=s&amp;variant=embed" in static and "size=m&amp;variant=embed" in static


def test_pages_load_the_small_plotly_bundle_only_where_charts_are_and_no_polyfill(client):
    """Chart pages announce dcc's lazy chunks and plotly.js (static-first.js preloads them with Dash's scripts, after
    the page's static first screen: dashboard/static_first.py); plotly.js at dcc's path is the basic bundle; pages
    without charts do not load plotly; core-js's polyfill is replaced by regenerator-runtime alone."""
    from dashboard.app import PLOTLY_SUITE_PATH

    blackouts = client.get("/blackouts").get_data(as_text=True)
    preloads = re.search(r'data-sf-preload="([^"]*)"', blackouts).group(1).split()
    assert PLOTLY_SUITE_PATH in preloads and any(p.endswith("/async-graph.js") for p in preloads)
    for path in preloads:
        assert client.get(path).status_code == 200
    bundle = client.get(PLOTLY_SUITE_PATH)
    basic = (Path(__file__).resolve().parents[2] / "dashboard/static/vendor/plotly-basic.min.js").read_bytes()
    assert bundle.get_data() == basic and "max-age" in bundle.headers["Cache-Control"]
    assert "polyfill@" not in blackouts
    runtime = re.search(
        r'<script [^>]*data-sf-src="(/static/v/[0-9a-f]{12}/vendor/regenerator-runtime\.js)"', blackouts
    )
    assert runtime and b"regeneratorRuntime" in client.get(runtime.group(1)).get_data()
    data_page = client.get("/data").get_data(as_text=True)
    assert PLOTLY_SUITE_PATH not in data_page and "plotly-basic" not in data_page and "async-graph" not in data_page


def test_fingerprinted_assets_are_cached_for_a_year(client):
    text = client.get("/embed/oil-shipments").get_data(as_text=True)
    css = re.search(r'href="(/static/v/[0-9a-f]{12}/embed\.css)"', text).group(1)
    response = client.get(css)
    assert response.status_code == 200 and "immutable" in response.headers["Cache-Control"]
    stale = css.replace(css.split("/")[3], "000000000000")
    assert client.get(stale).status_code == 404


def test_responses_are_compressed(client):
    response = client.get("/files/une_daily.csv", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") == "gzip"


def test_embeds_say_their_layout_so_a_phone_frame_fits_it(client):
    """Topic review round 2: the map kept the frame's height on a phone (a tall empty sea) and the two stacked
    oil panels shrank to strips; the embed page marks both layouts for its stylesheet."""
    import re

    def body_classes(chart_id: str) -> set[str]:
        html_text = client.get(f"/embed/{chart_id}").get_data(as_text=True)
        return set(re.search(r'<body class="([^"]*)"', html_text).group(1).split())

    assert "fixed-aspect" in body_classes("power-plants-map")
    assert "two-panels" in body_classes("oil-shipments") and "fixed-aspect" not in body_classes("oil-shipments")
    assert not {"two-panels", "fixed-aspect"} & body_classes("une-supply-demand")

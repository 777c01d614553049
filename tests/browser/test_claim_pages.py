"""Issue 14, parts 6 and 7: the home page's first screen (latest figures with their as-of dates and stale flags, the
claims as a compact list that opens into full cards, non-factual statements behind a toggle), a page per claim
(/claims/<id>: card, chart, share and cite, label history, share image, ClaimReview for factual labels only) and
the ClaimReview file (one per factual claim, pointing at its page, never at a loopback address)."""

from __future__ import annotations

import json
import re
from datetime import date

import dash
import plotly
import pytest

from etl.claims.labels import LABEL_NOT_FACTUAL
from etl.paths import Paths
from etl.sources import claims as source
from etl.sources.base import ParseError
from tests.conftest import REPO, chromium_or_skip
from tests.etl.test_claims_source import ctx_for, fixture_seeds, synthetic_inputs  # noqa: F401 - fixture_seeds is a fixture

DATA = REPO / "data"
WITH_CHART = "electricity-oil-share-80-95"  # a factual claim with an evidence chart
LOOPBACK = re.compile(r"127\.0\.0\.1|localhost|\[::1\]", re.IGNORECASE)


def published_claims() -> list[dict]:
    return json.loads((DATA / "claims.json").read_text(encoding="utf-8"))["claims"]


def a_claim(factual: bool) -> str:
    return next(c["claim_id"] for c in published_claims() if (c["label"] != LABEL_NOT_FACTUAL) == factual)


def as_json(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def nodes(component) -> list[dict]:
    """Every component in a layout, as the props dict Dash sends (type, props), depth first."""
    out: list[dict] = []

    def walk(node) -> None:
        if isinstance(node, dict) and "props" in node:
            out.append(node)
            walk(node["props"].get("children"))
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(json.loads(as_json(component)))
    return out


def by_class(component, class_name: str) -> list[dict]:
    return [n for n in nodes(component) if class_name in str(n["props"].get("className", "")).split()]


def page_module(dash_app, path: str):
    """A page's module as Dash imported it (importing `dashboard.pages.x` again would register the page twice)."""
    import sys

    key = next(k for k, p in dash.page_registry.items() if (p.get("path_template") or p["path"]) == path)
    return sys.modules[key]


def page_layout(dash_app, path: str, **kwargs):
    """A page's layout as the Dash router builds it (inside a request, as in the app)."""
    page = next(p for p in dash.page_registry.values() if (p.get("path_template") or p["path"]) == path)
    with dash_app.server.test_request_context("/"):
        return page["layout"](**kwargs)


# -- ClaimReview in the ETL ------------------------------------------------------------------------------------------
def test_claim_review_is_one_per_factual_claim_with_its_page_url(fixture_seeds, monkeypatch):  # noqa: F811
    monkeypatch.setenv("CUBA_SITE_URL", "https://cuba-energy.example.org/")
    ctx = ctx_for(fixture_seeds, synthetic_inputs())
    docs, _ = source.documents(source.derive(ctx), ctx)
    claims = json.loads(docs["claims.json"])["claims"]
    reviews = json.loads(docs["claims-review.jsonld"])
    factual = [c for c in claims if c["label"] != LABEL_NOT_FACTUAL]
    assert len(factual) < len(claims)  # the fixture has a non-factual claim: it gets no ClaimReview
    assert [r["url"] for r in reviews] == [f"https://cuba-energy.example.org/claims/{c['claim_id']}" for c in factual]
    assert all(r["reviewRating"]["alternateName"] != LABEL_NOT_FACTUAL for r in reviews)
    assert {r["author"]["url"] for r in reviews} == {"https://cuba-energy.example.org/"}


def test_without_a_site_url_no_address_of_the_refreshing_machine_is_published(fixture_seeds, monkeypatch):  # noqa: F811
    monkeypatch.delenv("CUBA_SITE_URL", raising=False)
    ctx = ctx_for(fixture_seeds, synthetic_inputs())
    docs, _ = source.documents(source.derive(ctx), ctx)
    reviews = json.loads(docs["claims-review.jsonld"])
    assert reviews and all(r["url"] == f"/claims/{r['url'].rsplit('/', 1)[-1]}" for r in reviews)
    for content in docs.values():
        assert not LOOPBACK.search(content.decode("utf-8"))


@pytest.mark.parametrize(
    "value",
    [
        "http://127.0.0.1:8050",
        "http://localhost:8050/",
        "https://10.0.0.5",
        "http://[::1]:8050",
        "ftp://example.org",
        "example.org",
        "https://dev.localhost",
    ],
)
def test_a_local_or_malformed_site_url_is_refused(fixture_seeds, monkeypatch, value):  # noqa: F811
    monkeypatch.setenv("CUBA_SITE_URL", value)
    ctx = ctx_for(fixture_seeds, synthetic_inputs())
    with pytest.raises(ParseError, match="CUBA_SITE_URL"):
        source.documents(source.derive(ctx), ctx)


def test_no_published_file_carries_a_loopback_address():
    """data/ is shared by every deployment: it must never name the machine that ran the refresh."""
    found = [p.name for p in sorted(DATA.glob("*")) if p.is_file() and LOOPBACK.search(p.read_text("utf-8", "replace"))]
    assert found == []


def test_published_claim_reviews_match_the_factual_claims():
    reviews = json.loads((DATA / "claims-review.jsonld").read_text(encoding="utf-8"))
    factual = [c["claim_id"] for c in published_claims() if c["label"] != LABEL_NOT_FACTUAL]
    assert sorted(r["url"].rsplit("/claims/", 1)[-1] for r in reviews) == sorted(factual)


# -- the page per claim over HTTP ------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_factual_claim_page_answers_with_its_title_image_and_claim_review(client, lang):
    claim = next(c for c in published_claims() if c["claim_id"] == WITH_CHART)
    response = client.get(f"/claims/{WITH_CHART}?lang={lang}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in text
    title = re.search(r"<title>(.*?)</title>", text).group(1)
    shown = claim["quote_es"] if lang == "es" else claim["quote"]  # a Spanish page shows our marked translation
    assert shown[:30] in title.replace("&#x27;", "'")
    image = re.search(r'<meta property="og:image" content="([^"]+)"', text).group(1)
    assert image.startswith(f"http://localhost/share/claim.png?claim={WITH_CHART}")
    assert ("lang=es" in image) == (lang == "es")
    assert re.search(r'<link rel="canonical" href="http://localhost/claims/' + WITH_CHART, text)
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.DOTALL)
    assert len(blocks) == 1
    review = json.loads(blocks[0])
    assert review["@type"] == "ClaimReview" and review["url"] == f"http://localhost/claims/{WITH_CHART}"
    assert review["claimReviewed"] == claim["quote"]


def test_a_non_factual_claim_page_has_no_claim_review(client):
    response = client.get(f"/claims/{a_claim(factual=False)}")
    assert response.status_code == 200
    assert "application/ld+json" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/claims/no-such-claim", 404),
        ("/claims/no-such-claim?lang=es", 404),
        ("/claims/", 404),
        ("/claims", 404),
        ("/claims/Electricity-Oil", 404),
        ("/claims/a_b", 404),
        ("/claims/%3Cscript%3Ex%3C%2Fscript%3E", 404),
        ("/claims/" + "a" * 300, 404),
        (f"/claims/{WITH_CHART}/more", 404),
        (f"/claims/{WITH_CHART}?tab=table", 400),
        (f"/claims/{WITH_CHART}?lang=fr", 400),
        (f"/claims/{WITH_CHART}?lang=es&lang=en", 400),
    ],
)
def test_unknown_or_malformed_claim_addresses_get_an_error_page(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "<script>x" not in text


def test_the_claim_review_file_is_served_as_published(client):
    """Byte for byte (datapackage.json lists its hash): its addresses are absolute only with CUBA_SITE_URL; without,
    root-relative ones resolve against the address it is served from (JSON-LD: schema.org `url` is an IRI)."""
    response = client.get("/files/claims-review.jsonld")
    assert response.status_code == 200 and response.data == (DATA / "claims-review.jsonld").read_bytes()
    for review in response.get_json():
        assert review["url"].startswith(("/claims/", "https://", "http://")) and "/claims/" in review["url"]


def test_absolute_review_puts_the_sites_own_addresses_on_the_configured_site():
    from dashboard.pagemeta import absolute_review

    relative = {"url": "/claims/x", "author": {"url": "/"}, "claimReviewed": "q"}
    assert absolute_review(relative, "https://site.example/") == {
        "url": "https://site.example/claims/x",
        "author": {"url": "https://site.example/"},
        "claimReviewed": "q",
    }
    assert relative["url"] == "/claims/x"  # the published (cached) record is not changed
    # written for another address (an older CUBA_SITE_URL): the page names the site that serves it (issue 15)
    absolute = {"url": "https://old.example/claims/x", "author": {"url": "https://old.example/"}}
    assert absolute_review(absolute, "https://public.example") == {
        "url": "https://public.example/claims/x",
        "author": {"url": "https://public.example/"},
    }


def test_a_claim_chart_shares_its_claim_page_and_oembed_knows_it(client):
    from dashboard import charts
    from dashboard.charts import ChartState

    spec = charts.get(f"claim-{WITH_CHART}")
    assert charts.share_path(spec, ChartState()) == f"/claims/{WITH_CHART}"
    assert charts.share_path(spec, ChartState(lang="es")) == f"/claims/{WITH_CHART}?lang=es"
    body = client.get("/oembed", query_string={"url": f"http://localhost/claims/{WITH_CHART}"}).get_json()
    assert body["type"] == "rich" and f"/embed/claim-{WITH_CHART}" in body["html"]


def test_the_share_image_of_an_unknown_claim_is_404(client):
    assert client.get("/share/claim.png?claim=no-such-claim").status_code == 404
    assert client.get("/share/claim.png").status_code == 404


def test_the_share_image_of_a_claim_is_a_png_card(client):
    chromium_or_skip()
    response = client.get(f"/share/claim.png?claim={WITH_CHART}&lang=es")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data[:8] == b"\x89PNG\r\n\x1a\n" and len(response.data) > 10_000


# -- the page per claim: its layout ----------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_claim_page_has_the_card_chart_history_and_cite_box(dash_app, lang):
    text = as_json(page_layout(dash_app, "/claims/<claim_id>", claim_id=WITH_CHART, lang=lang))
    assert f'"id": "claim-{WITH_CHART}"' in text
    assert f'"type": "chart-graph", "chart": "claim-{WITH_CHART}"' in text  # the interactive evidence chart
    assert ("Label history" in text) == (lang == "en") and ("Historial de la etiqueta" in text) == (lang == "es")
    assert ("Cite this check" in text) == (lang == "en")
    assert f"http://localhost/claims/{WITH_CHART}" in text  # the page's own link in the cite box
    assert "Embed code" in text or "Código para insertar" in text  # the chart card's share, embed and cite box


def test_an_unknown_claim_in_app_navigation_shows_not_found(dash_app):
    text = as_json(page_layout(dash_app, "/claims/<claim_id>", claim_id="no-such-claim"))
    assert "Page not found" in text and "no-such-claim" in text


def test_label_history_lists_changes_from_the_changelog(dash_app, tmp_path):
    from dashboard.data import DataStore

    label_history = page_module(dash_app, "/claims/<claim_id>").label_history

    data = tmp_path / "data"
    data.mkdir()
    records = [
        {"started_at": "2026-03-01T02:00:00Z", "sources": {"claims": {"status": "ok", "tables": []}}},
        {
            "started_at": "2026-04-02T02:00:00Z",
            "sources": {
                "claims": {
                    "label_changes": [{"claim_id": "x", "old": "Partly consistent", "new": "Consistent with the data"}]
                }
            },
        },
        {"started_at": "not json"},
    ]
    lines = [json.dumps(r) for r in records] + ["{broken"]
    (data / "changelog.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = DataStore(Paths(data_dir=data, cache_dir=tmp_path / "cache", seeds_dir=tmp_path))
    assert store.label_changes("x") == [
        {"date": "2026-04-02", "old": "Partly consistent", "new": "Consistent with the data"}
    ]
    assert store.label_changes("y") == []
    claim = {"claim_id": "x", "label": "Consistent with the data", "label_since": "2026-04-02"}
    text = as_json(label_history(store, claim, "en"))
    assert "2 April 2026: changed from Partly consistent to Consistent with the data" in text
    assert "Consistent with the data since 2 April 2026." in text
    unchanged = as_json(label_history(store, {**claim, "claim_id": "y"}, "es"))
    assert "Coherente con los datos desde el 2 de abril de 2026." in unchanged and "ningún cambio" in unchanged


def test_the_full_card_shows_caveats_characterisation_core_and_evidence_rows(dash_app):
    from dashboard.claim_cards import claim_body, claim_finding

    claim = {
        "claim_id": "fixture",
        "label": "Partly consistent",
        "topic": "politics",
        "paragraph": 3,
        "quote": "the kidnapping of the president",
        "conclusion_en": "Full conclusion in English.",
        "conclusion_es": "Conclusión completa.",
        "finding_en": "",
        "caveats_en": ["The ratio mixes two publishers."],
        "caveats_es": ["La proporción mezcla dos editores."],
        "characterisation_en": "The document calls it a “kidnapping”.",
        "characterisation_es": "El documento lo llama «secuestro».",
        "core_en": "The president was taken to another country.",
        "core_es": "El presidente fue llevado a otro país.",
        "rule": {"kind": "event"},
        "evidence_rows": [
            {
                "series": "Events",
                "series_es": "Eventos",
                "role": "evidence",
                "period": "2026-01-03",
                "value": 1,
                "unit": "count",
                "publisher": "Reuters",
                "url": "https://example.org/r",
                "retrieved": "2026-11-27",
                "verification": "unverified",
            },
            {
                "series": "Context series",
                "role": "context",
                "period": "2025",
                "value": 2,
                "unit": "count",
                "publisher": "Other",
                "url": "https://example.org/o",
                "retrieved": "2026-11-27",
                "verification": "",
            },
        ],
    }
    with dash_app.server.test_request_context("/"):
        en = as_json(claim_body(claim, "en", "http://localhost/", {"language": "en"}, chart="none"))
        es = as_json(claim_body(claim, "es", "http://localhost/", {"language": "en"}, chart="none"))
    assert "The ratio mixes two publishers." in en and "La proporción mezcla dos editores." in es
    assert "calls it a “kidnapping”" in en and "neither endorsed nor rebutted" in en
    assert "The president was taken to another country." in en and "El presidente fue llevado a otro país." in es
    assert "Reuters" in en and "unverified" in en and "sin verificar" in es and "Eventos" in es
    assert "Context series" not in en  # context rows are for the chart, not the evidence list
    assert "cita original en inglés" in es  # an English quote on a Spanish page is marked as such
    assert claim_finding(claim, "en") == "Full conclusion in English."  # no finding yet: the conclusion
    assert claim_finding({**claim, "finding_en": "Short finding."}, "en") == "Short finding."


# -- the home page ---------------------------------------------------------------------------------------------------
def test_home_lists_factual_claims_compactly_and_non_factual_behind_a_closed_toggle(dash_app):
    layout = page_layout(dash_app, "/")
    text = as_json(layout)
    claims = published_claims()
    factual = [c for c in claims if c["label"] != LABEL_NOT_FACTUAL]
    items = by_class(layout, "claim-details")
    assert len(items) == len(factual)
    assert not any(n["props"].get("open") for n in items)  # all collapsed
    for claim in claims:
        assert f"/claims/{claim['claim_id']}" in text  # every claim links to its page
    (toggle,) = [n for n in nodes(layout) if n["props"].get("id") == "claim-opinions-toggle"]
    assert toggle["type"] == "Details" and not toggle["props"].get("open")
    assert f"({sum(c['label'] == LABEL_NOT_FACTUAL for c in claims)})" in as_json(toggle)
    assert '"data-src": "/embed/claim-' in text and '"src": "/embed/claim-' not in text  # no image until opened


def test_a_claim_in_the_url_is_opened_and_a_non_factual_filter_opens_the_toggle(dash_app):
    layout = page_layout(dash_app, "/", claim=WITH_CHART)
    assert sum(bool(n["props"].get("open")) for n in by_class(layout, "claim-details")) == 1
    assert f'"src": "/embed/claim-{WITH_CHART}.svg"' in as_json(layout)
    layout = page_layout(dash_app, "/", label="not-factual")
    (toggle,) = [n for n in nodes(layout) if n["props"].get("id") == "claim-opinions-toggle"]
    assert toggle["props"]["open"] is True


def test_latest_figures_carry_their_as_of_date_and_a_stale_flag_when_old(dash_app):
    from dashboard.data import store

    latest_figures = page_module(dash_app, "/").latest_figures

    with dash_app.server.test_request_context("/"):
        december = as_json(latest_figures(store(), "en", date(2026, 12, 6)))
        april = as_json(latest_figures(store(), "en", date(2026, 4, 30)))
        spanish = as_json(latest_figures(store(), "es", date(2026, 12, 6)))
    for key in ("tile-gap", "tile-share", "tile-hours", "tile-oil"):
        assert f'"id": "{key}"' in december
    latest_day = store().table("une_daily")["date"].max().date()
    from dashboard.i18n import fmt_date

    assert december.count(f"Latest observation: {fmt_date(latest_day.isoformat(), 'en')}") == 3
    assert december.count("Out of date since") == 3 and "Old figure" in december
    assert "Out of date since" not in april  # a day after the latest note, the daily figures are current
    assert "Última observación" in spanish and "Desactualizada desde el" in spanish
    assert "MW" in december and "%" in december and "h/day" in december and "h/día" in spanish


# -- in the browser --------------------------------------------------------------------------------------------------
def _open(browser, url: str, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector("main h1", timeout=20000)
    return page, errors


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "es"])
def test_brw_home_collapsed_fits_in_about_four_screens_with_figures_first(browser, live_server, lang):
    page, errors = _open(browser, f"{live_server}/?lang={lang}")
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height <= 3700, height  # ~four 900 px screens at 1280 px (the old page: 39,797 px)
    tiles = page.locator("#latest-figures .tile")
    assert tiles.count() == 4
    bottom = page.evaluate("() => document.querySelector('#latest-figures .tiles').getBoundingClientRect().bottom")
    assert bottom <= 900  # the latest figures are on the first screen
    assert page.locator(".tile-stale").first.is_visible()
    assert not page.locator("#claim-opinions").is_visible()  # non-factual statements: behind the toggle
    assert page.evaluate("() => Array.from(document.images).filter(i => i.src.includes('/embed/')).length") == 0
    assert errors == []
    page.close()


@pytest.mark.browser
def test_brw_opening_a_claim_shows_its_card_and_chart(browser, live_server):
    page, errors = _open(browser, f"{live_server}/")
    item = page.locator(f"#claim-{WITH_CHART}")
    item.locator("summary.claim-line").click()
    assert item.locator(".conclusion").is_visible()
    assert item.locator(f"a[href='/claims/{WITH_CHART}']").is_visible()
    image = item.locator("img.chart-img")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        f"() => {{ const i = document.querySelector('#claim-{WITH_CHART} img.chart-img');"
        " return i && i.complete && i.naturalWidth > 0; }",
        timeout=60000,
    )
    assert errors == []
    page.close()


@pytest.mark.browser
def test_brw_keyboard_enter_and_space_open_a_claim(browser, live_server):
    page, errors = _open(browser, f"{live_server}/")
    summaries = page.locator("#claim-cards > article:not([hidden]) summary.claim-line")
    first, second = summaries.nth(0), summaries.nth(1)
    first.focus()
    page.keyboard.press("Enter")
    assert first.evaluate("s => s.parentElement.open") is True
    page.keyboard.press("Enter")
    assert first.evaluate("s => s.parentElement.open") is False
    second.focus()
    page.keyboard.press("Space")
    assert second.evaluate("s => s.parentElement.open") is True
    assert second.locator("xpath=..").locator(".conclusion").is_visible()
    toggle = page.locator("#claim-opinions-toggle > summary")
    toggle.focus()
    page.keyboard.press("Enter")
    assert page.locator("#claim-opinions").is_visible()
    assert errors == []
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("width", [1280, 375])
def test_brw_claim_page_draws_its_chart(browser, live_server, lang, width):
    page, errors = _open(browser, f"{live_server}/claims/{WITH_CHART}?lang={lang}", width)
    assert page.evaluate("() => document.documentElement.lang") == lang
    page.locator(f"#claim-{WITH_CHART} .chart-graph").scroll_into_view_if_needed()  # charts draw when near
    page.wait_for_selector(f"#claim-{WITH_CHART} .js-plotly-plot .main-svg", timeout=20000)
    assert page.locator(".label-history li").count() >= 1
    assert page.locator(".claim-cite").is_visible()
    if width == 375:
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 376
    assert errors == []
    page.close()


def test_evidence_periods_are_written_in_words():
    from dashboard.claim_cards import period_words

    assert period_words({"x_start": "2025-01-01", "x_end": "2025-10-31"}, "es") == "enero de 2025 – octubre de 2025"
    assert period_words({"x_start": "2024-01-01", "x_end": "2024-12-31", "period": "2024"}, "en") == "2024"
    assert period_words({"x_start": "2026-01-30", "x_end": "2026-01-30"}, "en") == "30 January 2026"
    assert period_words({"x_start": "2025-12-15", "x_end": "2026-01-15"}, "en") == "15 December 2025 – 15 January 2026"
    assert period_words({"period": "2023/2024"}, "en") == "2023/2024"  # no dates: as published


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_home_list_shows_spanish_readers_a_marked_translation_beside_the_original(dash_app, lang):
    """The compact list shows each quote in the reader's language: on a Spanish page our translation, said once above
    the list to be ours, and the English original inside each card, marked as such."""
    home = page_module(dash_app, "/")  # as Dash imported it: a second import registers "/" twice for later apps

    text = json.dumps(home.layout(lang=lang).to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    claim = next(c for c in published_claims() if c["claim_id"] == WITH_CHART)
    assert ("cada cita se muestra en traducción propia" in text) == (lang == "es")
    assert (claim["quote_es"] in text) == (lang == "es")
    assert ("traducción propia; original en inglés:" in text) == (lang == "es")
    assert claim["quote"] in text  # the original is always there
    title_es = "¡En defensa de Cuba contra el ataque imperialista de Trump!"
    assert (title_es in text) == (lang == "es")  # the document's title too, beside the English original
    assert "Quotes are shown as the document wrote them" not in text  # an English page needs no note


def test_a_spanish_citation_is_spanish(client):
    """The chart's "how to cite" on a Spanish page names the site, the sources and the date in Spanish."""
    text = client.get("/claims/mexico-small-shipments?lang=es").get_data(as_text=True)
    cite = text[text.index("Cómo citar") :][:2500]
    assert "Panel sobre la crisis energética de Cuba, datos a 27 de febrero de 2026." in cite
    assert "data as of" not in cite and ".." not in cite

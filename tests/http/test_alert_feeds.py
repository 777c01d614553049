"""Issue 19 item 3, alerts: the ETL derives events (etl/sources/alerts.py) from small hand-written frames, and the
dashboard serves them as Atom and JSON Feed per language (dashboard/feeds.py), valid for a feed parser, with absolute
addresses on the configured site and linked from every page's head."""

from __future__ import annotations

import json
import re
import threading
from datetime import date

import feedparser
import pandas as pd
import pytest
import requests

from dashboard import data as data_module
from etl.sources.alerts import derive_events

SITE = "https://energy.example.org"


def daily(values: dict[str, float], column: str = "peak_deficit_mw") -> pd.DataFrame:
    return pd.DataFrame({"date": list(values), column: list(values.values())})


def events(**kwargs) -> pd.DataFrame:
    args = {
        "une_daily": pd.DataFrame({"date": []}),
        "grid_collapses": pd.DataFrame(),
        "claims": pd.DataFrame(),
        "changelog": [],
        "package": {"resources": []},
        "today": date(2026, 12, 6),
    }
    return derive_events(**{**args, **kwargs})


def test_a_record_is_the_highest_value_for_at_least_half_a_year():
    frame = daily({"2024-01-01": 900, "2024-02-01": 1200, "2024-03-01": 800, "2024-10-01": 1100, "2024-10-02": 1000})
    out = events(une_daily=frame)
    records = out[out["kind"] == "record"]
    # 1 Oct: the highest since 1 Feb (the last day as high), 243 days earlier; 2 Oct is not (1 Oct is higher).
    assert list(records["date"]) == ["2024-10-01"]
    row = records.iloc[0]
    assert row["since_date"] == "2024-02-01" and row["value"] == 1100 and row["value_unit"] == "MW"
    assert "since 1 February 2024" in row["title_en"] and "1 de febrero de 2024" in row["title_es"]
    assert row["link_path"] == "/blackouts?start=2023-10-02&end=2024-10-01#une-supply-demand"


def test_a_record_of_the_whole_series_needs_a_year_of_history():
    young = events(une_daily=daily({"2024-01-01": 10.0, "2024-06-01": 20.0}, "peak_share_of_demand_cut_pct"))
    assert young.empty
    old = events(une_daily=daily({"2024-01-01": 10.0, "2025-02-01": 20.5}, "peak_share_of_demand_cut_pct"))
    assert list(old["event_id"]) == ["record:peak_share_of_demand_cut_pct:2025-02-01"]
    assert "in the series (since 1 January 2024): 20.5 %" in old.iloc[0]["title_en"]


def test_a_grid_collapse_is_an_event_linked_to_the_chart_around_it():
    collapses = pd.DataFrame(
        [{"date": "2024-10-18", "scope": "total", "trigger": "failure of CTE Antonio Guiteras", "publisher": "ABC"}]
    )
    row = events(grid_collapses=collapses).iloc[0]
    assert row["kind"] == "grid_collapse" and row["date"] == "2024-10-18"
    assert row["title_en"] == "Total collapse of the national grid on 18 October 2024"
    assert "Guiteras" in row["summary_en"] and "causa informada" in row["summary_es"]
    assert row["link_path"] == "/blackouts?start=2024-09-18&end=2024-11-17#une-supply-demand"


def test_a_label_change_is_an_event_but_a_first_publication_is_not():
    changelog = [
        {
            "started_at": "2026-12-06T04:47:47Z",
            "sources": {
                "claims": {
                    "label_changes": [
                        {
                            "claim_id": "mexico-small-shipments",
                            "old": "Consistent with the data",
                            "new": "Partly consistent",
                        },
                        {"claim_id": "new-claim", "old": None, "new": "Partly consistent"},
                    ]
                }
            },
        }
    ]
    claims = pd.DataFrame([{"claim_id": "mexico-small-shipments", "quote": "only small shipments"}])
    out = events(changelog=changelog, claims=claims)
    assert list(out["event_id"]) == ["label_change:mexico-small-shipments:2026-12-06:partly-consistent"]
    row = out.iloc[0]
    assert (
        "“only small shipments” (mexico-small-shipments) is now Partly consistent (was Consistent with the data)"
        in row["title_en"]
    )
    assert "Parcialmente coherente" in row["title_es"] and row["link_path"] == "/claims/mexico-small-shipments"


def test_new_vintages_come_from_the_package_and_a_stale_table_is_reported_and_both_are_kept():
    def source(url: str, sha: str, day: str) -> dict:
        return {"title": "OWID energy", "path": url, "sha256": sha, "retrieved": f"{day}T04:47:47Z"}

    package = {
        "resources": [
            {
                "path": "une_daily.csv",
                "title": "Daily grid",
                "x_source_id": "une_daily",
                "x_latest_observation": "2026-04-29",
                "x_expected_cadence_days": 2,
                "sources": [{"title": "UNE", "path": "docs/x.md"}],  # our own derivation: no upstream file
            },
            {
                "path": "owid_energy.csv",
                "x_source_id": "owid_energy",
                "sources": [
                    source("https://example.org/a.csv", "ab" * 32, "2026-12-01"),
                    source("https://example.org/b.csv", "cd" * 32, "2026-12-01"),
                ],
            },
        ]
    }
    out = events(package=package)
    vintage = out[out["kind"] == "new_vintage"]
    assert len(vintage) == 1  # two files of one source retrieved the same day: one piece of news
    assert (
        vintage.iloc[0]["date"] == "2026-12-01"
        and vintage.iloc[0]["title_en"] == "New version of OWID energy (2 files)"
    )
    stale = out[out["kind"] == "stale"].iloc[0]
    assert stale["date"] == "2026-05-02" and stale["since_date"] == "2026-04-29" and stale["subject"] == "une_daily"
    assert events(package=package).equals(out)  # the same inputs give the same table
    # Later the table is current and the file has changed: the old events stay, one new vintage is added.
    later_package = {
        "resources": [
            {**package["resources"][0], "x_latest_observation": "2026-12-05"},
            {**package["resources"][1], "sources": [source("https://example.org/a.csv", "ef" * 32, "2026-12-06")]},
        ]
    }
    later = events(package=later_package, previous=out)
    assert set(out["event_id"]) < set(later["event_id"])
    assert list(later[later["kind"] == "new_vintage"]["date"]) == ["2026-12-01", "2026-12-06"]


# -- the served feeds ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def feed_server(tmp_path_factory):
    """The app on a copy of data/ whose alerts table the ETL has just derived, on a real local server."""
    from werkzeug.serving import make_server

    from dashboard.app import create_app
    from dashboard.data import DataStore
    from etl.runner import Refresher
    from tests.http.test_loading_bad_data import copy_data

    paths = copy_data(tmp_path_factory.mktemp("feeds"))
    report = Refresher(paths).refresh(["alerts"])
    assert (paths.data_dir / "alerts.csv").exists(), report
    previous = data_module._STORE  # create_app configures the process-wide store: put it back afterwards
    app = create_app(DataStore(paths), site_url=SITE)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    data_module._STORE = previous


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_atom_feed_is_valid_with_ids_dates_and_absolute_links(feed_server, lang):
    answer = requests.get(f"{feed_server}/feeds/{lang}.atom", headers={"Host": "evil.example"}, timeout=60)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(answer.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10" and feed.feed.language == lang and 0 < len(feed.entries) <= 50
    for entry in feed.entries:
        assert entry.id.startswith("tag:energy.example.org,2026:alerts/")
        assert entry.updated_parsed and entry.title and entry.summary
        assert entry.link.startswith(SITE + "/")
        assert ("lang=es" in entry.link) == (lang == "es")
    assert "evil.example" not in answer.text
    days = [e.updated_parsed[:3] for e in feed.entries]
    assert days == sorted(days, reverse=True)  # newest first


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_json_feed_has_the_required_fields_of_version_1_1(feed_server, lang):
    answer = requests.get(f"{feed_server}/feeds/{lang}.json", timeout=60)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("application/feed+json")
    doc = json.loads(answer.content)
    assert doc["version"] == "https://jsonfeed.org/version/1.1" and doc["title"] and doc["language"] == lang
    assert doc["feed_url"] == f"{SITE}/feeds/{lang}.json" and isinstance(doc["items"], list) and doc["items"]
    ids = [item["id"] for item in doc["items"]]
    assert len(set(ids)) == len(ids)
    for item in doc["items"]:
        assert isinstance(item["id"], str) and (item.get("content_text") or item.get("content_html"))
        assert item["url"].startswith(SITE + "/") and re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", item["date_published"])
    # the same data give the same bytes (cacheable, no "now" in the feed)
    assert requests.get(f"{feed_server}/feeds/{lang}.json", timeout=60).content == answer.content


def test_unknown_feeds_answer_404(feed_server):
    for path in ("/feeds/fr.atom", "/feeds/en.rss", "/feeds/en.json?version=zz"):
        assert requests.get(feed_server + path, timeout=60).status_code in (404, 400), path


@pytest.mark.parametrize("path", ["/", "/blackouts?lang=es", "/claims/mexico-small-shipments"])
def test_every_page_head_links_the_feeds_of_its_language(client, path):
    text = client.get(path).get_data(as_text=True)
    lang = "es" if "lang=es" in path else "en"
    head = text.split("</head>", 1)[0]
    assert 'type="application/atom+xml" title="' in head and f'/feeds/{lang}.atom"' in head
    assert 'type="application/feed+json"' in head and f'/feeds/{lang}.json"' in head


def test_record_alerts_say_who_reported_the_figure_which_day_it_belongs_to_and_how_many_days_it_beats():
    """Fact-check of 6 December 2026: press figures were credited to "the UNE's note", an actual cut was dated by the
    note that reported it (the next morning), and "since" hid how few days had a figure."""
    from etl.sources.alerts import record_events

    days = pd.date_range("2024-01-01", periods=400, freq="D")
    daily = pd.DataFrame(
        {
            "date": days.strftime("%Y-%m-%d"),
            "source_kind": ["note"] * 399 + ["press point"],
            "publisher": ["Cubadebate (UNE note)"] * 399 + ["EFE"],
            "peak_deficit_mw": [500.0] * 399 + [900.0],
            "prev_day_max_affectation_mw": [600.0] * 398 + [1500.0, None],
        }
    )
    events = {e["subject"]: e for e in record_events(daily)}
    deficit = events["peak_deficit_mw"]
    assert deficit["summary_en"].startswith("A press report (EFE) gives 900 MW for 3 February 2025")
    assert deficit["summary_en"].endswith("since 1 January 2024 (399 days with a figure).")
    actual = events["prev_day_max_affectation_mw"]
    assert actual["date"] == "2025-02-01"  # reported in the note of 2 February, about 1 February
    assert actual["summary_en"].startswith("The UNE's note of 2 February 2025 reports 1,500 MW on 1 February 2025")

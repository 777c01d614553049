"""Alerts as feeds: `/feeds/<lang>.atom` (Atom 1.0, written by feedgen) and `/feeds/<lang>.json` (JSON Feed 1.1),
one per language, from the published `alerts` table (events are derived in the ETL: etl/sources/alerts.py; here
they are only selected and formatted). Every address is absolute on the configured site URL, never the request's
Host, and the bytes depend only on the data version and the site URL (no "now"), so they cache like downloads."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pandas as pd

from dashboard.data import DataStore
from dashboard.i18n import LANGS, lang_query, t

FEED_ITEMS = 50  # newest events per feed (the whole history is the published alerts table)
KINDS = ("atom", "json")
MIMETYPES = {"atom": "application/atom+xml", "json": "application/feed+json"}


def feed_path(lang: str, kind: str) -> str:
    return f"/feeds/{lang}.{kind}"


def feed_links(base: str, lang: str) -> list[dict[str, str]]:
    """The <link rel="alternate"> a page's head carries for its language's feeds."""
    return [
        {"type": MIMETYPES[kind], "title": t("feed_title", lang), "href": f"{base.rstrip('/')}{feed_path(lang, kind)}"}
        for kind in KINDS
    ]


def localized_link(path: str, lang: str) -> str:
    """A site path in the reader's language (`lang=es` added to its query; the fragment kept)."""
    parts = urlsplit(path)
    query = dict(parse_qsl(parts.query))
    query.update(lang_query(lang))
    out = parts.path + (f"?{urlencode(query)}" if query else "")
    return out + (f"#{parts.fragment}" if parts.fragment else "")


def latest_events(store: DataStore, limit: int = FEED_ITEMS) -> list[dict[str, Any]]:
    """The newest events, newest first (none when the package has no alerts table yet)."""
    if "alerts" not in store.table_names():
        return []
    table = store.table("alerts")
    ordered = table.sort_values(["date", "event_id"], ascending=[False, False], kind="stable").head(limit)
    return ordered.to_dict("records")


def _when(day: Any) -> datetime:
    stamp = pd.Timestamp(day)
    return datetime(stamp.year, stamp.month, stamp.day, tzinfo=UTC)


def _iso(day: Any) -> str:
    return _when(day).isoformat().replace("+00:00", "Z")


def entry_id(base: str, event_id: str) -> str:
    """A stable IRI per event (RFC 4151 tag URI on the site's host): the same event keeps its id across versions."""
    host = urlsplit(base).hostname or "localhost"
    return f"tag:{host},2026:alerts/{event_id}"


def atom_feed(events: list[dict[str, Any]], base: str, lang: str) -> bytes:
    """Atom 1.0; `updated` is the newest event's day (deterministic bytes for the same data)."""
    from feedgen.feed import FeedGenerator

    base = base.rstrip("/")
    fg = FeedGenerator()
    fg.id(f"{base}{feed_path(lang, 'atom')}")
    fg.title(t("feed_title", lang))
    fg.subtitle(t("feed_description", lang))
    fg.author({"name": t("site_title", lang), "uri": base + "/"})
    fg.link(href=f"{base}{localized_link('/', lang)}", rel="alternate", type="text/html")
    fg.link(href=f"{base}{feed_path(lang, 'atom')}", rel="self", type=MIMETYPES["atom"])
    fg.language(lang)
    fg.rights("CC BY 4.0")
    fg.updated(_when(events[0]["date"]) if events else datetime(2026, 1, 1, tzinfo=UTC))
    for event in reversed(events):  # feedgen prepends: add oldest first so the newest comes first
        entry = fg.add_entry()
        entry.id(entry_id(base, event["event_id"]))
        entry.title(str(event[f"title_{lang}"]))
        entry.summary(str(event[f"summary_{lang}"]))
        entry.link(href=f"{base}{localized_link(str(event['link_path']), lang)}", rel="alternate", type="text/html")
        entry.updated(_when(event["date"]))
        entry.published(_when(event["date"]))
        entry.category(term=str(event["kind"]))
    return fg.atom_str(pretty=True)


def json_feed(events: list[dict[str, Any]], base: str, lang: str) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1): version, title, items with id and content_text."""
    base = base.rstrip("/")
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": t("feed_title", lang),
        "home_page_url": f"{base}{localized_link('/', lang)}",
        "feed_url": f"{base}{feed_path(lang, 'json')}",
        "description": t("feed_description", lang),
        "language": lang,
        "authors": [{"name": t("site_title", lang), "url": base + "/"}],
        "items": [
            {
                "id": entry_id(base, str(e["event_id"])),
                "url": f"{base}{localized_link(str(e['link_path']), lang)}",
                "title": str(e[f"title_{lang}"]),
                "content_text": str(e[f"summary_{lang}"]),
                "summary": str(e[f"summary_{lang}"]),
                "date_published": _iso(e["date"]),
                "tags": [str(e["kind"])],
            }
            for e in events
        ],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def build(store: DataStore, base: str, lang: str, kind: str) -> bytes:
    if lang not in LANGS or kind not in KINDS:
        raise KeyError(f"{lang}.{kind}")
    events = latest_events(store)
    return atom_feed(events, base, lang) if kind == "atom" else json_feed(events, base, lang)

"""Live UNE notes from the other outlets that republish them: each declared outlet's RSS feed or WordPress listing
(`outlets` in une_outlets.meta.yaml), read with the same note detector and parser as Cubadebate's.

Why: the nightly series must not depend on one outlet's server or page layout. Each outlet stands alone: one that
does not answer, or answers with something that is not its feed, is named in the run log (`texts_rejected`,
"<outlet>: ...") and the others are used; only when no outlet could be read does the source fail, and then nothing
published changes (the runner's all-or-nothing rule). Every text an outlet's feed carries that is not taken is
counted by reason, per outlet, so a layout change shows as "granma: no UNE figures" rather than as a silent gap.

One row per (outlet, note date), the morning note first, with the outlet and the article URL; figures only, never
the text. The table accumulates like une_notes_cubadebate: a night an outlet is down keeps its earlier rows.
une_daily reads the table as its secondary source (dates the Cubadebate tables miss; disagreements published in
une_source_conflicts)."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pandas as pd
from bs4 import BeautifulSoup

from etl.http import FetchError
from etl.meta import SourceMeta, load_yaml
from etl.month_names import MONTHS
from etl.sources.base import FetchContext, ParseError, Resource, decode_text
from etl.sources.une_cubadebate import api_url, articles_from_api, html_to_text
from etl.une.corpus import Article
from etl.une.notes import NOTE_COLUMNS, notes_table

META_PATH = Path(__file__).with_name("une_outlets.meta.yaml")
TABLE = "une_notes_outlets"
COLUMNS = ["outlet", "publisher", *NOTE_COLUMNS]
ACCUMULATES = True
FORMATS = ("rss", "wordpress", "dated_page")
CHECKED = ("confirmed", "plausible", "unverified")
SEARCH = "Unión Eléctrica"  # WordPress listings: the same search as Cubadebate's
PER_PAGE = 100
MAX_PAGES = 5
REREAD_DAYS = 3
FIRST_RUN_DAYS = 30
FEED_MAX_BYTES = 20 * 1024 * 1024
PAGE_MAX_BYTES = 2 * 1024 * 1024
CUBA = ZoneInfo("America/Havana")  # a feed's pubDate is often in GMT: an evening note would land on the next day
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}encoded"
#: Reason (after "<outlet>: ") for an outlet with no file this run: its fetch failed (HTTP error, timeout, refused
#: redirect, oversize, a daily page found for no day). The cause is in the run log's `parts_failed`.
NOT_FETCHED = "not fetched in this run (down, moved, or its answer refused)"
UNDATED = "a feed item without a publication date or link"
SECOND_NOTE = "a second note for the same date (the morning one is kept)"
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Outlet:
    """One outlet that republishes the note: its id (the prefix of its raw files), name, feed format and URL."""

    id: str
    name: str
    format: str
    url: str
    checked: str = "unverified"  # what the address rests on (une_outlets.meta.yaml): confirmed, plausible, unverified


@cache
def outlets() -> tuple[Outlet, ...]:
    """The declared outlets, in order of preference, checked: ids unique and file-name safe, a known format, and a
    URL among the source's `urls` (so its host is one a fetch may reach)."""
    raw = load_yaml(META_PATH.read_text(encoding="utf-8"))
    declared_urls = set(raw.get("urls") or ())
    out: list[Outlet] = []
    for spec in raw.get("outlets") or ():
        outlet = Outlet(
            str(spec["id"]), str(spec["name"]), str(spec["format"]), str(spec["url"]), str(spec.get("checked", ""))
        )
        if outlet.checked not in CHECKED:
            raise ValueError(
                f"{META_PATH.name}: outlet {outlet.id} says checked {outlet.checked!r}, not one of {CHECKED}"
            )
        if outlet.checked != "unverified" and not str(spec.get("evidence") or "").strip():
            raise ValueError(f"{META_PATH.name}: outlet {outlet.id} is {outlet.checked} without its `evidence`")
        if not _ID_RE.match(outlet.id) or outlet.id in {o.id for o in out}:
            raise ValueError(f"{META_PATH.name}: outlet id {outlet.id!r} is not a unique lower-case name")
        if outlet.format not in FORMATS:
            raise ValueError(f"{META_PATH.name}: outlet {outlet.id} has format {outlet.format!r}, not one of {FORMATS}")
        if outlet.url not in declared_urls:
            raise ValueError(f"{META_PATH.name}: outlet {outlet.id}'s URL is not in `urls`")
        out.append(outlet)
    if not out:
        raise ValueError(f"{META_PATH.name}: no outlets declared")
    return tuple(out)


def outlet_rank() -> dict[str, int]:
    """Outlet id → its place in the order of preference (une_daily fills a date from the first that has it)."""
    return {o.id: i for i, o in enumerate(outlets())}


# -- fetch ----------------------------------------------------------------------------------------------------------
def start_date(ctx: FetchContext, outlet: Outlet) -> date:
    """The day after which a listing is asked for: the outlet's latest stored note minus the re-read window."""
    df = ctx.published.get(TABLE)
    if df is not None and len(df):
        dates = df.loc[df["outlet"] == outlet.id, "date"].dropna()
        if len(dates):
            return date.fromisoformat(str(dates.max())) - timedelta(days=REREAD_DAYS)
    return ctx.today - timedelta(days=FIRST_RUN_DAYS)


def wordpress_url(outlet: Outlet, after: date, page: int) -> str:
    return api_url(after, page, outlet.url)


def dated_page_url(outlet: Outlet, day: date, padded: bool) -> str:
    """The address of the page an outlet publishes each day at a predictable address (the ministry's "Situación
    del SEN para el 8 de noviembre de 2022"): the template's {day} (two digits when `padded`), {month_es}, {year}."""
    return outlet.url.format(
        day=f"{day.day:02d}" if padded else str(day.day), month_es=MONTHS["es"][day.month - 1], year=day.year
    )


def fetch_dated_pages(outlet: Outlet, ctx: FetchContext, fetch_one) -> None:
    """One page per day from the outlet's latest stored note (minus the re-read window) to today; a day without a
    page answers 404 and is simply absent. The ministry writes the day with and without a leading zero (both seen):
    a 404 for "08" tries "8". Raises FetchError when the site fails (not a 404), or when no day has a page at all:
    a site that moved its pages must not pass as weeks without a note."""
    first, found = start_date(ctx, outlet), 0
    for offset in range((ctx.today - first).days + 1):
        day = first + timedelta(days=offset)
        for padded in (True, False) if day.day < 10 else (True,):
            name = f"{outlet.id}__page_{day.isoformat()}_{'dd' if padded else 'd'}.html"
            res = Resource(name, dated_page_url(outlet, day, padded), optional=True, max_bytes=PAGE_MAX_BYTES)
            if fetch_one(res) is not None:
                found += 1
                break
    if not found:
        raise FetchError(f"{outlet.name}: no daily page from {first} to {ctx.today} (404 for every day: moved?)")


def fetch_outlet(outlet: Outlet, ctx: FetchContext, fetch_one) -> None:
    """One outlet's feed (one file), listing (pages until one is short) or daily pages. Raises FetchError when it
    fails."""
    if outlet.format == "rss":
        fetch_one(Resource(f"{outlet.id}__feed.xml", outlet.url, max_bytes=FEED_MAX_BYTES))
        return
    if outlet.format == "dated_page":
        fetch_dated_pages(outlet, ctx, fetch_one)
        return
    after = start_date(ctx, outlet)
    for page in range(1, MAX_PAGES + 1):
        name = f"{outlet.id}__wp_posts_{after.isoformat()}_p{page}.json"
        content = fetch_one(Resource(name, wordpress_url(outlet, after, page), max_bytes=FEED_MAX_BYTES))
        try:
            posts = json.loads(content or b"[]")
        except ValueError:
            return  # not JSON: stored as fetched, and parse names the outlet's listing as unreadable
        if not isinstance(posts, list) or len(posts) < PER_PAGE:
            return
    raise FetchError(f"{outlet.name}: the listing returned more than {MAX_PAGES} pages; narrow the window")


def within_share(outlet: Outlet, seconds: float, fetch_one):
    """`fetch_one` for one outlet, each request limited to what is left of the outlet's share of the source's time:
    an outlet that hangs (its feed, or forty daily pages on a first run) fails alone, and the others keep theirs."""
    ends = time.monotonic() + seconds

    def one(res: Resource) -> bytes | None:
        left = ends - time.monotonic()
        if left <= 0:
            raise FetchError(f"{outlet.name}: used up its {seconds:.0f}-s share of the source's time")
        return fetch_one(replace(res, deadline_s=left))

    return one


def fetch(ctx: FetchContext, fetch_one) -> list[str]:
    """Every outlet in turn, each within an equal share of the source's time; one that fails is left out (parse names
    it) and its cause returned, for the run log (`parts_failed`: "minem: HTTP 503 from …"). All failed: the source
    fails."""
    failures = []
    share = ctx.deadline_s / len(outlets())
    for outlet in outlets():
        try:
            fetch_outlet(outlet, ctx, within_share(outlet, share, fetch_one))
        except FetchError as exc:
            failures.append(f"{outlet.id}: {exc}")
    if len(failures) == len(outlets()):
        raise FetchError("no outlet answered: " + "; ".join(failures))
    return failures


# -- parse ----------------------------------------------------------------------------------------------------------
def _cuba_time(pub_date: str) -> tuple[str, str] | None:
    """An RSS pubDate → (date, "YYYY-MM-DD HH:MM") in Cuba time; None when it is not a date."""
    try:
        when = parsedate_to_datetime(pub_date)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is not None:
        when = when.astimezone(CUBA)
    return when.date().isoformat(), when.strftime("%Y-%m-%d %H:%M")


def articles_from_rss(content: bytes, name: str) -> tuple[list[Article], int]:
    """The items of an RSS 2.0 feed (the body from content:encoded, else the description, an excerpt), and how many
    items had no date or link to read them by."""
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as exc:
        raise ParseError(f"{name}: not XML ({exc})") from exc
    if root.tag != "rss" or root.find("channel") is None:
        raise ParseError(f"{name}: XML but not an RSS 2.0 feed (root <{root.tag}>)")
    out, undated = [], 0
    for item in root.iter("item"):
        when = _cuba_time((item.findtext("pubDate") or "").strip())
        link = (item.findtext("link") or "").strip()
        if when is None or not link:
            undated += 1
            continue
        body = item.findtext(CONTENT_NS) or item.findtext("description") or ""
        title = html_to_text(item.findtext("title") or "")
        out.append(Article(date=when[0], url=link, title=title, text=html_to_text(body), published_at=when[1]))
    return out, undated


_PAGE_NAME = re.compile(r"__page_(\d{4}-\d{2}-\d{2})_(dd|d)\.html$")


def article_from_page(outlet: Outlet, content: bytes, name: str) -> Article:
    """A daily page: the note is its text (page chrome included: the detector and parser take the ministry's page
    as published); its date and address come from the day it was asked for."""
    found = _PAGE_NAME.search(name)
    if found is None:
        raise ParseError(f"{name}: not a daily page's file name")
    day = date.fromisoformat(found.group(1))
    page = BeautifulSoup(decode_text(content, name), "lxml")
    if page.find("body") is None:
        raise ParseError(f"{name}: not an HTML page")
    title = page.title.get_text(" ", strip=True) if page.title else ""
    body = page.find("article") or page.find("main") or page.body
    return Article(
        date=day.isoformat(),
        url=dated_page_url(outlet, day, found.group(2) == "dd"),
        title=title,
        text=body.get_text(" ", strip=True),
        published_at="",
    )


def read_outlet(outlet: Outlet, files: dict[str, bytes]) -> tuple[list[Article], int]:
    """The articles in an outlet's files (feed, listing pages or daily pages) and the items without a date or link.
    Raises ParseError when the files are not the outlet's format."""
    articles: list[Article] = []
    undated = 0
    for name in sorted(files):
        if outlet.format == "dated_page":
            articles.append(article_from_page(outlet, files[name], name))
        elif outlet.format == "rss":
            items, skipped = articles_from_rss(files[name], name)
            articles, undated = articles + items, undated + skipped
        else:
            decode_text(files[name], name)
            articles += articles_from_api(files[name], name)
    return articles, undated


def one_per_date(notes: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The outlet's note for each date: the morning one, earliest first (as une_daily chooses); how many were left."""
    if notes.empty:
        return notes, 0
    evening = notes["published_at"].astype(str).str.slice(11, 16).map(lambda t: not t or t >= "12:00")
    ranked = notes.assign(_evening=evening, _at=notes["published_at"].astype(str))
    ranked = ranked.sort_values(["date", "_evening", "_at", "url"])
    kept = ranked.drop_duplicates("date", keep="first").drop(columns=["_evening", "_at"])
    return kept, len(notes) - len(kept)


def parse(
    raw: dict[str, bytes], meta: SourceMeta, previous: dict[str, pd.DataFrame] | None = None
) -> dict[str, pd.DataFrame]:
    frames: list[pd.DataFrame] = []
    rejected: Counter[str] = Counter()
    unreadable: list[str] = []
    for outlet in outlets():
        files = {n: c for n, c in raw.items() if n.startswith(f"{outlet.id}__")}
        if not files:
            rejected[f"{outlet.id}: {NOT_FETCHED}"] += 1
            continue
        try:
            articles, undated = read_outlet(outlet, files)
        except ParseError as exc:  # an error page served with 200, a feed that changed format: this outlet only
            unreadable.append(str(exc))
            rejected[f"{outlet.id}: feed unreadable ({str(exc)[:160]})"] += 1
            continue
        if undated:
            rejected[f"{outlet.id}: {UNDATED}"] += undated
        notes = notes_table(articles, f"{outlet.name} ({outlet.format} feed)")
        for reason, count in notes.attrs.get("rejected", {}).items():
            rejected[f"{outlet.id}: {reason}"] += count
        notes, second = one_per_date(notes)
        if second:
            rejected[f"{outlet.id}: {SECOND_NOTE}"] += second
        frames.append(notes.assign(outlet=outlet.id, publisher=outlet.name))
    if not frames:
        raise ParseError("no outlet's feed could be read: " + ("; ".join(unreadable) or "none was fetched"))
    new = pd.concat(frames, ignore_index=True).reindex(columns=COLUMNS)
    old = (previous or {}).get(TABLE)
    if old is not None and len(old):
        # Accumulate: this run's (outlet, date) rows replace the stored ones; the others stay.
        fresh = set(zip(new["outlet"], new["date"].astype(str), strict=True))
        stale = [(o, str(d)) in fresh for o, d in zip(old["outlet"], old["date"], strict=True)]
        kept = old.loc[[not s for s in stale], COLUMNS]
        new = pd.concat([kept, new], ignore_index=True) if len(new) else kept.copy()
    new.attrs["rejected"] = dict(rejected)
    return {TABLE: new}

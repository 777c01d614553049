"""Live UNE notes from Cubadebate: the WordPress REST API (`/wp-json/wp/v2/posts`, search + after + paging), and
the site's RSS feed when the API fails. Only notes after the last one stored are asked for, re-reading the last
3 days for corrections; the published table accumulates (new rows replace old ones with the same URL)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from urllib.parse import urlencode
from xml.etree import ElementTree

import pandas as pd
from bs4 import BeautifulSoup

from etl.http import FetchError
from etl.meta import SourceMeta
from etl.sources.base import FetchContext, ParseError, Resource, decode_text
from etl.une.corpus import Article
from etl.une.notes import NOTE_COLUMNS, notes_table

API = "https://www.cubadebate.cu/wp-json/wp/v2/posts"
RSS = "https://www.cubadebate.cu/feed/"
SEARCH = "Unión Eléctrica"
PER_PAGE = 100
MAX_PAGES = 20
REREAD_DAYS = 3
FIRST_RUN_DAYS = 30
ACCUMULATES = True
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}encoded"


def api_url(after: date, page: int, endpoint: str = API) -> str:
    """A WordPress REST listing of posts matching the note's search after a day (also other outlets' WordPress
    sites: etl/sources/une_outlets.py)."""
    params = {
        "search": SEARCH,
        "after": f"{after.isoformat()}T00:00:00",
        "per_page": str(PER_PAGE),
        "page": str(page),
        "orderby": "date",
        "order": "asc",
        "_fields": "id,date,link,title,content",
    }
    return f"{endpoint}?{urlencode(params)}"


def start_date(ctx: FetchContext) -> date:
    """The day after which to ask: the latest note we hold (live or archive) minus the re-read window."""
    latest: list[str] = []
    for name in ("une_notes_cubadebate", "une_notes_archive"):
        df = ctx.published.get(name)
        if df is None and ctx.read_table is not None:
            df = ctx.read_table(name)
        if df is not None and len(df):
            latest.append(str(df["date"].max()))
    if latest:
        return date.fromisoformat(max(latest)) - timedelta(days=REREAD_DAYS)
    return ctx.today - timedelta(days=FIRST_RUN_DAYS)


def fetch(ctx: FetchContext, fetch_one) -> None:
    after = start_date(ctx)
    try:
        for page in range(1, MAX_PAGES + 1):
            content = fetch_one(
                Resource(f"wp_posts_{after.isoformat()}_p{page}.json", api_url(after, page), max_bytes=50 * 1024 * 1024)
            )
            posts = json.loads(content or b"[]")
            if not isinstance(posts, list):
                raise FetchError(f"Cubadebate API answered something other than a list of posts (page {page})")
            if len(posts) < PER_PAGE:
                return
        raise FetchError(f"Cubadebate API returned more than {MAX_PAGES} pages; narrow the window")
    except (FetchError, ValueError) as api_error:
        try:
            fetch_one(Resource("rss.xml", RSS, max_bytes=20 * 1024 * 1024))
        except FetchError as rss_error:
            raise FetchError(f"Cubadebate unreachable: API ({api_error}); RSS fallback ({rss_error})") from rss_error


def html_to_text(markup: str) -> str:
    return BeautifulSoup(markup or "", "lxml").get_text(" ", strip=True)


def articles_from_api(content: bytes, name: str) -> list[Article]:
    try:
        posts = json.loads(decode_text(content, name))
    except json.JSONDecodeError as exc:
        raise ParseError(f"{name}: malformed JSON: {exc}") from exc
    if not isinstance(posts, list):
        raise ParseError(f"{name}: expected a list of posts")
    out = []
    for post in posts:
        try:
            published = str(post["date"])
            out.append(
                Article(
                    date=published[:10],
                    url=str(post["link"]),
                    title=html_to_text(post.get("title", {}).get("rendered", "")),
                    text=html_to_text(post["content"]["rendered"]),
                    published_at=published[:16].replace("T", " "),
                )
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ParseError(f"{name}: a post lacks {exc} (WordPress response shape changed?)") from exc
    return out


def articles_from_rss(content: bytes) -> list[Article]:
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as exc:
        raise ParseError(f"rss.xml: malformed XML: {exc}") from exc
    out = []
    for item in root.iter("item"):
        link = (item.findtext("link") or "").strip()
        pub = (item.findtext("pubDate") or "").strip()
        try:
            from email.utils import parsedate_to_datetime

            when = parsedate_to_datetime(pub)
        except (TypeError, ValueError):
            continue
        body = item.findtext(CONTENT_NS) or item.findtext("description") or ""
        out.append(
            Article(
                date=when.date().isoformat(),
                url=link,
                title=item.findtext("title") or "",
                text=html_to_text(body),
                published_at=when.strftime("%Y-%m-%d %H:%M"),
            )
        )
    return out


def parse(
    raw: dict[str, bytes], meta: SourceMeta, previous: dict[str, pd.DataFrame] | None = None
) -> dict[str, pd.DataFrame]:
    articles: list[Article] = []
    for name in sorted(raw):
        if name.startswith("wp_posts_"):
            articles += articles_from_api(raw[name], name)
        elif name == "rss.xml":
            articles += articles_from_rss(raw[name])
    new = notes_table(articles, "Cubadebate")
    old = (previous or {}).get("une_notes_cubadebate")
    if old is not None and len(old):
        old = old[NOTE_COLUMNS].copy()
        kept = old[~old["url"].isin(set(new["url"]))]
        rejected = new.attrs.get("rejected", {})
        new = pd.concat([kept, new], ignore_index=True) if len(new) else kept.copy()
        new.attrs["rejected"] = rejected  # this run's texts not read (concat drops attrs that differ)
    return {"une_notes_cubadebate": new}

"""UNE-note fixtures in the upstream formats: Cubadebate article exports (the GitHub corpora's CSV), WordPress REST
API answers and an RSS feed. The notes are the ones written for the parser tests (invented numbers)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs

from etl.sources import une_archive
from tests.etl.test_une_parser import NOTE_2022, NOTE_2024, NOTE_2026, RANDOM_ARTICLE
from tests.support.fixture_server import send
from tests.support.upstream_fixtures import mirror_path

HEADER = ["Título", "Fecha", "Contenido", "Etiquetas", "Número de Comentarios", "Enlace"]


def note_with(peak_demand: int, affectation: int) -> str:
    """A short note in the 2025 style with the given peak figures (for incremental tests)."""
    availability = peak_demand - affectation + 70
    return (
        "La Unión Eléctrica informa que para el horario pico de hoy se estima una disponibilidad de "
        f"{availability:,} MW y una demanda máxima de {peak_demand:,} MW, para un déficit de "
        f"{peak_demand - availability:,} MW, por lo que se pronostica una afectación de {affectation:,} MW en ese "
        "horario. Ayer la máxima afectación por déficit de capacidad fue de 1 402 MW a las 20:10 horas."
    ).replace(",", " ")


def article(date_time: str, url: str, text: str, title: str = "UNE: nota del día") -> dict[str, str]:
    return {
        "Título": title,
        "Fecha": date_time,
        "Contenido": text,
        "Etiquetas": "Electricidad",
        "Número de Comentarios": "3",
        "Enlace": url,
    }


def corpus_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


ARCHIVE_ROWS = [
    article("2022-11-18 08:50:00", "http://www.cubadebate.cu/noticias/2022/11/18/une-nota-a/", NOTE_2022),
    article("2024-03-05 09:10:00", "http://www.cubadebate.cu/noticias/2024/03/05/une-nota-b/", NOTE_2024),
    article("2024-03-06 10:00:00", "http://www.cubadebate.cu/noticias/2024/03/06/otro-tema/", RANDOM_ARTICLE),
]
DAILY_FILES = {
    "2025-04-02": [
        article(
            "2025-04-02 08:30:00", "http://www.cubadebate.cu/noticias/2025/04/02/une-nota-c/", note_with(3300, 1500)
        ),
        # The same day's evening update: recorded as an alternate, not used.
        article(
            "2025-04-02 19:45:00",
            "http://www.cubadebate.cu/noticias/2025/04/02/une-nota-c-tarde/",
            note_with(3320, 1650),
        ),
    ],
    "2025-04-03": [
        # Repeats an archive article (the daily files re-collect old ones): de-duplicated by URL.
        article("2024-03-05 09:10:00", "https://www.cubadebate.cu/noticias/2024/03/05/une-nota-b", NOTE_2024),
        article("2025-04-03 08:20:00", "http://www.cubadebate.cu/noticias/2025/04/03/une-nota-d/", NOTE_2026),
    ],
}


def add_une_archive(root: Path, daily: dict[str, list[dict[str, str]]] | None = None, listing: bool = True) -> None:
    """Write the archive CSV, the daily files and (like GitHub's contents API) a listing of the daily folder."""
    target = root / mirror_path(une_archive.ALBERTE03_URL)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(corpus_csv(ARCHIVE_ROWS))
    names = []
    for day, rows in (daily or DAILY_FILES).items():
        path = root / mirror_path(f"{une_archive.DJSIXHUB_BASE}/articulos_{day}.csv")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(corpus_csv(rows))
        names.append(path.name)
    if listing:
        entries = [
            {"name": n, "path": f"data/daily/{n}", "type": "file", "download_url": f"{une_archive.DJSIXHUB_BASE}/{n}"}
            for n in sorted(names)
        ]
        entries.append({"name": "README.md", "path": "data/daily/README.md", "type": "file"})
        listing_path = root / mirror_path(une_archive.DJSIXHUB_LISTING)
        listing_path.parent.mkdir(parents=True, exist_ok=True)
        listing_path.write_text(json.dumps(entries))


# -- WordPress ------------------------------------------------------------------------------------------------------
def wp_post(post_id: int, when: str, slug: str, text: str, title: str = "UNE pronostica afectación") -> dict:
    paragraphs = "".join(f"<p>{sentence.strip()}.</p>" for sentence in text.split(". ") if sentence.strip())
    return {
        "id": post_id,
        "date": when,
        "link": f"https://www.cubadebate.cu/noticias/{when[:4]}/{when[5:7]}/{when[8:10]}/{slug}/",
        "title": {"rendered": title},
        "content": {
            "rendered": f'<figure><img src="x.jpg" alt=""><figcaption>Foto</figcaption></figure>{paragraphs}',
            "protected": False,
        },
    }


class FakeWordPress:
    """Answers `/www.cubadebate.cu/wp-json/wp/v2/posts` like WordPress: search, after, per_page, page, order."""

    PATH = "www.cubadebate.cu/wp-json/wp/v2/posts"

    def __init__(self, posts: list[dict]) -> None:
        self.posts = posts
        self.queries: list[dict[str, list[str]]] = []
        self.fail_with: int | None = None

    def __call__(self, handler: BaseHTTPRequestHandler, path: str, query: str) -> bool:
        if path != self.PATH:
            return False
        params = parse_qs(query)
        self.queries.append(params)
        if self.fail_with:
            send(handler, self.fail_with, b'{"code":"internal_server_error"}', "application/json")
            return True
        search = params.get("search", [""])[0].lower()
        after = params.get("after", [""])[0]
        per_page = int(params.get("per_page", ["10"])[0])
        page = int(params.get("page", ["1"])[0])
        hits = [
            p
            for p in self.posts
            if (not search or search in (p["title"]["rendered"] + p["content"]["rendered"]).lower())
            and (not after or p["date"] > after)
        ]
        hits.sort(key=lambda p: p["date"])
        pages = max((len(hits) + per_page - 1) // per_page, 1)
        if page > pages:
            body = json.dumps(
                {"code": "rest_post_invalid_page_number", "message": "page beyond range", "data": {"status": 400}}
            ).encode()
            send(handler, 400, body, "application/json")
            return True
        chunk = hits[(page - 1) * per_page : page * per_page]
        send(
            handler,
            200,
            json.dumps(chunk).encode(),
            "application/json; charset=UTF-8",
            {"X-WP-Total": str(len(hits)), "X-WP-TotalPages": str(pages)},
        )
        return True


def rss_feed(posts: list[dict]) -> bytes:
    items = []
    for p in posts:
        when = format_datetime(datetime.fromisoformat(p["date"] + "-05:00"))
        items.append(
            f"<item><title>{p['title']['rendered']}</title><link>{p['link']}</link><pubDate>{when}</pubDate>"
            f"<description><![CDATA[Resumen]]></description>"
            f"<content:encoded><![CDATA[{p['content']['rendered']}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Cubadebate</title>'
        + "".join(items)
        + "</channel></rss>"
    ).encode("utf-8")

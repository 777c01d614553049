"""Draw the stratified random sample of mirrored articles behind the hand-checked reference set.

Run: .venv/bin/python bench/une_reference_sample.py [--holdout] [--show]
The sample is fixed by SEED and the per-year quotas, so anyone can redraw it and check that
``bench/une_reference.yaml`` holds exactly these articles. ``--show`` prints each article's text for
the reviewer (to the terminal only: the text is never stored in the project).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import une_corpus

from etl.une.corpus import Article, normalize_url

SEED = 16
#: articles drawn per year; the 2026 file holds 52 articles in all
QUOTAS: dict[str, int] = {"2022": 40, "2023": 40, "2024": 40, "2025": 45, "2026": 35}
#: a second, held-out draw, read after the parser fixes the first draw led to, and scored without changing the parser
HOLDOUT_SEED = 1616
HOLDOUT_QUOTAS: dict[str, int] = {"2022": 8, "2023": 8, "2024": 8, "2025": 8, "2026": 8}


def collection_of(article: Article, alberte_urls: set[str]) -> str:
    return "ALbertE03/SEN" if normalize_url(article.url) in alberte_urls else "DJSixHub/SEN"


def draw(
    seed: int = SEED, quotas: dict[str, int] | None = None, exclude: set[str] = frozenset()
) -> list[tuple[Article, str]]:
    """The sample in date order: each year's quota split evenly over the collections holding that year."""
    alberte = {normalize_url(a.url) for a in une_corpus.parse_articles_csv(une_corpus.ALBERTE_CSV.read_bytes())}
    articles = [a for a in une_corpus.load_articles() if normalize_url(a.url) not in exclude]
    rng = random.Random(seed)
    picked: list[tuple[Article, str]] = []
    for year, quota in (quotas or QUOTAS).items():
        strata: dict[str, list[Article]] = {}
        for article in articles:
            if article.date.startswith(year):
                strata.setdefault(collection_of(article, alberte), []).append(article)
        names = sorted(strata, key=lambda n: len(strata[n]))  # the smallest first: its shortfall goes on
        left = quota
        for i, name in enumerate(names):
            share = min(len(strata[name]), -(-left // (len(names) - i)))
            pool = sorted(strata[name], key=lambda a: (a.date, normalize_url(a.url)))
            picked.extend((a, name) for a in rng.sample(pool, share))
            left -= share
    return sorted(picked, key=lambda p: (p[0].date, normalize_url(p[0].url)))


def draw_holdout() -> list[tuple[Article, str]]:
    """The held-out draw: other articles than the first draw's."""
    first = {normalize_url(a.url) for a, _ in draw()}
    return draw(HOLDOUT_SEED, HOLDOUT_QUOTAS, first)


def main() -> int:
    if not une_corpus.corpus_available():
        print(f"corpora not found under {une_corpus.SHARED}", file=sys.stderr)
        return 2
    show = "--show" in sys.argv
    sample = draw_holdout() if "--holdout" in sys.argv else draw()
    for i, (article, collection) in enumerate(sample, 1):
        print(f"#{i} {article.date} {collection} {article.url}")
        if show:
            print(f"  {article.title}\n  {article.text[:3500]}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

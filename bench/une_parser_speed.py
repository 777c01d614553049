"""Throughput of etl/une_parser.parse_note over the real corpora (goal: >= 1,000 notes/s on 2 cores).

Run: /work/venv/bin/python bench/une_parser_speed.py [repeats]
Reports the best of several passes (CPU time of this process, so other work on the machine counts
less) and the median pass, over every article of both corpora (non-notes included: they cost too).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import une_corpus

from etl.une.parser import parse_note


def main() -> int:
    if not une_corpus.corpus_available():
        print(f"corpora not found under {une_corpus.SHARED}", file=sys.stderr)
        return 2
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    articles = une_corpus.load_articles()
    pairs = [(a.text, a.date) for a in articles]
    for text, date in pairs:  # warm-up (regex caches, allocations)
        parse_note(text, date)
    passes = []
    for _ in range(repeats):
        start = time.process_time()
        for text, date in pairs:
            parse_note(text, date)
        passes.append(time.process_time() - start)
    best, median = min(passes), statistics.median(passes)
    print(f"{len(pairs)} articles x {repeats} passes")
    print(f"best pass:   {best:.3f} s  ->  {len(pairs) / best:,.0f} notes/s")
    print(f"median pass: {median:.3f} s  ->  {len(pairs) / median:,.0f} notes/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Per-field agreement of etl/une/parser.py with the third party's LLM extraction of the same articles.

Run: /work/venv/bin/python bench/une_parser_accuracy.py
Articles are matched by URL; a field is compared where either side has a value. "explained" counts
the disagreements investigated in bench/une_parser_disagreements.yaml; the last column is the
agreement once those are set aside (the corpus test asserts it is at least 99%).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import une_corpus


def main() -> int:
    if not une_corpus.corpus_available():
        print(f"corpora not found under {une_corpus.SHARED}", file=sys.stderr)
        return 2
    result = une_corpus.verdict()
    print(f"{'field':32} {'compared':>8} {'agree':>6} {'agree %':>8} {'explained':>9} {'after %':>8}")
    for field in une_corpus.COMPARED_FIELDS:
        compared, agree, explained = result.field_stats(field)
        pct = 100 * agree / compared if compared else 100.0
        after = 100 * result.agreement_after_explained(field)
        print(f"{field:32} {compared:8d} {agree:6d} {pct:8.2f} {explained:9d} {after:8.2f}")
    who = Counter(e.get("right") for e in une_corpus.load_disagreements())
    print(f"\nexplained disagreements: {len(result.explained)} (right: {dict(who)})")
    print(f"unexplained disagreements: {len(result.unexplained)}")
    for r in result.unexplained:
        print(f"  {r.date} {r.field}: ours={r.ours!r} theirs={r.theirs!r} {r.url}")
    if result.stale:
        print(f"listed but no longer occurring: {len(result.stale)}")
        for e in result.stale:
            print(f"  {e.get('field')}: {e.get('url')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

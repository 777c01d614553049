"""Score etl/une/parser.py against the hand-checked reference set, per field, per outlet and per year.

Run: .venv/bin/python bench/une_reference.py [--disagreements]
The "development" split is the set the parser fixes were made on; the "holdout" split was read afterwards and
scored without changing the parser, so its figures are the honest out-of-sample estimate.
Each reference entry names a mirrored article (by URL, looked up in both corpora) or one of our own fixtures
(``fixture:`` path under tests/fixtures/, in another outlet's page shape), with the value of every field read
by a reviewer. Per field: precision (of the values the parser gave, the share that are right), recall (of
the values the note states, the share the parser gave right) and exact match (the share of notes where the
parser's value, null included, equals the reviewer's).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import une_corpus

from etl.une import parser as une_parser
from etl.une.corpus import normalize_url
from etl.une.parser import parse_note

REFERENCE_YAML = une_corpus.ROOT / "bench" / "une_reference.yaml"
FIXTURES = une_corpus.ROOT / "tests" / "fixtures"
#: the fields scored (the unit lists are scored elsewhere: tests/etl/test_une_parser.py)
SCORED_FIELDS: tuple[str, ...] = tuple(
    f for f in une_parser.FIELDS if f not in ("units_breakdown", "units_maintenance")
)


def load_reference(path: Path = REFERENCE_YAML) -> list[dict[str, Any]]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for e in entries:
        unknown = set(e.get("expected") or {}) - set(SCORED_FIELDS)
        if unknown:
            raise ValueError(f"{e.get('url') or e.get('fixture')}: unknown fields {sorted(unknown)}")
    return entries


def expected_values(entry: dict[str, Any]) -> dict[str, Any]:
    """Every scored field: the reviewer's value, null where the entry leaves it out."""
    stated = entry.get("expected") or {}
    return {f: stated.get(f) for f in SCORED_FIELDS}


def entry_texts(entries: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Reference key (normalised URL, or ``fixture:<path>``) -> the article text, from the mirror or the fixtures."""
    wanted = list(entries)
    out: dict[str, str] = {}
    if any("url" in e for e in wanted):
        by_url = {normalize_url(a.url): a.text for a in une_corpus.load_articles()}
        for e in wanted:
            if "url" in e and normalize_url(e["url"]) in by_url:
                out[key(e)] = by_url[normalize_url(e["url"])]
    for e in wanted:
        if "fixture" in e:
            out[key(e)] = (FIXTURES / e["fixture"]).read_text(encoding="utf-8")
    return out


def key(entry: dict[str, Any]) -> str:
    return f"fixture:{entry['fixture']}" if "fixture" in entry else normalize_url(entry["url"])


def same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-6
    return str(a) == str(b)


@dataclass(frozen=True, slots=True)
class Row:
    """One (note, field) pair: the reviewer's value against the parser's."""

    key: str
    date: str
    outlet: str
    split: str
    field: str
    expected: Any
    parsed: Any

    @property
    def exact(self) -> bool:
        return same(self.expected, self.parsed)


def score_rows(entries: list[dict[str, Any]], texts: dict[str, str]) -> list[Row]:
    """Parse every reference note once and pair each field with the reviewer's value (missing texts raise)."""
    rows: list[Row] = []
    for e in entries:
        k = key(e)
        if k not in texts:
            raise KeyError(f"reference note not found: {k}")
        parsed = parse_note(texts[k], e.get("date"))
        for field, value in expected_values(e).items():
            rows.append(
                Row(k, str(e.get("date")), str(e.get("outlet")), str(e.get("split")), field, value, parsed[field])
            )
    return rows


@dataclass(frozen=True, slots=True)
class Score:
    n: int
    exact: int
    true_positive: int
    parser_values: int  # values the parser gave (precision's denominator)
    stated_values: int  # values the reviewer read (recall's denominator)

    @property
    def exact_pct(self) -> float:
        return 100 * self.exact / self.n if self.n else 100.0

    @property
    def precision_pct(self) -> float:
        return 100 * self.true_positive / self.parser_values if self.parser_values else 100.0

    @property
    def recall_pct(self) -> float:
        return 100 * self.true_positive / self.stated_values if self.stated_values else 100.0


def score(rows: Iterable[Row]) -> Score:
    rows = list(rows)
    tp = sum(1 for r in rows if r.expected is not None and r.exact)
    return Score(
        n=len(rows),
        exact=sum(r.exact for r in rows),
        true_positive=tp,
        parser_values=sum(1 for r in rows if r.parsed is not None),
        stated_values=sum(1 for r in rows if r.expected is not None),
    )


def by(rows: Iterable[Row], attr: str) -> dict[str, Score]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        groups[getattr(r, attr) if attr != "year" else r.date[:4]].append(r)
    return {k: score(v) for k, v in sorted(groups.items())}


def _table(title: str, scores: dict[str, Score]) -> None:
    print(f"\n{title:34} {'pairs':>6} {'stated':>6} {'precision %':>11} {'recall %':>9} {'exact %':>8}")
    for name, s in scores.items():
        print(f"{name:34} {s.n:6d} {s.stated_values:6d} {s.precision_pct:11.2f} {s.recall_pct:9.2f} {s.exact_pct:8.2f}")


def main() -> int:
    entries = load_reference()
    mirrored = [e for e in entries if "url" in e]
    if mirrored and not une_corpus.corpus_available():
        print(f"corpora not found under {une_corpus.SHARED}: scoring the fixtures only", file=sys.stderr)
        entries = [e for e in entries if "fixture" in e]
    rows = score_rows(entries, entry_texts(entries))
    notes = {r.key for r in rows}
    print(f"reference notes: {len(notes)}; outlets: {len({r.outlet for r in rows})}")
    _table("field (all splits)", by(rows, "field"))
    _table("field (holdout only)", by([r for r in rows if r.split == "holdout"], "field"))
    _table("split", by(rows, "split"))
    _table("outlet", by(rows, "outlet"))
    _table("year", by(rows, "year"))
    total = score(rows)
    print(
        f"\nall fields: precision {total.precision_pct:.2f} %, recall {total.recall_pct:.2f} %, exact {total.exact_pct:.2f} %"
    )
    if "--disagreements" in sys.argv:
        print("\ndisagreements (date field: reviewer / parser):")
        for r in rows:
            if not r.exact:
                print(f"  {r.date} {r.field}: {r.expected!r} / {r.parsed!r}  {r.key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Shared corpus loading and third-party comparison for the UNE-parser benchmarks and corpus test.

Reads the mirrored article exports under ``../shared/upstream`` and the third party's LLM extraction
(ALbertE03/SEN ``datos_electricos_organizados.json``), and defines the one comparison rule both the
accuracy script and ``tests/etl/test_une_parser_on_real_corpora.py`` use, so their numbers cannot drift apart.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from etl.une.corpus import Article, dedupe, normalize_url, parse_articles_csv
from etl.une.parser import parse_note

SHARED = ROOT.parent / "shared"
_GH = SHARED / "upstream" / "raw.githubusercontent.com"
ALBERTE_CSV = _GH / "ALbertE03/SEN/main/data/raw/afectaciones_electricas_cubadebate_filter_2025.csv"
DJSIX_DAILY = _GH / "DJSixHub/SEN/main/data/daily"
THIRD_PARTY_JSON = _GH / "ALbertE03/SEN/main/data/processed/datos_electricos_organizados.json"
DISAGREEMENTS_YAML = ROOT / "bench" / "une_parser_disagreements.yaml"

#: our field -> path in the third party's ``datos`` record
COMPARED_FIELDS: dict[str, tuple[str, ...]] = {
    "peak_availability_mw": ("prediccion", "disponibilidad"),
    "peak_demand_mw": ("prediccion", "demanda_maxima"),
    "peak_deficit_mw": ("prediccion", "deficit"),
    "peak_affectation_mw": ("prediccion", "afectacion"),
    "prev_day_max_affectation_mw": ("impacto", "maximo", "mw"),
    "prev_day_max_affectation_time": ("impacto", "maximo", "hora"),
}


def corpus_available() -> bool:
    return ALBERTE_CSV.is_file() and DJSIX_DAILY.is_dir() and THIRD_PARTY_JSON.is_file()


def load_articles() -> list[Article]:
    """Both corpora, de-duplicated by URL (the ALbertE03 export first)."""
    articles = parse_articles_csv(ALBERTE_CSV.read_bytes())
    for path in sorted(DJSIX_DAILY.glob("articulos_*.csv")):
        articles.extend(parse_articles_csv(path.read_bytes()))
    return dedupe(articles)


def load_third_party() -> dict[str, dict[str, Any]]:
    """normalised URL -> ``datos`` of the first record for it (the repeats are identical on our fields)."""
    raw = json.loads(THIRD_PARTY_JSON.read_text(encoding="utf-8"))
    out: dict[str, dict[str, Any]] = {}
    for months in raw.values():
        for records in months.values():
            for rec in records:
                out.setdefault(normalize_url(rec.get("enlace") or ""), rec.get("datos") or {})
    return out


_HHMM_RE = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*(?:(a\.?\s?m\.?|p\.?\s?m\.?)|horas|h\b)?", re.IGNORECASE)


def third_party_time(value: Any) -> str | None:
    """Their free-text hour ("20:30 horas", "8:30 p.m.", "hora pico") as HH:MM, or None."""
    if not isinstance(value, str):
        return None
    m = _HHMM_RE.search(value)
    if not m or (m.group(2) is None and m.group(3) is None):
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    suffix = (m.group(3) or "").lower()
    if suffix.startswith("p") and hour < 12:
        hour += 12
    elif suffix.startswith("a") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def third_party_value(datos: dict[str, Any], field: str) -> Any:
    node: Any = datos
    path = COMPARED_FIELDS[field]
    for i, key in enumerate(path):
        if not isinstance(node, dict):
            return None
        if key == "deficit" and key not in node:
            key = "déficit"
        node = node.get(key)
        if i == len(path) - 1:
            break
    if field.endswith("_time"):
        return third_party_time(node)
    if isinstance(node, bool) or node is None:
        return None
    if isinstance(node, int | float):
        return int(node) if float(node).is_integer() else node
    if isinstance(node, str) and re.fullmatch(r"\s*\d+\s*", node):
        return int(node)
    return None


@dataclass(frozen=True, slots=True)
class Comparison:
    url: str
    date: str
    field: str
    ours: Any
    theirs: Any

    @property
    def agree(self) -> bool:
        return self.ours == self.theirs


def parsed_corpus() -> list[tuple[Article, dict[str, Any]]]:
    """Every article of both corpora with its parse."""
    return [(article, parse_note(article.text, article.date)) for article in load_articles()]


def comparisons(corpus: list[tuple[Article, dict[str, Any]]] | None = None) -> list[Comparison]:
    """One row per (article the third party extracted, field) where at least one side has a value."""
    third = load_third_party()
    rows: list[Comparison] = []
    for article, parsed_note in corpus if corpus is not None else parsed_corpus():
        datos = third.get(normalize_url(article.url))
        if datos is None:
            continue
        for field in COMPARED_FIELDS:
            ours, theirs = parsed_note[field], third_party_value(datos, field)
            if ours is None and theirs is None:
                continue
            rows.append(Comparison(normalize_url(article.url), article.date, field, ours, theirs))
    return rows


def load_disagreements() -> list[dict[str, Any]]:
    """The investigated disagreements: a YAML list of {url, field, ours, theirs, right, reason}."""
    if not DISAGREEMENTS_YAML.is_file():
        return []
    data = yaml.safe_load(DISAGREEMENTS_YAML.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise TypeError(f"{DISAGREEMENTS_YAML}: expected a list of entries")
    return data


def disagreement_key(url: str, field: str) -> tuple[str, str]:
    return normalize_url(url), field


@dataclass(frozen=True, slots=True)
class Verdict:
    """The comparison split by the investigated list (see ``bench/une_parser_disagreements.yaml``)."""

    rows: list[Comparison]
    explained: list[Comparison]
    unexplained: list[Comparison]
    stale: list[dict[str, Any]]  # listed entries that no longer occur with the recorded values

    def field_stats(self, field: str) -> tuple[int, int, int]:
        """(compared, agree, explained disagreements) for one field."""
        rows = [r for r in self.rows if r.field == field]
        explained = sum(1 for r in self.explained if r.field == field)
        return len(rows), sum(r.agree for r in rows), explained

    def agreement_after_explained(self, field: str) -> float:
        """Share of compared articles where we agree or the disagreement is explained."""
        compared, agree, explained = self.field_stats(field)
        return (agree + explained) / compared if compared else 1.0


def verdict(rows: list[Comparison] | None = None, entries: list[dict[str, Any]] | None = None) -> Verdict:
    rows = comparisons() if rows is None else rows
    entries = load_disagreements() if entries is None else entries
    listed = {disagreement_key(e["url"], e["field"]): e for e in entries}
    explained, unexplained, seen = [], [], set()
    for r in rows:
        if r.agree:
            continue
        key = disagreement_key(r.url, r.field)
        entry = listed.get(key)
        if entry is not None and entry.get("ours") == r.ours and entry.get("theirs") == r.theirs:
            explained.append(r)
            seen.add(key)
        else:
            unexplained.append(r)
    stale = [e for key, e in listed.items() if key not in seen]
    return Verdict(rows, explained, unexplained, stale)

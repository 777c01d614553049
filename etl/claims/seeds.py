"""Reading and validating the seed documents: `seeds/<document-id>/` holds document.txt, meta.yaml and claims.yaml
(docs/CLAIMS_FORMAT.md). Everything that would make a verdict wrong or a link break (ids, verbatim quotes, paragraph
numbers, rule structure) is refused here, naming the file and the claim, before any claim is evaluated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from etl.claims.schema import check_claim
from etl.claims.values import normalise
from etl.sources.base import ParseError

SEED_FILES = ("document.txt", "meta.yaml", "claims.yaml")
MAX_PROBLEMS_SHOWN = 10
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: the claims file is large


@dataclass(frozen=True)
class SeedDocument:
    """One validated seed folder."""

    id: str
    text: str
    meta: dict[str, Any]
    claims: list[dict[str, Any]]


def paragraphs(text: str) -> list[str]:
    """The document's paragraphs: its non-empty lines, in order (paragraph 1 = the title line)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def load_documents(seeds_dir: Path) -> list[SeedDocument]:
    """Every seed folder, validated; a ParseError names the file, the claim id and what is wrong."""
    if not seeds_dir.is_dir():
        raise ParseError(f"seeds folder {seeds_dir} does not exist")
    folders = sorted(p for p in seeds_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    docs = [load_document(folder) for folder in folders]
    if not docs:
        raise ParseError(f"no seed document under {seeds_dir}")
    return docs


def load_document(folder: Path) -> SeedDocument:
    """One seed folder read and validated: a ParseError names what is missing or wrong, so a bad folder stops the refresh."""
    missing = [name for name in SEED_FILES if not (folder / name).is_file()]
    if missing:
        raise ParseError(
            f"seeds/{folder.name}: missing {', '.join(missing)} (a document folder needs {', '.join(SEED_FILES)})"
        )
    text = (folder / "document.txt").read_text(encoding="utf-8")
    meta = _read_yaml(folder / "meta.yaml")
    raw = _read_yaml(folder / "claims.yaml")
    claims = raw.get("claims")
    if not isinstance(claims, list):
        raise ParseError(f"seeds/{folder.name}/claims.yaml: no list under 'claims'")
    doc = SeedDocument(
        folder.name, text, normalise(meta), [normalise(c) if isinstance(c, Mapping) else c for c in claims]
    )
    problems = validate_document(doc, raw.get("document"))
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = f" (+{len(problems) - MAX_PROBLEMS_SHOWN} more)" if len(problems) > MAX_PROBLEMS_SHOWN else ""
        raise ParseError(f"seeds/{folder.name}/claims.yaml: " + "; ".join(shown) + more)
    return doc


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # SAFE_LOADER is a safe loader
    except yaml.YAMLError as exc:
        raise ParseError(f"seeds/{path.parent.name}/{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ParseError(f"seeds/{path.parent.name}/{path.name}: expected a mapping at the top level")
    return data


def validate_document(doc: SeedDocument, declared_id: Any) -> list[str]:
    """Everything that would make a verdict wrong or a link break: ids, quotes, paragraphs, rule structure."""
    problems: list[str] = []
    if declared_id != doc.id:
        problems.append(f"'document: {declared_id}' does not match the folder name {doc.id!r}")
    if doc.meta.get("id") != doc.id:
        problems.append(f"meta.yaml id {doc.meta.get('id')!r} does not match the folder name {doc.id!r}")
    for key in ("title", "publisher", "url", "published", "language"):
        if not doc.meta.get(key):
            problems.append(f"meta.yaml has no {key}")
    paras = paragraphs(doc.text)
    seen: set[str] = set()
    for i, claim in enumerate(doc.claims, 1):
        if not isinstance(claim, Mapping):
            problems.append(f"claim #{i} is not a mapping")
            continue
        cid = claim.get("id")
        where = f"claim {cid!r}" if cid else f"claim #{i}"
        if cid in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(cid)
        problems.extend(f"{where}: {p}" for p in check_claim(claim))
        quote, number = claim.get("quote"), claim.get("paragraph")
        if not isinstance(quote, str) or not quote:
            continue
        if quote not in doc.text:
            problems.append(f"{where}: quote is not a verbatim substring of document.txt: {quote[:80]!r}")
            continue
        if not isinstance(number, int) or isinstance(number, bool):
            continue
        if not 1 <= number <= len(paras) or quote not in paras[number - 1]:
            found = [str(n) for n, p in enumerate(paras, 1) if quote in p]
            problems.append(
                f"{where}: quote is not in paragraph {number} (it is in paragraph {', '.join(found) or '?'}; "
                f"paragraph = n-th non-empty line of document.txt, title = 1)"
            )
    return problems

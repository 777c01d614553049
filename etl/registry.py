"""The list of sources, in run order: upstream and curated first, derived tables after their inputs."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from etl.meta import SourceMeta, TableMeta, load_source_meta

SOURCES_DIR = Path(__file__).resolve().parent / "sources"

# Order matters: a derived source runs after the sources whose tables it reads.
SOURCE_IDS: tuple[str, ...] = (
    "owid_energy",
    "ember_yearly",
    "cia_factbook",
    "wri_power_plants",
    "eia_international",
    "curated",
    "une_archive",
    "une_cubadebate",
    "une_outlets",  # secondary live source of the UNE note: before une_daily, which merges it
    "havana_outages",
    "electricity_demand_by_source",
    "oil_supply",
    "une_daily",
    "une_trends",
    "claims",
    "alerts",  # reads every other derived table and the changelog: last
)


@dataclass(frozen=True)
class Hooks:
    """What a source module provides, read once when it is loaded, so the runner calls named, typed attributes
    instead of looking hooks up by name at each step. The contract, by kind (docs/ARCHITECTURE.md):

    - upstream: `parse(raw, meta)` (or `parse(raw, meta, published)` with `ACCUMULATES = True`) and either
      `fetch(ctx, fetch_one)` (may return the parts that failed, for the run log) or
      `resources(ctx) -> list[Resource]`;
    - curated: `local_files(paths)` and `parse(raw, meta)`;
    - derived: `INPUTS` (published tables, or `("*",)` for every other one) and `derive(ctx) -> {table: frame}`;
      `OPTIONAL_INPUTS` may stand absent;
    - any kind: `check(tables) -> problems`, `provenance(table, tables) -> sources`, `DOCUMENTS` with
      `documents(tables, ctx)` (derived only), `READS_SEEDS = True` when the output depends on seeds/;
      `READS_DOCUMENTS`: files of data/ a derived source reads (in `ctx.previous_documents`) but does not write;
      they are not in the package's hashes, so such a source is recomputed on every run."""

    fetch: Callable[..., Any] | None = None
    resources: Callable[..., Any] | None = None
    parse: Callable[..., Any] | None = None
    derive: Callable[..., Any] | None = None
    local_files: Callable[..., Any] | None = None
    check: Callable[[dict[str, Any]], Any] | None = None
    provenance: Callable[..., Any] | None = None
    documents: Callable[..., Any] | None = None
    inputs: tuple[str, ...] = ()
    optional_inputs: tuple[str, ...] = ()
    document_names: tuple[str, ...] = ()
    read_documents: tuple[str, ...] = ()
    accumulates: bool = False
    reads_seeds: bool = False


class SourceContractError(ValueError):
    """A source module that does not provide what its kind needs: refused when loaded, naming what is missing."""


def read_hooks(module: ModuleType, kind: str) -> Hooks:
    """The module's hooks, checked against its kind."""
    hooks = Hooks(
        **{name: getattr(module, name, None) for name in ("fetch", "resources", "parse", "derive", "local_files")},
        check=getattr(module, "check", None),
        provenance=getattr(module, "provenance", None),
        documents=getattr(module, "documents", None),
        inputs=tuple(getattr(module, "INPUTS", ())),
        optional_inputs=tuple(getattr(module, "OPTIONAL_INPUTS", ())),
        document_names=tuple(getattr(module, "DOCUMENTS", ())),
        read_documents=tuple(getattr(module, "READS_DOCUMENTS", ())),
        accumulates=bool(getattr(module, "ACCUMULATES", False)),
        reads_seeds=bool(getattr(module, "READS_SEEDS", False)),
    )
    needs = {
        "upstream": [("parse", hooks.parse), ("fetch or resources", hooks.fetch or hooks.resources)],
        "curated": [("parse", hooks.parse), ("local_files", hooks.local_files)],
        "derived": [("derive", hooks.derive), ("INPUTS", hooks.inputs)],
    }
    if kind not in needs:
        raise SourceContractError(f"{module.__name__}: unknown kind {kind!r} (upstream, curated or derived)")
    missing = [name for name, value in needs[kind] if not value]
    if hooks.documents and not hooks.document_names:
        missing.append("DOCUMENTS (the file names its documents() writes)")
    if hooks.documents and kind != "derived":
        missing.append("kind derived (documents() gets a derive context)")
    if hooks.read_documents and kind != "derived":
        missing.append("kind derived (READS_DOCUMENTS come in a derive context)")
    if set(hooks.optional_inputs) - set(hooks.inputs):
        missing.append(f"OPTIONAL_INPUTS within INPUTS (not {sorted(set(hooks.optional_inputs) - set(hooks.inputs))})")
    if missing:
        raise SourceContractError(f"{module.__name__} ({kind}) lacks: {', '.join(missing)}")
    return hooks


@dataclass(frozen=True)
class Source:
    """A source module with its metadata and its checked hooks."""

    meta: SourceMeta
    module: ModuleType
    hooks: Hooks = field(default_factory=Hooks)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def inputs(self) -> tuple[str, ...]:
        """Published tables a derived source reads."""
        return self.hooks.inputs


def load_source(source_id: str) -> Source:
    module = importlib.import_module(f"etl.sources.{source_id}")
    meta = load_source_meta(SOURCES_DIR / f"{source_id}.meta.yaml")
    if meta.id != source_id:
        raise ValueError(f"{source_id}.meta.yaml declares id {meta.id!r}")
    return Source(meta, module, read_hooks(module, meta.kind))


def all_sources() -> list[Source]:
    return [load_source(s) for s in SOURCE_IDS if (SOURCES_DIR / f"{s}.meta.yaml").exists()]


def tables_before(source_id: str) -> list[str]:
    """The tables of the sources that run before `source_id`: what a source reading every table (`INPUTS = ("*",)`)
    reads. Never a later source's, so no two sources read each other (claims → alerts → claims) and a second run
    with nothing new changes nothing."""
    tables: list[str] = []
    for source in all_sources():
        if source.id == source_id:
            return tables
        tables += list(source.meta.tables)
    raise KeyError(f"unknown source {source_id!r}")


def all_tables() -> dict[str, TableMeta]:
    return {name: table for src in all_sources() for name, table in src.meta.tables.items()}

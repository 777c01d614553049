"""The list of sources, in run order: upstream and curated first, derived tables after their inputs."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

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
    "havana_outages",
    "electricity_demand_by_source",
    "oil_supply",
    "une_daily",
    "claims",
)


@dataclass(frozen=True)
class Source:
    """A source module with its metadata."""

    meta: SourceMeta
    module: ModuleType

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def inputs(self) -> tuple[str, ...]:
        """Published tables a derived source reads."""
        return tuple(getattr(self.module, "INPUTS", ()))


def load_source(source_id: str) -> Source:
    module = importlib.import_module(f"etl.sources.{source_id}")
    meta = load_source_meta(SOURCES_DIR / f"{source_id}.meta.yaml")
    if meta.id != source_id:
        raise ValueError(f"{source_id}.meta.yaml declares id {meta.id!r}")
    return Source(meta, module)


def all_sources() -> list[Source]:
    return [load_source(s) for s in SOURCE_IDS if (SOURCES_DIR / f"{s}.meta.yaml").exists()]


def all_tables() -> dict[str, TableMeta]:
    return {name: table for src in all_sources() for name, table in src.meta.tables.items()}

"""Where the ETL reads and writes: one place, overridable by environment for tests and deployments."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Paths:
    """Published data (committed), raw cache and run state (git-ignored), and the seeds folder."""

    data_dir: Path
    cache_dir: Path
    seeds_dir: Path

    @property
    def raw_dir(self) -> Path:
        return self.cache_dir / "raw"

    @property
    def state_dir(self) -> Path:
        return self.cache_dir / "state"

    @property
    def curated_dir(self) -> Path:
        return self.data_dir / "curated"

    @property
    def datapackage(self) -> Path:
        return self.data_dir / "datapackage.json"

    @property
    def changelog(self) -> Path:
        return self.data_dir / "changelog.jsonl"


def default_paths() -> Paths:
    """Paths from CUBA_DATA_DIR / CUBA_CACHE_DIR / CUBA_SEEDS_DIR, defaulting to the repository's folders."""
    return Paths(
        data_dir=Path(os.environ.get("CUBA_DATA_DIR", REPO_ROOT / "data")),
        cache_dir=Path(os.environ.get("CUBA_CACHE_DIR", REPO_ROOT / ".cache")),
        seeds_dir=Path(os.environ.get("CUBA_SEEDS_DIR", REPO_ROOT / "seeds")),
    )

"""Time a full refresh from a local mirror of ../shared/upstream, then a no-change refresh, with peak memory.

Run: python bench/refresh.py   (goal on a 2-core machine: full < 60 s, no-change < 5 s)
Each refresh runs as `python -m etl refresh` in its own process on a fresh data dir (curated inputs copied), so
the peak resident memory of each run can be read separately.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import REPO, SHARED, machine, mirror

sys.path.insert(0, str(REPO))
from etl.registry import all_sources

# Every source that fetches or reads files, in the runner's order (the derived ones run after them as dependents),
# except the live news sources, of which ../shared/upstream holds no copy.
LIVE_ONLY = ("une_cubadebate", "une_outlets")
SOURCES = [s.id for s in all_sources() if s.meta.kind in ("upstream", "curated") and s.id not in LIVE_ONLY]


def run(data: Path, cache: Path, base: str) -> tuple[float, int, str]:
    env = {**os.environ, "CUBA_DATA_DIR": str(data), "CUBA_CACHE_DIR": str(cache)}
    # The child reports its own peak RSS (RUSAGE_CHILDREN would give the maximum over every run so far).
    code = (
        "import resource, sys\n"
        "from etl.__main__ import main\n"
        "code = main(sys.argv[1:])\n"
        "print(f'PEAK_KB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}', file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    args = [sys.executable, "-c", code, "refresh", "--mirror", base, *(f"--source={s}" for s in SOURCES)]
    started = time.monotonic()
    result = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, check=False, timeout=600)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"refresh failed ({result.returncode}): {result.stderr[-2000:]}")
    peak_kb = int(next(line.split()[1] for line in result.stderr.splitlines() if line.startswith("PEAK_KB")))
    return seconds, peak_kb, result.stdout.strip().splitlines()[-1]


def main() -> int:
    if not (SHARED / "upstream").is_dir():
        print("../shared/upstream not found", file=sys.stderr)
        return 2
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp, mirror() as base:
        data = Path(tmp) / "data"
        (data / "curated").mkdir(parents=True)
        for csv in (REPO / "data" / "curated").glob("*.csv"):
            shutil.copy(csv, data / "curated" / csv.name)
        full, peak_full, last_full = run(data, Path(tmp) / "cache", base)
        print(f"full refresh:      {full:6.1f} s, peak RSS {peak_full / 1024:6.0f} MB  ({last_full})")
        again, peak_again, last_again = run(data, Path(tmp) / "cache", base)
        print(f"no-change refresh: {again:6.1f} s, peak RSS {peak_again / 1024:6.0f} MB  ({last_again})")
        ok = full < 60 and again < 5 and last_again == "no change"
        print("goals (full < 60 s, no-change < 5 s and nothing rewritten):", "met" if ok else "NOT met")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

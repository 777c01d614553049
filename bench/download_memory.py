"""Worker memory under many distinct large downloads (issue 15, "transient memory"): N requests for the explore CSV
of the largest table, each with a new `start` day (so none is answered from a cache), from a few client threads,
against gunicorn with deploy/gunicorn.conf.py. Reports each worker's resident memory before, right after, and after
a short idle pause. Run it with the allocator settings as deployed, and with CUBA_MALLOC_TUNING=0 to compare.

Run:  .venv/bin/python bench/download_memory.py [--requests 240] [--clients 6] [--table une_notes_archive]
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._support import app_server, machine


def worker_pids(port: int) -> list[int]:
    """gunicorn's workers for this port: processes started with its --bind whose parent is the master."""
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            status = (entry / "status").read_text()
        except OSError:
            continue
        if f"127.0.0.1:{port}" in cmdline and "gunicorn" in cmdline:
            ppid = int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))
            found[int(entry.name)] = ppid
    return sorted(pid for pid, ppid in found.items() if ppid in found)


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    kib = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
    return kib / 1024


def run(requests: int, clients: int, table: str, env: dict[str, str]) -> dict[str, object]:
    env = {"CUBA_WORKERS": "2", "CUBA_THREADS": "4", "CUBA_WARM_IMAGES": "0", **env}
    with app_server(gunicorn=True, env=env) as base:
        port = int(base.rsplit(":", 1)[1])
        urllib.request.urlopen(f"{base}/healthz", timeout=60).read()
        time.sleep(3)
        pids = worker_pids(port)
        before = [rss_mib(p) for p in pids]
        days = [date(2022, 1, 1) + timedelta(days=i) for i in range(requests)]
        sizes: list[int] = []
        lock = threading.Lock()

        def client(share: list[date]) -> None:
            for day in share:
                url = f"{base}/download/explore.csv?table={table}&start={day.isoformat()}"
                try:
                    body = urllib.request.urlopen(url, timeout=120).read()
                except Exception as exc:  # noqa: BLE001 - a refused or failed request is reported, not fatal
                    body = b""
                    print(f"{day}: {exc}", file=sys.stderr)
                with lock:
                    sizes.append(len(body))

        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(days[i::clients],)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.monotonic() - started
        after = [rss_mib(p) for p in pids]
        time.sleep(10)
        idle = [rss_mib(p) for p in pids]
    return {
        "workers": len(pids),
        "requests": requests,
        "seconds": round(seconds, 1),
        "mean_answer_mib": round(sum(sizes) / max(len(sizes), 1) / 2**20, 2),
        "rss_before_mib": [round(x) for x in before],
        "rss_after_mib": [round(x) for x in after],
        "rss_idle_mib": [round(x) for x in idle],
        "growth_mib": [round(b - a) for a, b in zip(before, idle, strict=True)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=240)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--table", default="une_notes_archive")
    args = parser.parse_args()
    info = machine()
    print(f"{info}")
    for label, env in (("as deployed", {}), ("allocator tuning off", {"CUBA_MALLOC_TUNING": "0"})):
        result = run(args.requests, args.clients, args.table, env)
        print(f"{label}: {result}", flush=True)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()

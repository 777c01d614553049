"""Image renders as a CPU attack (issue 15, item 5): N clients, each with its own address (sent as X-Forwarded-For,
as the proxy would), loop `/download/une-calendar.png?start=<a new day>` — a render every time — while a reader asks
for a cached embed. Reports the reader's latency, what the attackers got (200/429/503), and the CPU the server's
processes (gunicorn and its Chromium) used. gunicorn runs with deploy/gunicorn.conf.py (2 workers × 4 threads here).

Run:  .venv/bin/python bench/renders.py [--attackers 8] [--duration 30]
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._support import app_server, gunicorn_master, image_attacker, machine, tree_cpu_seconds

EMBED = "/embed/une-supply-demand"


def attacker(base: str, n: int, stop: threading.Event, results: collections.Counter) -> None:
    image_attacker(base, n, stop, results, spacing_days=200, timeout=30)


def reader(base: str, stop: threading.Event, latencies: list[float], failures: list[int]) -> None:
    with requests.Session() as session:
        session.headers["X-Forwarded-For"] = "203.0.113.77"
        while not stop.is_set():
            started = time.monotonic()
            try:
                ok = session.get(base + EMBED, timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            (latencies.append(time.monotonic() - started) if ok else failures.append(1))
            time.sleep(0.1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attackers", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30.0)
    args = parser.parse_args()
    print(machine())
    env = {"CUBA_WARM_IMAGES": "0", "CUBA_WORKERS": "2", "CUBA_THREADS": "4"}
    with app_server(gunicorn=True, env=env) as base:
        port = int(base.rsplit(":", 1)[1])
        for _ in range(120):
            try:
                if requests.get(base + EMBED, timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        for _ in range(8):  # each worker has the embed cached and Chromium started
            requests.get(base + EMBED, timeout=30)
            requests.get(f"{base}/download/une-calendar.png?start=2021-01-0{_ + 1}", timeout=60)
        quiet: list[float] = []
        stop = threading.Event()
        probe = threading.Thread(target=reader, args=(base, stop, quiet, []))
        probe.start()
        time.sleep(5)
        stop.set()
        probe.join()
        results: collections.Counter = collections.Counter()
        latencies: list[float] = []
        failures: list[int] = []
        stop = threading.Event()
        threads = [threading.Thread(target=attacker, args=(base, n, stop, results)) for n in range(args.attackers)]
        threads.append(threading.Thread(target=reader, args=(base, stop, latencies, failures)))
        cpu_before, wall_before = tree_cpu_seconds(gunicorn_master(port)), time.monotonic()
        for t in threads:
            t.start()
        time.sleep(args.duration)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        cpu = (tree_cpu_seconds(gunicorn_master(port)) - cpu_before) / (time.monotonic() - wall_before)

    def pct(values: list[float], q: int) -> float:
        return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else float("nan")

    print(f"cached embed, no attack: median {statistics.median(quiet) * 1000:.0f} ms, p95 {pct(quiet, 95):.0f} ms")
    print(
        f"{args.attackers} clients looping new PNG days for {args.duration:g} s: cached embed median "
        f"{statistics.median(latencies) * 1000:.0f} ms, p95 {pct(latencies, 95):.0f} ms, {len(failures)} failed"
    )
    print(f"attackers got: {dict(sorted(results.items()))}; server processes used {cpu:.2f} cores")
    return 0


if __name__ == "__main__":
    os.chdir(Path(__file__).resolve().parents[1])
    sys.exit(main())

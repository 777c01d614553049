"""Image renders under attack (issue 15): N clients, each with its own address (X-Forwarded-For, as the proxy sends),
loop `/download/une-calendar.png?start=<a new day>` — a render every time, ignoring Retry-After — while a reader
reads what the pages link to: a cached embed page, a page's share image, a chart's default PNG and a page's
first-screen SVG. Reports the reader's latency (p50/p95/max) and status codes, what the attackers got, and the CPU
used by the server (gunicorn and its Chromium) and by everything else on the machine meanwhile.

gunicorn runs with deploy/gunicorn.conf.py as in production (2 workers × 4 threads, images pre-warmed). `--repo`
runs another checkout (e.g. `git archive HEAD | tar -x -C /tmp/base` for the code before a change) with this venv.

Run:  .venv/bin/python bench/render_attack.py [--attackers 3 8] [--duration 40] [--repo PATH]
"""

from __future__ import annotations

import argparse
import collections
import html
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._support import cpu_busy_seconds, free_port, image_attacker, machine, tree_cpu_seconds, wait_for_port

READER_PATHS = ["/embed/une-supply-demand", "/share/blackouts.png"]  # + the default PNG and a first screen (below)


def attacker(base: str, n: int, stop: threading.Event, results: collections.Counter) -> None:
    image_attacker(base, n, stop, results, spacing_days=97, timeout=60)


def reader(base: str, paths: list[str], stop: threading.Event, latencies: list[float], codes: collections.Counter):
    with requests.Session() as session:
        session.headers["X-Forwarded-For"] = "203.0.113.77"
        while not stop.is_set():
            for path in paths:
                started = time.monotonic()
                try:
                    status = session.get(base + path, timeout=60).status_code
                except requests.RequestException:
                    status = 0
                codes[status] += 1
                if status == 200:
                    latencies.append(time.monotonic() - started)
                time.sleep(0.1)


def reader_paths(base: str) -> list[str]:
    from dashboard import charts
    from dashboard.data import DataStore

    store = DataStore()
    spec = charts.get("une-supply-demand")
    png = charts.download_path(spec, charts.narrow(spec, store, charts.parse_state(spec, store, {})), "png")
    page = requests.get(base + "/blackouts", timeout=60).text
    screen = html.unescape(re.search(r'<img class="sf-img" src="(/screen/une-supply-demand[^"]+)"', page)[1])
    return [*READER_PATHS, png, screen]


def wait_until_cached(base: str, paths: list[str], seconds: float) -> bool:
    """Every reader path answered from a cache 6 times in a row (both workers have it), or False after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        hits = 0
        for _ in range(6):
            answers = [requests.get(base + p, timeout=60) for p in paths[1:]]  # the embed page is built at once
            hits += all(a.headers.get("X-Cache") == "hit" for a in answers)
        if hits == 6:
            return True
        time.sleep(5)
    return False


def wait_until_idle(root: int, seconds: float) -> bool:
    """Until the server (and its Chromium) used under 0.15 cores for 10 s, or False after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        before = tree_cpu_seconds(root)
        time.sleep(10)
        if tree_cpu_seconds(root) - before < 1.5:
            return True
    return False


def wait_for_ready(log: Path, workers: int, seconds: float) -> int:
    """How many workers logged that their linked images are ready, waiting up to `seconds` for `workers` of them."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        count = log.read_text(errors="replace").count("linked images ready")
        if count >= workers:
            return count
        time.sleep(2)
    return log.read_text(errors="replace").count("linked images ready")


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else float("nan")


def phase(base: str, root: int, paths: list[str], attackers: int, duration: float) -> str:
    codes: collections.Counter = collections.Counter()
    results: collections.Counter = collections.Counter()
    latencies: list[float] = []
    stop = threading.Event()
    threads = [threading.Thread(target=attacker, args=(base, n, stop, results)) for n in range(attackers)]
    threads.append(threading.Thread(target=reader, args=(base, paths, stop, latencies, codes)))
    load = os.getloadavg()[0]
    busy0 = cpu_busy_seconds()
    ours0, wall0 = tree_cpu_seconds(root), time.monotonic()
    for t in threads:
        t.start()
    time.sleep(duration)
    stop.set()
    for t in threads:
        t.join(timeout=90)
    wall = time.monotonic() - wall0
    ours = (tree_cpu_seconds(root) - ours0) / wall
    busy1 = cpu_busy_seconds()
    machine_busy = (busy1 - busy0) / wall
    return (
        f"| {attackers} | {statistics.median(latencies) * 1000:.0f} | {pct(latencies, 95):.0f} | "
        f"{max(latencies) * 1000:.0f} | {dict(sorted(codes.items()))} | {dict(sorted(results.items()))} | "
        f"{ours:.2f} | {max(0.0, machine_busy - ours):.2f} | {load:.2f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attackers", type=int, nargs="+", default=[3, 8])
    parser.add_argument("--duration", type=float, default=40.0)
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--warm-seconds", type=float, default=420.0, help="longest wait for the linked images")
    args = parser.parse_args()
    print(machine())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CUBA_SITE_URL": base,
        "CUBA_WORKERS": "2",
        "CUBA_THREADS": "4",
        "CUBA_WARM_IMAGES": "1",
        "CUBA_ACCESS_LOG": "/dev/null",
        "PYTHONPATH": str(args.repo),
    }
    cmd = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"render-attack-{port}.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [*cmd, "dashboard.wsgi:server"], cwd=args.repo, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_for_port(port, timeout=120)
        while requests.get(base + "/healthz", timeout=60).status_code != 200:
            time.sleep(1)
        paths = reader_paths(base)
        started = time.monotonic()
        warmed = wait_until_cached(base, paths, args.warm_seconds)
        print(f"code: {args.repo}; reader paths: {paths}")
        print(f"linked images cached in both workers: {warmed} after {time.monotonic() - started:.0f} s")
        # The warmers done, so that only the attack is measured: each worker's "linked images ready" line where the
        # code logs it (a niced warmer starved by other work on the machine can look idle), else a quiet server.
        logs_ready = "linked images ready" in (args.repo / "dashboard" / "serving.py").read_text(encoding="utf-8")
        ready = wait_for_ready(log_path, 2, args.warm_seconds) if logs_ready else "(not logged by this code)"
        idle = wait_until_idle(proc.pid, args.warm_seconds)
        print(f"workers that logged 'linked images ready': {ready}; server idle (< 0.15 cores for 10 s): {idle}")
        print(
            "| attackers | reader p50 ms | p95 ms | max ms | reader statuses | attacker statuses | server cores "
            "| other processes' cores | load avg at start |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        print(phase(base, proc.pid, paths, 0, min(20.0, args.duration)), flush=True)
        for n in args.attackers:
            print(phase(base, proc.pid, paths, n, args.duration), flush=True)
            time.sleep(10)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Slow clients against gunicorn (issue 15, item 4): N connections that send a request head one line every few
seconds (slowloris) or a declared body one byte at a time, while a probe asks for /healthz twice a second.

Reports the share of probes answered within the probe timeout and their latency, and how long the server kept the
slow connections open. Runs gunicorn with deploy/gunicorn.conf.py (production settings unless overridden in the
environment, e.g. CUBA_HEADER_TIMEOUT) on a free port of 127.0.0.1.

Run:  .venv/bin/python bench/slowloris.py [--slow 12] [--duration 30] [--interval 15] [--body]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._support import app_server, machine


def slow_client(port: int, interval: float, stop: threading.Event, body: bool, held: list[float]) -> None:
    """Send a head (or a body) slowly; record how long the server kept the connection open."""
    while not stop.is_set():
        started = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                if body:
                    sock.sendall(
                        b"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        b"Content-Length: 100000\r\n\r\n"
                    )
                else:
                    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                while not stop.wait(interval):
                    sock.sendall(b"{" if body else b"X-Slow: 1\r\n")
                    sock.settimeout(0.01)
                    try:
                        if sock.recv(1024) == b"":
                            break
                    except TimeoutError:
                        pass
                    except OSError:
                        break
        except OSError:
            pass
        held.append(time.monotonic() - started)
        stop.wait(0.1)


def probe(base: str, seconds: float, timeout: float) -> tuple[int, list[float]]:
    import requests

    ok, latencies = 0, []
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        started = time.monotonic()
        try:
            if requests.get(f"{base}/healthz", timeout=timeout).status_code == 200:
                ok += 1
                latencies.append(time.monotonic() - started)
        except requests.RequestException:
            pass
        time.sleep(max(0.0, 0.5 - (time.monotonic() - started)))
    return n, latencies


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slow", type=int, default=12, help="slow connections")
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--interval", type=float, default=15.0, help="seconds between the slow client's sends")
    parser.add_argument("--probe-timeout", type=float, default=2.0)
    parser.add_argument("--body", action="store_true", help="trickle a request body instead of the head")
    args = parser.parse_args()
    env = {"CUBA_WARM_IMAGES": "0"}
    print(machine())
    with app_server(gunicorn=True, env=env) as base:
        port = int(base.rsplit(":", 1)[1])
        ready = time.monotonic() + 90
        while probe(base, 0.1, args.probe_timeout)[1] == [] and time.monotonic() < ready:
            time.sleep(0.5)  # every worker up
        before = probe(base, 3, args.probe_timeout)
        stop = threading.Event()
        held: list[float] = []
        threads = [
            threading.Thread(target=slow_client, args=(port, args.interval, stop, args.body, held), daemon=True)
            for _ in range(args.slow)
        ]
        for t in threads:
            t.start()
        time.sleep(1)
        n, latencies = probe(base, args.duration, args.probe_timeout)
        stop.set()
        for t in threads:
            t.join(timeout=args.interval + 6)
    kind = "body one byte" if args.body else "head one line"
    print(f"{args.slow} slow clients ({kind} every {args.interval:g} s) for {args.duration:g} s")
    print(f"before: {len(before[1])}/{before[0]} probes answered")
    answered = f"{len(latencies)}/{n} /healthz probes answered within {args.probe_timeout:g} s"
    if latencies:
        q = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else latencies * 19
        answered += f" (median {statistics.median(latencies) * 1000:.0f} ms, p95 {q[18] * 1000:.0f} ms)"
    print(answered)
    if held:
        print(f"slow connections held open: median {statistics.median(held):.1f} s, max {max(held):.1f} s")
    return 0


if __name__ == "__main__":
    os.chdir(Path(__file__).resolve().parents[1])
    sys.exit(main())

"""Bounded load test (issue 8): gunicorn with deploy/gunicorn.conf.py on 127.0.0.1, then N concurrent clients for a
fixed time over four endpoints a viral embed exercises: the home page, an embed page, a Dash callback (the
generation page's controls) and a CSV download.

Goal on the 2-core reference machine: zero errors, p95 under 500 ms for every endpoint.

Run:  /work/venv/bin/python bench/load.py [--duration 60] [--clients 50] [--json out.json]
                                          [--results bench/RESULTS.md] [--url http://host:port]

Each client is a thread with its own keep-alive session that requests the four endpoints in turn, with no think
time (a closed loop: the worst case for a given number of clients). It sends Chrome's Accept-Encoding (the server
then answers zstd; `--accept-encoding gzip` measures what curl-like clients cost) and reads each body in full
without decompressing it (decompression is the client's time, not the server's). The load generator runs on the
same machine as the server, so it takes some of the CPU the server could use; its own CPU time is reported. Before measuring, every worker is warmed: the scenario's URLs are requested until each has
been answered from warm caches (the embed page requests no PNG/SVG server-side; its <noscript> image is only
fetched by browsers without JavaScript, so nothing has to be pre-rendered for this scenario).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import astuple, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for the app's page list
from bench._support import cpu_busy_seconds, tree_cpu_seconds
from dashboard.pages_index import PAGES

REPO = Path(__file__).resolve().parents[1]
GOAL_P95_MS = 500.0
GENERATION_CHARTS = PAGES["/generation"].charts  # the page's charts, as the app declares them


# -- the scenario ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    variants: tuple[dict[str, Any], ...] = ()  # other bodies to rotate through (distinct views)


def callback_body(base: str, session: requests.Session) -> dict[str, Any]:
    """What the browser posts when the tab control changes on /generation: the callback's output and input ids
    come from /_dash-dependencies (as the renderer builds them), one pattern-matching item per chart."""
    deps = session.get(f"{base}/_dash-dependencies", timeout=30).json()
    dep = next(d for d in deps if any(i["id"] == "control-countries" for i in d["inputs"]))
    outputs: list[Any] = []
    for part in dep["output"].strip(".").split("..."):
        ident, prop = part.rsplit(".", 1)
        if ident.startswith("{"):
            pattern = json.loads(ident)
            outputs.append([{"id": {**pattern, "chart": c}, "property": prop} for c in GENERATION_CHARTS])
        else:
            outputs.append({"id": ident, "property": prop})
    values = {
        "control-countries": ["CUB", "DOM", "JAM", "MEX", "OWID_WRL"],
        "control-start": None,
        "control-end": None,
        "control-tab": "table",
        "control-table": None,
        "control-series": None,
    }
    state = []
    for item in dep["state"]:
        if item["id"] == "page-state":
            page = {"page": "/generation", "lang": "en", "charts": list(GENERATION_CHARTS), "extras": {}}
            state.append({"id": "page-state", "property": "data", "value": page})
        else:
            pattern = json.loads(item["id"])
            state.append(
                [
                    {"id": {**pattern, "chart": c}, "property": item["property"], "value": {**pattern, "chart": c}}
                    for c in GENERATION_CHARTS
                ]
            )
    return {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [{"id": i["id"], "property": i["property"], "value": values[i["id"]]} for i in dep["inputs"]],
        "changedPropIds": ["control-tab.value"],
        "state": state,
    }


def callback_variants(body: dict[str, Any], count: int) -> tuple[dict[str, Any], ...]:
    """`count` distinct views of the generation page (country sets × first year × tab), to measure callbacks that
    are not answered from memory."""
    peers = ["DOM", "JAM", "MEX", "OWID_WRL"]
    out = []
    for n in range(count):
        variant = json.loads(json.dumps(body))
        values = {i["id"]: i for i in variant["inputs"]}
        values["control-countries"]["value"] = ["CUB"] + [p for k, p in enumerate(peers) if (n // 78) >> k & 1]
        values["control-start"]["value"] = str(1985 + n % 39)
        values["control-tab"]["value"] = "table" if (n // 39) % 2 else "chart"
        out.append(variant)
    return tuple(out)


def scenario(base: str, callback_views: int = 1) -> list[Endpoint]:
    with requests.Session() as session:
        body = callback_body(base, session)
    variants = callback_variants(body, callback_views) if callback_views > 1 else ()
    return [
        Endpoint("home page", "GET", "/"),
        Endpoint("embed page", "GET", "/embed/une-supply-demand"),
        Endpoint("Dash callback", "POST", "/_dash-update-component", body, variants),
        Endpoint("CSV download", "GET", "/download/oil-shipments.csv"),
    ]


# -- the server ------------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_settings() -> dict[str, Any]:
    """workers / threads / worker class as deploy/gunicorn.conf.py computes them here."""
    namespace: dict[str, Any] = {"__file__": str(REPO / "deploy" / "gunicorn.conf.py")}
    os.environ.setdefault("CUBA_SITE_URL", "http://127.0.0.1:8050")  # the config refuses to load without one
    exec((REPO / "deploy" / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102 - our own config file
    return {k: namespace[k] for k in ("workers", "threads", "worker_class", "timeout") if k in namespace}


class Server:
    """gunicorn -c deploy/gunicorn.conf.py dashboard.wsgi:server on a free port; access log to a file."""

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / "gunicorn.log"
        self.access_log = log_dir / "access.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> None:
        env = {
            "CUBA_SITE_URL": self.base,  # required by deploy/gunicorn.conf.py; the environment's own wins
            **os.environ,
            "CUBA_BIND": f"127.0.0.1:{self.port}",
            "CUBA_ACCESS_LOG": str(self.access_log),
        }
        handle = open(self.log, "wb")  # noqa: SIM115 - kept open for the server's life
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "dashboard.wsgi:server"],
            cwd=REPO,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                if requests.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.25)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def worker_errors(self) -> list[str]:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return [
            line for line in text.splitlines() if "Traceback" in line or "[ERROR]" in line or "WORKER TIMEOUT" in line
        ]


def warm_up(base: str, endpoints: list[Endpoint], rounds: int) -> None:
    """Every worker builds its caches (chart views, CSVs, embeds, page layouts) before the clock starts: the same
    URLs from many connections, so that each worker process sees them."""

    def one(_: int) -> None:
        with requests.Session() as session:
            session.headers["Accept-Encoding"] = CHROME_ACCEPT_ENCODING
            for ep in endpoints:
                response, _body = request(session, base, ep)
                if response.status_code != 200:
                    raise RuntimeError(f"warm-up: {ep.method} {ep.path} answered {response.status_code}")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(rounds)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


# -- the clients -----------------------------------------------------------------------------------------------------
CHROME_ACCEPT_ENCODING = "gzip, deflate, br, zstd"


@dataclass
class Sample:
    endpoint: str
    start: float
    seconds: float
    status: int
    error: str = ""
    size: int = 0
    encoding: str = ""


def request(session: requests.Session, base: str, ep: Endpoint, turn: int = 0) -> tuple[requests.Response, bytes]:
    """The response and its body as sent (read to the end, not decompressed)."""
    if ep.method == "POST":
        body = ep.variants[turn % len(ep.variants)] if ep.variants else ep.body
        response = session.post(f"{base}{ep.path}", json=body, timeout=60, stream=True)
    else:
        response = session.get(f"{base}{ep.path}", timeout=60, stream=True)
    body = response.raw.read(decode_content=False)
    response.close()
    return response, body


@dataclass
class Run:
    """`clients` closed-loop clients, spread over `processes` processes (threads in one Python process would queue
    for its GIL and read answers late, which the server would then see as slow clients)."""

    base: str
    endpoints: list[Endpoint]
    clients: int
    duration: float
    accept_encoding: str = CHROME_ACCEPT_ENCODING
    processes: int = 5
    samples: list[Sample] = field(default_factory=list)

    def client(self, index: int, start_at: float, stop_at: float, out: list[Sample]) -> None:
        """One client; `start_at`/`stop_at` are wall-clock times (shared by the processes)."""
        with requests.Session() as session:
            session.headers["Accept-Encoding"] = self.accept_encoding
            i = index  # clients start at different endpoints, so each endpoint is busy all the time
            time.sleep(max(0.0, start_at - time.time()))
            while time.time() < stop_at:
                ep = self.endpoints[i % len(self.endpoints)]
                i += 1
                began = time.perf_counter()
                try:
                    response, body = request(session, self.base, ep, index * 7919 + i)
                    seconds = time.perf_counter() - began
                    error = "" if response.status_code == 200 else f"HTTP {response.status_code}"
                    if not error and not body:
                        error = "empty body"
                    encoding = response.headers.get("Content-Encoding", "identity")
                    out.append(Sample(ep.name, began, seconds, response.status_code, error, len(body), encoding))
                except requests.RequestException as exc:
                    out.append(Sample(ep.name, began, time.perf_counter() - began, 0, type(exc).__name__))

    def process(self, indices: list[int], start_at: float, stop_at: float, queue: Any) -> None:
        out: list[Sample] = []
        threads = [threading.Thread(target=self.client, args=(i, start_at, stop_at, out)) for i in indices]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        queue.put([astuple(s) for s in out])

    def go(self) -> float:
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        start_at = time.time() + 1.0
        stop_at = start_at + self.duration
        n = max(1, min(self.processes, self.clients))
        procs = [
            context.Process(target=self.process, args=(list(range(k, self.clients, n)), start_at, stop_at, queue))
            for k in range(n)
        ]
        for proc in procs:
            proc.start()
        for _ in procs:
            self.samples.extend(Sample(*row) for row in queue.get())
        for proc in procs:
            proc.join()
        return time.time() - start_at  # the wall time including requests in flight at the end


def wait_until_idle(pid: int, limit: float = 300.0, quiet_cores: float = 0.15) -> float:
    """Wait until the server's processes are idle (background warm-ups done, e.g. the claims' SVGs each worker
    renders after its first request); returns the seconds waited."""
    started = time.monotonic()
    quiet = 0
    before = tree_cpu_seconds(pid)
    while time.monotonic() - started < limit:
        time.sleep(1.0)
        now = tree_cpu_seconds(pid)
        quiet = quiet + 1 if now - before < quiet_cores else 0
        before = now
        if quiet >= 3:
            break
    return time.monotonic() - started


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summarize(run: Run, wall: float) -> dict[str, Any]:
    rows = {}
    names = [ep.name for ep in run.endpoints]
    for name in [*names, "all"]:
        samples = [s for s in run.samples if name in ("all", s.endpoint)]
        ms = [s.seconds * 1000 for s in samples]
        errors = [s for s in samples if s.error]
        rows[name] = {
            "requests": len(samples),
            "errors": len(errors),
            "error_kinds": sorted({s.error for s in errors}),
            "throughput_rps": round(len(samples) / wall, 2),
            "p50_ms": round(percentile(ms, 0.50), 1),
            "p95_ms": round(percentile(ms, 0.95), 1),
            "p99_ms": round(percentile(ms, 0.99), 1),
            "max_ms": round(max(ms), 1) if ms else None,
            "mean_bytes_sent": round(statistics.mean([s.size for s in samples])) if samples else 0,
            "encodings": sorted({s.encoding for s in samples if s.encoding}),
        }
    return rows


def machine() -> dict[str, Any]:
    model = ""
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        model = platform.processor()
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
    ).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True, check=False)
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": model,
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit + ("+uncommitted" if dirty.stdout.strip() else ""),
    }


# -- reporting -------------------------------------------------------------------------------------------------------
def table(rows: dict[str, Any]) -> str:
    lines = [
        "| endpoint | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms | KB sent (encoding) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in rows.items():
        label = f"**{name}**" if name == "all" else name
        sent = f"{r['mean_bytes_sent'] / 1024:.1f} ({', '.join(r['encodings'])})" if name != "all" else ""
        lines.append(
            f"| {label} | {r['requests']:,} | {r['errors']} | {r['throughput_rps']:.1f} | {r['p50_ms']:.0f} | "
            f"{r['p95_ms']:.0f} | {r['p99_ms']:.0f} | {r['max_ms']:.0f} | {sent} |"
        )
    return "\n".join(lines)


def verdict(rows: dict[str, Any]) -> tuple[bool, str]:
    errors = rows["all"]["errors"]
    slow = [n for n, r in rows.items() if n != "all" and r["p95_ms"] > GOAL_P95_MS]
    ok = errors == 0 and not slow
    text = f"{errors} errors; " + (
        f"p95 over {GOAL_P95_MS:.0f} ms for: {', '.join(slow)}" if slow else f"every p95 under {GOAL_P95_MS:.0f} ms"
    )
    return ok, ("goal met: " if ok else "goal missed: ") + text


def results_section(result: dict[str, Any]) -> str:
    """The 'Load (issue 8)' section of bench/RESULTS.md for one run (also from a saved --json file)."""
    info, gun, wall = result["machine"], result["gunicorn"], result["wall_s"]
    _ok, conclusion = verdict(result["results"])
    if result.get("server_log_errors"):
        conclusion += f"; {len(result['server_log_errors'])} error lines in the gunicorn log"
    cores = {k: result[f"{k}_cpu_s"] / wall for k in ("server", "load_generator", "other_processes")}
    intro = (
        f"Measured {info['date']} on {info['nproc']} × {info['cpu']} ({info['memory']}), Python {info['python']}, "
        f"commit {info['commit']}. gunicorn `deploy/gunicorn.conf.py`: {gun.get('workers')} workers × "
        f"{gun.get('threads')} threads ({gun.get('worker_class')}). {result['clients']} clients, closed loop "
        f"without think time, {result['duration_s']:.0f} s (`bench/load.py --clients {result['clients']} "
        f"--duration {result['duration_s']:.0f}`), Accept-Encoding `{result['accept_encoding']}`. CPU during the "
        f"run: server {cores['server']:.2f} cores, load generator (same machine) {cores['load_generator']:.2f}, "
        f"other processes {cores['other_processes']:.2f}."
    )
    return "\n".join(
        [
            intro,
            "",
            "Endpoints: " + "; ".join(f"{name} = `{what}`" for name, what in result["endpoints"].items()) + ".",
            "",
            table(result["results"]),
            "",
            f"Result: {conclusion}.",
        ]
    )


BEGIN, END = "<!-- bench/load.py: begin -->", "<!-- bench/load.py: end -->"


def update_results(path: Path, section: str) -> None:
    """Write the measured block of the '## Load (issue 8)' section of RESULTS.md (between its markers), leaving
    other sections and the hand-written notes of this one alone."""
    heading = "## Load (issue 8)"
    block = f"{BEGIN}\n{section.strip()}\n{END}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    elif f"\n{heading}\n" in text:  # a section without markers: its text up to the next section is replaced
        head, _, rest = text.partition(f"\n{heading}\n")
        after = rest[rest.index("\n## ") :] if "\n## " in rest else ""
        text = f"{head}\n{heading}\n\n{block}\n{after}"
    else:
        text = text.rstrip("\n") + f"\n\n{heading}\n\n{block}\n"
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def variant_section(result: dict[str, Any]) -> str:
    """A second run (e.g. every callback a new view) under the main one."""
    views = result.get("callback_views", 1)
    title = f"Every callback a different view (`--callback-views {views}`)" if views > 1 else "Another run"
    return f"### {title}\n\n{results_section(result)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of measured load (default 60)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    parser.add_argument("--results", type=Path, help="write the 'Load (issue 8)' section of this RESULTS.md")
    parser.add_argument("--url", help="load an already running server instead of starting gunicorn")
    parser.add_argument(
        "--from-json", type=Path, nargs="+", help="no run: write --results from saved --json files (main run first)"
    )
    parser.add_argument(
        "--accept-encoding", default=CHROME_ACCEPT_ENCODING, help=f"default {CHROME_ACCEPT_ENCODING!r} (Chrome's)"
    )
    parser.add_argument("--processes", type=int, default=5, help="client processes (default 5)")
    parser.add_argument(
        "--callback-views",
        type=int,
        default=1,
        help="distinct generation-page views the callback rotates through (default 1: the captured one; ~1,000 "
        "makes nearly every callback a cache miss)",
    )
    parser.add_argument("--warmup-rounds", type=int, default=0, help="warm-up connections (default: workers×threads×2)")
    args = parser.parse_args(argv)
    if args.from_json:
        if not args.results:
            parser.error("--from-json needs --results")
        runs = [json.loads(path.read_text(encoding="utf-8")) for path in args.from_json]
        update_results(args.results, "\n\n".join([results_section(runs[0]), *map(variant_section, runs[1:])]))
        return 0

    settings = gunicorn_settings()
    info = machine()
    log_dir = Path(tempfile.mkdtemp(prefix="cuba-load-"))
    server = None if args.url else Server(log_dir)
    try:
        if server:
            print(f"starting gunicorn ({settings}) on {server.base} …", flush=True)
            server.start()
        base = args.url or server.base
        endpoints = scenario(base, args.callback_views)
        rounds = args.warmup_rounds or 2 * int(settings.get("workers", 2)) * int(settings.get("threads", 1))
        started = time.monotonic()
        warm_up(base, endpoints, rounds)
        idle = wait_until_idle(server.proc.pid) if server else 0.0
        print(
            f"warmed up in {time.monotonic() - started:.1f} s (server idle after {idle:.0f} s of it); "
            f"{args.clients} clients in {min(args.processes, args.clients)} processes for {args.duration:.0f} s …",
            flush=True,
        )
        usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy_before = cpu_busy_seconds()
        server_before = tree_cpu_seconds(server.proc.pid) if server else 0.0
        run = Run(base, endpoints, args.clients, args.duration, args.accept_encoding, args.processes)
        wall = run.go()
        usage_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy = cpu_busy_seconds() - busy_before
        server_cpu = (tree_cpu_seconds(server.proc.pid) - server_before) if server else float("nan")
        client_cpu = (usage_after.ru_utime - usage_before.ru_utime) + (usage_after.ru_stime - usage_before.ru_stime)
        other_cpu = busy - client_cpu - (server_cpu if server else 0.0)
        server_errors = server.worker_errors() if server else []
    finally:
        if server:
            server.stop()
    rows = summarize(run, wall)
    ok, conclusion = verdict(rows)
    if server_errors:
        ok, conclusion = False, conclusion + f"; {len(server_errors)} error lines in the gunicorn log"
    result = {
        "machine": info,
        "gunicorn": settings,
        "clients": args.clients,
        "duration_s": args.duration,
        "wall_s": round(wall, 2),
        "load_generator_cpu_s": round(client_cpu, 1),
        "server_cpu_s": round(server_cpu, 1),
        "other_processes_cpu_s": round(other_cpu, 1),
        "endpoints": {ep.name: f"{ep.method} {ep.path}" for ep in endpoints},
        "accept_encoding": args.accept_encoding,
        "callback_views": args.callback_views,
        "results": rows,
        "goal": f"zero errors, p95 < {GOAL_P95_MS:.0f} ms per endpoint",
        "goal_met": ok,
        "server_log_errors": server_errors[:20],
    }
    print()
    print(table(rows))
    print()
    print(conclusion)
    print(
        f"CPU over {wall:.0f} s wall on {info['nproc']} cores: server {server_cpu / wall:.2f} cores, load generator "
        f"{client_cpu / wall:.2f}, other processes {other_cpu / wall:.2f}; server log: {log_dir}"
    )
    if other_cpu / wall > 0.2:
        print("warning: other processes were busy during the run; the figures understate this server", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.results:
        update_results(args.results, results_section(result))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

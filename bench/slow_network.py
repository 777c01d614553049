"""Time to the first chart on a slow mobile link: every page and embed in headless Chromium, cold cache, a phone
viewport (375×812), the network emulated with the DevTools protocol (`Network.emulateNetworkConditions`).

Run: python bench/slow_network.py [--profiles fast slow] [--only PATH ...] [--embeds sample|all|none] [--gunicorn]
                                  [--baseline-slow] [--json OUT]

`--embeds all`: every chart's embed (interactive, `?static=1` and `?light=1`) and a claim's evidence chart.

Per page or embed and link profile:
- **first chart**: seconds from the start of navigation (the page's own clock) until an <svg> or <img> of at least
  200×120 px with drawn marks is visible (not hidden, not transparent) and at least partly in the first screen.
  "Drawn marks": an image that has loaded and decoded (naturalWidth > 0), or an SVG with at least three drawn
  shapes (path/rect/polyline/circle/line elements whose path data or size is not empty);
- **bytes before**: bytes received (compressed, as on the wire, headers included for finished responses) until then;
- **total**: every byte the page received until the network had been quiet for 2 s (at most `--settle` s);
- **repeat**: the same address again in a new tab of the same browser context (a warm cache): bytes received until
  the first chart, and in all;
- a page with no chart on its first screen: when its first text was drawn (first contentful paint), and when a
  chart further down was drawn; a page with no chart at all is held to the goals with its first text;
- **interactive**: when Dash's page took the static one's place (dashboard/static/static-first.js).

The baseline is a plain Dash app (no compression, default assets) drawing the same series (the UNE's evening-peak
availability and demand, data/une_daily.csv) with one plotly-express line, served in this same run.

Goals (issue 18): first chart <= 1.0 s at 1.6 Mbit/s and 150 ms RTT and <= 2.0 s at 400 kbit/s and 300 ms RTT,
<= 100 KB before the first chart, <= 20 KB before it on a repeat visit. Exit status 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import CHROMIUM, CHROMIUM_ARGS, REPO, app_server, free_port, machine, wait_for_port, wait_ready

# name -> (download bits/s, RTT ms); upload as slow as download (mobile links are asymmetric, but requests are small)
PROFILES = {"fast": (1_600_000, 150), "slow": (400_000, 300)}
GOAL_FIRST_S = {"fast": 1.0, "slow": 2.0}
GOAL_BYTES_BEFORE = 100 * 1024
GOAL_REPEAT_BYTES = 20 * 1024
VIEWPORT = {"width": 375, "height": 812}
PAGES = ["/", "/blackouts", "/oil", "/generation", "/explore", "/data", "/methodology"]
SAMPLE_EMBEDS = ["une-supply-demand", "oil-imports-monthly", "generation-by-source", "power-plants-map"]

# Installed before any page script: records when the first chart became visible (checked every animation frame and on
# every DOM change, so a chart drawn between frames is seen in the next one).
FIRST_CHART_PROBE = """
(() => {
  const MIN_W = 200, MIN_H = 120;
  window.__firstChart = null;
  window.__firstChartAnywhere = null;  // the same, wherever it is on the page (a chart below the first screen)
  function drawn(el) {
    if (el.tagName === 'IMG') return el.complete && el.naturalWidth > 0;
    let marks = 0;
    for (const s of el.querySelectorAll('path, rect, polyline, polygon, circle, line')) {
      if (s.tagName === 'path') { const d = s.getAttribute('d'); if (!d || d.length < 8 || /^M[^LCQAHVZ]*Z?$/i.test(d)) continue; }
      else if (s.tagName === 'rect' && (+s.getAttribute('width') || 0) * (+s.getAttribute('height') || 0) === 0) continue;
      if (++marks >= 3) return true;
    }
    return false;
  }
  function onScreen(r) {
    return !(r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth);
  }
  function visible(el, r) {
    if (r.width < MIN_W || r.height < MIN_H) return false;
    if (el.checkVisibility && !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    return true;
  }
  function check() {
    if (window.__firstChart) return true;
    for (const el of document.querySelectorAll('svg, img')) {
      if (el.tagName === 'svg' && el.ownerSVGElement) continue;  // nested: its outer svg is the chart
      const r = el.getBoundingClientRect();
      if (visible(el, r) && drawn(el)) {
        const seen = { t: performance.now(), tag: el.tagName.toLowerCase(),
                       w: Math.round(r.width), h: Math.round(r.height), top: Math.round(r.top),
                       what: (el.getAttribute('class') || el.getAttribute('src') || '').slice(0, 80) };
        window.__firstChartAnywhere = window.__firstChartAnywhere || seen;
        if (onScreen(r)) { window.__firstChart = seen; return true; }
      }
    }
    return false;
  }
  function frame() { if (!check()) requestAnimationFrame(frame); }
  // when Dash's interactive page took the static one's place (dashboard/static/static-first.js)
  window.__interactive = null;
  new MutationObserver(() => {
    if (!window.__interactive && document.getElementById('react-entry-point') && !document.getElementById('sf-static')
        && document.querySelector('#react-entry-point main')) window.__interactive = performance.now();
  }).observe(document, { childList: true, subtree: true });
  requestAnimationFrame(frame);
  new MutationObserver(() => { check(); }).observe(document, { childList: true, subtree: true, attributes: true });
  addEventListener('load', () => check());
})();
"""

PLAIN_APP = """
import sys
import pandas as pd
import plotly.express as px
from dash import Dash, dcc, html

frame = pd.read_csv(sys.argv[2], usecols=["date", "peak_availability_mw", "peak_demand_mw"], parse_dates=["date"])
frame = frame.melt(id_vars="date", var_name="series", value_name="MW").dropna()
app = Dash(__name__)
app.layout = html.Div([
    html.H1("Evening peak: available capacity and demand"),
    dcc.Graph(figure=px.line(frame, x="date", y="MW", color="series")),
])
app.run(host="127.0.0.1", port=int(sys.argv[1]))
"""


class PlainDash:
    """The baseline: a plain Dash app with one plotly-express line of the same series, in its own process."""

    def __enter__(self) -> str:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", PLAIN_APP, str(self.port), str(REPO / "data" / "une_daily.csv")],
            cwd="/tmp",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


class Wire:
    """Every response's bytes with the (monotonic, seconds) time they arrived, from the DevTools protocol."""

    def __init__(self, cdp) -> None:
        self.chunks: list[tuple[float, int]] = []  # dataReceived: (time, bytes on the wire)
        self.finished: dict[str, tuple[float, int]] = {}  # requestId -> (time, encodedDataLength incl. headers)
        self.chunk_bytes: dict[str, int] = {}
        self.urls: dict[str, str] = {}
        self.inflight: set[str] = set()
        self.last_activity = time.monotonic()
        self.nav: tuple[float, float] | None = None  # (monotonic timestamp, wall time) of the document request
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)

    def _sent(self, e: dict) -> None:
        self.urls[e["requestId"]] = e["request"]["url"]
        self.inflight.add(e["requestId"])
        self.last_activity = time.monotonic()
        if self.nav is None and e.get("type") == "Document":
            self.nav = (e["timestamp"], e["wallTime"])

    def _data(self, e: dict) -> None:
        self.chunks.append((e["timestamp"], e.get("encodedDataLength", 0)))
        self.chunk_bytes[e["requestId"]] = self.chunk_bytes.get(e["requestId"], 0) + e.get("encodedDataLength", 0)
        self.last_activity = time.monotonic()

    def _finished(self, e: dict) -> None:
        self.finished[e["requestId"]] = (e["timestamp"], e.get("encodedDataLength", 0))
        self.inflight.discard(e["requestId"])
        self.last_activity = time.monotonic()

    def _failed(self, e: dict) -> None:
        self.inflight.discard(e["requestId"])
        self.last_activity = time.monotonic()

    def bytes_until(self, when: float | None) -> int:
        """Finished responses count whole (headers included); unfinished ones the body bytes received by then."""
        total = 0
        for t, size in self.finished.values():
            if when is None or t <= when:
                total += size
        if when is not None:
            done = {rid for rid, (t, _) in self.finished.items() if t <= when}
            unfinished_chunks = [(t, n) for t, n in self.chunks if t <= when]
            total += sum(n for t, n in unfinished_chunks) - sum(
                min(self.chunk_bytes.get(rid, 0), self.finished[rid][1]) for rid in done
            )
        return total

    def total(self) -> int:
        return sum(size for _, size in self.finished.values())

    def requested(self) -> list[str]:
        return list(self.urls.values())


def load(
    context, url: str, profile: str, settle: float, timeout: float, verbose: bool = False, quiet: float = 3.0
) -> dict:
    """One navigation in `context` under the link profile: first chart, bytes before it, total bytes."""
    bits, rtt = PROFILES[profile]
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": rtt, "downloadThroughput": bits / 8, "uploadThroughput": bits / 8},
    )
    wire = Wire(cdp)
    page.goto(url, wait_until="commit", timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    first = None
    while time.monotonic() < deadline:
        first = page.evaluate("() => window.__firstChart")
        if first:
            break
        # a page with no chart on its first screen: loaded, and nothing more arriving
        loaded = page.evaluate("() => document.readyState === 'complete'")
        if loaded and not wire.inflight and time.monotonic() - wire.last_activity > quiet:
            break
        page.wait_for_timeout(100)
    paint = page.evaluate("() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null")
    anywhere = page.evaluate("() => window.__firstChartAnywhere")
    interactive = None
    # then the rest: until the network has been quiet for 2 s (or `settle` s have passed)
    quiet_deadline = time.monotonic() + settle
    while time.monotonic() < quiet_deadline:
        if not wire.inflight and time.monotonic() - wire.last_activity > 2.0:
            break
        page.wait_for_timeout(200)
    interactive = page.evaluate("() => window.__interactive")  # after the rest has arrived
    origin = page.evaluate("() => performance.timeOrigin") / 1000  # wall-clock seconds at navigation start
    when = None
    # bytes until the first chart; on a page with no chart at all, until its first text was drawn
    moment = first["t"] if first else (paint if not anywhere else None)
    if moment is not None and wire.nav:
        nav_ts, nav_wall = wire.nav
        when = nav_ts + (origin + moment / 1000 - nav_wall)
    if verbose:
        for rid, address in wire.urls.items():
            done = wire.finished.get(rid)
            at = f"{done[0] - wire.nav[0]:6.2f}s" if done and wire.nav else "   —   "
            print(f"      {at} {(done or (0, wire.chunk_bytes.get(rid, 0)))[1]:>8,} B  {address[:110]}")
        if when is not None and wire.nav:
            print(f"      first chart at {when - wire.nav[0]:.2f}s")
    result = {
        "first_s": first["t"] / 1000 if first else None,
        "first_paint_s": paint / 1000 if paint else None,
        "first_anywhere_s": anywhere["t"] / 1000 if anywhere else None,
        "interactive_s": interactive / 1000 if interactive else None,
        "first_what": first,
        "bytes_before": wire.bytes_until(when) if when is not None else None,
        "total_bytes": wire.total(),
        "requests": len(wire.urls),
        "plotly": any("plotly" in u for u in wire.requested()),
    }
    page.close()
    return result


def measure(
    browser, url: str, profile: str, settle: float, timeout: float, verbose: bool = False, quiet: float = 3.0
) -> dict:
    """A cold visit in a new browser context (empty cache), then a repeat visit in a new tab of the same context."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=2, is_mobile=True, has_touch=True)
    context.add_init_script(FIRST_CHART_PROBE)
    cold = load(context, url, profile, settle, timeout, verbose, quiet)
    repeat = load(context, url, profile, min(settle, 10), timeout, verbose, quiet)
    context.close()
    return {"cold": cold, "repeat": repeat}


CLAIM = "electricity-oil-share-80-95"  # a claim with an evidence chart (as tests/browser/test_accessibility.py)


def claim_page(base: str) -> str:
    return f"/claims/{CLAIM}"


def all_embeds() -> list[str]:
    sys.path.insert(0, str(REPO))
    from dashboard import charts

    return [spec.id for spec in charts.all_charts()]


def targets(base: str, only: list[str], embeds: str) -> list[str]:
    """Every page, the claim page (English and Spanish), then the embeds: interactive and static, for every chart
    with `--embeds all` also light (`?light=1`), and the claim's evidence chart as an embed."""
    paths = [*PAGES, claim_page(base), claim_page(base) + "?lang=es"]
    chosen = {"none": [], "sample": SAMPLE_EMBEDS, "all": all_embeds()}[embeds]
    if embeds != "none":
        chosen = [*chosen, f"claim-{CLAIM}"]
    for chart in chosen:
        paths += [f"/embed/{chart}", f"/embed/{chart}?static=1"]
        if embeds == "all":
            paths.append(f"/embed/{chart}?light=1")
    paths += ["/blackouts?light=1", "/embed/une-supply-demand?light=1"]
    paths = list(dict.fromkeys(paths))
    if only:
        paths = [p for p in paths if p in only] + [p for p in only if p not in paths]
    return paths


def kb(n: int | None) -> str:
    return "—" if n is None else f"{n / 1024:,.0f}"


def secs(s: float | None) -> str:
    return "—" if s is None else f"{s:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", nargs="+", default=list(PROFILES), choices=list(PROFILES))
    parser.add_argument("--only", nargs="*", default=[], help="paths to measure (default: every page and embed)")
    parser.add_argument("--embeds", default="sample", choices=["none", "sample", "all"])
    parser.add_argument("--gunicorn", action="store_true", help="serve with gunicorn as in production")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--baseline-slow", action="store_true", help="also the baseline at 400 kbit/s (minutes)")
    parser.add_argument("--settle", type=float, default=30.0, help="longest wait for the rest of a page's bytes")
    parser.add_argument("--timeout", type=float, default=60.0, help="longest wait for a first chart")
    parser.add_argument("--warm", type=float, default=20.0, help="seconds to let the app render its images first")
    parser.add_argument(
        "--ready",
        type=float,
        default=0.0,
        help="wait up to this many seconds for /healthz/ready (every worker has rendered the images the pages link to,"
        " as a deploy's readiness probe waits) before measuring",
    )
    parser.add_argument("--base", help="measure an app already running at this address")
    parser.add_argument("--verbose", action="store_true", help="list every response with its size and end time")
    parser.add_argument(
        "--quiet",
        type=float,
        default=3.0,
        help="a loaded page with no chart yet: seconds without network activity before giving up on one (raise it on a"
        " busy machine, where a plain Dash app still evaluates its scripts after its last byte)",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    print(f"machine: {machine()}\nuptime at start: {uptime}", flush=True)
    rows: list[dict] = []
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def run(base: str, paths: list[str], label: str | None = None) -> None:
            for path in paths:
                for profile in args.profiles:
                    if label and profile == "slow" and not args.baseline_slow:
                        continue
                    m = measure(browser, base + path, profile, args.settle, args.timeout, args.verbose, args.quiet)
                    row = {"path": label or path, "profile": profile, **m}
                    rows.append(row)
                    c, r = m["cold"], m["repeat"]
                    print(
                        f"{row['path']:<44} {profile:<4} first {secs(c['first_s']):>5} s  before {kb(c['bytes_before']):>5} KB"
                        f"  total {kb(c['total_bytes']):>6} KB  plotly {'yes' if c['plotly'] else 'no ':<3}"
                        f"  repeat: first {secs(r['first_s']):>5} s before {kb(r['bytes_before']):>4} KB"
                        f" total {kb(r['total_bytes']):>5} KB   [{(c['first_what'] or {}).get('tag', '-')}]"
                        f"  interactive {secs(c.get('interactive_s'))} s",
                        flush=True,
                    )

        if args.base:
            run(args.base, targets(args.base, args.only, args.embeds))
        else:
            with app_server(gunicorn=args.gunicorn) as base:
                requests.get(base + "/", timeout=60)  # starts the background image rendering
                time.sleep(args.warm)
                if args.ready:
                    waited = wait_ready(base, args.ready)
                    print(
                        f"ready after {waited:.0f} s more" if waited is not None else "not ready: measuring anyway",
                        flush=True,
                    )
                run(base, targets(base, args.only, args.embeds))
        if not args.no_baseline:
            with PlainDash() as plain:
                run(plain, ["/"], label="plain Dash app, one px.line (baseline)")
        browser.close()
    uptime_end = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    print(f"uptime at end: {uptime_end}")
    print_table(rows)
    missed = goals_missed(rows)
    print("goals:", "met" if not missed else "NOT met: " + "; ".join(missed))
    if args.json:
        args.json.write_text(json.dumps({"uptime": [uptime, uptime_end], "rows": rows}, indent=1))
    return 1 if missed else 0


def print_table(rows: list[dict]) -> None:
    profiles = [p for p in PROFILES if any(r["profile"] == p for r in rows)]
    head = " | ".join(f"{p}: first chart (s) | KB before | KB total | repeat KB before" for p in profiles)
    print(f"\n| page or embed | {head} |")
    print("| --- |" + " ---: |" * (4 * len(profiles)))
    for path in dict.fromkeys(r["path"] for r in rows):
        cells = []
        for p in profiles:
            r = next((r for r in rows if r["path"] == path and r["profile"] == p), None)
            if r is None:
                cells += ["—"] * 4
                continue
            c, rep = r["cold"], r["repeat"]
            first = secs(c["first_s"])
            if c["first_s"] is None:  # no chart on the first screen: when the first text was drawn, and a chart below
                below = f", chart below it {secs(c['first_anywhere_s'])} s" if c.get("first_anywhere_s") else ""
                first = f"— (text {secs(c.get('first_paint_s'))} s{below})"
            cells += [first, kb(c["bytes_before"]), kb(c["total_bytes"]), kb(rep["bytes_before"])]
        print(f"| `{path}` | " + " | ".join(cells) + " |")
    for p in profiles:
        firsts = [r["cold"]["first_s"] for r in rows if r["profile"] == p and "baseline" not in r["path"]]
        firsts = [f for f in firsts if f is not None]
        if firsts:
            print(f"{p}: median first chart {statistics.median(firsts):.2f} s, max {max(firsts):.2f} s")


def goals_missed(rows: list[dict]) -> list[str]:
    missed = []
    for r in rows:
        if "baseline" in r["path"]:
            continue
        c, rep = r["cold"], r["repeat"]
        name = f"{r['path']} ({r['profile']})"
        first = c["first_s"]
        if first is None and not c.get("first_anywhere_s"):  # a page without any chart: its first screen of text
            first = c.get("first_paint_s")
        if first is None or first > GOAL_FIRST_S[r["profile"]]:
            missed.append(f"{name} first chart {secs(c['first_s'])} s")
        if c["bytes_before"] is None or c["bytes_before"] > GOAL_BYTES_BEFORE:
            missed.append(f"{name} {kb(c['bytes_before'])} KB before the first chart")
        if rep["bytes_before"] is None or rep["bytes_before"] > GOAL_REPEAT_BYTES:
            missed.append(f"{name} repeat visit {kb(rep['bytes_before'])} KB before the first chart")
    return missed


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())

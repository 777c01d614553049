"""Time to first render of each page (headless Chromium) and callback latency (median, p95) of the running app.

Run: python bench/pages.py [--runs N] [--gunicorn]
Goal on this 2-core machine: every page interactive in under 2 s locally, callbacks under 50 ms median.
"Interactive" = the page's heading and all its charts are drawn (Dash has rendered the layout and plotly drew),
timed in the page from the start of navigation (performance.now(), as browsers' own navigation timing does). The
wall-clock time seen by the test driver, which adds opening a new tab (a new renderer process), is reported beside it.
The first load of each page in a fresh browser cache is reported separately from repeat loads.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import CHROMIUM, CHROMIUM_ARGS, app_server, machine

PAGES = {"/": 0, "/blackouts": 6, "/oil": 3, "/generation": 6, "/explore": 1, "/data": 0, "/methodology": 0}


def page_times(base: str, runs: int) -> dict[str, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        for path, charts in PAGES.items():
            times, wall = [], []
            for _ in range(runs + 1):
                page = context.new_page()
                started = time.perf_counter()
                page.goto(base + path)
                drawn_ms = page.wait_for_function(
                    f"() => document.querySelector('main h1') && "
                    f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts} && performance.now()",
                    timeout=60000,
                ).json_value()
                times.append(drawn_ms / 1000)
                wall.append(time.perf_counter() - started)
                page.close()
            out[path] = {
                "first_s": times[0],
                "median_s": statistics.median(times[1:]),
                "max_s": max(times[1:]),
                "wall_median_s": statistics.median(wall[1:]),
            }
        browser.close()
    return out


def capture_callback(base: str) -> tuple[str, dict]:
    """Record the body the browser sends when a control changes (the generation page's chart/table switch)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(base + "/generation")
        page.wait_for_selector("main h1")
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 6")
        with page.expect_request(lambda r: "_dash-update-component" in r.url and r.method == "POST") as info:
            page.get_by_text("Table", exact=True).click()
        request = info.value
        body = json.loads(request.post_data)
        browser.close()
    return request.url, body


def vary(body: dict, i: int) -> dict:
    """The same callback for another view (start year), so the app cannot answer from its cache of answers."""
    out = json.loads(json.dumps(body))
    for item in out.get("inputs", []):
        if item.get("id") == "control-start":
            item["value"] = str(1985 + i % 39)
    return out


def callback_latency(url: str, body: dict, n: int, distinct: bool = False) -> dict[str, float]:
    session = requests.Session()
    latencies = []
    for i in range(n):
        started = time.perf_counter()
        response = session.post(url, json=vary(body, i) if distinct else body, timeout=30)
        latencies.append(time.perf_counter() - started)
        response.raise_for_status()
    latencies.sort()
    return {"median_ms": 1000 * statistics.median(latencies), "p95_ms": 1000 * latencies[int(0.95 * (n - 1))], "n": n}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="repeat loads per page (after the first)")
    parser.add_argument("--callbacks", type=int, default=100)
    parser.add_argument("--gunicorn", action="store_true", help="serve with gunicorn as in production")
    parser.add_argument(
        "--settle",
        type=float,
        default=45.0,
        help="seconds to wait after start-up (the app renders the claims page's images then)",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with app_server(gunicorn=args.gunicorn) as base:
        requests.get(base + "/", timeout=30)  # the first request starts the background image rendering
        time.sleep(args.settle)
        pages = page_times(base, args.runs)
        url, body = capture_callback(base)
        callbacks = callback_latency(url, body, args.callbacks)
        uncached = callback_latency(url, body, min(args.callbacks, 39), distinct=True)
    print(f"{'page':<14} {'first load':>10} {'median':>8} {'max':>8} {'wall median':>12}")
    for path, t in pages.items():
        print(f"{path:<14} {t['first_s']:9.2f}s {t['median_s']:7.2f}s {t['max_s']:7.2f}s {t['wall_median_s']:11.2f}s")
    print(
        f"callback (6 charts), a view asked for before: median {callbacks['median_ms']:.0f} ms, "
        f"p95 {callbacks['p95_ms']:.0f} ms over {callbacks['n']} calls"
    )
    print(
        f"callback (6 charts), a new view each time:    median {uncached['median_ms']:.0f} ms, "
        f"p95 {uncached['p95_ms']:.0f} ms over {uncached['n']} calls"
    )
    slow = [p for p, t in pages.items() if t["median_s"] > 2.0]
    ok = not slow and uncached["median_ms"] < 50
    print("goals (pages < 2 s, callbacks < 50 ms median):", "met" if ok else f"NOT met (slow: {slow or 'callbacks'})")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"machine": machine(), "pages": pages, "callbacks": callbacks, "callbacks_new_view": uncached}, indent=2
            )
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

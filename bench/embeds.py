"""Weight and speed of every embed: bytes transferred (compressed, as the browser received them) and time to first
render, for the interactive and the static version of each chart, in headless Chromium with an empty cache.

Run: python bench/embeds.py [--only CHART_ID ...] [--gunicorn]
Budgets (issue 6): interactive embed at most 450 KB, static embed at most 60 KB. Exit status 1 when a budget is
exceeded, so a CI step can run this and fail over budget.
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

BUDGET_INTERACTIVE = 450 * 1024
BUDGET_STATIC = 60 * 1024


def chart_ids(base: str) -> list[str]:
    """Every chart the site offers: registered charts plus one per claim with a chart (from claims.json)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from dashboard import charts

    ids = [spec.id for spec in charts.all_charts()]
    claims = requests.get(base + "/files/claims.json", timeout=30).json()["claims"]
    charted = {"approx", "range", "at_least", "at_most", "ratio_range", "rank_min"}
    ids += [
        f"claim-{c['claim_id']}"
        for c in claims
        if c["rule"]["kind"] in charted and any(m.get("status") == "ok" for m in c.get("measured", []))
    ]
    return ids


def measure(browser, url: str, static: bool) -> tuple[int, float]:
    """Compressed bytes of every response the embed needed, and the time until the chart was drawn."""
    context = browser.new_context(viewport={"width": 800, "height": 600})  # a fresh context: empty cache
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: dict[str, int] = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    started = time.perf_counter()
    page.goto(url)
    if static:
        page.wait_for_function(
            "() => { const i = document.querySelector('img'); return i && i.complete && i.naturalWidth > 0; }",
            timeout=60000,
        )
    else:
        page.wait_for_selector("#chart .main-svg", timeout=60000)
    elapsed = time.perf_counter() - started
    page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    context.close()
    return total, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", metavar="CHART_ID")
    parser.add_argument("--gunicorn", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"machine: {machine()}")
    rows = []
    with app_server(gunicorn=args.gunicorn) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        ids = args.only or chart_ids(base)
        for chart_id in ids:
            # Warm the server's caches (the static SVG is rendered once, then cached): we measure the embed, not
            # the first-ever render.
            requests.get(f"{base}/embed/{chart_id}.svg", timeout=120)
            interactive = measure(browser, f"{base}/embed/{chart_id}", static=False)
            static = measure(browser, f"{base}/embed/{chart_id}?static=1", static=True)
            rows.append(
                {
                    "chart": chart_id,
                    "interactive_bytes": interactive[0],
                    "interactive_s": interactive[1],
                    "static_bytes": static[0],
                    "static_s": static[1],
                }
            )
            print(
                f"{chart_id:<44} interactive {interactive[0] / 1024:6.0f} KB {interactive[1]:5.2f} s | "
                f"static {static[0] / 1024:5.0f} KB {static[1]:5.2f} s"
            )
        browser.close()
    over = [
        r["chart"] for r in rows if r["interactive_bytes"] > BUDGET_INTERACTIVE or r["static_bytes"] > BUDGET_STATIC
    ]
    print(
        f"\n{len(rows)} charts; interactive: max {max(r['interactive_bytes'] for r in rows) / 1024:.0f} KB, "
        f"median {statistics.median(r['interactive_bytes'] for r in rows) / 1024:.0f} KB, median first render "
        f"{statistics.median(r['interactive_s'] for r in rows):.2f} s; static: max "
        f"{max(r['static_bytes'] for r in rows) / 1024:.0f} KB, median first render "
        f"{statistics.median(r['static_s'] for r in rows):.2f} s"
    )
    print("budgets (interactive <= 450 KB, static <= 60 KB):", "met" if not over else f"EXCEEDED by {over}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "embeds": rows}, indent=2))
    return 0 if not over else 1


if __name__ == "__main__":
    sys.exit(main())

"""`python -m dashboard export OUT_DIR`: every chart as files any static host or CDN can serve — interactive and
static embed pages, SVG, PNG, CSV, share images, the assets they need, and an index. No server needed to view them.
The CSV files are for spreadsheets: formula-like cells are neutralised (dashboard/spreadsheet.py)."""

from __future__ import annotations

import argparse
import html
import os
import shutil
import sys
import time
from pathlib import Path

from dashboard import charts, render
from dashboard.chartdefs.claims import claims_doc, has_chart
from dashboard.citation import csv_with_citation
from dashboard.data import DataStore, DataUnavailable, configure
from dashboard.embed import DEFAULT_FLAGS, PLOTLY_BUNDLE, STATIC, EmbedRequest, asset_url, render_page, static_figure
from dashboard.i18n import DEFAULT_LANG, LANGS, t
from dashboard.pages_index import PAGES
from dashboard.spreadsheet import for_spreadsheets

ASSETS = ("embed.css", "embed-frame.js", PLOTLY_BUNDLE)


def chart_ids(store: DataStore) -> list[str]:
    ids = [spec.id for spec in charts.all_charts()]
    ids += [f"claim-{c['claim_id']}" for c in claims_doc(store)["claims"] if has_chart(c)]
    return ids


def export(
    out: Path, store: DataStore, base_url: str, images: bool = True, only: list[str] | None = None
) -> dict[str, int]:
    """Write everything under `out` (or only the named charts); returns counts per kind of file."""
    counts = {"embed": 0, "static_embed": 0, "svg": 0, "png": 0, "csv": 0, "share": 0}
    for name in ASSETS:  # same fingerprinted paths as the live site, relative to the export root
        target = out / asset_url(name).lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(STATIC / name, target)
    rows = []
    for chart_id in only or chart_ids(store):
        spec = charts.get(chart_id)
        for lang in LANGS:
            state = charts.ChartState(countries=spec.default_countries, lang=lang)
            view = charts.build(chart_id, store, state)
            req = EmbedRequest(spec, state, dict(DEFAULT_FLAGS))
            svg_rel = f"svg/{chart_id}.{lang}.svg"
            png_rel = f"png/{chart_id}.{lang}.png"
            page = render_page(req, view, base_url, assets="..", png_url=f"../{png_rel}")
            _write(out / "embed" / f"{chart_id}.{lang}.html", page.encode())
            counts["embed"] += 1
            static_req = EmbedRequest(spec, state, {**DEFAULT_FLAGS, "static": "1"})
            static_page = render_page(
                static_req, view, base_url, assets="..", static_src=(f"../{svg_rel}",) * 2, png_url=f"../{png_rel}"
            )
            _write(out / "embed" / f"{chart_id}.{lang}.static.html", static_page.encode())
            counts["static_embed"] += 1
            if lang == DEFAULT_LANG:  # the CSV is the same in every language: written once
                _write(out / "csv" / f"{chart_id}.csv", for_spreadsheets(csv_with_citation(view.frame, view)))
                counts["csv"] += 1
            if images:
                _write(out / svg_rel, render.to_image(static_figure(view, "light", False), "svg"))
                _write(out / png_rel, render.to_image(view.figure, "png"))
                counts["svg"] += 1
                counts["png"] += 1
            rows.append((chart_id, lang, view.title))
    if images:
        for page in PAGES.values():
            if not page.share_chart:
                continue
            for lang in LANGS:
                spec = charts.get(page.share_chart)
                view = charts.build(spec.id, store, charts.ChartState(countries=spec.default_countries, lang=lang))
                _write(out / "share" / f"{page.key}.{lang}.png", render.to_image(view.figure, "png", 1200, 630))
                counts["share"] += 1
    _write(out / "index.html", index_page(rows, images).encode())
    return counts


def index_page(rows: list[tuple[str, str, str]], images: bool) -> str:
    items = []
    for chart_id, lang, title in rows:
        links = [
            f'<a href="embed/{chart_id}.{lang}.html">interactive</a>',
            f'<a href="embed/{chart_id}.{lang}.static.html">static</a>',
        ]
        if images:
            links += [f'<a href="svg/{chart_id}.{lang}.svg">SVG</a>', f'<a href="png/{chart_id}.{lang}.png">PNG</a>']
        if lang == DEFAULT_LANG:
            links.append(f'<a href="csv/{chart_id}.csv">CSV</a>')
        items.append(f'<li lang="{lang}"><strong>{html.escape(title)}</strong> ({lang}): {" · ".join(links)}</li>')
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(t('site_title', 'en'))} — static export</title></head><body>"
        f"<h1>{html.escape(t('site_title', 'en'))}: charts</h1><ul>{''.join(items)}</ul></body></html>"
    )


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard export", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument(
        "--base-url",
        default=os.environ.get("CUBA_SITE_URL", "http://127.0.0.1:8050"),
        help="public URL of the live dashboard (for 'full view' links)",
    )
    parser.add_argument("--no-images", action="store_true", help="skip PNG/SVG (no Chromium needed)")
    parser.add_argument("--only", action="append", metavar="CHART_ID", help="export only this chart (repeatable)")
    args = parser.parse_args(argv)
    store = DataStore()
    configure(store)
    started = time.monotonic()
    try:
        counts = export(args.out_dir, store, args.base_url, images=not args.no_images, only=args.only)
    except KeyError as exc:
        print(f"export: unknown chart {exc}", file=sys.stderr)
        return 2
    except DataUnavailable as exc:  # a refused data version is not exported
        print(f"export: {exc.description}", file=sys.stderr)
        return 1
    except render.RenderUnavailable as exc:
        print(f"export: {exc}; use --no-images to export without PNG/SVG", file=sys.stderr)
        return 1
    finally:
        render.shutdown()
    print(
        f"exported to {args.out_dir} in {time.monotonic() - started:.1f} s: "
        + ", ".join(f"{n} {k}" for k, n in counts.items())
    )
    return 0

"""Citable downloads: a chart's zip (`/download/<chart>.zip`: the CSV of exactly what is drawn, `metadata.json`, a
README with a ready citation) and the whole data package's (`/files/cuba-energy-data.zip`: datapackage.json, every
table, README with citation). Both name the data version (the id a reader can pin with `?version=`), give the live
and the pinned address, and have the same bytes for the same data version and site URL (fixed zip timestamps), so
they cache and can be checksummed."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from dashboard import charts
from dashboard.chart_registry import ChartSpec, ChartState, ChartView
from dashboard.data import DataStore
from dashboard.spreadsheet import for_spreadsheets

SITE_NAME = "Cuba Energy Crisis Dashboard"
COMPILATION_LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}
UNIT_SUFFIXES = {  # the naming rule of published columns: the unit is the name's end
    "_mw": "MW",
    "_mwh": "MWh",
    "_twh": "TWh",
    "_kwh": "kWh",
    "_pct": "%",
    "_bbl_per_day": "bbl/d",
    "_gco2_per_kwh": "gCO2/kWh",
    "_hours": "hours",
}


def csv_with_citation(frame: pd.DataFrame, view: Any) -> bytes:
    """The numbers shown, with source, URL, licence and retrieval date on every row, so citation travels with data."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    citation = {
        "source": " | ".join(dict.fromkeys(s.publisher or s.title for s in view.sources)),
        "source_url": " | ".join(dict.fromkeys(s.url for s in view.sources if s.url)),
        "licence": " | ".join(dict.fromkeys(s.licence for s in view.sources if s.licence)),
        "retrieved": max((s.retrieved for s in view.sources if s.retrieved), default=""),
    }
    for col, value in citation.items():
        if col in out.columns:  # a row's own source (e.g. the UNE note it came from) is more precise: keep it
            filled = out.pop(col).astype("string").fillna("")
            out[col] = filled.where(filled != "", value)
        else:
            out[col] = value
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    # Meant for spreadsheets: cells a spreadsheet would run as formulas are neutralised (the /files CSVs stay exact).
    return for_spreadsheets(buffer.getvalue().encode("utf-8"))


def version_date(store: DataStore) -> str:
    """The day the serving version was published: the latest `x_last_changed` of its tables (YYYY-MM-DD)."""
    days = [str(r.get("x_last_changed") or "")[:10] for r in store.resources()]
    return max((d for d in days if len(d) == 10), default="1980-01-01")


def deterministic_zip(members: list[tuple[str, bytes]], day: str) -> bytes:
    """A zip whose bytes depend only on its members: every entry stamped with `day` at 00:00, mode 0644."""
    year, month, dom = (int(x) for x in day.split("-"))
    stamp = (max(year, 1980), month, dom, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def with_version(path: str, version_id: str) -> str:
    """A site path pinned to a data version (the fragment, if any, kept last)."""
    path, _, fragment = path.partition("#")
    pinned = f"{path}{'&' if '?' in path else '?'}{urlencode({'version': version_id})}"
    return pinned + (f"#{fragment}" if fragment else "")


def column_units(store: DataStore, view: ChartView) -> dict[str, str]:
    """Each column's unit: as published in the cited tables' schemas, else by the column naming rule."""
    published: dict[str, str] = {}
    for table in dict.fromkeys(s.table for s in view.sources if s.table):
        try:
            for f in store.fields(table):
                if f.get("unit"):
                    published.setdefault(f["name"], f["unit"])
        except KeyError:
            continue
    units = {}
    for col in view.frame.columns:
        unit = published.get(col) or next((u for s, u in UNIT_SUFFIXES.items() if str(col).endswith(s)), "")
        if unit:
            units[str(col)] = unit
    return units


def chart_links(spec: ChartSpec, state: ChartState, base: str, version_id: str) -> dict[str, str]:
    base = base.rstrip("/")
    view_path = charts.share_path(spec, state)
    embed = charts.embed_path(spec, state)
    zip_path = charts.download_path(spec, state, "zip")
    return {
        "view_url": base + view_path,
        "embed_url": base + embed,
        "pinned_embed_url": base + with_version(embed, version_id),
        "download_url": base + zip_path,
        "pinned_download_url": base + with_version(zip_path, version_id),
    }


def chart_citation(view: ChartView, version_id: str, day: str, url: str) -> str:
    """APA-like: author (year). Title [chart; data version]. Sources. URL."""
    publishers = "; ".join(dict.fromkeys(s.publisher or s.title for s in view.sources))
    return (
        f"{SITE_NAME}. ({day[:4]}). {view.title} [Chart; data version {version_id}, data as of {view.as_of}]. "
        f"Data: {publishers}. {url}"
    )


def pinnable(store: DataStore) -> bool:
    """Whether links pinned to the version serving this request will keep working (dashboard/versions.py)."""
    from dashboard.versions import history_for

    return store.is_pinned or history_for(store).is_pinnable(store.version_id)


def chart_metadata(spec: ChartSpec, view: ChartView, state: ChartState, store: DataStore, base: str) -> dict:
    version_id = store.version_id
    day = version_date(store)
    links = chart_links(spec, state, base, version_id)
    if not pinnable(store):  # not in the repository's history yet: cite the live view, name the version
        links.update(pinned_embed_url=None, pinned_download_url=None)
    tables = list(dict.fromkeys(s.table for s in view.sources if s.table))
    return {
        "title": view.title,
        "subtitle": view.subtitle,
        "description": view.summary,
        "chart": spec.id,
        "view": state.query(spec),
        "language": state.lang,
        "data_as_of": view.as_of,
        "data_version": version_id,
        "data_version_published": day,
        "pinned": store.is_pinned,
        **links,
        "file": f"{spec.id}.csv",
        "columns": [str(c) for c in view.frame.columns],
        "units": column_units(store, view),
        "sources": [
            {
                "title": s.title,
                "publisher": s.publisher,
                "url": s.url,
                "retrieved": s.retrieved,
                "licence": s.licence,
                "licence_url": s.licence_url,
                "table": s.table,
                "latest_observation": s.latest_observation,
            }
            for s in view.sources
        ],
        "method_notes": [*view.notes, *(store.resource(t).get("description", "") for t in tables)],
        "method_url": (base.rstrip("/") + view.method_link) if view.method_link else base.rstrip("/") + "/methodology",
        "licence": COMPILATION_LICENCE,
        "licence_note": "Our compilation: CC BY 4.0. Each source keeps its own licence (listed above).",
        "citation": chart_citation(view, version_id, day, links["pinned_embed_url"] or links["view_url"]),
    }


def chart_readme(meta: dict) -> str:
    lines = [
        f"{meta['title']}",
        f"{meta['subtitle']}",
        "",
        f"{meta['description']}",
        "",
        f"Files: {meta['file']} (the numbers drawn, with source, URL, licence and retrieval date on every row),",
        "metadata.json (titles, units, sources, licences, method notes, data version).",
        "",
        "How to cite (this data version, which does not change):",
        f"  {meta['citation']}",
        "",
        f"Live chart (updates with new data): {meta['view_url']}",
        *(
            [
                f"This chart at data version {meta['data_version']}: {meta['pinned_embed_url']}",
                f"This download, pinned: {meta['pinned_download_url']}",
            ]
            if meta["pinned_embed_url"]
            else [f"Data version {meta['data_version']} is not in the site's history yet: no pinned address."]
        ),
        "",
        "Sources:",
        *(
            f"  - {s['publisher'] or s['title']}: {s['title']}. {s['url']} (retrieved {s['retrieved']}; "
            f"licence {s['licence']})"
            for s in meta["sources"]
        ),
        "",
        f"Licence: {meta['licence_note']} {meta['licence']['path']}",
    ]
    return "\n".join(lines) + "\n"


def chart_zip(spec: ChartSpec, view: ChartView, state: ChartState, store: DataStore, base: str) -> bytes:
    meta = chart_metadata(spec, view, state, store, base)
    members = [
        (meta["file"], csv_with_citation(view.frame, view)),
        ("metadata.json", (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8")),
        ("README.txt", chart_readme(meta).encode("utf-8")),
    ]
    return deterministic_zip(members, version_date(store))


def package_zip(store: DataStore, base: str, zip_name: str) -> bytes:
    """Every published table, datapackage.json and a README with a citation: the files of the version that serves
    (or is pinned), as hash-checked when it was loaded, so the zip always agrees with itself and with the pages."""
    version_id, day = store.version_id, version_date(store)
    base = base.rstrip("/")
    members = [("datapackage.json", store.file_bytes("datapackage.json"))]
    members += [(f"{name}.csv", store.file_bytes(f"{name}.csv")) for name in store.table_names()]
    published = {str(r.get("path")) for r in store.resources()}
    for extra in ("claims.json", "claims-review.jsonld"):
        if extra in published:
            members.append((extra, store.file_bytes(extra)))
    url = f"{base}/files/{zip_name}"
    pinned = with_version(url, version_id) if pinnable(store) else ""
    citation = (
        f"{SITE_NAME}. ({day[:4]}). Cuba energy crisis data package (Version {version_id}) [Data set]. {pinned or url}"
    )
    lines = [
        f"{SITE_NAME} — data package, data version {version_id} (published {day})",
        "",
        "How to cite:",
        f"  {citation}",
        "",
        f"Latest version (changes with new data): {url}",
        f"This version (does not change): {pinned}"
        if pinned
        else f"Version {version_id} is not in the site's history yet: no pinned address.",
        "",
        "Tables and their sources:",
        "",
    ]
    for res in store.resources():
        lic = (res.get("licenses") or [{}])[0].get("name", "")
        lines.append(f"- {res['path']}: {res.get('title', '')} ({lic}). {res.get('x_citation', '')}".rstrip())
    lines += [
        "",
        "Each table's fields, units, upstream URLs, retrieval dates and sha256 are in datapackage.json.",
        f"What changed, refresh by refresh: {base}/files/changelog.jsonl (not in this zip: it grows after it).",
        f"Our compilation: CC BY 4.0 ({COMPILATION_LICENCE['path']}); each table keeps its source's licence.",
    ]
    members.append(("README.txt", ("\n".join(lines) + "\n").encode("utf-8")))
    return deterministic_zip(members, day)

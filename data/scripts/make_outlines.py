"""Make the two Natural Earth outline files in data/ from the npm package world-atlas.

Natural Earth is public domain; world-atlas 2.0.2 ships it as TopoJSON and
topojson-client's ``topo2geo`` turns that into GeoJSON. Coordinates are rounded
(to about 1 km for the region, about 10 km for the world) and repeated points
dropped, so that a map carrying an outline stays small.

Run from the project root after ``npm ci``:  python data/scripts/make_outlines.py
"""

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ATLAS = ROOT / "node_modules" / "world-atlas"
TOPO2GEO = ROOT / "node_modules" / ".bin" / "topo2geo"

# ISO 3166-1 numeric ids: Iraq and the countries around it.
REGION = {"368", "760", "792", "364", "400", "682", "414", "422", "376", "275", "048", "634", "784", "051", "031",
          "268", "196"}
WORLD_BOX = (-20.0, -5.0, 80.0, 72.0)  # west, south, east, north: Europe, MENA, Central Asia


def topo_to_geo(topojson: Path) -> dict:
    out = subprocess.run(
        [str(TOPO2GEO), "countries=-"], input=topojson.read_bytes(), capture_output=True, check=True
    )
    return json.loads(out.stdout)


def rounded_ring(ring, digits):
    points = []
    for lon, lat in ring:
        point = [round(lon, digits), round(lat, digits)]
        if not points or point != points[-1]:
            points.append(point)
    return points if len(points) >= 4 else None


def simplify(geometry, digits):
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    kept = []
    for polygon in polygons:
        rings = [r for r in (rounded_ring(ring, digits) for ring in polygon) if r]
        if rings:
            kept.append(rings)
    return {"type": "MultiPolygon", "coordinates": kept} if kept else None


def in_box(geometry, box):
    west, south, east, north = box
    return any(
        west <= lon <= east and south <= lat <= north
        for polygon in geometry["coordinates"] for ring in polygon for lon, lat in ring
    )


def write(features, path):
    collection = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(features)} countries, {path.stat().st_size} bytes")


def feature(source, digits):
    geometry = simplify(source["geometry"], digits) if source["geometry"] else None
    if geometry is None:
        return None
    return {
        "type": "Feature",
        "id": source["id"],
        "properties": {"name": source["properties"]["name"], "iso_numeric": int(source["id"])},
        "geometry": geometry,
    }


def main():
    region = topo_to_geo(ATLAS / "countries-50m.json")
    features = [feature(f, 2) for f in region["features"] if f.get("id") in REGION]
    write(sorted((f for f in features if f), key=lambda f: f["id"]), ROOT / "data" / "outlines_region.geojson")

    world = topo_to_geo(ATLAS / "countries-110m.json")
    features = [feature(f, 1) for f in world["features"] if f.get("id")]
    features = [f for f in features if f and in_box(f["geometry"], WORLD_BOX)]
    write(sorted(features, key=lambda f: f["id"]), ROOT / "data" / "outlines_world.geojson")


if __name__ == "__main__":
    main()

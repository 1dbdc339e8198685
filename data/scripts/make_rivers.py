"""Make data/rivers.geojson: the Tigris and the Euphrates from Natural Earth.

Source: Natural Earth 1:50m "rivers_lake_centerlines" (public domain), file
geojson/ne_50m_rivers_lake_centerlines.geojson of the repository
nvkelso/natural-earth-vector, commit cd9ac7db4c66d803f3e9332ef63484c20d1f1fd6.
The features named "Tigris" and "Euphrates" are kept, coordinates rounded to
0.001 degrees. No registry package ships Natural Earth's rivers, so the file is
made once from a local copy of that source:

    python data/scripts/make_rivers.py path/to/ne_50m_rivers_lake_centerlines.geojson
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEEP = ("Tigris", "Euphrates")


def rounded(coordinates):
    if isinstance(coordinates[0], (int, float)):
        return [round(coordinates[0], 3), round(coordinates[1], 3)]
    return [rounded(c) for c in coordinates]


def main(source: str) -> None:
    collection = json.loads(Path(source).read_text(encoding="utf-8"))
    features = [
        {"type": "Feature", "properties": {"name": f["properties"]["name"]},
         "geometry": {"type": f["geometry"]["type"], "coordinates": rounded(f["geometry"]["coordinates"])}}
        for f in collection["features"]
        if f["properties"].get("featurecla") == "River" and f["properties"].get("name") in KEEP
    ]
    features.sort(key=lambda f: f["properties"]["name"])
    target = ROOT / "data" / "rivers.geojson"
    target.write_text(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")) + "\n",
                      encoding="utf-8")
    print(f"{target.relative_to(ROOT)}: {[f['properties']['name'] for f in features]}")


if __name__ == "__main__":
    main(sys.argv[1])

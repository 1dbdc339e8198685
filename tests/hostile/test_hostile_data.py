"""Malformed and malicious data: every one ends in one DataError naming the file (row and field too), never a traceback.

Each case damages a copy of data/ the way a careless or hostile contributor
could, then loads the dataset. A case passes only if ``load`` raises the
course's ``DataError`` (any other exception fails the test, as a traceback
would show it to a student) with a one-line message naming the file, and the
row and field where there is one.
"""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from after_mosul import data
from after_mosul.data import DataError, load

from ..conftest import ROOT


@pytest.fixture
def package(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    for file in (ROOT / "data").iterdir():
        if file.is_file():
            shutil.copy(file, folder / file.name)
    data.clear_cache()
    yield folder
    data.clear_cache()


def cell(file: str, field: str, value: str, row: int = 2):
    """Set one cell; ``row`` counts data rows from 1 (so the message says row + 1)."""

    def edit(folder: Path):
        path = folder / file
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        rows[row][rows[0].index(field)] = value
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")

    return edit


def text(file: str, change):
    """Replace the file's text with change(old text)."""

    def edit(folder: Path):
        path = folder / file
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return edit


def raw(file: str, content: bytes):
    return lambda folder: (folder / file).write_bytes(content)


def lines(file: str, change):
    """Change the list of lines (header is index 0)."""
    return text(file, lambda old: "".join(change(old.splitlines(keepends=True))))


def descriptor(change):
    def edit(folder: Path):
        path = folder / "datapackage.json"
        package = json.loads(path.read_text(encoding="utf-8"))
        change(package)
        path.write_text(json.dumps(package), encoding="utf-8")

    return edit


def resource(name: str, **values):
    def change(package):
        for res in package["resources"]:
            if res["name"] == name:
                res.update(values)
                for key, value in values.items():
                    if value is None:
                        del res[key]

    return descriptor(change)


def symlink_outside(folder: Path):
    (folder / "places.csv").unlink()
    (folder / "places.csv").symlink_to("/etc/passwd")


def directory_instead(folder: Path):
    (folder / "events.csv").unlink()
    (folder / "events.csv").mkdir()


def latin1(file: str):
    def edit(folder: Path):
        path = folder / file
        path.write_bytes(path.read_bytes() + "Mosul caf\xe9,\n".encode("latin-1"))

    return edit


# (id, dataset, damage, words the message must hold besides the file name)
CASES = [
    ("empty-file", "events", text("events.csv", lambda t: ""), ["events.csv is empty"]),
    ("only-whitespace", "events", text("events.csv", lambda t: "\n \n"), ["events.csv is empty"]),
    ("latin-1-byte", "events", latin1("events.csv"), ["events.csv, line", "not UTF-8"]),
    (
        "nul-byte",
        "places",
        lines("places.csv", lambda ls: ls[:2] + ["a\x00b" + ls[2]] + ls[3:]),
        ["places.csv, row 3", "field 'place_id'"],
    ),
    (
        "unclosed-quote",
        "events",
        text("events.csv", lambda t: t + '"never closed,2014-01-01\n'),
        ["events.csv, row", "quotation"],
    ),
    (
        "stray-quote",
        "places",
        lines("places.csv", lambda ls: ls[:3] + ['"mosul"x' + ls[3]] + ls[4:]),
        ["places.csv, row 4", "malformed"],
    ),
    (
        "extra-field",
        "places",
        lines("places.csv", lambda ls: ls[:2] + [ls[2].rstrip("\n") + ",extra\n"] + ls[3:]),
        ["places.csv, row 3", "header has"],
    ),
    (
        "missing-field",
        "places",
        lines("places.csv", lambda ls: ls[:2] + [ls[2].rsplit(",", 1)[0] + "\n"] + ls[3:]),
        ["places.csv, row 3", "header has"],
    ),
    ("blank-line", "events", lines("events.csv", lambda ls: ls[:4] + ["\n"] + ls[4:]), ["events.csv, row 5", "blank"]),
    (
        "header-misspelt",
        "events",
        lines("events.csv", lambda ls: [ls[0].replace("place_id", "placeid")] + ls[1:]),
        ["events.csv, row 1", "columns"],
    ),
    (
        "header-missing-column",
        "territory",
        lines("territory.csv", lambda ls: [ls[0].replace(",note", "")] + ls[1:]),
        ["territory.csv, row 1"],
    ),
    (
        "header-repeated",
        "revenue",
        lines("revenue.csv", lambda ls: [ls[0].replace("year", "note")] + ls[1:]),
        ["revenue.csv, row 1"],
    ),
    (
        "date-month-13",
        "events",
        cell("events.csv", "date", "2014-13-01"),
        ["events.csv, row 3", "field 'date'", "'2014-13-01'"],
    ),
    (
        "date-wrong-form",
        "events",
        cell("events.csv", "date", "10/06/2014"),
        ["events.csv, row 3", "field 'date'", "YYYY-MM-DD"],
    ),
    (
        "date-30-february",
        "events",
        cell("events.csv", "end_date", "2014-02-30"),
        ["events.csv, row 3", "field 'end_date'"],
    ),
    (
        "required-empty",
        "events",
        cell("events.csv", "description", ""),
        ["events.csv, row 3", "field 'description'", "required"],
    ),
    (
        "latitude-200",
        "places",
        cell("places.csv", "latitude", "200"),
        ["places.csv, row 3", "field 'latitude'", "maximum 90"],
    ),
    (
        "latitude-text",
        "places",
        cell("places.csv", "latitude", "north"),
        ["places.csv, row 3", "field 'latitude'", "not a number"],
    ),
    (
        "longitude-below",
        "places",
        cell("places.csv", "longitude", "-181"),
        ["places.csv, row 3", "field 'longitude'", "minimum"],
    ),
    ("latitude-nan", "places", cell("places.csv", "latitude", "nan"), ["places.csv, row 3", "field 'latitude'"]),
    ("latitude-infinite", "places", cell("places.csv", "latitude", "inf"), ["places.csv, row 3", "field 'latitude'"]),
    (
        "integer-with-fraction",
        "places",
        cell("places.csv", "geonames_id", "1.5"),
        ["places.csv, row 3", "field 'geonames_id'", "whole number"],
    ),
    (
        "integer-below-minimum",
        "places",
        cell("places.csv", "geonames_id", "0"),
        ["places.csv, row 3", "field 'geonames_id'", "minimum 1"],
    ),
    (
        "integer-too-large",
        "places",
        cell("places.csv", "geonames_id", "9" * 30),
        ["places.csv, row 3", "field 'geonames_id'"],
    ),
    (
        "enum-phase",
        "events",
        cell("events.csv", "phase", "war"),
        ["events.csv, row 3", "field 'phase'", "allowed values"],
    ),
    (
        "enum-kind",
        "places",
        cell("places.csv", "kind", "castle"),
        ["places.csv, row 3", "field 'kind'", "allowed values"],
    ),
    (
        "pattern-id",
        "places",
        cell("places.csv", "place_id", "Mosul City"),
        ["places.csv, row 3", "field 'place_id'", "form"],
    ),
    (
        "duplicate-key",
        "places",
        cell("places.csv", "place_id", "mosul", row=3),
        ["places.csv, row 4", "field 'place_id'", "unique"],
    ),
    (
        "unknown-source",
        "events",
        cell("events.csv", "source", "no_such_publication"),
        ["events.csv, row 3", "field 'source'", "sources.csv"],
    ),
    (
        "unknown-place",
        "events",
        cell("events.csv", "place_id", "atlantis"),
        ["events.csv, row 3", "field 'place_id'", "places.csv"],
    ),
    (
        "unknown-second-source",
        "events",
        cell("events.csv", "source_2", "nowhere"),
        ["events.csv, row 3", "field 'source_2'"],
    ),
    (
        "year-too-early",
        "revenue",
        cell("revenue.csv", "year", "1999"),
        ["revenue.csv, row 3", "field 'year'", "minimum 2012"],
    ),
    (
        "percent-over-100",
        "territory",
        cell("territory.csv", "percent_of_peak_lost", "101"),
        ["territory.csv, row 3", "field 'percent_of_peak_lost'"],
    ),
    (
        "iso-lower-case",
        "foreign_fighters",
        cell("foreign_fighters.csv", "iso_a3", "iq"),
        ["foreign_fighters.csv, row 3", "field 'iso_a3'"],
    ),
    (
        "url-not-http",
        "sources",
        cell("sources.csv", "url", "javascript:alert(1)"),
        ["sources.csv, row 3", "field 'url'"],
    ),
    (
        "source-key-repeated",
        "sources",
        lines("sources.csv", lambda ls: ls + [ls[1]]),
        ["sources.csv, row", "field 'key'", "unique"],
    ),
    (
        "published-month-13",
        "sources",
        cell("sources.csv", "published", "2017-13"),
        ["sources.csv, row 3", "field 'published'"],
    ),
    (
        "negative-value",
        "after_2017",
        cell("after_2017.csv", "value_low", "-1"),
        ["after_2017.csv, row 3", "field 'value_low'"],
    ),
    ("geojson-invalid", "rivers", text("rivers.geojson", lambda t: t[:50]), ["rivers.geojson, line", "not valid JSON"]),
    ("geojson-empty", "rivers", text("rivers.geojson", lambda t: ""), ["rivers.geojson is empty"]),
    ("geojson-a-list", "rivers", text("rivers.geojson", lambda t: "[1, 2]"), ["rivers.geojson", "FeatureCollection"]),
    (
        "geojson-no-geometry",
        "outlines_region",
        text(
            "outlines_region.geojson",
            lambda t: json.dumps({**json.loads(t), "features": [{"type": "Feature", "properties": {}}]}),
        ),
        ["outlines_region.geojson, feature 1", "geometry"],
    ),
    (
        "geojson-null-properties",
        "outlines_world",
        text(
            "outlines_world.geojson",
            lambda t: json.dumps(
                {**json.loads(t), "features": [{"type": "Feature", "properties": None, "geometry": None}]}
            ),
        ),
        ["outlines_world.geojson, feature 1", "properties"],
    ),
    ("geojson-nan", "rivers", text("rivers.geojson", lambda t: t.replace("[", "[NaN, ", 1)), ["rivers.geojson", "NaN"]),
    ("geojson-deep-nesting", "rivers", text("rivers.geojson", lambda t: "[" * 100_000), ["rivers.geojson"]),
    ("geojson-latin-1", "rivers", latin1("rivers.geojson"), ["rivers.geojson, line", "not UTF-8"]),
    (
        "descriptor-invalid-json",
        "events",
        text("datapackage.json", lambda t: t.replace("{", "", 2)),
        ["datapackage.json, line"],
    ),
    ("descriptor-a-list", "events", text("datapackage.json", lambda t: "[]"), ["datapackage.json", "resources"]),
    (
        "descriptor-latin-1",
        "events",
        raw("datapackage.json", b'{"resources": [], "title": "caf\xe9"}'),
        ["datapackage.json, line 1", "UTF-8"],
    ),
    (
        "path-traversal",
        "places",
        resource("places", path="../../../../etc/passwd"),
        ["datapackage.json", "'places'", "inside data/"],
    ),
    (
        "path-absolute",
        "places",
        resource("places", path="/etc/passwd"),
        ["datapackage.json", "'places'", "inside data/"],
    ),
    (
        "path-url",
        "events",
        resource("events", path="https://evil.example/events.csv"),
        ["datapackage.json", "'events'", "inside data/"],
    ),
    ("path-missing", "events", resource("events", path=None), ["datapackage.json", "resource", "'path'"]),
    ("path-symlink-outside", "places", symlink_outside, ["datapackage.json", "'places'", "outside data/"]),
    ("file-is-a-folder", "events", directory_instead, ["dataset 'events' is missing", "events.csv"]),
    (
        "file-missing",
        "revenue",
        lambda folder: (folder / "revenue.csv").unlink(),
        ["dataset 'revenue' is missing", "revenue.csv"],
    ),
    (
        "schema-fields-not-list",
        "events",
        resource("events", schema={"fields": "event_id"}),
        ["datapackage.json", "'events'", "fields"],
    ),
    (
        "resource-name-twice",
        "events",
        descriptor(lambda p: p["resources"].append(dict(p["resources"][0]))),
        ["datapackage.json", "used twice"],
    ),
    # issue 23, fault 12: text that changes how it is shown without being seen, look-alike hosts, a huge field
    ("bidi-override-in-author", "sources", cell("sources.csv", "author", "Smith \u202eevil"),
     ["sources.csv, row 3", "field 'author'", "bidirectional control", "U+202E"]),
    ("bidi-isolate-in-title", "sources", cell("sources.csv", "title", "A \u2067title\u2069"),
     ["sources.csv, row 3", "field 'title'", "bidirectional control", "U+2067"]),
    ("zero-width-space-in-description", "events", cell("events.csv", "description", "Mo\u200bsul"),
     ["events.csv, row 3", "field 'description'", "zero-width", "U+200B"]),
    ("zero-width-joiner-in-name", "places", cell("places.csv", "name", "Mosul\u200d"),
     ["places.csv, row 3", "field 'name'", "zero-width", "U+200D"]),
    ("byte-order-mark-in-publisher", "sources", cell("sources.csv", "publisher", "AFP\ufeff"),
     ["sources.csv, row 3", "field 'publisher'", "zero-width", "U+FEFF"]),
    ("nul-in-description", "events", cell("events.csv", "description", "before\x00after"),
     ["events.csv, row 3", "field 'description'", "NUL"]),
    ("bidi-override-in-url", "sources", cell("sources.csv", "url", "https://example.org/\u202efdp.exe"),
     ["sources.csv, row 3", "field 'url'", "U+202E"]),
    ("cyrillic-o-in-host", "sources", cell("sources.csv", "url", "https://www.hsdl.\u043erg/?abstract&did=1"),
     ["sources.csv, row 3", "field 'url'", "U+043E CYRILLIC SMALL LETTER O", "punycode"]),
    ("url-without-host", "sources", cell("sources.csv", "url", "https:///no-host"),
     ["sources.csv, row 3", "field 'url'", "no host"]),
    ("field-of-200-000-characters", "events", cell("events.csv", "description", "x" * 200_000),
     ["events.csv, row", "longer than 131,072 characters", "quotation mark"]),
    ("unknown-dataset", "evnets", lambda folder: None, ["no dataset called 'evnets'", "Valid names"]),
    ("hostile-dataset-name", "<script>alert(1)</script>" * 20, lambda folder: None, ["no dataset called"]),
]


@pytest.mark.parametrize("dataset, damage, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_data_ends_in_one_readable_message(package, dataset, damage, words):
    damage(package)
    with pytest.raises(DataError) as caught:
        load(dataset, package / "datapackage.json")
    message = str(caught.value)
    for word in words:
        assert word in message, message
    assert "\n" not in message and len(message) < 400 and message.endswith("."), message
    assert caught.value.__cause__ is None or isinstance(caught.value.__cause__, DataError), "no chained traceback"


def test_there_are_at_least_40_malformed_data_cases():
    assert len(CASES) >= 40


def test_row_numbers_count_the_header_as_row_1_and_survive_a_quoted_line_break(package):
    # A description with a line break inside quotes is one row: the bad date two rows later is on row 5.
    cell("events.csv", "description", "two\nlines")(package)
    cell("events.csv", "date", "2014-13-01", row=4)(package)
    with pytest.raises(DataError, match=r"events.csv, row 5 \(the header is row 1\), field 'date'"):
        load("events", package / "datapackage.json")


def test_a_punycode_host_is_accepted(package):
    cell("sources.csv", "url", "https://xn--mgbh0fb.xn--kgbechtv/page")(package)  # an international domain, ASCII
    assert len(load("sources", package / "datapackage.json")) > 10


def test_geojson_text_rejects_hidden_characters(package):
    path = package / "rivers.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    first = collection["features"][0]["properties"]
    name = next(k for k, v in first.items() if isinstance(v, str))
    first[name] = "Nin\u202eawa"
    path.write_text(json.dumps(collection), encoding="utf-8")
    dataset = next(r["name"] for r in json.loads((package / "datapackage.json").read_text())["resources"]
                   if r["path"] == "rivers.geojson")
    with pytest.raises(DataError, match=rf"rivers.geojson, feature 1, field '{name}': contains a bidirectional"):
        load(dataset, package / "datapackage.json")


def test_the_real_data_loads_and_keeps_its_types():
    assert len(load("events")) > 10 and str(load("places")["geonames_id"].dtype) == "Int64"

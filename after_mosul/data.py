"""Load the datasets in ``data/`` as typed DataFrames, as the descriptor says.

``data/datapackage.json`` (a Frictionless Data Package) is the single
description of every file: its path, fields, types, constraints and links
between tables. ``load`` reads it, so a notebook never repeats a path or a
dtype, and it enforces it: a file that breaks the descriptor gives one
``DataError`` naming the file, the row (the header is row 1) and the field.

Two validations, on purpose. This loader is the one that runs in a student's kernel: pandas only, and
one sentence a student can act on. The tests also validate the package with Frictionless
(tests/unit/test_data.py), the reference implementation of the standard the descriptor follows, which
proves what this loader cannot: that other tools read ``datapackage.json`` as we mean it. Frictionless
is a test tool, never in the course kit; a test checks that both refuse the same broken rows.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pandas as pd

from .paths import DESCRIPTOR


class DataError(ValueError):
    """A dataset is unknown, missing or malformed; the message says which and how."""


def _show(value: object, limit: int = 60) -> str:
    """A value quoted for a message, cut short if long."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _decode(data: bytes, where: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DataError(
            f"{where}, line {line}: byte {error.start + 1} is not UTF-8 text; "
            "save the file with the UTF-8 encoding."
        ) from None
    return text.removeprefix("\ufeff")


READS: dict[str, int] = {}  # how many times each data file was read in this process (the cache keeps it at one)


def _read(file: Path, where: str, limit: int | None = None) -> str:
    if limit is not None:
        stamp = _stamp(file)
        size = stamp[1] if stamp else 0
        if size > limit:
            raise DataError(
                f"{where} is {size:,} bytes, over the {limit:,} bytes its descriptor allows ('maxBytes' in "
                "datapackage.json): a file this large makes the book's build and every notebook slow. Cut it down, "
                "or raise maxBytes if the course really needs it (python -m scripts.benchmark --data-scale measures "
                "what a bigger file costs)."
            )
    READS[str(file)] = READS.get(str(file), 0) + 1
    try:
        data = file.read_bytes()
    except OSError as error:
        raise DataError(f"{where} cannot be read ({error.strerror or error}).") from None
    text = _decode(data, where)
    if not text.strip():
        raise DataError(f"{where} is empty: it should hold a header row and data rows.")
    return text


def _json(text: str, where: str) -> object:
    def constant(name: str):
        raise ValueError(f"{name} is not allowed in JSON")

    try:
        return json.loads(text, parse_constant=constant)
    except json.JSONDecodeError as error:
        raise DataError(f"{where}, line {error.lineno}, column {error.colno}: not valid JSON ({error.msg}).") from None
    except (ValueError, RecursionError) as error:
        raise DataError(f"{where}: not valid JSON ({error}).") from None


def _check_descriptor(package: object, where: str) -> dict:
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise DataError(f"{where}: expected an object with a list of 'resources'.")
    names = set()
    for i, res in enumerate(package["resources"], 1):
        if not isinstance(res, dict) or not isinstance(res.get("name"), str) or not isinstance(res.get("path"), str):
            raise DataError(f"{where}, resource {i}: each resource needs a 'name' and a 'path' (text).")
        if res["name"] in names:
            raise DataError(f"{where}, resource {i}: the name {res['name']!r} is used twice.")
        names.add(res["name"])
        limit = res.get("maxBytes")
        if limit is not None and (type(limit) is not int or limit <= 0):
            raise DataError(f"{where}, resource {res['name']!r}: 'maxBytes' must be a whole number of bytes above 0.")
        if res.get("format") == "geojson":
            continue
        fields = res.get("schema", {}).get("fields") if isinstance(res.get("schema"), dict) else None
        if not isinstance(fields, list) or not fields or not all(
            isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields
        ):
            raise DataError(
                f"{where}, resource {res['name']!r}: its schema needs a list of 'fields', each with a 'name'."
            )
    return package


def _stamp(file: Path) -> tuple[int, int, int] | None:
    """What tells that a file changed: its modification time, size and inode (None: no such file)."""
    try:
        status = file.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino


def _descriptor(path: Path = DESCRIPTOR) -> dict:
    if not Path(path).exists():
        raise DataError(
            f"The data descriptor is missing: expected {path}. "
            "Install the course kit (see the book's Set-up page), or run the notebooks from a full copy of the course."
        )
    return _read_descriptor(Path(path).resolve(), _stamp(Path(path)))


@lru_cache(maxsize=16)
def _read_descriptor(path: Path, stamp: tuple[int, int, int] | None) -> dict:
    where = path.name
    return _check_descriptor(_json(_read(path, where), where), where)


def descriptor(path: Path = DESCRIPTOR) -> dict:
    """The data package descriptor as a dict (a fresh copy)."""
    return json.loads(json.dumps(_descriptor(Path(path))))


def dataset_names(path: Path = DESCRIPTOR) -> list[str]:
    return [r["name"] for r in _descriptor(Path(path))["resources"]]


def resource(name: str, path: Path = DESCRIPTOR) -> dict:
    """The descriptor entry for dataset ``name``."""
    for res in _descriptor(Path(path))["resources"]:
        if res["name"] == name:
            return res
    names = ", ".join(dataset_names(path))
    raise DataError(f"There is no dataset called {_show(name)}. Valid names: {names}.")


def data_file(res: dict, path: Path = DESCRIPTOR) -> Path:
    """The file of resource ``res``: always inside the descriptor's folder (``data/``)."""
    folder = Path(path).resolve().parent
    relative = res["path"]
    parts = PurePosixPath(relative).parts
    if (not relative or "\\" in relative or ":" in relative or "\x00" in relative
            or PurePosixPath(relative).is_absolute() or ".." in parts):
        raise DataError(
            f"{Path(path).name}, resource {res['name']!r}: the path {_show(relative)} must name a file "
            "inside data/ (no '..', no absolute path, no URL)."
        )
    file = (folder / relative).resolve()
    if not file.is_relative_to(folder):
        raise DataError(
            f"{Path(path).name}, resource {res['name']!r}: the path {_show(relative)} leads outside data/."
        )
    return file


# -- values ------------------------------------------------------------------

_WORDS = {"integer": "a whole number", "year": "a year", "number": "a number",
          "date": "a date in the form YYYY-MM-DD", "boolean": "true or false"}


def _value(text: str, kind: str) -> object:
    """One cell as a Python value of the Frictionless ``kind``; ValueError if it is not one."""
    if kind in ("integer", "year"):
        if not re.fullmatch(r"[+-]?\d+", text.strip()):
            raise ValueError(text)
        if abs(int(text)) >= 2**63:
            raise OverflowError(text)
        return int(text)
    if kind == "number":
        number = float(text.replace("_", "x"))
        if not math.isfinite(number):
            raise ValueError(text)
        return number
    if kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return pd.Timestamp(text)
    if kind == "boolean":
        return {"true": True, "false": False}[text]
    return text


def _column(values: list, kind: str) -> pd.Series:
    if kind in ("integer", "year"):
        return pd.array(values, dtype="Int64")
    if kind == "number":
        return pd.Series(values, dtype="float64").to_numpy()
    if kind == "date":
        return pd.to_datetime(pd.Series(values, dtype="object"))
    if kind == "boolean":
        return pd.array(values, dtype="boolean")
    return pd.array(values, dtype="string")


def _broken(value: object, field: dict) -> str | None:
    """What ``value`` (already typed) breaks among the field's constraints, or None."""
    constraints = field.get("constraints", {}) or {}
    kind = field.get("type", "string")
    if "pattern" in constraints and kind == "string" and not re.fullmatch(constraints["pattern"], value):
        return f"does not have the required form ({constraints['pattern']})"
    if "enum" in constraints:
        try:
            allowed = [v if kind == "string" else _value(str(v), kind) for v in constraints["enum"]]
        except (ValueError, KeyError):
            allowed = constraints["enum"]
        if value not in allowed:
            return f"is not one of the allowed values ({', '.join(map(str, constraints['enum']))})"
    for bound, words, broken in (("minimum", "is below the minimum", lambda v, b: v < b),
                                 ("maximum", "is above the maximum", lambda v, b: v > b)):
        if bound in constraints and kind in ("integer", "year", "number", "date"):
            limit = constraints[bound]
            if broken(value, _value(str(limit), kind) if kind == "date" else limit):
                return f"{words} {limit}"
    for bound, words, broken in (("minLength", "is shorter than", lambda n, b: n < b),
                                 ("maxLength", "is longer than", lambda n, b: n > b)):
        if bound in constraints and kind == "string" and broken(len(value), constraints[bound]):
            return f"{words} {constraints[bound]} characters"
    return None


# -- text that hides what it says ----------------------------------------------

# Characters that change how text is shown without being seen: bidirectional controls (U+202E reversed a
# reference in the browser), zero-width characters, and NUL. None belongs in the course's data.
INVISIBLE = {
    **{chr(c): "a bidirectional control" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
    **{chr(c): "a zero-width character" for c in (0x200B, 0x200C, 0x200D, 0xFEFF)},
    "\x00": "a NUL character",
}
_INVISIBLE = re.compile("[" + "".join(re.escape(c) for c in INVISIBLE) + "]")


def _character(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".strip()


def text_problem(text: str) -> str | None:
    """What hides in ``text`` (a bidirectional control, a zero-width character, NUL), or None."""
    found = _INVISIBLE.search(text)
    if not found:
        return None
    return (f"contains {INVISIBLE[found.group()]} ({_character(found.group())}) at character {found.start() + 1}, "
            "which changes how the text is shown without being seen; delete it")


def url_problem(url: str) -> str | None:
    """What is wrong with the host of ``url`` (missing, or not ASCII: write it in punycode), or None."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError as error:
        return f"is not a valid web address ({error})"
    if not host:
        return "has no host name (a web address looks like https://example.org/page)"
    if not host.isascii():
        char = next(c for c in host if not c.isascii())
        return (f"has a host name with a non-ASCII character, {_character(char)}, which can look like an ASCII "
                f"letter: write the host in ASCII, or an international domain name in punycode (xn--...)")
    return None


def _is_url_field(field: dict) -> bool:
    pattern = (field.get("constraints", {}) or {}).get("pattern", "")
    return field.get("format") == "uri" or field["name"] == "url" or field["name"].endswith("_url") or (
        pattern.startswith("^https?://"))


# -- tables ------------------------------------------------------------------

# The longest value a field may hold: Python's csv module's own limit (which another library can raise).
MAX_FIELD = 131_072
TOO_LONG = (f"a value is longer than {MAX_FIELD:,} characters, far longer than any value the course's data holds; "
            "look for a quotation mark that opens a value and is never closed, or shorten the value")

def _rows(text: str, where: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise DataError(f"{where}, row {len(rows) + 1}: {TOO_LONG}.") from None
        raise DataError(
            f"{where}, row {len(rows) + 1}: the CSV is malformed ({error}); check its quotation marks."
        ) from None
    return rows


def _keys(spec) -> list[str]:
    return [spec] if isinstance(spec, str) else list(spec or [])


class _Table:
    """A CSV file read and checked against its schema: raw text cells and typed columns."""

    def __init__(self, res: dict, path: Path):
        self.res, self.where = res, res["path"]
        self.fields = res["schema"]["fields"]
        file = data_file(res, path)
        if not file.is_file():
            raise DataError(
                f"The file for dataset {res['name']!r} is missing: expected {file}. "
                "Restore it from the course repository."
            )
        rows = _rows(_read(file, self.where, res.get("maxBytes")), self.where)
        while rows and not rows[-1]:
            rows.pop()  # blank lines at the end of the file
        header, body = rows[0], rows[1:]
        expected = [f["name"] for f in self.fields]
        if header != expected:
            raise DataError(f"{self.where}, row 1: the columns {header} do not match the descriptor's {expected}.")
        self.numbers, self.cells = [], []  # row numbers (header = 1) and raw cells, None for empty
        for number, row in enumerate(body, start=2):
            if not row:
                raise DataError(f"{self.where}, row {number}: the row is blank; delete the empty line.")
            if len(row) != len(header):
                raise DataError(
                    f"{self.where}, row {number}: it has {len(row)} values but the header has {len(header)} "
                    "columns; check for a missing or extra comma (put text with commas in quotation marks)."
                )
            for name, cell in zip(header, row):
                if len(cell) > MAX_FIELD:
                    raise DataError(f"{self.where}, row {number} (the header is row 1), field '{name}': {TOO_LONG}.")
            self.numbers.append(number)
            self.cells.append([cell if cell != "" else None for cell in row])
        self.values = {f["name"]: self._typed(i, f) for i, f in enumerate(self.fields)}

    def fail(self, index: int, field: str, detail: str) -> DataError:
        return DataError(f"{self.where}, row {self.numbers[index]} (the header is row 1), field '{field}': {detail}.")

    def _typed(self, column: int, field: dict) -> list:
        name, kind = field["name"], field.get("type", "string")
        required = (field.get("constraints", {}) or {}).get("required", False)
        unique = (field.get("constraints", {}) or {}).get("unique", False)
        values, seen = [], {}
        for i, row in enumerate(self.cells):
            text = row[column]
            if text is None:
                if required:
                    raise self.fail(i, name, "is empty, but a value is required")
                values.append(None)
                continue
            hidden = text_problem(text)
            if hidden:
                raise self.fail(i, name, hidden)
            if kind == "string" and _is_url_field(field):
                problem = url_problem(text)
                if problem:
                    raise self.fail(i, name, f"{_show(text)} {problem}")
            try:
                value = _value(text, kind)
            except (ValueError, KeyError, OverflowError):
                raise self.fail(i, name, f"{_show(text)} is not {_WORDS.get(kind, 'valid')}") from None
            problem = _broken(value, field)
            if problem:
                raise self.fail(i, name, f"{_show(text)} {problem}")
            if unique:
                if text in seen:
                    raise self.fail(i, name, f"{_show(text)} repeats row {self.numbers[seen[text]]}; it must be unique")
                seen[text] = i
            values.append(value)
        return values

    def check_keys(self, path: Path) -> None:
        schema = self.res["schema"]
        for key in [_keys(schema.get("primaryKey"))] + [_keys(k) for k in schema.get("uniqueKeys", [])]:
            if not key:
                continue
            seen = {}
            for i in range(len(self.cells)):
                value = tuple(self.values[k][i] for k in key)
                if any(v is None for v in value):
                    continue
                if value in seen:
                    shown = ", ".join(_show(v) for v in value)
                    first = self.numbers[seen[value]]
                    raise self.fail(i, "', '".join(key), f"{shown} repeats row {first}; it must be unique")
                seen[value] = i
        for link in schema.get("foreignKeys", []):
            fields, reference = _keys(link["fields"]), link["reference"]
            target_fields = _keys(reference["fields"])
            target_name = reference.get("resource") or self.res["name"]
            target = self if target_name == self.res["name"] else _table(resource(target_name, path), path)
            known = {tuple(target.values[k][i] for k in target_fields) for i in range(len(target.cells))}
            for i in range(len(self.cells)):
                value = tuple(self.values[k][i] for k in fields)
                if any(v is None for v in value) or value in known:
                    continue
                shown = ", ".join(str(v) for v in value)
                raise self.fail(i, "', '".join(fields),
                                f"'{shown}' is not a {', '.join(target_fields)} in {Path(target.where).name}")

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({f["name"]: _column(self.values[f["name"]], f.get("type", "string")) for f in self.fields})


def _geojson(text: str, where: str) -> dict:
    collection = _json(text, where)
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection" \
            or not isinstance(collection.get("features"), list):
        raise DataError(f"{where}: expected a GeoJSON FeatureCollection with a list of 'features'.")
    for i, feature in enumerate(collection["features"], 1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise DataError(f"{where}, feature {i}: expected an object with \"type\": \"Feature\".")
        if not isinstance(feature.get("properties"), dict):
            raise DataError(f"{where}, feature {i}, field 'properties': expected an object of properties.")
        for key, value in feature["properties"].items():
            hidden = text_problem(str(key)) or (text_problem(value) if isinstance(value, str) else None)
            if hidden:
                raise DataError(f"{where}, feature {i}, field {_show(key)}: {hidden}.")
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or not isinstance(geometry.get("type"), str) \
                or not isinstance(geometry.get("coordinates"), list):
            raise DataError(f"{where}, feature {i}, field 'geometry': expected a type and a list of coordinates.")
    return collection


# Each file is read and checked once per process while it stays the same: a book build asks for the
# bibliography dozens of times. Keyed by the file's path, modification time and size, so an edited file is read again.
_TABLES: dict[tuple[str, str], tuple[object, _Table]] = {}
_LOADED: dict[tuple[str, str], tuple[object, pd.DataFrame | dict]] = {}


def clear_cache() -> None:
    """Forget every file read (a test that rewrites a file within one clock tick calls this)."""
    _read_descriptor.cache_clear()
    _TABLES.clear()
    _LOADED.clear()


def _table(res: dict, path: Path) -> _Table:
    file = data_file(res, path)
    key, stamp = (str(file), json.dumps(res, sort_keys=True)), _stamp(file)
    cached = _TABLES.get(key)
    if cached is None or cached[0] != stamp or stamp is None:
        _TABLES[key] = (stamp, _Table(res, path))
    return _TABLES[key][1]


def _linked_files(res: dict, path: Path) -> list[Path]:
    """The resource's file and the files its foreign keys point into."""
    targets = {link["reference"].get("resource") or res["name"]
               for link in (res.get("schema") or {}).get("foreignKeys", [])}
    return [data_file(res, path)] + [data_file(resource(t, path), path) for t in sorted(targets - {res["name"]})]


def version(name: str, path: Path = DESCRIPTOR) -> tuple:
    """Changes whenever dataset ``name``'s file or a table it links to changes (for caches built on ``load``)."""
    res = resource(name, path)
    return str(Path(path).resolve()), json.dumps(res, sort_keys=True), *(_stamp(f) for f in _linked_files(res, path))


def load(name: str, path: Path = DESCRIPTOR) -> pd.DataFrame | dict:
    """Dataset ``name`` as a typed DataFrame (dates parsed), or a dict for GeoJSON.

    Each call returns a fresh copy; the file is read again only when it (or a table it links to) changed.

    >>> events = load("events")   # doctest: +SKIP
    """
    res = resource(name, path)
    key = (str(Path(path).resolve()), json.dumps(res, sort_keys=True))
    stamps = [_stamp(file) for file in _linked_files(res, path)]
    cached = _LOADED.get(key)
    if cached is None or cached[0] != stamps or None in stamps:
        _LOADED[key] = (stamps, _load(res, name, path))
    value = _LOADED[key][1]
    return value.copy() if isinstance(value, pd.DataFrame) else copy.deepcopy(value)


def _load(res: dict, name: str, path: Path) -> pd.DataFrame | dict:
    if res.get("format") == "geojson":
        file = data_file(res, path)
        if not file.is_file():
            raise DataError(
                f"The file for dataset {name!r} is missing: expected {file}. Restore it from the course repository."
            )
        return _geojson(_read(file, res["path"], res.get("maxBytes")), res["path"])
    table = _table(res, path)
    table.check_keys(path)
    return table.frame()

"""Load the datasets in ``data/`` as typed DataFrames, as the descriptor says.

``data/datapackage.json`` (a Frictionless Data Package) is the single
description of every file: its path, fields, types and sources. ``load``
reads it, so a notebook never repeats a path or a dtype.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .paths import DESCRIPTOR


class DataError(ValueError):
    """A dataset is unknown, missing or malformed; the message says which and how."""


@lru_cache(maxsize=None)
def _descriptor(path: Path = DESCRIPTOR) -> dict:
    if not Path(path).exists():
        raise DataError(
            f"The data descriptor is missing: expected {path}. "
            "Install the course kit (see the book's Set-up page), or run the notebooks from a full copy of the course."
        )
    return json.loads(Path(path).read_text(encoding="utf-8"))


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
    raise DataError(f"There is no dataset called {name!r}. Valid names: {names}.")


def _cast(column: pd.Series, kind: str) -> pd.Series:
    """Cast a column of strings to the Frictionless ``kind``; raise ValueError if it can't."""
    if kind in ("integer", "year"):
        numbers = pd.to_numeric(column, errors="raise")
        if (numbers.dropna() % 1 != 0).any():
            raise ValueError("not a whole number")
        return numbers.astype("Int64")
    if kind == "number":
        return pd.to_numeric(column, errors="raise").astype("float64")
    if kind == "date":
        return pd.to_datetime(column, format="%Y-%m-%d", errors="raise")
    if kind == "boolean":
        mapped = column.map({"true": True, "false": False})
        if mapped[column.notna()].isna().any():
            raise ValueError("not true/false")
        return mapped.astype("boolean")
    return column.astype("string")


def _convert(frame: pd.DataFrame, field: dict, where: str) -> pd.Series:
    name, kind = field["name"], field.get("type", "string")
    column = frame[name]
    try:
        return _cast(column, kind)
    except (ValueError, TypeError):
        pass
    # Find the first bad value so the message names the row and the field.
    for position, value in column.dropna().items():
        try:
            _cast(pd.Series([value], dtype="string"), kind)
        except (ValueError, TypeError):
            raise DataError(
                f"{where}, row {position + 2} (the header is row 1), "
                f"field '{name}': {value!r} is not a valid {kind}."
            ) from None
    raise DataError(f"{where}, field '{name}': values are not valid {kind}s.")


def load(name: str, path: Path = DESCRIPTOR) -> pd.DataFrame | dict:
    """Dataset ``name`` as a typed DataFrame (dates parsed), or a dict for GeoJSON.

    >>> events = load("events")   # doctest: +SKIP
    """
    res = resource(name, path)
    file = Path(path).parent / res["path"]
    if not file.exists():
        raise DataError(
            f"The file for dataset {name!r} is missing: expected {file}. "
            "Restore it from the course repository."
        )
    if res.get("format") == "geojson":
        return json.loads(file.read_text(encoding="utf-8"))
    frame = pd.read_csv(file, dtype=str, keep_default_na=False, na_values=[""])
    fields = res["schema"]["fields"]
    expected = [f["name"] for f in fields]
    if list(frame.columns) != expected:
        raise DataError(
            f"{res['path']}: columns {list(frame.columns)} do not match the "
            f"descriptor's {expected}."
        )
    for field in fields:
        frame[field["name"]] = _convert(frame, field, res["path"])
    return frame


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


def validate_package(path: Path = DESCRIPTOR) -> list[str]:
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

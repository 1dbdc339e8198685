"""The one bibliography: every reference in the book is a row of ``data/sources.csv``.

Chapters cite by key; the reference lists are generated from those rows, so no
reference is written twice, and an unknown key is an error, never a guess.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from . import htmltext
from .data import DataError, load, version

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class UnknownSource(DataError):
    """A citation key that is not a row of data/sources.csv."""


@lru_cache(maxsize=4)
def _by_key(_version: tuple) -> dict[str, dict]:
    """sources.csv's rows by key, built once per version of the file (a build looks references up dozens of times)."""
    frame = load("sources").astype(object).where(lambda f: f.notna(), "")
    return {row["key"]: row for row in frame.to_dict("records")}


def sources() -> dict[str, dict]:
    """Every row of sources.csv by key (a fresh copy)."""
    return {key: dict(row) for key, row in _by_key(version("sources")).items()}


def lookup(keys: list[str]) -> list[dict]:
    """The rows for ``keys`` in order; raise UnknownSource naming every unknown key."""
    rows = _by_key(version("sources"))
    missing = [k for k in keys if k not in rows]
    if missing:
        raise UnknownSource(
            f"Unknown citation key(s) {', '.join(missing)}: add a row to data/sources.csv "
            "or fix the spelling."
        )
    return [dict(rows[k]) for k in keys]


def display_date(published: str) -> str:
    """'2014-08-17' -> '17 Aug 2014'; '2014-08' -> 'Aug 2014'; '2014' stays; '' stays."""
    parts = str(published).split("-")
    if len(parts) == 3:
        day = dt.date.fromisoformat(published)
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return str(published)


def parts(row: dict) -> tuple[str, str, str]:
    """(lead, title, tail) of a reference: who, the linked title, and date and note."""
    lead = row["publisher"] + (f" ({row['author']})" if row.get("author") else "")
    tail = ", ".join(p for p in (display_date(row.get("published", "")),) if p)
    return lead, row["title"], tail


class ReferenceList:
    """A reference list for a notebook: shown as HTML in Jupyter, as text elsewhere."""

    def __init__(self, keys: list[str]):
        self.rows = lookup(list(keys))

    def _lines(self) -> list[tuple[str, str, str, str]]:
        return [(*parts(row), row["url"]) for row in self.rows]

    def _repr_html_(self) -> str:
        e = htmltext.text
        items = "".join(
            f'<li>{e(lead)}, <a href="{htmltext.attribute(url)}">“{e(title)}”</a>'
            f"{', ' + e(tail) if tail else ''}.</li>"
            for lead, title, tail, url in self._lines()
        )
        return f'<ul class="references {htmltext.NO_MATHS}">{items}</ul>'

    def __repr__(self) -> str:
        return "\n".join(
            f"- {lead}, “{title}”{', ' + tail if tail else ''}. {url}" for lead, title, tail, url in self._lines()
        )


def references(keys: list[str]) -> ReferenceList:
    """The references for ``keys``, from data/sources.csv; an unknown key raises UnknownSource."""
    return ReferenceList(keys)

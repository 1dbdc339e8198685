"""make rebuilds the book when what it is built from changes (needs an up-to-date build: `make book`)."""

import subprocess

import pytest

from ..conftest import ROOT


@pytest.mark.parametrize(
    "changed",
    [
        "data/events.csv",
        "data/places.csv",
        "chapters/quizzes/02_mosul.yml",
        "_extra/vendor/leaflet/leaflet.js",
        "after_mosul/maps.py",
    ],
)
def test_make_rebuilds_the_book_when_data_quizzes_or_vendored_assets_change(changed):
    def would_build(*flags):
        result = subprocess.run(["make", "--dry-run", *flags, "book"], cwd=ROOT, capture_output=True, text=True)
        return "jupyter-book build" in result.stdout

    assert (ROOT / changed).exists(), f"{changed} is missing: run `make setup` first"
    assert not would_build(), "the book is out of date: run `make book` before this test"
    assert would_build("-W", changed), f"make does not rebuild the book after {changed} changes"

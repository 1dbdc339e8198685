"""Shared fixtures: where the project and the built book are.

The tiers (README.md, *Tests*): tests/unit/ and tests/hostile/ need no built book, kit, hub or browser
(`make check`); tests/book/ reads the built book or kit or runs notebooks; tests/integration/ starts servers,
fresh venvs and the hub; tests/browser/ drives Chromium. `make test` runs them all with ``--dist loadfile``:
a file's tests (a notebook's cells, the browser's page visits in tests/browser/test_page_visits.py) stay on one
worker, with nothing but what pytest-xdist supports.
"""

import os
import subprocess
import sys

import pytest

from book.notebooks import CHAPTERS
from after_mosul.paths import PROJECT_ROOT as ROOT
from book.paths import built_book, missing_book

__all__ = ["CHAPTERS", "ROOT", "book_html", "in_a_fresh_process"]  # the test modules import CHAPTERS and ROOT from here


@pytest.fixture(scope="session")
def book_html():
    """The built HTML book; tests that read it fail (not skip) when it is missing."""
    path = built_book()
    missing = missing_book(path)
    if missing:
        pytest.fail(missing, pytrace=False)
    return path


def in_a_fresh_process(setup: str, expression: str) -> str:
    """``expression`` (after ``setup``) written by a new Python with another hash seed.

    Comparing it with the same expression here shows that an output does not
    depend on the process (random or address-based ids, set order).
    """
    code = f"import sys\n{setup}\nsys.stdout.write({expression})"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout

"""Shared fixtures: where the project and the built book are."""

import os
import subprocess
import sys

import pytest

from after_mosul.notebooks import CHAPTERS
from after_mosul.paths import PROJECT_ROOT as ROOT
from after_mosul.paths import built_book, missing_book

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

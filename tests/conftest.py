"""Shared fixtures: where the project and the built book are."""

import pytest

from after_mosul.notebooks import CHAPTERS
from after_mosul.paths import PROJECT_ROOT as ROOT
from after_mosul.paths import built_book, missing_book

__all__ = ["CHAPTERS", "ROOT", "book_html"]  # the test modules import CHAPTERS and ROOT from here


@pytest.fixture(scope="session")
def book_html():
    """The built HTML book; tests that read it fail (not skip) when it is missing."""
    path = built_book()
    missing = missing_book(path)
    if missing:
        pytest.fail(missing, pytrace=False)
    return path

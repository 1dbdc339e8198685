"""Shared fixtures: where the project and the built book are."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ["01_rise", "02_mosul", "03_finances", "04_desert", "05_ideology"]


@pytest.fixture(scope="session")
def book_html() -> Path:
    """The built HTML book; tests that read it fail (not skip) when it is missing."""
    path = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
    if not (path / "index.html").exists():
        pytest.fail(f"No built book at {path}: run `make book` first (`make test` does it for you).")
    return path

"""Rebuild each chapter notebook from its MyST twin and store fresh outputs.

The .md file (MyST, via jupytext) is what authors edit and review; the paired
.ipynb holds the executed outputs that the book shows, nbval compares and
students download. Reading, executing and writing: book/notebooks.py.
Run after editing a chapter:  python -m book.refresh_notebooks [paths...]
"""

import sys
from pathlib import Path

from book.notebooks import CHAPTER_DIR, refresh_chapter
from after_mosul.paths import PROJECT_ROOT


def main(paths: list[str]) -> None:
    sources = [Path(p) for p in paths] or sorted(CHAPTER_DIR.glob("*.md"))
    for source in sources:
        print("refreshed", refresh_chapter(source.resolve()).relative_to(PROJECT_ROOT))


if __name__ == "__main__":
    main(sys.argv[1:])

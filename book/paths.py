"""Where the build writes the book, for the steps and tests that read it back."""

import os
from pathlib import Path

from after_mosul.paths import PROJECT_ROOT


def built_book() -> Path:
    """The built HTML book: $BOOK_HTML, or _build/html (``make book``)."""
    return Path(os.environ.get("BOOK_HTML", PROJECT_ROOT / "_build" / "html")).resolve()


def missing_book(book: Path) -> str | None:
    """Why ``book`` is not a built book (it has no intro.html), or None."""
    if not (book / "intro.html").is_file():
        return f"No built book at {book} (no intro.html): run `make book` (or `make test`, which builds it) first."
    return None

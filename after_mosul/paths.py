"""Where the project's folders are, wherever the notebooks run from."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DESCRIPTOR = DATA_DIR / "datapackage.json"


def built_book() -> Path:
    """The built HTML book: $BOOK_HTML, or _build/html (``make book``)."""
    import os

    return Path(os.environ.get("BOOK_HTML", PROJECT_ROOT / "_build" / "html")).resolve()


def missing_book(book: Path) -> str | None:
    """Why ``book`` is not a built book (it has no intro.html), or None."""
    if not (book / "intro.html").is_file():
        return f"No built book at {book} (no intro.html): run `make book` (or `make test`, which builds it) first."
    return None

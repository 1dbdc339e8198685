"""The seed article: its date, 15 numbered paragraphs and 2 sub-headings.

The text lives once, in ``seeds/``. Chapters quote it verbatim; this module
reads it, checks it has not been altered, and says which chapter discusses
which paragraph.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .paths import PROJECT_ROOT

SEED_PATH = PROJECT_ROOT / "seeds" / "000_17f059240a18f96e.txt"
SEED_SHA256 = "ad429d2ec32cc1cc5f531ee1fb7b5c51e151b005f609b1923598a567f4686da9"

TITLE = "Is Daesh on the verge of obliteration?"
PUBLISHER = "TRT World (opinion section)"
CITATION = (
    "“Is Daesh on the verge of obliteration?”, opinion piece, TRT World, "
    "22 July 2017; author not named in the text. Attribution made by matching "
    "the text."
)

HEADINGS = ("ISIS has been losing power inside Iraq", "ISIS returns to the desert")

# Where each paragraph is quoted and discussed: page path (no suffix) in the book.
CHAPTER_OF_PARAGRAPH = {
    1: "intro", 2: "intro", 3: "intro",
    4: "chapters/01_rise", 5: "chapters/01_rise", 6: "chapters/01_rise",
    7: "chapters/03_finances",
    8: "chapters/02_mosul", 9: "chapters/02_mosul", 10: "chapters/02_mosul",
    11: "chapters/02_mosul",
    12: "chapters/05_ideology", 13: "chapters/05_ideology",
    14: "chapters/04_desert", 15: "chapters/04_desert",
}

# Defects of the text itself: annotated where quoted, never silently fixed.
TEXT_DEFECTS = {
    1: "A place name is missing after “bombardment of”; the context shows it is Mosul.",
    4: "“precursors ISIS” lacks “of”: read “precursors of ISIS”.",
    7: "“as it was once was” repeats “was”.",
    12: "The city’s name is missing before “the last urban stronghold”; it is Mosul.",
}


class SeedError(RuntimeError):
    """The seed article is missing or is not the text the book quotes."""


@dataclass(frozen=True)
class Block:
    """One block of the article: a numbered paragraph or a sub-heading."""

    kind: str  # "paragraph" or "heading"
    text: str
    number: int | None = None  # paragraph number 1-15; None for headings


@dataclass(frozen=True)
class Article:
    date: dt.date
    blocks: tuple[Block, ...]

    @property
    def paragraphs(self) -> dict[int, str]:
        return {b.number: b.text for b in self.blocks if b.kind == "paragraph"}

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if b.kind == "heading")

    def paragraph(self, number: int) -> str:
        """Paragraph ``number`` (1-15), verbatim."""
        if not isinstance(number, int) or number not in self.paragraphs:
            raise ValueError(
                f"The article has paragraphs 1 to {len(self.paragraphs)}; got {number!r}."
            )
        return self.paragraphs[number]


_FIRST_LINE = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2}) (.+)$", re.S)


def parse(text: str) -> Article:
    """Split the seed text into date, paragraphs and headings."""
    raw_blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    if not raw_blocks:
        raise SeedError("The seed article is empty.")
    first = _FIRST_LINE.match(raw_blocks[0])
    if not first:
        raise SeedError("The seed article's first line should start with 'date YYYY-MM-DD'.")
    date = dt.date.fromisoformat(first.group(1))
    raw_blocks[0] = first.group(2).strip()

    blocks, number = [], 0
    for raw in raw_blocks:
        if raw in HEADINGS:
            blocks.append(Block("heading", raw))
        else:
            number += 1
            blocks.append(Block("paragraph", raw, number))
    return Article(date, tuple(blocks))


@cache
def load_article(path: Path = SEED_PATH) -> Article:
    """Read and check the seed article; raise SeedError if missing or altered."""
    path = Path(path)
    if not path.exists():
        raise SeedError(
            f"The seed article is missing: expected it at {path}. "
            "Copy it unchanged from the course's shared seeds folder."
        )
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != SEED_SHA256:
        raise SeedError(
            f"The seed article at {path} differs from the text this book quotes "
            "(checksum mismatch). Restore the original file; annotate defects in "
            "the chapters instead of editing the seed."
        )
    article = parse(data.decode("utf-8"))
    if len(article.paragraphs) != 15 or article.headings != HEADINGS:
        raise SeedError("The seed article should hold 15 paragraphs and 2 sub-headings.")
    return article

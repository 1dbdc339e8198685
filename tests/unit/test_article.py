"""The seed article is read, checked, and quoted verbatim exactly once across the book."""

import re
import shutil

import pytest

from after_mosul import article
from after_mosul.article import SeedError, load_article, parse

from ..conftest import CHAPTERS, ROOT

QUOTE = re.compile(r"^> \*\*¶(\d+)\*\* (.+)$", re.M)
BOOK_PAGES = {"intro": ROOT / "intro.md", **{f"chapters/{c}": ROOT / "chapters" / f"{c}.md" for c in CHAPTERS}}


def quotes():
    """(page, paragraph number, quoted text) for every numbered quote in the book's sources."""
    found = []
    for page, path in BOOK_PAGES.items():
        for number, text in QUOTE.findall(path.read_text(encoding="utf-8")):
            found.append((page, int(number), text))
    return found


def test_article_has_its_date_15_paragraphs_and_2_subheadings():
    art = load_article()
    assert art.date.isoformat() == "2017-07-22"
    assert sorted(art.paragraphs) == list(range(1, 16))
    assert art.headings == article.HEADINGS
    assert art.paragraph(1).startswith("As the successful conclusion")
    assert art.paragraph(15).endswith("make believers victorious.")


def test_subheadings_stand_before_paragraphs_4_and_14():
    kinds = [(b.kind, b.number) for b in load_article().blocks]
    assert kinds[3] == ("heading", None) and kinds[4] == ("paragraph", 4)
    assert kinds[14] == ("heading", None) and kinds[15] == ("paragraph", 14)


def test_missing_seed_gives_a_clear_error(tmp_path):
    with pytest.raises(SeedError, match="missing"):
        load_article.__wrapped__(tmp_path / "nothing.txt")


def test_altered_seed_is_refused(tmp_path):
    copy = tmp_path / "seed.txt"
    shutil.copy(article.SEED_PATH, copy)
    copy.write_text(copy.read_text(encoding="utf-8").replace("Mosul", "Mosel", 1), encoding="utf-8")
    with pytest.raises(SeedError, match="differs"):
        load_article.__wrapped__(copy)


def test_first_line_without_date_is_refused():
    with pytest.raises(SeedError, match="date"):
        parse("No date here.\n\nSecond.")


def test_unknown_paragraph_number_gets_a_clear_error():
    with pytest.raises(ValueError, match="1 to 15"):
        load_article().paragraph(16)


def test_every_article_paragraph_appears_once_verbatim():
    paragraphs = load_article().paragraphs
    found = quotes()
    numbers = sorted(number for _, number, _ in found)
    assert numbers == list(range(1, 16)), f"paragraph numbers quoted: {numbers}"
    for page, number, text in found:
        assert text == paragraphs[number], f"¶{number} in {page} is not verbatim"


def test_each_paragraph_is_quoted_in_the_chapter_the_article_page_links_to():
    for page, number, _ in quotes():
        assert article.CHAPTER_OF_PARAGRAPH[number] == page


def test_subheadings_are_shown_in_the_chapters_that_quote_their_paragraphs():
    for heading, number in zip(article.HEADINGS, (4, 14)):
        page = article.CHAPTER_OF_PARAGRAPH[number]
        text = BOOK_PAGES[page].read_text(encoding="utf-8")
        assert heading in text, f"sub-heading “{heading}” missing from {page}"
        assert text.index(heading) < text.index(f"**¶{number}**")


def test_known_text_defects_are_annotated_where_quoted():
    for number in article.TEXT_DEFECTS:
        page = article.CHAPTER_OF_PARAGRAPH[number]
        text = BOOK_PAGES[page].read_text(encoding="utf-8")
        assert f"Editorial note on ¶{number}" in text, f"¶{number}'s defect is not annotated in {page}"

"""Reading times in the built book: the instructor's guide shows the times computed from the word counts."""


from book.reading import chapter_reading

from ..conftest import CHAPTERS, ROOT


def test_the_instructors_guide_shows_the_computed_times(book_html):
    page = (book_html / "pages" / "instructors.html").read_text(encoding="utf-8")
    for chapter in CHAPTERS:
        words, average, slow = chapter_reading(ROOT / "chapters" / f"{chapter}.md")
        assert f"{words:,}" in page and f"about {slow} minutes" in page, chapter

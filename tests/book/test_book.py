"""The built book: metadata, the full-article page and the data page, read from _build/html."""

import html
import re

import yaml

from after_mosul import article, data

from ..conftest import CHAPTERS, ROOT


def text_of(page) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


def test_book_builds_every_chapter_and_reference_page(book_html):
    for chapter in CHAPTERS:
        assert (book_html / "chapters" / f"{chapter}.html").exists()
    for page in ("article", "data", "instructors"):
        assert (book_html / "pages" / f"{page}.html").exists()


def test_footer_gives_real_authors_and_the_configured_year(book_html):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    year = str(config["copyright"])
    assert int(year) >= 2026, "the module was first published in 2026: no older year in its footer"
    page = text_of(book_html / "intro.html")
    assert f"© Copyright {year}" in page
    assert "The course module's contributors" in page
    assert "The Jupyter Book Community" not in page


def test_full_article_page_shows_each_paragraph_once_and_links_it_to_its_chapter(book_html):
    raw = (book_html / "pages" / "article.html").read_text(encoding="utf-8")
    page = html.unescape(raw)
    for number, text in article.load_article().paragraphs.items():
        assert page.count(text) == 1, f"¶{number} should appear once, verbatim"
    for number, target in article.CHAPTER_OF_PARAGRAPH.items():
        block = raw[raw.index(f"¶{number}</strong>"):]
        link = re.search(r'href="([^"#]+)', block).group(1)
        assert link.endswith(f"{target.split('/')[-1]}.html"), f"¶{number} links to {link}"
    for heading in article.HEADINGS:
        assert heading in page


def test_quotes_in_chapters_stay_verbatim_in_the_built_pages(book_html):
    paragraphs = article.load_article().paragraphs
    for number, target in article.CHAPTER_OF_PARAGRAPH.items():
        page = html.unescape((book_html / f"{target}.html").read_text(encoding="utf-8"))
        assert paragraphs[number] in page, f"¶{number} is altered in {target}.html"


def test_data_page_lists_every_dataset_and_every_reference(book_html):
    page = text_of(book_html / "pages" / "data.html")
    for resource in data.descriptor()["resources"]:
        assert resource["title"] in page
        assert f"data/{resource['path']}" in page
    for row in data.load("sources").itertuples():
        assert row.key in page and row.url in page


def test_every_page_describes_itself_with_its_own_opening_words(book_html):
    from ..browser.harness import discover_pages

    pages = discover_pages(book_html)
    assert len(pages) >= 10
    described = {}
    for page in pages:
        raw = (book_html / page).read_text(encoding="utf-8")
        found = re.findall(r'<meta name="description" content="([^"]*)"', raw)
        assert len(found) == 1, f"{page} has {len(found)} meta descriptions"
        text = html.unescape(found[0])
        assert 40 <= len(text) <= 160, f"{page}: description of {len(text)} characters: {text!r}"
        described[page] = text
    assert len(set(described.values())) == len(pages), "two pages share a description"
    data_page = " ".join(text_of(book_html / "pages" / "data.html").split())
    assert described["pages/data.html"].rstrip("…") in data_page, "the data page's description is not its own text"

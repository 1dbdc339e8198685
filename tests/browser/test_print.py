"""The PDF handouts (book/build_pdfs.py), read back as text with pypdf.

``make book`` prints them into _build/html/pdf/; when any is missing or older than
its page, this session prints them afresh into a temporary folder (about a minute).
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from after_mosul import article
from after_mosul.paths import PROJECT_ROOT
from after_mosul.quiz import QUIZ_DIR, load_quiz
from book import handouts

from . import harness

# pages a handout may take (measured: chapters 11-24, data 38, instructors 26, hub 5, claims 8, article 4,
# introduction 4, exercise sheets 3-4); any other page: OTHER_PAGES
PAGE_BUDGET = {"chapters": 28, "pages/data": 45, "pages/instructors": 28, "pages/article": 6, "intro": 6,
               "exercise": 6}
OTHER_PAGES = 15


def _budget(handout) -> int:
    if handout.kind == "exercise":
        return PAGE_BUDGET["exercise"]
    return PAGE_BUDGET.get(handout.source, PAGE_BUDGET.get(handout.source.split("/")[0], OTHER_PAGES))


def norm(text: str) -> str:
    """Text as compared: ligatures unfolded, no whitespace or soft hyphens."""
    return re.sub(r"[\s\u00ad]+", "", unicodedata.normalize("NFKC", html.unescape(text)))


def _all_handouts(book: Path):
    return handouts.handouts([p[:-5] for p in harness.discover_pages(book)])


@pytest.fixture(scope="session")
def pdf_folder(book, tmp_path_factory) -> Path:
    """The built handouts, or fresh ones when any is missing or older than its page."""
    built = book / handouts.PDF_DIR

    def fresh(h) -> bool:
        pdf = book / h.path
        source = book / f"{h.source}.html" if h.kind != "exercise" else PROJECT_ROOT / h.source
        return pdf.is_file() and pdf.stat().st_mtime >= source.stat().st_mtime

    if all(fresh(h) for h in _all_handouts(book)):
        return built
    out = tmp_path_factory.mktemp("handouts")
    result = subprocess.run([sys.executable, "-m", "book.build_pdfs", "--book", str(book), "--out", str(out)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return out


@pytest.fixture(scope="session")
def pdf_pages(pdf_folder):
    from pypdf import PdfReader

    cache: dict[str, list[str]] = {}

    def read(handout) -> list[str]:
        if handout.path not in cache:
            path = pdf_folder / Path(handout.path).name
            assert path.is_file(), f"no handout {path.name}: run `make pdf`"
            cache[handout.path] = [norm(page.extract_text() or "") for page in PdfReader(path).pages]
        return cache[handout.path]

    return read


def pytest_generate_tests(metafunc):
    book = harness.book_dir()
    found = [] if harness.missing_book(book) else _all_handouts(book)
    chapters = [h for h in found if h.kind != "exercise" and h.source.startswith("chapters/")]
    for name, chosen in (("handout", found), ("page_handout", [h for h in found if h.kind != "exercise"]),
                         ("chapter_handout", chapters)):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, chosen or [None], ids=[h.path for h in chosen] or ["book-not-built"])


def _pages_with(pages: list[str], needle: str) -> list[int]:
    return [i for i, text in enumerate(pages) if needle in text]


def test_each_handout_fits_its_page_budget(handout, pdf_pages, book):
    pages = pdf_pages(handout)
    assert 1 <= len(pages) <= _budget(handout), (
        f"{handout.path} has {len(pages)} pages (budget {_budget(handout)})")


def test_each_handout_holds_the_article_paragraphs_it_should(handout, pdf_pages):
    if handout.kind == "exercise":
        numbers = []
    elif handout.source == "pages/article":
        numbers = list(article.CHAPTER_OF_PARAGRAPH)
    else:
        numbers = [n for n, page in article.CHAPTER_OF_PARAGRAPH.items() if page == handout.source]
    text = "".join(pdf_pages(handout))
    blocks = {b.number: b.text for b in article.load_article().blocks if b.kind != "heading"}
    missing = [n for n in numbers if norm(blocks[n]) not in text]
    assert not missing, f"{handout.path} lacks the text of article paragraph(s) {missing}"
    if handout.kind == "exercise":
        source = (PROJECT_ROOT / handout.source).read_text(encoding="utf-8")
        first_heading = re.search(r'"#+ ([^"\\]+)', source).group(1)
        assert norm(first_heading) in text, f"{handout.path} lacks its notebook's heading {first_heading!r}"


MAP_FIGURE = re.compile(r'<strong>Map: (.*?)\.</strong>.*?<ul>(.*?)</ul>', re.S)
QUESTION = re.compile(r'<legend>(.*?)</legend>(.*?)<p class="quiz-status"', re.S)
LABEL = re.compile(r"<label[^>]*>(.*?)</label>", re.S)
MAP_START = norm("Map data:")  # the first words in a map's frame (its key), printed with it


def _strip(fragment: str) -> str:
    return norm(re.sub(r"<[^>]+>", "", fragment))


def test_no_map_or_question_is_split_across_pages(page_handout, pdf_pages, book):
    handout = page_handout
    pages = pdf_pages(handout)
    page_html = (book / f"{handout.source}.html").read_text(encoding="utf-8")
    split = []
    for title, items in MAP_FIGURE.findall(page_html):
        # the map's frame (its key prints first) and its caption share a page; a long text
        # description may go on to the next page, but none of its items is split
        caption = norm(f"Map: {title}.")
        where = _pages_with(pages, caption)
        if len(where) != 1:
            split.append(f"map {title!r}: its caption is on pages {where}")
            continue
        text = pages[where[0]]
        before = text[: text.index(caption)]
        captions_before = len(re.findall(re.escape(norm("Map: ")), before))
        if before.count(MAP_START) <= captions_before:
            split.append(f"map {title!r}: the map and its caption (page {where[0] + 1}) are on different pages")
        for item in (_strip(i) for i in re.findall(r"<li>(.*?)</li>", items, re.S)):
            if not _pages_with(pages, item):
                split.append(f"map {title!r}: its description item {item[:40]!r} is split across pages")
    for legend, options in QUESTION.findall(page_html):
        prompt, answers = _strip(legend)[:60], [_strip(o)[:60] for o in LABEL.findall(options)]
        where = _pages_with(pages, prompt)
        if len(where) != 1 or any(a not in pages[where[0]] for a in answers):
            split.append(f"question {prompt[:40]!r} is not whole on one page (prompt on pages {where})")
    assert not split, f"{handout.path}:\n  " + "\n  ".join(split)


def test_quiz_keys_are_only_in_the_instructors_edition(handout, pdf_pages):
    text = "".join(pdf_pages(handout))
    quizzes = [load_quiz(p.stem) for p in sorted(QUIZ_DIR.glob("*.yml"))]
    explanations = [norm(q.explanation)[:80] for quiz in quizzes for q in quiz.questions]
    present = [e for e in explanations if e in text]
    if handout.kind == "instructors":
        assert len(present) == len(explanations), f"{handout.path} lacks quiz explanations"
        pages = pdf_pages(handout)
        for quiz in (load_quiz(p.stem) for p in sorted(QUIZ_DIR.glob("*.yml"))):
            for q in quiz.questions:
                prompt, why = norm(q.prompt)[:60], norm(q.explanation)[-60:]
                assert any(prompt in t and why in t for t in pages), (
                    f"{handout.path}: the key to {q.prompt[:40]!r} is split across pages")
    else:
        assert not present, f"{handout.path} (a student handout) prints quiz answers: {present[:2]}"
        assert norm("choose an answer to see feedback") not in text, f"{handout.path} prints the on-screen quiz hint"


SOLUTION_TEXT = re.compile(r'<details class="course-solution">\s*<summary>[^<]*</summary>(.*?)</details>', re.S)
DEAD_CONTROLS = ["Show what the result means", "shows its solution when you open it", "Show the solution"]


def _prose(markdown: str) -> str:
    """Markdown as its printed words: links to their text, no emphasis or code marks."""
    markdown = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return _strip(re.sub(r"[*_`]", "", markdown))


def test_chapter_handouts_print_no_dead_control_and_what_each_result_means(chapter_handout, pdf_pages):
    """On paper "▶ Show what the result means" led nowhere (issue 23, fault 9): the text prints under a label."""
    page_handout = chapter_handout
    text = "".join(pdf_pages(page_handout))
    printed = [words for words in DEAD_CONTROLS if norm(words) in text]
    assert not printed, f"{page_handout.path} prints controls that do nothing on paper: {printed}"
    source = (PROJECT_ROOT / f"{page_handout.source}.md").read_text(encoding="utf-8")
    meanings = [_prose(m) for m in SOLUTION_TEXT.findall(source)]
    assert meanings, f"{page_handout.source}.md has no folded result"
    assert text.count(norm("What the result means")) >= len(meanings)
    missing = [m[:60] for m in meanings if m[:80] not in text]
    assert not missing, f"{page_handout.path} lacks what these results mean: {missing}"

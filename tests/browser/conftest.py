"""Browser tests over the built book: fixtures and parametrisation.

The book (``$BOOK_HTML`` or ``_build/html``) is served on a free localhost port
by a session fixture, and Debian's Chromium (``/usr/bin/chromium``) is driven
by Playwright, one browser for the whole session and a fresh context per page.
Every request to another host is recorded and blocked, except map tiles (see
harness.py). Pages, maps and quizzes are discovered from the build, so new
pages are covered without editing the tests.

A missing build or browser makes the tests fail with a message saying what to
run -- never skip.
"""

from __future__ import annotations

import pytest

from . import harness

BOOK = harness.book_dir()
_MISSING = harness.missing_book(BOOK)


def _pages() -> list[str]:
    return [] if _MISSING else harness.discover_pages(BOOK)


def _params(values, ids, nothing_found: str):
    """Parameters for discovered items; one failing placeholder when there are none.

    (An empty parameter set would make pytest skip the test; a missing build
    or a book without maps must fail instead.)
    """
    if _MISSING:
        return [pytest.param(None, id="book-not-built")]
    if not values:
        return [pytest.param(None, id=nothing_found)]
    return [pytest.param(v, id=i) for v, i in zip(values, ids)]


def pytest_generate_tests(metafunc):
    pages = _pages()
    if "page_path" in metafunc.fixturenames:
        metafunc.parametrize("page_path", _params(pages, pages, "no-pages-found"))
    if "chapter_path" in metafunc.fixturenames:
        chapters = [p for p in pages if p.startswith("chapters/")]
        metafunc.parametrize("chapter_path", _params(chapters, chapters, "no-chapters-found"))
    if "map_ref" in metafunc.fixturenames:
        maps = [(p, m) for p in pages for m in harness.map_outputs(BOOK, p)]
        metafunc.parametrize("map_ref", _params(maps, [f"{p}#{m}" for p, m in maps], "no-maps-found"))
    if "quiz_ref" in metafunc.fixturenames:
        quizzes = [(p, q) for p in pages for q in harness.quiz_ids(BOOK, p)]
        metafunc.parametrize("quiz_ref", _params(quizzes, [f"{p}#{q}" for p, q in quizzes], "no-quizzes-found"))


@pytest.fixture(scope="session")
def book():
    """The built book's folder; fails (not skips) when it has not been built."""
    if _MISSING:
        pytest.fail(_MISSING, pytrace=False)
    return BOOK


@pytest.fixture(autouse=True)
def _found(request):
    """Fail the placeholder parameters with a message saying what is missing."""
    for name in ("page_path", "chapter_path", "map_ref", "quiz_ref"):
        if name in request.fixturenames and request.getfixturevalue(name) is None:
            request.getfixturevalue("book")  # fails first when the book is not built
            what = {"page_path": "pages", "chapter_path": "chapter pages", "map_ref": "maps (figure.course-map)",
                    "quiz_ref": "quizzes (form.course-quiz)"}[name]
            pytest.fail(f"The built book at {BOOK} has no {what}: every chapter should have them "
                        f"(CONTRIBUTING.md); rebuild with `make book`.", pytrace=False)


@pytest.fixture(scope="session")
def server(book):
    with harness.BookServer(book) as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not harness.CHROMIUM.exists():
        pytest.fail(f"No Chromium at {harness.CHROMIUM}: run `make test` (it installs Debian's chromium) "
                    "or `apt-get install chromium`; the tests never download a browser.", pytrace=False)
    if not harness.AXE.exists():
        pytest.fail(f"No axe-core at {harness.AXE}: run `make setup` (npm ci).", pytrace=False)
    with sync_playwright() as playwright:
        chromium = harness.launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def visits(browser, server):
    """Each page is opened once per session; the tests read what was recorded.

    Loading a page and running axe on it is the slow part, and the checks on
    requests, console errors, accessibility and maps all look at one load.
    """
    done: dict[str, harness.Visit] = {}

    def get(page_path: str) -> harness.Visit:
        if page_path not in done:
            done[page_path] = harness.visit(browser, server, page_path)
        return done[page_path]

    return get


@pytest.fixture
def open_page(browser, server):
    """A fresh page (own context) for tests that interact with it."""
    contexts = []

    def opener(page_path: str):
        context, page, recorder = harness.open_page(browser, server, page_path)
        contexts.append(context)
        return page, recorder

    yield opener
    for context in contexts:
        context.close()

"""Chapter exercises keep their solutions folded until the reader opens them, by mouse or keyboard,
and every chapter links its practice notebook (student version) at the top and at the exercises."""

from __future__ import annotations

from playwright.sync_api import expect

EXERCISES = 'section[id^="exercise-"]'
TOGGLES = f"{EXERCISES} details"
MAX_TABS = 15


def _toggles(page, chapter_path):
    sections = page.locator(EXERCISES)
    assert sections.count() >= 2, f"{chapter_path}: fewer than two exercise sections found"
    toggles = page.locator(TOGGLES).all()
    assert toggles, f"{chapter_path}: the exercises have no toggles"
    return toggles


def _content(toggle):
    """What the toggle hides: a code cell's source and output, or the interpretation."""
    return toggle.locator(":scope > :not(summary)").first


def test_exercise_solutions_are_hidden_until_opened_with_the_mouse(chapter_path, open_page):
    page, _ = open_page(chapter_path)
    for section in page.locator(EXERCISES).all():
        for cell in section.locator("div.cell").all():
            expect(cell.locator("pre").first, f"{chapter_path}: an exercise's code shows unopened").to_be_hidden()
    for i, toggle in enumerate(_toggles(page, chapter_path)):
        where = f"{chapter_path}, toggle {i + 1}"
        assert toggle.get_attribute("open") is None, f"{where}: open before the reader asked"
        expect(_content(toggle), f"{where}: the solution shows unopened").to_be_hidden()
        toggle.locator("summary").click()
        expect(_content(toggle), f"{where}: a click does not show the solution").to_be_visible(timeout=2000)
        toggle.locator("summary").click()
        expect(_content(toggle), f"{where}: a second click does not hide it again").to_be_hidden(timeout=2000)


def test_exercise_solutions_open_from_the_keyboard_alone(chapter_path, open_page):
    page, _ = open_page(chapter_path)
    for i, toggle in enumerate(_toggles(page, chapter_path)):
        where = f"{chapter_path}, toggle {i + 1}"
        summary = toggle.locator("summary")
        # the reader has read the task: focus sits on the paragraph before the toggle
        summary.evaluate("""s => {
            const box = s.closest('div.cell') || s.parentElement;
            const before = box.previousElementSibling || box.parentElement;
            before.tabIndex = -1; before.focus();
        }""")
        for _ in range(MAX_TABS):
            page.keyboard.press("Tab")
            if summary.evaluate("s => document.activeElement === s"):
                break
        expect(summary, f"{where}: Tab does not reach the toggle").to_be_focused(timeout=1000)
        page.keyboard.press("Enter")
        expect(_content(toggle), f"{where}: Enter does not show the solution").to_be_visible(timeout=2000)
        page.keyboard.press("Space")
        expect(_content(toggle), f"{where}: Space does not hide it again").to_be_hidden(timeout=2000)


def test_each_chapter_links_its_practice_notebook_at_the_top_and_at_the_exercises(chapter_path, open_page, server):
    page, _ = open_page(chapter_path)
    name = chapter_path.rsplit("/", 1)[-1].removesuffix(".html")
    links = page.locator(f'article a[href$="/{name}.ipynb"]')
    assert links.count() >= 2, f"{chapter_path}: the practice notebook is linked {links.count()} time(s)"
    first_exercise = page.locator(EXERCISES).first
    positions = [link.evaluate("(a, s) => a.compareDocumentPosition(s) & 4 ? 'before' : 'after'",
                               first_exercise.element_handle()) for link in links.all()]
    assert positions[0] == "before" and len(positions) >= 2, f"{chapter_path}: no link above the exercises"
    for link in links.all():
        target = server.file_of(link.evaluate("a => a.href"))
        href = link.get_attribute("href")
        assert target is not None and target.stat().st_size > 0, f"{chapter_path}: {href} is missing"
        assert "exercises/solutions" not in str(target) and "BEGIN SOLUTION" not in target.read_text(encoding="utf-8")

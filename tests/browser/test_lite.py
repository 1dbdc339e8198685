"""The browser site (book/lite.py) from a student's seat: Python in the tab, nothing from the network.

The built book is served on 127.0.0.1 and opened in Debian's Chromium with every request to another
host blocked (map tiles answered with a blank tile, as everywhere in tests/browser/). A chapter page's
"Run in your browser" links are followed; the notebook they open runs every cell in Pyodide (pandas
2.2.3 there, where the book pins 3.1), and must show no error, a drawn map, a quiz that answers and a
check that says Correct for a correct answer. Every student exercise notebook, with its reference
solutions put in, must get Correct from every check in Pyodide too (tests/test_exercises.py does the
same in CPython at the pins).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from after_mosul.quiz import load_quiz

from ..conftest import ROOT
from . import harness
from .test_lab import ALL_RAN, KERNEL_IDLE

SET_SOURCES = """(sources) => {
  const cells = window.jupyterapp.shell.currentWidget.content.widgets;
  for (const [index, source] of Object.entries(sources)) cells[Number(index)].model.sharedModel.setSource(source);
  return cells.length;
}"""
OUTPUTS = """() => window.jupyterapp.shell.currentWidget.content.widgets.map(cell => ({
  type: cell.model.type,
  source: cell.model.sharedModel.getSource(),
  text: [...cell.node.querySelectorAll('.jp-OutputArea-output')].map(output => output.innerText).join('\\n'),
}))"""
ERRORS = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"


def headline(text: str) -> str:
    """A check's verdict from its output's text: "✓ Correct — …" -> "Correct"."""
    found = re.match(r"\W*(Correct|Not quite|Not answered yet)\b", text)
    return found.group(1) if found else text[:200]


@pytest.fixture(scope="module")
def site(book):
    assert (book / "lite" / "notebooks" / "index.html").is_file(), "no browser site in the book: run `make book`"
    return book / "lite"


def code_cells(path):
    """{index in the notebook: source} of a notebook's code cells."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return {i: "".join(c["source"]) for i, c in enumerate(cells) if c["cell_type"] == "code"}


def run_all(page, sources=None):
    """Wait for the Pyodide kernel, put ``sources`` in their cells, run every cell; returns the cells' outputs."""
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    page.wait_for_function(KERNEL_IDLE, timeout=300_000)  # Pyodide, pandas and the kit load in the tab
    if sources:
        page.evaluate(SET_SOURCES, {str(k): v for k, v in sources.items()})
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); return true; }")
    page.wait_for_function(ALL_RAN, timeout=400_000)
    page.wait_for_timeout(1500)  # outputs and widgets attach
    return page.evaluate(OUTPUTS)


def follow_run_link(browser, server, chapter, which):
    """Open a chapter page and follow its "Run in your browser" link ``which`` (0: chapter, 1: exercises)."""
    context, page, recorder = harness.open_page(browser, server, f"chapters/{chapter}.html",
                                                viewport={"width": 1280, "height": 900})
    link = page.locator(".run-yourself a.run-in-browser").nth(which)
    with page.expect_navigation():
        link.click()
    return context, page, recorder


def maps_drawn(page):
    states = harness.output_map_states(page, timeout_ms=20_000)
    assert states, "no map output after running the notebook"
    for state in states:
        assert state["leaflet"], f"Leaflet did not load in the map: {state}"
        assert state["paths"] > 0, f"no outlines drawn: {state}"
    return states


def console_url(error: str) -> str:
    """The URL a recorded console error names at its end ("text (url)"), or ""."""
    found = re.search(r"\((https?://[^)]+)\)$", error)
    return found.group(1) if found else ""


def assert_offline_and_quiet(recorder):
    assert not recorder.third_party, f"requests to other hosts: {recorder.third_party[:5]}"
    # A map's tiles requested from its sandboxed srcdoc frame can escape the context's route and fail as
    # offline (the host resolver refuses them): the map is drawn without them, as in a classroom offline.
    errors = [e for e in recorder.console_errors if not harness.is_tile(urlsplit(console_url(e)).hostname or "")]
    assert not errors, f"console errors: {errors[:5]}"


def test_chapter_2_runs_in_the_browser_offline_with_its_map_and_a_quiz_that_answers(browser, server, site):
    context, page, recorder = follow_run_link(browser, server, "02_mosul", 0)
    try:
        assert "lite/notebooks/index.html?path=chapters/02_mosul.ipynb" in page.url
        cells = run_all(page)
        assert not page.locator(ERRORS).count(), page.locator(ERRORS).first.inner_text()[:500]
        assert sum(1 for c in cells if c["type"] == "code") == len(code_cells(ROOT / "chapters" / "02_mosul.ipynb"))
        maps_drawn(page)
        quiz = load_quiz("02_mosul")
        form = page.locator(".jp-OutputArea .course-quiz-widget").first
        form.scroll_into_view_if_needed()
        question = quiz.questions[-1]
        box = form.locator(".widget-radio-box").nth(len(quiz.questions) - 1)
        box.locator("label", has_text=question.options[question.answer]).click()
        form.locator(".widget-html", has_text="Correct.").wait_for(timeout=15_000)
    finally:
        context.close()
    assert_offline_and_quiet(recorder)


def test_exercise_3_runs_in_the_browser_offline_and_a_correct_answer_gets_correct(browser, server, site):
    student = code_cells(ROOT / "exercises" / "student" / "03_finances.ipynb")
    solutions = code_cells(ROOT / "exercises" / "solutions" / "03_finances.ipynb")
    (answer,) = [i for i, source in student.items() if source.startswith("ranking = None")]
    context, page, recorder = follow_run_link(browser, server, "03_finances", 1)
    try:
        assert "lite/notebooks/index.html?path=exercises/student/03_finances.ipynb" in page.url
        cells = run_all(page, {answer: solutions[answer]})
        assert not page.locator(ERRORS).count(), page.locator(ERRORS).first.inner_text()[:500]
        checks = [c["text"] for c in cells if c["source"].startswith("check(")]
        assert len(checks) == 3
        assert [headline(text) for text in checks] == ["Correct", "Not answered yet", "Not answered yet"], checks
        maps_drawn(page)
    finally:
        context.close()
    assert_offline_and_quiet(recorder)


EXERCISES = sorted(p.stem for p in (ROOT / "exercises" / "student").glob("*.ipynb"))


@pytest.mark.parametrize("exercise", EXERCISES)
def test_every_check_says_correct_for_the_reference_solutions_in_pyodide(browser, server, site, exercise):
    student = code_cells(ROOT / "exercises" / "student" / f"{exercise}.ipynb")
    solutions = code_cells(ROOT / "exercises" / "solutions" / f"{exercise}.ipynb")
    assert student.keys() == solutions.keys(), "the student and solution notebooks no longer match cell for cell"
    context, page, recorder = harness.open_page(browser, server, f"lite/notebooks/index.html?path=exercises/student/"
                                                f"{exercise}.ipynb", viewport={"width": 1280, "height": 900})
    try:
        cells = run_all(page, {i: s for i, s in solutions.items() if s != student[i]})
        assert not page.locator(ERRORS).count(), page.locator(ERRORS).first.inner_text()[:500]
        checks = [c["text"] for c in cells if c["source"].startswith("check(")]
        assert checks, "no check ran"
        wrong = [text[:300] for text in checks if headline(text) != "Correct"]
        assert not wrong, f"{len(wrong)} of {len(checks)} checks did not say Correct in Pyodide: {wrong}"
    finally:
        context.close()
    assert_offline_and_quiet(recorder)

"""The notebooks in the project's own JupyterLab, offline, as an instructor runs them in class.

JupyterLab (this environment's, with jupytext and the widget manager) serves a
copy of the notebooks on 127.0.0.1. Debian's Chromium opens it at 1280 px with
every request to another host blocked (the session's browser, tests/browser/conftest.py)
(map tiles answered with a blank tile, as in tests/browser/, so a missing tile is not an
error). A chapter and an exercise notebook are run from top to bottom; then each map must be drawn (markers and
outlines), the quiz must answer, long quiz options must not overlap, money must
not be typeset as maths, and the console must hold no error.
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlsplit

import pytest

from after_mosul.quiz import load_quiz

from ..conftest import ROOT
from ..integration.test_jupyter_files import TOKEN, JupyterServer
from . import harness

CHAPTER, EXERCISE = "04_desert", "02_mosul"  # the chapter whose long quiz options overlapped; an exercise with a map


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    project = tmp_path_factory.mktemp("lab") / "project"
    project.mkdir()
    for name in ("chapters", "exercises", "pyproject.toml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / name)
    settings = project.parent / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # every cell attached to the page, so the test can look at each output (Lab's default defers offscreen ones)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}', encoding="utf-8")
    server = JupyterServer(project, app="jupyterlab", extra=[
        "--LabApp.expose_app_in_browser=True", f"--LabApp.user_settings_dir={settings.parent.parent}",
        f"--LabApp.workspaces_dir={project.parent / 'workspaces'}"])
    yield server
    server.stop()


class Offline:
    """Blocks and records every request to a host other than 127.0.0.1; records console errors."""

    def __init__(self):
        self.blocked, self.tiles, self.errors = [], [], []

    def route(self, route):
        host = urlsplit(route.request.url).hostname or ""
        if host in harness.LOCAL_HOSTS:
            route.continue_()
        elif harness.is_tile(host):
            self.tiles.append(route.request.url)
            route.fulfill(status=200, content_type="image/png", body=harness.TRANSPARENT_PNG)
        else:
            self.blocked.append(route.request.url)
            route.abort("blockedbyclient")

    def console(self, message):
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if harness.is_tile(urlsplit(url).hostname or ""):
            # Requests from a sandboxed srcdoc frame can escape the context's route, so a tile
            # fails as it does in an offline classroom; the map is drawn without it (basemap).
            self.tiles.append(url)
        else:
            self.errors.append(f"{message.text} ({url})" if url else message.text)


KERNEL_IDLE = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle';
}"""

ALL_RAN = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const code = panel.content.widgets.filter(cell => cell.model.type === 'code');
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return code.length > 0 && code.every(cell => cell.model.executionCount !== null)
    && !!kernel && kernel.status === 'idle';
}"""


def offline_page(browser):
    """A new context and page that reach loopback only, recording what they asked for and said."""
    offline = Offline()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", offline.route)
    page = context.new_page()
    page.on("console", offline.console)
    page.on("pageerror", lambda error: offline.errors.append(f"uncaught: {error}"))
    return context, page, offline


def run_notebook(browser, lab, path):
    context, page, offline = offline_page(browser)
    page.goto(f"{lab.base}/lab/tree/{path}?reset&token={TOKEN}")  # a fresh workspace: this notebook only
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_function(KERNEL_IDLE, timeout=180_000)  # the kernel starts with the notebook
    # what an instructor does before class: clear the stored outputs, then run every cell
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); return true; }")
    page.wait_for_function(ALL_RAN, timeout=240_000)
    page.wait_for_timeout(1500)  # outputs and widgets attach
    return context, page, offline


def assert_maps_drawn(page, path):
    states = harness.output_map_states(page)
    assert states, f"{path}: no map output after running the notebook"
    for state in states:
        assert state["leaflet"], f"{path}: Leaflet did not load in the map: {state}"
        assert state["declared_markers"] > 0 and state["marker_icons"] == state["declared_markers"], state
        assert state["paths"] > 0, f"{path}: no outlines drawn: {state}"


OPTION_BOXES = """(form) => [...form.querySelectorAll('.widget-radio-box')].map(box =>
  [...box.querySelectorAll('label')].map(l => {
    const r = l.getBoundingClientRect();
    return {text: l.textContent.trim(), top: r.top, bottom: r.bottom, left: r.left, right: r.right,
            overflow: l.scrollWidth > l.clientWidth + 1 || l.scrollHeight > l.clientHeight + 1};
  }))"""


def test_a_chapter_runs_in_lab_offline_with_maps_drawn_and_a_quiz_that_answers(browser, lab):
    path = f"chapters/{CHAPTER}.ipynb"
    context, page, offline = run_notebook(browser, lab, path)
    try:
        assert not page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
        assert_maps_drawn(page, path)

        form = page.locator(".jp-OutputArea .course-quiz-widget").first
        form.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        area = page.locator(".jp-NotebookPanel").first.bounding_box()
        quiz = load_quiz(CHAPTER)
        for qi, labels in enumerate(form.evaluate(OPTION_BOXES), start=1):
            assert [label["text"] for label in labels] == list(quiz.questions[qi - 1].options), f"question {qi}"
            for above, below in zip(labels, labels[1:]):
                assert above["bottom"] <= below["top"] + 0.5, f"question {qi}: options overlap: {above} / {below}"
            for label in labels:
                assert not label["overflow"], f"question {qi}: option cut off: {label['text'][:60]}"
                assert label["right"] <= area["x"] + area["width"], f"question {qi}: option out of view: {label}"

        question = quiz.questions[-1]
        box = form.locator(".widget-radio-box").nth(len(quiz.questions) - 1)
        box.locator("label", has_text=question.options[question.answer]).click()
        feedback = form.locator(".widget-html", has_text="Correct.")
        feedback.wait_for(timeout=10_000)

        text = " ".join(page.locator(".jp-MarkdownCell .jp-RenderedMarkdown").all_inner_texts())
        assert "$300 million" in text, "the amounts of money are not shown as written"
        maths = page.locator(".jp-MarkdownCell mjx-container, .jp-MarkdownCell .MathJax")
        typeset = [m.evaluate("e => e.parentElement.textContent") for m in maths.all()][:3]
        assert not maths.count(), f"maths in prose: {typeset}"
        assert not re.search(r"\{(doc|ref)\}|:class:", text), "raw MyST in the rendered notebook"
    finally:
        context.close()
    assert not offline.blocked, f"requests to other hosts: {offline.blocked[:5]}"
    assert not offline.errors, f"console errors: {offline.errors[:5]}"


def test_an_exercise_notebook_runs_in_lab_offline_with_its_map_drawn(browser, lab):
    path = f"exercises/student/{EXERCISE}.ipynb"
    context, page, offline = run_notebook(browser, lab, path)
    try:
        assert not page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
        assert page.locator(".jp-OutputArea", has_text="Not answered yet").count() > 0
        assert_maps_drawn(page, path)
    finally:
        context.close()
    assert not offline.blocked, f"requests to other hosts: {offline.blocked[:5]}"
    assert not offline.errors, f"console errors: {offline.errors[:5]}"

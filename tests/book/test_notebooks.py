"""Chapter notebooks: MyST twins in sync, outputs stored, and nbval strict enough to notice changes (on a fixture)."""

import copy
import json
import subprocess
import sys
from xml.etree import ElementTree

import nbformat
import pytest
import yaml

from book import notebooks

from ..conftest import CHAPTERS, ROOT


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_markdown_source_and_stored_notebook_are_in_sync(chapter):
    """The stored notebook is what `make refresh` writes from the .md, outputs aside (nbval checks those)."""
    fresh = notebooks.chapter_notebook(ROOT / "chapters" / f"{chapter}.md")
    stored = notebooks.read(ROOT / "chapters" / f"{chapter}.ipynb")
    assert set(stored.metadata) - set(fresh.metadata) <= {"widgets"}
    stored.metadata = fresh.metadata
    assert notebooks.dumps(notebooks.without_outputs(stored)) == notebooks.dumps(fresh), (
        f"chapters/{chapter}.ipynb is out of date: run `make refresh` after editing chapters/{chapter}.md"
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_notebook_stores_a_rendered_map_and_a_quiz(chapter):
    stored = nbformat.read(ROOT / "chapters" / f"{chapter}.ipynb", as_version=4)
    html = [o.get("data", {}).get("text/html", "") for c in stored.cells if c.cell_type == "code" for o in c.outputs]
    maps = [h for h in html if '<figure class="course-map"' in h]
    assert maps and all("<iframe title=\"Map: " in h and "Text description of the map" in h for h in maps)
    assert any('<form class="course-quiz"' in h for h in html)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_stored_notebooks_hold_no_errors_and_every_code_cell_ran(chapter):
    stored = nbformat.read(ROOT / "chapters" / f"{chapter}.ipynb", as_version=4)
    code = [c for c in stored.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "run `make refresh` to store outputs"
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not [o for c in code for o in c.outputs if o.get("name") == "stderr"]


def test_table_of_contents_has_the_five_chapters_in_order():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    assert files[:5] == [f"chapters/{c}" for c in CHAPTERS]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_book_is_built_from_the_stored_notebook_not_its_twin(book_html, chapter):
    sources = book_html / "_sources" / "chapters"
    assert (sources / f"{chapter}.ipynb").is_file()
    assert not (sources / f"{chapter}.md").exists()


def run_pytest(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


FIXTURE = ROOT / "tests" / "fixtures" / "nbval_fixture.ipynb"

# Copies of the fixture with one stored output changed: (what changes, old text, new text).
CHANGED_OUTPUTS = {
    "html_changed": ("text/html", "Text description", "Text descriptions"),
    "text_changed": ("text", "printed text", "printed texts"),
}


def _with_changed_output(notebook: dict, mime: str, old: str, new: str) -> dict:
    """``notebook`` with ``old`` replaced by ``new`` in exactly one stored output of type ``mime``."""
    notebook = copy.deepcopy(notebook)
    changed = 0
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            holder = output["data"] if mime in output.get("data", {}) else output
            if mime in holder and old in "".join(holder[mime]):
                holder[mime] = "".join(holder[mime]).replace(old, new)
                changed += 1
    assert changed == 1, f"{old!r} is in {changed} {mime} outputs of {FIXTURE.name}, not 1"
    return notebook


@pytest.fixture(scope="module")
def nbval_results(tmp_path_factory) -> dict[str, list[tuple[str, str]]]:
    """One ``pytest --nbval`` run over the fixture as stored and each CHANGED_OUTPUTS copy (one kernel each).

    Per copy: its cells' (outcome, message) from pytest's JUnit report, outcome "passed" or "failed".
    """
    folder = tmp_path_factory.mktemp("nbval")
    stored = json.loads(FIXTURE.read_text(encoding="utf-8"))
    copies = {"as_stored": stored, **{name: _with_changed_output(stored, *change)
                                      for name, change in CHANGED_OUTPUTS.items()}}
    for name, notebook in copies.items():
        (folder / f"{name}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    result = run_pytest("--nbval", "--nbval-current-env", "--junitxml=report.xml", *(f"{n}.ipynb" for n in copies),
                        cwd=folder)
    assert result.returncode in (0, 1), result.stdout[-2000:] + result.stderr[-2000:]
    results: dict[str, list[tuple[str, str]]] = {name: [] for name in copies}
    for case in ElementTree.parse(folder / "report.xml").iter("testcase"):
        failure = case.find("failure")
        name = case.get("classname").split(".")[0]
        results[name].append(("passed", "") if failure is None else ("failed", failure.get("message", "")
                                                                          + (failure.text or "")))
    return results


def test_nbval_passes_the_fixture_notebook_as_stored(nbval_results):
    assert [outcome for outcome, _ in nbval_results["as_stored"]] == ["passed", "passed"], nbval_results["as_stored"]


@pytest.mark.parametrize("copy_name", CHANGED_OUTPUTS)
def test_nbval_fails_when_a_stored_output_changes(nbval_results, copy_name):
    """nbval proves the stored outputs (the ones the book shows) are current, so one change must fail it."""
    outcomes = nbval_results[copy_name]
    assert sorted(outcome for outcome, _ in outcomes) == ["failed", "passed"], outcomes
    message = next(message for outcome, message in outcomes if outcome == "failed")
    assert "Cell outputs differ" in message, message[-2000:]
    if CHANGED_OUTPUTS[copy_name][0] == "text/html":
        assert "mismatch 'text/html'" in message, message[-2000:]


def test_pytest_never_collects_the_executed_copies_under_build():
    result = run_pytest("-p", "no:xdist", "--collect-only", "-q")  # the whole suite, as pdb users run it
    assert result.returncode == 0, result.stdout[-2000:]
    assert "_build/" not in result.stdout
    assert "tests/fixtures/" not in result.stdout  # run only on copies, by the tests above
    assert "chapters/02_mosul.ipynb" in result.stdout


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_has_the_lesson_shape(chapter):
    text = (ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    order = ["Learning objectives", "> **¶", "## What happened next", "## Discussion questions", "## References"]
    positions = [text.find(marker) for marker in order]
    assert all(p >= 0 for p in positions), dict(zip(order, positions))
    assert positions == sorted(positions), "sections out of order"
    assert text.count("course.load(") >= 1 and text.count("### Exercise") >= 2


def test_executing_and_writing_a_notebook_gives_byte_identical_files():
    """No timestamps, kernel versions or random ids: a re-run stores exactly the same file."""
    stored = FIXTURE.read_text(encoding="utf-8")
    cleared = notebooks.without_outputs(notebooks.read(FIXTURE))
    assert notebooks.dumps(cleared) != stored
    assert notebooks.dumps(notebooks.execute(cleared, FIXTURE.parent)) == stored


def test_the_execution_counter_matches_each_kernel_to_the_notebook_it_ran(tmp_path, monkeypatch):
    """scripts/benchmark.py counts notebook executions this way: one kernel, one execution."""
    for name, value in notebooks.counting_environment(tmp_path).items():
        monkeypatch.setenv(name, value)
    notebooks.execute(notebooks.read(FIXTURE), FIXTURE.parent)
    stored = notebooks.stored_notebooks()
    counts = notebooks.count_executions(tmp_path, stored)
    assert counts["tests/fixtures/nbval_fixture.ipynb"] == 1
    assert sum(counts.values()) == 1
    # the kernel ran in the project (in the fixture's folder), not in a copy elsewhere
    assert sum(notebooks.count_executions(tmp_path, stored, inside=ROOT).values()) == 1
    assert sum(notebooks.count_executions(tmp_path, stored, inside=tmp_path).values()) == 0
    chapter = ROOT / "chapters" / "01_rise.ipynb"
    hashes = notebooks._cell_hashes(notebooks.read(chapter))
    (tmp_path / "kernels" / "kernel-1.log").write_text("\n".join([f"cwd={tmp_path / 'copy'}", *hashes]))
    (tmp_path / "kernels" / "kernel-2.log").write_text(hashes[0])
    counts = notebooks.count_executions(tmp_path, stored)
    assert counts["chapters/01_rise.ipynb"] == 1 and counts["(other)"] == 1
    assert notebooks.count_executions(tmp_path, stored, inside=ROOT)["chapters/01_rise.ipynb"] == 0
    assert notebooks.count_executions(tmp_path, stored, inside=tmp_path)["chapters/01_rise.ipynb"] == 1


SOURCES = [f"{folder}/{c}.md" for folder in ("chapters", "exercises/source") for c in CHAPTERS]


@pytest.mark.parametrize("source", SOURCES)
def test_every_notebook_shows_students_short_errors_from_its_set_up_cell(source):
    """Short messages instead of tracebacks are opt-in (after_mosul.errors): each student notebook opts in."""
    code = [c.source for c in notebooks.read_markdown(ROOT / source) if c.cell_type == "code"]
    set_up = next(c for c in code if "import after_mosul as course" in c)
    assert "course.student_mode()" in set_up

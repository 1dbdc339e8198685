"""The exercise notebooks: one source, two generated versions, no leaked solutions.

* the committed student and solution notebooks are what the build script makes
  from ``exercises/source`` (student files byte for byte; solution cells without
  their outputs, which ``pytest --nbval exercises/solutions`` compares strictly);
* the student version holds none of the solution code and no model answer;
* every student notebook runs top to bottom without an error and each check in
  it says "Not answered yet";
* every check in the stored solution notebooks says "Correct".
"""

import re

import nbformat
import pytest

from after_mosul import exercises
from book import exercise_versions as build
from book import notebooks

from ..conftest import CHAPTERS as NAMES
from ..conftest import ROOT

CHECK_CALL = re.compile(r'^check\("(?P<task>[a-z0-9_]+)", (?P<var>[a-z_][a-z0-9_]*)\)$')


def notebook(kind: str, name: str) -> nbformat.NotebookNode:
    return notebooks.read(ROOT / "exercises" / kind / f"{name}.ipynb")


def check_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and CHECK_CALL.match(c.source.strip())]


def text_of(cell) -> str:
    return "".join(o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", []))


def test_there_is_one_exercise_per_chapter():
    assert [p.stem for p in sorted((ROOT / "exercises" / "source").glob("*.md"))] == NAMES
    chapters = sorted(p.stem for p in (ROOT / "chapters").glob("0*.md"))
    assert chapters == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_generated_notebooks_are_up_to_date(name):
    """Running book/build_exercises.py would not change the committed files."""
    stale = build.out_of_date(build.SOURCE_DIR / f"{name}.md")
    assert not stale, f"Out of date: {stale}. Run: python -m book.build_exercises {name}"


@pytest.mark.parametrize("name", NAMES)
def test_student_version_contains_no_solution_code(name):
    _, _, hidden = build.make_versions(build.SOURCE_DIR / f"{name}.md")
    assert hidden, "the exercise has no solution blocks"
    student = notebook("student", name)
    assert build.leaked_lines(student, hidden) == []
    text = "\n".join(c.source for c in student.cells)
    assert build.BEGIN not in text and build.END not in text
    assert "Model answer" not in text
    assert not any(build.SOLUTION_TAG in c.metadata.get("tags", []) for c in student.cells)
    assert all(c.get("outputs", []) == [] for c in student.cells if c.cell_type == "code")


@pytest.mark.parametrize("name", NAMES)
def test_every_open_task_has_a_model_answer_and_an_answer_cell(name):
    solution, student = notebook("solutions", name), notebook("student", name)
    models = [i for i, c in enumerate(solution.cells) if build.SOLUTION_TAG in c.metadata.get("tags", [])]
    answers = [i for i, c in enumerate(student.cells) if "answer" in c.metadata.get("tags", [])]
    assert len(models) >= 2, "each exercise needs at least two open tasks"
    assert models == answers
    for i in models:
        assert solution.cells[i].source.startswith("**Model answer.**")
        assert "What a good answer does" in solution.cells[i].source
        assert student.cells[i].source == build.YOUR_ANSWER


@pytest.mark.parametrize("name", NAMES)
def test_every_answer_cell_is_followed_by_its_check(name):
    student = notebook("student", name)
    for index, cell in enumerate(student.cells):
        if "# your answer here" not in cell.source:
            continue
        variable = re.search(r"^(\w+) = None  # your answer here$", cell.source, re.M).group(1)
        following = student.cells[index + 1]
        match = CHECK_CALL.match(following.source.strip())
        assert match and match.group("var") == variable, f"cell {index} is not followed by check(..., {variable})"


def test_every_task_of_the_answer_key_is_used_once():
    used = []
    for name in NAMES:
        for cell in check_cells(notebook("student", name)):
            task = CHECK_CALL.match(cell.source.strip()).group("task")
            assert exercises.TASKS[task].notebook == name
            used.append(task)
    assert sorted(used) == sorted(exercises.TASKS)


@pytest.mark.parametrize("name", NAMES)
def test_solution_notebook_checks_all_say_correct(name):
    cells = check_cells(notebook("solutions", name))
    assert len(cells) >= 3
    for cell in cells:
        assert text_of(cell).startswith("Correct — "), f"{cell.source}: {text_of(cell)}"


@pytest.mark.parametrize("name", NAMES)
def test_solution_notebook_is_clean(name):
    nb = notebook("solutions", name)
    assert nb.metadata == notebooks.METADATA
    for cell in nb.cells:
        assert "execution" not in cell.metadata
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error"


@pytest.fixture(scope="module")
def executed_students():
    """Each student notebook, run once from top to bottom."""
    runs = {}
    for name in NAMES:
        runs[name] = notebooks.execute(notebook("student", name), build.STUDENT_DIR)
    return runs


@pytest.mark.parametrize("name", NAMES)
def test_student_notebook_runs_and_every_check_says_not_answered_yet(executed_students, name):
    nb = executed_students[name]
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{cell.source}: {output.get('ename')}"
            assert output.get("name") != "stderr", output.get("text")
    cells = check_cells(nb)
    assert cells
    for cell in cells:
        assert text_of(cell).startswith("Not answered yet — "), f"{cell.source}: {text_of(cell)}"
        html = "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)
        assert "Not answered yet" in html


def test_a_solution_block_must_assign_the_answer():
    with pytest.raises(build.ExerciseError):
        build.split_solution("# BEGIN SOLUTION\nprint(1)\n# END SOLUTION", "test")
    with pytest.raises(build.ExerciseError):
        build.split_solution("# BEGIN SOLUTION\nx = 1", "test")
    student, solution, hidden = build.split_solution(
        "a = 1\n# BEGIN SOLUTION\nb = a + 1\nanswer = b * 2\n# END SOLUTION\nanswer", "test")
    assert student == "a = 1\nanswer = None  # your answer here\nanswer"
    assert solution == "a = 1\nb = a + 1\nanswer = b * 2\nanswer"
    assert hidden == ["b = a + 1", "answer = b * 2"]

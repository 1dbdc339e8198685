"""Each step that makes the student and solution versions, on a small fixture exercise (nbgrader style)."""

import nbformat
import pytest

from book import exercise_versions as versions
from book import notebooks

from ..conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "exercise_source.md"


@pytest.fixture
def cells():
    return notebooks.read_markdown(FIXTURE)


def sources(cells):
    return [c.source for c in cells]


def test_clear_solutions_leaves_a_placeholder_named_after_the_answer(cells):
    student = versions.clear_solutions(cells)
    assert student[3].source == "ordered = None  # your answer here\nordered"
    assert sources(student)[:3] == sources(cells)[:3] and sources(student)[4:] == sources(cells)[4:]


def test_keep_solutions_removes_only_the_markers(cells):
    solution = versions.keep_solutions(cells)
    assert solution[3].source == "ordered = sorted(numbers)\nordered"
    assert sources(solution)[4:] == sources(cells)[4:]


def test_model_answers_become_answer_cells_and_solution_code_goes(cells):
    student = versions.replace_model_answers(cells)
    assert len(student) == len(cells) - 1
    assert student[5].source == versions.YOUR_ANSWER
    assert student[5].metadata["tags"] == [versions.ANSWER_TAG]
    assert "largest = max(numbers)" not in sources(student)


def test_the_banner_follows_the_title(cells):
    solution = versions.add_banner(cells, "solution", "fixture")
    assert solution[0].source.startswith("# Fixture exercise")
    assert solution[1].source == versions.BANNER["solution"].format(name="fixture")
    assert sources(solution)[2:] == sources(cells)[1:]


def test_solution_lines_come_from_blocks_and_tagged_code_cells(cells):
    assert versions.solution_lines(cells) == ["ordered = sorted(numbers)", "largest = max(numbers)"]


def test_leaked_lines_finds_a_solution_line_copied_elsewhere(cells):
    notebook = notebooks.number_cells(cells + [nbformat.v4.new_code_cell("  ordered = sorted(numbers)  ")], "x")
    assert versions.leaked_lines(notebook, ["ordered = sorted(numbers)", "absent = 1"]) == [
        "ordered = sorted(numbers)"]


def test_make_versions_chains_the_steps(tmp_path):
    student, solution, hidden = versions.make_versions(FIXTURE)
    assert hidden == ["ordered = sorted(numbers)", "largest = max(numbers)"]
    assert [c.id for c in student.cells] == [f"exercise-source-{i:02d}" for i in range(len(student.cells))]
    text = "\n".join(sources(student.cells))
    assert "sorted(numbers)" not in text and "Model answer" not in text and versions.BEGIN not in text
    assert "**Model answer.** The list was short." in sources(solution.cells)
    assert solution.cells[1].source.startswith("*Solution version")
    assert student.cells[1].source.startswith("*Student version")


def test_make_versions_refuses_a_source_that_leaks_its_solution(tmp_path):
    leaky = tmp_path / "leaky.md"
    text = FIXTURE.read_text(encoding="utf-8")
    leaky.write_text(text.replace("numbers = [3, 1, 2]", "numbers = [3, 1, 2]\nordered = sorted(numbers)"),
                     encoding="utf-8")
    with pytest.raises(versions.ExerciseError, match="leaky.md: solution lines also appear"):
        versions.make_versions(leaky)


def test_make_versions_needs_a_title(tmp_path):
    untitled = tmp_path / "untitled.md"
    untitled.write_text(FIXTURE.read_text(encoding="utf-8").replace("# Fixture exercise", "Fixture"),
                        encoding="utf-8")
    with pytest.raises(versions.ExerciseError, match="the first cell must be the title"):
        versions.make_versions(untitled)

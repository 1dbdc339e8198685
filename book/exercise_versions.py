"""The student and solution versions of an exercise notebook, made from one source.

Every exercise is written once, as a MyST Markdown notebook in
``exercises/source/NN_name.md``; ``book/build_exercises.py`` writes

* ``exercises/student/NN_name.ipynb``: solutions removed, no outputs;
* ``exercises/solutions/NN_name.ipynb``: solutions kept, executed, outputs stored
  (``pytest --nbval`` compares a fresh run with them).

Markers in the source, as in nbgrader:

* in a code cell, the lines between ``# BEGIN SOLUTION`` and ``# END SOLUTION``
  are the solution. The student version replaces them with one line,
  ``name = None  # your answer here``, where ``name`` is the variable the block
  assigns last (the one the check below reads);
* a Markdown cell tagged ``solution`` is a model answer: the student version
  gets a "Your answer" cell in its place;
* a code cell tagged ``solution`` is dropped from the student version.

Each step is a small function over cells (``clear_solutions``,
``keep_solutions``, ``replace_model_answers``, ``add_banner``,
``leaked_lines``); ``make_versions`` chains them.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import nbformat

from . import notebooks

SOURCE_DIR = notebooks.EXERCISE_DIR / "source"
STUDENT_DIR = notebooks.EXERCISE_DIR / "student"
SOLUTION_DIR = notebooks.EXERCISE_DIR / "solutions"

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
SOLUTION_TAG = "solution"
ANSWER_TAG = "answer"
PLACEHOLDER = "{indent}{name} = None  # your answer here"
YOUR_ANSWER = (
    "**Your answer:** *(double-click this cell, replace this line with your answer, "
    "then press Shift+Enter)*"
)
BANNER = {
    "student": (
        "*Student version.* Run the set-up cell first. In each answer cell, replace `None` with "
        "your code, run the cell, then run the check below it. Write answers to open tasks in the "
        "“Your answer” cells. Your work stays in this notebook: save it often. On your own computer, "
        "install the course kit once first: see *Set up your computer* in the book."
    ),
    "solution": (
        "*Solution version, for instructors.* Generated from `exercises/source/{name}.md` by "
        "`book/build_exercises.py`; do not edit it by hand. Model answers of open tasks are in "
        "cells marked **Model answer**; the assessment rubric is in the book's instructor guide."
    ),
}


class ExerciseError(ValueError):
    """A source notebook is malformed; the message names the file and cell."""


def _code_lines(lines: list[str]) -> list[str]:
    """The lines a student could copy: not blank, not comments."""
    return [line for line in lines if line.strip() and not line.strip().startswith("#")]


def _is_solution(cell) -> bool:
    return SOLUTION_TAG in cell.metadata.get("tags", [])


def _has_markers(cell) -> bool:
    return cell.cell_type == "code" and (BEGIN in cell.source or END in cell.source)


def placeholder(block: list[str], where: str) -> str:
    """The student line replacing a solution block: ``name = None  # your answer here``."""
    indent = min((len(line) - len(line.lstrip()) for line in block if line.strip()), default=0)
    code = "\n".join(line[indent:] for line in block)
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        raise ExerciseError(
            f"{where}: the solution block is not valid Python ({error.msg}, line {error.lineno})."
        ) from None
    names = [
        node.targets[0].id if isinstance(node, ast.Assign) else node.target.id
        for node in tree.body
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name))
        or (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name))
    ]
    if not names:
        raise ExerciseError(f"{where}: a solution block must end by assigning the answer to a variable (name = ...).")
    return PLACEHOLDER.format(indent=" " * indent, name=names[-1])


def split_solution(source: str, where: str) -> tuple[str, str, list[str]]:
    """(student source, solution source, solution code lines) of one code cell."""
    student, solution, hidden, block = [], [], [], None
    for number, line in enumerate(source.splitlines(), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if block is not None:
                raise ExerciseError(f"{where}, line {number}: '{BEGIN}' inside another solution block.")
            block = []
        elif marker == END:
            if block is None:
                raise ExerciseError(f"{where}, line {number}: '{END}' without '{BEGIN}'.")
            if not any(line.strip() for line in block):
                raise ExerciseError(f"{where}, line {number}: empty solution block.")
            student.append(placeholder(block, where))
            hidden.extend(_code_lines(block))
            block = None
        elif block is not None:
            block.append(line)
            solution.append(line)
        else:
            student.append(line)
            solution.append(line)
    if block is not None:
        raise ExerciseError(f"{where}: '{BEGIN}' is never closed by '{END}'.")
    return "\n".join(student), "\n".join(solution), hidden


def _where(source: str, index: int) -> str:
    return f"{source}, cell {index}"


def _with_solution_part(cells: list, source: str, part: int) -> list:
    """Code cells whose solution block is replaced by one part of ``split_solution``."""
    out = []
    for index, cell in enumerate(cells, start=1):
        if _has_markers(cell) and not _is_solution(cell):
            text = split_solution(cell.source, _where(source, index))[part]
            cell = nbformat.v4.new_code_cell(text, metadata=copy.deepcopy(cell.metadata))
        out.append(copy.deepcopy(cell))
    return out


def clear_solutions(cells: list, source: str = "source") -> list:
    """Code cells with their solution blocks replaced by ``name = None`` placeholders."""
    return _with_solution_part(cells, source, 0)


def keep_solutions(cells: list, source: str = "source") -> list:
    """Code cells with the solution markers removed and the solution lines kept."""
    return _with_solution_part(cells, source, 1)


def replace_model_answers(cells: list) -> list:
    """Model answers (Markdown tagged ``solution``) become "Your answer" cells; solution code cells go."""
    out = []
    for cell in cells:
        if not _is_solution(cell):
            out.append(copy.deepcopy(cell))
        elif cell.cell_type == "markdown":
            out.append(nbformat.v4.new_markdown_cell(YOUR_ANSWER, metadata={"tags": [ANSWER_TAG]}))
    return out


def solution_lines(cells: list, source: str = "source") -> list[str]:
    """Every line of solution code: in solution blocks and in code cells tagged ``solution``."""
    hidden = []
    for index, cell in enumerate(cells, start=1):
        if cell.cell_type != "code":
            continue
        if _is_solution(cell):
            hidden.extend(_code_lines(cell.source.splitlines()))
        elif _has_markers(cell):
            hidden.extend(split_solution(cell.source, _where(source, index))[2])
    return hidden


def add_banner(cells: list, version: str, name: str) -> list:
    """The cells with the version's banner inserted after the title."""
    banner = nbformat.v4.new_markdown_cell(BANNER[version].format(name=name))
    return [*cells[:1], banner, *cells[1:]]


def leaked_lines(notebook: nbformat.NotebookNode, hidden: list[str]) -> list[str]:
    """Solution lines that occur anywhere in ``notebook`` (compared without surrounding spaces)."""
    present = {line.strip() for cell in notebook.cells for line in cell.source.splitlines()}
    return [line.strip() for line in hidden if line.strip() in present]


def make_versions(path: Path) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode, list[str]]:
    """The student notebook, the (unexecuted) solution notebook, and every solution line."""
    path = Path(path)
    name = path.stem
    cells = notebooks.as_commonmark(notebooks.read_markdown(path), path.parent, STUDENT_DIR)  # solutions/ is a sibling
    if not cells or not cells[0].source.startswith("# "):
        raise ExerciseError(f"{path.name}: the first cell must be the title (# ...).")
    hidden = solution_lines(cells, path.name)
    student = add_banner(replace_model_answers(clear_solutions(cells, path.name)), "student", name)
    solution = add_banner(keep_solutions(cells, path.name), "solution", name)
    student_nb, solution_nb = notebooks.number_cells(student, name), notebooks.number_cells(solution, name)
    leaks = leaked_lines(student_nb, hidden)
    if leaks:
        raise ExerciseError(f"{path.name}: solution lines also appear outside the solution blocks: {leaks[:3]}")
    return student_nb, solution_nb, hidden


def paths_of(name: str) -> tuple[Path, Path]:
    """Where the student and solution versions of exercise ``name`` are stored."""
    return STUDENT_DIR / f"{name}.ipynb", SOLUTION_DIR / f"{name}.ipynb"


def sources(names: list[str]) -> list[Path]:
    """The source files of the named exercises (all when ``names`` is empty)."""
    found = sorted(SOURCE_DIR.glob("*.md"))
    if not names:
        return found
    chosen = [SOURCE_DIR / f"{Path(n).stem}.md" for n in names]
    missing = [p.name for p in chosen if not p.exists()]
    if missing:
        raise ExerciseError(f"No exercise source called {', '.join(missing)}; have {', '.join(p.stem for p in found)}.")
    return chosen


def build(path: Path, run: bool = True) -> tuple[Path, Path]:
    """Write both versions of one exercise; the solution executed unless ``run`` is false."""
    student, solution, _ = make_versions(path)
    student_path, solution_path = paths_of(path.stem)
    notebooks.write(student, student_path)
    if run:
        solution = notebooks.execute(solution, SOLUTION_DIR)
    notebooks.write(solution, solution_path)
    return student_path, solution_path


def out_of_date(path: Path) -> list[str]:
    """What differs between ``path``'s committed versions and a fresh (unexecuted) build."""
    student, solution, _ = make_versions(path)
    problems = []
    student_path, solution_path = paths_of(path.stem)
    if not student_path.exists() or student_path.read_text(encoding="utf-8") != notebooks.dumps(student):
        problems.append(student_path.relative_to(notebooks.PROJECT_ROOT).as_posix())
    if not solution_path.exists():
        problems.append(solution_path.relative_to(notebooks.PROJECT_ROOT).as_posix())
    else:
        committed = notebooks.without_outputs(notebooks.read(solution_path))
        if notebooks.dumps(committed) != notebooks.dumps(notebooks.without_outputs(solution)):
            problems.append(solution_path.relative_to(notebooks.PROJECT_ROOT).as_posix())
    return problems

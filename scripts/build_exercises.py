"""Generate the student and solution versions of each exercise notebook from one source.

Every exercise is written once, as a MyST Markdown notebook in
``exercises/source/NN_name.md``. This script makes two notebooks from it:

* ``exercises/student/NN_name.ipynb``: solutions removed, no outputs (students
  run it themselves; each check then says "Not answered yet");
* ``exercises/solutions/NN_name.ipynb``: solutions kept, executed, outputs
  stored, so ``pytest --nbval`` can compare a fresh run with them.

Markers in the source:

* in a code cell, the lines between ``# BEGIN SOLUTION`` and ``# END SOLUTION``
  are the solution. The student version replaces them with one line,
  ``name = None  # your answer here``, where ``name`` is the variable the block
  assigns last (the one the check below reads);
* a Markdown cell tagged ``solution`` is a model answer: the student version
  gets a "Your answer" cell in its place;
* a code cell tagged ``solution`` is dropped from the student version.

Output is deterministic: fixed cell ids, no timestamps, no kernel version, so
running the script twice gives byte-identical files.

    python scripts/build_exercises.py              # build all five
    python scripts/build_exercises.py 02_mosul     # build one
    python scripts/build_exercises.py --check      # exit 1 if the committed files are out of date
                                                   # (student files byte for byte; solution cells
                                                   # without outputs; nbval checks the outputs)
"""

from __future__ import annotations

import argparse
import ast
import copy
import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = ROOT / "exercises"
SOURCE_DIR = EXERCISES / "source"
STUDENT_DIR = EXERCISES / "student"
SOLUTION_DIR = EXERCISES / "solutions"

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
SOLUTION_TAG = "solution"
PLACEHOLDER = "{indent}{name} = None  # your answer here"
YOUR_ANSWER = (
    "**Your answer:** *(double-click this cell, replace this line with your answer, "
    "then press Shift+Enter)*"
)
BANNER = {
    "student": (
        "*Student version.* Run the set-up cell first. In each answer cell, replace `None` with "
        "your code, run the cell, then run the check below it. Write answers to open tasks in the "
        "“Your answer” cells. Your work stays in this notebook: save it often."
    ),
    "solution": (
        "*Solution version, for instructors.* Generated from `exercises/source/{name}.md` by "
        "`scripts/build_exercises.py`; do not edit it by hand. Model answers of open tasks are in "
        "cells marked **Model answer**; the assessment rubric is in the book's instructor guide."
    ),
}
METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


class ExerciseError(ValueError):
    """A source notebook is malformed; the message names the file and cell."""


def placeholder(block: list[str], where: str) -> str:
    """The student line replacing a solution block: ``name = None  # your answer here``."""
    indent = min((len(line) - len(line.lstrip()) for line in block if line.strip()), default=0)
    code = "\n".join(line[indent:] for line in block)
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        raise ExerciseError(f"{where}: the solution block is not valid Python ({error.msg}, line {error.lineno}).") from None
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
    """(student source, solution source, solution lines) of one code cell."""
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
            hidden.extend(line for line in block if line.strip() and not line.strip().startswith("#"))
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


def _new_notebook(cells: list, name: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook(metadata=copy.deepcopy(METADATA))
    for index, cell in enumerate(cells):
        cell["id"] = f"{name.replace('_', '-')}-{index:02d}"
    notebook.cells = cells
    return notebook


def _clean(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A fresh cell with only the metadata the notebooks need (tags)."""
    tags = list(cell.metadata.get("tags", []))
    metadata = {"tags": tags} if tags else {}
    if cell.cell_type == "code":
        return nbformat.v4.new_code_cell(cell.source, metadata=metadata)
    return nbformat.v4.new_markdown_cell(cell.source, metadata=metadata)


def make_versions(path: Path) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode, list[str]]:
    """The student notebook, the (unexecuted) solution notebook, and every solution line."""
    path = Path(path)
    name = path.stem
    source = jupytext.read(path)
    cells = [_clean(c) for c in source.cells]
    if not cells or not cells[0].source.startswith("# "):
        raise ExerciseError(f"{path.name}: the first cell must be the title (# ...).")
    student, solution, hidden = [], [], []
    for index, cell in enumerate(cells, start=1):
        where = f"{path.name}, cell {index}"
        tags = cell.metadata.get("tags", [])
        if SOLUTION_TAG in tags:
            solution.append(cell)
            if cell.cell_type == "markdown":
                student.append(nbformat.v4.new_markdown_cell(YOUR_ANSWER, metadata={"tags": ["answer"]}))
            else:
                hidden.extend(l for l in cell.source.splitlines() if l.strip() and not l.strip().startswith("#"))
            continue
        if cell.cell_type == "code" and (BEGIN in cell.source or END in cell.source):
            student_source, solution_source, lines = split_solution(cell.source, where)
            hidden.extend(lines)
            student.append(nbformat.v4.new_code_cell(student_source, metadata=copy.deepcopy(cell.metadata)))
            solution.append(nbformat.v4.new_code_cell(solution_source, metadata=copy.deepcopy(cell.metadata)))
            continue
        student.append(copy.deepcopy(cell))
        solution.append(copy.deepcopy(cell))
    for version, cells_ in (("student", student), ("solution", solution)):
        cells_.insert(1, nbformat.v4.new_markdown_cell(BANNER[version].format(name=name)))
    student_nb, solution_nb = _new_notebook(student, name), _new_notebook(solution, name)
    leaks = leaked_lines(student_nb, hidden)
    if leaks:
        raise ExerciseError(f"{path.name}: solution lines also appear outside the solution blocks: {leaks[:3]}")
    return student_nb, solution_nb, hidden


def leaked_lines(notebook: nbformat.NotebookNode, hidden: list[str]) -> list[str]:
    """Solution lines that occur anywhere in ``notebook`` (compared without surrounding spaces)."""
    present = {line.strip() for cell in notebook.cells for line in cell.source.splitlines()}
    return [line.strip() for line in hidden if line.strip() in present]


def execute(notebook: nbformat.NotebookNode, cwd: Path, keep: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    """Run every cell (in ``cwd``) and keep the outputs, without timestamps.

    The notebook's metadata is reset to ``METADATA`` plus the keys in ``keep``
    (the chapters keep ``widgets``, the quiz widgets' state).
    """
    notebook = copy.deepcopy(notebook)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    ).execute()
    kept = {key: notebook.metadata[key] for key in keep if key in notebook.metadata}
    notebook.metadata = copy.deepcopy(METADATA)
    notebook.metadata.update(kept)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    return notebook


def dumps(notebook: nbformat.NotebookNode) -> str:
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"


def without_outputs(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return notebook


def sources(names: list[str]) -> list[Path]:
    found = sorted(SOURCE_DIR.glob("*.md"))
    if not names:
        return found
    chosen = [SOURCE_DIR / f"{Path(n).stem}.md" for n in names]
    missing = [p.name for p in chosen if not p.exists()]
    if missing:
        raise ExerciseError(f"No exercise source called {', '.join(missing)}; have {', '.join(p.stem for p in found)}.")
    return chosen


def build(path: Path, run: bool = True) -> tuple[Path, Path]:
    student, solution, _ = make_versions(path)
    STUDENT_DIR.mkdir(parents=True, exist_ok=True)
    SOLUTION_DIR.mkdir(parents=True, exist_ok=True)
    student_path = STUDENT_DIR / f"{path.stem}.ipynb"
    solution_path = SOLUTION_DIR / f"{path.stem}.ipynb"
    student_path.write_text(dumps(student), encoding="utf-8")
    if run:
        solution = execute(solution, SOLUTION_DIR)
    solution_path.write_text(dumps(solution), encoding="utf-8")
    return student_path, solution_path


def out_of_date(path: Path) -> list[str]:
    """What differs between ``path``'s committed versions and a fresh (unexecuted) build."""
    student, solution, _ = make_versions(path)
    problems = []
    student_path = STUDENT_DIR / f"{path.stem}.ipynb"
    solution_path = SOLUTION_DIR / f"{path.stem}.ipynb"
    if not student_path.exists() or student_path.read_text(encoding="utf-8") != dumps(student):
        problems.append(str(student_path.relative_to(ROOT)))
    if not solution_path.exists():
        problems.append(str(solution_path.relative_to(ROOT)))
    else:
        committed = without_outputs(nbformat.read(solution_path, as_version=4))
        if dumps(committed) != dumps(without_outputs(solution)):
            problems.append(str(solution_path.relative_to(ROOT)))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="exercise names such as 01_rise (default: all)")
    parser.add_argument("--check", action="store_true", help="only report files that are out of date")
    parser.add_argument("--no-execute", action="store_true", help="write solution notebooks without outputs")
    args = parser.parse_args(argv)
    try:
        paths = sources(args.names)
        if args.check:
            stale = [p for path in paths for p in out_of_date(path)]
            for p in stale:
                print("out of date:", p)
            if stale:
                print("Run: python scripts/build_exercises.py")
            return 1 if stale else 0
        for path in paths:
            for written in build(path, run=not args.no_execute):
                print("wrote", written.relative_to(ROOT))
    except ExerciseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

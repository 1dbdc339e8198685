"""Grade collected assignments with otter-grader: hidden tests, fresh kernels, time limits, no Docker.

    python -m book.grade SUBMISSIONS        # `make grade SUBMISSIONS=DIR`

SUBMISSIONS holds one folder per student (hub/collect.py makes them); each notebook named after an
assignment (03_finances.ipynb, anywhere in the student's folder) is graded by that assignment's
autograder in _build/assignments/autograder/ (`make assignments`). Each notebook is re-run from its
code alone in a fresh kernel (otter's `grade_submission`, the same as `otter run`), then every test,
hidden ones included, runs on what the code computed: outputs stored in the notebook, a redefined
checker or edited check cells count for nothing.

Time limits: a cell the student wrote or changed that runs longer than `cell_timeout` seconds is
interrupted and the grading goes on with the next cell (the question it belongs to gets no points
and a message); a notebook whose grading takes longer than `notebook_timeout` seconds is stopped
and gets no points. Either way the grader finishes. Writes SUBMISSIONS/grades.csv (student,
question, points, max_points; questions marked by hand have empty points for the instructor to fill
in), SUBMISSIONS/<student>/feedback.md,
and SUBMISSIONS/review.txt: the notebooks whose own code touches the grading machinery (otter,
`grader`, builtins...), which the instructor should read.

Instructor-side code: students never import it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .assignment_versions import OUT

BOOK_ROOT = Path(__file__).resolve().parents[1]  # the folder holding book/

AUTOGRADER = OUT / "autograder"
CELL_TIMEOUT = 60  # seconds: the slowest reference answer runs in well under a second
NOTEBOOK_TIMEOUT = 600
JOBS = 2  # notebooks graded at once (each in its own process and kernel)
STUDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
CHECK_CELL = re.compile(r'grader\.check\("(\w+)"\)')
# Code that reaches for the grading machinery; outside the cells students were given, a person should look.
SUSPECT = re.compile(r"\b(otter|grader|Checker|GradingResults|sys\.modules|builtins|__import__|globals\(\))")


class GradingError(RuntimeError):
    """Grading cannot start: a missing folder or autograder, said in one sentence."""


@dataclass
class Mark:
    student: str
    assignment: str
    question: str
    points: float | None  # None: marked by hand
    max_points: float
    messages: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.assignment}/{self.question}"


def assignments(autograder_dir: Path = AUTOGRADER) -> dict[str, dict]:
    """name -> {"questions": [...]} for every built autograder."""
    found = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(autograder_dir).glob("*.json"))}
    if not found:
        raise GradingError(f"There is no autograder in {autograder_dir}: run `make assignments` first.")
    return found


def students(submissions: Path) -> list[Path]:
    if not Path(submissions).is_dir():
        raise GradingError(f"There is no folder of submissions at {submissions}.")
    return [p for p in sorted(Path(submissions).iterdir()) if p.is_dir() and STUDENT.match(p.name)]


def find_notebook(folder: Path, assignment: str) -> Path | None:
    """The student's notebook of `assignment`, outside checkpoint folders (the newest if several)."""
    found = [p for p in folder.rglob(f"{assignment}.ipynb") if ".ipynb_checkpoints" not in p.parts]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def grade_one(notebook: Path, autograder_zip: Path, cell_timeout: float, notebook_timeout: float,
              handed_out: Path | None = None) -> dict:
    """Grade one notebook in a child process (killed, with its kernel, after notebook_timeout seconds).

    Returns {"scores": {question: points}, "messages": {question: [sentences]}, "stopped": sentence or None}.
    """
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        out = Path(tmp) / "result.json"
        handed_out = handed_out or Path(autograder_zip).parent.parent / "student" / Path(autograder_zip).with_suffix(
            ".ipynb").name
        command = [sys.executable, "-m", "book.grading", "--one", str(notebook), str(autograder_zip),
                   str(out), "--cell-timeout", str(cell_timeout), "--handed-out", str(handed_out)]
        # The child runs in an empty folder; `book` is found from the repository's root, not the folder.
        path = os.pathsep.join(filter(None, [str(BOOK_ROOT), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": path}
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                 start_new_session=True, cwd=tmp, env=env)
        try:
            _, stderr = child.communicate(timeout=notebook_timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)  # the child and the kernel it started
            child.communicate()
            return {"scores": {}, "messages": {}, "stopped": (
                f"Grading this notebook took longer than {notebook_timeout:g} s and was stopped: "
                "no question of it could be graded. Ask your instructor to look at it.")}
        if child.returncode or not out.exists():
            last = (stderr or "").strip().splitlines()[-1:] or ["no message"]
            return {"scores": {}, "messages": {}, "stopped": f"The notebook could not be graded ({last[0][:200]})."}
        return json.loads(out.read_text(encoding="utf-8"))


def limited_sources(notebook: Path, handed_out: Path) -> set[str]:
    """The cells that get the per-cell time limit: those the student wrote or changed.

    Cells exactly as handed out (the set-up cell, the checks) and the cells otter adds may be slow on
    a loaded machine (they import pandas and otter): only the notebook's own limit applies to them.
    """
    given = {c["source"] for c in _cells(handed_out)
             if "otter_answer_cell" not in c.get("metadata", {}).get("tags", [])}
    return {c["source"] for c in _cells(notebook) if c.get("cell_type") == "code" and (
        c["source"] not in given or "otter_answer_cell" in c.get("metadata", {}).get("tags", []))}


def _grade_in_this_process(notebook: Path, autograder_zip: Path, cell_timeout: float, handed_out: Path) -> dict:
    """The child's work: otter's grading with a per-cell time limit. Runs in a process of its own."""
    import nbconvert.preprocessors
    from otter.api import grade_submission

    timed_out: list[str] = []
    limited = limited_sources(notebook, handed_out)

    class TimedExecutePreprocessor(nbconvert.preprocessors.ExecutePreprocessor):
        """otter runs the notebook with nbconvert's ExecutePreprocessor and sets no time limit: add one."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.timeout_func = lambda cell: cell_timeout if cell.source in limited else None
            self.interrupt_on_timeout = True
            self.error_on_timeout = {"ename": "TimeLimit", "evalue": f"stopped after {cell_timeout:g} s",
                                     "traceback": []}

        async def _async_handle_timeout(self, timeout, cell=None):
            timed_out.append(cell.source if cell is not None else "")
            return await super()._async_handle_timeout(timeout, cell)

    nbconvert.preprocessors.ExecutePreprocessor = TimedExecutePreprocessor  # otter imports it at call time
    results = grade_submission(str(notebook), str(autograder_zip), quiet=True)
    scores, messages = {}, {}
    for test_file in results.results.values():
        scores[test_file.name] = float(test_file.score)
        messages[test_file.name] = [
            (tcr.test_case.failure_message or "A public check failed: run grader.check in your notebook to see it.")
            if not tcr.test_case.hidden else "A hidden check failed: the answer is not the expected one."
            for tcr in test_file.test_case_results if not tcr.passed]
    for question, why in _cell_problems(results.notebook, timed_out).items():
        messages.setdefault(question, []).insert(0, why)
    return {"scores": scores, "messages": messages, "stopped": None}


def _cell_problems(notebook, timed_out: list[str]) -> dict[str, str]:
    """question -> what went wrong in the cells before its check cell (a time limit, an error)."""
    problems: dict[str, str] = {}
    pending: list[str] = []
    for cell in (notebook.cells if notebook is not None else []):
        if cell.cell_type != "code":
            continue
        check = CHECK_CELL.search(cell.source)
        if check:
            if pending:
                problems.setdefault(check.group(1), " ".join(pending))
            pending = []
            continue
        if cell.source in timed_out:
            pending.append("A cell before this question's check ran longer than the time limit and was stopped, "
                           "so it gave no answer (look for a loop that never ends).")
        else:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    pending.append(f"A cell before this question's check stopped with an error "
                                   f"({output.get('ename')}: {str(output.get('evalue'))[:120]}).")
    return problems


def to_review(notebook: Path, handed_out: Path) -> list[str]:
    """Cells of `notebook` that touch the grading machinery and are not as they were handed out."""
    given = {c.get("source", "") for c in _cells(handed_out)} if handed_out.exists() else set()
    return [f"cell {number}: {match.group(0)}" for number, cell in enumerate(_cells(notebook), 1)
            if cell.get("cell_type") == "code" and cell.get("source", "") not in given
            and (match := SUSPECT.search(cell.get("source", "")))]


def _cells(path: Path) -> list[dict]:
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [{**c, "source": "".join(c.get("source", ""))} for c in cells if isinstance(c, dict)]


def grade_all(submissions: Path, autograder_dir: Path = AUTOGRADER, cell_timeout: float = CELL_TIMEOUT,
              notebook_timeout: float = NOTEBOOK_TIMEOUT, jobs: int = JOBS) -> list[Mark]:
    """Grade every student's notebooks, `jobs` at a time; write grades.csv and one feedback.md per student."""
    known = assignments(autograder_dir)
    folders = students(submissions)
    work = [(folder, name, notebook) for folder in folders for name in known
            if (notebook := find_notebook(folder, name)) is not None]
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        results = list(pool.map(lambda job: grade_one(job[2], Path(autograder_dir) / f"{job[1]}.zip", cell_timeout,
                                                      notebook_timeout), work))
    marks: list[Mark] = []
    for (folder, name, _), result in zip(work, results):
        for question in known[name]["questions"]:
            q = question["name"]
            mark = Mark(folder.name, name, q, None, question["points"])
            if not question["manual"]:
                mark.points = float(result["scores"].get(q, 0.0))
                mark.messages = ([result["stopped"]] if result["stopped"] else []) + result["messages"].get(q, [])
            marks.append(mark)
    for folder in folders:
        write_feedback(folder, [m for m in marks if m.student == folder.name])
    write_grades(Path(submissions) / "grades.csv", marks)
    review = [f"{folder.name}/{notebook.relative_to(folder)}: {', '.join(found)}" for folder, name, notebook in work
              if (found := to_review(notebook, Path(autograder_dir).parent / "student" / f"{name}.ipynb"))]
    (Path(submissions) / "review.txt").write_text(
        "Notebooks whose own code touches the grading machinery: read them before giving the marks.\n"
        + ("\n".join(review) if review else "None.") + "\n", encoding="utf-8")
    return marks


def write_grades(path: Path, marks: list[Mark]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "question", "points", "max_points"])
        for m in marks:
            writer.writerow([m.student, m.label, "" if m.points is None else f"{m.points:g}", f"{m.max_points:g}"])


def export_marks(submissions: Path) -> Path:
    """SUBMISSIONS/marks.csv for a learning platform: one row per student, one column per assignment.

    Reads grades.csv once the instructor has filled in the points of the questions marked by hand.
    """
    grades = Path(submissions) / "grades.csv"
    if not grades.is_file():
        raise GradingError(f"There is no grades.csv in {submissions}: run make grade SUBMISSIONS={submissions} first.")
    with open(grades, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    empty = [f"{r['student']} {r['question']}" for r in rows if not r["points"].strip()]
    if empty:
        raise GradingError(f"{len(empty)} marks are still empty in grades.csv (first: {empty[0]}): "
                           "fill in the points of the questions you mark by hand, then export again.")
    totals: dict[str, dict[str, float]] = {}
    for r in rows:
        assignment = r["question"].split("/")[0]
        totals.setdefault(r["student"], {}).setdefault(assignment, 0.0)
        try:
            totals[r["student"]][assignment] += float(r["points"])
        except ValueError:
            raise GradingError(f"grades.csv has {r['points']!r} as the points of {r['student']} "
                               f"{r['question']}: write a number.") from None
    columns = sorted({a for marks in totals.values() for a in marks})
    path = Path(submissions) / "marks.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", *columns])
        for student, marks in sorted(totals.items()):
            writer.writerow([student, *(f"{marks[a]:g}" if a in marks else "" for a in columns)])
    return path


def write_feedback(folder: Path, marks: list[Mark]) -> Path:
    """folder/feedback.md: each question's points and what to look at; never a hidden test."""
    lines = [f"# Feedback for {folder.name}", ""]
    if not marks:
        lines.append("No notebook of a graded assignment was found in your folder.")
    for assignment in dict.fromkeys(m.assignment for m in marks):
        own = [m for m in marks if m.assignment == assignment]
        auto = [m for m in own if m.points is not None]
        lines += [f"## {assignment}", "",
                  f"Checked by the autograder: {sum(m.points for m in auto):g} of {sum(m.max_points for m in auto):g} "
                  "points.", "", "| question | points | note |", "|---|---|---|"]
        for m in own:
            points = "marked by your instructor" if m.points is None else f"{m.points:g} / {m.max_points:g}"
            note = " ".join(m.messages) if m.messages else ("" if m.points is None or m.points < m.max_points
                                                             else "Correct.")
            lines.append(f"| {m.question} | {points} | {note.replace('|', '/')} |")
        lines.append("")
    path = folder / "feedback.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", type=Path, nargs="?", help="one folder per student")
    parser.add_argument("--autograder", type=Path, default=AUTOGRADER, help="where `make assignments` put them")
    parser.add_argument("--cell-timeout", type=float, default=CELL_TIMEOUT, help="seconds one cell may run")
    parser.add_argument("--notebook-timeout", type=float, default=NOTEBOOK_TIMEOUT,
                        help="seconds the grading of one notebook may take")
    parser.add_argument("--jobs", type=int, default=JOBS, help="notebooks graded at once")
    parser.add_argument("--export", action="store_true",
                        help="instead, write marks.csv (one row per student) from the completed grades.csv")
    parser.add_argument("--one", nargs=3, metavar=("NOTEBOOK", "ZIP", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--handed-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        notebook, autograder_zip, out = map(Path, args.one)
        result = _grade_in_this_process(notebook.resolve(), autograder_zip.resolve(), args.cell_timeout,
                                        args.handed_out or Path("/nonexistent"))
        out.write_text(json.dumps(result), encoding="utf-8")
        return 0
    if args.submissions is None:
        parser.error("Say which folder of submissions to grade: make grade SUBMISSIONS=collected/<date-time>")
    try:
        if args.export:
            print(f"Wrote {export_marks(args.submissions)}: import it into your learning platform's gradebook.")
            return 0
        marks = grade_all(args.submissions, args.autograder, args.cell_timeout, args.notebook_timeout, args.jobs)
    except GradingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    graded = sorted({m.student for m in marks})
    print(f"Graded {len(graded)} students: {args.submissions / 'grades.csv'} and a feedback.md in each folder; "
          f"notebooks to read before giving marks: {args.submissions / 'review.txt'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

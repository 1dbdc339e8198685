"""Graded assignments end to end: `make assignments`' script, then `make grade`'s, as an instructor runs them.

Submissions made here: the reference solutions, blank student notebooks, a partly wrong one, and
three ways of cheating or failing (forged outputs, a redefined checker with edited check cells and
public tests, loops that never end). Hidden tests must not reach anything students get.
"""

import ast
import csv
import json
import shutil
import subprocess
import sys
import zipfile

import nbformat
import pytest

from book.assignment_versions import questions, sources

from ..conftest import ROOT

NAMES = [p.stem for p in sources()]
PASSED = "q{} results: All test cases passed!"


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *map(str, args)], cwd=ROOT, capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("assignments")
    done = run("-m", "book.build_assignments", "--out", out, timeout=900)
    assert done.returncode == 0, done.stderr
    return out


def answer_cell(notebook, variable: str):
    return next(c for c in notebook.cells if c.cell_type == "code" and f"{variable} = ..." in c.source)


def check_cell(notebook, question: str):
    return next(c for c in notebook.cells if c.cell_type == "code" and c.source == f'grader.check("{question}")')


def student_copy(built, name: str):
    return nbformat.read(built / "student" / f"{name}.ipynb", as_version=4)


@pytest.fixture(scope="module")
def graded(built, tmp_path_factory):
    """One `python -m book.grade` run over five kinds of student; returns (folder, {(student, label): points})."""
    submissions = tmp_path_factory.mktemp("collected")
    for name in NAMES:
        (submissions / "reference").mkdir(exist_ok=True)
        shutil.copyfile(built / "autograder" / f"{name}.ipynb", submissions / "reference" / f"{name}.ipynb")
        (submissions / "blank" / name).mkdir(parents=True)  # as collected: one folder per notebook is fine
        shutil.copyfile(built / "student" / f"{name}.ipynb", submissions / "blank" / name / f"{name}.ipynb")

    partial = student_copy(built, "03_finances")
    for variable, value in (("ihs_yearly_2016", "672.0"), ("icsr_fall", "50.0"), ("looting_midpoint", "750")):
        cell = answer_cell(partial, variable)
        cell.source = cell.source.replace(f"{variable} = ...", f"{variable} = {value}")
    (submissions / "partial").mkdir()
    nbformat.write(partial, submissions / "partial" / "03_finances.ipynb")

    cheat = student_copy(built, "03_finances")
    # q1: no answer, but the outputs of a correct one, pasted in (the answer cell's and the check's)
    answer_cell(cheat, "ihs_yearly_2016").outputs = [nbformat.v4.new_output(
        "execute_result", data={"text/plain": "672.0"}, execution_count=2)]
    check_cell(cheat, "q1").outputs = [nbformat.v4.new_output("stream", name="stdout", text=PASSED.format(1))]
    # q2: a wrong answer that passes the public check, a checker that always says passed, an edited check cell,
    # and the public tests stored in the notebook replaced by tests that always pass
    cell = answer_cell(cheat, "icsr_fall")
    forged_check = "grader.check = lambda *args, **kwargs: print('q2 results: All test cases passed!')"
    cell.source = cell.source.replace("icsr_fall = ...", f"icsr_fall = 12.0\n{forged_check}")
    check_cell(cheat, "q2").source = f"print({PASSED.format(2)!r})"
    for question in ("q1", "q2", "q3"):
        cheat.metadata["otter"]["tests"][question] = (
            f"from otter.test_files import test_case\nOK_FORMAT = False\nname = {question!r}\npoints = 2\n"
            "@test_case(points=2, hidden=False)\ndef test_anything():\n    assert True\n")
    # q3: a loop that never ends
    cell = answer_cell(cheat, "looting_midpoint")
    cell.source = cell.source.replace("looting_midpoint = ...", "while True:\n    pass")
    (submissions / "cheat").mkdir()
    nbformat.write(cheat, submissions / "cheat" / "03_finances.ipynb")

    done = run("-m", "book.grade", submissions, "--autograder", built / "autograder", "--cell-timeout", "20",
               "--notebook-timeout", "300", timeout=1800)
    assert done.returncode == 0, done.stderr
    with open(submissions / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return submissions, rows


def points(rows, student: str) -> dict[str, str]:
    return {row["question"]: row["points"] for row in rows if row["student"] == student}


def test_grades_csv_has_one_row_per_student_and_question_with_its_maximum(graded):
    _, rows = graded
    assert list(rows[0]) == ["student", "question", "points", "max_points"]
    expected = {f"{name}/{q['name']}": q["points"] for source in sources() for name in [source.stem]
                for q in questions(source)}
    for student in ("reference", "blank"):
        mine = {row["question"]: float(row["max_points"]) for row in rows if row["student"] == student}
        assert mine == expected, student
    assert sorted({row["student"] for row in rows}) == ["blank", "cheat", "partial", "reference"]


def test_the_reference_solution_scores_full_marks_and_a_blank_notebook_zero(graded):
    _, rows = graded
    for source in sources():
        for question in questions(source):
            label = f"{source.stem}/{question['name']}"
            if question["manual"]:  # left for the instructor to fill in
                assert points(rows, "reference")[label] == "" and points(rows, "blank")[label] == ""
            else:
                assert float(points(rows, "reference")[label]) == question["points"] == 2, label
                assert float(points(rows, "blank")[label]) == 0, label


def test_a_partly_wrong_notebook_gets_the_points_of_its_right_answers(graded):
    _, rows = graded
    assert points(rows, "partial") == {"03_finances/q1": "2", "03_finances/q2": "0", "03_finances/q3": "2",
                                       "03_finances/q4": ""}


def test_forged_outputs_a_redefined_checker_edited_checks_and_a_loop_earn_nothing(graded):
    submissions, rows = graded
    assert points(rows, "cheat") == {"03_finances/q1": "0", "03_finances/q2": "0", "03_finances/q3": "0",
                                     "03_finances/q4": ""}
    feedback = (submissions / "cheat" / "feedback.md").read_text(encoding="utf-8")
    q3 = next(line for line in feedback.splitlines() if line.startswith("| q3 |"))
    assert "ran longer than the time limit" in q3


def test_notebooks_whose_code_touches_the_grader_are_listed_for_the_instructor(graded):
    submissions, _ = graded
    review = (submissions / "review.txt").read_text(encoding="utf-8").splitlines()
    assert review[1:] == ["cheat/03_finances.ipynb: cell 7: grader"]  # the answer cell of q2


def test_feedback_says_each_questions_points_and_shows_no_hidden_test(graded, built):
    submissions, _ = graded
    partial = (submissions / "partial" / "feedback.md").read_text(encoding="utf-8")
    assert "| q1 | 2 / 2 | Correct. |" in partial
    assert "| q2 | 0 / 2 | A hidden check failed" in partial
    assert "| q4 | marked by your instructor |" in partial
    assert "Checked by the autograder: 4 of 6 points." in partial
    for student in ("reference", "blank", "partial", "cheat"):
        text = (submissions / student / "feedback.md").read_text(encoding="utf-8")
        assert not [line for line in hidden_lines(built) if line in text], student


def test_a_loop_that_survives_interrupts_is_stopped_by_the_notebook_limit(built, tmp_path):
    stubborn = student_copy(built, "03_finances")
    answer_cell(stubborn, "ihs_yearly_2016").source = (
        "while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass")
    (tmp_path / "stubborn").mkdir()
    nbformat.write(stubborn, tmp_path / "stubborn" / "03_finances.ipynb")
    done = run("-m", "book.grade", tmp_path, "--autograder", built / "autograder", "--cell-timeout", "5",
               "--notebook-timeout", "40", timeout=300)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "grades.csv", newline="", encoding="utf-8") as f:
        assert {r["question"]: r["points"] for r in csv.DictReader(f)} == {
            "03_finances/q1": "0", "03_finances/q2": "0", "03_finances/q3": "0", "03_finances/q4": ""}
    assert "took longer than 40 s and was stopped" in (tmp_path / "stubborn" / "feedback.md").read_text()


def test_grading_says_in_a_sentence_what_is_missing(tmp_path):
    done = run("-m", "book.grade", tmp_path / "nowhere")
    assert done.returncode == 1 and done.stderr.startswith("error: There is no ") and "Traceback" not in done.stderr
    done = run("-m", "book.grade", tmp_path, "--autograder", tmp_path)
    assert "run `make assignments` first" in done.stderr and "Traceback" not in done.stderr


# -- hidden tests stay with the instructor ------------------------------------------------------------

def hidden_lines(built) -> set[str]:
    """Every line of every hidden test case, from the autograders' test files."""
    lines = set()
    for path in sorted((built / "autograder").glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if member.startswith("tests/") and member.endswith(".py"):
                    code = archive.read(member).decode()
                    for node in ast.parse(code).body:
                        if isinstance(node, ast.FunctionDef) and "hidden=True" in ast.get_source_segment(
                                code, node.decorator_list[0]):
                            body = ast.get_source_segment(code, node)
                            lines |= {line.strip() for line in body.splitlines() if line.strip()}
    return lines


def test_the_hidden_lines_are_found_where_they_are(built):
    """The search below is able to find them: each hidden line is in an assignment's source."""
    lines = hidden_lines(built)
    assert len(lines) >= 2 * 3 * len(NAMES)  # a def and an assert for each autograded question
    sources_text = "".join(p.read_text(encoding="utf-8") for p in sources())
    assert all(line in sources_text for line in lines)


def texts_of_notebook(path) -> str:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return json.dumps(notebook) + "\n".join("".join(c["source"]) for c in notebook["cells"]) + "\n".join(
        notebook["metadata"].get("otter", {}).get("tests", {}).values())


def test_no_hidden_line_is_in_the_student_notebooks(built):
    lines = hidden_lines(built)
    students = sorted((built / "student").iterdir())
    assert [p.name for p in students] == [f"{name}.ipynb" for name in NAMES]
    for path in students:
        text = texts_of_notebook(path)
        assert not [line for line in lines if line in text], path.name


def test_no_hidden_line_is_in_the_built_book(built):
    html = ROOT / "_build" / "html"
    assert (html / "index.html").exists(), "build the book first (make book; make test does)"
    assert not (html / "assignments").exists() and not list(html.rglob("*autograder*"))
    lines = hidden_lines(built)
    for path in html.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".js", ".json", ".txt", ".ipynb", ".md", ".py", ".csv"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not [line for line in lines if line in text], path


def test_no_hidden_line_is_in_the_kit_wheel(built, tmp_path):
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                           "--wheel-dir", str(tmp_path), str(ROOT)], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    (wheel,) = tmp_path.glob("after_mosul-*.whl")
    lines = hidden_lines(built)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert any(n.endswith("exercises.py") for n in names)  # the right wheel
        assert not [n for n in names if "assignments/" in n or n.endswith(".zip")]
        for member in names:
            text = archive.read(member).decode("utf-8", errors="replace")
            assert not [line for line in lines if line in text], member


def test_grading_needs_no_network(built, tmp_path):
    """In a network namespace with only loopback up (kernels talk over it), a reference notebook scores full marks."""
    (tmp_path / "offline").mkdir()
    shutil.copyfile(built / "autograder" / "03_finances.ipynb", tmp_path / "offline" / "03_finances.ipynb")
    grade = f"{sys.executable} -m book.grade {tmp_path} --autograder {built / 'autograder'}"
    done = subprocess.run(["unshare", "--net", "sh", "-c", f"ip link set lo up && ip -o link | wc -l && {grade}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "1"  # no interface but loopback
    with open(tmp_path / "grades.csv", newline="", encoding="utf-8") as f:
        assert [r["points"] for r in csv.DictReader(f)] == ["2", "2", "2", ""]


def test_no_solution_line_is_in_the_student_notebooks(built):
    for source in sources():
        text, solution, lines = source.read_text(encoding="utf-8"), False, set()
        for line in text.splitlines():
            solution = (solution or "# BEGIN SOLUTION NO PROMPT" in line) and "# END SOLUTION" not in line
            if line.rstrip().endswith("# SOLUTION") or (solution and "# BEGIN SOLUTION" not in line):
                lines.add(line.split("# SOLUTION")[0].strip())
        assert len(lines) >= 3, source.name  # one answer at least per autograded question
        student = texts_of_notebook(built / "student" / f"{source.stem}.ipynb")
        assert not [line for line in lines if line in student], source.name

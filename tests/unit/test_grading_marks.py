"""The instructor's side of marks without running a notebook: the LMS export, feedback text, review list."""

import csv
import json

import pytest

from book.grading import GradingError, Mark, export_marks, limited_sources, to_review, write_feedback


def grades(folder, rows):
    with open(folder / "grades.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "question", "points", "max_points"])
        writer.writerows(rows)


def test_marks_csv_has_one_row_per_student_and_a_total_per_assignment(tmp_path):
    grades(tmp_path, [["ana", "01_rise/q1", "2", "2"], ["ana", "01_rise/q4", "3.5", "4"],
                      ["ana", "03_finances/q1", "0", "2"], ["ben", "01_rise/q1", "0", "2"],
                      ["ben", "01_rise/q4", "1", "4"]])
    path = export_marks(tmp_path)
    with open(path, newline="", encoding="utf-8") as f:
        assert list(csv.reader(f)) == [["student", "01_rise", "03_finances"], ["ana", "5.5", "0"], ["ben", "1", ""]]


def test_the_export_waits_for_the_marks_given_by_hand(tmp_path):
    grades(tmp_path, [["ana", "01_rise/q1", "2", "2"], ["ana", "01_rise/q4", "", "4"]])
    with pytest.raises(GradingError, match="1 marks are still empty in grades.csv .first: ana 01_rise/q4."):
        export_marks(tmp_path)
    grades(tmp_path, [["ana", "01_rise/q4", "three", "4"]])
    with pytest.raises(GradingError, match="'three' as the points of ana 01_rise/q4: write a number"):
        export_marks(tmp_path)
    with pytest.raises(GradingError, match="There is no grades.csv"):
        export_marks(tmp_path / "elsewhere")


def test_feedback_gives_points_per_question_and_leaves_open_questions_to_the_instructor(tmp_path):
    marks = [Mark("ana", "02_mosul", "q1", 2.0, 2.0), Mark("ana", "02_mosul", "q2", 0.0, 2.0, ["A | B"]),
             Mark("ana", "02_mosul", "q4", None, 4.0)]
    text = write_feedback(tmp_path, marks).read_text(encoding="utf-8")
    assert "Checked by the autograder: 2 of 4 points." in text
    assert "| q1 | 2 / 2 | Correct. |" in text and "| q2 | 0 / 2 | A / B |" in text
    assert "| q4 | marked by your instructor |  |" in text


def notebook(path, *sources):
    cells = [{"cell_type": "code", "source": s, "metadata": {}, "outputs": [], "execution_count": None}
             for s in sources]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def test_changed_cells_that_reach_for_the_grader_are_listed(tmp_path):
    given = notebook(tmp_path / "given.ipynb", "import otter\ngrader = otter.Notebook('a.ipynb')", "x = ...",
                     'grader.check("q1")')
    honest = notebook(tmp_path / "honest.ipynb", "import otter\ngrader = otter.Notebook('a.ipynb')", "x = 3",
                      'grader.check("q1")')
    sly = notebook(tmp_path / "sly.ipynb", "import otter\ngrader = otter.Notebook('a.ipynb')",
                   "x = 3\nimport sys\nsys.modules['otter'] = None", "print('q1 results: All test cases passed!')")
    assert to_review(honest, given) == []
    assert to_review(sly, given) == ["cell 2: sys.modules"]
    assert to_review(tmp_path / "missing.ipynb", given) == []


def test_the_cell_time_limit_applies_to_the_cells_a_student_wrote_or_changed(tmp_path):
    given = notebook(tmp_path / "given.ipynb", "import pandas  # set-up", "x = ...", 'grader.check("q1")')
    cells = json.loads(given.read_text())["cells"]
    cells[1]["metadata"] = {"tags": ["otter_answer_cell"]}
    given.write_text(json.dumps({**json.loads(given.read_text()), "cells": cells}))
    submitted = notebook(tmp_path / "submitted.ipynb", "import pandas  # set-up", "x = 3", 'grader.check("q1")',
                         "while True: pass")
    assert limited_sources(submitted, given) == {"x = 3", "while True: pass"}
    changed = notebook(tmp_path / "changed.ipynb", "import pandas  # set-up\nwhile True: pass", "x = ...")
    assert limited_sources(changed, given) == {"import pandas  # set-up\nwhile True: pass", "x = ..."}

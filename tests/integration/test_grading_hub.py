"""A graded assignment's round trip on a real class hub: hand out, answer, collect, grade, return feedback.

Two students pull the assignment with nbgitpuller, answer it in their own servers (its public checks
run in their kernels), then the instructor collects (hub/collect.py), grades (book/grade.py, the
command `make grade` runs) and returns the feedback (hub/collect.py --return-feedback), which each
student opens on their server. Uses the hub as tests/test_hub.py starts it (hub/hubkit.py).
"""

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "hub"))

import hubkit  # noqa: E402 - after the path is set

PASSWORD = "test-only-password"
NAME = "03_finances"
NOTEBOOK = f"after-mosul/assignments/{NAME}.ipynb"
ANSWERS = {  # student -> what they write in place of each `...`
    "alice": {"ihs_yearly_2016": "12 * ihs[ihs['year'] == 2016]['high_usd_millions'].iloc[0]",
              "icsr_fall": "100 * (icsr[2014] - icsr[2016]) / icsr[2014]",
              "looting_midpoint": "looting.dropna(subset=['high_usd_millions'])[['low_usd_millions', "
                                  "'high_usd_millions']].iloc[0].mean()"},
    "bob": {"ihs_yearly_2016": "672", "icsr_fall": "100 * icsr[2016] / icsr[2014]", "looting_midpoint": "750"},
}
EXPECTED = {"alice": ["2", "2", "2", ""], "bob": ["2", "0", "2", ""]}


def run(*args) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The autograder, and a course repository holding the student notebook as the guide says."""
    built = tmp_path_factory.mktemp("built")
    run("-m", "book.build_assignments", NAME, "--out", built)
    repo = tmp_path_factory.mktemp("course")
    (repo / "assignments").mkdir()
    (repo / "assignments" / f"{NAME}.ipynb").write_bytes((built / "student" / f"{NAME}.ipynb").read_bytes())
    git = ["git", "-C", str(repo), "-c", "user.name=Course", "-c", "user.email=course@example.org"]
    for command in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "assignment 3"]):
        subprocess.run(git + command, check=True, capture_output=True)
    return built, repo


@pytest.fixture(scope="module")
def round_trip(course, tmp_path_factory):
    built, repo = course
    state = tmp_path_factory.mktemp("hub")
    with hubkit.running_hub(state, "--JupyterHub.authenticator_class=dummy",
                            f"--DummyAuthenticator.password={PASSWORD}",
                            env={"COURSE_HUB_ALLOW_ROOT": "1", "COURSE_HUB_ADMIN": "instructor"}) as (url, _):
        students = {name: hubkit.Student(url, name, PASSWORD) for name in ANSWERS}
        ran = {}
        for name, student in students.items():
            student.login()
            student.start_server()
            pulled = requests.get(f"{student.server_url}/git-pull/api", headers=student.api_headers(), timeout=120,
                                  params={"repo": str(repo), "branch": "main", "targetpath": "after-mosul"})
            assert pulled.status_code == 200 and '"phase": "finished"' in pulled.text, pulled.text[-500:]
            notebook = student.contents(NOTEBOOK).json()["content"]
            for cell in notebook["cells"]:
                for variable, answer in ANSWERS[name].items():
                    cell["source"] = cell["source"].replace(f"{variable} = ...", f"{variable} = {answer}")
            saved = requests.put(f"{student.server_url}/api/contents/{NOTEBOOK}", headers=student.api_headers(),
                                 json={"type": "notebook", "format": "json", "content": notebook}, timeout=60)
            assert saved.status_code == 200, saved.text
            ran[name] = student.run_notebook(NOTEBOOK, timeout=300)[1]  # the public checks, in their kernel

        out = tmp_path_factory.mktemp("collected")
        collected = run("hub/collect.py", "--users", state / "users", "--out", out,
                        "--folder", "after-mosul/assignments")
        (graded,) = out.iterdir()
        run("-m", "book.grade", graded, "--autograder", built / "autograder")
        returned = run("hub/collect.py", "--users", state / "users", "--return-feedback", graded)
        feedback = {name: requests.get(f"{student.server_url}/files/feedback/{graded.name}.md",
                                       headers=student.api_headers(), timeout=30)
                    for name, student in students.items()}
        other = requests.get(f"{students['alice'].server_url}/files/feedback/{graded.name}.md",
                             headers=students["bob"].api_headers(), timeout=30)
        yield {"ran": ran, "collected": collected.stdout, "graded": graded, "returned": returned.stdout,
               "feedback": feedback, "other": other}


def test_each_student_pulls_the_assignment_and_its_public_checks_run_on_the_hub(round_trip):
    assert round_trip["ran"] == {"alice": [], "bob": []}


def test_the_instructor_collects_one_folder_per_student(round_trip):
    graded = round_trip["graded"]
    assert "Copied the work of 2 students" in round_trip["collected"]
    assert sorted(p.name for p in graded.iterdir() if p.is_dir()) == ["alice", "bob"]
    assert (graded / "bob" / f"{NAME}.ipynb").read_text().count("100 * icsr[2016] / icsr[2014]") == 1


def test_make_grade_marks_each_students_work_with_the_hidden_tests(round_trip):
    with open(round_trip["graded"] / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for name, expected in EXPECTED.items():
        mine = [r for r in rows if r["student"] == name]
        assert [r["question"] for r in mine] == [f"{NAME}/q{i}" for i in range(1, 5)]
        assert [r["points"] for r in mine] == expected, name


def test_each_student_reads_their_own_feedback_on_their_server(round_trip):
    assert "Returned feedback to 2 students" in round_trip["returned"]
    for name, reply in round_trip["feedback"].items():
        assert reply.status_code == 200, name
        text = reply.text
        assert text.startswith(f"# Feedback for {name}")
        total = 6 if name == "alice" else 4
        assert re.search(rf"Checked by the autograder: {total} of 6 points\.", text), text
    assert round_trip["other"].status_code == 403

"""A graded assignment's round trip on a real class hub: hand out, answer, collect, grade, return feedback.

Two students pull the assignment with nbgitpuller, answer it in their own servers (its public checks
run in their kernels), then the instructor collects (hub/collect.py), grades (book/grade.py, the
command `make grade` runs) and returns the feedback (hub/collect.py --return-feedback), which each
student opens on their server. Uses the hub as tests/integration/test_hub.py starts it (hub/hubkit.py):
each student has their own system account, named for this run and removed at the end.
"""

import csv
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
import requests

from hub import hubkit
from hub.accounts import system_name

from .test_hub_attacks import git_repo

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "test-only-password"
NAME = "03_finances"
NOTEBOOK = f"after-mosul/assignments/{NAME}.ipynb"
RUN = uuid.uuid4().hex[:6]
ALICE, BOB = f"alice{RUN}", f"bob{RUN}"
ANSWERS = {  # student -> what they write in place of each `...`
    ALICE: {"ihs_yearly_2016": "12 * ihs[ihs['year'] == 2016]['high_usd_millions'].iloc[0]",
              "icsr_fall": "100 * (icsr[2014] - icsr[2016]) / icsr[2014]",
              "looting_midpoint": "looting.dropna(subset=['high_usd_millions'])[['low_usd_millions', "
                                  "'high_usd_millions']].iloc[0].mean()"},
    BOB: {"ihs_yearly_2016": "672", "icsr_fall": "100 * icsr[2016] / icsr[2014]", "looting_midpoint": "750"},
}
EXPECTED = {ALICE: ["2", "2", "2", ""], BOB: ["2", "0", "2", ""]}


def run(*args) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The autograder, and the address of a course repository holding the student notebook."""
    built = tmp_path_factory.mktemp("built")
    run("-m", "book.build_assignments", NAME, "--out", built)
    repos = Path(tempfile.mkdtemp(prefix="course-hub-assignment-"))
    repos.chmod(0o755)
    try:
        yield built, git_repo(repos / "course", {
            f"assignments/{NAME}.ipynb": (built / "student" / f"{NAME}.ipynb").read_bytes()})
    finally:
        shutil.rmtree(repos, ignore_errors=True)


def handed_to(repo: Path, account: str) -> None:
    """git refuses a local repository another account owns (a real course repository is a web address)."""
    subprocess.run(["chown", "-R", f"{account}:", str(repo)], check=True)


@pytest.fixture(scope="module")
def round_trip(course, tmp_path_factory):
    built, repo = course
    state = Path(tempfile.mkdtemp(prefix="course-hub-grading-"))  # under /tmp: students can pass through
    try:
        with hubkit.accounts_removed(list(ANSWERS)), hubkit.running_hub(
                state, "--JupyterHub.authenticator_class=dummy", f"--DummyAuthenticator.password={PASSWORD}",
                env={"COURSE_REPO_URL": str(repo)}) as (url, _):
            students = {name: hubkit.Student(url, name, PASSWORD) for name in ANSWERS}
            ran = {}
            for name, student in students.items():
                student.login()
                student.start_server()
                handed_to(repo, system_name(name))
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
            collected = run("-m", "hub.collect", "--users", state / "users", "--out", out,
                            "--folder", "after-mosul/assignments")
            (graded,) = out.iterdir()
            run("-m", "book.grade", graded, "--autograder", built / "autograder")
            returned = run("-m", "hub.collect", "--users", state / "users", "--return-feedback", graded)
            feedback = {name: requests.get(f"{student.server_url}/files/feedback/{graded.name}.md",
                                           headers=student.api_headers(), timeout=30)
                        for name, student in students.items()}
            other = requests.get(f"{students[ALICE].server_url}/files/feedback/{graded.name}.md",
                                 headers=students[BOB].api_headers(), timeout=30)
            feedback_owners = {name: (state / "users" / name / "feedback" / f"{graded.name}.md").stat().st_uid
                               for name in students}
            homes = {name: (state / "users" / name).stat().st_uid for name in students}
            yield {"owners": feedback_owners, "homes": homes,
                   "ran": ran, "collected": collected.stdout, "graded": graded, "returned": returned.stdout,
                   "feedback": feedback, "other": other}
    finally:
        shutil.rmtree(state, ignore_errors=True)


def test_each_student_pulls_the_assignment_and_its_public_checks_run_on_the_hub(round_trip):
    assert round_trip["ran"] == {ALICE: [], BOB: []}


def test_the_instructor_collects_one_folder_per_student(round_trip):
    graded = round_trip["graded"]
    assert "Copied the work of 2 students" in round_trip["collected"]
    assert sorted(p.name for p in graded.iterdir() if p.is_dir()) == [ALICE, BOB]
    assert (graded / BOB / f"{NAME}.ipynb").read_text().count("100 * icsr[2016] / icsr[2014]") == 1


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
        total = 6 if name == ALICE else 4
        assert re.search(rf"Checked by the autograder: {total} of 6 points\.", text), text
    assert round_trip["other"].status_code == 403


def test_returned_feedback_belongs_to_its_student_not_to_root(round_trip):
    assert round_trip["owners"] == round_trip["homes"]
    assert 0 not in round_trip["owners"].values()

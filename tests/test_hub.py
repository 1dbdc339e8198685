"""The class hub (hub/): three students on a real JupyterHub, on loopback, started and stopped here.

Only the authenticator differs from `make hub`: a dummy one with a shared test password.
"""

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hub"))

import hubkit  # noqa: E402 - after the path is set

PASSWORD = "test-only-password"
STUDENTS = ["alice", "bob", "carol"]
CHAPTER, EXERCISE = "chapters/02_mosul.ipynb", "exercises/01_rise.ipynb"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    state = tmp_path_factory.mktemp("hub")
    with hubkit.running_hub(state, "--JupyterHub.authenticator_class=dummy",
                            f"--DummyAuthenticator.password={PASSWORD}",
                            env={"COURSE_HUB_ALLOW_ROOT": "1", "COURSE_HUB_ADMIN": "instructor"}) as (url, _):
        students = {name: hubkit.Student(url, name, PASSWORD) for name in STUDENTS + ["instructor"]}
        for student in students.values():
            student.login()
        yield url, state, students


@pytest.fixture(scope="module")
def ran(hub):
    """All three students at once: start a server, run a chapter and an exercise notebook."""
    _, _, students = hub

    def session(name):
        student = students[name]
        student.start_server()
        return {path: student.run_notebook(path, timeout=180)[1] for path in (CHAPTER, EXERCISE)}

    with ThreadPoolExecutor(len(STUDENTS)) as pool:
        return dict(zip(STUDENTS, pool.map(session, STUDENTS)))


def test_each_student_runs_a_chapter_and_an_exercise_without_errors(ran):
    assert set(ran) == set(STUDENTS)
    for name, problems in ran.items():
        assert problems == {CHAPTER: [], EXERCISE: []}, name


def test_each_student_has_their_own_working_copy(hub, ran):
    _, state, _ = hub
    for name in STUDENTS:
        copy = state / "users" / name
        assert (copy / EXERCISE).read_bytes() == (ROOT / "exercises/student/01_rise.ipynb").read_bytes()
        assert (copy / CHAPTER).exists()
        assert copy.stat().st_mode & 0o077 == 0, f"{copy} is open to other accounts"


def test_a_students_token_and_cookie_are_refused_on_another_students_server(hub, ran):
    _, _, students = hub
    alice, bob = students["alice"], students["bob"]
    token = alice.api_headers()
    notebook = f"{bob.server_url}/api/contents/{EXERCISE}"
    # The same requests work on alice's own server: the refusals below are about whose server it is.
    assert requests.get(f"{alice.server_url}/api/contents/{EXERCISE}", headers=token, timeout=30).status_code == 200
    assert alice.session.get(f"{alice.server_url}/files/{EXERCISE}", timeout=30).status_code == 200

    assert requests.get(notebook, headers=token, timeout=30).status_code == 403
    assert requests.get(f"{bob.server_url}/files/{EXERCISE}", headers=token, timeout=30).status_code == 403
    assert requests.post(f"{bob.server_url}/api/kernels", headers=token, json={"name": "python3"},
                         timeout=30).status_code == 403
    assert requests.put(notebook, headers=token, json={"type": "file", "format": "text", "content": "x"},
                        timeout=30).status_code == 403
    assert alice.hub_api("POST", "/users/bob/tokens", json={}).status_code in (403, 404)
    assert alice.hub_api("DELETE", "/users/bob/server").status_code in (403, 404)

    by_cookie = alice.session.get(f"{bob.server_url}/files/{EXERCISE}", timeout=30)
    assert by_cookie.status_code == 403
    assert '"cells"' not in by_cookie.text
    assert alice.session.get(notebook, timeout=30).status_code == 403
    assert alice.session.get(f"{bob.server_url}/lab", timeout=30).status_code == 403


def test_the_admin_sees_who_is_running_and_students_do_not(hub, ran):
    _, _, students = hub
    running = students["instructor"].hub_api("GET", "/users", params={"state": "active"})
    assert running.status_code == 200
    assert {user["name"] for user in running.json()} == set(STUDENTS)
    assert students["alice"].hub_api("GET", "/users").status_code == 403
    services = students["instructor"].hub_api("GET", "/services").json()
    assert services["idle-culler"]["pid"] > 0, "the idle culler is not running as a managed service"


def test_a_students_work_survives_a_server_restart(hub, ran):
    _, state, students = hub
    carol = students["carol"]
    saved = carol.contents(EXERCISE).json()
    saved["content"]["cells"][0]["source"] = "# carol's notes\n"
    reply = requests.put(f"{carol.server_url}/api/contents/{EXERCISE}", headers=carol.api_headers(),
                         json={"type": "notebook", "format": "json", "content": saved["content"]}, timeout=30)
    assert reply.status_code == 200
    carol.stop_server()
    carol.start_server()
    assert carol.contents(EXERCISE).json()["content"]["cells"][0]["source"] == "# carol's notes\n"
    assert "carol's notes" in (state / "users" / "carol" / EXERCISE).read_text()


def test_an_nbgitpuller_link_clones_the_course_into_the_students_folder(hub, ran, tmp_path):
    _, state, students = hub
    repo = tmp_path / "course"
    (repo / "exercises/student").mkdir(parents=True)
    (repo / "exercises/student/01_rise.ipynb").write_bytes((ROOT / "exercises/student/01_rise.ipynb").read_bytes())
    git = ["git", "-C", str(repo), "-c", "user.name=Course", "-c", "user.email=course@example.org"]
    for command in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "course"]):
        subprocess.run(git + command, check=True, capture_output=True)
    alice = students["alice"]
    pulled = requests.get(f"{alice.server_url}/git-pull/api", headers=alice.api_headers(), timeout=120,
                          params={"repo": str(repo), "branch": "main", "targetpath": "after-mosul"})
    assert pulled.status_code == 200 and '"phase": "finished"' in pulled.text, pulled.text[-500:]
    assert alice.contents("after-mosul/exercises/student/01_rise.ipynb").status_code == 200
    assert (state / "users/alice/after-mosul/exercises/student/01_rise.ipynb").exists()
    assert not (state / "users/bob/after-mosul").exists()


def test_the_documented_set_up_admits_a_student_only_after_the_instructor_approves(tmp_path):
    """`make hub` as configured (NativeAuthenticator): sign up, refused, approved, admitted."""
    password = "a-long-enough-password-8472"

    def sign_up(url, name):
        session = requests.Session()
        page = session.get(f"{url}/hub/signup", timeout=30)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
        session.post(f"{url}/hub/signup", timeout=30, data={
            "username": name, "signup_password": password, "signup_password_confirmation": password,
            "_xsrf": xsrf})

    with hubkit.running_hub(tmp_path, env={"COURSE_HUB_ALLOW_ROOT": "1",
                                           "COURSE_HUB_ADMIN": "instructor"}) as (url, _):
        for name in ("instructor", "dana"):
            sign_up(url, name)
        with pytest.raises(hubkit.HubError, match="dana could not log in"):
            hubkit.Student(url, "dana", password).login()
        instructor = hubkit.Student(url, "instructor", password)
        instructor.login()
        assert instructor.session.get(f"{url}/hub/authorize/dana", timeout=30).status_code == 200
        dana = hubkit.Student(url, "dana", password)
        dana.login()
        assert dana.hub_api("GET", "/user").json()["name"] == "dana"
        with pytest.raises(hubkit.HubError, match="could not log in"):
            hubkit.Student(url, "dana", "a-wrong-password-000").login()


def test_running_a_notebook_reports_errors_and_stderr(hub, ran):
    """The check the notebooks pass above does see a failing cell."""
    _, _, students = hub
    bob = students["bob"]
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": source}
             for source in ("import sys\nprint('a warning', file=sys.stderr)", "1 / 0", "'not reached'")]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    reply = requests.put(f"{bob.server_url}/api/contents/broken.ipynb", headers=bob.api_headers(), timeout=60,
                         json={"type": "notebook", "format": "json", "content": notebook})
    assert reply.status_code == 201
    _, problems = bob.run_notebook("broken.ipynb", timeout=120)
    assert problems[0] == "cell 1: stderr: a warning\n"
    assert problems[1] == "cell 2: ZeroDivisionError: division by zero"

"""The class hub (hub/): three students on a real JupyterHub, on loopback, started and stopped here.

Only the authenticator differs from `make hub`: a dummy one with a shared test password. Each
student gets a real system account, named for this run and removed at the end (the tests run as root).
"""

import pwd
import re
import shutil
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from hub import hubkit
from hub.accounts import system_name

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "test-only-password"
RUN = uuid.uuid4().hex[:6]
ALICE, BOB, CAROL, INSTRUCTOR = (f"{name}{RUN}" for name in ("alice", "bob", "carol", "teacher"))
STUDENTS = [ALICE, BOB, CAROL]
CHAPTER, EXERCISE = "chapters/02_mosul.ipynb", "exercises/01_rise.ipynb"


@pytest.fixture
def fresh_state():
    """A folder for a hub's state under /tmp (students must be able to pass through to their homes)."""
    state = Path(tempfile.mkdtemp(prefix="course-hub-test-"))
    yield state
    shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="module")
def hub():
    state = Path(tempfile.mkdtemp(prefix="course-hub-test-"))
    try:
        with hubkit.accounts_removed(STUDENTS + [INSTRUCTOR]), hubkit.running_hub(
                state, "--JupyterHub.authenticator_class=dummy", f"--DummyAuthenticator.password={PASSWORD}",
                env={"COURSE_HUB_ADMIN": INSTRUCTOR}) as (url, _):
            students = {name: hubkit.Student(url, name, PASSWORD) for name in STUDENTS + [INSTRUCTOR]}
            for student in students.values():
                student.login()
            yield url, state, students
    finally:
        shutil.rmtree(state, ignore_errors=True)


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
        account = pwd.getpwnam(system_name(name))
        assert {p.stat().st_uid for p in [copy, *copy.rglob("*")]} == {account.pw_uid}


def test_a_students_token_and_cookie_are_refused_on_another_students_server(hub, ran):
    _, _, students = hub
    alice, bob = students[ALICE], students[BOB]
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
    assert alice.hub_api("POST", f"/users/{BOB}/tokens", json={}).status_code in (403, 404)
    assert alice.hub_api("DELETE", f"/users/{BOB}/server").status_code in (403, 404)

    by_cookie = alice.session.get(f"{bob.server_url}/files/{EXERCISE}", timeout=30)
    assert by_cookie.status_code == 403
    assert '"cells"' not in by_cookie.text
    assert alice.session.get(notebook, timeout=30).status_code == 403
    assert alice.session.get(f"{bob.server_url}/lab", timeout=30).status_code == 403


def test_the_admin_sees_who_is_running_and_students_do_not(hub, ran):
    _, _, students = hub
    running = students[INSTRUCTOR].hub_api("GET", "/users", params={"state": "active"})
    assert running.status_code == 200
    assert {user["name"] for user in running.json()} == set(STUDENTS)
    assert students[ALICE].hub_api("GET", "/users").status_code == 403
    services = students[INSTRUCTOR].hub_api("GET", "/services").json()
    assert services["idle-culler"]["pid"] > 0, "the idle culler is not running as a managed service"


def test_a_students_work_survives_a_server_restart(hub, ran):
    _, state, students = hub
    carol = students[CAROL]
    saved = carol.contents(EXERCISE).json()
    saved["content"]["cells"][0]["source"] = "# carol's notes\n"
    reply = requests.put(f"{carol.server_url}/api/contents/{EXERCISE}", headers=carol.api_headers(),
                         json={"type": "notebook", "format": "json", "content": saved["content"]}, timeout=30)
    assert reply.status_code == 200
    carol.stop_server()
    carol.start_server()
    assert carol.contents(EXERCISE).json()["content"]["cells"][0]["source"] == "# carol's notes\n"
    assert "carol's notes" in (state / "users" / CAROL / EXERCISE).read_text()


def test_without_a_course_repository_an_nbgitpuller_link_is_refused_with_a_sentence(hub, ran):
    _, state, students = hub
    alice = students[ALICE]
    before = sorted((state / "users" / ALICE).rglob("*"))
    for page in ("git-pull/api", "git-pull"):
        reply = requests.get(f"{alice.server_url}/{page}", headers=alice.api_headers(), timeout=120,
                             params={"repo": str(ROOT), "branch": "main", "targetpath": "after-mosul"})
        assert reply.status_code == 400, (page, reply.status_code, reply.text[-300:])
        assert "This hub does not pull course material from links" in reply.text
    assert sorted((state / "users" / ALICE).rglob("*")) == before


def test_the_documented_set_up_admits_a_student_only_after_the_instructor_approves(fresh_state):
    """`make hub` as configured (NativeAuthenticator): sign up, refused, approved (which makes the
    student's account), admitted."""
    password = "a-long-enough-password-8472"
    teacher, dana = f"teacher{RUN}x", f"dana{RUN}"

    def sign_up(url, name):
        session = requests.Session()
        page = session.get(f"{url}/hub/signup", timeout=30)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
        session.post(f"{url}/hub/signup", timeout=30, data={
            "username": name, "signup_password": password, "signup_password_confirmation": password,
            "_xsrf": xsrf})

    with hubkit.accounts_removed([teacher, dana]), hubkit.running_hub(
            fresh_state, env={"COURSE_HUB_ADMIN": teacher}) as (url, _):
        for name in (teacher, dana):
            sign_up(url, name)
        with pytest.raises(hubkit.HubError, match=f"{dana} could not log in"):
            hubkit.Student(url, dana, password).login()
        with pytest.raises(KeyError):
            pwd.getpwnam(system_name(dana))
        instructor = hubkit.Student(url, teacher, password)
        instructor.login()
        assert instructor.session.get(f"{url}/hub/authorize/{dana}", timeout=30).status_code == 200
        account = pwd.getpwnam(system_name(dana))
        home = fresh_state / "users" / dana
        assert (home.stat().st_uid, home.stat().st_mode & 0o777) == (account.pw_uid, 0o700)
        student = hubkit.Student(url, dana, password)
        student.login()
        assert student.hub_api("GET", "/user").json()["name"] == dana
        with pytest.raises(hubkit.HubError, match="could not log in"):
            hubkit.Student(url, dana, "a-wrong-password-000").login()


def test_running_a_notebook_reports_errors_and_stderr(hub, ran):
    """The check the notebooks pass above does see a failing cell."""
    _, _, students = hub
    bob = students[BOB]
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": source}
             for source in ("import sys\nprint('a warning', file=sys.stderr)", "1 / 0", "'not reached'")]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    reply = requests.put(f"{bob.server_url}/api/contents/broken.ipynb", headers=bob.api_headers(), timeout=60,
                         json={"type": "notebook", "format": "json", "content": notebook})
    assert reply.status_code == 201
    _, problems = bob.run_notebook("broken.ipynb", timeout=120)
    assert problems[0] == "cell 1: stderr: a warning\n"
    assert problems[1] == "cell 2: ZeroDivisionError: division by zero"

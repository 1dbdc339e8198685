"""Two students on a real class hub, each with their own account: every attack from issue 21, replayed.

Mallory runs code in her own kernel, as any student can; Victor is her classmate. Nothing here may
let her read his token or files, touch the hub's secrets, configuration or environment, or make a
link he clicks write anywhere but a plain folder of his home from the course repository.
"""

import json
import shutil
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from hub import hubkit
from hub.accounts import system_name

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "test-only-password"
NOTEBOOK = ROOT / "exercises/student/01_rise.ipynb"


def git_repo(folder: Path, files: dict[str, bytes]) -> Path:
    """A one-commit git repository (branch main) holding `files`, readable by every account."""
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    git = ["git", "-C", str(folder), "-c", "user.name=Course", "-c", "user.email=course@example.org"]
    for command in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "course"]):
        subprocess.run(git + command, check=True, capture_output=True)
    subprocess.run(["chmod", "-R", "a+rX", str(folder)], check=True)
    return folder


@pytest.fixture(scope="module")
def hub():
    run = uuid.uuid4().hex[:6]
    names = {"mallory": f"mallory{run}", "victor": f"victor{run}"}
    state = Path(tempfile.mkdtemp(prefix="course-hub-attacks-"))  # under /tmp: students can pass through
    repos = Path(tempfile.mkdtemp(prefix="course-hub-repos-"))
    repos.chmod(0o755)
    course = git_repo(repos / "course", {"exercises/student/01_rise.ipynb": NOTEBOOK.read_bytes()})
    hostile = git_repo(repos / "hostile", {"00-planted.py": b"open('/tmp/planted-by-a-link', 'w')\n"})
    try:
        with hubkit.accounts_removed(names.values()), hubkit.running_hub(
                state, "--JupyterHub.authenticator_class=dummy", f"--DummyAuthenticator.password={PASSWORD}",
                env={"COURSE_REPO_URL": str(course)}) as (url, _):
            students = {role: hubkit.Student(url, name, PASSWORD) for role, name in names.items()}
            for student in students.values():
                student.login()
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(lambda s: s.start_server(), students.values()))
            victor = students["victor"]
            reply = requests.put(f"{victor.server_url}/api/contents/private.txt", headers=victor.api_headers(),
                                 json={"type": "file", "format": "text", "content": "victor's answers"}, timeout=60)
            assert reply.status_code == 201
            yield {"url": url, "state": state, "course": course, "hostile": hostile, **students}
    finally:
        shutil.rmtree(state, ignore_errors=True)
        shutil.rmtree(repos, ignore_errors=True)


def attempts(student: hubkit.Student, checks: dict[str, str]) -> dict[str, str]:
    """Run each Python statement in the student's kernel: 'done', or the error it raised."""
    code = ("import json, os\nresults = {}\n"
            f"for name, statement in {checks!r}.items():\n"
            "    try:\n        exec(statement)\n        results[name] = 'done'\n"
            "    except OSError as error:\n        results[name] = type(error).__name__\n"
            "print(json.dumps(results))\n")
    return json.loads(student.run_code(code))


def test_no_student_can_read_another_accounts_token_from_proc(hub):
    mallory, victor = hub["mallory"], hub["victor"]
    printed = mallory.run_code(
        "import glob, json\nfound = set()\n"
        "for path in glob.glob('/proc/[0-9]*/environ'):\n"
        "    try:\n        data = open(path, 'rb').read()\n    except OSError:\n        continue\n"
        "    for item in data.split(b'\\0'):\n"
        "        key, _, value = item.partition(b'=')\n"
        "        if key in (b'JUPYTERHUB_API_TOKEN', b'JPY_API_TOKEN', b'CONFIGPROXY_AUTH_TOKEN'):\n"
        "            found.add((key.decode(), value.decode()))\n"
        "print(json.dumps(sorted(found)))\n")
    found = json.loads(printed)
    assert found, "the probe read no environment at all, not even the student's own"
    assert not [key for key, _ in found if key == "CONFIGPROXY_AUTH_TOKEN"], "the proxy's token is readable"
    for _, token in found:
        owner = requests.get(f"{hub['url']}/hub/api/user", headers={"Authorization": f"token {token}"}, timeout=30)
        assert owner.json().get("name") == mallory.name, f"a token of {owner.json().get('name')} is readable"
        stolen = requests.get(f"{victor.server_url}/api/contents/private.txt",
                              headers={"Authorization": f"token {token}"}, timeout=30)
        assert stolen.status_code == 403


def test_a_student_can_neither_list_read_nor_write_a_classmates_folder(hub):
    victor_home = hub["state"] / "users" / hub["victor"].name
    outcome = attempts(hub["mallory"], {
        "list the students": f"os.listdir({str(hub['state'] / 'users')!r})",
        "list victor's folder": f"os.listdir({str(victor_home)!r})",
        "read victor's file": f"open({str(victor_home / 'private.txt')!r}).read()",
        "write in victor's folder": f"open({str(victor_home / 'planted.txt')!r}, 'w').write('x')",
        "change victor's file": f"open({str(victor_home / 'private.txt')!r}, 'a').close()",
    })
    assert outcome == dict.fromkeys(outcome, "PermissionError")
    assert not (victor_home / "planted.txt").exists()
    assert (victor_home / "private.txt").read_text() == "victor's answers"
    account = __import__("pwd").getpwnam(system_name(hub["victor"].name))
    info = victor_home.stat()
    assert (info.st_uid, info.st_mode & 0o777) == (account.pw_uid, 0o700)


def test_the_hubs_secret_database_configuration_and_environment_are_out_of_a_students_reach(hub):
    state = hub["state"]
    site_packages = next(hubkit.BIN.parent.glob("lib/python3*/site-packages"))  # the students' environment
    planted = [ROOT / "hub/planted.py", site_packages / "planted.pth", hubkit.BIN / "planted"]
    try:
        outcome = attempts(hub["mallory"], {
            "list the hub's state": f"os.listdir({str(state)!r})",
            "read the cookie secret": f"open({str(state / 'jupyterhub_cookie_secret')!r}, 'rb').read()",
            "read the database": f"open({str(state / 'jupyterhub.sqlite')!r}, 'rb').read()",
            "write the configuration": f"open({str(ROOT / 'hub/jupyterhub_config.py')!r}, 'a').close()",
            "change the course package": f"open({str(ROOT / 'after_mosul/__init__.py')!r}, 'a').close()",
            **{f"plant {path.name}": f"open({str(path)!r}, 'w').close()" for path in planted},
        })
        assert outcome == dict.fromkeys(outcome, "PermissionError")
        assert not [path for path in planted if path.exists()]
    finally:
        for path in planted:
            path.unlink(missing_ok=True)


def test_a_student_cannot_listen_to_a_classmates_kernel(hub):
    """A kernel's output channel needs no key: on a loopback TCP port, any account could subscribe."""
    mallory, victor = hub["mallory"], hub["victor"]
    listener = (
        "import json, pwd, time, zmq\n"
        f"uid = pwd.getpwnam({system_name(victor.name)!r}).pw_uid\n"
        "ports = set()\n"
        "for table in ('/proc/net/tcp', '/proc/net/tcp6'):\n"
        "    for line in open(table).readlines()[1:]:\n"
        "        fields = line.split()\n"
        "        if fields[3] == '0A' and int(fields[7]) == uid:\n"
        "            ports.add(int(fields[1].rsplit(':', 1)[1], 16))\n"
        "context = zmq.Context()\n"
        "sockets = []\n"
        "for port in ports:\n"
        "    sub = context.socket(zmq.SUB)\n"
        "    sub.setsockopt(zmq.SUBSCRIBE, b'')\n"
        "    sub.connect(f'tcp://127.0.0.1:{port}')\n"
        "    sockets.append(sub)\n"
        "heard, end = [], time.time() + 8\n"
        "while time.time() < end:\n"
        "    for sub in sockets:\n"
        "        while sub.poll(10):\n"
        "            heard.append(b''.join(sub.recv_multipart()).decode(errors='replace'))\n"
        "print(json.dumps({'ports': len(ports), 'heard': heard}))\n")
    talker = "import time\nfor _ in range(80):\n    print('victor-secret-4471', flush=True)\n    time.sleep(0.25)\n"

    with ThreadPoolExecutor(1) as pool:
        talking = pool.submit(victor.run_code, talker, 180)
        for _ in range(120):  # until victor's kernel is up and talking
            kernels = requests.get(f"{victor.server_url}/api/kernels", headers=victor.api_headers(), timeout=30)
            if any(k["execution_state"] == "busy" for k in kernels.json()):
                break
            time.sleep(0.5)
        outcome = json.loads(mallory.run_code(listener, 120))
        assert "victor-secret-4471" in talking.result()
    assert outcome["ports"] >= 1, "the probe found none of victor's ports, not even his server's"
    assert not [m for m in outcome["heard"] if "victor-secret" in m], outcome["heard"][:3]


def files_under(*folders: Path) -> set[str]:
    return {str(p) for folder in folders if folder.exists() for p in folder.rglob("*")}


@pytest.mark.parametrize("link", ["another repository", "a classmate's folder", "an absolute path",
                                  "a startup folder", "a dot folder", "above the home"])
def test_every_hostile_nbgitpuller_link_is_refused_with_a_sentence_and_writes_nothing(hub, link):
    victor, mallory = hub["victor"], hub["mallory"]
    outside = Path(tempfile.gettempdir()) / f"pulled-{uuid.uuid4().hex[:6]}"
    course, hostile = str(hub["course"]), str(hub["hostile"])
    repo, target = {
        "another repository": (hostile, "after-mosul"),
        "a classmate's folder": (course, f"../{mallory.name}/after-mosul"),
        "an absolute path": (course, str(outside)),
        "a startup folder": (hostile, ".ipython/profile_default/startup"),
        "a dot folder": (course, ".jupyter"),
        "above the home": (course, "work/../../x"),
    }[link]
    victor_home = hub["state"] / "users" / victor.name
    before = files_under(victor_home)
    for page in ("git-pull/api", "git-pull"):  # what the link's page calls, and the page a link opens
        reply = requests.get(f"{victor.server_url}/{page}", headers=victor.api_headers(), timeout=120,
                             params={"repo": repo, "branch": "main", "targetpath": target})
        assert reply.status_code == 400, (page, reply.status_code, reply.text[-300:])
        assert "this hub only pulls the course repository" in reply.text or "plain folder of your home" in reply.text
        assert "Traceback" not in reply.text
    assert files_under(victor_home) == before
    assert not (hub["state"] / "users" / mallory.name / "after-mosul").exists()
    assert not outside.exists()
    assert not Path("/tmp/planted-by-a-link").exists()


def test_the_course_repository_is_pulled_into_a_plain_folder_of_the_students_home(hub):
    victor, mallory = hub["victor"], hub["mallory"]
    account = __import__("pwd").getpwnam(system_name(victor.name))
    # git refuses a repository another account owns; the course's real one is a web address
    subprocess.run(["chown", "-R", f"{account.pw_uid}:{account.pw_gid}", str(hub["course"])], check=True)
    pulled = requests.get(f"{victor.server_url}/git-pull/api", headers=victor.api_headers(), timeout=120,
                          params={"repo": str(hub["course"]), "branch": "main", "targetpath": "after-mosul"})
    assert pulled.status_code == 200 and '"phase": "finished"' in pulled.text, pulled.text[-500:]
    copy = hub["state"] / "users" / victor.name / "after-mosul/exercises/student/01_rise.ipynb"
    assert copy.read_bytes() == NOTEBOOK.read_bytes() and copy.stat().st_uid == account.pw_uid
    assert not (hub["state"] / "users" / mallory.name / "after-mosul").exists()

"""The class hub's files without a running hub: working copies, collecting work, the safety rules
checked at start, links, Kubernetes values."""

import os
import runpy
import socket
import stat
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from hub import accounts, collect, course_hub, image_tag, links, safe_puller, safety, working_copy

ROOT = Path(__file__).resolve().parents[2]


def pins(path: Path) -> dict[str, str]:
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return dict(line.lower().split("==") for line in lines if "==" in line)


def test_the_working_copy_is_made_once_and_never_overwrites_a_students_work(tmp_path):
    home = tmp_path / "users" / "alice"
    copied = working_copy.ensure_working_copy(home)
    names = {p.relative_to(home).as_posix() for p in copied}
    assert "exercises/01_rise.ipynb" in names and "chapters/02_mosul.ipynb" in names
    assert len(names) == len(list((ROOT / "chapters").glob("*.ipynb"))) * 2
    assert home.stat().st_mode & 0o777 == 0o700
    (home / "exercises/01_rise.ipynb").write_text("my answers")
    (home / "chapters/05_ideology.ipynb").unlink()
    again = working_copy.ensure_working_copy(home)
    assert [p.relative_to(home).as_posix() for p in again] == ["chapters/05_ideology.ipynb"]
    assert (home / "exercises/01_rise.ipynb").read_text() == "my answers"


@pytest.mark.parametrize("name", ["../bob", "a/b", ".hidden", "", "Root", "a.b", "x" * 25, "-x"])
def test_a_user_name_that_is_not_a_plain_short_name_is_refused(tmp_path, name):
    with pytest.raises(ValueError, match="cannot be used on this hub"):
        accounts.user_home(tmp_path, name)


def test_each_student_runs_as_their_own_account_named_for_them():
    assert accounts.system_name("alice") == "jupyter-alice"
    assert len(accounts.system_name("x" * 24)) == 32  # Linux's longest account name


def test_a_new_account_is_handed_the_folder_an_older_hub_made_as_root(tmp_path):
    import pwd
    import uuid

    name = f"old{uuid.uuid4().hex[:6]}"
    home = tmp_path / "users" / name
    working_copy.ensure_working_copy(home)
    (home / "notes.txt").symlink_to("/etc/hostname")
    try:
        account = accounts.ensure_account(name, home)
        assert account.pw_name == f"jupyter-{name}" and pwd.getpwnam(account.pw_name).pw_dir == str(home)
        owners = {p.lstat().st_uid for p in [home, *home.rglob("*")]}
        assert owners == {account.pw_uid}
        assert Path("/etc/hostname").stat().st_uid == 0, "a link was followed"
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
    finally:
        accounts.remove_account(name)
    with pytest.raises(KeyError):
        pwd.getpwnam(f"jupyter-{name}")


def test_collecting_work_copies_each_students_exercises(tmp_path):
    users = tmp_path / "users"
    for name in ("alice", "bob"):
        working_copy.ensure_working_copy(users / name)
    (users / "alice/exercises/01_rise.ipynb").write_text("alice's answers")
    (users / "bob/exercises/.ipynb_checkpoints").mkdir()
    (users / "bob/exercises/alices.ipynb").symlink_to(users / "alice/exercises/01_rise.ipynb")
    made = collect.collect_work(users, tmp_path / "out")
    assert [p.name for p in made] == ["alice", "bob"]
    assert (made[0] / "01_rise.ipynb").read_text() == "alice's answers"
    assert not (made[1] / ".ipynb_checkpoints").exists()
    assert made[0].parent.parent == tmp_path / "out"
    assert (made[1] / "alices.ipynb").is_symlink(), "a link in a student's folder was followed"


def test_collecting_work_never_follows_a_students_folder_that_is_a_link(tmp_path):
    users = tmp_path / "users"
    working_copy.ensure_working_copy(users / "alice")
    (users / "mallory").mkdir()
    (users / "mallory/exercises").symlink_to(users / "alice/exercises")
    assert [p.name for p in collect.collect_work(users, tmp_path / "out")] == ["alice"]


def load_config(monkeypatch, tmp_path, euid=0, **env):
    from traitlets.config import Config

    monkeypatch.setattr(os, "geteuid", lambda: euid)
    monkeypatch.setattr(sys, "executable", str(ROOT / ".hub-venv/bin/python"))  # as `make hub` runs it
    for name in ("COURSE_HUB_IP", "COURSE_HUB_SSL_CERT", "COURSE_HUB_SSL_KEY", safety.TRUSTED_NETWORK,
                 "COURSE_REPO_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {"COURSE_HUB_STATE": str(tmp_path / "state"), **env}.items():
        monkeypatch.setenv(name, value)
    config = Config()
    runpy.run_path(str(ROOT / "hub/jupyterhub_config.py"), init_globals={"get_config": lambda: config})
    return config


def test_the_hub_runs_as_root_and_says_why_when_it_is_not(monkeypatch, tmp_path):
    with pytest.raises(SystemExit, match="runs as root, so that each student's server runs as the student"):
        load_config(monkeypatch, tmp_path, euid=1000)
    config = load_config(monkeypatch, tmp_path)
    assert "--ServerApp.allow_root=True" not in config.Spawner.args
    assert config.JupyterHub.ip == "127.0.0.1" and config.Spawner.ip == "127.0.0.1"
    assert config.CourseSpawner.users_dir == str(tmp_path / "state/users")
    assert config.JupyterHub.spawner_class == "hub.course_hub.CourseSpawner"


def test_nbgitpuller_runs_only_through_the_checked_extension_told_the_course_repository(monkeypatch, tmp_path):
    for repo in ("", "https://github.com/o/r"):
        config = load_config(monkeypatch, tmp_path, COURSE_REPO_URL=repo)
        assert "--ServerApp.jpserver_extensions=nbgitpuller=False" in config.Spawner.args
        assert "--ServerApp.jpserver_extensions=hub.safe_puller=True" in config.Spawner.args
        assert config.Spawner.environment["COURSE_REPO_URL"] == repo


def test_an_existing_state_folder_is_tightened_at_start(monkeypatch, tmp_path):
    state = tmp_path / "state"
    (state / "users/alice").mkdir(parents=True)
    for name in ("jupyterhub.sqlite", "jupyterhub_cookie_secret", "hub.log"):
        (state / name).write_text("x")
        (state / name).chmod(0o644)
    state.chmod(0o755)
    (state / "users").chmod(0o755)
    load_config(monkeypatch, tmp_path)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [state, *state.iterdir()]}
    assert modes == {"state": 0o711, "users": 0o711, "jupyterhub.sqlite": 0o600,
                     "jupyterhub_cookie_secret": 0o600, "hub.log": 0o600}
    assert {p.stat().st_uid for p in [state, *state.iterdir()]} == {0}


def test_the_hub_refuses_a_configuration_or_environment_others_can_change(tmp_path):
    config = tmp_path / "hub/jupyterhub_config.py"
    config.parent.mkdir()
    config.write_text("")
    assert safety.writable_by_others([config]) == []
    config.parent.chmod(0o777)
    assert safety.writable_by_others([config]) == [config.parent]
    config.parent.chmod(0o755)
    os.chown(config, 1000, 1000)
    assert safety.writable_by_others([config]) == [config]


def test_the_hub_refuses_an_interpreter_students_cannot_run(monkeypatch, tmp_path):
    private = tmp_path / "private"
    (private / "bin").mkdir(parents=True)
    private.chmod(0o700)
    (private / "bin/python").symlink_to("/usr/bin/python3")
    assert safety.closed_to_others([private / "bin/python"]) == []  # the link leads elsewhere
    (private / "bin/python").unlink()
    (private / "bin/python").write_text("")
    assert private in safety.closed_to_others([private / "bin/python"])
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(sys, "executable", str(private / "bin/python"))
    monkeypatch.setenv("COURSE_HUB_STATE", str(tmp_path / "state"))
    from traitlets.config import Config
    with pytest.raises(SystemExit, match="Students' servers could not run .* Run the hub from the students"):
        runpy.run_path(str(ROOT / "hub/jupyterhub_config.py"), init_globals={"get_config": Config})


@pytest.mark.parametrize("ip", ["0.0.0.0", "", "192.168.1.20", "::"])
def test_serving_beyond_loopback_needs_https_or_a_stated_trusted_network(monkeypatch, tmp_path, ip):
    with pytest.raises(SystemExit, match="set COURSE_HUB_SSL_CERT and COURSE_HUB_SSL_KEY"):
        load_config(monkeypatch, tmp_path, COURSE_HUB_IP=ip)
    assert load_config(monkeypatch, tmp_path, COURSE_HUB_IP=ip, COURSE_HUB_TRUSTED_NETWORK="1").JupyterHub.ip == ip
    for name in ("cert.pem", "key.pem"):
        (tmp_path / name).write_text("x")
    https = load_config(monkeypatch, tmp_path, COURSE_HUB_IP=ip, COURSE_HUB_SSL_CERT=str(tmp_path / "cert.pem"),
                        COURSE_HUB_SSL_KEY=str(tmp_path / "key.pem"))
    assert https.JupyterHub.ssl_key == str(tmp_path / "key.pem")
    with pytest.raises(SystemExit, match="Set both COURSE_HUB_SSL_CERT and COURSE_HUB_SSL_KEY"):
        load_config(monkeypatch, tmp_path, COURSE_HUB_IP=ip, COURSE_HUB_SSL_CERT=str(tmp_path / "cert.pem"))


@pytest.mark.parametrize("ip", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_needs_no_certificate(monkeypatch, tmp_path, ip):
    assert load_config(monkeypatch, tmp_path, COURSE_HUB_IP=ip).JupyterHub.ip == ip


COURSE = "https://github.com/o/course"


@pytest.mark.parametrize("repo, target, why", [
    ("https://github.com/o/other", "after-mosul", "only pulls the course repository"),
    ("https://github.com/o/course.git", "after-mosul", "only pulls the course repository"),
    (COURSE, "/tmp/x", "plain folder"),
    (COURSE, "../bob/after-mosul", "plain folder"),
    (COURSE, "a/../../x", "plain folder"),
    (COURSE, ".ipython/profile_default/startup", "plain folder"),
    (COURSE, "work/.git", "plain folder"),
    (COURSE, "~/x", "plain folder"),
    (COURSE, "", "plain folder"),
    (COURSE, "a\\..\\x", "plain folder"),
])
def test_a_hostile_nbgitpuller_link_gets_a_sentence(repo, target, why):
    refusal = safe_puller.pull_refusal(repo, target, COURSE)
    assert why in refusal and refusal.endswith(".")


def test_the_course_repository_into_a_plain_folder_is_allowed_and_nothing_without_one():
    assert safe_puller.pull_refusal(COURSE, "after-mosul", COURSE) is None
    assert safe_puller.pull_refusal(COURSE + "/", "course/notes", COURSE) is None
    assert safe_puller.pull_refusal(COURSE, None, COURSE) is None  # nbgitpuller's default: the repo's name
    assert "does not pull" in safe_puller.pull_refusal(COURSE, "after-mosul", "")


def test_a_students_server_gets_a_free_port_outside_the_ephemeral_range(monkeypatch):
    """No assumption that any port is free: the only real port is one this test holds, the rest is probed by a stub."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert not course_hub.bindable(port)
        with pytest.raises(RuntimeError, match="No free port"):
            course_hub.free_server_port([port])
    free = {20011, 20017}
    monkeypatch.setattr(course_hub, "bindable", lambda candidate: candidate in free)
    for _ in range(20):  # candidates are tried in a random order: every free one may come back, never a taken one
        assert course_hub.free_server_port(range(20000, 20020)) in free
    monkeypatch.setattr(course_hub, "bindable", lambda candidate: candidate >= 20000)
    assert all(course_hub.free_server_port() in range(20000, 30000) for _ in range(20))
    assert course_hub.free_server_port(range(20000, 20020), tries=3) in range(20000, 20020)
    monkeypatch.setattr(course_hub, "bindable", lambda candidate: False)
    with pytest.raises(RuntimeError, match="No free port between 20000 and 20019"):
        course_hub.free_server_port(range(20000, 20020))


def test_links_open_each_notebook_from_the_course_repository():
    link = links.pull_link("https://hub.example.edu/", "https://github.com/o/r", "main",
                           "exercises/student/01_rise.ipynb")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    assert parse_qs(parts.query) == {"repo": ["https://github.com/o/r"], "branch": ["main"],
                                     "targetpath": ["after-mosul"],
                                     "urlpath": ["lab/tree/after-mosul/exercises/student/01_rise.ipynb"]}
    table = links.table()
    for notebook in [*ROOT.glob("chapters/*.ipynb"), *ROOT.glob("exercises/student/*.ipynb")]:
        assert f"after-mosul%2F{notebook.relative_to(ROOT).as_posix().replace('/', '%2F')}" in table


def test_the_hub_page_has_the_current_links():
    guide = (ROOT / "pages/hub.md").read_text(encoding="utf-8")
    assert f"{links.BEGIN}\n{links.table()}\n{links.END}" in guide, \
        "Run `.venv/bin/python hub/links.py --write pages/hub.md`."


def test_the_kubernetes_values_run_the_same_pinned_environment():
    values = yaml.safe_load((ROOT / "hub/values.yaml").read_text())
    user = values["singleuser"]
    assert user["image"]["tag"] == image_tag.image_tag(), \
        "binder/ changed: rebuild the image and run `.venv/bin/python hub/image_tag.py --write`."
    assert user["image"]["name"].endswith("/after-mosul")
    hub_pins, binder_pins = pins(ROOT / "hub/requirements.txt"), pins(ROOT / "binder/requirements.txt")
    project_pins = {**pins(ROOT / "constraints.txt"), **hub_pins}
    assert {name: project_pins.get(name) for name in binder_pins} == binder_pins
    assert binder_pins["nbgitpuller"] == hub_pins["nbgitpuller"]
    assert user["lifecycleHooks"]["postStart"]["exec"]["command"][0] == "gitpuller"
    assert values["cull"] == {"enabled": True, "timeout": 3600, "every": 300}
    config = (ROOT / "hub/jupyterhub_config.py").read_text()
    assert "COURSE_HUB_IDLE_TIMEOUT', '3600'" in config and "COURSE_HUB_CULL_EVERY', '300'" in config
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] == "native"
    assert 'c.JupyterHub.authenticator_class = "hub.course_hub.CourseAuthenticator"' in config
    from nativeauthenticator import NativeAuthenticator
    assert issubclass(course_hub.CourseAuthenticator, NativeAuthenticator)

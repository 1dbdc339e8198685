"""The class hub's files without a running hub: working copies, collecting work, links, Kubernetes values."""

import os
import runpy
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hub"))

import course_hub  # noqa: E402 - after the path is set
import image_tag  # noqa: E402
import links  # noqa: E402


def pins(path: Path) -> dict[str, str]:
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return dict(line.lower().split("==") for line in lines if "==" in line)


def test_the_working_copy_is_made_once_and_never_overwrites_a_students_work(tmp_path):
    home = tmp_path / "users" / "alice"
    copied = course_hub.ensure_working_copy(home)
    names = {p.relative_to(home).as_posix() for p in copied}
    assert "exercises/01_rise.ipynb" in names and "chapters/02_mosul.ipynb" in names
    assert len(names) == len(list((ROOT / "chapters").glob("*.ipynb"))) * 2
    assert home.stat().st_mode & 0o777 == 0o700
    (home / "exercises/01_rise.ipynb").write_text("my answers")
    (home / "chapters/05_ideology.ipynb").unlink()
    again = course_hub.ensure_working_copy(home)
    assert [p.relative_to(home).as_posix() for p in again] == ["chapters/05_ideology.ipynb"]
    assert (home / "exercises/01_rise.ipynb").read_text() == "my answers"


@pytest.mark.parametrize("name", ["../bob", "a/b", ".hidden", "", "Root", "x" * 65])
def test_a_user_name_that_is_not_a_plain_folder_name_is_refused(tmp_path, name):
    with pytest.raises(ValueError, match="cannot be used as a folder name"):
        course_hub.user_home(tmp_path, name)


def test_collecting_work_copies_each_students_exercises(tmp_path):
    users = tmp_path / "users"
    for name in ("alice", "bob"):
        course_hub.ensure_working_copy(users / name)
    (users / "alice/exercises/01_rise.ipynb").write_text("alice's answers")
    (users / "bob/exercises/.ipynb_checkpoints").mkdir()
    made = course_hub.collect_work(users, tmp_path / "out")
    assert [p.name for p in made] == ["alice", "bob"]
    assert (made[0] / "01_rise.ipynb").read_text() == "alice's answers"
    assert not (made[1] / ".ipynb_checkpoints").exists()
    assert made[0].parent.parent == tmp_path / "out"


def load_config(monkeypatch, tmp_path, **env):
    from traitlets.config import Config

    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.delenv("COURSE_HUB_ALLOW_ROOT", raising=False)
    for name, value in {"COURSE_HUB_STATE": str(tmp_path), **env}.items():
        monkeypatch.setenv(name, value)
    config = Config()
    runpy.run_path(str(ROOT / "hub/jupyterhub_config.py"), init_globals={"get_config": lambda: config})
    return config


def test_the_hub_refuses_to_run_as_root_unless_told_to(monkeypatch, tmp_path):
    with pytest.raises(SystemExit, match="Do not run the class hub as root"):
        load_config(monkeypatch, tmp_path)
    config = load_config(monkeypatch, tmp_path, COURSE_HUB_ALLOW_ROOT="1")
    assert config.Spawner.args == ["--ServerApp.port_retries=0", "--ServerApp.allow_root=True"]
    assert config.JupyterHub.ip == "127.0.0.1" and config.Spawner.ip == "127.0.0.1"
    assert config.CourseSpawner.users_dir == str(tmp_path / "users")


def test_a_students_server_gets_a_free_port_outside_the_ephemeral_range():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        taken.listen()
        assert course_hub.free_server_port(range(port, port + 2)) == port + 1
        with pytest.raises(RuntimeError, match="No free port"):
            course_hub.free_server_port(range(port, port + 1))
    assert course_hub.free_server_port() in range(20000, 30000)


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


def test_the_instructors_guide_has_the_current_links():
    guide = (ROOT / "pages/instructors.md").read_text(encoding="utf-8")
    assert f"{links.BEGIN}\n{links.table()}\n{links.END}" in guide, \
        "Run `.venv/bin/python hub/links.py --write pages/instructors.md`."


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
    assert 'c.JupyterHub.authenticator_class = "native"' in config

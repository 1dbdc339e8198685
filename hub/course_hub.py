"""What the class hub adds to JupyterHub: each student's folder, their working copy, collecting work.

jupyterhub_config.py uses CourseSpawner; collect.py uses collect_work; the tests use both.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import socket
from datetime import datetime, UTC
from pathlib import Path

from jupyterhub.spawner import SimpleLocalProcessSpawner
from traitlets import Unicode, default

ROOT = Path(__file__).resolve().parents[1]

# What a student's working copy holds: folder in their home -> notebooks copied there.
WORKING_COPY = {
    "chapters": ROOT / "chapters",
    "exercises": ROOT / "exercises" / "student",
}
# Hub user names become folder names: only these characters, so a name can never climb out.
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
# Students' servers listen below Linux's ephemeral range (32768-60999), where kernels' ports fall:
# with thirty servers and their kernels, a port picked there was sometimes taken before the server bound it.
SERVER_PORTS = range(20000, 30000)


def free_server_port(ports: range = SERVER_PORTS, tries: int = 100) -> int:
    """A port in `ports` nothing listens on now, on loopback."""
    for port in random.sample(ports, min(tries, len(ports))):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port between {ports.start} and {ports.stop - 1} for a student's server.")


def user_home(users_dir: Path, username: str) -> Path:
    """The folder that holds one student's files; refuses names that are not plain folder names."""
    if not SAFE_NAME.match(username) or ".." in username:
        raise ValueError(f"The user name {username!r} cannot be used as a folder name on this hub.")
    return Path(users_dir) / username


def ensure_working_copy(home: Path, sources: dict[str, Path] = WORKING_COPY) -> list[Path]:
    """Copy the course notebooks a student does not have yet; never overwrite their work.

    Returns the files copied (empty on every start after the first, unless the course adds one).
    """
    copied = []
    home.mkdir(parents=True, exist_ok=True)
    os.chmod(home, 0o700)
    for folder, source in sources.items():
        target = home / folder
        target.mkdir(exist_ok=True)
        for notebook in sorted(Path(source).glob("*.ipynb")):
            destination = target / notebook.name
            if not destination.exists():
                shutil.copyfile(notebook, destination)
                copied.append(destination)
    return copied


class CourseSpawner(SimpleLocalProcessSpawner):
    """Runs each student's server from the course environment in their own folder under users_dir.

    With no course_repo_url the first start copies the notebooks in (ensure_working_copy); with one,
    the hub's nbgitpuller links clone the repository into the student's folder instead.
    """

    users_dir = Unicode(config=True, help="Folder holding one folder per student.")
    course_repo_url = Unicode("", config=True, help="Git URL students' copies are pulled from (nbgitpuller).")

    @default("home_dir")
    def _course_home_dir(self):
        return str(user_home(Path(self.users_dir), self.user.name))

    async def start(self):
        home = Path(self.home_dir)
        if self.course_repo_url:
            home.mkdir(parents=True, exist_ok=True)
            os.chmod(home, 0o700)
        else:
            copied = ensure_working_copy(home)
            if copied:
                self.log.info("Working copy for %s: %d notebooks copied", self.user.name, len(copied))
        self.notebook_dir = str(home)
        self.port = free_server_port()
        return await super().start()


def collect_work(users_dir: Path, out_dir: Path, folder: str = "exercises") -> list[Path]:
    """Copy every student's `folder` into out_dir/<date-time>/<student>/; returns the folders made."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    made = []
    for home in sorted(Path(users_dir).iterdir()):
        source = home / folder
        if home.is_dir() and SAFE_NAME.match(home.name) and source.is_dir():
            target = Path(out_dir) / stamp / home.name
            shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
            made.append(target)
    return made

"""What the class hub adds to JupyterHub: each student's own account, folder and working copy.

jupyterhub_config.py uses CourseSpawner and CourseAuthenticator.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.handlers import ToggleAuthorizationHandler
from nativeauthenticator.orm import UserInfo
from traitlets import Unicode, default

from hub.accounts import RUNTIME_ROOT, SAFE_NAME, ensure_account, private_home, system_name, user_home

WORKING_COPY_SCRIPT = Path(__file__).resolve().parent / "working_copy.py"
# Students' servers listen below Linux's ephemeral range (32768-60999), where kernels' ports fall:
# with thirty servers and their kernels, a port picked there was sometimes taken before the server bound it.
SERVER_PORTS = range(20000, 30000)


def bindable(port: int) -> bool:
    """Whether a socket can bind `port` on loopback now."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_server_port(ports: Sequence[int] = SERVER_PORTS, tries: int = 100) -> int:
    """A port in `ports` nothing is bound to now, on loopback."""
    for port in random.sample(ports, min(tries, len(ports))):
        if bindable(port):
            return port
    raise RuntimeError(f"No free port between {min(ports)} and {max(ports)} for a student's server.")


class CourseSpawner(LocalProcessSpawner):
    """Runs each student's server as their own account `jupyter-<name>`, in their folder under users_dir.

    With no course_repo_url each start first copies in the notebooks the student lacks (as the
    student: hub/working_copy.py); with one, the restricted nbgitpuller links clone the course instead.
    """

    users_dir = Unicode(config=True, help="Folder holding one folder per student (root's, mode 711).")
    course_repo_url = Unicode("", config=True, help="Git URL students' copies are pulled from (nbgitpuller).")
    home_dir = Unicode(help="The student's folder: users_dir/<name>, their account's home.")
    runtime_root = Unicode(str(RUNTIME_ROOT), config=True,
                           help="Root's folder of students' runtime folders (kernels' Unix sockets; short "
                                "paths, since a socket's path has at most 107 characters).")

    @default("home_dir")
    def _course_home_dir(self):
        return str(user_home(Path(self.users_dir), self.user.name))

    def make_preexec_fn(self, name):
        return set_user_setuid(system_name(name))

    @property
    def runtime_dir(self) -> Path:
        return Path(self.runtime_root) / self.user.name

    def user_env(self, env):
        env.update(USER=system_name(self.user.name), HOME=self.home_dir, SHELL="/bin/bash",
                   JUPYTER_RUNTIME_DIR=str(self.runtime_dir))
        return env

    def make_private_folders(self):
        """The student's account, their home and their runtime folder (both theirs alone)."""
        account = ensure_account(self.user.name, Path(self.home_dir))
        Path(self.runtime_root).mkdir(mode=0o711, parents=True, exist_ok=True)
        os.chown(self.runtime_root, 0, 0)
        os.chmod(self.runtime_root, 0o711)
        private_home(self.runtime_dir, account.pw_uid, account.pw_gid)
        return account

    async def start(self):
        home = Path(self.home_dir)
        # In threads: thirty students starting at once must not hold up the hub's event loop.
        account = await asyncio.to_thread(self.make_private_folders)
        if not self.course_repo_url:
            copied = await asyncio.to_thread(
                subprocess.run, [sys.executable, "-I", str(WORKING_COPY_SCRIPT), str(home)],
                user=account.pw_uid, group=account.pw_gid, extra_groups=[], cwd=home,
                env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=True)
            self.log.info("Working copy for %s: %s notebooks copied", self.user.name, copied.stdout.strip())
        self.notebook_dir = str(home)
        self.port = free_server_port()
        return await super().start()


class CourseAuthenticator(NativeAuthenticator):
    """NativeAuthenticator whose approval (/hub/authorize/NAME) also creates the student's account."""

    users_dir = Unicode(config=True, help="Folder holding one folder per student.")

    def get_handlers(self, app):
        authenticator = self

        class ApproveAndCreate(ToggleAuthorizationHandler):
            async def get(self, slug):
                await super().get(slug)
                info = UserInfo.find(self.db, slug)
                if info is not None and info.is_authorized and SAFE_NAME.match(slug):
                    ensure_account(slug, user_home(Path(authenticator.users_dir), slug))

        return [(path, ApproveAndCreate if handler is ToggleAuthorizationHandler else handler)
                for path, handler in super().get_handlers(app)]

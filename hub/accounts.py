"""One system account per student, as The Littlest JupyterHub does: `jupyter-<name>`, home 700.

The hub (root) creates the account when the instructor approves a sign-up, or at the latest when
the student's server first starts; each server then runs as its student and nobody else.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import stat
import subprocess
from pathlib import Path

PREFIX = "jupyter-"
RUNTIME_ROOT = Path("/run/course-hub")  # students' runtime folders: kernels' sockets need short paths
# Hub user names become account and folder names: only these characters, and short enough that
# the prefix and the name fit Linux's 32-character limit on account names.
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,23}$")
SHELL = "/bin/bash"


def system_name(username: str) -> str:
    """The account a hub user's server runs as; refuses names that are not plain and short."""
    if not SAFE_NAME.match(username):
        raise ValueError(f"The user name {username!r} cannot be used on this hub: use 1 to 24 lower-case "
                         "letters, digits, '-' or '_', starting with a letter or digit.")
    return PREFIX + username


def user_home(users_dir: Path, username: str) -> Path:
    """The folder that holds one student's files; refuses names that are not plain folder names."""
    system_name(username)
    return Path(users_dir) / username


def ensure_account(username: str, home: Path) -> pwd.struct_passwd:
    """The student's account (made if missing, with its own group) and their home: theirs, mode 700."""
    name = system_name(username)
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--no-create-home", "--home-dir", str(home), "--shell", SHELL,
                        "--user-group", "--comment", f"class hub student {username}", name],
                       check=True, capture_output=True, text=True)
        account = pwd.getpwnam(name)
        if home.is_dir() and not home.is_symlink():  # a folder from a hub that ran every server as root
            hand_over(home, account.pw_uid, account.pw_gid)
    private_home(home, account.pw_uid, account.pw_gid)
    return account


def hand_over(folder: Path, uid: int, gid: int) -> None:
    """Give everything in `folder` to uid:gid, links included but never followed."""
    for parent, folders, files in os.walk(folder):
        for name in folders + files:
            os.chown(os.path.join(parent, name), uid, gid, follow_symlinks=False)


def private_home(home: Path, uid: int, gid: int) -> None:
    """Make `home` a real folder owned by uid:gid, mode 700 (its parent must be root's, not a student's)."""
    home.mkdir(mode=0o700, exist_ok=True)
    fd = os.open(home, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)  # never follow a planted link
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            raise RuntimeError(f"{home} is not a folder.")
        os.fchown(fd, uid, gid)
        os.fchmod(fd, 0o700)
    finally:
        os.close(fd)


def remove_account(username: str, runtime_root: Path = RUNTIME_ROOT) -> None:
    """Delete the student's account, group and runtime folder (their home stays); no error if there is none."""
    name = system_name(username)
    shutil.rmtree(Path(runtime_root) / username, ignore_errors=True)
    try:
        pwd.getpwnam(name)
    except KeyError:
        return
    subprocess.run(["userdel", name], check=True, capture_output=True, text=True)

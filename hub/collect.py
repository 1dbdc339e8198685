"""Collect the students' work: copy each student's exercises into one folder per student.

    sudo .venv/bin/python -m hub.collect            # from .hub/users into collected/<date-time>/
    sudo .venv/bin/python -m hub.collect --folder after-mosul/exercises/student   # nbgitpuller copies
    sudo .venv/bin/python -m hub.collect --folder after-mosul/assignments          # graded assignments
    sudo .venv/bin/python -m hub.collect --return-feedback collected/<date-time>  # after `make grade`

Run it as root on the hub's machine after the deadline; servers can keep running (it only reads).
The copies are root's alone (mode 700): marking stays between the instructor and each student.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
from datetime import datetime, UTC
from pathlib import Path

from hub.accounts import SAFE_NAME

ROOT = Path(__file__).resolve().parents[1]
FEEDBACK = "feedback"  # the folder of a student's home that graded feedback is returned into


def collect_work(users_dir: Path, out_dir: Path, folder: str = "exercises") -> list[Path]:
    """Copy every student's `folder` into out_dir/<date-time>/<student>/; returns the folders made.

    Links in a student's folder are copied as links, never followed: a student could point one at a
    classmate's work or at the hub's files.
    """
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    made = []
    for home in sorted(Path(users_dir).iterdir()):
        source = home / folder
        steps = [home / Path(*Path(folder).parts[:n]) for n in range(len(Path(folder).parts) + 1)]
        if SAFE_NAME.match(home.name) and not any(step.is_symlink() for step in steps) and source.is_dir():
            target = Path(out_dir) / stamp / home.name
            shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
            made.append(target)
    return made


def return_feedback(graded: Path, users: Path) -> list[Path]:
    """Copy graded/<student>/feedback.md to users/<student>/feedback/<graded's name>.md; returns the copies.

    As root, each copy is written by the student's own account (the owner of their home), so a link a
    student planted in their folder cannot make root write anywhere else.
    """
    returned = []
    for source in sorted(Path(graded).glob("*/feedback.md")):
        home = Path(users) / source.parent.name
        if not SAFE_NAME.match(home.name) or home.is_symlink() or not home.is_dir():
            continue
        target = home / FEEDBACK / f"{Path(graded).name}.md"
        text = source.read_text(encoding="utf-8")  # read as the instructor, written as the student
        if _as_owner_of(home, functools.partial(_write, target, text)):
            returned.append(target)
    return returned


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _as_owner_of(home: Path, action) -> bool:
    """Run `action` as the account that owns `home` (in a child process when we are root); True if it worked."""
    owner = home.stat(follow_symlinks=False)
    if os.geteuid() != 0 or owner.st_uid == 0:
        action()
        return True
    pid = os.fork()
    if pid == 0:  # the child: become the student, write, and leave without running the parent's clean-up
        try:
            os.setgroups([])
            os.setgid(owner.st_gid)
            os.setuid(owner.st_uid)
            action()
            os._exit(0)
        except BaseException:  # noqa: BLE001 - any failure is reported through the exit status
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    state = Path(os.environ.get("COURSE_HUB_STATE", ROOT / ".hub"))
    parser.add_argument("--users", type=Path, default=state / "users", help="the hub's folder of students")
    parser.add_argument("--out", type=Path, default=ROOT / "collected", help="where to put the copies")
    parser.add_argument("--folder", default="exercises", help="which folder of each student to copy")
    parser.add_argument("--return-feedback", type=Path, metavar="GRADED",
                        help="instead, give each student their feedback.md from this graded folder")
    args = parser.parse_args(argv)
    if not args.users.is_dir():
        parser.error(f"There is no folder of students at {args.users}: has the hub run on this machine?")
    if args.return_feedback:
        if not args.return_feedback.is_dir():
            parser.error(f"There is no graded folder at {args.return_feedback}.")
        returned = return_feedback(args.return_feedback, args.users)
        print(f"Returned feedback to {len(returned)} students, into their folder {FEEDBACK}/.")
        return 0
    os.umask(0o077)
    made = collect_work(args.users, args.out, args.folder)
    print(f"Copied the work of {len(made)} students" + (f" into {made[0].parent}" if made else "") + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())

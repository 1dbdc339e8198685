"""Collect the students' work: copy each student's exercises into one folder per student.

    sudo .venv/bin/python -m hub.collect            # from .hub/users into collected/<date-time>/
    sudo .venv/bin/python -m hub.collect --folder after-mosul/exercises/student   # nbgitpuller copies

Run it as root on the hub's machine after the deadline; servers can keep running (it only reads).
The copies are root's alone (mode 700): marking stays between the instructor and each student.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from datetime import datetime, UTC
from pathlib import Path

from hub.accounts import SAFE_NAME

ROOT = Path(__file__).resolve().parents[1]


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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    state = Path(os.environ.get("COURSE_HUB_STATE", ROOT / ".hub"))
    parser.add_argument("--users", type=Path, default=state / "users", help="the hub's folder of students")
    parser.add_argument("--out", type=Path, default=ROOT / "collected", help="where to put the copies")
    parser.add_argument("--folder", default="exercises", help="which folder of each student to copy")
    args = parser.parse_args(argv)
    if not args.users.is_dir():
        parser.error(f"There is no folder of students at {args.users}: has the hub run on this machine?")
    os.umask(0o077)
    made = collect_work(args.users, args.out, args.folder)
    print(f"Copied the work of {len(made)} students" + (f" into {made[0].parent}" if made else "") + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())

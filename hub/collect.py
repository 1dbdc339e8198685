"""Collect the students' work: copy each student's exercises into one folder per student.

    .venv/bin/python hub/collect.py                     # from .hub/users into collected/<date-time>/
    .venv/bin/python hub/collect.py --folder after-mosul/exercises/student   # copies made by nbgitpuller links
    .venv/bin/python hub/collect.py --folder after-mosul/assignments          # graded assignments
    .venv/bin/python hub/collect.py --return-feedback collected/<date-time>  # after `make grade`

Run it on the hub's machine after the deadline; servers can keep running (it only reads).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from course_hub import ROOT, SAFE_NAME, collect_work

FEEDBACK = "feedback"  # the folder of a student's home that graded feedback is returned into


def return_feedback(graded: Path, users: Path) -> list[Path]:
    """Copy graded/<student>/feedback.md to users/<student>/feedback/<graded's name>.md; returns the copies."""
    returned = []
    for source in sorted(Path(graded).glob("*/feedback.md")):
        home = Path(users) / source.parent.name
        if SAFE_NAME.match(home.name) and home.is_dir():
            target = home / FEEDBACK / f"{Path(graded).name}.md"
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(source, target)
            returned.append(target)
    return returned


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
    made = collect_work(args.users, args.out, args.folder)
    print(f"Copied the work of {len(made)} students" + (f" into {made[0].parent}" if made else "") + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())

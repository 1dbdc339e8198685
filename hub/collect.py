"""Collect the students' work: copy each student's exercises into one folder per student.

    .venv/bin/python hub/collect.py                     # from .hub/users into collected/<date-time>/
    .venv/bin/python hub/collect.py --folder after-mosul/exercises/student   # copies made by nbgitpuller links

Run it on the hub's machine after the deadline; servers can keep running (it only reads).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from course_hub import ROOT, collect_work


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    state = Path(os.environ.get("COURSE_HUB_STATE", ROOT / ".hub"))
    parser.add_argument("--users", type=Path, default=state / "users", help="the hub's folder of students")
    parser.add_argument("--out", type=Path, default=ROOT / "collected", help="where to put the copies")
    parser.add_argument("--folder", default="exercises", help="which folder of each student to copy")
    args = parser.parse_args(argv)
    if not args.users.is_dir():
        parser.error(f"There is no folder of students at {args.users}: has the hub run on this machine?")
    made = collect_work(args.users, args.out, args.folder)
    print(f"Copied the work of {len(made)} students" + (f" into {made[0].parent}" if made else "") + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())

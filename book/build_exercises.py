"""Generate the student and solution versions of each exercise notebook from one source.

How the versions are made (markers, banner, leak check): book/exercise_versions.py.

    python -m book.build_exercises              # build all five
    python -m book.build_exercises 02_mosul     # build one
    python -m book.build_exercises --check      # exit 1 if the committed files are out of date
                                                   # (student files byte for byte; solution cells
                                                   # without outputs; nbval checks the outputs)
"""

from __future__ import annotations

import argparse
import sys

from book.exercise_versions import ExerciseError, build, out_of_date, sources
from after_mosul.paths import PROJECT_ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="exercise names such as 01_rise (default: all)")
    parser.add_argument("--check", action="store_true", help="only report files that are out of date")
    parser.add_argument("--no-execute", action="store_true", help="write solution notebooks without outputs")
    args = parser.parse_args(argv)
    try:
        paths = sources(args.names)
        if args.check:
            stale = [p for path in paths for p in out_of_date(path)]
            for p in stale:
                print("out of date:", p)
            if stale:
                print("Run: python -m book.build_exercises")
            return 1 if stale else 0
        for path in paths:
            for written in build(path, run=not args.no_execute):
                print("wrote", written.relative_to(PROJECT_ROOT))
    except ExerciseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Build the graded assignments: student notebooks and the instructor's autograder (`make assignments`).

    python -m book.build_assignments              # all five, into _build/assignments/
    python -m book.build_assignments 03_finances  # one
    python -m book.build_assignments --out DIR    # elsewhere (the tests build into a temporary folder)

What is written where: book/assignment_versions.py. The autograder holds the hidden tests:
give students only _build/assignments/student/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from book.assignment_versions import OUT, AssignmentError, build, sources
from after_mosul.paths import PROJECT_ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="assignment names such as 03_finances (default: all)")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write student/ and autograder/")
    args = parser.parse_args(argv)
    try:
        for path in sources(args.names):
            for written in build(path, args.out.resolve()):
                print("wrote", written.relative_to(PROJECT_ROOT) if written.is_relative_to(PROJECT_ROOT) else written)
    except AssignmentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

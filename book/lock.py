"""The pins, from one source: pyproject.toml names the packages, constraints.txt pins every version.

    python -m book.lock            # rewrite binder/requirements.txt from them
    python -m book.lock --check    # exit 1 when binder/requirements.txt disagrees
    python -m book.lock --lock     # re-resolve .[book,test] in a fresh venv, rewrite constraints.txt
                                      # (newest versions pyproject.toml allows), then binder/ (`make lock`)

How: book/pins.py.
"""

from __future__ import annotations

import argparse
import sys

from book.pins import BINDER, CONSTRAINTS, ROOT, binder_requirements, lock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether binder/ agrees")
    parser.add_argument("--lock", action="store_true", help="re-resolve and rewrite constraints.txt first")
    args = parser.parse_args(argv)
    if args.check:
        if BINDER.read_text(encoding="utf-8") != binder_requirements():
            print("binder/requirements.txt disagrees with pyproject.toml/constraints.txt: run python -m book.lock")
            return 1
        return 0
    if args.lock:
        CONSTRAINTS.write_text(lock(), encoding="utf-8")
        print("wrote", CONSTRAINTS.relative_to(ROOT))
    BINDER.write_text(binder_requirements(), encoding="utf-8")
    print("wrote", BINDER.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())

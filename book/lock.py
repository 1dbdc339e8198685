"""The pins, from one source: pyproject.toml names the packages, constraints.txt pins every version.

    python -m book.lock            # after a change to pyproject.toml (`make lock`): resolve constraints.txt again
                                   # (its pins kept; a new package gets the newest version its range allows) and
                                   # write requirements.txt, binder/requirements.txt and the hash-pinned locks/
    python -m book.lock --upgrade  # the same, every pin moved to the newest allowed (`make lock-upgrade`)
    python -m book.lock --check    # exit 1 when requirements.txt or binder/requirements.txt disagrees
    python -m book.lock --derived  # only rewrite requirements.txt and binder/requirements.txt (no network)

uv (the `test` extra) resolves and hashes, against PyPI. How: book/pins.py.
"""

from __future__ import annotations

import argparse
import sys

from book.pins import BINDER, REQUIREMENTS, ROOT, binder_requirements, lock, runtime_requirements


def derived() -> dict:
    return {REQUIREMENTS: runtime_requirements(), BINDER: binder_requirements()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether requirements.txt and binder/ agree")
    parser.add_argument("--derived", action="store_true", help="only rewrite requirements.txt and binder/")
    parser.add_argument("--upgrade", action="store_true", help="move every pin to the newest version allowed")
    args = parser.parse_args(argv)
    if args.check:
        stale = [path.relative_to(ROOT) for path, text in derived().items() if path.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"{path} disagrees with pyproject.toml/constraints.txt: run python -m book.lock --derived")
        return 1 if stale else 0
    written = [] if args.derived else lock(upgrade=args.upgrade)
    for path, text in derived().items():
        path.write_text(text, encoding="utf-8")
        written.append(path)
    for path in written:
        print("wrote", path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A student's working copy of the course notebooks, copied in by the student's own account.

    python -I hub/working_copy.py HOME     # what the hub runs, as the student, before each server start

The hub runs this as the student (not as root) so that nothing a student puts in their folder, such
as a link to another folder, can make the hub write where the student may not. Standard library only.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What a student's working copy holds: folder in their home -> notebooks copied there.
WORKING_COPY = {
    "chapters": ROOT / "chapters",
    "exercises": ROOT / "exercises" / "student",
}


def ensure_working_copy(home: Path, sources: dict[str, Path] = WORKING_COPY) -> list[Path]:
    """Copy the course notebooks a student does not have yet; never overwrite their work.

    Returns the files copied (empty on every start after the first, unless the course adds one).
    """
    copied = []
    home.mkdir(parents=True, exist_ok=True)
    os.chmod(home, 0o700)
    for folder, source in sources.items():
        target = home / folder
        target.mkdir(exist_ok=True)
        for notebook in sorted(Path(source).glob("*.ipynb")):
            destination = target / notebook.name
            if not destination.exists() and not destination.is_symlink():
                shutil.copyfile(notebook, destination)
                copied.append(destination)
    return copied


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: working_copy.py HOME", file=sys.stderr)
        return 2
    print(len(ensure_working_copy(Path(argv[0]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The tag of the student image, named after the pinned environment in binder/ it is built from.

    .venv/bin/python hub/image_tag.py            # print it
    .venv/bin/python hub/image_tag.py --write    # put it in hub/values.yaml after binder/ changed

Build and push that image with repo2docker (README.md, "Class hub"); hub/values.yaml runs it.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENVIRONMENT = ["binder/requirements.txt", "binder/runtime.txt", "binder/postBuild"]
VALUES = ROOT / "hub" / "values.yaml"
TAG_LINE = re.compile(r"^(    tag: )\"?[^\s\"]*\"?", re.MULTILINE)


def image_tag() -> str:
    """'env-' and the first 12 hex digits of the SHA-256 of the binder/ files, in a fixed order."""
    digest = hashlib.sha256()
    for name in ENVIRONMENT:
        digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes() + b"\0")
    return f"env-{digest.hexdigest()[:12]}"


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        text = VALUES.read_text(encoding="utf-8")
        VALUES.write_text(TAG_LINE.sub(rf'\g<1>"{image_tag()}"', text, count=1), encoding="utf-8")
    print(image_tag())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

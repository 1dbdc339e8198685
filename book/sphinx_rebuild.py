"""Rebuild every page when the build code changes.

Sphinx re-reads only the pages whose sources changed; a change to the code that renders them
(``book/``, or the ``after_mosul`` helpers its directives call) changes no page source, so
unchanged pages kept their old HTML. A config value holding a digest of that code, declared
with ``rebuild="env"``, makes Sphinx re-read every page when the digest differs from the last build's.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = (ROOT / "book", ROOT / "after_mosul")


def code_digest(folders=CODE) -> str:
    """sha256 over the names and contents of the Python files in ``folders``."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.py")):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def setup(app):
    app.add_config_value("course_build_code", code_digest(), "env")
    return {"parallel_read_safe": True, "parallel_write_safe": True}

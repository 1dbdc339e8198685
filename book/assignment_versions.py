"""Build the graded assignments (assignments/source/*.md) with otter-grader's `otter assign`.

    python -m book.build_assignments            # `make assignments`: every assignment

For each source NN_name.md (a MyST notebook in Otter Assign's format) it writes, under
_build/assignments/:

    student/NN_name.ipynb           what students get: solutions removed, public checks only
    autograder/NN_name.zip          otter's autograder: every test, hidden ones included
    autograder/NN_name.ipynb        the reference solution (otter's autograder notebook)
    autograder/NN_name.json         the questions and their points, manual ones included

Build-time code (instructor side): students never import it.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import tempfile
from pathlib import Path

import jupytext
import yaml

from after_mosul.paths import PROJECT_ROOT

SOURCES = PROJECT_ROOT / "assignments" / "source"
OUT = PROJECT_ROOT / "_build" / "assignments"
RAW_CELL = re.compile(r"^```\{raw-cell\}\n(.*?)^```", re.M | re.S)


class AssignmentError(RuntimeError):
    """A source that Otter Assign cannot build, or a name that is not an assignment."""


def sources(names: list[str] | None = None) -> list[Path]:
    found = sorted(SOURCES.glob("*.md"))
    if names:
        known = {p.stem: p for p in found}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise AssignmentError(f"No assignment named {', '.join(unknown)}; there are {', '.join(known)}.")
        return [known[n] for n in names]
    return found


def questions(source: Path) -> list[dict]:
    """Each question of a source: its name, its points and whether it is marked by hand.

    Points of an autograded question are the sum of its tests' points (given in each test's config).
    """
    text = source.read_text(encoding="utf-8")
    found, current = [], None
    for block in re.split(r"(?=^```\{raw-cell\})", text, flags=re.M):
        raw = RAW_CELL.match(block)
        if raw and raw.group(1).startswith("# BEGIN QUESTION"):
            config = yaml.safe_load(raw.group(1)) or {}
            current = {"name": str(config["name"]), "manual": bool(config.get("manual", False)),
                       "points": float(config.get("points", 0))}
            found.append(current)
        elif current is not None and not current["manual"]:
            for test in re.findall(r'""" # BEGIN TEST CONFIG\n(.*?)""" # END TEST CONFIG', block, re.S):
                current["points"] += float((yaml.safe_load(test) or {}).get("points") or 0)
    return found


def build(source: Path, out: Path = OUT) -> list[Path]:
    """Run jupytext and `otter assign` on one source; returns the files written."""
    from otter.assign import main as otter_assign  # here: importing otter is slow and warns (traitlets)

    name = source.stem
    student_dir, grader_dir = out / "student", out / "autograder"
    student_dir.mkdir(parents=True, exist_ok=True)
    grader_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"assign-{name}-") as tmp:
        master, dist = Path(tmp) / f"{name}.ipynb", Path(tmp) / "dist"
        jupytext.write(jupytext.read(source), master)
        try:  # in this process: importing otter once, not once per assignment, saves seconds each
            with contextlib.redirect_stdout(io.StringIO()):
                otter_assign(str(master), str(dist), no_pdfs=True, no_run_tests=True)
        except Exception as error:  # otter raises many kinds: say which source failed
            raise AssignmentError(f"otter assign failed on {source.name}: {type(error).__name__}: {error}") from error
        zips = sorted((dist / "autograder").glob("*.zip"))
        if len(zips) != 1:
            raise AssignmentError(f"otter assign wrote {len(zips)} autograder zips for {name}, not one.")
        written = [student_dir / f"{name}.ipynb", grader_dir / f"{name}.zip", grader_dir / f"{name}.ipynb",
                   grader_dir / f"{name}.json"]
        shutil.copyfile(dist / "student" / f"{name}.ipynb", written[0])
        shutil.copyfile(zips[0], written[1])
        shutil.copyfile(dist / "autograder" / f"{name}.ipynb", written[2])
    written[3].write_text(json.dumps({"assignment": name, "questions": questions(source)}, indent=1) + "\n",
                          encoding="utf-8")
    return written



"""nbgitpuller links for every chapter and exercise: one click gives a student their own copy.

    .venv/bin/python hub/links.py --hub https://hub.example.edu --repo https://github.com/ORG/COPY
    .venv/bin/python hub/links.py --write pages/hub.md    # refresh the guide's example table

A link opens the hub, logs the student in, clones (first time) or merges (later) the course
repository into their folder `after-mosul/`, and opens the notebook in JupyterLab. nbgitpuller never
overwrites a change the student made.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_HUB = "https://hub.example.edu"
EXAMPLE_REPO = "https://github.com/YOUR-ORGANISATION/YOUR-COPY"
TARGET = "after-mosul"
BEGIN, END = "% nbgitpuller-links: begin (made by hub/links.py)", "% nbgitpuller-links: end"


def pull_link(hub: str, repo: str, branch: str, notebook: str, target: str = TARGET) -> str:
    """The nbgitpuller URL that opens `notebook` (a path in the repository) in JupyterLab."""
    query = urlencode({"repo": repo, "branch": branch, "targetpath": target,
                       "urlpath": f"lab/tree/{target}/{notebook}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def title(notebook: Path) -> str:
    """The notebook's first Markdown heading."""
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        text = "".join(cell["source"]) if cell["cell_type"] == "markdown" else ""
        for line in text.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return notebook.stem


def notebooks() -> list[tuple[str, Path]]:
    """(kind, path) for each chapter and student exercise notebook, in course order."""
    chapters = sorted((ROOT / "chapters").glob("*.ipynb"))
    exercises = sorted((ROOT / "exercises" / "student").glob("*.ipynb"))
    return [("Chapter", p) for p in chapters] + [("Exercises", p) for p in exercises]


def table(hub: str = EXAMPLE_HUB, repo: str = EXAMPLE_REPO, branch: str = "main") -> str:
    """A Markdown code block: each notebook's name, then its link (code scrolls on a narrow screen)."""
    lines = ["```text"]
    for kind, path in notebooks():
        name = title(path) if kind == "Exercises" else f"Chapter {int(path.stem[:2])}: {title(path)}"
        lines += [f"# {name}", pull_link(hub, repo, branch, path.relative_to(ROOT).as_posix())]
    return "\n".join(lines + ["```"])


def write_block(page: Path) -> None:
    """Replace the links between the BEGIN and END lines of `page`."""
    text = page.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{page} has no '{BEGIN}' ... '{END}' lines to fill.")
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    page.write_text(f"{head}{BEGIN}\n{table()}\n{END}{tail}", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hub", default=EXAMPLE_HUB, help="the hub's address, https://...")
    parser.add_argument("--repo", default=EXAMPLE_REPO, help="the course repository students pull from")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--write", type=Path, help="refresh the example links in this Markdown page")
    args = parser.parse_args(argv)
    if args.write:
        write_block(args.write)
    else:
        for hub_or_repo in (args.hub, args.repo):
            if not hub_or_repo.startswith(("https://", "http://")):
                parser.error(f"{hub_or_repo!r} is not a web address (it should start with https://).")
        print(table(args.hub, args.repo, args.branch))
    return 0


if __name__ == "__main__":
    sys.exit(main())

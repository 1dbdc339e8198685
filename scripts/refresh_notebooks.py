"""Rebuild each chapter notebook from its MyST twin and store fresh outputs.

The .md file (MyST, via jupytext) is what authors edit and review; the paired
.ipynb holds the executed outputs that nbval compares and students download.
Run after editing a chapter:  python scripts/refresh_notebooks.py [paths...]
"""

import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def refresh(markdown: Path) -> Path:
    notebook = jupytext.read(markdown)
    notebook.metadata.pop("jupytext", None)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(markdown.parent)}}).execute()
    target = markdown.with_suffix(".ipynb")
    nbformat.write(notebook, target)
    return target


def main(paths):
    sources = [Path(p) for p in paths] or sorted((ROOT / "chapters").glob("*.md"))
    for source in sources:
        print("refreshed", refresh(source.resolve()).relative_to(ROOT))


if __name__ == "__main__":
    main(sys.argv[1:])

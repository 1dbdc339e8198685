"""Rebuild each chapter notebook from its MyST twin and store fresh outputs.

The .md file (MyST, via jupytext) is what authors edit and review; the paired
.ipynb holds the executed outputs that nbval compares and students download.
Execution and writing are shared with the exercise builder, so the stored
notebook is deterministic: fixed cell ids, no timestamps, no interpreter
version. Run after editing a chapter:  python scripts/refresh_notebooks.py [paths...]
"""

import sys
from pathlib import Path

import jupytext
import nbformat

from build_exercises import METADATA, dumps, execute

ROOT = Path(__file__).resolve().parents[1]


def refresh(markdown: Path) -> Path:
    source = jupytext.read(markdown)
    notebook = nbformat.v4.new_notebook(metadata=dict(METADATA))
    for index, cell in enumerate(source.cells):
        make = nbformat.v4.new_code_cell if cell.cell_type == "code" else nbformat.v4.new_markdown_cell
        tags = list(cell.metadata.get("tags", []))
        new = make(cell.source, metadata={"tags": tags} if tags else {})
        new["id"] = f"{markdown.stem.replace('_', '-')}-{index:02d}"
        notebook.cells.append(new)
    target = markdown.with_suffix(".ipynb")
    target.write_text(dumps(execute(notebook, markdown.parent, keep=("widgets",))), encoding="utf-8")
    return target


def main(paths):
    sources = [Path(p) for p in paths] or sorted((ROOT / "chapters").glob("*.md"))
    for source in sources:
        print("refreshed", refresh(source.resolve()).relative_to(ROOT))


if __name__ == "__main__":
    main(sys.argv[1:])

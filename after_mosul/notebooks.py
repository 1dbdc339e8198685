"""Reading, cleaning, executing and writing the project's notebooks, in one place.

The chapters and the exercises are written as MyST Markdown (jupytext) and
stored as .ipynb files that the book shows, nbval checks and students
download. Every stored notebook goes through the same steps here, so that
writing one twice gives byte-identical files:

* ``read_markdown``: a MyST notebook as fresh cells keeping only their tags;
* ``number_cells``: stable cell ids (``02-mosul-07``) instead of random ones;
* ``execute``: run every cell with nbclient and drop timestamps and kernel details;
* ``dumps``/``write``: validate and serialise with a final newline;
* ``without_outputs``: the cells without what running them produced.

Used by ``scripts/refresh_notebooks.py``, ``scripts/build_exercises.py``
(through ``after_mosul.exercise_versions``) and the tests.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from .paths import PROJECT_ROOT

CHAPTER_DIR = PROJECT_ROOT / "chapters"
EXERCISE_DIR = PROJECT_ROOT / "exercises"
# the five lessons; each has a chapter, a quiz and an exercise of the same name
CHAPTERS = ["01_rise", "02_mosul", "03_finances", "04_desert", "05_ideology"]

METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
TIMEOUT = 300  # seconds a cell may run


def clean_cell(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A fresh cell with the same type and source and only the metadata the notebooks need (tags)."""
    tags = list(cell.metadata.get("tags", []))
    metadata = {"tags": tags} if tags else {}
    if cell.cell_type == "code":
        return nbformat.v4.new_code_cell(cell.source, metadata=metadata)
    return nbformat.v4.new_markdown_cell(cell.source, metadata=metadata)


def read_markdown(path: Path) -> list[nbformat.NotebookNode]:
    """The cells of a MyST Markdown notebook, cleaned."""
    import jupytext

    return [clean_cell(cell) for cell in jupytext.read(path).cells]


def read(path: Path) -> nbformat.NotebookNode:
    """A stored .ipynb notebook."""
    return nbformat.read(path, as_version=4)


def number_cells(cells: list, name: str) -> nbformat.NotebookNode:
    """A notebook of ``cells`` with the ids ``<name>-00``, ``<name>-01``, ... (``_`` becomes ``-``)."""
    notebook = nbformat.v4.new_notebook(metadata=copy.deepcopy(METADATA))
    for index, cell in enumerate(cells):
        cell["id"] = f"{name.replace('_', '-')}-{index:02d}"
    notebook.cells = list(cells)
    return notebook


def execute(notebook: nbformat.NotebookNode, cwd: Path, keep: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    """A copy of ``notebook`` with every cell run (in ``cwd``) and its outputs, without timestamps.

    The notebook's metadata is reset to ``METADATA`` plus the keys in ``keep``
    (the chapters keep ``widgets``, the quiz widgets' state).
    """
    from nbclient import NotebookClient

    notebook = copy.deepcopy(notebook)
    NotebookClient(
        notebook, timeout=TIMEOUT, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    ).execute()
    kept = {key: notebook.metadata[key] for key in keep if key in notebook.metadata}
    notebook.metadata = copy.deepcopy(METADATA)
    notebook.metadata.update(kept)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    return notebook


def without_outputs(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``notebook`` whose code cells have no outputs and no execution count."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return notebook


def dumps(notebook: nbformat.NotebookNode) -> str:
    """The notebook as stored: validated nbformat 4 JSON with a final newline."""
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"


def write(notebook: nbformat.NotebookNode, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(notebook), encoding="utf-8")
    return path


def chapter_notebook(markdown: Path) -> nbformat.NotebookNode:
    """The (unexecuted) stored notebook of a chapter's MyST twin."""
    return number_cells(read_markdown(markdown), markdown.stem)


def refresh_chapter(markdown: Path) -> Path:
    """Rebuild ``chapters/NN_name.ipynb`` from its .md twin, executed, with the quiz widgets' state."""
    notebook = execute(chapter_notebook(markdown), markdown.parent, keep=("widgets",))
    return write(notebook, markdown.with_suffix(".ipynb"))

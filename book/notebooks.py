"""Reading, cleaning, executing and writing the project's notebooks, in one place.

The chapters and the exercises are written as MyST Markdown (jupytext) and
stored as .ipynb files that the book shows, nbval checks and students
download. Every stored notebook goes through the same steps here, so that
writing one twice gives byte-identical files:

* ``read_markdown``: a MyST notebook as fresh cells keeping only their tags;
* ``as_commonmark``: its Markdown cells rendered to plain CommonMark, which every
  Jupyter front end shows as written (book/commonmark.py); the book builds
  the MyST source itself, and nothing pairs the two files;
* ``number_cells``: stable cell ids (``02-mosul-07``) instead of random ones;
* ``execute``: run every cell with nbclient and drop timestamps and kernel details;
* ``dumps``/``write``: validate and serialise with a final newline;
* ``without_outputs``: the cells without what running them produced.

Used by ``book/refresh_notebooks.py``, ``book/build_exercises.py``
(through ``book.exercise_versions``) and the tests.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from after_mosul.paths import PROJECT_ROOT

CHAPTER_DIR = PROJECT_ROOT / "chapters"
EXERCISE_DIR = PROJECT_ROOT / "exercises"
# the five lessons; each has a chapter, a quiz and an exercise of the same name
CHAPTERS = ["01_rise", "02_mosul", "03_finances", "04_desert", "05_ideology"]

# What JupyterLab and Notebook 7 write when they open a notebook with the project's kernel (ipykernel's
# kernelspec and kernel_info reply): a notebook stored with anything else is marked changed as soon as it
# opens, and autosave rewrites it (issue 23). The version is the project's Python (.venv, CI); a constant,
# so that the stored files are the same whichever machine writes them. With another Python, Lab still
# updates this one field when the notebook is saved.
PYTHON_VERSION = "3.11.7"
METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": PYTHON_VERSION,
    },
}
TIMEOUT = 300  # seconds a cell may run


def clean_cell(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A fresh cell with the same type and source and only the metadata the notebooks need.

    That is its tags, and its cell-level MyST-NB options (``mystnb``, such as the
    label of a folded solution: "Show the solution").
    """
    tags = list(cell.metadata.get("tags", []))
    metadata = {"tags": tags} if tags else {}
    if "mystnb" in cell.metadata:
        metadata["mystnb"] = dict(cell.metadata["mystnb"])
    if cell.cell_type == "code":
        return nbformat.v4.new_code_cell(cell.source, metadata=metadata)
    return nbformat.v4.new_markdown_cell(cell.source, metadata=metadata)


def read_markdown(path: Path) -> list[nbformat.NotebookNode]:
    """The cells of a MyST Markdown notebook, cleaned."""
    import jupytext

    return [clean_cell(cell) for cell in jupytext.read(path).cells]


def as_commonmark(cells: list, source_dir: Path, output_dir: Path) -> list:
    """``cells`` with each Markdown cell's MyST rendered to CommonMark for a notebook in ``output_dir``."""
    from .commonmark import doc_resolver, to_commonmark

    resolve = doc_resolver(PROJECT_ROOT, source_dir, output_dir)
    for cell in cells:
        if cell.cell_type == "markdown":
            cell.source = to_commonmark(cell.source, resolve)
    return cells


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
    """The (unexecuted) stored notebook of a chapter's MyST source, its Markdown as CommonMark."""
    cells = as_commonmark(read_markdown(markdown), markdown.parent, markdown.parent)
    return number_cells(cells, markdown.stem)


def refresh_chapter(markdown: Path) -> Path:
    """Rebuild ``chapters/NN_name.ipynb`` from its .md twin, executed, with the quiz widgets' state."""
    notebook = execute(chapter_notebook(markdown), markdown.parent, keep=("widgets",))
    return write(notebook, markdown.with_suffix(".ipynb"))


# Counting executions (scripts/benchmark.py). Every kernel that nbval, nbclient or
# the book starts runs IPython's start-up files; the one below logs a hash of
# each cell it runs to <log folder>/kernel-<pid>.log. A kernel is then matched to
# the stored notebook whose code cells it ran: one kernel, one execution.
EXECUTION_LOG = "AFTER_MOSUL_EXECUTION_LOG"
_STARTUP = f'''\
def _after_mosul_count_executions():
    import hashlib, os
    folder = os.environ.get("{EXECUTION_LOG}")
    if not folder:
        return
    path = os.path.join(folder, f"kernel-{{os.getpid()}}.log")
    with open(path, "a", encoding="utf-8") as file:
        file.write("cwd=" + os.getcwd() + "\\n")  # where the kernel ran: the project, or a copy elsewhere

    def log(info):
        if info.raw_cell.strip():
            with open(path, "a", encoding="utf-8") as file:
                file.write(hashlib.sha1(info.raw_cell.strip().encode()).hexdigest() + "\\n")

    get_ipython().events.register("pre_run_cell", log)


_after_mosul_count_executions()
del _after_mosul_count_executions
'''


def counting_environment(folder: Path) -> dict[str, str]:
    """Environment variables under which every IPython kernel logs the cells it runs into ``folder``."""
    startup = folder / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-count-executions.py").write_text(_STARTUP, encoding="utf-8")
    (folder / "kernels").mkdir(exist_ok=True)
    return {"IPYTHONDIR": str(folder / "ipython"), EXECUTION_LOG: str(folder / "kernels")}


def _cell_hashes(notebook: nbformat.NotebookNode) -> list[str]:
    import hashlib

    return [hashlib.sha1(c.source.strip().encode()).hexdigest()
            for c in notebook.cells if c.cell_type == "code" and c.source.strip()]


def count_executions(
    folder: Path, stored: list[Path], root: Path = PROJECT_ROOT, inside: Path | None = None,
) -> dict[str, int]:
    """How many kernels ran each notebook of ``stored`` (relative paths as keys), from ``folder``'s logs.

    A kernel counts for the notebook whose code cells it ran, all of them, in
    order; a kernel that matches none is counted under "(other)". With ``inside``,
    only kernels that ran in that folder count (not a copy run elsewhere).
    """
    known = {path.relative_to(root).as_posix(): _cell_hashes(read(path)) for path in stored}
    counts = dict.fromkeys(known, 0)
    cells_of_notebooks = {h for cells in known.values() for h in cells}
    for log in sorted((folder / "kernels").glob("kernel-*.log")):
        lines = log.read_text(encoding="utf-8").split("\n")
        cwd = next((line[4:] for line in lines if line.startswith("cwd=")), None)
        if inside is not None and (cwd is None or not Path(cwd).is_relative_to(inside)):
            continue
        # (a runner's own set-up code, which is in no notebook, is left out)
        ran = [h for h in lines if h in cells_of_notebooks]
        matches = [name for name, cells in known.items() if cells == ran]
        key = matches[0] if len(matches) == 1 else "(other)"
        counts[key] = counts.get(key, 0) + 1
    return counts


def stored_notebooks(root: Path = PROJECT_ROOT) -> list[Path]:
    """Every notebook stored in the project: chapters, both exercise versions, test fixtures."""
    return sorted(p for pattern in ("chapters/*.ipynb", "exercises/*/*.ipynb", "tests/fixtures/*.ipynb")
                  for p in root.glob(pattern))

"""Sphinx hooks for what a reader takes away from the book: notebooks, the course kit, maps.

* Map outputs carry Leaflet inlined (so they draw in any live Jupyter front end
  offline, see after_mosul/maps.py). In the book each inlined block is swapped
  back for the book's one shared copy in ``vendor/leaflet/``, which the browser
  caches across maps and pages (the page-weight budgets rely on it).
* The book shows each chapter's stored notebook, ``chapters/NN_name.ipynb``,
  whose Markdown is plain CommonMark for Jupyter front ends. As the page is read,
  its Markdown cells are swapped for the MyST ones of ``chapters/NN_name.md`` (cell
  for cell), so the book keeps its admonitions, cross-references and labels.
* Every chapter page opens with a "run it yourself" note: first "Run in your browser" links that open
  the chapter and its exercises in the browser site (``lite/``, book/lite.py; plain links, so nothing of
  the site loads until one is followed), then its notebook (the download is the CommonMark notebook),
  the course kit (``kit/after_mosul-*.whl``, built by ``make kit`` into _extra/) and the set-up page.
* A chapter's links to its practice notebook download it as ``NN_name_exercises.ipynb``,
  never under the chapter notebook's own name.
* ``downloads/`` gets each exercise notebook under a name that says which it is:
  ``NN_name_exercises.ipynb`` (student) and ``NN_name_solutions.ipynb``.
* ``{reading-times}`` renders each chapter's word count and reading time
  (book/reading.py) for the lesson plans, recomputed whenever a chapter changes.

Registered in _config.yml (``sphinx.extra_extensions``).
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

from .commonmark import page_title
from .reading import AVERAGE_WPM, SLOW_WPM, chapter_reading

logger = logging.getLogger(__name__)

SRCDOC = re.compile(r'srcdoc="([^"]*)"')
INLINE_SCRIPT = re.compile(r'<script data-book-src="([^"]+)">.*?</script>', re.S)
INLINE_STYLE = re.compile(r'<style data-book-href="([^"]+)">.*?</style>', re.S)
KIT_DIR = "kit"  # under _extra/, so under the built book's root
LITE_NOTEBOOK = "lite/notebooks/index.html?path="  # a notebook of the browser site (book/lite.py)


def share_leaflet(document: str) -> str:
    """A map document with its inlined Leaflet replaced by links to the book's copy."""
    document = INLINE_SCRIPT.sub(lambda m: f'<script src="{m.group(1)}"></script>', document)
    return INLINE_STYLE.sub(lambda m: f'<link rel="stylesheet" href="{m.group(1)}"/>', document)


def share_leaflet_in_html(fragment: str) -> str:
    """``share_leaflet`` applied to every ``srcdoc`` attribute of an HTML fragment."""

    def swap(match: re.Match) -> str:
        document = html.unescape(match.group(1))
        if "data-book-" not in document:
            return match.group(0)
        return f'srcdoc="{html.escape(share_leaflet(document), quote=True)}"'

    return SRCDOC.sub(swap, fragment)


def _kit_wheel(app) -> str | None:
    wheels = sorted((Path(app.srcdir) / "_extra" / KIT_DIR).glob("after_mosul-*.whl"))
    return wheels[-1].name if wheels else None


def _is_chapter(app, docname: str) -> bool:
    return docname.startswith("chapters/") and (Path(app.srcdir) / f"{docname}.ipynb").is_file()


def depend_on_kit(app, doctree) -> None:
    """A chapter page names the kit and runs its package: rebuild it when the kit changes."""
    if _is_chapter(app, app.env.docname):
        for wheel in (Path(app.srcdir) / "_extra" / KIT_DIR).glob("after_mosul-*.whl"):
            app.env.note_dependency(str(wheel))


def rewrite_maps(app, doctree, docname) -> None:
    for node in list(doctree.findall(nodes.raw)):
        text = node.astext()
        if "data-book-src" in text:
            node.parent.replace(node, nodes.raw("", share_leaflet_in_html(text), format="html"))


def add_run_note(app, doctree, docname) -> None:
    """The note opening each chapter: its notebook, the course kit, the set-up page."""
    if not _is_chapter(app, docname):
        return
    wheel = _kit_wheel(app)
    if wheel is None:
        logger.warning("No course kit in _extra/kit/: run `make kit` before building the book.")
        return
    stem = docname.split("/")[-1]
    exercise = Path(app.srcdir) / "exercises" / "student" / f"{stem}.ipynb"
    exercises = (f' or <a class="run-in-browser" href="../{LITE_NOTEBOOK}exercises/student/{stem}.ipynb">'
                 "its exercises</a>" if exercise.is_file() else "")
    note = (
        '<div class="admonition note run-yourself"><p class="admonition-title">Run this chapter yourself</p>'
        f'<p>With nothing to install: <a class="run-in-browser" href="../{LITE_NOTEBOOK}chapters/{stem}.ipynb">'
        f"run it in your browser</a>{exercises}. The first start downloads about 25 MB; your changes stay "
        'in this browser until you download the notebook (<a href="../pages/setup.html#in-your-browser">how</a>).'
        "</p>"
        f'<p>Or download <a href="../_sources/{docname}.ipynb" download="{stem}.ipynb">the notebook '
        f"({stem}.ipynb)</a> and the course kit, "
        f'<a href="../{KIT_DIR}/{wheel}">{wheel}</a>, then install the kit once with '
        f"<code>python -m pip install {wheel}</code> (on Windows: <code>py -m pip install {wheel}</code>), "
        "in the folder where you saved it. "
        '<a href="../pages/setup.html">Set up your computer</a> shows how, on Windows, macOS, Linux, '
        "a JupyterHub or Colab.</p></div>"
    )
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None:
        title = next(iter(section.findall(nodes.title)), None)
        section.insert(section.index(title) + 1 if title is not None else 0, nodes.raw("", note, format="html"))


PRACTICE_LINK = re.compile(r'<a href="((?:\.\./)+exercises/student/(\d\d_\w+)\.ipynb)"(?![^>]*\bdownload=)')


def name_practice_downloads(app, doctree, docname) -> None:
    """A chapter's links to its practice notebook download it as ``NN_name_exercises.ipynb``.

    Without it the browser names the file ``NN_name.ipynb``, the name of the chapter's own
    notebook, and a student who takes both gets ``NN_name (1).ipynb``. The source keeps the
    plain link, which opens the sibling notebook in JupyterLab.
    """
    if not _is_chapter(app, docname):
        return
    for node in list(doctree.findall(nodes.raw)):
        text = node.astext()
        named = PRACTICE_LINK.sub(lambda m: f'<a href="{m.group(1)}" download="{m.group(2)}_exercises.ipynb"', text)
        if named != text:
            node.parent.replace(node, nodes.raw("", named, format=node.get("format", "html")))


def myst_for_the_book(app, docname, source) -> None:
    """Read a chapter's stored notebook with the MyST Markdown of its source (outputs unchanged)."""
    markdown = Path(app.srcdir) / f"{docname}.md"
    if not (_is_chapter(app, docname) and markdown.is_file()):
        return
    from .notebooks import read_markdown

    app.env.note_dependency(str(markdown))
    myst = read_markdown(markdown)
    notebook = json.loads(source[0])
    kinds = [cell["cell_type"] for cell in notebook["cells"]]
    if kinds != [cell.cell_type for cell in myst]:
        logger.warning(f"{docname}.ipynb does not match {docname}.md cell for cell: run `make refresh`.")
        return
    for cell, twin in zip(notebook["cells"], myst):
        if cell["cell_type"] == "markdown":
            cell["source"] = twin.source
    source[0] = json.dumps(notebook)


def copy_downloads(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    src, out = Path(app.srcdir), Path(app.outdir)
    downloads = out / "downloads"
    downloads.mkdir(exist_ok=True)
    for folder, suffix in (("student", "exercises"), ("solutions", "solutions")):
        for notebook in sorted((src / "exercises" / folder).glob("*.ipynb")):
            shutil.copyfile(notebook, downloads / f"{notebook.stem}_{suffix}.ipynb")


class ReadingTimes(SphinxDirective):
    """A table of each chapter's words and reading time, from chapters/NN_name.md."""

    def run(self):
        lines = [f"| Chapter | Words | Reading time at {AVERAGE_WPM} words a minute | at {SLOW_WPM} words a minute |",
                 "|---|---|---|---|"]
        for path in sorted((Path(self.env.srcdir) / "chapters").glob("[0-9][0-9]_*.md")):
            self.env.note_dependency(str(path))
            words, average, slow = chapter_reading(path)
            lines.append(f"| {{doc}}`{page_title(path)} </chapters/{path.stem}>` | {words:,} | "
                         f"about {average} minutes | about {slow} minutes |")
        container = nodes.container()
        nested_parse_with_titles(self.state, StringList(lines, source="reading-times"), container)
        return container.children


def setup(app):
    app.add_directive("reading-times", ReadingTimes)
    app.connect("doctree-read", depend_on_kit)
    app.connect("doctree-resolved", rewrite_maps)
    app.connect("doctree-resolved", add_run_note)
    app.connect("doctree-resolved", name_practice_downloads)
    app.connect("source-read", myst_for_the_book)
    app.connect("build-finished", copy_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

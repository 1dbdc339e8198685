"""Sphinx directives that render book pages from the project's own files.

* ``{full-article}`` renders the seed article from ``seeds/`` (so the book holds
  no second copy of it), each paragraph linked to the chapter discussing it.
* ``{data-package}`` renders ``data/datapackage.json``: every dataset, its
  fields, licence and sources, and the references table rows point into.

Both build docutils nodes directly: text from the data is only ever text (a
`backticked` part becomes code), and only ``http(s)://`` URLs become links, so
no data field can add markup, run a directive or role, or include, download
or reference a file.

The extension also declares what pages are built from (Sphinx re-reads a page
only when a file it depends on changes): the data page depends on every data
file, and every notebook on the data, the quizzes and the package's code. A
build without the vendored Leaflet (``_extra/vendor/leaflet/``) stops with a
sentence saying how to fix it, and the ipywidgets state the static pages never
use is dropped.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ConfigError
from sphinx.util.docutils import SphinxDirective

from after_mosul import article as article_module
from after_mosul.data import data_file, descriptor, load
from after_mosul.paths import DESCRIPTOR
from after_mosul.quiz import QUIZ_DIR

URL = re.compile(r"https?://[^\s<>\"'`]+")
VENDORED = ["vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css"]


# -- safe building blocks ----------------------------------------------------

def inline(text: object) -> list[nodes.Node]:
    """``text`` as text nodes; `backticked` parts as code. Nothing else is interpreted."""
    parts = re.split(r"`([^`\n]+)`", "" if text is None else str(text))
    return [nodes.literal(p, p) if i % 2 else nodes.Text(p) for i, p in enumerate(parts) if p]


def link(url: object, text: object = None) -> nodes.Node:
    """A link if ``url`` is an http(s) URL, else plain text."""
    url = "" if url is None else str(url)
    label = url if text is None else str(text)
    if URL.fullmatch(url):
        return nodes.reference(label, label, refuri=url)
    return nodes.Text(label)


def paragraph(*children: nodes.Node | list) -> nodes.paragraph:
    flat = []
    for child in children:
        flat.extend(child if isinstance(child, list) else [child])
    return nodes.paragraph("", "", *flat)


def _table(header: list[str], rows: list[list[list[nodes.Node]]]) -> nodes.table:
    table = nodes.table()
    group = nodes.tgroup(cols=len(header))
    table += group
    group += [nodes.colspec(colwidth=1) for _ in header]
    head, body = nodes.thead(), nodes.tbody()
    group += [head, body]
    for cells, parent in [([[nodes.Text(h)] for h in header], head)] + [(r, body) for r in rows]:
        row = nodes.row()
        for cell in cells:
            row += nodes.entry("", paragraph(cell))
        parent += row
    return table


def _bullets(items: list[nodes.paragraph]) -> nodes.bullet_list:
    return nodes.bullet_list("", *[nodes.list_item("", item) for item in items], bullet="-")


class _Page:
    """Builds sections whose ids are unique in the document."""

    def __init__(self, document: nodes.document | None):
        self.document = document

    def section(self, title: str) -> nodes.section:
        section = nodes.section(classes=["course-deferred"])  # laid out when scrolled near (_static/devices.css)
        section += nodes.title(title, title)
        section["names"].append(nodes.fully_normalize_name(title))
        if self.document is not None:
            self.document.note_implicit_target(section, section)
        else:
            section["ids"].append(nodes.make_id(title) or "section")
        return section


# -- the data page -----------------------------------------------------------

def _constraints(field: dict) -> str:
    return ", ".join(
        f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}"
        for k, v in (field.get("constraints") or {}).items()
    )


def _licences(res: dict, package: dict) -> list[nodes.Node]:
    result = []
    for licence in res.get("licenses", package.get("licenses", [])):
        if result:
            result.append(nodes.Text("; "))
        name = licence.get("title", licence.get("name", ""))
        result.append(link(licence["path"], name) if licence.get("path") else nodes.Text(str(name)))
    return result


def data_nodes(path: Path = DESCRIPTOR, document: nodes.document | None = None) -> list[nodes.Node]:
    """Every dataset of the data package with its fields, licence and sources, as nodes."""
    page = _Page(document)
    package = descriptor(path)
    names = [r["name"] for r in package["resources"]]
    references = {row.key: row for row in load("sources", path).itertuples()} if "sources" in names else {}
    result: list[nodes.Node] = [paragraph(inline(package.get("description", "")))]
    for res in package["resources"]:
        section = page.section(str(res.get("title", res["name"])))
        section += paragraph(nodes.literal(text=f"data/{res['path']}"), nodes.Text(" — load with "),
                             nodes.literal(text=f'course.load("{res["name"]}")'), nodes.Text("."))
        section += paragraph(inline(res.get("description", "")))
        licences = _licences(res, package)
        if licences:
            section += paragraph(nodes.strong(text="Licence:"), nodes.Text(" "), licences)
        if res.get("sources"):
            section += paragraph(nodes.strong(text="Sources:"))
            section += _bullets([
                paragraph(nodes.Text(str(src.get("title", ""))),
                          *([nodes.Text(" "), link(src["path"])] if src.get("path") else []))
                for src in res["sources"]
            ])
        fields = res.get("schema", {}).get("fields", [])
        if fields:
            section += _table(["field", "type", "meaning", "constraints"], [
                [[nodes.literal(text=str(f["name"]))], [nodes.Text(str(f.get("type", "string")))],
                 inline(f.get("description", "")), [nodes.Text(_constraints(f))]]
                for f in fields
            ])
        if res.get("format") != "geojson" and res["name"] != "sources":
            frame = load(res["name"], path)
            keys = set()
            for column in ("source", "source_2"):
                if column in frame:
                    keys |= set(frame[column].dropna())
            words = f"{len(frame)} rows."
            if keys:
                words += f" Rows cite: {', '.join(sorted(keys))} (see "
            more = [nodes.emphasis(text="References"), nodes.Text(" below).")] if keys else []
            section += paragraph(nodes.Text(words), *more)
        result.append(section)
    if references:
        section = page.section("References")
        section += paragraph(nodes.Text("Every "), nodes.literal(text="source"),
                             nodes.Text(" key in the tables above points to one of these."))
        items = []
        for key, row in sorted(references.items()):
            author = f"{row.author}, " if isinstance(row.author, str) and row.author else ""
            published = row.published if isinstance(row.published, str) else ""
            items.append(paragraph(
                nodes.literal(text=str(key)),
                nodes.Text(f" — {author}“{row.title}”, {row.publisher}, {published}. "),
                link(row.url), nodes.Text(f" — {row.measures}"),
            ))
        section += _bullets(items)
        result.append(section)
    return result


# -- the article page --------------------------------------------------------

def article_nodes(art: article_module.Article, docname: str) -> list[nodes.Node]:
    """The article, paragraph by paragraph, with links to the chapters."""
    result: list[nodes.Node] = [paragraph(
        nodes.emphasis(text=article_module.CITATION),
        nodes.Text(f" Date given in the seed file: {art.date.isoformat()}."),
    )]
    for block in art.blocks:
        if block.kind == "heading":
            result.append(paragraph(nodes.strong(text=block.text)))
            continue
        page = article_module.CHAPTER_OF_PARAGRAPH[block.number]
        chapter = addnodes.pending_xref(
            "", nodes.inline(page, page), refdomain="std", reftype="doc", reftarget=f"/{page}",
            refexplicit=False, refwarn=True, refdoc=docname,
        )
        result.append(nodes.block_quote(
            "",
            paragraph(nodes.strong(text=f"¶{block.number}"), nodes.Text(f" {block.text}")),
            paragraph(nodes.Text("→ discussed in "), chapter),
        ))
        if block.number in article_module.TEXT_DEFECTS:
            result.append(paragraph(nodes.emphasis(text=f"Editorial note on ¶{block.number}:"),
                                    nodes.Text(f" {article_module.TEXT_DEFECTS[block.number]}")))
    return result


class FullArticle(SphinxDirective):
    def run(self):
        self.env.note_dependency(str(article_module.SEED_PATH))
        self.env.note_dependency(__file__)  # the page changes with the code that renders it
        return article_nodes(article_module.load_article(), self.env.docname)


class DataPackage(SphinxDirective):
    def run(self):
        path = Path(self.config.course_data_descriptor)
        self.env.note_dependency(str(path))
        self.env.note_dependency(__file__)  # the page changes with the code that renders it
        for res in descriptor(path)["resources"]:
            self.env.note_dependency(str(data_file(res, path)))
        return data_nodes(path, self.state.document)


# -- what pages are built from -----------------------------------------------

def notebook_inputs() -> list[Path]:
    """Files a chapter notebook's outputs are computed from: data, quizzes, the student package's code."""
    runtime = Path(article_module.__file__).parent  # after_mosul/, what the notebooks import
    return sorted([*DESCRIPTOR.parent.glob("*.*"), *QUIZ_DIR.glob("*.yml"), *runtime.glob("*.py")])


def note_notebook_inputs(app, doctree) -> None:
    env = app.env
    if str(env.doc2path(env.docname)).endswith(".ipynb"):
        for path in notebook_inputs():
            env.note_dependency(str(path))


def check_vendored_assets(app) -> None:
    """Stop an HTML build that would ship maps without their Leaflet."""
    if app.builder.format != "html":
        return
    for asset in app.config.course_vendored_assets:
        if not any((Path(app.confdir) / extra / asset).is_file() for extra in app.config.html_extra_path):
            raise ConfigError(
                f"The vendored file _extra/{asset} is missing, so the book's maps would not work offline: "
                "run `make setup` (or `python -m book.vendor_assets` after `npm ci`) and build again."
            )


def drop_unused_widget_state(app, env):
    """Remove the ipywidgets state myst-nb embeds in each notebook page.

    The built book shows every quiz through its text/html face (widget views are
    excluded in ``nb_mime_priority_overrides``), so the embedded widget state
    would be dead weight: about 20 KB a quiz.
    """
    for data in getattr(env, "nb_metadata", {}).values():
        data.get("js_files", {}).pop("ipywidgets_state", None)


def copy_student_notebooks(app, exception):
    """Serve exercises/student/*.ipynb at the same relative path as in the project.

    The chapters link their practice notebook as ``../exercises/student/NN.ipynb``,
    a plain HTML link that works both in the book and in JupyterLab.
    """
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "exercises" / "student"
    target.mkdir(parents=True, exist_ok=True)
    for notebook in sorted((Path(app.srcdir) / "exercises" / "student").glob("*.ipynb")):
        shutil.copyfile(notebook, target / notebook.name)


def setup(app):
    app.add_config_value("course_data_descriptor", str(DESCRIPTOR), "env")
    app.add_config_value("course_vendored_assets", VENDORED, "env")
    app.add_directive("full-article", FullArticle)
    app.add_directive("data-package", DataPackage)
    app.connect("doctree-read", note_notebook_inputs)
    app.connect("builder-inited", check_vendored_assets)
    app.connect("env-updated", drop_unused_widget_state)
    app.connect("build-finished", copy_student_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

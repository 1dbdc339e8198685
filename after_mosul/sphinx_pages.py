"""Sphinx directives that render book pages from the project's own files.

* ``{full-article}`` renders the seed article from ``seeds/`` (so the book holds
  no second copy of it), each paragraph linked to the chapter discussing it.
* ``{data-package}`` renders ``data/datapackage.json``: every dataset, its
  fields, licence and sources, and the references table rows point into.

It also drops the ipywidgets state that the static pages never use.

Both emit MyST Markdown and let the parser turn it into the page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

from . import article as article_module
from .data import descriptor, load
from .paths import DESCRIPTOR


def _parse(directive: SphinxDirective, lines: list[str]) -> list[nodes.Node]:
    container = nodes.container()
    nested_parse_with_titles(directive.state, StringList(lines, source="generated"), container)
    return container.children


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def article_markdown() -> list[str]:
    """The article, paragraph by paragraph, with links to the chapters."""
    art = article_module.load_article()
    lines = [
        f"*{article_module.CITATION}* Date given in the seed file: {art.date.isoformat()}.",
        "",
    ]
    for block in art.blocks:
        if block.kind == "heading":
            lines += [f"**{block.text}**", ""]
            continue
        page = article_module.CHAPTER_OF_PARAGRAPH[block.number]
        lines += [f"> **¶{block.number}** {block.text}", ">",
                  f"> → discussed in {{doc}}`/{page}`", ""]
        if block.number in article_module.TEXT_DEFECTS:
            lines += [f"*Editorial note on ¶{block.number}:* {article_module.TEXT_DEFECTS[block.number]}", ""]
    return lines


def data_markdown() -> list[str]:
    """Every dataset of the data package with its fields, licence and sources."""
    package = descriptor()
    references = {}
    if any(r["name"] == "sources" for r in package["resources"]):
        references = {row.key: row for row in load("sources").itertuples()}
    lines = [package.get("description", ""), ""]
    for res in package["resources"]:
        lines += [f"## {res.get('title', res['name'])}", ""]
        lines += [f"`data/{res['path']}` — load with `course.load(\"{res['name']}\")`.", ""]
        lines += [res.get("description", ""), ""]
        licences = "; ".join(f"[{l.get('title', l.get('name'))}]({l['path']})" if l.get("path") else l.get("title", l.get("name")) for l in res.get("licenses", package.get("licenses", [])))
        if licences:
            lines += [f"**Licence:** {licences}", ""]
        if res.get("sources"):
            lines += ["**Sources:**", ""]
            for src in res["sources"]:
                link = f" <{src['path']}>" if src.get("path") else ""
                lines.append(f"- {src.get('title', '')}{link}")
            lines.append("")
        fields = res.get("schema", {}).get("fields", [])
        if fields:
            lines += ["| field | type | meaning | constraints |", "|---|---|---|---|"]
            for f in fields:
                constraints = ", ".join(
                    f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}"
                    for k, v in f.get("constraints", {}).items()
                )
                lines.append(f"| `{f['name']}` | {f.get('type', 'string')} | {_cell(f.get('description', ''))} | {_cell(constraints)} |")
            lines.append("")
        if res.get("format") != "geojson" and res["name"] != "sources":
            frame = load(res["name"])
            keys = set()
            for column in ("source", "source_2"):
                if column in frame:
                    keys |= set(frame[column].dropna())
            lines += [f"{len(frame)} rows."]
            if keys:
                lines += [f" Rows cite: {', '.join(sorted(keys))} (see *References* below)."]
            lines.append("")
    if references:
        lines += ["## References", "", "Every `source` key in the tables above points to one of these.", ""]
        for key, row in sorted(references.items()):
            author = f"{row.author}, " if isinstance(row.author, str) and row.author else ""
            lines.append(
                f"- `{key}` — {author}“{row.title}”, {row.publisher}, {row.published}. "
                f"<{row.url}> — {row.measures}"
            )
        lines.append("")
    return lines


class FullArticle(SphinxDirective):
    def run(self):
        self.env.note_dependency(str(article_module.SEED_PATH))
        return _parse(self, article_markdown())


class DataPackage(SphinxDirective):
    def run(self):
        self.env.note_dependency(str(DESCRIPTOR))
        return _parse(self, data_markdown())


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
    app.add_directive("full-article", FullArticle)
    app.add_directive("data-package", DataPackage)
    app.connect("env-updated", drop_unused_widget_state)
    app.connect("build-finished", copy_student_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""The notebooks students open read correctly in any Jupyter front end: plain CommonMark, no maths from money.

JupyterLab, Notebook 7, VS Code, Colab and GitHub render a notebook's Markdown as
CommonMark and typeset any pair of unescaped ``$`` as maths; none renders MyST.
"""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from book.commonmark import doc_resolver, escape_dollars, to_commonmark

from ..conftest import ROOT

NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*/*.ipynb"))
PLAIN = MarkdownIt("commonmark")
# as permissive as Jupyter's own maths finder: any pair of unescaped $ outside code is maths
WITH_MATHS = MarkdownIt("commonmark").use(dollarmath_plugin, allow_space=True, allow_digits=True, double_inline=True)
RAW_MYST = [
    (re.compile(r"\{[a-z][\w-]*\}(`|<code>)"), "a MyST role such as {doc}`...`"),
    (re.compile(r"^\s*:[a-z][\w-]*:", re.M), "a directive option such as :class:"),
    (re.compile(r"^\s*\([\w:.-]+\)=\s*$", re.M), "a MyST target such as (label)="),
    (re.compile(r"```\{|:::"), "a MyST directive fence"),
    (re.compile(r"\{\{.*?\}\}"), "a MyST substitution"),
]


def _resolve(target):
    return f"Title of {target}", f"{target}.ipynb"


def test_admonitions_become_block_quotes_with_their_title():
    source = "```{admonition} Content note\n:class: warning\nThis chapter describes...\n\nMore.\n```"
    assert to_commonmark(source, _resolve) == "> **Content note**\n>\n> This chapter describes...\n>\n> More."
    assert to_commonmark("```{note}\n*Editorial note.*\n```", _resolve) == "> **Note**\n>\n> *Editorial note.*"


def test_roles_become_links_or_text_and_targets_go():
    source = ("(rise-claim)=\n### Claim\n"
              "See {doc}`01_rise`, {doc}`the data <../pages/data>` and {ref}`Claim 1 <rise-claim>`.")
    assert to_commonmark(source, _resolve) == (
        "### Claim\nSee [Title of 01_rise](01_rise.ipynb), [the data](../pages/data.ipynb) and Claim 1."
    )


def test_dollars_are_escaped_outside_code_only():
    dollar = "<span>&#36;</span>"
    assert escape_dollars("from $1 billion to $2.4 billion") == f"from {dollar}1 billion to {dollar}2.4 billion"
    assert escape_dollars(r"already \$5, and `df['$x']` kept") == f"already {dollar}5, and `df['$x']` kept"
    assert PLAIN.render(escape_dollars("$1 billion")) == "<p><span>$</span>1 billion</p>\n"
    assert to_commonmark("```python\nprice = '$1'\n```", _resolve) == "```python\nprice = '$1'\n```"


def test_doc_links_point_at_the_sibling_notebook_with_the_books_title():
    resolve = doc_resolver(ROOT, ROOT / "chapters", ROOT / "chapters")
    title, href = resolve("02_mosul")
    assert href == "02_mosul.ipynb" and title.startswith("The battle of Mosul")
    assert resolve("/pages/data")[1] == "../pages/data.md"
    exercises = doc_resolver(ROOT, ROOT / "exercises" / "source", ROOT / "exercises" / "student")
    assert exercises("../../chapters/01_rise")[1] == "../../chapters/01_rise.ipynb"


def _maths(tokens):
    for token in tokens:
        if token.type.startswith("math"):
            yield token.content
        yield from _maths(token.children or [])


class _TextRuns(HTMLParser):
    """The runs of text MathJax searches for delimiters: every element starts a new run; code is skipped."""

    SKIP = {"code", "pre", "script", "style"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.runs, self.skipping = [""], 0

    def handle_starttag(self, tag, attrs):
        self.skipping += tag in self.SKIP
        self.runs.append("")

    def handle_endtag(self, tag):
        self.skipping -= tag in self.SKIP
        self.runs.append("")

    def handle_data(self, data):
        if not self.skipping:
            self.runs[-1] += data


def typeset_maths(rendered_html: str) -> list[str]:
    """What MathJax, run over the rendered page as in JupyterLab and Colab, would typeset from ``$`` pairs."""
    parser = _TextRuns()
    parser.feed(rendered_html)
    return [m for run in parser.runs for m in re.findall(r"(?<!\\)\$[^$]+(?<!\\)\$", run)]


def markdown_problems(text: str) -> list[str]:
    """What a CommonMark front end would show wrongly in one Markdown cell."""
    problems = [f"maths from ${m}$" for m in _maths(WITH_MATHS.parse(text))]
    rendered = PLAIN.render(text)
    problems += [f"maths typeset in the page: {m}" for m in typeset_maths(rendered)]
    visible = re.sub(r"<(?!/?code>)[^>]+>", "", rendered)  # the text a reader sees, code marked
    problems += [f"{what}: {m.group(0)!r}" for pattern, what in RAW_MYST for m in pattern.finditer(visible)]
    problems += [f"a MyST directive fence: {t.info!r}"
                 for t in PLAIN.parse(text) if t.type == "fence" and t.info.startswith("{")]
    return problems


def test_the_checker_finds_currency_maths_and_raw_myst():
    assert markdown_problems("about $1 billion (US Treasury) to $2.4 billion")
    assert markdown_problems("See {doc}`01_rise`.") and markdown_problems("```{note}\nx\n```")
    assert markdown_problems("(label)=\n# Title") and markdown_problems("```{admonition} T\n:class: tip\nx\n```")
    assert markdown_problems(r"about \$1 billion to \$2.4 billion")  # JupyterLab typesets this
    assert not markdown_problems("about <span>&#36;</span>1 billion to <span>&#36;</span>2.4; `a $ b $ c` is code")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_notebook_reads_as_plain_commonmark_without_currency_maths(path: Path):
    notebook = nbformat.read(path, as_version=4)
    found = [
        f"cell {i}: {problem}"
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown"
        for problem in markdown_problems(cell.source)
    ]
    where = f"{path.relative_to(ROOT)} (regenerate with make refresh / make exercises)"
    assert not found, f"{where}:\n" + "\n".join(found[:10])


def test_all_generated_notebooks_are_checked():
    assert len(NOTEBOOKS) == 15


RAW_KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?:19|20)\d\d_\d\d(?:_\d\d)?_[a-z0-9_]+\b")
GFM = MarkdownIt("commonmark").enable("table")


@pytest.mark.parametrize("path", sorted((ROOT / "chapters").glob("*.ipynb")), ids=lambda p: p.stem)
def test_a_chapter_notebooks_verdicts_are_a_table_and_its_references_a_list_of_links(path: Path):
    """{claim-reviews} was an empty "> **Claim-reviews**" block, {references} a block of raw keys (issue 23, 2)."""
    from after_mosul import bibliography

    from book import claims

    markdown = "\n\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    rendered = GFM.render(markdown)
    prose = re.sub(r"<code>.*?</code>", "", rendered, flags=re.S)  # a key in `code` names a source on purpose
    assert "Claim-reviews" not in rendered and not re.search(r"<blockquote>\s*<p><strong>References</strong></p>\s*"
                                                             r"</blockquote>", rendered)
    assert not RAW_KEY.search(prose), f"{path.name}: raw citation key {RAW_KEY.search(prose).group(0)}"
    rows = [r for r in claims.ledger().to_dict("records") if r["chapter"] == path.stem]
    tables = [t for t in re.findall(r"<table>.*?</table>", rendered, re.S) if "<th>Verdict</th>" in t]
    assert len(tables) == 1, f"{path.name}: the claims it checks are not a table"
    assert tables[0].count("<tr>") == len(rows) + 1
    for row in rows:
        assert f"<strong>{row['verdict']}</strong>" in tables[0]
    section = rendered[rendered.rindex(">References</h2>"):]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    keys = re.findall(r"^([a-z]\w+)$", (ROOT / "chapters" / f"{path.stem}.md").read_text(
        encoding="utf-8").split("```{references}")[1].split("```")[0], re.M)
    assert len(keys) >= 5
    for row in bibliography.lookup(keys):
        link = f'<a href="{html.escape(GFM.normalizeLink(row["url"]))}">'
        assert any(link in item and bibliography.display_date(row["published"]) in item for item in items), (
            f"{path.name}: no list item links {row['key']} with its date")

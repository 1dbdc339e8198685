"""MyST Markdown to plain CommonMark, for the notebooks students open.

Chapters and exercises are written in MyST, which the book renders. JupyterLab,
Notebook 7, VS Code, Colab and GitHub render plain CommonMark plus ``$`` maths
instead, so ``make refresh`` and ``make exercises`` pass every Markdown cell of
the generated ``.ipynb`` through ``to_commonmark``:

* an admonition (```` ```{note} ````, ```` ```{admonition} Title ```` with ``:class:``)
  becomes a block quote opening with its title in bold;
* ``{doc}`target``` and ``{doc}`text <target>``` become links to the sibling
  notebook (a chapter) or Markdown page, titled as the book titles them;
* ``{ref}`text <label>``` becomes its text; ``(label)=`` targets are dropped;
* ``{claim-reviews} NN_name`` becomes a Markdown table of that chapter's rows of
  ``data/claims.csv`` (claim, verdict with its review date, reason, linked sources), and
  ``{references}`` a bulleted list of its keys' rows of ``data/sources.csv`` (publisher,
  linked title, date), as the book renders them: never an empty block or raw keys; text
  from the data is escaped, so it is never read as Markdown or HTML;
* every ``$`` outside code becomes ``<span>&#36;</span>``, so an amount of money is
  never maths. ``\\$`` is not enough: JupyterLab's Markdown renderer turns it into a
  bare ``$`` and MathJax then pairs two of them in the page. Each ``$`` in its own
  element can pair with nothing, and every CommonMark renderer shows it as ``$``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from collections.abc import Callable

ROLE = re.compile(r"\{(doc|ref|download)\}`([^`]*)`")
EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)
DIRECTIVE = re.compile(r"^(`{3,}|:{3,})\{([\w-]+)\}\s*(.*)$")
FENCE = re.compile(r"^(`{3,}|~{3,})")
TARGET = re.compile(r"^\([\w:.-]+\)=\s*$")
OPTION = re.compile(r"^:[\w-]+:")
CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
DOLLAR = "<span>&#36;</span>"

Resolver = Callable[[str], tuple[str, str]]  # doc target -> (title, href)
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]{}<>()|#+!~&-])")


def escape_dollars(line: str) -> str:
    """``$`` (or ``\\$``) -> ``<span>&#36;</span>`` outside inline code."""
    parts, last = [], 0
    for span in CODE_SPAN.finditer(line):
        parts.append(re.sub(r"\\?\$", DOLLAR, line[last:span.start()]))
        parts.append(span.group(0))
        last = span.end()
    parts.append(re.sub(r"\\?\$", DOLLAR, line[last:]))
    return "".join(parts)


def data_text(value) -> str:
    """Text from a data file as literal CommonMark: one line, punctuation escaped, each ``$`` shielded."""
    line = " ".join(str(value).split())
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", line).replace("$", DOLLAR)


def _destination(url: str) -> str:
    """A URL as a CommonMark link destination (``<...>``, its angle brackets and spaces percent-encoded)."""
    return "<" + url.strip().replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">"


def references_markdown(keys: list[str]) -> list[str]:
    """The reference list of ``keys`` as CommonMark bullets: publisher, linked title, date."""
    from after_mosul import bibliography

    lines = []
    for row in bibliography.lookup(keys):
        lead, title, tail = bibliography.parts(row)
        date = f", {data_text(tail)}" if tail else ""
        lines.append(f"- {data_text(lead)}, [“{data_text(title)}”]({_destination(row['url'])}){date}.")
    return lines


def _source_label(row: dict) -> str:
    from after_mosul import bibliography

    return f"{row['publisher']}, {bibliography.display_date(row['published'])}".rstrip(", ")


def claim_reviews_markdown(chapter: str) -> list[str]:
    """One chapter's rows of the claims ledger as a CommonMark (GitHub-flavoured) table."""
    from after_mosul import bibliography

    from . import claims

    rows = [row for row in claims.ledger().to_dict("records") if row["chapter"] == chapter]
    if not rows:
        raise ValueError(f"No rows of data/claims.csv have chapter {chapter!r}.")

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| Claim (¶ and exact words) | Verdict | Why | Main sources |", "|---|---|---|---|"]
    for row in rows:
        reviewed = bibliography.display_date(claims.reviewed_on(row).isoformat())
        sources = "; ".join(
            f"[{data_text(_source_label(source))}]({_destination(source['url'])})"
            for source in bibliography.lookup(claims.source_keys(row))
        )
        lines.append("| " + " | ".join(cell(c) for c in (
            f"¶{row['paragraph']}: “{data_text(row['quote'])}”",
            f"**{data_text(row['verdict'])}** (reviewed {data_text(reviewed)})",
            data_text(row["reason"]),
            sources or "none",
        )) + " |")
    return lines


def _role(match: re.Match, resolve: Resolver) -> str:
    kind, content = match.groups()
    explicit = EXPLICIT.match(content)
    text, target = (explicit.group(1), explicit.group(2)) if explicit else (None, content)
    if kind == "ref":
        return text or target
    title, href = resolve(target) if kind == "doc" else (target, target)
    return f"[{text or title}]({href})"


def _inline(line: str, resolve: Resolver) -> str:
    return escape_dollars(ROLE.sub(lambda m: _role(m, resolve), line))


def to_commonmark(text: str, resolve: Resolver) -> str:
    """The MyST Markdown ``text`` of one cell as CommonMark (see the module docstring)."""
    out: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        directive = DIRECTIVE.match(line)
        fence = FENCE.match(line)
        if TARGET.match(line):
            i += 1
            continue
        if directive:
            marker, name, argument = directive.groups()
            body, i = [], i + 1
            while i < len(lines) and lines[i].strip() != marker:
                body.append(lines[i])
                i += 1
            i += 1
            while body and OPTION.match(body[0]):
                body.pop(0)
            if name == "references":
                out.extend(references_markdown([b.strip() for b in body if b.strip()]))
                continue
            if name == "claim-reviews":
                out.extend(claim_reviews_markdown(argument.strip()))
                continue
            title = argument.strip() if name == "admonition" and argument.strip() else name.capitalize()
            converted = to_commonmark("\n".join(body), resolve).split("\n")
            out.append(f"> **{_inline(title, resolve)}**")
            out.append(">")
            out.extend(f"> {b}" if b.strip() else ">" for b in converted)
            continue
        if fence:  # ordinary fenced code: copied as it is
            out.append(line)
            i += 1
            while i < len(lines) and not lines[i].startswith(fence.group(1)):
                out.append(lines[i])
                i += 1
            if i < len(lines):
                out.append(lines[i])
            i += 1
            continue
        out.append(_inline(line, resolve))
        i += 1
    return "\n".join(out)


def page_title(markdown: Path) -> str:
    """A MyST page's first level-1 heading (the title the book gives it), else its file name."""
    for line in markdown.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return markdown.stem


def doc_resolver(root: Path, source_dir: Path, output_dir: Path) -> Resolver:
    """Resolve ``{doc}`` targets of a source in ``source_dir`` for a notebook written to ``output_dir``.

    A chapter links to its notebook, any other page to its Markdown file; the
    link text is the page's first heading, as in the book.
    """

    def resolve(target: str) -> tuple[str, str]:
        base = root / target.lstrip("/") if target.startswith("/") else source_dir / target
        base = Path(os.path.normpath(base))
        markdown = base.with_suffix(".md")
        notebook = base.with_suffix(".ipynb")
        title = page_title(markdown) if markdown.is_file() else base.name
        linked = notebook if notebook.is_file() else markdown
        return title, Path(os.path.relpath(linked, output_dir)).as_posix()

    return resolve

"""Each page has a meta description: its first paragraph of prose, cut to 160 characters.

Why not sphinxext-opengraph's (0.13, ``ogp_enable_meta_description``): compared on this book's doctrees, it runs
the page's leading text together, section titles included ("What this module is: On 22 July 2017, ..."), and
drops the space around inline links and code ("Read../intro first", "basic pandas(filtering rows"); its other tags
need a site URL the book does not have (it is served from wherever it is copied) and, with matplotlib installed, it
draws a social card image per page. This is forty lines with a test (tests/book/test_book.py).
"""

from __future__ import annotations

import html


DESCRIPTION_LENGTH = 160  # characters search engines show


def first_paragraph(doctree) -> str:
    """The text of the page's first paragraph of prose (not in a table, list, note or output)."""
    from docutils import nodes

    skip = (nodes.table, nodes.list_item, nodes.Admonition, nodes.field_list, nodes.sidebar, nodes.footer)
    for paragraph in doctree.findall(nodes.paragraph):
        parent, inside = paragraph.parent, False
        while parent is not None and not inside:
            inside = isinstance(parent, skip) or "cell_output" in (parent.get("classes") or [])
            parent = parent.parent
        text = " ".join(paragraph.astext().split())
        if not inside and len(text) > 40:
            return text
    return ""


FALLBACK_TITLES = {"genindex": "Index", "search": "Search"}


def describe_page(pagename: str, context: dict, doctree) -> None:
    """A ``<meta name="description">``: the page's first paragraph, cut at a word."""
    metatags = context.get("metatags") or ""
    if 'name="description"' in metatags:
        return
    text = first_paragraph(doctree) if doctree is not None else ""
    if not text:
        title = context.get("title") or FALLBACK_TITLES.get(pagename, pagename)
        text = f"{title} — {context.get('docstitle') or context.get('project') or ''}"
    if len(text) > DESCRIPTION_LENGTH:
        text = text[:DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:—-") + "…"
    context["metatags"] = metatags + f'\n<meta name="description" content="{html.escape(text, quote=True)}" />'


def page_context(app, pagename, templatename, context, doctree) -> None:
    describe_page(pagename, context, doctree)


def setup(app):
    app.connect("html-page-context", page_context, priority=960)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

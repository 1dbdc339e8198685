"""What the page's body gets changed (issue 13).

* Maps: each map's document (the iframe's ``srcdoc`` in the notebook) is written to
  ``_maps/<figure id>.html`` and the iframe loads it with ``loading="lazy"``, so a map
  costs nothing until the reader scrolls near it (and the page's HTML halves).
* pandas' empty top-left header cell becomes a plain cell (axe: empty-table-header); the quiz's
  "(choose an answer ...)" hint is marked so that it does not print.
* The download menu links each page's PDF handout (book/handouts.py) instead of
  opening the print dialog; chapters also link their student exercise sheet.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from .handouts import exercise_for, has_handout, page_pdf


EMPTY_HEADER = re.compile(r"<th>(\s*)</th>")
QUIZ_HINT = re.compile(r"(</strong>) (\(choose an answer to see feedback\))")
MAP_FIGURE = re.compile(r'(<figure class="course-map" id="([^"]+)">\s*<iframe\b[^>]*?)\ssrcdoc="([^"]*)"')
MAP_DIR = "_maps"


def link_handouts(pagename: str, context: dict) -> None:
    """The download menu's ".pdf" opens this page's handout (and its exercise sheet)."""
    pathto = context.get("pathto")
    for group in context.get("header_buttons") or []:
        if group.get("label") != "download-buttons":
            continue
        buttons = [b for b in group["buttons"] if b.get("label") != "download-pdf-button"]
        if has_handout(pagename) and pathto:
            buttons.append({"type": "link", "url": pathto(page_pdf(pagename), 1), "text": ".pdf",
                            "tooltip": "Download this page as a PDF handout", "icon": "fas fa-file-pdf",
                            "label": "download-pdf-button"})
            sheet = exercise_for(pagename)
            if sheet:
                buttons.append({"type": "link", "url": pathto(sheet, 1), "text": "exercise sheet .pdf",
                                "tooltip": "Download the chapter's exercise sheet as a PDF",
                                "icon": "fas fa-file-pdf", "label": "download-exercise-pdf-button"})
        group["buttons"] = buttons


def map_files(outdir: Path, body: str, pathto) -> str:
    """Write each map's document to _maps/ and point its iframe there, loaded when scrolled near."""

    def move(match) -> str:
        start, figure_id, document = match.groups()
        target = outdir / MAP_DIR / f"{figure_id}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html.unescape(document), encoding="utf-8")
        return f'{start} loading="lazy" src="{pathto(f"{MAP_DIR}/{figure_id}.html", 1)}"'

    return MAP_FIGURE.sub(move, body)


def adjust_body(app, context: dict) -> None:
    body = context.get("body")
    if not isinstance(body, str):
        return
    body = EMPTY_HEADER.sub(r"<td>\1</td>", body)
    body = QUIZ_HINT.sub(r'\1 <span class="quiz-title-hint">\2</span>', body)
    if context.get("pathto"):
        body = map_files(Path(app.outdir), body, context["pathto"])
    context["body"] = body


def page_context(app, pagename, templatename, context, doctree) -> None:
    link_handouts(pagename, context)
    adjust_body(app, context)


def setup(app):
    app.connect("html-page-context", page_context, priority=951)  # after sphinx_assets
    return {"parallel_read_safe": True, "parallel_write_safe": True}

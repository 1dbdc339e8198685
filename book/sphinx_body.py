"""What the page's body gets changed (issue 13).

* Maps: each map's document (the iframe's ``srcdoc`` in the notebook) is written to
  ``_maps/<figure id>.html`` and the iframe loads it with ``loading="lazy"``, so a map
  costs nothing until the reader scrolls near it (and the page's HTML halves).
* pandas' empty top-left header cell becomes a plain cell (axe: empty-table-header); the quiz's
  "(choose an answer ...)" hint is marked so that it does not print.
* Tables: each table's scrolling box is a named region (``role=region``, ``aria-label``, unique
  on its page) that the theme's script makes focusable when it scrolls, with a shadow at the edge
  that has more to show (_static/devices.css); ISO dates in table cells never break (issue 23).
* Paper: an exercise's "Show what the result means" summary gets a print-only label ("What the
  result means"); the print stylesheet opens the folded text under it (issue 23).
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


TABLE_BOX = re.compile(r'<div class="(pst-scrollable-table-container|output text_html)">'
                       r'(?=\s*(?:<div>\s*)?(?:<style\b[^<]*</style>\s*)?<table\b)')
HEADING = re.compile(r"<h[1-6]\b[^>]*>(.*?)</h[1-6]>", re.S)
CELL = re.compile(r"(<t[dh]\b[^>]*>)(.*?)(</t[dh]>)", re.S)
ISO_DATE = re.compile(r"(?<![\w-])(\d{4}-\d{2}-\d{2})(?![\w-])")
TAG = re.compile(r"(<[^>]+>)")
# "Show what the result means" is a control on screen; on paper it becomes the label "What the result means"
SOLUTION_SUMMARY = re.compile(r'(<details class="course-solution"[^>]*>\s*<summary>)(Show ([^<]+))</summary>')


def label_table_boxes(body: str) -> str:
    """Each table's box becomes a named region (tabindex: the theme's script, when it scrolls).

    On a phone a wide table scrolls sideways inside this box; the theme's script gives it
    ``tabindex=0`` when it does, so a keyboard can scroll it (axe: scrollable-region-focusable),
    and ``role=region`` with a name tells a screen reader what the scrolling box holds.
    """
    out, last, seen = [], 0, {}
    for match in TABLE_BOX.finditer(body):
        headings = HEADING.findall(body, 0, match.start())
        near = html.unescape(re.sub(r"<[^>]+>", "", headings[-1])).replace("#", "").strip() if headings else ""
        seen[near] = seen.get(near, 0) + 1  # each region's name is unique on its page (axe: landmark-unique)
        nth = f" {seen[near]}" if seen[near] > 1 else ""
        name = f"Table{nth} under “{near}”" if near else f"Table{nth}"
        out.append(body[last:match.start()])
        out.append(f'<div class="{match.group(1)} table-box" role="region" aria-label="{html.escape(name)}">')
        last = match.end()
    out.append(body[last:])
    return "".join(out)


def unbroken_dates(body: str) -> str:
    """ISO dates in table cells never break at their hyphens ("2016-/10-17" on a phone)."""

    def cell(match: re.Match) -> str:
        parts = TAG.split(match.group(2))
        inner = "".join(part if part.startswith("<") else ISO_DATE.sub(r'<span class="date">\1</span>', part)
                        for part in parts)
        return match.group(1) + inner + match.group(3)

    return CELL.sub(cell, body)


def print_labels(body: str) -> str:
    return SOLUTION_SUMMARY.sub(
        lambda m: f'{m.group(1)}<span class="screen-only">{m.group(2)}</span>'
                  f'<span class="print-only">{m.group(3)[:1].upper()}{m.group(3)[1:]}</span></summary>', body)


def adjust_body(app, context: dict) -> None:
    body = context.get("body")
    if not isinstance(body, str):
        return
    body = EMPTY_HEADER.sub(r"<td>\1</td>", body)
    body = print_labels(unbroken_dates(label_table_boxes(body)))
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

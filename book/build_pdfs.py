"""Build the PDF handouts from the built book: Chromium's print-to-PDF, offline.

    make pdf                                   # (make book runs it too)
    .venv/bin/python -m book.build_pdfs [--book _build/html] [--out DIR]

Every page of the book (chapters, the article, the data page, the introduction) and the
instructor's guide is opened in Debian's Chromium (Playwright) against the book's own
server, every other host blocked (map tiles get a blank image), and printed with the
print stylesheet (_static/devices.css): maps without their controls and with their text
description open, quizzes as question sheets. The instructor's guide alone gets the quiz
answer keys (book/handouts.py). The students' exercise sheets
(exercises/student/*.ipynb) are rendered by nbconvert and printed the same way.
Output: <book>/pdf/ unless --out is given.
"""

from __future__ import annotations

import argparse
import html
import queue
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from after_mosul.paths import PROJECT_ROOT as ROOT
from book import browser as harness
from book import handouts

# Handouts printed at once, each by its own browser: while one page waits for its maps and its network to
# settle, another is laid out (16 handouts on 2 cores: about 22 s instead of 28-30 s one after another).
PRINTERS = 2
# How long a page may take to settle: generous, since CI's two cores are often busy with other jobs
SETTLE_MS = 120_000
PRINT_WIDTH = 700  # px: about the width of an A4 page inside its margins, so maps are laid out as printed
PREPARE = """(key) => {
  document.documentElement.dataset.mode = "light";
  document.documentElement.dataset.theme = "light";
  document.querySelectorAll("details.map-description, details.course-solution").forEach(d => { d.open = true; });
  document.querySelectorAll("iframe[loading=lazy]").forEach(f => { f.loading = "eager"; });
  if (key) {
    const article = document.querySelector("article.bd-article");
    article.insertAdjacentHTML("beforeend", key);
  }
}"""
FOOTER = ('<div style="font-size:8px;width:100%;padding:0 14mm;color:#444;display:flex;justify-content:space-between">'
          '<span>{title}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>')
SHEET_CSS = """
body { font: 11pt/1.45 sans-serif; color: #000; margin: 0; }
h1 { font-size: 18pt; } h2 { font-size: 14pt; break-after: avoid; } h3 { font-size: 12pt; break-after: avoid; }
pre { white-space: pre-wrap; font-size: 9pt; background: #f4f4f4; padding: 6px; border: 1px solid #ccc; }
.jp-Cell, .cell, table, pre, blockquote { break-inside: avoid; }
.jp-InputPrompt, .jp-OutputPrompt, .prompt { display: none; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 2px 6px; }
@page { size: A4; margin: 16mm 14mm; }
"""


def pdf_options(title: str) -> dict:
    return dict(format="A4", print_background=True, prefer_css_page_size=True, display_header_footer=True,
                header_template="<span></span>", footer_template=FOOTER.format(title=html.escape(title)),
                margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})


def print_page(browser, server, handout, target: Path) -> None:
    context, page, _ = harness.open_page(browser, server, handout.source + ".html",
                                         viewport={"width": PRINT_WIDTH, "height": 1000}, color_scheme="light")
    try:
        key = handouts.quiz_key_html() if handout.kind == "instructors" else ""
        page.evaluate(PREPARE, key)
        for iframe in page.locator("figure.course-map iframe").all():
            iframe.element_handle().content_frame().wait_for_selector(".leaflet-container", state="attached",
                                                                      timeout=SETTLE_MS)
        page.emulate_media(media="print")
        page.wait_for_load_state("networkidle", timeout=SETTLE_MS)
        page.wait_for_timeout(200)  # Leaflet redraws on the print layout's resize
        title = page.title().split(" — ")[0]
        page.pdf(path=str(target), **pdf_options(title))
    finally:
        context.close()


def sheet_html(notebook: Path) -> str:
    import nbformat
    from nbconvert import HTMLExporter
    from pygments.formatters import HtmlFormatter

    body, _ = HTMLExporter(template_name="basic").from_notebook_node(nbformat.read(notebook, as_version=4))
    title = f"Exercise sheet: {notebook.stem.replace('_', ' ')}"
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{SHEET_CSS}{HtmlFormatter().get_style_defs('.highlight')}</style></head>"
            f"<body><main>{body}</main></body></html>")


def print_sheet(browser, handout, target: Path, tmp: Path) -> None:
    source = ROOT / handout.source
    page_file = tmp / f"{source.stem}.html"
    page_file.write_text(sheet_html(source), encoding="utf-8")
    context = browser.new_context(viewport={"width": PRINT_WIDTH, "height": 1000})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else route.abort("blockedbyclient"))
    try:
        page = context.new_page()
        page.goto(page_file.as_uri(), wait_until="load")
        page.pdf(path=str(target), **pdf_options(f"Exercise sheet {source.stem}"))
    finally:
        context.close()


def print_handouts(server, todo: queue.SimpleQueue, out: Path, tmp: Path) -> None:
    """Print handouts from ``todo`` into ``out`` until it is empty, with a Chromium of this thread's own
    (Playwright's API is per thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = harness.launch_chromium(playwright)
        try:
            while True:
                try:
                    handout = todo.get_nowait()
                except queue.Empty:
                    return
                target = out / Path(handout.path).name
                try:
                    if handout.kind == "exercise":
                        print_sheet(browser, handout, target, tmp)
                    else:
                        print_page(browser, server, handout, target)
                except Exception as error:  # the handout's name, not only Playwright's call log
                    raise RuntimeError(f"Could not print {handout.path} from {handout.source}: {error}") from error
        finally:
            browser.close()


def build(book: Path, out: Path, printers: int = PRINTERS) -> list[Path]:
    """Print every handout of ``book`` into ``out``, ``printers`` at a time; returns the files written."""
    every = handouts.handouts([p[:-5] for p in harness.discover_pages(book)])
    todo: queue.SimpleQueue = queue.SimpleQueue()
    # the longest pages first, so that no printer is left with a long one at the end
    for handout in sorted(every, key=lambda h: -_size(book, h)):
        todo.put(handout)
    out.mkdir(parents=True, exist_ok=True)
    with harness.BookServer(book) as server, tempfile.TemporaryDirectory(prefix="sheets-") as tmp, \
            ThreadPoolExecutor(max_workers=printers) as pool:
        for printer in [pool.submit(print_handouts, server, todo, out, Path(tmp)) for _ in range(printers)]:
            printer.result()  # re-raises a printer's error here
    return [out / Path(handout.path).name for handout in every]


def _size(book: Path, handout) -> int:
    source = ROOT / handout.source if handout.kind == "exercise" else book / f"{handout.source}.html"
    return source.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--book", type=Path, default=harness.book_dir())
    parser.add_argument("--out", type=Path, help="folder for the PDFs (default: <book>/pdf)")
    args = parser.parse_args()
    missing = harness.missing_book(args.book)
    if missing:
        print(missing, file=sys.stderr)
        return 1
    out = args.out or args.book / handouts.PDF_DIR
    for path in build(args.book, out):
        print(f"wrote {path} ({path.stat().st_size / 1000:,.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

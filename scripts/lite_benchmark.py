"""Figures for the browser site (book/lite.py): size, bytes and time to a notebook's first output.

Figures, not a test (``make lite-benchmark``, or ``python -m scripts.lite_benchmark [--notebook PATH]
[--repeat N]``). The built book is served on 127.0.0.1 by a thread (book/browser.py) and opened in
Debian's headless Chromium with every request to another host blocked. For each run:

* **cold**: a fresh browser context (empty cache and storage) opens the notebook's "Run in your
  browser" address, runs every cell, and the clock stops when the first output appears. Its requests
  go through Playwright's route (which records them, and blocks other hosts), so the bytes transferred
  by then are counted: each distinct local file once, as a server with gzip on would send it;
* **warm**: another fresh context, without a route (a route turns the browser's cache off; other hosts
  are still refused by Chromium's host resolver, book/browser.py), opens the notebook once to fill its
  cache, then again: the second load is timed. Its bytes are not counted.

Printed: the site's size on disk (and by part), and per run the seconds from opening the page to the
first output.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from book import browser as lab_browser
from book.paths import built_book, missing_book

KERNEL_IDLE = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle';
}"""
FIRST_OUTPUT = "() => document.querySelectorAll('.jp-OutputArea-output').length > 0"


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def one_load(context, server, notebook: str, recorder=None) -> tuple[float, int]:
    """Seconds from opening the notebook to its first output, and bytes transferred by then (with a recorder)."""
    if recorder is not None:
        context.route("**/*", recorder.route)  # the context's route also sees the kernel's web worker fetch Pyodide
    page = context.new_page()
    start = time.monotonic()
    page.goto(server.url(f"lite/notebooks/index.html?path={notebook}"))
    page.wait_for_function(KERNEL_IDLE, timeout=600_000, polling=100)
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); return true; }")
    page.wait_for_function(FIRST_OUTPUT, timeout=600_000, polling=100)
    seconds = time.monotonic() - start
    page.close()
    if recorder is None:
        return seconds, 0
    if recorder.third_party:
        raise SystemExit(f"the site asked other hosts: {recorder.third_party[:3]}")
    return seconds, recorder.transferred()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notebook", default="chapters/02_mosul.ipynb", help="path inside the site's files")
    parser.add_argument("--repeat", type=int, default=2, help="cold/warm pairs, each in a fresh context")
    args = parser.parse_args(argv)
    book = built_book()
    problem = missing_book(book)
    site = book / "lite"
    if problem or not (site / "notebooks" / "index.html").is_file():
        print(problem or f"No browser site at {site}: run `make book`.", file=sys.stderr)
        return 1
    print(f"site {site}: {mb(size(site))} on disk")
    for part in ("build", "extensions", "static/pyodide", "files"):
        print(f"  {part}: {mb(size(site / part))}")

    from playwright.sync_api import sync_playwright

    cold, warm = [], []
    with lab_browser.BookServer(book) as server, sync_playwright() as playwright:
        chromium = lab_browser.launch_chromium(playwright)
        try:
            for run in range(1, args.repeat + 1):
                context = chromium.new_context(viewport={"width": 1280, "height": 900})
                try:
                    seconds, transferred = one_load(context, server, args.notebook, lab_browser.Recorder(server))
                finally:
                    context.close()
                cold.append(seconds)
                print(f"run {run} cold: first output after {seconds:.1f} s, {mb(transferred)} transferred "
                      "(gzip-served)")
                context = chromium.new_context(viewport={"width": 1280, "height": 900})
                try:
                    one_load(context, server, args.notebook)  # fills the cache
                    seconds, _ = one_load(context, server, args.notebook)
                finally:
                    context.close()
                warm.append(seconds)
                print(f"run {run} warm: first output after {seconds:.1f} s")
        finally:
            chromium.close()
    print(f"{args.notebook}: first output, median of {args.repeat}: cold {statistics.median(cold):.1f} s, "
          f"warm {statistics.median(warm):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

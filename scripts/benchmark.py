"""Print how heavy and how slow the book is: a script that prints figures, not a test.

    make benchmark                        # clean build + strict nbval + every page
    .venv/bin/python scripts/benchmark.py --book _build/html   # measure an existing build only

Figures:

* clean build seconds: ``jupyter-book build`` into a temporary --path-output;
* strict-nbval seconds: ``pytest --nbval chapters/``;
* per page: HTML bytes, bytes transferred gzip-served for the page with
  everything it loads (opened in Debian's Chromium against the book's own
  server, each file counted once at its gzip size), third-party hosts asked
  (tiles counted apart), console errors;
* per map output (figure.course-map): its bytes;

and names every page or map over budget (chapter HTML 300 KB, map output
150 KB, page transfer 1 MB). Exits 1 when something is over budget.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import harness  # noqa: E402 - after the path is set

BIN = Path(sys.executable).parent


def timed(command: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, **kwargs)
    return time.perf_counter() - start, result


def clean_build(output: Path) -> tuple[float, Path]:
    seconds, result = timed([str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going",
                             "--path-output", str(output)])
    if result.returncode != 0:
        sys.stdout.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"The book did not build (exit {result.returncode}).")
    return seconds, output / "_build" / "html"


def strict_nbval() -> tuple[float, str]:
    seconds, result = timed([str(BIN / "python"), "-m", "pytest", "--nbval", "chapters/", "-q",
                             "-p", "no:cacheprovider"])
    last = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    return seconds, last


def kb(n: int) -> str:
    return f"{n / 1000:,.1f} KB"


def measure_pages(book: Path) -> tuple[list[list[str]], list[str]]:
    from playwright.sync_api import sync_playwright

    rows, over = [], []
    with harness.BookServer(book) as server, sync_playwright() as playwright:
        browser = harness.launch_chromium(playwright)
        try:
            for page in harness.discover_pages(book):
                seen = harness.visit(browser, server, page, with_axe=True)
                html_bytes = (book / page).stat().st_size
                rows.append([page, kb(html_bytes), kb(seen.transferred), str(len(seen.third_party_hosts)),
                             str(len(seen.tiles)), str(len(seen.console_errors)),
                             f"{len(seen.serious_axe)}/{len(seen.serious_axe_dark)}"])
                if seen.transferred > harness.PAGE_TRANSFER_BUDGET:
                    over.append(f"{page}: transfers {kb(seen.transferred)} (budget {kb(harness.PAGE_TRANSFER_BUDGET)})")
                if page.startswith("chapters/") and html_bytes > harness.CHAPTER_HTML_BUDGET:
                    over.append(f"{page}: {kb(html_bytes)} of HTML (budget {kb(harness.CHAPTER_HTML_BUDGET)})")
                if seen.third_party_hosts:
                    over.append(f"{page}: asks third-party hosts {', '.join(seen.third_party_hosts)}")
        finally:
            browser.close()
    return rows, over


def measure_maps(book: Path) -> tuple[list[list[str]], list[str]]:
    rows, over = [], []
    for page in harness.discover_pages(book):
        for map_id, figure in harness.map_outputs(book, page).items():
            size = len(figure.encode("utf-8"))
            rows.append([f"{page}#{map_id}", kb(size)])
            if size > harness.MAP_OUTPUT_BUDGET:
                over.append(f"{page}#{map_id}: {kb(size)} (budget {kb(harness.MAP_OUTPUT_BUDGET)})")
    return rows, over


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--book", type=Path, help="measure this built book instead of building one")
    parser.add_argument("--no-nbval", action="store_true", help="skip the strict-nbval timing")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="book-benchmark-") as tmp:
        if args.book:
            book = args.book.resolve()
            print(f"book: {book} (not rebuilt)")
        else:
            seconds, book = clean_build(Path(tmp))
            print(f"clean build:  {seconds:6.1f} s   (jupyter-book build into a temporary --path-output)")
        if not args.no_nbval:
            seconds, summary = strict_nbval()
            print(f"strict nbval: {seconds:6.1f} s   (pytest --nbval chapters/: {summary})")
        missing = harness.missing_book(book)
        if missing:
            raise SystemExit(missing)

        page_rows, over = measure_pages(book)
        map_rows, map_over = measure_maps(book)
        over += map_over

    print()
    print(table(["page", "HTML", "transferred (gzip)", "3rd-party hosts", "tiles", "console errors",
                 "serious axe light/dark"], page_rows))
    print()
    print(table(["map output", "bytes"], map_rows))
    print()
    if over:
        print("Over budget, or not offline-ready:")
        print("\n".join(f"  {item}" for item in over))
        return 1
    print("Every page and map is within budget "
          f"(page {kb(harness.PAGE_TRANSFER_BUDGET)} gzip-served, chapter HTML {kb(harness.CHAPTER_HTML_BUDGET)}, "
          f"map {kb(harness.MAP_OUTPUT_BUDGET)}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

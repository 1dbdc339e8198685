"""Print how slow the tests are and how heavy the book is: a script that prints figures, not a test.

    make benchmark                                   # make test on a fresh clone, then every page
    .venv/bin/python -m scripts.benchmark --baseline main~3   # ... and the same for another commit
    .venv/bin/python -m scripts.benchmark --book _build/html  # measure an existing build only
    .venv/bin/python -m scripts.benchmark --book _build/html --pages pages/data.html  # Lighthouse, one page
    .venv/bin/python -m scripts.benchmark --data-scale       # build time and memory with 1x, 10x, 100x references

Figures:

* ``make test`` on a fresh clone of the commit checked out (``git clone``, then
  ``make setup`` and, where the commit has it, ``make hub-setup``, untimed; then
  ``make book`` and ``make test``, timed apart: their sum is what ``make test``
  costs on a fresh clone): wall and CPU seconds and how many times each stored
  notebook was executed. Executions are counted by an IPython
  start-up file that every kernel runs (book/notebooks.py,
  ``counting_environment``): each kernel logs its cells, and is matched to the
  notebook whose code cells it ran. With ``--baseline REV`` the same is done for
  REV, for a before/after comparison on one machine, and the commit checked out
  also runs pytest on the test files REV had (the same checks, now grown), so
  that a bigger suite does not hide what the same work costs now. ``--repeat N``
  measures every revision N times, in turn (A B A B), from a clean work tree;
* clean build seconds: ``jupyter-book build`` into a temporary --path-output;
* per page: HTML bytes, bytes transferred gzip-served for the page with
  everything it loads (opened in Debian's Chromium against the book's own
  server, each file counted once at its gzip size), third-party hosts asked
  (tiles counted apart), console errors;
* per map output (figure.course-map): its bytes;
* per page, Lighthouse (npm ``lighthouse``, pinned in package.json) run with the
  project's Chromium against the book served gzip-compressed on localhost, mobile
  settings: its four category scores, FCP, LCP, TBT, CLS and the bytes transferred
  at first load (before any scrolling: maps load when scrolled near);

With ``--data-scale`` (alone): a clean ``jupyter-book build`` of a copy of the work tree whose
``data/sources.csv`` holds 1x, 10x and 100x its rows (copies of each row under new keys; ``maxBytes``
raised to fit), each build's wall seconds and peak memory (the largest resident set of its processes).

Otherwise it names every page or map over budget (chapter HTML 300 KB, map output
150 KB, page transfer 1 MB, Lighthouse performance below 0.95, a chapter's first
load over 150 KB). Exits 1 when something is over budget.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.browser import harness
from book import notebooks
from after_mosul.paths import PROJECT_ROOT as ROOT

def timed(command: list[str], cwd: Path = ROOT, **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, **kwargs)
    return time.perf_counter() - start, result


def failed(what: str, result: subprocess.CompletedProcess) -> SystemExit:
    sys.stdout.write(result.stdout[-4000:] + result.stderr[-4000:])
    return SystemExit(f"{what} failed (exit {result.returncode}).")


def clean_build(output: Path, source: Path = ROOT) -> tuple[float, Path]:
    """Build ``source`` (with its own .venv) into ``output``."""
    seconds, result = timed([str(source / ".venv" / "bin" / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going",
                             "--path-output", str(output)], cwd=source)
    if result.returncode != 0:
        raise failed("The book build", result)
    return seconds, output / "_build" / "html"


def fresh_clone(revision: str, folder: Path) -> Path:
    """A clone of ``revision`` in ``folder``, with what ``make setup`` and ``make hub-setup`` install."""
    sha = subprocess.run(["git", "rev-parse", "--verify", f"{revision}^{{commit}}"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(folder)], check=True)
    subprocess.run(["git", "checkout", "--quiet", "--detach", sha], cwd=folder, check=True)
    has_hub = re.search(r"^hub-setup:", (folder / "Makefile").read_text(), re.M)
    installs = ["setup", "hub-setup"] if has_hub else ["setup"]
    _, result = timed(["make", *installs], cwd=folder)
    if result.returncode != 0:
        raise failed(f"make {' '.join(installs)} in the clone of {revision}", result)
    return folder


def clean_work_tree(clone: Path) -> None:
    """Back to a fresh checkout, keeping what ``make setup`` installed (.venv, node_modules, vendored assets)."""
    subprocess.run(["git", "clean", "-xdfq", "-e", ".venv", "-e", "node_modules", "-e", "_extra/vendor"],
                   cwd=clone, check=True)


def test_files(revision: str) -> list[str]:
    """The test files ``revision`` had (tests/**/test_*.py), as paths."""
    names = subprocess.run(["git", "ls-tree", "-r", "--name-only", revision, "tests"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    return [n for n in names if re.fullmatch(r"tests/(.+/)?test_[^/]+\.py", n)]


def cpu_seconds() -> float:
    """User + system seconds of this process's finished children (less sensitive to a busy machine than wall time)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class TestRun:
    """One ``make book`` + ``make test`` on a clean clone."""

    book_seconds: float
    test_seconds: float
    cpu: float
    in_clone: dict[str, int]
    copies: dict[str, int]
    summary: str

    @property
    def seconds(self) -> float:
        return self.book_seconds + self.test_seconds


def pytest_summary(output: str) -> str:
    passed = [line for line in output.splitlines() if re.search(r"\d+ passed", line)]
    return (passed or ["(no pytest summary)"])[-1].strip("= ")


def test_run(clone: Path, counter: Path) -> TestRun:
    """``make book``, then ``make test`` in ``clone`` from a clean work tree, timed apart; executions per notebook
    (in the clone, and of copies run elsewhere by the tests from a student's seat)."""
    shutil.rmtree(counter, ignore_errors=True)
    clean_work_tree(clone)
    env = {**os.environ, **notebooks.counting_environment(counter)}
    cpu = cpu_seconds()
    book_seconds, result = timed(["make", "book"], cwd=clone, env=env)
    if result.returncode != 0:
        raise failed(f"make book in {clone}", result)
    test_seconds, result = timed(["make", "test"], cwd=clone, env=env)
    cpu = cpu_seconds() - cpu
    if result.returncode != 0:
        raise failed(f"make test in {clone}", result)
    stored = notebooks.stored_notebooks(clone)
    everywhere = notebooks.count_executions(counter, stored, clone)
    in_clone = notebooks.count_executions(counter, stored, clone, inside=clone)
    copies = {name: everywhere[name] - in_clone.get(name, 0) for name in everywhere}
    return TestRun(book_seconds, test_seconds, cpu, in_clone, copies, pytest_summary(result.stdout))


def where_now(clone: Path, file: str) -> list[str]:
    """``file`` of an earlier revision in ``clone``: at its path, or moved into a tier's folder (tests/unit/...)."""
    if (clone / file).exists():
        return [file]
    moved = sorted((clone / "tests").rglob(Path(file).name))
    return [p.relative_to(clone).as_posix() for p in moved[:1]] if len(moved) == 1 else []


def same_files_run(clone: Path, files: list[str]) -> tuple[float, str]:
    """pytest in ``clone`` (built and tested just before) on ``files`` and the notebooks, as ``make test`` runs it."""
    makefile = (clone / "Makefile").read_text()
    options = re.search(r"python -m pytest([^\n]*)", makefile).group(1).replace("$(TEST_WORKERS)", "2").split()
    here = sorted({found for f in files for found in where_now(clone, f)})
    seconds, result = timed([str(clone / ".venv" / "bin" / "python"), "-m", "pytest", *options, *here,
                             "chapters", "exercises/solutions"], cwd=clone,
                            env={**os.environ, "CHROMIUM": str(harness.CHROMIUM)})
    if result.returncode != 0:
        raise failed(f"pytest on the earlier test files in {clone}", result)
    return seconds, pytest_summary(result.stdout)


def report_test_run(label: str, run: TestRun) -> None:
    print(f"make test, {label}: {run.seconds:6.1f} s wall = make book {run.book_seconds:5.1f} s + "
          f"the tests {run.test_seconds:5.1f} s; {run.cpu:6.1f} s CPU ({run.summary})")
    report_executions("in the clone (build, nbval, tests)", run.in_clone)
    if any(run.copies.values()):
        report_executions("of copies outside the clone (a download in a fresh venv, a JupyterLab copy)", run.copies,
                          list_never=False)


def report_executions(where: str, counts: dict[str, int], list_never: bool = True) -> None:
    ran = {name: n for name, n in counts.items() if n}
    print(f"  {sum(ran.values())} notebook executions {where}:")
    by_count: dict[int, list[str]] = {}
    for name, n in sorted(ran.items()):
        by_count.setdefault(n, []).append(name)
    for n, names in sorted(by_count.items()):
        print(f"    {n}x  {', '.join(names)}")
    never = [name for name, n in counts.items() if not n and name != "(other)"]
    if never and list_never:
        print(f"    0x  {', '.join(never)}")


def kb(n: int) -> str:
    return f"{n / 1000:,.1f} KB"


def measure_pages(book: Path) -> tuple[list[list[str]], list[str]]:
    from playwright.sync_api import sync_playwright

    rows, over = [], []
    with harness.BookServer(book) as server, sync_playwright() as playwright:
        browser = harness.launch_chromium(playwright)
        try:
            for page in harness.discover_pages(book):
                seen = harness.visit(browser, server, page)
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


LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PERFORMANCE_TARGET = 0.95
CHAPTER_FIRST_LOAD_BUDGET = 150_000  # bytes a chapter transfers before the reader scrolls
GZIP_TYPES = (".html", ".js", ".css", ".json", ".svg", ".txt", ".map", ".ttf", ".ico")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the book as a web server would: text files gzip-compressed."""

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not ("gzip" in self.headers.get("Accept-Encoding", "") and path.suffix in GZIP_TYPES
                and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def lighthouse_pages(book: Path, pages: list[str] | None = None,
                     reports: Path | None = None) -> tuple[list[list[str]], list[str]]:
    """Lighthouse (mobile, simulated throttling) on ``pages`` (default: every page), gzip-served on localhost."""
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"No Lighthouse at {LIGHTHOUSE}: run `make setup` (npm ci).")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(book)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    env = dict(os.environ, CHROME_PATH=str(harness.CHROMIUM))
    rows, over = [], []
    try:
        for page in pages or harness.discover_pages(book):
            result = subprocess.run(
                [str(LIGHTHOUSE), base + page, "--quiet", "--output=json", "--output-path=stdout",
                 "--only-categories=performance,accessibility,best-practices,seo",
                 "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
            )
            if result.returncode != 0:
                over.append(f"{page}: Lighthouse failed: {result.stderr.strip()[-300:]}")
                continue
            report = json.loads(result.stdout)
            if reports:
                reports.mkdir(parents=True, exist_ok=True)
                (reports / (page.replace("/", "_") + ".json")).write_text(result.stdout, encoding="utf-8")
            scores = {k: c["score"] for k, c in report["categories"].items()}
            audits = report["audits"]
            first_load = int(audits["total-byte-weight"]["numericValue"])
            rows.append([page] + [f"{scores.get(k) or 0:.2f}" for k in ("performance", "accessibility",
                                                                         "best-practices", "seo")]
                        + [f"{audits[a]['numericValue'] / 1000:.2f} s" for a in
                           ("first-contentful-paint", "largest-contentful-paint")]
                        + [f"{audits['total-blocking-time']['numericValue']:.0f} ms",
                           f"{audits['cumulative-layout-shift']['numericValue']:.3f}", kb(first_load)])
            if (scores.get("performance") or 0) < PERFORMANCE_TARGET:
                over.append(f"{page}: Lighthouse performance {scores.get('performance') or 0:.2f} "
                            f"(target {PERFORMANCE_TARGET})")
            if page.startswith("chapters/") and first_load > CHAPTER_FIRST_LOAD_BUDGET:
                over.append(f"{page}: {kb(first_load)} at first load (budget {kb(CHAPTER_FIRST_LOAD_BUDGET)})")
    finally:
        server.shutdown()
        server.server_close()
    return rows, over


SCALED_BUILD = """import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
sys.stderr.write(code.stderr[-3000:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code.returncode)
"""


def work_tree_copy(folder: Path) -> Path:
    """The work tree's tracked files as they are now, with what the build reads from _extra/ and node_modules/."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, files):
        source = ROOT / name.decode()
        if source.is_file():
            (folder / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name.decode())
    shutil.copytree(ROOT / "_extra", folder / "_extra", symlinks=True)
    (folder / "node_modules").symlink_to(ROOT / "node_modules")
    return folder


def scale_sources(folder: Path, factor: int) -> int:
    """Make ``folder``'s data/sources.csv ``factor`` times as long (each row repeated under new keys); its rows."""
    path = folder / "data" / "sources.csv"
    header, *rows = [line + "\n" for line in path.read_text(encoding="utf-8").splitlines() if line]
    copies = [row.replace(",", f"_x{i},", 1) for i in range(1, factor) for row in rows]
    path.write_text(header + "".join(rows + copies), encoding="utf-8")
    descriptor = folder / "data" / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    for res in package["resources"]:
        if res["name"] == "sources":
            res["maxBytes"] = max(res.get("maxBytes", 0), path.stat().st_size)
    descriptor.write_text(json.dumps(package, indent=2), encoding="utf-8")
    return len(rows) * factor


def data_scale(tmp: Path, factors: tuple[int, ...] = (1, 10, 100)) -> None:
    """Build time and peak memory of a clean build with ``factors`` times today's sources.csv rows."""
    print("clean jupyter-book build with sources.csv at scale (a copy of the work tree; ROOT's .venv):")
    rows_at = []
    base = work_tree_copy(tmp / "work-tree")  # once: every scale builds the same code
    for factor in factors:
        copy = tmp / f"scale-{factor}"
        shutil.copytree(base, copy, symlinks=True)
        rows = scale_sources(copy, factor)
        command = [sys.executable, "-c", SCALED_BUILD, str(ROOT / ".venv" / "bin" / "jupyter-book"), "build", ".",
                   "-W", "-n", "--keep-going", "--path-output", str(tmp / f"out-{factor}")]
        seconds, result = timed(command, cwd=copy, env={**os.environ, "PYTHONPATH": str(copy)})
        if result.returncode != 0:
            raise failed(f"The build with {factor}x sources.csv", result)
        peak_mb = int(result.stdout.split()[-1]) / 1024
        rows_at.append((factor, rows, seconds, peak_mb))
        print(f"  {factor:>4}x  {rows:>7,} rows  {(copy / 'data' / 'sources.csv').stat().st_size / 1e6:6.1f} MB  "
              f"{seconds:7.1f} s  peak {peak_mb:7.0f} MB", flush=True)
        shutil.rmtree(copy)
        shutil.rmtree(tmp / f"out-{factor}", ignore_errors=True)
    first = rows_at[0]
    for factor, _, seconds, peak in rows_at[1:]:
        print(f"  {factor}x the rows: {seconds / first[2]:.1f}x the time, {peak / first[3]:.1f}x the memory")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--book", type=Path, help="measure this built book only (no test run, no build)")
    parser.add_argument("--baseline", metavar="REV", action="append", default=[],
                        help="also time `make test` on a fresh clone of REV (repeatable; oldest first)")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="measure `make test` N times per revision, in turn (default 1)")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip the Lighthouse runs")
    parser.add_argument("--pages", nargs="+", metavar="PAGE",
                        help="with --book: run Lighthouse alone on these pages (e.g. pages/data.html)")
    parser.add_argument("--reports", type=Path, metavar="DIR", help="also keep each page's Lighthouse JSON report here")
    parser.add_argument("--data-scale", action="store_true",
                        help="only: build time and peak memory with 1x, 10x and 100x today's sources.csv rows")
    args = parser.parse_args()
    if args.data_scale:
        with tempfile.TemporaryDirectory(prefix="book-data-scale-") as tmp:
            data_scale(Path(tmp))
        return 0
    if args.pages and not args.book:
        parser.error("--pages measures an existing build: give --book too")

    # Beside the project, as a checkout is: the chart test finds the vendored chart in shared/ there, and the
    # hub tests' student accounts must be able to pass through to the clone's environment (0755, not 0700).
    with tempfile.TemporaryDirectory(prefix=".book-benchmark-", dir=ROOT.parent) as tmp:
        tmp = Path(tmp)
        tmp.chmod(0o755)
        if args.book:
            book = args.book.resolve()
            print(f"book: {book} (not rebuilt)")
        else:
            revisions = [(f"before{i}", rev) for i, rev in enumerate(args.baseline)] + [("now", "HEAD")]
            clones = [(label, rev, fresh_clone(rev, tmp / f"clone-{label}")) for label, rev in revisions]
            runs: dict[str, list[TestRun]] = {label: [] for label, _, _ in clones}
            same: dict[str, list[tuple[float, str]]] = {rev: [] for rev in args.baseline}
            for attempt in range(1, args.repeat + 1):
                for label, rev, clone in clones:
                    run = test_run(clone, tmp / f"count-{label}")
                    runs[label].append(run)
                    report_test_run(f"fresh clone of {rev}, run {attempt}", run)
                    if label == "now":
                        for baseline in args.baseline:
                            same[baseline].append(same_files_run(clone, test_files(baseline)))
                            print(f"  the test files {baseline} had, here: {same[baseline][-1][0]:6.1f} s "
                                  f"({same[baseline][-1][1]})")
            print()
            print("make test on a fresh clone (make book + make test), fastest of "
                  f"{args.repeat} run{'s' if args.repeat > 1 else ''}:")
            for label, rev, _ in clones:
                best = min(runs[label], key=lambda run: run.seconds)
                print(f"  {rev:>12}: {best.seconds:6.1f} s (book {best.book_seconds:5.1f} s, tests "
                      f"{best.test_seconds:5.1f} s), {sum(best.in_clone.values())} notebook executions in the clone "
                      f"({best.summary})")
            now = min(runs["now"], key=lambda run: run.seconds)
            for baseline in args.baseline:
                seconds, summary = min(same[baseline])
                print(f"  {'HEAD':>12}, only the test files {baseline} had: make book {now.book_seconds:5.1f} s + "
                      f"{seconds:5.1f} s = {now.book_seconds + seconds:6.1f} s ({summary})")
            seconds, book = clean_build(tmp / "build", source=clones[-1][2])
            print(f"clean build:  {seconds:6.1f} s   (jupyter-book build into a temporary --path-output)")
        missing = harness.missing_book(book)
        if missing:
            raise SystemExit(missing)
        if args.pages:
            unknown = sorted(set(args.pages) - set(harness.discover_pages(book)))
            if unknown:
                raise SystemExit(f"No such page in {book}: {', '.join(unknown)}")

        page_rows, over = measure_pages(book) if not args.pages else ([], [])
        map_rows, map_over = measure_maps(book) if not args.pages else ([], [])
        over += map_over
        lighthouse_rows = []
        if not args.no_lighthouse:
            lighthouse_rows, lighthouse_over = lighthouse_pages(book, args.pages, args.reports)
            over += lighthouse_over

    print()
    if page_rows:
        print(table(["page", "HTML", "transferred (gzip)", "3rd-party hosts", "tiles", "console errors",
                     "serious axe light/dark"], page_rows))
        print()
    if map_rows:
        print(table(["map output", "bytes"], map_rows))
        print()
    if lighthouse_rows:
        print("Lighthouse 12 (mobile, simulated throttling), gzip-served on localhost; first load = bytes "
              "transferred before any scrolling:")
        print(table(["page", "perf", "a11y", "best pr.", "SEO", "FCP", "LCP", "TBT", "CLS", "first load"],
                    lighthouse_rows))
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

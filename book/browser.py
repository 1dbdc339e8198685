"""The built book served on loopback and opened in Debian's Chromium, offline.

Used by the PDF handouts (book/handouts_print via scripts/build_pdfs.py), the browser tests
(tests/browser/harness.py adds what only tests need: axe-core, map states, visits) and
scripts/benchmark.py. Needs playwright.

* ``BookServer``: a small threaded http.server serving the built book on a free
  localhost port.
* ``launch_chromium``: Playwright driving /usr/bin/chromium (never a downloaded browser).
* ``open_page``: a fresh browser context in which every request to a host other
  than localhost is recorded and blocked -- except map tiles, which are
  recorded as tiles and answered with a transparent PNG, so that blocked tiles
  make no console errors and the maps are checked as they look offline.
"""

from __future__ import annotations

import base64
import functools
import gzip
import http.server
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .paths import built_book as book_dir  # noqa: F401 - the PDF step and the tests use these names
from .paths import missing_book  # noqa: F401

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    # No host but this machine resolves: a request that escapes a context's route (one from a
    # sandboxed srcdoc frame can) fails at once, as offline, instead of waiting on DNS.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
TILE_HOSTS = ("tile.openstreetmap.org",)  # and its subdomains
# 1×1 transparent PNG served in place of every map tile
TRANSPARENT_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
# Files that servers do not gzip because they are compressed already.
PRECOMPRESSED = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".ico", ".zip", ".gz"}

def discover_pages(book: Path) -> list[str]:
    """Every HTML page of the book, as paths relative to its root.

    Sphinx's own folders (_static, _sources, ...), the vendored assets, the browser site
    (lite/, an application of its own that loads only when a reader follows a link to it) and the
    index.html redirect are not pages.
    """
    pages = []
    for path in sorted(book.rglob("*.html")):
        relative = path.relative_to(book)
        if relative.parts[0].startswith("_") or relative.parts[0] in {"vendor", "lite"}:
            continue
        if relative.as_posix() == "index.html" and 'http-equiv="refresh"' in path.read_text(encoding="utf-8").lower():
            continue
        pages.append(relative.as_posix())
    return pages


@functools.cache
def gzip_size(path: Path) -> int:
    """Bytes a server sends for ``path`` with gzip on (compressed types as they are)."""
    data = path.read_bytes()
    if path.suffix.lower() in PRECOMPRESSED:
        return len(data)
    return len(gzip.compress(data, compresslevel=6))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class BookServer:
    """The built book on http://127.0.0.1:<free port>/, served by a thread."""

    def __init__(self, book: Path):
        self.book = book
        handler = functools.partial(_QuietHandler, directory=str(book))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> BookServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, page: str) -> str:
        return self.base + page

    def file_of(self, url: str) -> Path | None:
        """The file in the book that a local URL serves, or None."""
        if not url.startswith(self.base):
            return None
        path = unquote(urlsplit(url).path).lstrip("/")
        target = self.book / path
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None


def launch_chromium(playwright):
    """Debian's Chromium, headless. Fails with a clear message when it is missing."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(
            f"No Chromium at {CHROMIUM}: run `make test` (it installs Debian's chromium) "
            "or `apt-get install chromium`. The tests never download a browser."
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def is_tile(host: str) -> bool:
    return any(host == h or host.endswith("." + h) for h in TILE_HOSTS)


@dataclass
class Recorder:
    """What a page asked for and said, recorded by ``open_page``."""

    server: BookServer
    third_party: list[str] = field(default_factory=list)
    tiles: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    local_urls: list[str] = field(default_factory=list)

    def route(self, route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if host in LOCAL_HOSTS:
            self.local_urls.append(url)
            route.continue_()
        elif is_tile(host):
            self.tiles.append(url)
            route.fulfill(status=200, content_type="image/png", body=TRANSPARENT_PNG)
        else:
            self.third_party.append(url)
            route.abort("blockedbyclient")

    def console(self, message) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.console_errors.append(f"{message.text} ({where})" if where else message.text)

    def page_error(self, error) -> None:
        self.console_errors.append(f"uncaught: {error}")

    @property
    def third_party_hosts(self) -> list[str]:
        return sorted({urlsplit(u).hostname or u for u in self.third_party})

    def transferred(self) -> int:
        """Bytes the page transferred, gzip-served: each distinct local file once, tiles excluded."""
        files = {f for f in map(self.server.file_of, dict.fromkeys(self.local_urls)) if f is not None}
        return sum(gzip_size(f) for f in files)


def open_page(browser, server: BookServer, page_path: str, **context_options):
    """A new context and page with requests recorded; returns (context, page, recorder)."""
    recorder = Recorder(server)
    context = browser.new_context(**context_options)
    context.route("**/*", recorder.route)
    page = context.new_page()
    page.on("console", recorder.console)
    page.on("pageerror", recorder.page_error)
    page.goto(server.url(page_path), wait_until="load")
    page.wait_for_load_state("networkidle")
    return context, page, recorder

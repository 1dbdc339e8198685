"""Open the built book in Debian's Chromium, as a student offline would, and record what happens.

Used by the browser tests (tests/browser/) and by scripts/benchmark.py. Needs the
``test`` extra (playwright); nothing in the notebooks imports it.

* ``BookServer``: a small threaded http.server serving the built book on a free
  localhost port.
* ``launch_chromium``: Playwright driving /usr/bin/chromium (never a downloaded browser).
* ``open_page``: a fresh browser context in which every request to a host other
  than localhost is recorded and blocked -- except map tiles, which are
  recorded as tiles and answered with a transparent PNG, so that blocked tiles
  make no console errors and the maps are checked as they look offline.
* ``visit``: load a page, wait until it is quiet, and report third-party
  requests, console errors, files loaded, axe-core violations (page and map
  iframes) and what each map drew.
"""

from __future__ import annotations

import base64
import functools
import gzip
import http.server
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .paths import built_book as book_dir  # noqa: F401 - the tests and benchmark use these names
from .paths import missing_book  # noqa: F401
from .paths import PROJECT_ROOT

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    # No host but this machine resolves: a request that escapes a context's route (one from a
    # sandboxed srcdoc frame can) fails at once, as offline, instead of waiting on DNS.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
TILE_HOSTS = ("tile.openstreetmap.org",)  # and its subdomains
# 1×1 transparent PNG served in place of every map tile
TRANSPARENT_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
# Files that servers do not gzip because they are compressed already.
PRECOMPRESSED = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".ico", ".zip", ".gz"}

# Budgets (the issue: light pages for school laptops and phones)
# Budgets: checked and reported by scripts/benchmark.py (not by tests).
PAGE_TRANSFER_BUDGET = 1_000_000  # bytes a page transfers, everything it loads included, gzip-served
CHAPTER_HTML_BUDGET = 300_000  # bytes of a chapter's own HTML, map outputs included
MAP_OUTPUT_BUDGET = 150_000  # bytes of one map output (figure.course-map with its srcdoc iframe)


def discover_pages(book: Path) -> list[str]:
    """Every HTML page of the book, as paths relative to its root.

    Sphinx's own folders (_static, _sources, ...), the vendored assets and the
    index.html redirect are not pages.
    """
    pages = []
    for path in sorted(book.rglob("*.html")):
        relative = path.relative_to(book)
        if relative.parts[0].startswith("_") or relative.parts[0] == "vendor":
            continue
        if relative.as_posix() == "index.html" and 'http-equiv="refresh"' in path.read_text(encoding="utf-8").lower():
            continue
        pages.append(relative.as_posix())
    return pages


MAP_FIGURE = re.compile(r'<figure class="course-map" id="([^"]+)">.*?</figure>', re.S)
QUIZ_FORM = re.compile(r'<form class="course-quiz" id="([^"]+)"')


def map_outputs(book: Path, page: str) -> dict[str, str]:
    """The map outputs of a page: figure id -> its HTML."""
    text = (book / page).read_text(encoding="utf-8")
    return {m.group(1): m.group(0) for m in MAP_FIGURE.finditer(text)}


def quiz_ids(book: Path, page: str) -> list[str]:
    return QUIZ_FORM.findall((book / page).read_text(encoding="utf-8"))


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


AXE_RUN = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))
  }));
}"""


def axe_violations(page) -> list[dict]:
    """axe-core violations of the page and of each map (srcdoc) iframe in it."""
    found = []
    frames = [("page", page.main_frame)] + [
        (f"iframe '{frame.frame_element().get_attribute('title') or frame.url}'", frame)
        for frame in page.main_frame.child_frames
        if frame.url == "about:srcdoc" or urlsplit(frame.url).hostname in LOCAL_HOSTS
    ]
    for where, frame in frames:
        if not frame.evaluate("typeof window.axe !== 'undefined'"):
            frame.add_script_tag(path=str(AXE))
        options = {"iframes": False, "resultTypes": ["violations"]}
        if frame is not page.main_frame:
            # Map iframes are sandboxed (opaque origin): axe may not fetch their stylesheets again.
            options["preload"] = False
        for violation in frame.evaluate(AXE_RUN, options):
            violation["where"] = where
            found.append(violation)
    return found


MAP_STATE = """() => {
  const declared = (document.documentElement.outerHTML.match(/L\\.marker\\(/g) || []).length;
  const shapesDeclared = /L\\.(geoJson|polyline|polygon|circle|circleMarker|rectangle)\\(/
    .test(document.documentElement.outerHTML);
  const created = [];
  for (const key of Object.keys(window)) {  // the map iframe is sandboxed: some globals (localStorage) throw
    try { if (window.L && window[key] instanceof L.Marker) created.push(window[key]); } catch (error) {}
  }
  return {
    leaflet: !!window.L && !!document.querySelector('.leaflet-container'),
    declared_markers: declared,
    created_markers: created.length,
    markers_on_map: created.filter(m => m._map).length,
    marker_icons: document.querySelectorAll('.leaflet-marker-icon').length,
    shapes_declared: shapesDeclared,
    paths: document.querySelectorAll('.leaflet-container path').length,
    lang: document.documentElement.lang,
  };
}"""


def map_states(page) -> dict[str, dict]:
    """For each iframe under figure.course-map: its title and what Leaflet drew in it."""
    states = {}
    for figure in page.locator("figure.course-map").all():
        figure_id = figure.get_attribute("id")
        figure.scroll_into_view_if_needed()  # maps load when scrolled near (loading="lazy")
        iframe = figure.locator("iframe").first
        state = {"title": (iframe.get_attribute("title") or "").strip()}
        frame = iframe.element_handle().content_frame()
        if frame is None:
            state["leaflet"] = False
        else:
            try:
                frame.wait_for_selector(".leaflet-container", timeout=5000)
            except Exception:  # noqa: BLE001 - reported below as "no Leaflet container"
                pass
            state.update(frame.evaluate(MAP_STATE))
        states[figure_id] = state
    return states


@dataclass
class Visit:
    """Everything recorded while one page was open."""

    page: str
    third_party: list[str]
    third_party_hosts: list[str]
    tiles: list[str]
    console_errors: list[str]
    transferred: int
    axe: list[dict]
    axe_dark: list[dict]
    maps: dict[str, dict]

    @property
    def serious_axe(self) -> list[dict]:
        return serious(self.axe)

    @property
    def serious_axe_dark(self) -> list[dict]:
        return serious(self.axe_dark)


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


DARK_MODE = """() => {
  // what the theme's colour-mode switcher does when a reader picks "dark"
  document.documentElement.dataset.mode = "dark";
  document.documentElement.dataset.theme = "dark";
}"""


TRANSITIONS_DONE = """() => document.getAnimations()
  .filter(a => typeof CSSTransition !== 'undefined' && a instanceof CSSTransition)
  .every(a => a.playState !== 'running')"""


def visit(browser, server: BookServer, page_path: str) -> Visit:
    """Open ``page_path`` in a new context and report; axe runs in light, then dark mode."""
    context, page, recorder = open_page(browser, server, page_path)
    try:
        maps = map_states(page)
        page.wait_for_load_state("networkidle")  # anything the maps or MathJax asked for
        violations = axe_violations(page)
        page.emulate_media(color_scheme="dark")
        page.evaluate(DARK_MODE)
        page.wait_for_function(TRANSITIONS_DONE)  # the theme fades colours: measure them settled
        dark = axe_violations(page)
        return Visit(
            page=page_path, third_party=list(recorder.third_party),
            third_party_hosts=recorder.third_party_hosts, tiles=list(recorder.tiles),
            console_errors=list(recorder.console_errors), transferred=recorder.transferred(),
            axe=violations, axe_dark=dark, maps=maps,
        )
    finally:
        context.close()


def describe_violations(violations: list[dict]) -> str:
    return "\n".join(
        f"  [{v['impact']}] {v['id']} in {v['where']}: {v['help']} -> {', '.join(v['nodes'])}" for v in violations
    )

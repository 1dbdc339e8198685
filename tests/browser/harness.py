"""What the browser tests check on a page of the built book, on top of book/browser.py.

Used by the browser tests (tests/browser/) and by scripts/benchmark.py.

* ``visit``: load a page, wait until it is quiet, and report third-party
  requests, console errors, files loaded, axe-core violations (page and map
  iframes) and what each map drew.
* ``map_outputs``, ``quiz_ids``: what a built page holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from after_mosul.paths import PROJECT_ROOT
from book.browser import (  # noqa: F401 - the tests and the benchmark reach these through the harness
    CHROMIUM,
    LOCAL_HOSTS,
    TRANSPARENT_PNG,
    BookServer,
    Recorder,
    book_dir,
    discover_pages,
    gzip_size,
    is_tile,
    launch_chromium,
    missing_book,
    open_page,
)

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Budgets (the issue: light pages for school laptops and phones)
# Budgets: checked and reported by scripts/benchmark.py (not by tests).
PAGE_TRANSFER_BUDGET = 1_000_000  # bytes a page transfers, everything it loads included, gzip-served
CHAPTER_HTML_BUDGET = 300_000  # bytes of a chapter's own HTML, map outputs included
MAP_OUTPUT_BUDGET = 150_000  # bytes of one map output (figure.course-map with its srcdoc iframe)


MAP_FIGURE = re.compile(r'<figure class="course-map" id="([^"]+)">.*?</figure>', re.S)
QUIZ_FORM = re.compile(r'<form class="course-quiz" id="([^"]+)"')


def map_outputs(book: Path, page: str) -> dict[str, str]:
    """The map outputs of a page: figure id -> its HTML."""
    text = (book / page).read_text(encoding="utf-8")
    return {m.group(1): m.group(0) for m in MAP_FIGURE.finditer(text)}


def quiz_ids(book: Path, page: str) -> list[str]:
    return QUIZ_FORM.findall((book / page).read_text(encoding="utf-8"))


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


def output_map_states(page, timeout_ms: int = 15_000) -> list[dict]:
    """What Leaflet drew in each map of a notebook's outputs (JupyterLab, Notebook 7, JupyterLite),
    waiting up to ``timeout_ms`` for each to draw its outlines; the caller's assertions say what is missing."""
    states = []
    for iframe in page.locator(".jp-OutputArea figure.course-map iframe").all():
        iframe.scroll_into_view_if_needed()
        frame = iframe.element_handle().content_frame()
        try:
            frame.wait_for_function("() => document.querySelectorAll('.leaflet-container path').length > 0",
                                    timeout=timeout_ms)
        except Exception:  # noqa: BLE001 - the state returned says what the map holds
            pass
        states.append(frame.evaluate(MAP_STATE))
    return states


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

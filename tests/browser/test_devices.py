"""The book on a phone, a tablet, a laptop and a desktop screen, by mouse and keyboard, light and dark.

One browser for the session (conftest.py); each test opens its pages in a context
of the width it checks. Widths: 360 (phone), 768 (tablet), 1024 (small laptop), 1366.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from . import harness

WIDTHS = [360, 768, 1024, 1366]
NARROWEST = 320
CHAPTER = "chapters/01_rise.html"
TARGET_PAGE = "2. The battle of Mosul"


def _open(browser, server, page_path: str, width: int, **options):
    context, page, _ = harness.open_page(browser, server, page_path,
                                         viewport={"width": width, "height": 800}, **options)
    return context, page


@pytest.mark.parametrize("width", WIDTHS)
def test_the_menu_opens_and_a_page_can_be_reached_through_it(width, browser, server):
    context, page = _open(browser, server, CHAPTER, width)
    try:
        link = page.locator("nav.bd-docs-nav").get_by_role("link", name=TARGET_PAGE)  # not Previous/Next
        if width < 992:
            assert not link.is_visible(), f"at {width} px the menu is open before anyone asked"
            page.locator(".bd-header-article .primary-toggle").click()
            dialog = page.locator("#pst-primary-sidebar-modal")
            expect(dialog, f"at {width} px the menu button opens no menu").to_have_attribute("open", "", timeout=3000)
            link = dialog.locator("nav.bd-docs-nav").get_by_role("link", name=TARGET_PAGE)
        else:
            # wide screens show the menu; its button folds it away and back
            toggle = page.locator(".bd-header-article .primary-toggle")
            toggle.click()
            expect(link, f"at {width} px the menu button does not fold the menu").to_be_hidden(timeout=3000)
            toggle.click()
        expect(link, f"at {width} px the menu does not show the link to {TARGET_PAGE!r}").to_be_visible(timeout=3000)
        link.click()
        page.wait_for_url(re.compile(r"02_mosul\.html"), timeout=5000)
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_page_contents_can_be_reached(width, browser, server):
    context, page = _open(browser, server, CHAPTER, width)
    try:
        searches = [b for b in page.locator(".search-button__button").all() if b.is_visible()]
        assert len(searches) == 1, f"at {width} px the page shows {len(searches)} search buttons"
        toc = page.locator("nav.page-toc a.nav-link[href='#quiz']")
        if not toc.first.is_visible():
            page.locator(".bd-header-article .secondary-toggle").click()
            toc = page.locator("#pst-secondary-sidebar-modal nav.page-toc a.nav-link[href='#quiz']")
        expect(toc.first, f"at {width} px the page contents cannot be opened").to_be_visible(timeout=3000)
        box = toc.first.bounding_box()
        assert box and 0 <= box["x"] and box["x"] + box["width"] <= width, (
            f"at {width} px the page contents are off-screen: {box}")
        toc.first.click()
        page.wait_for_url(re.compile(r"#quiz$"), timeout=5000)
    finally:
        context.close()


@pytest.mark.parametrize("width", [NARROWEST, *WIDTHS])
def test_no_page_scrolls_sideways(width, browser, server, book):
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server.base)
                  else route.fulfill(status=204))
    wide = []
    try:
        page = context.new_page()
        for page_path in harness.discover_pages(book):
            page.goto(server.url(page_path), wait_until="load")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                wide.append(f"{page_path}: {scroll} px wide")
    finally:
        context.close()
    assert not wide, f"at {width} px these pages scroll sideways:\n  " + "\n  ".join(wide)


MARKERS = """() => {
  const icons = [...document.querySelectorAll('.leaflet-marker-icon')];
  const box = document.querySelector('.leaflet-container').getBoundingClientRect();
  const result = {total: icons.length, checked: 0, covered: []};
  for (const icon of icons) {
    const r = icon.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < box.left || x > box.right || y < box.top || y > box.bottom) continue;
    result.checked++;
    const top = document.elementFromPoint(x, y);
    const over = top && top.closest('.leaflet-marker-icon');
    if (over && over !== icon) result.covered.push(icon.title + ' under ' + over.title);
  }
  return result;
}"""

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  if (e.closest('.leaflet-marker-icon')) return 'marker';
  if (e.closest('.leaflet-control-container')) return 'control';
  if (e.closest('.course-legend') && e.tagName === 'A') return 'control';
  if (e.classList.contains('leaflet-container')) return 'map';
  return e.tagName + '.' + (e.getAttribute('class') || '');
}"""

LAYOUT = """() => {
  const map = document.querySelector('.leaflet-container').getBoundingClientRect();
  const legend = document.querySelector('.course-legend');
  const zoom = document.querySelector('.leaflet-control-zoom-in');
  const z = zoom && zoom.getBoundingClientRect();
  const onZoom = z && document.elementFromPoint(z.left + z.width / 2, z.top + z.height / 2);
  return {
    legend_over_map: !!legend && (() => { const l = legend.getBoundingClientRect();
      return l.top < map.bottom - 1 && l.bottom > map.top + 1 && l.left < map.right - 1 && l.right > map.left + 1; })(),
    layers_open: !!document.querySelector('.leaflet-control-layers-expanded'),
    zoom_covered: !!zoom && !(onZoom && zoom.contains(onZoom)),
  };
}"""


def _map_frames(page):
    frames = []
    for figure in page.locator("figure.course-map").all():
        figure.scroll_into_view_if_needed()
        frame = figure.locator("iframe").element_handle().content_frame()
        frame.wait_for_selector(".leaflet-marker-icon, .leaflet-container path", state="attached", timeout=10000)
        frame.wait_for_timeout(100)  # the spread runs after Leaflet's first draw
        frames.append((figure.get_attribute("id"), frame))
    return frames


@pytest.mark.parametrize("width", WIDTHS)
def test_maps_markers_controls_and_keyboard(width, chapter_path, browser, server):
    context, page = _open(browser, server, chapter_path, width)
    problems = []
    try:
        for map_id, frame in _map_frames(page):
            where = f"{chapter_path}#{map_id} at {width} px"
            markers = frame.evaluate(MARKERS)
            if markers["total"]:
                assert markers["checked"], f"{where}: no marker is inside the map's view"
            if markers["covered"]:
                problems.append(f"{where}: markers hidden under others: {markers['covered'][:5]}")
            layout = frame.evaluate(LAYOUT)
            if layout["legend_over_map"]:
                problems.append(f"{where}: the legend covers the map")
            if layout["zoom_covered"]:
                problems.append(f"{where}: the zoom buttons are covered")
            if width < 600 and layout["layers_open"]:
                problems.append(f"{where}: the layer list starts open on a small screen")
            # Tab from the map's own container to where focus leaves the map
            frame.evaluate("document.querySelector('.leaflet-container').focus()")
            stops = []
            for _ in range(150):
                page.keyboard.press("Tab")
                stop = frame.evaluate(FOCUSED)
                if stop is None:
                    break
                stops.append(stop)
            else:
                problems.append(f"{where}: 150 Tab presses never left the map")
            wrong = sorted({s for s in stops if s not in ("marker", "control", "map")})
            if wrong:
                problems.append(f"{where}: Tab reaches what is neither a control nor a marker: {wrong}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


QUIZ_LAYOUT = """(form) => [...form.querySelectorAll('.quiz-option')].map(o => {
  const radio = o.querySelector('input').getBoundingClientRect();
  const label = o.querySelector('label').getBoundingClientRect();
  return {text: o.querySelector('label').textContent.slice(0, 40),
          beside: radio.right <= label.left && radio.top < label.bottom && radio.bottom > label.top};
})"""


def test_quiz_options_wrap_beside_their_radio_on_a_phone(browser, server, book):
    page_path = next(p for p in harness.discover_pages(book) if harness.quiz_ids(book, p))
    context, page = _open(browser, server, page_path, 360)
    try:
        options = page.locator("form.course-quiz").first.evaluate(QUIZ_LAYOUT)
        alone = [o["text"] for o in options if not o["beside"]]
        assert options and not alone, f"{page_path} at 360 px: radio buttons on a line of their own: {alone}"
    finally:
        context.close()


def _luminance(rgb: str) -> float:
    values = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


SELECTED = """(form) => {
  const radio = form.querySelector('input[type=radio]');
  radio.click();
  let panel = form, bg = 'rgba(0, 0, 0, 0)';
  while (panel && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) {
    bg = getComputedStyle(panel).backgroundColor; panel = panel.parentElement;
  }
  if (bg === 'rgba(0, 0, 0, 0)') bg = getComputedStyle(document.body).backgroundColor;
  return {checked: radio.checked, accent: getComputedStyle(radio).accentColor, panel: bg};
}"""


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_a_chosen_quiz_answer_stands_out_from_the_panel(mode, browser, server, book):
    page_path = next(p for p in harness.discover_pages(book) if harness.quiz_ids(book, p))
    context, page = _open(browser, server, page_path, 1366, color_scheme=mode)
    try:
        page.evaluate(f"() => {{ document.documentElement.dataset.mode = '{mode}';"
                      f" document.documentElement.dataset.theme = '{mode}'; }}")
        page.wait_for_function(harness.TRANSITIONS_DONE)
        state = page.locator("form.course-quiz").first.evaluate(SELECTED)
        assert state["checked"]
        assert state["accent"].startswith("rgb"), f"{mode} mode: the radios keep the browser's automatic colour"
        ratio = _contrast(state["accent"], state["panel"])
        assert ratio >= 3, (f"{mode} mode: a chosen answer's radio ({state['accent']}) has {ratio:.2f}:1 against "
                            f"the quiz panel ({state['panel']}); at least 3:1 is needed to see it")
    finally:
        context.close()


def test_the_map_and_quiz_panels_are_dark_in_dark_mode(browser, server):
    context, page = _open(browser, server, CHAPTER, 1366, color_scheme="dark")
    try:
        page.evaluate(harness.DARK_MODE)
        page.wait_for_function(harness.TRANSITIONS_DONE)
        for selector in ("form.course-quiz", "figure.course-map"):
            colour = page.locator(selector).first.evaluate("""(el) => {
              for (let e = el; e; e = e.parentElement) {
                const bg = getComputedStyle(e).backgroundColor;
                if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
              }
              return getComputedStyle(document.body).backgroundColor;
            }""")
            assert _luminance(colour) < 0.1, f"in dark mode the panel behind {selector} is light: {colour}"
    finally:
        context.close()


def test_maps_print_without_their_controls(browser, server):
    context, page = _open(browser, server, CHAPTER, 800)
    try:
        frame = _map_frames(page)[0][1]
        page.emulate_media(media="print")
        shown = frame.evaluate("getComputedStyle(document.querySelector('.leaflet-control-container')).display")
        assert shown == "none", "the map's zoom and layer controls print"
        opened = page.evaluate("""() => { window.dispatchEvent(new Event('beforeprint'));
          return [...document.querySelectorAll('details.map-description')].every(d => d.open); }""")
        assert opened, "a map's text description stays closed when the page is printed"
    finally:
        context.close()


def test_favicon_is_served(server):
    import urllib.request

    with urllib.request.urlopen(server.url("favicon.ico"), timeout=10) as response:
        data = response.read()
    assert data[:4] == b"\x00\x00\x01\x00", "/favicon.ico is not an icon file"


def test_the_icon_font_draws_every_icon_the_pages_use(book):
    from fontTools.ttLib import TTFont

    from book import sphinx_icons

    font = Path(book) / f"{sphinx_icons.SOLID}.woff2"
    cmap = TTFont(str(font)).getBestCmap()
    used = sphinx_icons.used_icons(Path(book))
    needed = sphinx_icons.icon_codepoints(Path(book), used) - GITHUB_GITLAB
    for name in ("fa-bars", "fa-download", "fa-magnifying-glass"):
        assert name in used, f"{name} should be found among the pages' icons"
    missing = sorted(hex(c) for c in needed - set(cmap))
    assert not missing, f"{font.name} lacks the glyphs of icons the pages show: {missing}"


GITHUB_GITLAB = {0xF09B, 0xF296}  # the theme's --pst-icon-github/-gitlab, drawn before such links


def test_the_cut_brands_font_still_draws_the_icon_before_github_links(book):
    from fontTools.ttLib import TTFont

    from book import sphinx_icons

    assert any('class="github reference external"' in (Path(book) / p).read_text(encoding="utf-8")
               for p in harness.discover_pages(book)), "no page links GitHub: this test checks nothing"
    for suffix in (".woff2", ".ttf"):
        cmap = TTFont(str(Path(book) / f"{sphinx_icons.BRANDS}{suffix}")).getBestCmap()
        assert GITHUB_GITLAB <= set(cmap), f"fa-brands-400{suffix} lost the GitHub/GitLab icons"


@pytest.mark.parametrize("width", [360, 1366])
def test_what_the_themes_scripts_open_is_drawn_open(width, browser, server):
    """Classes the theme's scripts add at run time (``show``, the dialogs) keep their rules in the purged CSS."""
    context, page = _open(browser, server, CHAPTER, width)
    try:
        page.locator(".dropdown-download-buttons button.dropdown-toggle").click()
        item = page.locator(".dropdown-download-buttons .dropdown-menu a", has_text=".pdf").first
        expect(item, f"at {width} px the download menu does not open").to_be_visible(timeout=3000)
        box = item.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"menu item off-screen: {box}"
        page.keyboard.press("Escape")
        [button for button in page.locator(".search-button__button").all() if button.is_visible()][0].click()
        query = page.locator("#pst-search-dialog input[type=search]")
        expect(query, f"at {width} px the search dialog does not open").to_be_visible(timeout=3000)
        expect(query).to_be_focused()
        page.keyboard.press("Escape")
        before = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        switch = page.locator(".theme-switch-button").first
        for _ in range(3):  # auto -> light -> dark, from whichever mode it starts in
            if not switch.is_visible():
                page.locator(".bd-header-article .primary-toggle").click()
                switch = page.locator("#pst-primary-sidebar-modal .theme-switch-button").first
            switch.click()
            page.wait_for_function(harness.TRANSITIONS_DONE)
            if page.evaluate("() => getComputedStyle(document.body).backgroundColor") != before:
                break
        else:
            pytest.fail(f"at {width} px the colour-mode button never changes the page's colours")
        code = page.locator("div.highlight").first
        code.scroll_into_view_if_needed()
        code.hover()
        copy = code.locator("button.copybtn")
        page.wait_for_timeout(400)  # the button fades in
        assert float(copy.evaluate("b => getComputedStyle(b).opacity")) > 0.5, "the copy button stays hidden"
    finally:
        context.close()


def test_every_page_paints_from_one_stylesheet_whose_fonts_and_images_load(page_path, browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server.base)
                  else route.fulfill(status=204))
    failed = []
    try:
        page = context.new_page()
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("requestfailed", lambda r: failed.append(f"{r.failure} {r.url}"))
        page.goto(server.url(page_path), wait_until="load")
        page.wait_for_load_state("networkidle")
        sheets = page.evaluate("""() => [...document.querySelectorAll('link[rel=stylesheet]')]
                                  .filter(l => !l.media || l.media === 'all').map(l => l.href)""")
        assert len(sheets) == 1, f"{page_path} waits for {len(sheets)} stylesheets: {sheets}"
        state = page.evaluate("""async () => {
          await document.fonts.ready;
          const header = document.querySelector('.bd-header-article');
          const icon = document.querySelector('.fa-solid, .fas');
          return {rules: document.styleSheets[0].cssRules.length,
                  broken: [...document.fonts].filter(f => f.status === 'error').map(f => f.family),
                  header: header ? getComputedStyle(header).display : 'missing',
                  icon: icon ? getComputedStyle(icon, '::before').fontFamily : 'missing'};
        }""")
        assert state["broken"] == [], f"{page_path}: fonts that failed to load: {state['broken']}"
        assert state["header"] != "missing" and "Font Awesome" in state["icon"], state
        assert failed == [], f"{page_path}: requests that failed: {failed}"
    finally:
        context.close()


PDF_LINK = re.compile(r'href="([^"]*pdf/[^"]+\.pdf)"')


def test_every_pages_download_menu_links_its_pdf_handout(page_path, book):
    from book import handouts

    html = (Path(book) / page_path).read_text(encoding="utf-8")
    assert "window.print()" not in html, f"{page_path}: the download menu still only opens the print dialog"
    if not handouts.has_handout(page_path[:-5]):  # the index and search pages have no handout
        assert not PDF_LINK.findall(html), f"{page_path} links a handout it does not have"
        return
    links = PDF_LINK.findall(html)
    assert links, f"{page_path}: the download menu links no PDF handout"
    for link in links:
        target = (Path(book) / page_path).parent / link
        assert target.resolve().is_file(), f"{page_path}: {link} is not in the built book (run `make pdf`)"


# Issue 23, fault 10. axe ran only at Playwright's default 1280 px (harness.visit), where every table fits,
# so scrollable-region-focusable (a wide table scrolling in a box a keyboard cannot reach) never showed; and
# the tables themselves were the scrolling boxes (devices.css), which the theme's script, which makes
# scrolling boxes focusable, does not look at. These run at 360 px.
PHONE = 360
TABLES = """() => [...document.querySelectorAll('article.bd-article table')].filter(t => t.offsetParent).map(t => {
  let box = t.parentElement;
  while (box && box !== document.body && getComputedStyle(box).overflowX !== 'auto'
         && getComputedStyle(box).overflowX !== 'scroll') box = box.parentElement;
  const scrolls = !!box && box !== document.body && box.scrollWidth > box.clientWidth + 1;
  const dates = [];
  const walker = document.createTreeWalker(t, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.textContent.matchAll(/\\d{4}-\\d{2}-\\d{2}/g)) {
      const range = document.createRange();
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (lines.size > 1) dates.push(m[0]);
    }
  }
  const style = box ? getComputedStyle(box) : null;
  return {
    table: (t.closest('section') && t.closest('section').id) || t.className, width: t.scrollWidth,
    pageOverflow: t.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !scrolls,
    scrolls, tabindex: box && box.getAttribute('tabindex'), role: box && box.getAttribute('role'),
    label: box && box.getAttribute('aria-label'), cue: !!style && style.backgroundImage.includes('gradient'),
    splitDates: dates,
  };
})"""


def _phone_page(browser, server, page_path):
    context, page = _open(browser, server, page_path, PHONE)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # the theme's script marks scrolling boxes after layout (debounced 300 ms)
    return context, page


def test_axe_at_360_px_reports_no_violation(page_path, browser, server):
    context, page = _phone_page(browser, server, page_path)
    try:
        found = harness.axe_violations(page)
    finally:
        context.close()
    assert not found, f"axe-core finds violations on {page_path} at {PHONE} px:\n" + harness.describe_violations(found)


def test_wide_tables_scroll_in_a_named_focusable_box_with_a_cue_and_dates_never_split(page_path, browser, server):
    context, page = _phone_page(browser, server, page_path)
    try:
        tables = page.evaluate(TABLES)
    finally:
        context.close()
    problems = []
    for t in tables:
        where = f"{page_path} at {PHONE} px, table in {t['table']!r} ({t['width']} px wide)"
        if t["pageOverflow"]:
            problems.append(f"{where}: overflows the page instead of scrolling in its box")
        if t["scrolls"]:
            if t["tabindex"] != "0":
                problems.append(f"{where}: its scrolling box is not focusable (tabindex {t['tabindex']})")
            if t["role"] != "region" or not (t["label"] or "").strip():
                problems.append(f"{where}: its scrolling box is not a named region ({t['role']}, {t['label']!r})")
            if not t["cue"]:
                problems.append(f"{where}: nothing shows that it scrolls sideways")
        if t["splitDates"]:
            problems.append(f"{where}: dates split across lines: {t['splitDates'][:3]}")
    assert not problems, "\n".join(problems)

"""Sphinx hooks for phones, tablets, dark mode, print and light pages (issue 13).

* Scripts: every ``_static`` script but ``documentation_options.js`` (which inline
  snippets read at once) loads with ``defer``, so no script blocks the first paint;
  the search index is no longer loaded by every page (_templates/layout.html).
* Icons: the theme's Font Awesome solid font (157 KB) and brands font (118 KB, drawn
  before links to github.com) are cut down at the end of the build to the icons the
  pages and the theme's rules use (fontTools, pinned), a few KB each.
* The download menu links each page's PDF handout (book/handouts.py) instead of
  opening the print dialog; chapters also link their student exercise sheet.
* Styles: the theme's stylesheet loses the Font Awesome rules of icons no page shows
  (85 KB); pages without sphinx-design or toggle-button content do not load those assets.
* One stylesheet: the theme's stylesheets (and the ``@import`` of basic.css) and the
  book's own are joined into one file per page type (book/css_bundle.py), so the
  first paint waits for one request instead of a chain of nine; PurgeCSS (npm, pinned)
  then drops the rules nothing in the book uses (about half of them).
* Maps: each map's document (the iframe's ``srcdoc`` in the notebook) is written to
  ``_maps/<figure id>.html`` and the iframe loads it with ``loading="lazy"``, so a map
  costs nothing until the reader scrolls near it (and the page's HTML halves).
* Pages: pandas' empty top-left header cell becomes a plain cell (axe:
  empty-table-header); the quiz's "(choose an answer ...)" hint is marked so that it
  does not print.
* Each page has a meta description: its first paragraph, cut to 160 characters.
* ``/favicon.ico`` exists (browsers ask for it whatever the page says).

Registered in _config.yml (``sphinx.extra_extensions``).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from sphinx.builders.html._assets import _file_checksum, _JavaScript
from sphinx.util import logging

from . import css_bundle
from .handouts import exercise_for, has_handout, page_pdf, quiz_key_html

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parents[1] / "_static"
KEEP_BLOCKING = ("documentation_options.js",)  # inline scripts use DOCUMENTATION_OPTIONS at once

EMPTY_HEADER = re.compile(r"<th>(\s*)</th>")
QUIZ_HINT = re.compile(r"(</strong>) (\(choose an answer to see feedback\))")
MAP_FIGURE = re.compile(r'(<figure class="course-map" id="([^"]+)">\s*<iframe\b[^>]*?)\ssrcdoc="([^"]*)"')
MAP_DIR = "_maps"
SPHINX_DESIGN = re.compile(r'class="(?:[^"]*\s)?sd-')  # a class, not "…-isd-…" in a URL
TOGGLE = re.compile(r'class="(?:[^"]*\s)?toggle')
OPTIONAL_ASSETS = {  # asset name -> what a page's body must contain to need it
    "sphinx-design.min.css": SPHINX_DESIGN, "design-tabs.js": SPHINX_DESIGN,
    "togglebutton.css": TOGGLE, "togglebutton.js": TOGGLE,
}
FA_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
FA_RULE = re.compile(r"([^{}]+)\{[^{}]*?content:\s*\"\\(f[0-9a-f]{3})\"[^{}]*\}")
SOLID = "_static/vendor/fontawesome/webfonts/fa-solid-900"
BRANDS = "_static/vendor/fontawesome/webfonts/fa-brands-400"  # the theme's icon on GitHub/GitLab links
THEME_ICON = re.compile(r'--pst-icon-[a-z-]+:\s*"(\\[0-9a-f]{4}|[\ue000-\uf8ff])"')


def drop_unused_assets(context: dict) -> None:
    body = context.get("body") or ""
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if not isinstance(assets, list):
            continue
        assets[:] = [a for a in assets if not any(
            str(getattr(a, "filename", "")).endswith(name) and not needs.search(body)
            for name, needs in OPTIONAL_ASSETS.items())]


def defer_scripts(context: dict) -> None:
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    for i, script in enumerate(scripts):
        name = str(getattr(script, "filename", "") or "")
        attributes = dict(getattr(script, "attributes", {}) or {})
        if not name or "body" in attributes or name.endswith(KEEP_BLOCKING) or "async" in attributes:
            continue
        attributes.setdefault("defer", "defer")
        scripts[i] = _JavaScript(name, priority=script.priority, **attributes)


THEME_STYLESHEETS = ["_static/styles/theme.css", "_static/styles/pydata-sphinx-theme.css"]  # head_pre_assets
BUNDLE_DIR = "_static/styles"  # beside pydata-sphinx-theme.css, whose url()s stay as they are


def _bundleable(asset) -> bool:
    name = str(getattr(asset, "filename", "") or "")
    attributes = {k: v for k, v in (getattr(asset, "attributes", {}) or {}).items() if v is not None}
    return (name.startswith("_static/") and "://" not in name and attributes.get("rel") == "stylesheet"
            and set(attributes) <= {"rel", "type"})


def bundle_stylesheets(app, context: dict) -> None:
    """Give the page one stylesheet: the theme's two and every plain local one, joined.

    _templates/static/webpack-macros.html links ``course_stylesheet`` in place of the
    theme's own two; stylesheets with a media query or from another host stay apart.
    The page names its bundle here; the bundle, whose first lines list its stylesheets,
    is filled at the end of the build, when every stylesheet is final (myst-nb writes
    its own then, and the icon rules are dropped then).
    """
    assets = context.get("css_files")
    if not isinstance(assets, list):
        return
    outdir = Path(app.outdir)
    joined = [a for a in assets if _bundleable(a)]
    sources = THEME_STYLESHEETS + [str(a.filename) for a in joined]
    name = css_bundle.bundle_name(BUNDLE_DIR, sources)
    if not (outdir / name).is_file():
        css_bundle.write_bundle(outdir, name, sources, contents=False)
    assets[:] = [a for a in assets if a not in joined]
    version = "".join(_file_checksum(outdir, source) for source in sources)  # "" for files not yet written
    context["course_stylesheet"] = name
    context["course_stylesheet_version"] = hashlib.sha256(version.encode()).hexdigest()[:8]


def fill_bundles(outdir: Path) -> None:
    """Join each bundle's stylesheets as they are at the end of the build."""
    for bundle in sorted((outdir / BUNDLE_DIR).glob("course-*.css")):
        sources = css_bundle.sources_of(bundle)
        missing = [source for source in sources if not (outdir / source).is_file()]
        if missing:
            raise FileNotFoundError(f"{bundle.name} joins stylesheets the build did not write: {', '.join(missing)}")
        css_bundle.write_bundle(outdir, bundle.relative_to(outdir).as_posix(), sources)


PURGECSS = Path("node_modules") / ".bin" / "purgecss"  # npm, pinned in package.json


def purge_bundles(outdir: Path, confdir: Path) -> str | None:
    """Drop from each bundle the rules no page, script or handout can use (PurgeCSS).

    PurgeCSS keeps a rule when its classes, ids, tags and attributes occur as words in
    the built pages, the ``_static`` scripts (the theme's scripts add classes such as
    ``show`` at run time) or the instructor's quiz key (added when printing). Returns
    a sentence when PurgeCSS is missing.
    """
    command = confdir / PURGECSS
    bundles = sorted((outdir / BUNDLE_DIR).glob("course-*.css"))
    if not bundles:
        return None
    if not command.is_file():
        return f"{PURGECSS} is missing, so every page would load the theme's unused CSS: run `make setup` (npm ci)."
    with tempfile.TemporaryDirectory(prefix="purge-") as tmp:
        key = Path(tmp) / "quiz-key.html"
        key.write_text(quiz_key_html(), encoding="utf-8")
        for bundle in bundles:
            sources = css_bundle.sources_of(bundle)
            result = subprocess.run(
                [str(command), "--css", str(bundle), "--content", str(outdir / "**" / "*.html"),
                 str(outdir / "_static" / "**" / "*.js"), str(key)],
                capture_output=True, text=True, check=True)
            purged = json.loads(result.stdout)[0]["css"]
            css_bundle.write_bundle(outdir, bundle.relative_to(outdir).as_posix(), sources, contents=False,
                                    body=css_bundle.without_header(purged))
    return None


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


DESCRIPTION_LENGTH = 160  # characters search engines show


def first_paragraph(doctree) -> str:
    """The text of the page's first paragraph of prose (not in a table, list, note or output)."""
    from docutils import nodes

    skip = (nodes.table, nodes.list_item, nodes.Admonition, nodes.field_list, nodes.sidebar, nodes.footer)
    for paragraph in doctree.findall(nodes.paragraph):
        parent, inside = paragraph.parent, False
        while parent is not None and not inside:
            inside = isinstance(parent, skip) or "cell_output" in (parent.get("classes") or [])
            parent = parent.parent
        text = " ".join(paragraph.astext().split())
        if not inside and len(text) > 40:
            return text
    return ""


FALLBACK_TITLES = {"genindex": "Index", "search": "Search"}


def describe_page(pagename: str, context: dict, doctree) -> None:
    """A ``<meta name="description">``: the page's first paragraph, cut at a word."""
    metatags = context.get("metatags") or ""
    if 'name="description"' in metatags:
        return
    text = first_paragraph(doctree) if doctree is not None else ""
    if not text:
        title = context.get("title") or FALLBACK_TITLES.get(pagename, pagename)
        text = f"{title} — {context.get('docstitle') or context.get('project') or ''}"
    if len(text) > DESCRIPTION_LENGTH:
        text = text[:DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:—-") + "…"
    context["metatags"] = metatags + f'\n<meta name="description" content="{html.escape(text, quote=True)}" />'


def page_context(app, pagename, templatename, context, doctree) -> None:
    drop_unused_assets(context)
    if pagename != "search":  # the search page's inline scripts call doctools at once
        defer_scripts(context)
    link_handouts(pagename, context)
    adjust_body(app, context)
    bundle_stylesheets(app, context)
    describe_page(pagename, context, doctree)


def used_icons(outdir: Path) -> set[str]:
    names: set[str] = set()
    for path in list(outdir.rglob("*.html")) + list((outdir / "_static").rglob("*.js")):
        if "vendor" in path.parts and path.suffix == ".js":
            continue
        names |= set(FA_CLASS.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return names


def icon_codepoints(outdir: Path, names: set[str]) -> set[int]:
    """Codepoints of the used icon classes, and those the themes' own rules and variables draw."""
    points: set[int] = set()
    for css in (outdir / "_static").rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="ignore")
        for selectors, code in FA_RULE.findall(text):
            classes = re.findall(r"\.(fa-[a-z0-9-]+):{1,2}before", selectors)
            if not classes or any(c in names for c in classes):
                points.add(int(code, 16))
        for code in THEME_ICON.findall(text):  # e.g. --pst-icon-github, drawn before links to github.com
            points.add(int(code[1:], 16) if code.startswith("\\") else ord(code))
    return points


THEME_CSS = "_static/styles/pydata-sphinx-theme.css"
ICON_RULE = re.compile(r'(?<=[{}])([^{}]*:{1,2}before)\{content:"\\[ef][0-9a-f]{3}"\}')


def drop_unused_icon_rules(outdir: Path, names: set[str]) -> None:
    """Remove the theme stylesheet's rules for Font Awesome icons no page shows."""
    path = outdir / THEME_CSS
    if not path.is_file():
        return

    def keep(match) -> str:
        classes = re.findall(r"\.(fa-[a-z0-9-]+):{1,2}before", match.group(1))
        return match.group(0) if not classes or any(c in names for c in classes) else ""

    path.write_text(ICON_RULE.sub(keep, path.read_text(encoding="utf-8")), encoding="utf-8")


def subset_icon_fonts(outdir: Path) -> None:
    names = used_icons(outdir)
    points = icon_codepoints(outdir, names)
    drop_unused_icon_rules(outdir, names)
    for font in (SOLID, BRANDS):
        for suffix, flavor in ((".woff2", "woff2"), (".ttf", None)):
            subset_font(outdir / f"{font}{suffix}", flavor, points)


def subset_font(path: Path, flavor: str | None, points: set[int]) -> None:
    from fontTools import subset

    if not path.is_file() or not points:
        return
    options = subset.Options()
    options.flavor = flavor
    options.layout_features = ["*"]
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(points))
    subsetter.subset(font)
    subset.save_font(font, str(path), options)


def build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    subset_icon_fonts(outdir)
    fill_bundles(outdir)
    problem = purge_bundles(outdir, Path(app.confdir))
    if problem:
        logger.warning(problem)
    shutil.copyfile(STATIC / "favicon.ico", outdir / "favicon.ico")


def setup(app):
    # after sphinx-book-theme's header buttons (501) and sphinx_offline's asset filter (900)
    app.connect("html-page-context", page_context, priority=950)
    app.connect("build-finished", build_finished, priority=800)  # after myst-nb writes its stylesheet
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Sphinx hooks for phones, tablets, dark mode, print and light pages (issue 13).

* Scripts: every ``_static`` script but ``documentation_options.js`` (which inline
  snippets read at once) loads with ``defer``, so no script blocks the first paint;
  the search index is no longer loaded by every page (_templates/layout.html).
* Icons: the theme's Font Awesome solid font (157 KB) is cut down at the end of the
  build to the icons the pages use (fontTools, pinned), about 3 KB.
* The download menu links each page's PDF handout (after_mosul/handouts.py) instead of
  opening the print dialog; chapters also link their student exercise sheet.
* Styles: the theme's stylesheet loses the Font Awesome rules of icons no page shows
  (85 KB); pages without sphinx-design or toggle-button content do not load those assets.
* Maps: each map's document (the iframe's ``srcdoc`` in the notebook) is written to
  ``_maps/<figure id>.html`` and the iframe loads it with ``loading="lazy"``, so a map
  costs nothing until the reader scrolls near it (and the page's HTML halves).
* Pages: pandas' empty top-left header cell becomes a plain cell (axe:
  empty-table-header); the quiz's "(choose an answer ...)" hint is marked so that it
  does not print.
* ``/favicon.ico`` exists (browsers ask for it whatever the page says).

Registered in _config.yml (``sphinx.extra_extensions``).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from sphinx.builders.html._assets import _JavaScript

from .handouts import exercise_for, has_handout, page_pdf

STATIC = Path(__file__).resolve().parents[1] / "_static"
KEEP_BLOCKING = ("documentation_options.js",)  # inline scripts use DOCUMENTATION_OPTIONS at once

EMPTY_HEADER = re.compile(r"<th>(\s*)</th>")
QUIZ_HINT = re.compile(r"(</strong>) (\(choose an answer to see feedback\))")
MAP_FIGURE = re.compile(r'(<figure class="course-map" id="([^"]+)">\s*<iframe\b[^>]*?)\ssrcdoc="([^"]*)"')
MAP_DIR = "_maps"
OPTIONAL_ASSETS = {  # asset name -> what a page's body must contain to need it
    "sphinx-design.min.css": "sd-", "design-tabs.js": "sd-",
    "togglebutton.css": 'class="toggle', "togglebutton.js": 'class="toggle',
}
FA_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
FA_RULE = re.compile(r"([^{}]+)\{[^{}]*?content:\s*\"\\(f[0-9a-f]{3})\"[^{}]*\}")
SOLID = "_static/vendor/fontawesome/webfonts/fa-solid-900"


def drop_unused_assets(context: dict) -> None:
    body = context.get("body") or ""
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if not isinstance(assets, list):
            continue
        assets[:] = [a for a in assets if not any(
            str(getattr(a, "filename", "")).endswith(name) and needs not in body
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


def page_context(app, pagename, templatename, context, doctree) -> None:
    drop_unused_assets(context)
    if pagename != "search":  # the search page's inline scripts call doctools at once
        defer_scripts(context)
    link_handouts(pagename, context)
    adjust_body(app, context)


def used_icons(outdir: Path) -> set[str]:
    names: set[str] = set()
    for path in list(outdir.rglob("*.html")) + list((outdir / "_static").rglob("*.js")):
        if "vendor" in path.parts and path.suffix == ".js":
            continue
        names |= set(FA_CLASS.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return names


def icon_codepoints(outdir: Path, names: set[str]) -> set[int]:
    """Codepoints of the used icon classes, and those the themes' own rules draw."""
    points: set[int] = set()
    for css in (outdir / "_static").rglob("*.css"):
        for selectors, code in FA_RULE.findall(css.read_text(encoding="utf-8", errors="ignore")):
            classes = re.findall(r"\.(fa-[a-z0-9-]+):{1,2}before", selectors)
            if not classes or any(c in names for c in classes):
                points.add(int(code, 16))
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


def subset_icon_font(outdir: Path) -> None:
    from fontTools import subset

    names = used_icons(outdir)
    points = icon_codepoints(outdir, names)
    drop_unused_icon_rules(outdir, names)
    for suffix, flavor in ((".woff2", "woff2"), (".ttf", None)):
        path = outdir / f"{SOLID}{suffix}"
        if not path.is_file() or not points:
            continue
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
    subset_icon_font(outdir)
    shutil.copyfile(STATIC / "favicon.ico", outdir / "favicon.ico")


def setup(app):
    # after sphinx-book-theme's header buttons (501) and sphinx_offline's asset filter (900)
    app.connect("html-page-context", page_context, priority=950)
    app.connect("build-finished", build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

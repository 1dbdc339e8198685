"""One stylesheet per page (issue 13).

The theme's stylesheets (and the ``@import`` of basic.css) and the book's own are joined into one file per page
type (book/css_bundle.py), so the first paint waits for one request instead of a chain of nine; PurgeCSS (npm,
pinned) then drops the rules nothing in the book uses (about half of them).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
import zlib
from pathlib import Path

from sphinx.util import logging

from . import css_bundle
from .handouts import quiz_key_html

logger = logging.getLogger(__name__)


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
    version = "".join(checksum(outdir, source) for source in sources)
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


def checksum(outdir: Path, source: str) -> str:
    """A short checksum of a built stylesheet ("" while it is not written yet)."""
    path = outdir / source
    return f"{zlib.crc32(path.read_bytes()):08x}" if path.is_file() else ""


def page_context(app, pagename, templatename, context, doctree) -> None:
    bundle_stylesheets(app, context)


def build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    fill_bundles(outdir)
    problem = purge_bundles(outdir, Path(app.confdir))
    if problem:
        logger.warning(problem)


def setup(app):
    app.connect("html-page-context", page_context, priority=955)  # after sphinx_assets drops unused stylesheets
    # after myst-nb writes its stylesheet, and after sphinx_icons drops the unused icon rules (800)
    app.connect("build-finished", build_finished, priority=810)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

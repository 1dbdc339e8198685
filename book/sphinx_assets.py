"""Which scripts and stylesheets a page loads, and how (issue 13).

* Every ``_static`` script but ``documentation_options.js`` (which inline snippets read at once) loads with
  ``defer``, so no script blocks the first paint; the search index is no longer loaded by every page
  (_templates/layout.html). Done through the template helper ``js_tag`` Sphinx documents, not its asset classes.
* Pages without sphinx-design or toggle-button content do not load those assets.
* ``/favicon.ico`` exists (browsers ask for it whatever the page says).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path


STATIC = Path(__file__).resolve().parents[1] / "_static"
KEEP_BLOCKING = ("documentation_options.js",)  # inline scripts use DOCUMENTATION_OPTIONS at once
SPHINX_DESIGN = re.compile(r'class="(?:[^"]*\s)?sd-')  # a class, not "…-isd-…" in a URL
TOGGLE = re.compile(r'class="(?:[^"]*\s)?toggle')
OPTIONAL_ASSETS = {  # asset name -> what a page's body must contain to need it
    "sphinx-design.min.css": SPHINX_DESIGN, "design-tabs.js": SPHINX_DESIGN,
    "togglebutton.css": TOGGLE, "togglebutton.js": TOGGLE,
}


def drop_unused_assets(context: dict) -> None:
    body = context.get("body") or ""
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if not isinstance(assets, list):
            continue
        assets[:] = [a for a in assets if not any(
            str(getattr(a, "filename", "")).endswith(name) and not needs.search(body)
            for name, needs in OPTIONAL_ASSETS.items())]


def defers(js) -> bool:
    """Whether script asset ``js`` (a file of the book's, not inline, not already async or deferred) gets ``defer``."""
    name = str(getattr(js, "filename", "") or "")
    attributes = getattr(js, "attributes", None) or {}
    return bool(name) and not name.endswith(KEEP_BLOCKING) and not {"body", "async", "defer"} & set(attributes)


def defer_scripts(context: dict) -> None:
    """Wrap the page's ``js_tag`` (Sphinx's template helper for a script tag) to add ``defer``."""
    tag = context.get("js_tag")
    if not callable(tag):
        return

    def js_tag(js) -> str:
        written = tag(js)
        return written.replace("<script ", '<script defer="defer" ', 1) if defers(js) else written

    context["js_tag"] = js_tag


def page_context(app, pagename, templatename, context, doctree) -> None:
    drop_unused_assets(context)
    if pagename != "search":  # the search page's inline scripts call doctools at once
        defer_scripts(context)


def build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        shutil.copyfile(STATIC / "favicon.ico", Path(app.outdir) / "favicon.ico")


def setup(app):
    # after sphinx-book-theme's header buttons (501) and sphinx_offline's asset filter (900)
    app.connect("html-page-context", page_context, priority=950)
    app.connect("build-finished", build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

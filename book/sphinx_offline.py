"""Sphinx hooks that keep the built book offline-ready and free of console errors.

Students read the book on school laptops and phones, sometimes offline or
behind filters, so a page must load nothing from a third-party host (map tiles
excepted) and stay light. What Jupyter Book 1 adds against that, and where it
is handled:

* sphinx-thebe (always loaded by Jupyter Book) adds to every page a script
  that declares ``THEBE_JS_URL`` (an unpkg.com URL) twice -- a console error on
  every page -- plus ``sphinx-thebe.js``/``.css`` and a Binder configuration
  block with a ``kernelName`` script. The book runs no live code
  (``launch_buttons: thebe: false``; Binder is offered through ``binder/``),
  so this module removes all of it.
* The theme's ``fontawesome.js`` (1.45 MB on every page) is dropped by
  ``_templates/static/webpack-macros.html``; icons are still drawn by the
  theme's own Font Awesome CSS and web font (``_static/vendor/fontawesome/``).
* MathJax, Leaflet: served from ``_extra/vendor/`` (book/vendor_assets.py,
  ``mathjax_path`` in _config.yml; after_mosul/maps.py for Leaflet).
* The ipywidgets state is dropped by book/sphinx_pages.py.

And one accessibility fix no template reaches: myst-nb's "Show code cell
source" toggle (cells tagged ``hide-input``) is a ``<summary>`` labelled
"Toggle hidden content", a name that hides the visible words (axe:
label-content-name-mismatch). myst-nb's own visitor is wrapped here and the
label taken out of what it wrote.

Registered in _config.yml (``sphinx.extra_extensions``).
"""

from __future__ import annotations

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput, visit_HideCellInput

# the raw HTML blocks sphinx-thebe appends to every doctree
THEBE_BLOCKS = ("text/x-thebe-config", "<script>kernelName = ")
# what myst-nb writes on the <summary> of a hidden cell input
TOGGLE_LABEL = ' aria-label="Toggle hidden content"'


def _is_thebe(asset) -> bool:
    filename = getattr(asset, "filename", "") or ""
    body = getattr(asset, "attributes", {}).get("body", "") or ""
    return "sphinx-thebe" in filename or "/thebe@" in filename or "THEBE_JS_URL" in body


def drop_thebe_assets(app, pagename, templatename, context, doctree) -> None:
    """Remove thebe's scripts and stylesheet from the page's assets."""
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if isinstance(assets, list):  # the builder's per-page list, reset for every page
            assets[:] = [asset for asset in assets if not _is_thebe(asset)]


def drop_thebe_blocks(app, doctree, docname) -> None:
    """Remove the thebe configuration blocks sphinx-thebe appended to the page."""
    for node in list(doctree.findall(nodes.raw)):
        if any(marker in node.astext() for marker in THEBE_BLOCKS):
            node.parent.remove(node)


def visit_hide_cell_input(self, node) -> None:
    """myst-nb's visit_HideCellInput, minus the summary's aria-label."""
    start = len(self.body)
    visit_HideCellInput(self, node)
    self.body[start:] = [part.replace(TOGGLE_LABEL, "") for part in self.body[start:]]


def setup(app):
    app.add_node(HideCodeCellNode, override=True, html=(visit_hide_cell_input, depart_HideCellInput))
    # priority 900: after sphinx-thebe's own doctree-resolved handler and after
    # every extension that adds page assets in html-page-context
    app.connect("doctree-resolved", drop_thebe_blocks, priority=900)
    app.connect("html-page-context", drop_thebe_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

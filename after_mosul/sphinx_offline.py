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
* MathJax, Leaflet: served from ``_extra/vendor/`` (scripts/vendor_assets.py,
  ``mathjax_path`` in _config.yml; after_mosul/maps.py for Leaflet).
* The ipywidgets state is dropped by after_mosul/sphinx_pages.py.

And one accessibility fix no template reaches: myst-nb's "Show code cell
source" toggle (cells tagged ``hide-input``) is a ``<summary>`` labelled
"Toggle hidden content", a name that hides the visible words (axe:
label-content-name-mismatch). It is rendered here without that label.

Registered in _config.yml (``sphinx.extra_extensions``).
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput

# the raw HTML blocks sphinx-thebe appends to every doctree
THEBE_BLOCKS = ("text/x-thebe-config", "<script>kernelName = ")


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
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def setup(app):
    app.add_node(HideCodeCellNode, override=True, html=(visit_hide_cell_input, depart_HideCellInput))
    # priority 900: after sphinx-thebe's own doctree-resolved handler and after
    # every extension that adds page assets in html-page-context
    app.connect("doctree-resolved", drop_thebe_blocks, priority=900)
    app.connect("html-page-context", drop_thebe_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Build-time code: what runs while the book builds, never in a student's kernel.

The Sphinx extensions (``sphinx_*``), the notebook pipeline (``notebooks``, ``commonmark``,
``exercise_versions``), the PDF handouts (``handouts``), reading times, the claims ledger and
the dependency pins. It imports Sphinx, jupytext, tinycss2 and fontTools, which the student kit
(``after_mosul/``) neither needs nor declares, and it is not in the kit wheel.
"""

# The book's parts, each a Sphinx extension of its own; the order is the order they hook in.
PARTS = (
    "book.sphinx_rebuild",  # every page re-read when the build code changes
    "book.sphinx_pages",  # the article and data pages, quiz blocks
    "book.sphinx_claims",  # claims ledger, ClaimReview JSON-LD, reference lists from data/sources.csv
    "book.sphinx_offline",  # offline, light, accessible pages
    "book.sphinx_assets",  # which scripts and stylesheets a page loads (deferred, only those it uses), favicon
    "book.sphinx_body",  # maps in their own files, loaded lazily; table and quiz fixes; PDF handout links
    "book.sphinx_stylesheets",  # one joined, purged stylesheet per page
    "book.sphinx_descriptions",  # each page's meta description
    "book.sphinx_icons",  # the icon fonts cut to the icons shown
    "book.sphinx_kit",  # notebook and course-kit downloads; one shared Leaflet
)


def setup(app):
    """The book's one Sphinx extension (``sphinx: local_extensions: book`` in _config.yml)."""
    for part in PARTS:
        app.setup_extension(part)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

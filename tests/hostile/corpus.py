"""Hostile strings, and a tiny book built from them, shared by the test_hostile_* and browser tests.

``CORPUS`` holds what an attacker or a careless contributor could put in a CSV
cell, a GeoJSON property, a descriptor field or a quiz: script tags, event
handlers, ``javascript:`` and ``file:`` URLs, MyST roles and directives
(including ``include`` and ``download`` of files outside the project),
Markdown links and images, quotes and backticks that break attributes and
JavaScript strings, template syntax, entities, very long and right-to-left text.
Each carries a marker (``XSS-n``) so a test can find it again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

SECRET_FILE = Path("/etc/passwd")  # a file outside the project: its contents must never appear
SECRET_TEXT = "root:x:0:0"
SECRET_PATH = "../" * 12 + "etc/passwd"  # relative, so Sphinx resolves it outside any project

CORPUS = [
    '<script>alert("XSS-1")</script>',
    '<img src=x onerror=alert("XSS-2")>',
    "javascript:alert('XSS-3')",
    '" onmouseover="alert(\'XSS-4\')" data-x="',
    "'><svg onload=alert('XSS-5')>",
    "XSS-6\n```{raw} html\n<script>alert('XSS-6')</script>\n```\n",
    f"XSS-7\n```{{include}} {SECRET_PATH}\n```\n{{download}}`{SECRET_PATH}` {{doc}}`/intro`",
    "[XSS-8 click](javascript:alert('XSS-8')) ![XSS-8](http://evil.example/XSS-8.png)",
    "`${alert('XSS-9')}` \\`); alert('XSS-9'); (`",
    "</textarea></iframe></script></style><script>alert('XSS-10')</script>",
    "{{ 7*7 }} {% raw %}XSS-11{% endraw %} $x$ @{XSS-11}",
    "&lt;b&gt;XSS-12&lt;/b&gt; &amp; &#x3C;i&#x3E;",
    '<a href="file:///etc/passwd">XSS-13</a> <iframe src="https://evil.example/XSS-13"></iframe>',
    "XSS-14 " + "long text without spaces-" * 200,
    # right-to-left text; bidirectional controls (U+202E...) are refused by the data loader (test_hostile_data)
    "XSS-15 مرحبا بالعالم العراق",
    "https://example.org/\"><script>alert('XSS-16')</script>",
]


def shown(text: str) -> str:
    """How a browser's innerText shows ``text``: runs of white space as one space."""
    return " ".join(text.split())


def write_csv(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def hostile_package(folder: Path) -> Path:
    """A data package whose every free-text field, in the data and the descriptor, is hostile."""
    folder.mkdir(parents=True, exist_ok=True)
    n = len(CORPUS)
    write_csv(
        folder / "sources.csv",
        [["key", "publisher", "title", "author", "published", "url", "measures"]]
        + [
            [
                f"s{i}",
                CORPUS[i],
                CORPUS[(i + 1) % n],
                CORPUS[(i + 2) % n],
                "2017",
                CORPUS[15] if i % 2 else f"https://example.org/{i}",
                CORPUS[(i + 3) % n],
            ]
            for i in range(n)
        ],
    )
    write_csv(
        folder / "items.csv",
        [["item_id", "label", "source"]] + [[f"i{i}", text, f"s{i}"] for i, text in enumerate(CORPUS)],
    )
    text = {"type": "string"}
    package = {
        "name": "hostile",
        "description": CORPUS[5],
        "licenses": [{"name": "x", "title": CORPUS[0], "path": CORPUS[2]}],
        "resources": [
            {
                "name": "sources",
                "title": CORPUS[1],
                "path": "sources.csv",
                "description": CORPUS[6],
                "sources": [
                    {"title": CORPUS[7], "path": CORPUS[2]},
                    {"title": CORPUS[12], "path": "https://example.org/ok"},
                ],
                "schema": {
                    "primaryKey": ["key"],
                    "fields": [
                        {"name": "key", **text, "constraints": {"required": True, "unique": True}},
                        {"name": "publisher", **text, "description": CORPUS[8]},
                        {"name": "title", **text, "description": CORPUS[9]},
                        {"name": "author", **text, "description": CORPUS[10]},
                        {"name": "published", **text},
                        {"name": "url", **text, "constraints": {"pattern": r"^https?://\S+$"}},
                        {"name": "measures", **text, "description": CORPUS[11]},
                    ],
                },
            },
            {
                "name": "items",
                "title": CORPUS[4],
                "path": "items.csv",
                "description": CORPUS[13],
                "licenses": [{"name": "y", "title": CORPUS[14], "path": CORPUS[3]}],
                "schema": {
                    "primaryKey": ["item_id"],
                    "fields": [
                        {"name": "item_id", **text, "description": CORPUS[3]},
                        {"name": "label", **text, "description": CORPUS[15]},
                        {"name": "source", **text, "description": CORPUS[12]},
                    ],
                    "foreignKeys": [{"fields": "source", "reference": {"resource": "sources", "fields": "key"}}],
                },
            },
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(package, indent=1), encoding="utf-8")
    return folder / "datapackage.json"


def hostile_article():
    """An Article of hostile paragraphs and headings (the real seed is checksummed)."""
    from after_mosul.article import Article, Block

    blocks = [Block("heading", CORPUS[-1])]
    blocks += [Block("paragraph", CORPUS[(i - 1) % len(CORPUS)], i) for i in range(1, 16)]
    blocks.insert(8, Block("heading", CORPUS[9]))
    return Article(dt.date(2017, 7, 22), tuple(blocks))


def hostile_outlines() -> dict:
    """A GeoJSON FeatureCollection whose country names and ids are hostile."""
    features = []
    for i, text in enumerate(CORPUS):
        lon, lat = 30 + (i % 8) * 4, 20 + (i // 8) * 6
        features.append(
            {
                "type": "Feature",
                "properties": {"name": text, "iso_numeric": i + 1},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[lon, lat], [lon + 3, lat], [lon + 3, lat + 4], [lon, lat + 4], [lon, lat]]],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


PAGES = [
    "intro",
    "chapters/01_rise",
    "chapters/02_mosul",
    "chapters/03_finances",
    "chapters/04_desert",
    "chapters/05_ideology",
]


def _raw_html(markup: str) -> str:
    """A MyST raw-HTML block, as a notebook's text/html output ends up in the page."""
    fence = "`" * 12
    return f"{fence}{{raw}} html\n{markup}\n{fence}\n"


def build_tiny_book(folder: Path, extra_pages: dict[str, str] | None = None, conf_extra: str = "") -> tuple[Path, str]:
    """Build a minimal Sphinx + MyST book with the course's extension, from hostile data.

    Pages: ``data`` ({data-package} over ``hostile_package``), ``article``
    ({full-article}; the caller patches ``after_mosul.article.load_article``),
    stubs for the chapters the article links to, and ``extra_pages``
    (name -> HTML put in the page as a notebook output would be).
    Returns the HTML folder and Sphinx's warnings.
    """
    source = folder / "src"
    (source / "chapters").mkdir(parents=True, exist_ok=True)
    descriptor = hostile_package(folder / "data")
    pages = ["data", "article", *PAGES, *(extra_pages or {})]
    (source / "conf.py").write_text(
        "extensions = ['myst_parser', 'book.sphinx_pages']\n"
        f"course_data_descriptor = {str(descriptor)!r}\n"
        "course_vendored_assets = []\n"
        "myst_enable_extensions = ['colon_fence', 'deflist', 'linkify', 'substitution']\n"
        "html_theme = 'basic'\nsmartquotes = False\nroot_doc = 'index'\n" + conf_extra,
        encoding="utf-8",
    )
    toctree = "\n".join(pages)
    (source / "index.md").write_text(f"# Tiny book\n\n```{{toctree}}\n{toctree}\n```\n", encoding="utf-8")
    (source / "data.md").write_text("# Data and sources\n\n```{data-package}\n```\n", encoding="utf-8")
    (source / "article.md").write_text("# The article in full\n\n```{full-article}\n```\n", encoding="utf-8")
    for page in PAGES:
        (source / f"{page}.md").write_text(f"# Page {page}\n\nText.\n", encoding="utf-8")
    for name, markup in (extra_pages or {}).items():
        (source / f"{name}.md").write_text(f"# {name}\n\n{_raw_html(markup)}", encoding="utf-8")
    return rebuild(folder, fresh=True)


def rebuild(folder: Path, fresh: bool = False) -> tuple[Path, str]:
    """Build the tiny book in ``folder`` again (incrementally unless ``fresh``)."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    source, out, warnings = folder / "src", folder / "html", io.StringIO()
    with docutils_namespace():  # several builds in one process must not share docutils' registries
        app = Sphinx(
            str(source),
            str(source),
            str(out),
            str(folder / "doctrees"),
            "html",
            status=sys.stdout if os.environ.get("TINY_VERBOSE") else None,
            warning=warnings,
            freshenv=fresh,
        )
        app.build()
    return out, warnings.getvalue()


@contextmanager
def hostile_outlines_loaded():
    """While active, the maps draw ``hostile_outlines()`` for every outline and river dataset."""
    from after_mosul import maps

    original = maps.load
    maps.load = lambda name, *args: (
        hostile_outlines() if name.startswith(("outlines", "rivers")) else original(name, *args)
    )
    try:
        yield
    finally:
        maps.load = original


def hostile_maps() -> list:
    """Map outputs whose every text sink holds the corpus: markers (tooltip, popup, title), layer
    names, extra places' notes, GeoJSON tooltips (outlines, rivers, choropleth), the choropleth
    unit and legend, line tooltips, map title, summary and text description."""
    import pandas as pd

    from after_mosul import maps

    n = len(CORPUS)
    places = pd.DataFrame(
        {
            "place_id": [f"p{i}" for i in range(n)],
            "name": CORPUS,
            "latitude": [33.0 + i * 0.2 for i in range(n)],
            "longitude": [40.0 + i * 0.3 for i in range(n)],
            "kind": ["city"] * n,
        }
    )
    events = pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(n)],
            "date": pd.to_datetime(["2014-06-10"] * n),
            "place_id": [f"p{i}" for i in range(n)],
            "phase": [f"phase_{i % 4}" for i in range(n)],
            "type": ["captured"] * n,
            "description": CORPUS[::-1],
        }
    )
    with hostile_outlines_loaded():
        outputs = [
            maps.event_map(
                "hostile_events",
                CORPUS[0],
                events,
                places,
                CORPUS[1],
                layers=maps.EventLayers(labels={f"phase_{i}": CORPUS[i + 2] for i in range(3)}),
                extra=maps.ExtraPlaces(places.head(4), label=CORPUS[9],
                                       notes={f"p{i}": CORPUS[(i + 5) % n] for i in range(4)}),
            ),
            maps.choropleth_map(
                "hostile_choropleth",
                CORPUS[3],
                {i + 1: 10.0 * (i + 1) for i in range(n)},
                CORPUS[4],
                unit=CORPUS[5],
                bins=[0, 40, 80, 120, 160, 200],
                labels={i + 1: text for i, text in enumerate(CORPUS)},
            ),
        ]
        points = maps.CourseMap("hostile_points", CORPUS[6], (35.0, 42.0), summary=CORPUS[7])
        for i, text in enumerate(CORPUS):
            points.add_point(33.0 + i * 0.2, 40.0, text, "other", text, layer=points.layer(text))
        outputs.append(points.render())
    return outputs

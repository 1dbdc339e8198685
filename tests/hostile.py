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
from pathlib import Path

SECRET_FILE = Path("/etc/passwd")  # a file outside the project: its contents must never appear
SECRET_TEXT = "root:x:0:0"

CORPUS = [
    '<script>alert("XSS-1")</script>',
    '<img src=x onerror=alert("XSS-2")>',
    "javascript:alert('XSS-3')",
    "\" onmouseover=\"alert('XSS-4')\" data-x=\"",
    "'><svg onload=alert('XSS-5')>",
    "XSS-6\n```{raw} html\n<script>alert('XSS-6')</script>\n```\n",
    f"XSS-7\n```{{include}} {SECRET_FILE}\n```\n{{download}}`{SECRET_FILE}` {{doc}}`/intro`",
    "[XSS-8 click](javascript:alert('XSS-8')) ![XSS-8](http://evil.example/XSS-8.png)",
    "`${alert('XSS-9')}` \\`); alert('XSS-9'); (`",
    "</textarea></iframe></script></style><script>alert('XSS-10')</script>",
    "{{ 7*7 }} {% raw %}XSS-11{% endraw %} $x$ @{XSS-11}",
    "&lt;b&gt;XSS-12&lt;/b&gt; &amp; &#x3C;i&#x3E;",
    '<a href="file:///etc/passwd">XSS-13</a> <iframe src="https://evil.example/XSS-13"></iframe>',
    "XSS-14 " + "long text without spaces-" * 200,
    "\u202eXSS-15 مرحبا بالعالم \u202c العراق",
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
    write_csv(folder / "sources.csv", [["key", "publisher", "title", "author", "published", "url", "measures"]] + [
        [f"s{i}", CORPUS[i], CORPUS[(i + 1) % n], CORPUS[(i + 2) % n], "2017",
         CORPUS[15] if i % 2 else f"https://example.org/{i}", CORPUS[(i + 3) % n]]
        for i in range(n)
    ])
    write_csv(folder / "items.csv", [["item_id", "label", "source"]] + [[f"i{i}", text, f"s{i}"] for i, text in enumerate(CORPUS)])
    text = {"type": "string"}
    package = {
        "name": "hostile", "description": CORPUS[5], "licenses": [{"name": "x", "title": CORPUS[0], "path": CORPUS[2]}],
        "resources": [
            {"name": "sources", "title": CORPUS[1], "path": "sources.csv", "description": CORPUS[6],
             "sources": [{"title": CORPUS[7], "path": CORPUS[2]}, {"title": CORPUS[12], "path": "https://example.org/ok"}],
             "schema": {"primaryKey": ["key"], "fields": [
                 {"name": "key", **text, "constraints": {"required": True, "unique": True}},
                 {"name": "publisher", **text, "description": CORPUS[8]},
                 {"name": "title", **text, "description": CORPUS[9]},
                 {"name": "author", **text, "description": CORPUS[10]},
                 {"name": "published", **text},
                 {"name": "url", **text, "constraints": {"pattern": r"^https?://\S+$"}},
                 {"name": "measures", **text, "description": CORPUS[11]},
             ]}},
            {"name": "items", "title": CORPUS[4], "path": "items.csv", "description": CORPUS[13],
             "licenses": [{"name": "y", "title": CORPUS[14], "path": CORPUS[3]}],
             "schema": {"primaryKey": ["item_id"], "fields": [
                 {"name": "item_id", **text, "description": CORPUS[3]},
                 {"name": "label", **text, "description": CORPUS[15]},
                 {"name": "source", **text, "description": CORPUS[12]},
             ], "foreignKeys": [{"fields": "source", "reference": {"resource": "sources", "fields": "key"}}]}},
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(package, indent=1), encoding="utf-8")
    return folder / "datapackage.json"


def hostile_article():
    """An Article of hostile paragraphs and headings (the real seed is checksummed)."""
    from after_mosul.article import Article, Block

    blocks = [Block("heading", CORPUS[0])]
    blocks += [Block("paragraph", CORPUS[(i - 1) % len(CORPUS)], i) for i in range(1, 16)]
    blocks.insert(8, Block("heading", CORPUS[9]))
    return Article(dt.date(2017, 7, 22), tuple(blocks))


def hostile_outlines() -> dict:
    """A GeoJSON FeatureCollection whose country names and ids are hostile."""
    features = []
    for i, text in enumerate(CORPUS):
        lon, lat = 30 + (i % 8) * 4, 20 + (i // 8) * 6
        features.append({
            "type": "Feature",
            "properties": {"name": text, "iso_numeric": i + 1},
            "geometry": {"type": "Polygon", "coordinates": [[[lon, lat], [lon + 3, lat], [lon + 3, lat + 4], [lon, lat + 4], [lon, lat]]]},
        })
    return {"type": "FeatureCollection", "features": features}

"""Every page of the built book, opened in Chromium with only the book's own server reachable."""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.parse import urljoin

import yaml

from . import harness

DOWNLOAD_LINK = re.compile(r'<a href="([^"]*_sources/[^"]*\.ipynb)"[^>]*class="[^"]*btn-download-source-button')


def test_every_chapter_offers_its_notebook_for_download_from_the_book_itself(chapter_path, book, server):
    page = (book / chapter_path).read_text(encoding="utf-8")
    links = DOWNLOAD_LINK.findall(page)
    assert links, f"{chapter_path} has no download button for its .ipynb (the theme's download menu)."
    url = urljoin(server.url(chapter_path), links[0])
    assert url.startswith(server.base), f"The notebook download of {chapter_path} points outside the book: {url}"
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        notebook = json.loads(response.read().decode("utf-8"))
    assert notebook.get("nbformat") == 4 and notebook.get("cells"), f"{url} is not a notebook"


COPYRIGHT = re.compile(r"©\s*Copyright\s*(\d{4})")


def test_every_page_footer_shows_the_books_copyright_year(page_path, book):
    year = str(yaml.safe_load((harness.PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))["copyright"])
    page = (book / page_path).read_text(encoding="utf-8")
    footer = page[page.find('<footer class="bd-footer-content"'):]
    years = COPYRIGHT.findall(footer)
    assert years == [year], f"{page_path}'s footer shows copyright year(s) {years}, expected [{year!r}]."

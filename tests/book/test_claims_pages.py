"""The claims ledger in the built pages: ClaimReview JSON-LD in each chapter page, each verdict's
review date, and the ledger page (the ledger's own checks are unit tests: tests/unit/test_claims*.py)."""

import html
import json
import re

import pytest

from after_mosul import article, bibliography
from book import claims

from ..conftest import CHAPTERS

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
ROW = re.compile(r'<tr class="claim-row [^"]+" id="claim-([a-z0-9-]+)">(.*?)</tr>', re.S)


@pytest.fixture(scope="module")
def ledger():
    return claims.ledger()


def _reviews(page) -> list[dict]:
    found = []
    for block in JSON_LD.findall(page.read_text(encoding="utf-8")):
        found += json.loads(block)
    return found


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_page_carries_a_valid_claim_review_for_each_of_its_rows(book_html, ledger, chapter):
    reviews = {r["identifier"]: r for r in _reviews(book_html / "chapters" / f"{chapter}.html")}
    rows = ledger[ledger["chapter"] == chapter]
    assert set(reviews) == set(rows["claim_id"])
    for row in rows.to_dict("records"):
        review = reviews[row["claim_id"]]
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review["claimReviewed"] == row["quote"] and review["reviewBody"] == row["reason"]
        assert review["reviewRating"]["@type"] == "Rating"
        assert review["reviewRating"]["alternateName"] == row["verdict"] == review["reviewRating"]["name"]
        if row["verdict"] != "not testable":
            rating = review["reviewRating"]
            assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        item = review["itemReviewed"]
        work = item["appearance"]
        assert item["@type"] == "Claim" and work["@type"] == "CreativeWork"
        assert work["author"] == {"@type": "Organization", "name": "TRT World"}
        assert work["datePublished"] == "2017-07-22" == item["datePublished"]
        assert work["name"] == article.TITLE
        assert review["url"].endswith(f"#{row['section']}")
        assert f'id="{row["section"]}"' in (book_html / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")


def test_ledger_page_lists_every_row_once_with_a_link_to_the_section_that_tests_it(book_html, ledger):
    page = (book_html / "pages" / "claims.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="claim-row ([^"]+)" id="claim-([a-z0-9-]+)">(.*?)</tr>', page, re.S)
    assert len(rows) == len(ledger)
    by_id = {ident: (classes, body) for classes, ident, body in rows}
    for row in ledger.to_dict("records"):
        classes, body = by_id[row["claim_id"].replace("_", "-")]
        assert f"verdict-{row['verdict'].replace(' ', '-')}" in classes.split()
        assert f"chapter-{row['chapter']}" in classes.split()
        assert f'href="../chapters/{row["chapter"]}.html#{row["section"]}"' in body
        assert html.escape(row["quote"], quote=False) in body or row["quote"] in html.unescape(body)
        assert f"<strong>{row['verdict']}</strong>" in body
    assert 'class="claims-filter" hidden' in page and "_static/claims-filter.js" in page
    assert (book_html / "_static" / "claims-filter.js").exists()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapters_claim_reviews_carry_the_ledgers_review_dates(book_html, ledger, chapter):
    page = (book_html / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
    dated = {r["identifier"]: r["datePublished"] for block in JSON_LD.findall(page) for r in json.loads(block)}
    rows = ledger[ledger["chapter"] == chapter]
    assert dated == {r.claim_id: r.reviewed.date().isoformat() for r in rows.itertuples()}


def test_the_ledger_page_shows_each_verdicts_review_date_in_words(book_html, ledger):
    page = (book_html / "pages" / "claims.html").read_text(encoding="utf-8")
    bodies = dict(ROW.findall(page))
    for row in ledger.itertuples():
        words = f"(reviewed {bibliography.display_date(row.reviewed.date().isoformat())})"
        assert words in bodies[row.claim_id.replace("_", "-")], row.claim_id
    latest = bibliography.display_date(ledger["reviewed"].max().date().isoformat())
    assert f"last reviewed {latest}" in page

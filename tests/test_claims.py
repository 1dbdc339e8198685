"""The claims ledger (data/claims.csv): verbatim quotes, a fixed scale, real sources,
one section per row in its chapter, and ClaimReview JSON-LD in the built pages."""

import html
import json
import re

import pytest

from after_mosul import article
from book import claims
from after_mosul.data import load

from .conftest import CHAPTERS, ROOT

LABEL = re.compile(r"^\(([a-z0-9-]+-claim-[a-z0-9-]+)\)=$", re.M)
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def ledger():
    return claims.ledger()


def test_every_quote_is_verbatim_in_its_paragraph_of_the_seed(ledger):
    paragraphs = article.load_article().paragraphs
    for row in ledger.itertuples():
        assert row.quote in paragraphs[row.paragraph], f"{row.claim_id}: not verbatim in ¶{row.paragraph}"


def test_every_verdict_is_on_the_scale_and_every_source_key_exists(ledger):
    keys = set(load("sources")["key"])
    for row in ledger.to_dict("records"):
        assert row["verdict"] in claims.VERDICTS, row["claim_id"]
        cited = claims.source_keys(row)
        assert cited or row["verdict"] == "not testable", f"{row['claim_id']} rests on no source"
        assert set(cited) <= keys, f"{row['claim_id']}: unknown {set(cited) - keys}"
    assert claims.problems() == []


@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("quote", "ISIS has lost more than 70 percent", "the quote is not verbatim in paragraph 4"),
        ("paragraph", 5, "the quote is not verbatim in paragraph 5"),
        ("verdict", "mostly true", "verdict 'mostly true' is not on the scale"),
        ("sources", "ihs_2017_06_29_caliphate_60pct_revenue_80pct;no_such_report",
         "source 'no_such_report' is not a key in sources.csv"),
        ("sources", None, "only a 'not testable' verdict may rest on no source"),
    ],
)
def test_the_ledger_check_names_the_row_and_the_fault(ledger, field, value, expected):
    broken = ledger.copy()
    broken[field] = broken[field].astype(object)
    broken.loc[0, field] = value
    found = claims.problems(broken)
    assert any(p.startswith("claims.csv, row 2 (rise_ihs_territory)") and expected in p for p in found), found


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapters_claim_sections_match_its_ledger_rows_one_to_one(ledger, chapter):
    text = (ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    labels = LABEL.findall(text)
    assert len(labels) == len(set(labels)), f"{chapter}: a claim label is defined twice"
    rows = ledger[ledger["chapter"] == chapter]
    assert set(labels) == set(rows["section"]), (
        f"{chapter}: sections without ledger rows {set(labels) - set(rows['section'])}, "
        f"ledger rows without sections {set(rows['section']) - set(labels)}"
    )
    assert text.count(f"```{{claim-reviews}} {chapter}\n") == 1, f"{chapter} should show its verdicts once"


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


def test_json_ld_cannot_close_its_script_element():
    text = claims.json_ld([{"claimReviewed": "</script><script>alert(1)</script> & more"}])
    assert "</" not in text and "<" not in text and "&" not in text
    assert json.loads(text)[0]["claimReviewed"] == "</script><script>alert(1)</script> & more"


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

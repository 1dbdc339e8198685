"""Unit and build tier: every verdict of the claims ledger carries the date it was last reviewed,
the ledger check refuses a row without one (or dated in the future), and the date reaches the
reader (the ledger page) and machines (ClaimReview ``datePublished`` in each chapter page)."""

import datetime as dt
import json
import re

import pandas as pd
import pytest

from after_mosul import bibliography
from book import claims

from .conftest import CHAPTERS

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
ROW = re.compile(r'<tr class="claim-row [^"]+" id="claim-([a-z0-9-]+)">(.*?)</tr>', re.S)


@pytest.fixture(scope="module")
def ledger():
    return claims.ledger()


def test_every_row_has_a_review_date_no_later_than_today(ledger):
    assert ledger["reviewed"].notna().all()
    assert (ledger["reviewed"].dt.date <= dt.date.today()).all()


@pytest.mark.parametrize(
    "value, expected",
    [(None, "it has no review date"), (pd.Timestamp("2999-01-01"), "its review date 2999-01-01 is in the future")],
)
def test_the_ledger_check_names_a_row_without_a_usable_review_date(ledger, value, expected):
    broken = ledger.copy()
    broken["reviewed"] = broken["reviewed"].astype(object)
    broken.loc[0, "reviewed"] = value
    found = claims.problems(broken)
    assert any(p.startswith("claims.csv, row 2 (rise_ihs_territory)") and expected in p for p in found), found


def test_a_claim_review_is_dated_by_its_last_review(ledger):
    row = ledger.to_dict("records")[0]
    assert claims.claim_review(row)["datePublished"] == row["reviewed"].date().isoformat()


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

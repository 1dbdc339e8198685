"""Unit and build tier: every verdict of the claims ledger carries the date it was last reviewed,
the ledger check refuses a row without one (or dated in the future), and the date reaches the
reader (the ledger page) and machines (ClaimReview ``datePublished`` in each chapter page)."""

import datetime as dt
import re

import pandas as pd
import pytest

from book import claims

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



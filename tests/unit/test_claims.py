"""The claims ledger (data/claims.csv): verbatim quotes, a fixed scale, real sources, the date each
verdict was last reviewed, one section per row in its chapter, and ClaimReview JSON-LD in the built pages."""

import datetime as dt
import json
import re

import pandas as pd
import pytest

from after_mosul import article
from after_mosul.data import load
from book import claims

from ..conftest import CHAPTERS, ROOT

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


def test_json_ld_cannot_close_its_script_element():
    text = claims.json_ld([{"claimReviewed": "</script><script>alert(1)</script> & more"}])
    assert "</" not in text and "<" not in text and "&" not in text
    assert json.loads(text)[0]["claimReviewed"] == "</script><script>alert(1)</script> & more"


# When each verdict was last reviewed: the ledger refuses a row without a usable date.

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



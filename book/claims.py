"""The ledger of the article's claims (``data/claims.csv``) and its fact-check markup.

Each row is one checked claim: the paragraph, the exact words quoted from the
seed, a verdict from a fixed scale, a one-sentence reason, the date the verdict
was last reviewed, the source keys it rests on and the chapter section that
tests it. ``problems`` checks the ledger
against the seed and ``data/sources.csv``; ``claim_review`` turns a row into
schema.org ``ClaimReview`` JSON-LD, the format fact-checkers publish.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from after_mosul import article as article_module
from after_mosul.data import load

# The fixed scale, best to worst; "not testable" sits outside the numeric rating.
VERDICTS = ("supported", "partly supported", "disputed", "not supported", "not testable")
RATING = {"supported": 4, "partly supported": 3, "disputed": 2, "not supported": 1}

ARTICLE_PUBLISHER = "TRT World"
REVIEWER = "ISIS in Iraq after Mosul (open course module)"


def ledger() -> pd.DataFrame:
    """The claims ledger, one row per claim, in file order."""
    return load("claims")


def source_keys(row) -> list[str]:
    """The source keys of a ledger row (the ``sources`` cell is ``;``-separated)."""
    cell = row["sources"]
    if not isinstance(cell, str):  # an empty cell loads as a missing value
        return []
    return [k.strip() for k in cell.split(";") if k.strip()]


def reviewed_on(row) -> dt.date:
    """The date a ledger row's verdict was last reviewed (the ``reviewed`` cell)."""
    return pd.Timestamp(row["reviewed"]).date()


def problems(claims: pd.DataFrame | None = None, sources: pd.DataFrame | None = None) -> list[str]:
    """Every way the ledger disagrees with the seed, the scale or the sources; [] if none."""
    claims = ledger() if claims is None else claims
    known = set((load("sources") if sources is None else sources)["key"])
    paragraphs = article_module.load_article().paragraphs
    found = []
    for number, row in enumerate(claims.to_dict("records"), start=2):
        where = f"claims.csv, row {number} ({row['claim_id']})"
        text = paragraphs.get(int(row["paragraph"]), "")
        if row["quote"] not in text:
            found.append(f"{where}: the quote is not verbatim in paragraph {row['paragraph']}.")
        if row["verdict"] not in VERDICTS:
            found.append(f"{where}: verdict {row['verdict']!r} is not on the scale {', '.join(VERDICTS)}.")
        for key in source_keys(row):
            if key not in known:
                found.append(f"{where}: source {key!r} is not a key in sources.csv.")
        if not source_keys(row) and row["verdict"] != "not testable":
            found.append(f"{where}: only a 'not testable' verdict may rest on no source.")
        if pd.isna(row.get("reviewed")):
            found.append(f"{where}: it has no review date; give the date the verdict was last reviewed.")
        elif reviewed_on(row) > dt.date.today():
            found.append(f"{where}: its review date {reviewed_on(row).isoformat()} is in the future.")
    return found


def _article() -> dict:
    art = article_module.load_article()
    return {
        "@type": "CreativeWork",
        "name": article_module.TITLE,
        "headline": article_module.TITLE,
        "genre": "opinion",
        "author": {"@type": "Organization", "name": ARTICLE_PUBLISHER},
        "publisher": {"@type": "Organization", "name": ARTICLE_PUBLISHER},
        "datePublished": art.date.isoformat(),
    }


def claim_review(row, url: str = "") -> dict:
    """One ledger row as a schema.org ClaimReview (a dict ready for ``json.dumps``)."""
    rating = {"@type": "Rating", "name": row["verdict"], "alternateName": row["verdict"]}
    if row["verdict"] in RATING:
        rating |= {"ratingValue": RATING[row["verdict"]], "bestRating": 4, "worstRating": 1}
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": row["quote"],
        "reviewBody": row["reason"],
        "author": {"@type": "Organization", "name": REVIEWER},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": ARTICLE_PUBLISHER},
            "datePublished": _article()["datePublished"],
            "appearance": _article(),
        },
        "reviewRating": rating,
        "datePublished": reviewed_on(row).isoformat(),
        "identifier": row["claim_id"],
    }
    if url:
        review["url"] = url
    return review


def json_ld(reviews: list[dict]) -> str:
    """JSON-LD text safe to place inside ``<script type="application/ld+json">``."""
    text = json.dumps(reviews, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

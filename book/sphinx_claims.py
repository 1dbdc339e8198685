"""Sphinx directives for the claims ledger and the one bibliography, built as docutils nodes.

* ``{claims-ledger}`` renders ``data/claims.csv`` as a table on "The article's
  claims, checked", each row linked to the section that tests it, with a small
  keyboard-usable filter (``_static/claims-filter.js``, which Jupyter Book loads
  with every file of ``_static/``; it does nothing on pages without the form)
  that only hides rows.
* ``{claim-reviews} CHAPTER`` renders one chapter's rows as a table and embeds
  them as schema.org ``ClaimReview`` JSON-LD in that page.
* ``{references}`` takes citation keys, one a line, and renders the reference
  list from ``data/sources.csv``; an unknown key is an error, so a ``-W`` build
  fails on it.

Text from the data files is only ever put into text nodes (escaped by the
writer); the only raw HTML is the filter form and the JSON-LD, both built here
with every value escaped.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from after_mosul import bibliography

from . import claims
from after_mosul.paths import DATA_DIR

logger = logging.getLogger(__name__)

CHAPTER_TITLES = {
    "01_rise": "1. The rise of ISIS",
    "02_mosul": "2. The battle of Mosul",
    "03_finances": "3. Finances",
    "04_desert": "4. The retreat to the desert",
    "05_ideology": "5. Ideology",
}


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower())


def _section_ref(row: dict, docname: str) -> addnodes.pending_xref:
    """A link to the section that tests the claim, titled by that section."""
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="ref", reftarget=row["section"], refexplicit=False,
        refwarn=True, refdoc=docname,
    )
    ref += nodes.inline(row["section"], row["section"])
    return ref


def _source_links(keys: list[str]) -> nodes.paragraph:
    para = nodes.paragraph()
    for i, row in enumerate(bibliography.lookup(keys)):
        if i:
            para += nodes.Text("; ")
        label = f"{row['publisher']}, {bibliography.display_date(row['published'])}".rstrip(", ")
        para += nodes.reference(label, label, refuri=row["url"])
    return para


def _table(headers: list[str], rows: list[tuple[dict, list[nodes.Node]]], widths: list[int]) -> nodes.table:
    table = nodes.table(classes=["claims-table"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    group.extend(nodes.colspec(colwidth=w) for w in widths)
    head = nodes.thead()
    group += head
    hrow = nodes.row()
    for h in headers:
        hrow += nodes.entry("", nodes.paragraph(h, h))
    head += hrow
    body = nodes.tbody()
    group += body
    for row, cells in rows:
        r = nodes.row(classes=["claim-row", f"verdict-{_slug(row['verdict'])}", f"chapter-{row['chapter']}"])
        r["ids"].append(f"claim-{row['claim_id'].replace('_', '-')}")
        for cell in cells:
            entry = nodes.entry()
            entry += cell
            r += entry
        body += r
    return table


def _verdict(row: dict) -> nodes.paragraph:
    """The verdict in words, then the date it was last reviewed."""
    para = nodes.paragraph()
    para += nodes.strong(row["verdict"], row["verdict"])
    reviewed = f"reviewed {bibliography.display_date(claims.reviewed_on(row).isoformat())}"
    para += nodes.Text(" ")
    para += nodes.inline(reviewed, f"({reviewed})", classes=["claim-reviewed"])
    return para


def _quote(row: dict) -> nodes.paragraph:
    text = f"¶{row['paragraph']}: “{row['quote']}”"
    return nodes.paragraph(text, text)


class _LedgerDirective(SphinxDirective):
    def rows(self) -> list[dict]:
        self.env.note_dependency(str(DATA_DIR / "claims.csv"))
        self.env.note_dependency(str(DATA_DIR / "sources.csv"))
        found = claims.problems()
        if found:
            raise self.error("The claims ledger is inconsistent: " + " ".join(found))
        frame = claims.ledger().astype(object).where(lambda f: f.notna(), "")
        return frame.to_dict("records")


def _filter_form(rows: list[dict]) -> nodes.raw:
    def options(values, label):
        items = [f'<option value="">{html.escape(label)}</option>']
        items += [f'<option value="{html.escape(v)}">{html.escape(t)}</option>' for v, t in values]
        return "".join(items)

    verdicts = [(f"verdict-{_slug(v)}", v) for v in claims.VERDICTS if any(r["verdict"] == v for r in rows)]
    chapters = [(f"chapter-{c}", t) for c, t in CHAPTER_TITLES.items() if any(r["chapter"] == c for r in rows)]
    markup = (
        '<form class="claims-filter" hidden aria-label="Filter the claims">'
        '<label>Verdict <select name="verdict">' + options(verdicts, "all verdicts") + "</select></label> "
        '<label>Chapter <select name="chapter">' + options(chapters, "all chapters") + "</select></label> "
        '<output class="claims-count" aria-live="polite"></output>'
        "</form>"
    )
    return nodes.raw("", markup, format="html")


class ClaimsLedger(_LedgerDirective):
    """The whole ledger: filterable by verdict and chapter, each row linked to its section."""

    def run(self):
        rows = self.rows()
        body = []
        for row in rows:
            where = nodes.paragraph()
            where += nodes.Text(f"{CHAPTER_TITLES[row['chapter']]}: ")
            where += _section_ref(row, self.env.docname)
            reason = nodes.paragraph(row["reason"], row["reason"])
            body.append((row, [_quote(row), _verdict(row), reason, where]))
        table = _table(["Claim (¶ and exact words)", "Verdict", "Why", "Tested in"], body, [34, 12, 34, 20])
        latest = max(claims.reviewed_on(r) for r in rows)
        summary = nodes.paragraph(
            "", f"{len(rows)} claims, last reviewed {bibliography.display_date(latest.isoformat())}; each row "
            "gives the date its verdict was last reviewed. The verdict is always written out in words; colour "
            "is never used alone."
        )
        return [_filter_form(rows), summary, table]


class ClaimReviews(_LedgerDirective):
    """One chapter's rows, as a table and as ClaimReview JSON-LD in the page."""

    required_arguments = 1

    def run(self):
        chapter = self.arguments[0]
        rows = [r for r in self.rows() if r["chapter"] == chapter]
        if not rows:
            raise self.error(f"No rows of data/claims.csv have chapter {chapter!r}.")
        body = [
            (row, [_quote(row), _verdict(row), nodes.paragraph(row["reason"], row["reason"]),
                   _source_links(claims.source_keys(row))])
            for row in rows
        ]
        table = _table(["Claim (¶ and exact words)", "Verdict", "Why", "Main sources"], body, [34, 12, 34, 20])
        base = self.config.html_baseurl.rstrip("/")
        page = f"{self.env.docname}.html"
        reviews = [
            claims.claim_review(row, f"{base}/{page}#{row['section']}" if base else f"#{row['section']}")
            for row in rows
        ]
        script = nodes.raw(
            "", f'<script type="application/ld+json">{claims.json_ld(reviews)}</script>', format="html"
        )
        return [table, script]


class References(SphinxDirective):
    """A reference list generated from data/sources.csv, one citation key a line."""

    has_content = True

    def run(self):
        self.env.note_dependency(str(DATA_DIR / "sources.csv"))
        keys = [line.strip() for line in self.content if line.strip()]
        try:
            rows = bibliography.lookup(keys)
        except bibliography.UnknownSource as error:
            raise self.error(str(error)) from None
        if len(set(keys)) != len(keys):
            raise self.error("A citation key is listed twice in this reference list.")
        items = nodes.bullet_list(classes=["references"])
        for row in rows:
            lead, title, tail = bibliography.parts(row)
            para = nodes.paragraph()
            para += nodes.Text(f"{lead}, ")
            para += nodes.reference(title, f"“{title}”", refuri=row["url"])
            para += nodes.Text(f", {tail}." if tail else ".")
            item = nodes.list_item(ids=[f"ref-{row['key'].replace('_', '-')}"])
            item += para
            items += item
        return [items]


def setup(app):
    app.add_directive("claims-ledger", ClaimsLedger)
    app.add_directive("claim-reviews", ClaimReviews)
    app.add_directive("references", References)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

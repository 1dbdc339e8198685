"""The claims ledger's filter works from the keyboard alone and only ever hides rows."""

from __future__ import annotations

from book import claims

PAGE = "pages/claims.html"


def _visible_rows(page) -> list[str]:
    return page.eval_on_selector_all("tr.claim-row", "rows => rows.filter(r => !r.hidden).map(r => r.id)")


def test_ledger_filters_by_verdict_and_chapter_from_the_keyboard(open_page):
    ledger = claims.ledger()
    page, recorder = open_page(PAGE)
    form = page.locator("form.claims-filter")
    assert form.is_visible(), "the script did not reveal the filter"
    assert len(_visible_rows(page)) == len(ledger)

    # Reach the verdict menu by Tab from the start of the form, then choose with the arrow keys.
    page.evaluate("() => { const f = document.querySelector('form.claims-filter'); f.tabIndex = -1; f.focus(); }")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "verdict"
    page.keyboard.press("ArrowDown")  # the first verdict after "all verdicts"
    chosen = page.evaluate("document.activeElement.value")
    verdict = next(v for v in claims.VERDICTS if f"verdict-{v.replace(' ', '-')}" == chosen)
    expected = {f"claim-{c.replace('_', '-')}" for c in ledger[ledger["verdict"] == verdict]["claim_id"]}
    assert set(_visible_rows(page)) == expected
    assert page.locator(".claims-count").inner_text() == f"{len(expected)} of {len(ledger)} claims shown"

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "chapter"
    page.keyboard.press("ArrowDown")
    chapter = page.evaluate("document.activeElement.value").removeprefix("chapter-")
    both = ledger[(ledger["verdict"] == verdict) & (ledger["chapter"] == chapter)]
    assert set(_visible_rows(page)) == {f"claim-{c.replace('_', '-')}" for c in both["claim_id"]}

    page.select_option("form.claims-filter select[name=verdict]", "")
    page.select_option("form.claims-filter select[name=chapter]", "")
    assert len(_visible_rows(page)) == len(ledger)
    assert not recorder.console_errors, recorder.console_errors


def test_ledger_shows_every_row_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url(PAGE))
        assert page.locator("tr.claim-row").count() == len(claims.ledger())
        assert not page.locator("form.claims-filter").is_visible()
    finally:
        context.close()

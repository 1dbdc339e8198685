"""Links to the book's pages in the browser site's notebooks (book/lite.py): named, not dead links."""

from book.lite import book_links_as_text


def test_a_link_to_a_book_page_becomes_its_name():
    assert book_links_as_text("See [Data and sources](../pages/data.md).") == \
        "See *Data and sources* (a page of the book)."
    assert book_links_as_text("[the ledger](../pages/claims.md#rise-claim-x)") == "*the ledger* (a page of the book)"


def test_links_to_notebooks_and_the_web_stay_links():
    text = "[Practice](../exercises/student/02_mosul.ipynb) and [notes](https://example.org/notes.md)"
    assert book_links_as_text(text) == text

"""One bibliography: reference lists are generated from data/sources.csv, and an
unknown citation key fails the build."""

import html
import re
import subprocess
import sys

import pytest

from after_mosul import bibliography
from after_mosul.data import load

from ..conftest import CHAPTERS, ROOT

BLOCK = re.compile(r"```\{references\}\n(.*?)```", re.S)


def references_section(chapter: str) -> str:
    text = (ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    return text[text.index("\n## References\n"):]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_chapter_writes_a_reference_by_hand(chapter):
    section = references_section(chapter)
    outside = BLOCK.sub("", section)
    assert not re.search(r"\]\(https?://", outside), f"{chapter}: a hand-written linked reference remains"
    assert not re.search(r"^- .*https?://", outside, re.M), f"{chapter}: a hand-written reference remains"
    keys = [k for block in BLOCK.findall(section) for k in block.split()]
    assert keys, f"{chapter} has no generated reference list"
    assert len(keys) == len(set(keys)), f"{chapter} lists a key twice"
    bibliography.lookup(keys)  # raises on an unknown key


def test_lookup_names_every_unknown_key_in_one_sentence():
    with pytest.raises(bibliography.UnknownSource) as caught:
        bibliography.lookup(["bbc_2019_10_27_baghdadi", "no_such_key", "nor_this"])
    message = str(caught.value)
    assert "no_such_key, nor_this" in message and "data/sources.csv" in message
    assert message.endswith(".") and ". " not in message and "\n" not in message


@pytest.mark.parametrize("published, shown", [("2014-08-17", "17 Aug 2014"), ("2007-12", "Dec 2007"),
                                               ("2018", "2018"), ("", "")])
def test_dates_are_shown_as_precisely_as_they_are_known(published, shown):
    assert bibliography.display_date(published) == shown


def test_every_reference_carries_its_publisher_title_and_address_from_the_csv():
    row = bibliography.sources()["ctc_2007_12_sinjar_records"]
    lead, title, tail = bibliography.parts(row)
    assert lead == "Combating Terrorism Center at West Point (Joseph Felter; Brian Fishman)"
    assert title.startswith("Al-Qa'ida's Foreign Fighters in Iraq") and tail == "Dec 2007"


def test_every_cited_source_row_has_a_url_and_a_date_pattern_the_reader_can_follow():
    for row in load("sources").itertuples():
        assert re.match(r"^https?://\S+$", row.url), row.key


def _build(tmp_path, keys: list[str]) -> subprocess.CompletedProcess:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text("extensions = ['book.sphinx_claims']\n", encoding="utf-8")
    body = "\n".join(f"   {k}" for k in keys)
    (src / "index.rst").write_text(f"Test\n====\n\n.. references::\n\n{body}\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src), str(tmp_path / "out")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )


def test_a_build_with_known_keys_renders_their_references(tmp_path):
    result = _build(tmp_path, ["bbc_2019_10_27_baghdadi"])
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'id="ref-bbc-2019-10-27-baghdadi"' in page
    assert 'href="https://www.bbc.co.uk/news/av/world-50200163/trump-abu-bakr-al-baghdadi-is-dead"' in page


def test_a_build_with_an_unknown_citation_key_fails_and_names_it(tmp_path):
    result = _build(tmp_path, ["bbc_2019_10_27_baghdadi", "bbc_2019_10_27_bagdadi"])
    assert result.returncode != 0
    assert "Unknown citation key(s) bbc_2019_10_27_bagdadi" in result.stderr


def test_exercise_notebooks_list_their_publications_by_key_from_the_same_csv():
    for source in sorted((ROOT / "exercises" / "source").glob("*.md")):
        text = source.read_text(encoding="utf-8")
        section = text[text.index("## Sources of the figures in this notebook"):]
        assert not re.search(r"https?://", section), f"{source.name}: a hand-written reference remains"
        call = re.search(r"course\.references\(\[(.*?)\]\)", section, re.S)
        assert call, f"{source.name} does not generate its reference list"
        keys = re.findall(r'"([a-z0-9_]+)"', call.group(1))
        listing = repr(bibliography.references(keys))
        assert listing.count("\n") == len(keys) - 1
        for row in bibliography.lookup(keys):
            shown = bibliography.references(keys)._repr_html_()
            assert row["url"] in listing and f'href="{html.escape(row["url"])}"' in shown


def test_a_notebook_citing_an_unknown_key_gets_the_courses_one_line_error():
    from after_mosul.errors import course_errors

    with pytest.raises(course_errors()) as caught:
        bibliography.references(["no_such_key"])
    assert str(caught.value).startswith("Unknown citation key(s) no_such_key:")

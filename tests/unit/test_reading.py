"""Reading times for the lesson plans come from the chapters' word counts."""

import re

import pytest

from book.reading import AVERAGE_WPM, SLOW_WPM, chapter_reading, prose_words, reading_minutes

from ..conftest import CHAPTERS, ROOT


def test_prose_words_counts_what_a_reader_reads_only():
    chapter = (
        "---\nkernelspec:\n  name: python3\n---\n\n# The title\n\n```{admonition} Learning objectives\n"
        ":class: tip\nRead this.\n```\n\nSee {doc}`the data <../pages/data>` and [a source](https://example.org/x-y).\n\n"
        "```{code-cell} ipython3\nevents = course.load('events')\n```\n\n+++\n\n(label)=\n"
        "| a | b |\n|---|---|\n| 1,000 | ISIS's |\n\n## References\n\n- Many, many words that are not read.\n"
    )
    # The title / Learning objectives / Read this / See the data and a source / a b 1,000 ISIS's
    assert prose_words(chapter) == 2 + 2 + 2 + 6 + 4


def test_reading_minutes_round_up_to_five():
    assert reading_minutes(0) == 0
    assert reading_minutes(1) == 5
    assert reading_minutes(SLOW_WPM * 20) == 20
    assert reading_minutes(SLOW_WPM * 20 + 1) == 25
    assert reading_minutes(4400, AVERAGE_WPM) == 20
    with pytest.raises(ValueError):
        reading_minutes(100, 0)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_takes_longer_than_its_words_at_the_average_rate(chapter):
    words, average, slow = chapter_reading(ROOT / "chapters" / f"{chapter}.md")
    assert 1000 < words < len((ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8").split())
    assert words / AVERAGE_WPM <= average <= slow and words / SLOW_WPM <= slow


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_states_its_computed_reading_time(chapter):
    """The time a chapter promises its reader, in the book and in the notebook, is its word count's."""
    source = ROOT / "chapters" / f"{chapter}.md"
    _, average, slow = chapter_reading(source)
    stated = re.findall(r"\*\*What you need:\*\* about (\d+)–(\d+) minutes to read", source.read_text(encoding="utf-8"))
    assert stated == [(str(average), str(slow))], (
        f"{chapter}.md states {stated}; its words take about {average}–{slow} minutes: update the sentence")

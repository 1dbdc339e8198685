"""Reading times of the chapters, from their word counts, for the lesson plans.

Rates from Brysbaert (2019), "How many words do we read per minute? A review and
meta-analysis of reading rate", Journal of Memory and Language 109, 104047
(https://doi.org/10.1016/j.jml.2019.104047): adults read English non-fiction
silently at 238 words a minute on average, most between 175 and 300; children
and readers of English as a second language read more slowly. The lesson plans
use the slow end of the adult range, 175, for a study text with tables and maps.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

AVERAGE_WPM = 238  # Brysbaert 2019, adults, silent reading of non-fiction
SLOW_WPM = 175  # Brysbaert 2019, the lower end of most adults' range

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_CODE = re.compile(r"^(```|~~~)\{code-cell\}.*?^\1\s*$", re.S | re.M)
_TITLED_FENCE = re.compile(r"^(?:`{3,}|:{3,})\{[\w-]+\}\s*(.*)$", re.M)  # a directive's argument is read (a title)
_NOT_READ = re.compile(r"^(:[\w-]+:.*|\+\+\+.*|\([\w:.-]+\)=|`{3,}.*)$", re.M)  # options, cell breaks, targets, fences
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+")
_WORD = re.compile(r"[^\W_]+(?:[’'\-.,][^\W_]+)*")


def prose_words(markdown: str) -> int:
    """Words a reader reads in a MyST chapter: its prose and tables, not code, URLs or the references."""
    text = _FRONT_MATTER.sub("", markdown)
    text = text.split("\n## References", 1)[0]
    text = _CODE.sub("", text)
    text = _TITLED_FENCE.sub(r"\1", text)
    text = _NOT_READ.sub("", text)
    text = _LINK_TARGET.sub("]", text)
    text = re.sub(r"\{[\w-]+\}`([^`<]*)(?:<[^>]*>)?`", r"\1", text)  # {doc}`text <target>` reads as "text"
    return len(_WORD.findall(text))


def reading_minutes(words: int, wpm: int = SLOW_WPM) -> int:
    """Minutes to read ``words`` at ``wpm`` words a minute, rounded up to the next 5."""
    if words < 0 or wpm <= 0:
        raise ValueError("words must be 0 or more and wpm more than 0")
    return 5 * math.ceil(words / wpm / 5)


def chapter_reading(path: Path) -> tuple[int, int, int]:
    """(words, minutes at the average rate, minutes at the slow rate) for one chapter source."""
    words = prose_words(Path(path).read_text(encoding="utf-8"))
    return words, reading_minutes(words, AVERAGE_WPM), reading_minutes(words, SLOW_WPM)

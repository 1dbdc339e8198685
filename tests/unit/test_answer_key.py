"""Every figure the answer key states is the computed one.

The explanations and hints in ``after_mosul/exercises.py`` and the answer key in
``pages/instructors.md`` state numbers. Each must match, at the precision it is
written with, a figure computed for its task from the data: the expected
answer, a known mistake, or a figure the task declares (``Task.figures``); a
choice task may also repeat a number from its options or its own task text.
Dates, years, paragraph and task numbers are not figures and are left out.
"""

import re

import numpy as np
import pandas as pd
import pytest

from after_mosul import exercises

from ..conftest import CHAPTERS, ROOT

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
NOT_FIGURES = re.compile(
    rf"\b\d{{1,2}} (?:{MONTHS}) \d{{4}}\b|\b(?:{MONTHS}|mid-|early |late )\s*\d{{4}}\b"
    r"|¶\d+(?:[–-]¶?\d+)?|\b(?:Tasks?|[Cc]hapter|Exercises?|Q)\s*\d+(?:[–-]\d+)?"
    r"|(?<![$\d,.])(?:19|20)\d\d(?!\d|,\d)(?:[–-]\d{2,4})?"
    r"|`[^`]*`|(?:×|multiply by|by) 100\b|\b100 minus"
    r"|\b[A-Z]+/\d{4}/\d+|\b\d+ (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*[–-]"
)
NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?( billion)?")
SOURCES = ROOT / "exercises" / "source"


def stated(text: str) -> list[tuple[str, float, int]]:
    """(as written, value, decimals) for each figure in ``text``."""
    found = []
    for match in NUMBER.finditer(NOT_FIGURES.sub(" ", text)):
        written = match.group(0)
        number = written.removesuffix(" billion").replace(",", "")
        decimals = len(number.split(".")[1]) if "." in number else 0
        value = float(number) * (1000 if match.group(1) else 1)  # the data are in millions
        found.append((written, value, decimals - (3 if match.group(1) else 0)))
    return found


def _values(thing) -> list[float]:
    if isinstance(thing, pd.DataFrame):
        return [v for column in thing for v in _values(thing[column])]
    if isinstance(thing, pd.Series):
        numbers = pd.to_numeric(thing, errors="coerce") if not pd.api.types.is_datetime64_any_dtype(thing) else []
        return [float(v) for v in numbers if not pd.isna(v)]
    if isinstance(thing, (int, float, np.number)) and not isinstance(thing, bool):
        return [float(thing)]
    return []


def task_text(task_id: str) -> str:
    """The task's section of its exercise source (for the numbers a choice task quotes)."""
    text = (SOURCES / f"{exercises.TASKS[task_id].notebook}.md").read_text(encoding="utf-8")
    at = text.find(f'check("{task_id}"')
    return text[text.rfind("\n## ", 0, at):at]


def figures(task_id: str, mistakes: bool = True) -> list[float]:
    """The figures a text about the task may state; without the known mistakes' values if told."""
    task = exercises.TASKS[task_id]
    spec = task.spec()
    answer = _values(spec["expected"])
    tolerance = max(spec.get("tolerance", 0), 0)
    # the answer as a fraction (0.601), a ratio (1.135) and the ends of the accepted range
    found = answer + [f / 100 for f in answer] + [1 + f / 100 for f in answer] \
        + [f + tolerance for f in answer] + [f - tolerance for f in answer] + list(task.figures().values())
    for mistake, _ in spec.get("mistakes", []) if mistakes else []:
        found += _values(mistake)
    if task.checker.__name__ == "check_choice":
        options = spec["options"]
        texts = list(options.values()) if isinstance(options, dict) else list(options)
        found += [v for t in texts + [task_text(task_id)] for _, v, _ in stated(t)]
    return [abs(f) for f in found]


def matches(value: float, decimals: int, candidates: list[float]) -> bool:
    half = 0.5 * 10.0 ** -decimals + 1e-9
    return any(abs(value - c) <= half for c in candidates)


def unmatched(task_id: str, text: str, mistakes: bool = True) -> list[str]:
    candidates = figures(task_id, mistakes)
    return [w for w, v, d in stated(text) if not matches(v, d, candidates)]


TEXTS = []
for task_id, task in exercises.TASKS.items():
    spec = task.spec()
    # a Correct message states the answer; hints may also name a known mistake's value
    TEXTS.append(pytest.param(task_id, spec.get("explanation", ""), False, id=f"{task_id}-explanation"))
    TEXTS.append(pytest.param(task_id, spec.get("hint", ""), True, id=f"{task_id}-hint"))
    hints = spec.get("hints") or {}
    TEXTS.append(pytest.param(task_id, " ".join(hints.values()), True, id=f"{task_id}-choice-hints"))
    for i, (_, mistake_hint) in enumerate(spec.get("mistakes", [])):
        TEXTS.append(pytest.param(task_id, mistake_hint, True, id=f"{task_id}-mistake-{i}"))


@pytest.mark.parametrize("task_id, text, mistakes", TEXTS)
def test_every_figure_in_the_package_texts_is_computed(task_id, text, mistakes):
    wrong = unmatched(task_id, text, mistakes)
    assert not wrong, f"{task_id}: figures that match no computed value: {wrong}"


def answer_key_rows() -> list:
    guide = (ROOT / "pages" / "instructors.md").read_text(encoding="utf-8")
    key = guide.split("## Answer key", 1)[1].split("\n## ", 1)[0]
    rows = []
    for number, block in enumerate(key.split("### Exercises ")[1:], start=1):
        ids = exercises.tasks_of(CHAPTERS[number - 1])
        for line in block.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            task = re.match(r"(\d+)\. ", cells[0]) if len(cells) == 3 else None
            if task and int(task.group(1)) <= len(ids):
                task_id = ids[int(task.group(1)) - 1]
                rows.append(pytest.param(task_id, cells[1], cells[2], id=f"ex{number}-task{task.group(1)}"))
    return rows


def test_the_answer_key_has_a_row_for_every_checked_task():
    assert len(answer_key_rows()) == len(exercises.TASKS)


@pytest.mark.parametrize("task_id, expected, mistake", answer_key_rows())
def test_every_figure_in_the_instructors_answer_key_is_computed(task_id, expected, mistake):
    wrong = unmatched(task_id, expected, mistakes=False) + unmatched(task_id, mistake)
    assert not wrong, f"{task_id}: figures that match no computed value: {wrong}"


def test_a_drifted_figure_is_caught():
    assert unmatched("desert_un_fall", "75 percent, the low estimates") == []  # a known mistake, in a hint
    assert unmatched("desert_un_fall", "a fall of 75 percent", mistakes=False) == ["75"]  # not the answer
    assert unmatched("desert_un_fall", "a fall of 70 percent") == ["70"]
    assert unmatched("rise_percent_lost", "60.2 percent") == ["60.2"]

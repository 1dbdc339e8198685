"""Issue 11: the checks accept what the tasks ask for and hint at what the student did.

Each test works as a student would: it runs the notebook's own set-up cell from
``exercises/source`` and then a plausible answer, and reads the check's verdict.
"""

import re

import jupytext
import pandas as pd
import pytest

from after_mosul import exercises
from after_mosul.checks import check_dataframe, check_series

from ..conftest import CHAPTERS, ROOT

SOURCES = ROOT / "exercises" / "source"
SOLUTION = re.compile(r"# BEGIN SOLUTION\n(?P<code>.*?)# END SOLUTION", re.S)
CHECK = re.compile(r'check\("(?P<task>\w+)", (?P<var>\w+)\)')


def cells(name: str) -> list[str]:
    notebook = jupytext.read(SOURCES / f"{name}.md")
    return [c.source for c in notebook.cells if c.cell_type == "code"]


def set_up(name: str) -> dict:
    """The namespace after the notebook's set-up cell (its first code cell) has run."""
    namespace: dict = {}
    exec(cells(name)[0], namespace)
    return namespace


def section(task_id: str) -> str:
    """The text of the task (from its heading to its check) in the exercise source."""
    for name in CHAPTERS:
        text = (SOURCES / f"{name}.md").read_text(encoding="utf-8")
        at = text.find(f'check("{task_id}"')
        if at >= 0:
            return text[text.rfind("\n## ", 0, at):at]
    raise AssertionError(f"no check of {task_id!r} in exercises/source")


# -- rounding: the precision the task states is accepted ---------------------

@pytest.mark.parametrize("task_id, rounded", [
    ("rise_percent_lost", 60), ("desert_change_2019", 14), ("ideology_share_2017", 39),
    ("finances_oil_share", 50), ("desert_un_fall", 65), ("finances_spread_2015", 2.5),
])
def test_an_answer_rounded_as_the_task_asks_is_correct(task_id, rounded):
    assert exercises.check(task_id, rounded).correct, exercises.check(task_id, rounded)


@pytest.mark.parametrize("task_id, off", [
    ("rise_percent_lost", 61), ("desert_change_2019", 13), ("ideology_share_2017", 38), ("finances_spread_2015", 2.4),
])
def test_an_answer_beyond_the_stated_precision_is_still_wrong(task_id, off):
    assert not exercises.check(task_id, off).correct


@pytest.mark.parametrize("task_id", [t for t, task in exercises.TASKS.items() if "decimals" in task.spec()])
def test_each_number_task_states_the_precision_its_check_accepts(task_id):
    decimals = exercises.TASKS[task_id].spec()["decimals"]
    wording = {0: "to the nearest whole percent", 1: "to one decimal"}[decimals]
    assert wording in " ".join(section(task_id).split())


# -- dashes, quotes and case in choices --------------------------------------

@pytest.mark.parametrize("answer", ["April-June 2020", "april – june 2020", "APRIL—JUNE 2020", "“e”", "'e'", " E "])
def test_a_choice_matches_whatever_dash_quote_or_case_the_student_types(answer):
    assert exercises.check("desert_peak", answer).correct, exercises.check("desert_peak", answer)


def test_a_place_id_names_the_same_choice_as_its_place_name():
    assert exercises.check("rise_longest", "raqqa").correct
    assert "Mosul Dam" in str(exercises.check("rise_longest", "mosul_dam"))


# -- unquoted letters ----------------------------------------------------------

def _choice_answers():
    for name in CHAPTERS:
        for code in cells(name):
            solution = SOLUTION.search(code)
            if solution and re.fullmatch(r'\w+ = ("[a-g]"|[a-g])\n', solution["code"]):
                var, letter = solution["code"].split(" = ")
                yield pytest.param(name, var, letter.strip().strip('"'), id=f"{name}-{var}")


@pytest.mark.parametrize("name, var, letter", list(_choice_answers()))
def test_an_unquoted_letter_runs_and_is_marked(name, var, letter):
    namespace = set_up(name)
    exec(f"{var} = {letter}", namespace)
    task = next(m["task"] for code in cells(name) for m in CHECK.finditer(code) if m["var"] == var)
    assert exercises.check(task, namespace[var]).correct


def test_every_choice_task_is_answered_with_a_letter():
    choice_tasks = [t for t, task in exercises.TASKS.items() if task.checker.__name__ == "check_choice"]
    found = {m["task"] for name in CHAPTERS for code in cells(name) for m in CHECK.finditer(code)
             if any(v == m["var"] for _, v, _ in (p.values for p in _choice_answers()))}
    assert set(choice_tasks) == found


# -- Exercises 1, Task 1: sorting and "only the columns" ------------------------

def _captures(namespace: dict) -> pd.DataFrame:
    events = namespace["events"]
    return events.loc[events["type"] == "captured", ["date", "place_id"]]


def test_the_events_of_exercises_1_are_not_in_date_order():
    events = set_up("01_rise")["events"]
    assert not events["date"].is_monotonic_increasing


def test_unsorted_captures_get_the_wrong_order_hint():
    feedback = exercises.check("rise_captures", _captures(set_up("01_rise")))
    assert not feedback.correct and "wrong order" in feedback.message


def test_sorted_captures_are_correct():
    assert exercises.check("rise_captures", _captures(set_up("01_rise")).sort_values("date")).correct


def test_captures_with_extra_columns_are_told_to_keep_only_the_asked_columns():
    events = set_up("01_rise")["events"]
    feedback = exercises.check("rise_captures", events[events["type"] == "captured"].sort_values("date"))
    assert not feedback.correct and "'type'" in feedback.message and "only" in feedback.message


# -- Exercises 1, Task 2: a filter on 'retaken' alone ----------------------------

def test_a_filter_on_retaken_alone_is_told_about_the_declaration_not_to_take_max():
    events = set_up("01_rise")["events"]
    captured = events[events["type"] == "captured"].groupby("place_id")["date"].min()
    ended = events[events["type"] == "retaken"].groupby("place_id")["date"].max()  # max() used, as told
    held = pd.DataFrame({"captured": captured, "ended": ended}).dropna().rename_axis("place_id").reset_index()
    held = held.assign(months=(held["ended"] - held["captured"]).dt.days / 30.44)
    feedback = exercises.check("rise_months_held", held)
    assert not feedback.correct
    assert "declaration" in feedback.message and "retaken' alone" in feedback.message


# -- cosmetic messages -----------------------------------------------------------

def test_an_empty_table_for_a_series_task_is_described_without_an_empty_column_list():
    message = check_series(pd.DataFrame(), pd.Series({"a": 1})).message
    assert "columns ;" not in message and "empty table" in message


def test_a_ratio_is_not_shown_as_a_percentage_and_gets_a_hint():
    message = exercises.check("desert_change_2019", 1669 / 1470).message
    assert "1.135%" not in message and "ratio" in message


def test_a_reversed_subtraction_gets_a_hint_about_the_order():
    message = exercises.check("desert_change_2019", 100 * (1470 - 1669) / 1669).message
    assert "order of the subtraction" in message


def test_a_frame_check_ignores_extra_columns_unless_told_otherwise():
    expected = pd.DataFrame({"k": ["x"], "v": [1]})
    answer = expected.assign(extra=2)
    assert check_dataframe(answer, expected).correct
    assert not check_dataframe(answer, expected, only_columns=True).correct


# -- the answer key agrees with the chapters ------------------------------------

def test_the_un_membership_fall_is_the_chapters_careful_figure():
    chapter = (ROOT / "chapters" / "04_desert.md").read_text(encoding="utf-8")
    figure = round(exercises.expected("desert_un_fall"))
    assert figure == 65 and re.search(rf"\b{figure} per ?cent", chapter)


def test_the_revenue_ranking_puts_taxation_and_oil_first_as_chapter_3_does():
    ranking = exercises.expected("finances_rank_2015")
    assert list(ranking.index[:2]) == ["taxation_extortion", "oil"]
    assert ranking.index.is_unique

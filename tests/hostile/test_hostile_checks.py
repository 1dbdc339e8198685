"""Every public checker is guarded by construction: hostile answers get a sentence, never a traceback.

The test finds the checkers itself (every public ``check_*`` of
``after_mosul.checks``, and ``after_mosul.exercises.check`` for every task), so
a checker added later without the guard fails here. Each gets objects whose
``__eq__``, ``__len__``, ``__repr__``, ``__float__`` (and more) raise, values
that overflow, and the hostile-string corpus.
"""

import decimal
import inspect

import numpy as np
import pandas as pd
import pytest

import after_mosul
from after_mosul import checks, exercises
from after_mosul.checks import Feedback

from .corpus import CORPUS


class Evil:
    """Every way of looking at it raises."""

    def _boom(self, *args, **kwargs):
        raise RuntimeError("evil")

    __eq__ = __ne__ = __lt__ = __gt__ = __len__ = __repr__ = __str__ = __float__ = __int__ = _boom
    __bool__ = __iter__ = __getitem__ = __index__ = __format__ = __complex__ = __round__ = _boom
    __hash__ = object.__hash__


class EvilList(list):
    def __len__(self):
        raise RuntimeError("evil len")


class EvilDict(dict):
    def __eq__(self, other):
        raise RuntimeError("evil eq")

    __hash__ = None

    def __len__(self):
        raise RuntimeError("evil len")


HOSTILE_ANSWERS = {
    "evil-object": Evil(),
    "evil-list": EvilList([1, 2]),
    "evil-dict": EvilDict(a=1),
    "huge-int": 10**400,
    "object-series-huge-int": pd.Series([10**400, 1], index=["rise", "retreat"], dtype=object),
    "series-of-evil": pd.Series([Evil()], index=["rise"], dtype=object),
    "frame-of-evil": pd.DataFrame({"place_id": [Evil()], "months": [Evil()]}),
    "complex": 266 + 0j,
    "complex-series": pd.Series([1 + 2j], index=["rise"]),
    "decimal-nan": decimal.Decimal("sNaN"),
    "bytes": b"\xff\xfe",
    "numpy-void": np.void(b"ab"),
    **{f"corpus-{i}": text for i, text in enumerate(CORPUS)},
}

EXPECTED_SERIES = pd.Series({"rise": 15, "retreat": 9})
EXPECTED_FRAME = pd.DataFrame({"place_id": ["mosul"], "months": [36.0]})
ARGUMENTS = {  # the arguments each checker needs besides the answer
    "check_number": dict(expected=266),
    "check_choice": dict(options=["Mosul", "Tikrit"], expected="Mosul"),
    "check_series": dict(expected=EXPECTED_SERIES),
    "check_dataframe": dict(expected=EXPECTED_FRAME, key="place_id"),
}


def public_checkers() -> dict:
    found = {name: f for name, f in inspect.getmembers(checks, callable) if name.startswith("check_")}
    found.update({name: getattr(after_mosul, name) for name in after_mosul.__all__ if name.startswith("check_")})
    return found


def test_every_public_checker_is_known_here_and_guarded():
    found = public_checkers()
    assert set(found) == set(ARGUMENTS), "a new checker needs its arguments in ARGUMENTS"
    for name, checker in found.items():
        assert getattr(checker, "never_raises", False), f"{name} is not wrapped by the never-raise guard"
        assert checker is getattr(checks, name), f"after_mosul.{name} is not the guarded checks.{name}"


@pytest.mark.parametrize("answer", HOSTILE_ANSWERS.values(), ids=HOSTILE_ANSWERS.keys())
@pytest.mark.parametrize("name", sorted(ARGUMENTS))
def test_each_checker_answers_hostile_input_with_one_readable_message(name, answer):
    feedback = getattr(checks, name)(answer, **ARGUMENTS[name])
    assert isinstance(feedback, Feedback) and feedback.status in ("correct", "wrong", "unanswered")
    assert isinstance(feedback.message, str) and feedback.message.strip()
    for text in CORPUS:
        if "<" in text:
            assert text not in feedback._repr_html_(), "the feedback box must escape what it quotes"


@pytest.mark.parametrize("answer", [Evil(), EvilList([1]), 10**400], ids=["evil-object", "evil-list", "huge-int"])
@pytest.mark.parametrize("task_id", sorted(exercises.TASKS))
def test_every_exercise_check_answers_hostile_input(task_id, answer):
    feedback = exercises.check(task_id, answer)
    assert isinstance(feedback, Feedback) and feedback.status == "wrong" and feedback.message


@pytest.mark.parametrize("task_id", [[], {"rise_captures": 1}, ("rise_captures",), None, 7, Evil()],
                         ids=["list", "dict", "tuple", "None", "number", "evil-object"])
def test_a_task_name_that_is_not_text_gets_a_sentence(task_id):
    """``exercises.check([], x)`` raised ``TypeError: unhashable type: 'list'`` (issue 23, fault 12)."""
    feedback = exercises.check(task_id, 3)
    assert isinstance(feedback, Feedback) and feedback.status == "wrong"
    assert "task's name in quotation marks" in feedback.message and "rise_captures" in feedback.message


@pytest.mark.parametrize("size", [1_000, 10_000_000])
def test_a_huge_task_name_is_not_echoed_back_whole(size):
    name = "x" * size
    feedback = exercises.check(name, 3)
    assert feedback.status == "wrong" and "There is no task called" in feedback.message
    assert len(feedback.message) < 1_000 and len(feedback._repr_html_()) < 2_000, len(feedback.message)
    assert f"{size:,} characters" in feedback.message


def test_a_checker_added_without_the_decorator_is_guarded_all_the_same():
    def check_unguarded(answer):
        raise RuntimeError("bug")

    guarded = checks._never_raise(check_unguarded)
    assert guarded(Evil()).status == "wrong" and checks._never_raise(guarded) is guarded


def test_complex_answers_get_a_sensible_message():
    assert "complex number" in str(checks.check_number(266 + 0j, 266))
    feedback = checks.check_series(pd.Series([15 + 0j, 9 + 0j], index=["rise", "retreat"]), EXPECTED_SERIES)
    assert not feedback.correct and "complex numbers" in feedback.message


def test_decimal_answers_are_read_as_numbers():
    assert checks.check_number(decimal.Decimal(266), 266).correct
    feedback = checks.check_number(decimal.Decimal("265.5"), 266)
    assert not feedback.correct and "265.5" in feedback.message and "too low" in feedback.message
    series = pd.Series([decimal.Decimal(15), decimal.Decimal(9)], index=["rise", "retreat"], dtype=object)
    assert checks.check_series(series, EXPECTED_SERIES).correct

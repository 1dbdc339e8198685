"""The answer checkers: right answers say Correct, wrong ones get a hint, bad input never raises."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from after_mosul import exercises
from after_mosul.checks import Feedback, check_choice, check_dataframe, check_number, check_series

HEADLINES = ("Correct — ", "Not quite — ", "Not answered yet — ")


def assert_friendly(feedback, correct=False):
    """A Feedback with a headline, a message, and both faces (text and HTML)."""
    assert isinstance(feedback, Feedback)
    assert feedback.correct is correct
    text = repr(feedback)
    assert text.startswith(HEADLINES), text
    assert len(feedback.message) > (0 if correct else 20), text
    assert "Traceback" not in text and "Error" not in text, text
    html = feedback._repr_html_()
    assert 'role="status"' in html and feedback.headline in html
    return text


# -- bad inputs, shared by the checkers ---------------------------------------

class Weird:
    def __repr__(self):
        raise RuntimeError("repr fails")

    def __str__(self):
        raise RuntimeError("str fails")

    def __float__(self):
        raise RuntimeError("float fails")


BAD_FOR_NUMBER = {
    "text": "abc",
    "number_as_text": "37",
    "nan": float("nan"),
    "numpy_nan": np.float64("nan"),
    "infinity": float("inf"),
    "pd_na": pd.NA,
    "nat": pd.NaT,
    "bool": True,
    "numpy_bool": np.bool_(False),
    "list": [1, 2],
    "one_item_list": [37],
    "empty_list": [],
    "dict": {"a": 1},
    "series": pd.Series([1.0, 2.0]),
    "one_value_series": pd.Series([37.0]),
    "empty_series": pd.Series([], dtype="float64"),
    "dataframe": pd.DataFrame({"a": [1, 2]}),
    "empty_dataframe": pd.DataFrame(),
    "timedelta": pd.Timedelta(days=1126),
    "python_timedelta": dt.timedelta(days=3),
    "timestamp": pd.Timestamp("2017-07-10"),
    "date": dt.date(2017, 7, 10),
    "complex": 3 + 1j,
    "object": object(),
    "weird_object": Weird(),
    "array": np.array([1, 2, 3]),
}


@pytest.mark.parametrize("name", sorted(BAD_FOR_NUMBER))
def test_check_number_answers_bad_input_with_a_message_not_a_traceback(name):
    text = assert_friendly(check_number(BAD_FOR_NUMBER[name], 37.0, tolerance=0.5))
    assert text.startswith("Not quite — ")


@pytest.mark.parametrize("placeholder", [None, ..., "", "   "])
def test_check_number_says_not_answered_yet_for_the_placeholder(placeholder):
    text = assert_friendly(check_number(placeholder, 37.0))
    assert text.startswith("Not answered yet — ")


def test_check_number_accepts_the_right_number_of_any_numeric_type():
    for answer in (37, 37.2, np.int64(37), np.float32(36.8), 36.6):
        assert_friendly(check_number(answer, 37.0, tolerance=0.5, explanation="About three years."), correct=True)


def test_wrong_number_gets_direction_and_hint():
    text = assert_friendly(check_number(12, 37.0, tolerance=0.5, hint="Divide the days by 30.44."))
    assert "too low" in text and "30.44" in text


def test_known_mistake_gets_its_own_hint():
    text = assert_friendly(check_number(39.9, 60.1, tolerance=0.1, mistakes=[(39.9, "That is the share still held.")]))
    assert "share still held" in text


def test_fraction_for_a_percentage_gets_a_hint():
    text = assert_friendly(check_number(0.601, 60.1, tolerance=0.1, percent=True))
    assert "Multiply by 100" in text


def test_text_that_looks_like_a_number_is_explained():
    assert "without quotes" in repr(check_number("37", 37.0))


def test_time_span_gets_a_days_hint():
    assert ".days" in repr(check_number(pd.Timedelta(days=266), 266.0))


# -- choices --------------------------------------------------------------------

CITIES = ["Fallujah", "Mosul", "Ramadi", "Tikrit"]
LETTERS = {"a": "Fewer people travelled.", "b": "The government revised its estimate.", "c": "Only returnees counted."}

BAD_FOR_CHOICE = {
    "not_an_option": "Baghdad",
    "number": 2,
    "float": 1.5,
    "nan": float("nan"),
    "bool": True,
    "list": ["Mosul"],
    "tuple": ("Mosul", "Tikrit"),
    "set": {"Mosul"},
    "series": pd.Series(["Mosul"]),
    "dataframe": pd.DataFrame({"city": ["Mosul"]}),
    "dict": {"answer": "Mosul"},
    "object": object(),
    "pd_na": pd.NA,
    "bytes": b"Mosul",
}


@pytest.mark.parametrize("name", sorted(BAD_FOR_CHOICE))
def test_check_choice_answers_bad_input_with_a_message_not_a_traceback(name):
    text = assert_friendly(check_choice(BAD_FOR_CHOICE[name], CITIES, "Mosul"))
    assert text.startswith("Not quite — ")


def test_check_choice_ignores_case_and_spaces():
    for answer in ("Mosul", "mosul", "  MOSUL "):
        assert_friendly(check_choice(answer, CITIES, "Mosul", explanation="Held from 2014 to 2017."), correct=True)


def test_check_choice_accepts_letter_or_statement():
    for answer in ("b", "B", "(b)", "b)", "The government revised its estimate."):
        assert_friendly(check_choice(answer, LETTERS, "b", explanation="The note says so."), correct=True)


def test_wrong_choice_gets_the_hint_for_that_option():
    text = assert_friendly(check_choice("a", LETTERS, "b", hints={"a": "Read the row's note."}))
    assert "Read the row's note" in text


def test_check_choice_placeholder_says_not_answered_yet():
    assert repr(check_choice(None, CITIES, "Mosul")).startswith("Not answered yet — ")


# -- Series -----------------------------------------------------------------------

PHASES = pd.Series({"rise": 15, "mosul_battle": 9, "retreat": 9, "insurgency": 4}, dtype="Int64")

BAD_FOR_SERIES = {
    "text": "rise",
    "number": 37,
    "bool": False,
    "nan": float("nan"),
    "list": [15, 9, 9, 4],
    "array": np.array([15, 9, 9, 4]),
    "reset_index_frame": PHASES.rename("count").rename_axis("phase").reset_index(),
    "one_column_frame": PHASES.to_frame("count"),
    "empty_series": pd.Series([], dtype="Int64"),
    "missing_label": PHASES.drop("insurgency"),
    "extra_label": pd.concat([PHASES, pd.Series({"other": 1}, dtype="Int64")]),
    "numbered_index": PHASES.reset_index(drop=True),
    "nan_value": PHASES.astype("float64").where(PHASES.index != "retreat"),
    "text_values": PHASES.astype(str),
    "bool_values": PHASES > 5,
    "wrong_value": PHASES.where(PHASES.index != "rise", 14),
    "duplicate_labels": pd.Series([15, 9], index=["rise", "rise"]),
    "object": object(),
}


@pytest.mark.parametrize("name", sorted(BAD_FOR_SERIES))
def test_check_series_answers_bad_input_with_a_message_not_a_traceback(name):
    text = assert_friendly(check_series(BAD_FOR_SERIES[name], PHASES))
    assert text.startswith("Not quite — ")


def test_check_series_accepts_any_order_and_a_dict():
    assert check_series(PHASES.sort_index(), PHASES).correct
    assert check_series({"rise": 15, "mosul_battle": 9, "retreat": 9, "insurgency": 4}, PHASES).correct
    assert check_series(PHASES.astype("float64") + 0.01, PHASES, tolerance=0.05).correct


def test_check_series_names_missing_and_extra_labels():
    text = repr(check_series(PHASES.drop("retreat"), PHASES))
    assert "lacks the label(s)" in text and "'retreat'" in text
    renamed = PHASES.rename(index={"insurgency": "insurgnecy"})
    text = repr(check_series(renamed, PHASES))
    assert "'insurgency'" in text and "answer does not: 'insurgnecy'" in text


def test_check_series_with_order_says_wrong_order():
    text = repr(check_series(PHASES.sort_index(), PHASES, check_order=True))
    assert "wrong order" in text


def test_check_series_names_missing_labels_and_gives_hint():
    text = repr(check_series(PHASES.drop("insurgency"), PHASES, hint="Use value_counts()."))
    assert "'insurgency'" in text and "value_counts" in text


def test_check_series_known_mistake():
    total = pd.concat([PHASES, pd.Series({"total": 37}, dtype="Int64")])
    text = repr(check_series(total, PHASES, mistakes=[(total, "Leave out the total row.")]))
    assert "Leave out the total row" in text


# -- DataFrames -------------------------------------------------------------------

HELD = pd.DataFrame({
    "place_id": pd.Series(["fallujah", "mosul", "ramadi", "tikrit"], dtype="string"),
    "captured": pd.to_datetime(["2014-01-02", "2014-06-10", "2015-05-17", "2014-06-11"]),
    "months": [29.76, 36.99, 7.39, 9.66],
})

BAD_FOR_FRAME = {
    "text": "mosul",
    "number": 37.0,
    "nan": float("nan"),
    "list": [["mosul", 37.0]],
    "dict": {"place_id": ["mosul"], "months": [37.0]},
    "series": HELD["months"],
    "missing_column": HELD[["place_id"]],
    "misspelled_column": HELD.rename(columns={"months": "month"}),
    "key_in_index": HELD.set_index("place_id"),
    "empty_frame": HELD.iloc[:0],
    "no_columns": pd.DataFrame(),
    "missing_row": HELD.iloc[:3],
    "extra_row": pd.concat([HELD, pd.DataFrame(
        {"place_id": ["mosul_dam"], "captured": [pd.Timestamp("2014-08-07")], "months": [0.33]})]),
    "nan_values": HELD.assign(months=np.nan),
    "text_values": HELD.assign(months=HELD["months"].astype(str)),
    "dates_as_text": HELD.assign(captured=HELD["captured"].dt.strftime("%Y-%m-%d")),
    "wrong_values": HELD.assign(months=HELD["months"] * 30.44),
    "multiindex_columns": HELD.set_index("place_id").groupby(level=0).agg(["min", "max"]),
    "duplicate_columns": pd.concat([HELD, HELD[["months"]]], axis=1),
    "duplicate_keys": pd.concat([HELD, HELD.iloc[:1]]),
    "none_in_keys": HELD.assign(place_id=[None, "mosul", "ramadi", "tikrit"]),
}


@pytest.mark.parametrize("name", sorted(BAD_FOR_FRAME))
def test_check_dataframe_answers_bad_input_with_a_message_not_a_traceback(name):
    text = assert_friendly(check_dataframe(BAD_FOR_FRAME[name], HELD, columns=["place_id", "captured", "months"],
                                           key="place_id", tolerance=0.1))
    assert text.startswith("Not quite — ")


def test_check_dataframe_ignores_extra_columns_and_row_order():
    shuffled = HELD.iloc[::-1].assign(note="extra column")
    assert check_dataframe(shuffled, HELD, columns=["place_id", "months"], key="place_id", tolerance=0.1).correct


def test_check_dataframe_names_the_missing_column_and_the_index():
    assert "'months'" in repr(check_dataframe(HELD[["place_id"]], HELD, columns=["place_id", "months"]))
    assert "reset_index" in repr(check_dataframe(HELD.set_index("place_id"), HELD, columns=["place_id", "months"]))


def test_check_dataframe_names_missing_and_extra_rows():
    text = repr(check_dataframe(BAD_FOR_FRAME["extra_row"], HELD, columns=["place_id", "months"], key="place_id"))
    assert "'mosul_dam'" in text
    text = repr(check_dataframe(HELD.iloc[:3], HELD, columns=["place_id", "months"], key="place_id"))
    assert "'tikrit'" in text


def test_check_dataframe_with_order_says_wrong_order():
    text = repr(check_dataframe(HELD.iloc[::-1], HELD, columns=["place_id", "months"], key="place_id",
                                check_order=True))
    assert "wrong order" in text


def test_check_dataframe_placeholder_says_not_answered_yet():
    assert repr(check_dataframe(None, HELD)).startswith("Not answered yet — ")


# -- Feedback ---------------------------------------------------------------------

def test_feedback_html_escapes_and_marks_code():
    feedback = Feedback("wrong", "Use `x < 3` & <b>")
    assert repr(feedback) == "Not quite — Use `x < 3` & <b>"
    rendered = feedback._repr_html_()
    assert "<code>x &lt; 3</code>" in rendered and "&amp; &lt;b&gt;" in rendered and "<b>" not in rendered


def test_feedback_output_holds_no_memory_address():
    rendered = check_number(12, 37.0, hint="x")._repr_html_()
    assert "0x" not in rendered and " object at " not in rendered


# -- the answer key ------------------------------------------------------------------

TASK_IDS = sorted(exercises.TASKS)
GENERIC_BAD = {
    "text": "I don't know", "number_as_text": "12", "nan": math.nan, "bool": True, "number": -1,
    "list": [1, 2], "empty_series": pd.Series([], dtype="float64"), "series": pd.Series([1.0, 2.0]),
    "frame": pd.DataFrame({"x": [1]}), "empty_frame": pd.DataFrame(), "pd_na": pd.NA, "object": object(),
}


@pytest.mark.parametrize("task_id", TASK_IDS)
def test_every_task_accepts_its_expected_answer(task_id):
    assert_friendly(exercises.check(task_id, exercises.expected(task_id)), correct=True)


@pytest.mark.parametrize("task_id", TASK_IDS)
def test_every_task_says_not_answered_yet_for_none(task_id):
    assert repr(exercises.check(task_id, None)).startswith("Not answered yet — ")


@pytest.mark.parametrize("bad", sorted(GENERIC_BAD))
@pytest.mark.parametrize("task_id", TASK_IDS)
def test_every_task_answers_bad_input_without_raising(task_id, bad):
    text = assert_friendly(exercises.check(task_id, GENERIC_BAD[bad]))
    assert text.startswith("Not quite — ")


def test_unknown_task_gets_a_message():
    text = repr(exercises.check("no_such_task", 1))
    assert text.startswith("Not quite — ") and "rise_captures" in text


def test_months_divided_by_30_gets_its_hint():
    events = pd.DataFrame(exercises.expected("rise_months_held"))
    answer = events.assign(months=events["months"] * 30.44 / 30)
    assert "30.44" in repr(exercises.check("rise_months_held", answer))


def test_first_instead_of_last_recapture_gets_its_hint():
    from after_mosul.exercises import _months_held
    assert "declaration of victory" in repr(exercises.check("rise_months_held", _months_held(ends="first")))


def test_unconverted_monthly_figures_get_their_hint():
    assert "Multiply them by 12" in repr(exercises.check("finances_spread_2015", 30.0))


def test_partial_2018_count_gets_its_hint():
    partial = 100 * (1669 - 1271) / 1271
    assert "January to October 2018" in repr(exercises.check("desert_change_2019", partial))


def test_missing_data_gets_a_message_not_a_traceback(monkeypatch):
    from after_mosul.data import DataError

    def missing(name):
        raise DataError(f"The file for dataset {name!r} is missing.")

    monkeypatch.setattr(exercises, "load", missing)
    text = repr(exercises.check("mosul_battle_days", 266))
    assert text.startswith("Not quite — ") and "could not load the course data" in text

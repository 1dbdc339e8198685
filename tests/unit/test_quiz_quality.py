"""The quizzes measure reading, not test-taking: where the right answer sits, how long it is,
how many options there are, and whether each chapter asks questions that need its evidence."""

import collections
import os
import subprocess
import sys

import pytest
import yaml

from after_mosul.quiz import QUIZ_DIR, Question, arrange, load_quiz

from ..conftest import ROOT

NAMES = sorted(p.stem for p in QUIZ_DIR.glob("*.yml"))
QUIZZES = {name: load_quiz(name) for name in NAMES}
QUESTIONS = [q for quiz in QUIZZES.values() for q in quiz.questions]
INSTRUCTORS = (ROOT / "pages" / "instructors.md").read_text(encoding="utf-8")


def _raw(name: str) -> list[dict]:
    return yaml.safe_load((QUIZ_DIR / f"{name}.yml").read_text(encoding="utf-8"))["questions"]


def test_there_are_quizzes():
    assert len(NAMES) == 5 and len(QUESTIONS) >= 25


def test_no_position_holds_more_than_35_percent_of_right_answers():
    where = collections.Counter(q.answer for q in QUESTIONS)
    shares = {position + 1: round(count / len(QUESTIONS), 2) for position, count in sorted(where.items())}
    assert max(shares.values()) <= 0.35, f"share of right answers by position: {shares}"


def test_right_answer_is_the_longest_option_in_at_most_35_percent():
    longest = [q.prompt for q in QUESTIONS if len(q.options[q.answer]) >= max(len(o) for o in q.options)]
    share = len(longest) / len(QUESTIONS)
    assert share <= 0.35, f"{len(longest)} of {len(QUESTIONS)} right answers are the longest option: {longest}"


def test_at_least_80_percent_of_questions_have_four_or_more_options():
    few = [q.prompt for q in QUESTIONS if len(q.options) < 4]
    assert 1 - len(few) / len(QUESTIONS) >= 0.8, f"questions with fewer than four options: {few}"


@pytest.mark.parametrize("name", NAMES)
def test_each_quiz_has_two_reasoning_questions_listed_in_the_instructors_guide(name):
    reasoning = [q["prompt"] for q in _raw(name) if q.get("reasoning") is True]
    assert len(reasoning) >= 2, f"{name}: tag at least two questions `reasoning: true`"
    missing = [p for p in reasoning if p not in INSTRUCTORS]
    assert not missing, f"pages/instructors.md does not list these reasoning questions of {name}: {missing}"


def test_options_are_in_the_same_order_in_every_process():
    code = ("from after_mosul.quiz import load_quiz; "
            f"print([q.options for n in {NAMES!r} for q in load_quiz(n).questions])")
    runs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1


def test_arrange_spreads_right_answers_written_first_and_keeps_each_hint_with_its_option():
    questions = tuple(
        Question(f"Question {i}?", ("right", "w1", "w2", "w3"), 0, "why", ("", "h1", "h2", "h3")) for i in range(8)
    )
    arranged = arrange("t", questions)
    assert collections.Counter(q.answer for q in arranged) == {0: 2, 1: 2, 2: 2, 3: 2}
    for question in arranged:
        assert question.options[question.answer] == "right"
        for option, hint in zip(question.options, question.hints):
            assert hint == ("" if option == "right" else "h" + option[1])
    assert arrange("t", questions) == arranged

"""Quizzes work without a kernel, escape their text, teach on wrong answers, and run live."""

import pytest

import after_mosul as course
from after_mosul.quiz import Question, Quiz, QuizError, load_quiz

from ..conftest import CHAPTERS, in_a_fresh_process

QUIZ = Quiz("t", "Test <quiz>", (
    Question("Is <b>this</b> bold?", ("Yes", "No"), 1, "It is escaped.", ("Look at the markup.", "")),
    Question("Two?", ("1", "2", "3"), 1, "One plus one.", ("Too few.", "", "Too many.")),
))


def test_quiz_renders_without_kernel_as_radio_groups_with_hidden_feedback():
    html = QUIZ.to_html()
    assert html.count('type="radio"') == 5
    assert html.count("<fieldset") == 2 and "<legend>1. " in html
    assert html.count('class="quiz-feedback') == 5 and html.count(" hidden>") == 5
    assert 'for="quiz-t-q1-o1"' in html and 'id="quiz-t-q1-o1"' in html
    assert 'role="status"' in html


def test_question_text_is_escaped():
    html = QUIZ.to_html()
    assert "Is &lt;b&gt;this&lt;/b&gt; bold?" in html and "<b>this</b>" not in html
    assert "Quiz: Test &lt;quiz&gt;" in html


def test_wrong_answer_gets_a_hint_and_right_answer_an_explanation():
    question = QUIZ.questions[1]
    assert question.feedback(0) == (False, "Not quite. Too few.")
    assert question.feedback(1) == (True, "Correct. One plus one.")


def test_static_html_is_the_same_in_another_process():
    fresh = in_a_fresh_process("from after_mosul.quiz import load_quiz", "load_quiz('02_mosul').to_html()")
    assert fresh == load_quiz("02_mosul").to_html()


def test_live_widget_shows_feedback_when_an_answer_is_chosen():
    box = QUIZ.widget()
    question_box = box.children[2]
    choice, feedback = question_box.children[1], question_box.children[2]
    choice.value = 0
    assert "Not quite. Too few." in feedback.value
    choice.value = 1
    assert "Correct. One plus one." in feedback.value


def test_live_widget_model_ids_are_deterministic_per_display():
    first, second = QUIZ.widget(), QUIZ.widget()
    assert first.model_id.startswith("quiz-t-") and first.model_id != second.model_id


def test_notebook_display_offers_html_widget_and_text():
    bundle = QUIZ._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", "application/vnd.jupyter.widget-view+json"}
    assert bundle["text/plain"] == "Quiz: Test <quiz> (2 questions)"


@pytest.mark.parametrize("content, message", [
    ("title: x\nquestions:\n  - prompt: p\n    options: [a, b]\n    answer: c\n    explanation: e\n",
     "not one of the options"),
    ("title: x\nquestions:\n  - prompt: p\n    options: [a]\n    answer: a\n    explanation: e\n", "at least two"),
    ("title: x\nquestions:\n  - prompt: p\n    answer: a\n", "missing options, explanation"),
    ("title: x\n", "list of 'questions'"),
    ("title: x\nquestions:\n  - just text\n", "must be a mapping"),
    ("title: x\nquestions:\n  - prompt: p\n    options: [a, b]\n    answer: a\n    explanation: e\n"
     "    hints: {z: h}\n", "do not exist"),
])
def test_malformed_quiz_file_gets_a_message_naming_file_and_question(tmp_path, content, message):
    (tmp_path / "bad.yml").write_text(content, encoding="utf-8")
    with pytest.raises(QuizError, match=message):
        load_quiz("bad", tmp_path)


def test_unknown_quiz_lists_the_known_ones():
    with pytest.raises(QuizError, match="Known quizzes: 01_rise"):
        course.quiz("99_nothing")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_quiz_has_at_least_three_questions_with_hints(chapter):
    quiz = load_quiz(chapter)
    assert len(quiz.questions) >= 3
    for question in quiz.questions:
        wrong = [h for i, h in enumerate(question.hints) if i != question.answer]
        assert all(wrong), f"{chapter}: every wrong option of “{question.prompt}” needs a hint"

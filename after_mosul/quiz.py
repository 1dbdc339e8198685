"""Multiple-choice quizzes that work live (ipywidgets) and in the static book (HTML).

One ``Quiz`` object has two faces:

* in a running notebook, an ipywidgets form: choosing an answer shows at once
  whether it is right and why;
* in the built book, where no kernel runs callbacks, plain HTML radio buttons
  whose feedback appears through CSS (``_static/quiz.css``) and is announced
  to screen readers by ``_static/quiz.js``. It is keyboard-usable because it
  is made of native radio inputs, labels and fieldsets.

The questions of a chapter live in ``chapters/quizzes/<name>.yml``.
"""

from __future__ import annotations

import hashlib
import itertools
import random
import re
from functools import partial
from dataclasses import dataclass
from pathlib import Path

from . import htmltext
from .determinism import widget_model_ids
from .htmltext import NO_MATHS
from .paths import PROJECT_ROOT
from .quiz_schema import QuizError, read_quiz

QUIZ_DIR = PROJECT_ROOT / "chapters" / "quizzes"
_displays = itertools.count()  # keeps model ids unique when a cell runs twice

# ipywidgets gives each radio option one fixed-height, unwrapped line, so a long option
# ran into the next or off the side. Inside a quiz, options wrap and grow to their text.
WIDGET_CSS = (
    "<style>.course-quiz-widget .widget-radio-box label {height: auto !important; "
    "white-space: normal !important; overflow-wrap: anywhere; line-height: 1.4 !important; "
    "align-items: flex-start; margin: 2px 0 6px;}"
    ".course-quiz-widget .widget-radio-box input {flex: none; margin-top: 0.25em;}"
    ".course-quiz-widget .widget-radio, .course-quiz-widget .widget-radio-box {width: 100%; max-width: 100%;}"
    "</style>"
)


def _show_feedback(question: Question, feedback, change) -> None:
    """ipywidgets callback: show whether the chosen option is right, and why."""
    if change["new"] is None:
        return
    correct, text = question.feedback(change["new"])
    colour, mark = ("#1a7f37", "✓") if correct else ("#b3261e", "✗")
    feedback.value = (f'<span class="{NO_MATHS}"><span style="color:{colour}">{mark}</span> '
                      f'{htmltext.text(text)}</span>')


@dataclass(frozen=True)
class Question:
    prompt: str
    options: tuple[str, ...]
    answer: int  # index into options
    explanation: str  # why the right answer is right
    hints: tuple[str, ...] = ()  # one per option; shown when that wrong option is chosen

    def feedback(self, choice: int) -> tuple[bool, str]:
        """(correct?, text) for the option at index ``choice``."""
        if choice == self.answer:
            return True, f"Correct. {self.explanation}"
        hint = self.hints[choice] if choice < len(self.hints) and self.hints[choice] else ""
        return False, f"Not quite. {hint}".strip()


@dataclass(frozen=True)
class Quiz:
    quiz_id: str
    title: str
    questions: tuple[Question, ...]

    # -- static HTML -------------------------------------------------------
    def to_html(self) -> str:
        """The quiz as self-contained, escaped HTML (no kernel needed)."""
        e, a = htmltext.text, htmltext.attribute
        parts = [
            f'<div class="{NO_MATHS}"><form class="course-quiz" id="quiz-{a(self.quiz_id)}" '
            f'aria-label="Quiz: {a(self.title)}">',
            f'<p class="quiz-title"><strong>Quiz: {e(self.title)}</strong> '
            "(choose an answer to see feedback)</p>",
        ]
        for qi, question in enumerate(self.questions, start=1):
            group = f"quiz-{self.quiz_id}-q{qi}"
            parts.append(f'<fieldset class="quiz-question"><legend>{qi}. {e(question.prompt)}</legend>')
            for oi, option in enumerate(question.options):
                correct, text = question.feedback(oi)
                state = "right" if correct else "wrong"
                mark = "✓" if correct else "✗"
                parts.append(
                    f'<div class="quiz-option"><input type="radio" name="{group}" '
                    f'id="{group}-o{oi + 1}" value="{oi + 1}">'
                    f'<label for="{group}-o{oi + 1}">{e(option)}</label>'
                    f'<p class="quiz-feedback quiz-{state}" hidden>'
                    f'<span aria-hidden="true">{mark}</span> {e(text)}</p></div>'
                )
            parts.append('<p class="quiz-status" role="status" aria-live="polite"></p></fieldset>')
        parts.append("</form></div>")
        return "".join(parts)

    # -- live widgets ------------------------------------------------------
    def widget(self):
        """The quiz as ipywidgets: each choice shows its feedback immediately."""
        import ipywidgets as widgets

        with widget_model_ids(f"quiz-{self.quiz_id}-{next(_displays)}"):
            boxes = [widgets.HTML(f'{WIDGET_CSS}<b class="{NO_MATHS}">Quiz: {htmltext.text(self.title)}</b>')]
            for qi, question in enumerate(self.questions, start=1):
                prompt = widgets.HTML(f'<b class="{NO_MATHS}">{qi}. {htmltext.text(question.prompt)}</b>')
                choice = widgets.RadioButtons(
                    options=[(o, i) for i, o in enumerate(question.options)], value=None,
                    layout=widgets.Layout(width="100%"),
                )
                feedback = widgets.HTML("")
                choice.observe(partial(_show_feedback, question, feedback), names="value")
                boxes.append(widgets.VBox([prompt, choice, feedback]))
            form = widgets.VBox(boxes, layout=widgets.Layout(width="100%", max_width="60em"))
            form.add_class("course-quiz-widget")
            return form

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/plain": repr(self), "text/html": self.to_html()}
        try:
            widget_bundle = self.widget()._repr_mimebundle_()
        except ImportError:  # ipywidgets missing: the HTML face still works
            return bundle
        bundle["application/vnd.jupyter.widget-view+json"] = widget_bundle[
            "application/vnd.jupyter.widget-view+json"
        ]
        return bundle

    def __repr__(self) -> str:
        return f"Quiz: {self.title} ({len(self.questions)} questions)"


def _seed(*parts: str) -> int:
    """A seed that depends only on the text (Python's hash() changes between runs)."""
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()[:8], "big")


def _answer_positions(quiz_id: str, sizes: list[int]) -> list[int]:
    """Where each question's right answer goes: every position in turn, in a seeded order.

    Positions are dealt in rounds of four (a shuffled 0, 1, 2, 3 per round), so
    across a quiz the right answers spread evenly; a three-option question
    that draws position 3 takes a seeded position among its own three.
    """
    positions = []
    for index, size in enumerate(sizes):
        round_ = list(range(4))
        random.Random(_seed(quiz_id, "round", str(index // 4))).shuffle(round_)
        position = round_[index % 4]
        if position >= size:
            position = random.Random(_seed(quiz_id, "fallback", str(index))).randrange(size)
        positions.append(position)
    return positions


def arrange(quiz_id: str, questions: tuple[Question, ...]) -> tuple[Question, ...]:
    """The questions with their options in a deterministic shuffled order.

    The order written in the YAML file does not matter: the distractors are
    shuffled with a seed taken from the quiz id and the prompt, and the right
    answer is placed by ``_answer_positions``. The same files always give the
    same order, so stored notebook outputs and the built book stay stable.
    """
    arranged = []
    positions = _answer_positions(quiz_id, [len(q.options) for q in questions])
    for question, position in zip(questions, positions):
        others = [i for i in range(len(question.options)) if i != question.answer]
        random.Random(_seed(quiz_id, question.prompt)).shuffle(others)
        order = others[:position] + [question.answer] + others[position:]
        arranged.append(Question(
            prompt=question.prompt, options=tuple(question.options[i] for i in order), answer=position,
            explanation=question.explanation,
            hints=tuple(question.hints[i] if i < len(question.hints) else "" for i in order),
        ))
    return tuple(arranged)


def load_quiz(name: str, directory: Path = QUIZ_DIR) -> Quiz:
    """The quiz in ``chapters/quizzes/<name>.yml``, checked against the schema (``quiz_schema``)."""
    known = sorted(p.stem for p in Path(directory).glob("*.yml"))
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_-]+", name) or name not in known:
        raise QuizError(f"There is no quiz called {name!r}. Known quizzes: {', '.join(known) or 'none'}.")
    raw = read_quiz(Path(directory) / f"{name}.yml")
    questions = tuple(
        Question(prompt=q["prompt"], options=tuple(q["options"]), answer=q["options"].index(q["answer"]),
                 explanation=q["explanation"], hints=tuple(q["hints"].get(o, "") for o in q["options"]))
        for q in raw["questions"]
    )
    questions = arrange(name, questions)
    return Quiz(quiz_id=name, title=raw["title"], questions=questions)


def quiz(name: str) -> Quiz:
    """Shorthand for notebooks: ``course.quiz("02_mosul")`` displays that chapter's quiz."""
    return load_quiz(name)

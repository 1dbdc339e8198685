"""The PDF handouts: which exist, where they live in the built book, and the quiz keys.

Built by ``book/build_pdfs.py`` (``make pdf``, also run by ``make book``) from the
built HTML with the print stylesheet (_static/devices.css); linked from each page's
download menu by book/sphinx_body.py. One place names them, so links and
files cannot drift apart.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import PurePosixPath

from after_mosul.paths import PROJECT_ROOT

PDF_DIR = "pdf"  # under the built book's root
EXERCISES = PROJECT_ROOT / "exercises" / "student"
INSTRUCTORS_PAGE = "pages/instructors"
NOT_HANDOUTS = {"genindex", "search", "index"}


@dataclass(frozen=True)
class Handout:
    """One PDF: built from ``source`` (a book page name, or a student notebook)."""

    path: str  # relative to the built book's root, e.g. "pdf/01_rise.pdf"
    title: str
    source: str  # a page name ("chapters/01_rise") or "exercises/student/01_rise.ipynb"
    kind: str  # "page", "instructors" or "exercise"


def page_pdf(pagename: str) -> str:
    """Where the handout of a book page lives, relative to the book's root."""
    return f"{PDF_DIR}/{PurePosixPath(pagename).name}.pdf"


def exercise_pdf(stem: str) -> str:
    return f"{PDF_DIR}/exercise-sheet-{stem}.pdf"


def has_handout(pagename: str) -> bool:
    return pagename not in NOT_HANDOUTS


def exercise_for(pagename: str) -> str | None:
    """The student exercise sheet that goes with a chapter page, if there is one."""
    if not pagename.startswith("chapters/"):
        return None
    stem = PurePosixPath(pagename).name
    return exercise_pdf(stem) if (EXERCISES / f"{stem}.ipynb").is_file() else None


def handouts(pages: list[str]) -> list[Handout]:
    """Every handout for the given page names (and every student exercise sheet)."""
    found = []
    for page in pages:
        if has_handout(page):
            kind = "instructors" if page == INSTRUCTORS_PAGE else "page"
            found.append(Handout(page_pdf(page), page, page, kind))
    for notebook in sorted(EXERCISES.glob("*.ipynb")):
        found.append(Handout(exercise_pdf(notebook.stem), f"Exercise sheet {notebook.stem}",
                             f"exercises/student/{notebook.name}", "exercise"))
    return found


def quiz_key_html() -> str:
    """Every chapter quiz with its answers and explanations: the instructor's edition only."""
    from after_mosul.quiz import QUIZ_DIR, load_quiz

    e = html.escape
    parts = ['<section class="quiz-key print-only" id="quiz-answer-keys"><h2>Quiz answer keys</h2>']
    for path in sorted(QUIZ_DIR.glob("*.yml")):
        quiz = load_quiz(path.stem)
        parts.append(f"<h3>Quiz: {e(quiz.title)}</h3>")
        for number, question in enumerate(quiz.questions, start=1):
            answer = question.options[question.answer]
            parts.append(
                f'<div class="quiz-key-question"><p><strong>{number}. {e(question.prompt)}</strong></p>'
                f"<p>Answer: {e(answer)}</p><p>{e(question.explanation)}</p></div>"
            )
    parts.append("</section>")
    return "".join(parts)

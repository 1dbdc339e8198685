"""The list of PDF handouts and the instructor's quiz key (book/handouts.py)."""

from after_mosul.quiz import QUIZ_DIR, load_quiz
from book import handouts


def test_each_page_and_exercise_sheet_has_one_handout_path():
    found = handouts.handouts(["intro", "chapters/01_rise", "pages/instructors", "search", "genindex"])
    paths = [h.path for h in found]
    assert "pdf/intro.pdf" in paths and "pdf/01_rise.pdf" in paths and "pdf/instructors.pdf" in paths
    assert not any("search" in p or "genindex" in p for p in paths)
    assert len(paths) == len(set(paths))
    sheets = [h for h in found if h.kind == "exercise"]
    notebooks = sorted(handouts.EXERCISES.glob("*.ipynb"))
    assert [h.path for h in sheets] == [handouts.exercise_pdf(p.stem) for p in notebooks]
    assert [h.kind for h in found if h.source == "pages/instructors"] == ["instructors"]


def test_chapters_link_their_exercise_sheet_and_other_pages_none():
    assert handouts.exercise_for("chapters/01_rise") == "pdf/exercise-sheet-01_rise.pdf"
    assert handouts.exercise_for("pages/article") is None
    assert handouts.exercise_for("chapters/99_missing") is None


def test_the_quiz_key_holds_every_answer_and_explanation():
    key = handouts.quiz_key_html()
    import html

    for path in sorted(QUIZ_DIR.glob("*.yml")):
        for question in load_quiz(path.stem).questions:
            assert html.escape(question.options[question.answer]) in key
            assert html.escape(question.explanation) in key

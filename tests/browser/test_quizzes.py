"""Every quiz (form.course-quiz) answers in the static book: no kernel, mouse or keyboard alone."""

from __future__ import annotations

from playwright.sync_api import expect


def _questions(page, quiz_id):
    return page.locator(f"form#{quiz_id} fieldset.quiz-question").all()


def _shown_feedback(fieldset) -> list[str]:
    """Texts of the feedback paragraphs visible in a question."""
    return [p.inner_text().strip() for p in fieldset.locator(".quiz-feedback").all() if p.is_visible()]


def _expect_feedback_for(fieldset, option, where: str) -> None:
    radio = option.locator("input[type=radio]")
    expect(radio, f"{where}: the answer was not chosen").to_be_checked(timeout=2000)
    feedback = option.locator(".quiz-feedback")
    expect(feedback, f"{where}: choosing an answer shows no feedback").to_be_visible(timeout=2000)
    text = feedback.inner_text().strip()
    assert _shown_feedback(fieldset) == [text], f"{where}: feedback of other answers is shown too"
    right = "quiz-right" in (feedback.get_attribute("class") or "")
    assert text.lstrip("✓✗ ").startswith("Correct." if right else "Not quite"), f"{where}: feedback {text!r}"
    status = fieldset.locator(".quiz-status")
    assert status.inner_text().strip() == text.lstrip("✓✗ ").strip(), f"{where}: screen readers are not told"


def test_every_quiz_answer_shows_its_feedback_when_clicked(quiz_ref, open_page):
    page_path, quiz_id = quiz_ref
    page, _ = open_page(page_path)
    questions = _questions(page, quiz_id)
    assert questions, f"{page_path}#{quiz_id} has no questions"
    for qi, fieldset in enumerate(questions, start=1):
        assert not _shown_feedback(fieldset), f"{page_path}#{quiz_id} q{qi}: feedback shows before any answer"
        options = fieldset.locator(".quiz-option").all()
        rights = [o for o in options if o.locator(".quiz-right").count()]
        assert len(rights) == 1, f"{page_path}#{quiz_id} q{qi}: {len(rights)} right answers"
        for oi, option in enumerate(options, start=1):
            option.locator("label").click()  # the label, so its link to the radio is tested too
            _expect_feedback_for(fieldset, option, f"{page_path}#{quiz_id} q{qi} option {oi}")


def test_every_quiz_works_from_the_keyboard_alone(quiz_ref, open_page):
    page_path, quiz_id = quiz_ref
    page, _ = open_page(page_path)
    # the reader has reached the quiz: focus sits at its start (not in the tab order itself)
    page.evaluate("id => { const f = document.getElementById(id); f.tabIndex = -1; f.focus(); }", quiz_id)
    for qi, fieldset in enumerate(_questions(page, quiz_id), start=1):
        where = f"{page_path}#{quiz_id} q{qi}"
        options = fieldset.locator(".quiz-option").all()
        page.keyboard.press("Tab")
        first = options[0].locator("input[type=radio]")
        expect(first, f"{where}: Tab does not reach the answers").to_be_focused(timeout=2000)
        page.keyboard.press("Space")
        _expect_feedback_for(fieldset, options[0], f"{where} (Space)")
        page.keyboard.press("ArrowDown")
        _expect_feedback_for(fieldset, options[1], f"{where} (ArrowDown)")

"""Malformed quiz files: every one ends in one QuizError naming the file, the line and the field.

Each case is a whole quiz file as a contributor might write it by mistake (or
on purpose). ``load_quiz`` must raise the course's ``QuizError`` -- any other
exception fails the test, as it would show a student a traceback -- with a
one-line message giving the file, the line and what to fix.
"""

import pytest

from after_mosul.quiz import QuizError, load_quiz

GOOD = """title: A quiz
questions:
  - prompt: Which city?
    options: [Mosul, Tikrit]
    answer: Mosul
    explanation: Because.
    hints:
      Tikrit: Look again.
"""


def swap(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


# (id, file content as str or bytes, words the message must hold besides the file name)
CASES = [
    ("empty-file", "", ["bad.yml is empty"]),
    ("only-a-comment", "# nothing\n", ["bad.yml is empty"]),
    ("syntax-error", "title: [unclosed\n", ["bad.yml, line", "not valid YAML"]),
    ("bad-indentation", swap("    answer: Mosul", "   answer: Mosul"), ["bad.yml, line", "not valid YAML"]),
    ("tab-indentation", swap("    answer: Mosul", "\tanswer: Mosul"), ["bad.yml, line", "not valid YAML"]),
    ("two-documents", GOOD + "---\n" + GOOD, ["bad.yml, line", "not valid YAML"]),
    ("latin-1-bytes", GOOD.encode() + "    # caf\xe9\n".encode("latin-1"), ["bad.yml, line 9", "UTF-8"]),
    ("utf-16", GOOD.encode("utf-16"), ["bad.yml, line 1", "UTF-8"]),
    (
        "python-tag",
        swap("prompt: Which city?", "prompt: !!python/object/apply:os.system [echo hi]"),
        ["line 3", "field 'prompt'", "tag"],
    ),
    (
        "custom-tag",
        swap("explanation: Because.", "explanation: !secret Because."),
        ["line 6", "field 'explanation'", "tag"],
    ),
    ("int-tag", swap("answer: Mosul", "answer: !!int 5"), ["line 5", "field 'answer'", "tag"]),
    ("alias", swap("options: [Mosul, Tikrit]", "options: [&m Mosul, Tikrit, *m]"), ["line 4", "alias"]),
    ("a-list-at-top", "- title: x\n", ["line 1", "mapping with 'title'"]),
    ("text-at-top", "just some text\n", ["line 1", "mapping with 'title'"]),
    ("no-questions", "title: x\n", ["missing questions"]),
    ("no-title", GOOD.replace("title: A quiz\n", ""), ["missing title"]),
    ("empty-questions", "title: x\nquestions: []\n", ["line 2", "field 'questions'", "list of questions"]),
    ("questions-a-mapping", "title: x\nquestions:\n  a: b\n", ["line 3", "field 'questions'"]),
    ("unknown-top-key", GOOD + "shuffle: yes\n", ["line 9", "unknown key 'shuffle'"]),
    (
        "misspelt-hints",
        swap("    hints:", "    hint:"),
        ["line 7", "question 1", "unknown key 'hint'", "Did you mean 'hints'"],
    ),
    (
        "misspelt-explanation",
        swap("explanation: Because.", "explaination: Because."),
        ["line 6", "unknown key 'explaination'"],
    ),
    (
        "duplicate-answer",
        swap("    answer: Mosul\n", "    answer: Mosul\n    answer: Tikrit\n"),
        ["line 6", "'answer' appears twice"],
    ),
    ("duplicate-title", "title: a\n" + GOOD, ["line 2", "'title' appears twice"]),
    ("missing-answer", swap("    answer: Mosul\n", ""), ["line 3", "question 1", "missing answer"]),
    (
        "missing-prompt-and-options",
        swap("  - prompt: Which city?\n    options: [Mosul, Tikrit]\n", "  -\n"),
        ["question 1", "missing prompt, options"],
    ),
    ("question-is-text", "title: x\nquestions:\n  - just text\n", ["line 3", "question 1", "must be a mapping"]),
    ("null-explanation", swap("explanation: Because.", "explanation:"), ["line 6", "field 'explanation'", "empty"]),
    ("tilde-prompt", swap("prompt: Which city?", "prompt: ~"), ["line 3", "field 'prompt'", "empty"]),
    ("blank-title", swap("title: A quiz", "title: '   '"), ["line 1", "field 'title'", "empty"]),
    ("one-option", swap("[Mosul, Tikrit]", "[Mosul]"), ["line 4", "field 'options'", "at least two"]),
    ("options-text", swap("[Mosul, Tikrit]", "Mosul or Tikrit"), ["line 4", "field 'options'", "list"]),
    (
        "option-mapping",
        swap("[Mosul, Tikrit]", "[Mosul, {Tikrit: 1}]"),
        ["line 4", "field 'options' item 2", "found a mapping"],
    ),
    ("option-list", swap("[Mosul, Tikrit]", "[Mosul, [Tikrit]]"), ["line 4", "field 'options' item 2", "found a list"]),
    ("option-null", swap("[Mosul, Tikrit]", "[Mosul, null]"), ["line 4", "field 'options' item 2", "empty"]),
    (
        "identical-options",
        swap("[Mosul, Tikrit]", "[Mosul, Tikrit, ' mosul ']"),
        ["line 4", "item 3", "same as item 1"],
    ),
    (
        "yes-no-options",
        swap("[Mosul, Tikrit]", "[yes, no]")
        .replace("answer: Mosul", "answer: 'yes'")
        .replace("Tikrit: Look", "'no': Look"),
        ["line 4", "field 'options' item 1", "true/false", "quotation marks"],
    ),
    ("on-off-answer", swap("answer: Mosul", "answer: on"), ["line 5", "field 'answer'", "true/false"]),
    (
        "answer-not-an-option",
        swap("answer: Mosul", "answer: Ramadi"),
        ["line 5", "field 'answer'", "not one of the options"],
    ),
    (
        "answer-a-number-not-listed",
        swap("answer: Mosul", "answer: 266"),
        ["line 5", "field 'answer'", "not one of the options"],
    ),
    (
        "hints-a-number",
        swap("    hints:\n      Tikrit: Look again.\n", "    hints: 5\n"),
        ["line 7", "field 'hints'", "mapping"],
    ),
    (
        "hints-a-list",
        swap("    hints:\n      Tikrit: Look again.\n", "    hints: [a, b]\n"),
        ["line 7", "field 'hints'", "mapping"],
    ),
    (
        "hint-for-missing-option",
        swap("      Tikrit: Look again.", "      Ramadi: Look again."),
        ["line 8", "do not exist", "'Ramadi'"],
    ),
    ("hint-null", swap("Tikrit: Look again.", "Tikrit:"), ["line 8", "hint for 'Tikrit'", "empty"]),
    (
        "hint-key-twice",
        swap("      Tikrit: Look again.", "      Tikrit: Look again.\n      Tikrit: Or not."),
        ["line 9", "'Tikrit' appears twice"],
    ),
    (
        "reasoning-text",
        swap("    answer: Mosul", "    reasoning: maybe\n    answer: Mosul"),
        ["line 5", "field 'reasoning'", "true or false"],
    ),
    (
        "reasoning-yes",
        swap("    answer: Mosul", "    reasoning: yes\n    answer: Mosul"),
        ["line 5", "field 'reasoning'", "true or false"],
    ),
    ("merge-key", swap("    hints:", "    <<: {prompt: x}\n    hints:"), ["line 7", "unknown key '<<'"]),
    ("deep-nesting", "title: x\nquestions: " + "[" * 5000, ["bad.yml"]),
]


@pytest.mark.parametrize("content, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_quiz_ends_in_one_readable_message(tmp_path, content, words):
    path = tmp_path / "bad.yml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(QuizError) as caught:
        load_quiz("bad", tmp_path)
    message = str(caught.value)
    assert message.startswith("bad.yml"), message
    for word in words:
        assert word in message, message
    assert "\n" not in message and len(message) < 400, message


def test_there_are_at_least_30_malformed_quiz_cases():
    assert len(CASES) >= 30


def test_the_good_file_loads_with_the_text_as_written(tmp_path):
    content = swap("[Mosul, Tikrit]", "[Mosul, Tikrit, '010', 1.50]").replace(
        "    answer:", "    reasoning: true\n    answer:"
    )
    (tmp_path / "good.yml").write_text(content, encoding="utf-8")
    question = load_quiz("good", tmp_path).questions[0]  # options come shuffled (quiz.arrange)
    assert sorted(question.options) == sorted(["Mosul", "Tikrit", "010", "1.50"])  # numbers stay as written
    assert question.options[question.answer] == "Mosul"
    assert dict(zip(question.options, question.hints)) == {"Mosul": "", "Tikrit": "Look again.", "010": "", "1.50": ""}


@pytest.mark.parametrize("name", ["../secret", "/etc/passwd", "a/b", "", "x.yml", None])
def test_a_quiz_name_cannot_reach_outside_the_quiz_folder(tmp_path, name):
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "secret.yml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(QuizError, match="There is no quiz called"):
        load_quiz(name, tmp_path / "quizzes")

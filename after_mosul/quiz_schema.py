"""Read a quiz file (``chapters/quizzes/<name>.yml``) and check it against the quiz schema.

The schema, in words: a mapping with ``title`` (text) and ``questions`` (a
list); each question a mapping with ``prompt``, ``options`` (a list of at least
two different texts), ``answer`` (one of the options) and ``explanation``,
and optionally ``hints`` (option text -> hint) and ``reasoning`` (true or
false). Every other value is text.

The file is checked on YAML's node tree, before anything is built from it, so
each problem is reported with the file, the line and the field: unknown,
misspelt, duplicate, missing or empty keys, wrong types, tags (``!!python/...``),
aliases, bytes that are not UTF-8, and unquoted ``yes``/``no``/``on``/``off``,
which YAML would turn into true/false. Numbers stay the text the author wrote.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

STR, BOOL, NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
SEQ, MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"

# key -> required?
QUIZ_KEYS = {"title": True, "questions": True}
QUESTION_KEYS = {
    "prompt": True, "options": True, "answer": True, "explanation": True, "hints": False,
    "reasoning": False,  # true: the question needs the chapter's data, map or argument (CONTRIBUTING.md)
}


class QuizError(ValueError):
    """A quiz file is missing or malformed; the message names the file, line and field."""


class _Loader(yaml.SafeLoader):
    """Resolves plain scalars only to null and booleans (to reject them); numbers stay text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag in (BOOL, NULL)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Checker:
    def __init__(self, where: str):
        self.where = where
        self.seen: set[int] = set()

    def fail(self, node: yaml.Node, field: str, detail: str) -> QuizError:
        place = f", {field}" if field else ""
        return QuizError(f"{self.where}, line {node.start_mark.line + 1}{place}: {detail}")

    def visit(self, node: yaml.Node, field: str) -> None:
        if id(node) in self.seen:
            raise self.fail(node, field, "aliases (*name) are not allowed in quiz files; write the text out.")
        self.seen.add(id(node))
        if node.tag not in (STR, BOOL, NULL, SEQ, MAP):
            raise self.fail(node, field, f"the tag {node.tag!r} is not allowed; quiz files hold plain text and lists.")

    def mapping(
        self, node: yaml.Node, field: str, keys: dict[str, bool], what: str, unknown: str = "unknown key"
    ) -> dict[str, yaml.Node]:
        self.visit(node, field)
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, field, f"must be {what}.")
        found: dict[str, yaml.Node] = {}
        for key, value in node.value:
            self.visit(key, field)
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name not in keys:
                shown = repr(name) if name is not None else "a non-text key"
                close = difflib.get_close_matches(str(name), list(keys), n=1)
                advice = f" Did you mean '{close[0]}'?" if close else f" Allowed keys: {', '.join(keys)}."
                raise self.fail(key, field, f"{unknown} {shown}.{advice}")
            if name in found:
                raise self.fail(key, field, f"the key '{name}' appears twice; keep one.")
            found[name] = value
        missing = [k for k, required in keys.items() if required and k not in found]
        if missing:
            raise self.fail(node, field, f"missing {', '.join(missing)}; it must be {what}.")
        return found

    def text(self, node: yaml.Node, field: str) -> str:
        self.visit(node, field)
        if not isinstance(node, yaml.ScalarNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
            raise self.fail(node, field, f"expected text, found {kind}; put the text in quotation marks.")
        if node.tag == BOOL:
            raise self.fail(node, field, f"{node.value} is read by YAML as true/false; put it in quotation marks.")
        if node.tag == NULL or not node.value.strip():
            raise self.fail(node, field, "is empty; write the text.")
        return node.value

    def flag(self, node: yaml.Node, field: str) -> bool:
        self.visit(node, field)
        if not isinstance(node, yaml.ScalarNode) or node.tag != BOOL or node.value not in ("true", "false"):
            raise self.fail(node, field, "expected true or false.")
        return node.value == "true"

    def texts(self, node: yaml.Node, field: str) -> list[str]:
        self.visit(node, field)
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, field, "expected a list of texts (lines starting with '- ').")
        return [self.text(item, f"{field} item {i}") for i, item in enumerate(node.value, 1)]


def _question(check: _Checker, node: yaml.Node, field: str) -> dict:
    keys = check.mapping(node, field, QUESTION_KEYS, "a mapping with prompt, options, answer and explanation")
    options = check.texts(keys["options"], f"{field}, field 'options'")
    if len(options) < 2:
        raise check.fail(keys["options"], f"{field}, field 'options'", "list at least two answers.")
    normal = [" ".join(o.casefold().split()) for o in options]
    for i, option in enumerate(normal):
        if option in normal[:i]:
            raise check.fail(
                keys["options"].value[i],
                f"{field}, field 'options' item {i + 1}",
                f"the same as item {normal.index(option) + 1}; options must differ.",
            )
    if "reasoning" in keys:
        check.flag(keys["reasoning"], f"{field}, field 'reasoning'")
    answer = check.text(keys["answer"], f"{field}, field 'answer'")
    if answer not in options:
        raise check.fail(
            keys["answer"], f"{field}, field 'answer'", "is not one of the options; copy the right option exactly."
        )
    hints = {}
    if "hints" in keys:
        hint_keys = {option: False for option in options}
        for option, value in check.mapping(
            keys["hints"],
            f"{field}, field 'hints'",
            hint_keys,
            "a mapping from option text to hint",
            "hints given for options that do not exist:",
        ).items():
            hints[option] = check.text(value, f"{field}, hint for {option[:40]!r}")
    return {
        "prompt": check.text(keys["prompt"], f"{field}, field 'prompt'"),
        "options": options,
        "answer": answer,
        "explanation": check.text(keys["explanation"], f"{field}, field 'explanation'"),
        "hints": hints,
    }


def read_quiz(path: Path) -> dict:
    """The quiz file at ``path`` as {title, questions: [{prompt, options, answer, explanation, hints}]}."""
    where = Path(path).name
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise QuizError(f"{where} cannot be read ({error.strerror or error}).") from None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise QuizError(
            f"{where}, line {line}: this is not UTF-8 text; save the file with the UTF-8 encoding."
        ) from None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f", line {mark.line + 1}" if mark else ""
        raise QuizError(f"{where}{line}: not valid YAML ({error.problem or error.context}).") from None
    except yaml.YAMLError as error:
        raise QuizError(f"{where}: not valid YAML ({error}).") from None
    except RecursionError:
        raise QuizError(f"{where}: the YAML is nested too deeply.") from None
    if root is None:
        raise QuizError(f"{where} is empty: it needs a 'title' and a list of 'questions'.")
    check = _Checker(where)
    keys = check.mapping(root, "", QUIZ_KEYS, "a mapping with 'title' and a list of 'questions'")
    check.visit(keys["questions"], "field 'questions'")
    if not isinstance(keys["questions"], yaml.SequenceNode) or not keys["questions"].value:
        raise check.fail(keys["questions"], "field 'questions'", "expected a list of questions.")
    return {
        "title": check.text(keys["title"], "field 'title'"),
        "questions": [_question(check, q, f"question {i}") for i, q in enumerate(keys["questions"].value, 1)],
    }

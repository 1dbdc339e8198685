"""In a notebook, a student's mistake with the package gives a message, not a traceback."""

import pytest
from IPython.core.interactiveshell import InteractiveShell

import after_mosul.errors


@pytest.fixture(scope="module")
def shell():
    shell = InteractiveShell.instance()
    assert after_mosul.errors.install(shell)
    return shell


@pytest.mark.parametrize("code, message", [
    ("course.load('evnets')", "DataError: There is no dataset called 'evnets'. Valid names: sources"),
    ("course.quiz('nope')", "QuizError: There is no quiz called 'nope'"),
])
def test_course_errors_show_one_readable_line(shell, capsys, code, message):
    shell.run_cell("import after_mosul as course")
    shell.run_cell(code)
    err = capsys.readouterr()
    printed = err.err + err.out
    assert message in printed and "Traceback" not in printed

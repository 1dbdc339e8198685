"""In a student's notebook, a mistake with the package gives a message, not a traceback; authors keep tracebacks."""

import subprocess
import sys

import pytest
from IPython.core.interactiveshell import InteractiveShell

import after_mosul.errors

MISTAKES = [
    ("course.load('evnets')", "DataError: There is no dataset called 'evnets'. Valid names: sources"),
    ("course.quiz('nope')", "QuizError: There is no quiz called 'nope'"),
]


@pytest.fixture(scope="module")
def shell():
    shell = InteractiveShell.instance()
    after_mosul.errors.student_mode(shell)
    return shell


@pytest.mark.parametrize("code, message", MISTAKES)
def test_in_student_mode_course_errors_show_one_readable_line(shell, capsys, code, message):
    shell.run_cell("import after_mosul as course")
    shell.run_cell(code)
    err = capsys.readouterr()
    printed = err.err + err.out
    assert message in printed and "Traceback" not in printed


def test_importing_the_package_leaves_tracebacks_alone():
    """An author's session (a fresh IPython, the package imported, no student_mode) shows the traceback."""
    code = (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "shell.run_cell('import after_mosul as course')\n"
        "print('handled:', shell.custom_exceptions)\n"
        f"shell.run_cell({MISTAKES[0][0]!r})\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    printed = result.stdout + result.stderr
    assert "handled: ()" in printed
    assert "Traceback" in printed and "DataError" in printed

"""Show the course's own errors to students as one readable message, not a traceback.

The errors raised by the package (a misspelt dataset name, a missing data file,
a malformed row or quiz) already say what is wrong and what to do; in a
student's notebook, the traceback above that message only hides it.

Opt-in: the set-up cell of each chapter and exercise notebook calls
``course.student_mode()``. Importing the package changes nothing, so an
author working on the package keeps full tracebacks.
"""

from __future__ import annotations

import sys


def course_errors() -> tuple[type[Exception], ...]:
    from .article import SeedError
    from .data import DataError
    from .quiz import QuizError

    return (DataError, QuizError, SeedError)


def _show_message(shell, etype, value, tb, tb_offset=None):
    message = f"{etype.__name__}: {value}"
    print(message, file=sys.stderr)
    return [message]


def student_mode(shell=None) -> None:
    """In IPython/Jupyter, print the package's errors as their message alone (elsewhere: nothing to do)."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc(course_errors(), _show_message)

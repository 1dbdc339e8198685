"""Show the course's own errors to students as one readable message, not a traceback.

The errors raised by ``course`` (a misspelt dataset name, a missing data file,
a malformed row or quiz) already say what is wrong and what to do; in a
notebook, the traceback above that message only hides it.
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


def install(shell=None) -> bool:
    """In IPython/Jupyter, print course errors as their message alone. Returns True if installed."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None:
        return False
    shell.set_custom_exc(course_errors(), _show_message)
    return True

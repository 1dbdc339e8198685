"""Answer checkers for the exercise notebooks: immediate feedback that teaches.

Each checker compares a student's answer with the expected one and returns a
``Feedback``, which a notebook shows as a coloured box (HTML) or as one line of
text. It starts with one of three headlines:

* ``Correct — ...`` with a sentence on what the result means;
* ``Not quite — ...`` with a hint that says what to look at, without giving
  the answer away;
* ``Not answered yet — ...`` while the answer is still the placeholder
  ``None`` (or empty text).

The checkers never raise. A wrong *kind* of answer (text for a number, a table
where one number is wanted, an empty result, NaN, a column missing or hidden in
the index) gets a friendly sentence saying what was received and what to do,
never a traceback. ``after_mosul.exercises`` holds the answer key: which checker each
task uses, its expected value (computed from the data) and its hints.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import math
import numbers
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import htmltext
from .htmltext import NO_MATHS

CORRECT, WRONG, UNANSWERED = "correct", "wrong", "unanswered"
HEADLINES = {CORRECT: "Correct", WRONG: "Not quite", UNANSWERED: "Not answered yet"}
_STYLE = {  # (symbol, border colour, background); the symbol and words carry the meaning, not colour
    CORRECT: ("✓", "#1a7f37", "#eef8f1"),
    WRONG: ("✗", "#b3261e", "#fdf0ef"),
    UNANSWERED: ("…", "#6b6b6b", "#f4f4f4"),
}
PLACEHOLDER_HELP = (
    "Replace `None` in the cell above with your code, run that cell, then run this check again."
)


@dataclass(frozen=True)
class Feedback:
    """The result of a check: ``status`` (correct, wrong, unanswered) and a message."""

    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    @property
    def headline(self) -> str:
        return HEADLINES[self.status]

    def __str__(self) -> str:
        return f"{self.headline} — {self.message}".strip()

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        symbol, border, background = _STYLE[self.status]
        return (
            f'<div class="course-check course-check-{self.status} {NO_MATHS}" role="status" '
            f'style="border-left:4px solid {border};background:{background};color:#1f1f1f;'
            f'padding:0.4em 0.8em;margin:0.3em 0">'
            f'<strong><span aria-hidden="true">{symbol}</span> {self.headline}</strong> — '
            f"{_markup(self.message)}</div>"
        )


def _markup(text: str) -> str:
    """Escape ``text`` for HTML (each ``$`` in its own element) and show `backticked` parts as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", htmltext.text(text, quote=False))


def correct(message: str) -> Feedback:
    return Feedback(CORRECT, message)


def wrong(message: str) -> Feedback:
    return Feedback(WRONG, message)


def unanswered(message: str = PLACEHOLDER_HELP) -> Feedback:
    return Feedback(UNANSWERED, message)


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _never_raise(checker: Callable[..., Feedback]) -> Callable[..., Feedback]:
    """Turn any unexpected error inside a checker into a friendly message."""
    if getattr(checker, "never_raises", False):
        return checker

    @functools.wraps(checker)
    def wrapper(answer=None, *args, **kwargs) -> Feedback:
        try:
            return checker(answer, *args, **kwargs)
        except Exception:  # noqa: BLE001 - a check must never show a traceback
            try:
                described = _describe(answer)
            except Exception:  # noqa: BLE001
                described = "an unusual object"
            return wrong(
                f"The checker could not read your answer ({described}). "
                "Look at the task again for the kind of result it asks for, "
                "and print your answer to see what it holds."
            )

    wrapper.never_raises = True
    return wrapper


# -- describing what a student gave ----------------------------------------

def _short(value: object, limit: int = 40) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fmt(number: float) -> str:
    """A number as a reader writes it: 37, 37.5, 0.125 (no float noise)."""
    if isinstance(number, numbers.Integral):
        return f"{int(number):,}"
    number = float(number)
    if number.is_integer() and abs(number) < 1e15:
        return f"{int(number):,}"
    return f"{number:,.4g}" if abs(number) < 1e4 else f"{number:,.1f}"


def _describe(value: object) -> str:
    """What kind of thing ``value`` is, in words a student understands."""
    if value is None:
        return "None"
    if isinstance(value, (bool, np.bool_)):
        return f"{bool(value)} (a yes/no value)"
    if isinstance(value, str):
        return f"the text {_short(value)}"
    if value is pd.NA or value is pd.NaT:
        return "a missing value (NA)"
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return "NaN (“not a number”, a missing value)"
    if isinstance(value, pd.DataFrame):
        return f"a table (DataFrame) with {_count(len(value), 'row')} and {_count(value.shape[1], 'column')}"
    if isinstance(value, pd.Series):
        return f"a Series of {_count(len(value), 'value')}"
    if isinstance(value, pd.Index):
        return f"an Index of {_count(len(value), 'label')}"
    if isinstance(value, (np.ndarray, pd.api.extensions.ExtensionArray)):
        return f"an array of {_count(value.size, 'value')}"
    if isinstance(value, (list, tuple, set, frozenset)):
        return f"a {type(value).__name__} of {_count(len(value), 'item')}"
    if isinstance(value, dict):
        return f"a dict of {_count(len(value), 'item')}"
    if isinstance(value, (pd.Timedelta, dt.timedelta, np.timedelta64)):
        return f"a time span ({_timespan(value)})"
    if isinstance(value, (pd.Timestamp, dt.date, np.datetime64)):
        return f"a date ({_label(value)})"
    if isinstance(value, numbers.Number):
        return f"the number {_short(value)}"
    return f"an object of type {type(value).__name__}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _timespan(value: object) -> str:
    span = pd.Timedelta(value)
    if span == pd.Timedelta(days=span.days):
        return _count(span.days, "day")
    return str(span)


def _is_missing_scalar(value: object) -> bool:
    try:
        return bool(pd.isna(value)) if np.ndim(value) == 0 else False
    except (TypeError, ValueError):
        return False


def _is_blank(answer: object) -> bool:
    """The placeholder: None, ``...`` or empty text."""
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip())


# -- numbers --------------------------------------------------------------

def _as_number(answer: object) -> tuple[float | None, str | None]:
    """(value, None) for a usable real number, else (None, friendly message)."""
    if answer is pd.NA or answer is pd.NaT:
        return None, (
            "Your answer is a missing value (NA). It usually comes from a row that has no value "
            "in that column, or from a filter that matched nothing."
        )
    if isinstance(answer, (bool, np.bool_)):
        return None, (
            f"Your answer is {bool(answer)}, a yes/no value, but this task asks for a number. "
            "A comparison such as `==` or `>` gives True/False; compute the number itself."
        )
    if isinstance(answer, str):
        text = answer.strip().replace(",", "")
        try:
            float(text)
        except ValueError:
            return None, (
                f"Your answer is the text {_short(answer)}, but this task asks for a number. "
                "Write the number without quotation marks, or compute it with pandas."
            )
        return None, (
            f"Your answer is the text {_short(answer)}: it looks like a number but is in quotation "
            f"marks. Write {text} without quotes so Python treats it as a number."
        )
    if isinstance(answer, (pd.Timedelta, dt.timedelta, np.timedelta64)):
        return None, (
            f"Your answer is a time span ({_timespan(answer)}), not a number. "
            "Turn it into a number of days with `.days` (or `.dt.days` for a whole column) "
            "and then into the unit the task asks for."
        )
    if isinstance(answer, (pd.Timestamp, dt.date, np.datetime64)):
        return None, (
            f"Your answer is a date ({_label(answer)}), but this task asks for a number. "
            "Subtracting one date from another gives a time span; `.days` turns it into a number."
        )
    collections = (pd.DataFrame, pd.Series, pd.Index, np.ndarray, pd.api.extensions.ExtensionArray,
                   list, tuple, set, frozenset, dict)
    if isinstance(answer, collections):
        size = answer.size if hasattr(answer, "size") and not isinstance(answer, dict) else len(answer)
        if size == 0:
            return None, (
                f"Your answer is {_describe(answer)}: it is empty. A filter that matches no rows gives "
                "an empty result; check the spelling of the values you filter on "
                "(they are lower case with underscores, such as `mosul_battle`)."
            )
        if size == 1:
            return None, (
                f"Your answer is {_describe(answer)} holding one value, but this task asks for the "
                "number itself. Take it out with `.iloc[0]` (Series), `.item()` or `[0]` (list)."
            )
        return None, (
            f"Your answer is {_describe(answer)}, but this task asks for one number. "
            "Did you forget to pick one row, or to sum, count or average?"
        )
    if isinstance(answer, numbers.Complex) and not isinstance(answer, numbers.Real):
        return None, f"Your answer {answer} is a complex number; this task asks for an ordinary number."
    if isinstance(answer, decimal.Decimal):  # a number, though not numbers.Real: use its value
        answer = float(answer)
    if not isinstance(answer, numbers.Real):
        return None, f"Your answer is {_describe(answer)}, but this task asks for a number."
    value = float(answer)
    if math.isnan(value):
        return None, (
            "Your answer is NaN (“not a number”). It usually means the calculation used a missing "
            "value, or divided zero by zero because a filter matched no rows. Print the rows you "
            "selected to check."
        )
    if math.isinf(value):
        return None, (
            "Your answer is infinite: the calculation probably divided by zero. "
            "Check the number you divide by."
        )
    return value, None


@_never_raise
def check_number(
    answer: object,
    expected: float,
    tolerance: float = 0.0,
    hint: str = "",
    mistakes: Sequence[tuple[float, str]] = (),
    explanation: str = "",
    unit: str = "",
    percent: bool = False,
    decimals: int | None = None,
) -> Feedback:
    """Is ``answer`` a number within ``tolerance`` of ``expected``?

    ``decimals`` is the precision the task asks for (0: "to the nearest whole
    number", 1: "to one decimal"): any answer that rounds to the same value at
    that precision, or is more precise, is accepted (the slack is half a unit
    of the last decimal, or ``tolerance`` if that is larger).
    ``mistakes`` lists (value, hint) pairs for known wrong answers, so a common
    slip gets a hint aimed at it; ``hint`` is shown for any other wrong number.
    With ``percent=True`` a fraction (0.6 for 60) or a ratio (1.14 for a rise
    of 14 percent) gets a hint on turning it into a percentage.
    """
    if _is_blank(answer):
        return unanswered()
    value, problem = _as_number(answer)
    if problem:
        return wrong(problem)
    if decimals is not None:
        tolerance = max(tolerance, 0.5 * 10 ** -decimals)
    slack = tolerance + 1e-9 * max(1.0, abs(expected))
    shown = _fmt(value) if percent else f"{_fmt(value)}{unit}"  # 1.135 is not "1.135%"
    if abs(value - expected) <= slack:
        return correct(_join(f"{_fmt(value)}{unit}.", explanation))
    for mistake, mistake_hint in mistakes:
        if abs(value - mistake) <= slack:
            return wrong(_join(f"Your answer is {shown}.", mistake_hint))
    if percent and abs(value * 100 - expected) <= slack:
        return wrong(f"Your answer is {shown}: it looks like a fraction. Multiply by 100 to get a percentage.")
    if percent and expected and abs(abs(value - 1) * 100 - abs(expected)) <= slack:
        return wrong(
            f"Your answer is {shown}: it looks like a ratio of the two values. A change in percent is "
            "(new − old) ÷ old × 100, which is the ratio minus 1, times 100."
        )
    if expected and abs(value + expected) <= slack:
        return wrong(f"Your answer is {shown}: the size is right but the sign is not. "
                     "Check the order of the subtraction.")
    if value * expected < 0:
        return wrong(_join(
            f"Your answer, {shown}, is {'negative' if value < 0 else 'positive'}, but the answer is "
            f"{'positive' if value < 0 else 'negative'}. Check the order of the subtraction (which value "
            "comes first) and which value you divide by.", hint))
    direction = "too high" if value > expected else "too low"
    return wrong(_join(f"Your answer, {shown}, is {direction}.", hint))


# -- one of several options -------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_QUOTES = {**dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u00b4`"), "'"),
           **dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"), '"')}


def _normalise_option(text: object) -> str:
    """Text as a reader sees it: case, spacing, dash and quote variants, underscores ignored.

    "April-June 2020" matches "April–June 2020" (en dash), "mosul_dam" matches
    "Mosul Dam" and "'c'" or “c” matches "c".
    """
    text = unicodedata.normalize("NFKC", str(text)).translate(_DASHES).translate(_QUOTES)
    text = re.sub(r"\s*-\s*", "-", text.replace("_", " ").casefold())
    return " ".join(text.strip().strip("\"'").strip().strip("().:").split())


@_never_raise
def check_choice(
    answer: object,
    options: Sequence[str] | Mapping[str, str],
    expected: str,
    hints: Mapping[str, str] | None = None,
    explanation: str = "",
) -> Feedback:
    """Is ``answer`` the ``expected`` option? Matching ignores case, spaces and brackets.

    ``options`` is a list of answers (``["Mosul", "Tikrit"]``) or a mapping of
    letters to statements (``{"a": "...", "b": "..."}``); with a mapping the
    student may give the letter or the whole statement. ``hints`` maps each
    wrong option (its letter or text) to a hint that teaches.
    """
    if _is_blank(answer):
        return unanswered(
            "Replace `None` with your choice in quotation marks, for example "
            f"{_example_choice(options)}, run that cell, then run this check again."
        )
    labelled = isinstance(options, Mapping)
    keys = list(options.keys()) if labelled else list(options)
    lookup = {_normalise_option(k): k for k in keys}
    if labelled:
        lookup.update({_normalise_option(text): key for key, text in options.items()})
    listed = ", ".join(str(k) for k in keys)
    if isinstance(answer, (list, tuple, set, frozenset, pd.Series, pd.Index, np.ndarray, dict, pd.DataFrame)):
        return wrong(f"Your answer is {_describe(answer)}; choose exactly one option ({listed}) "
                     "and write it in quotation marks.")
    if isinstance(answer, (bool, np.bool_)):
        return wrong(f"Your answer is {bool(answer)}; choose one of the options ({listed}) "
                     "and write it in quotation marks.")
    if isinstance(answer, numbers.Number):
        return wrong(
            f"Your answer is {_describe(answer)}; write the option itself in quotation marks, "
            f"for example {_example_choice(options)}."
        )
    if not isinstance(answer, str):
        return wrong(f"Your answer is {_describe(answer)}; write one of the options ({listed}) in quotation marks.")
    chosen = lookup.get(_normalise_option(answer))
    if chosen is None:
        return wrong(f"{_short(answer)} is not one of the options. Choose one of: {listed}. Check the spelling.")
    if _normalise_option(chosen) == _normalise_option(expected):
        return correct(explanation or f"{chosen}.")
    hints = {_normalise_option(k): v for k, v in (hints or {}).items()}
    hint = hints.get(_normalise_option(chosen))
    if hint is None and labelled:
        hint = hints.get(_normalise_option(options[chosen]))
    named = f"'{chosen}' ({options[chosen]})" if labelled else f"'{chosen}'"
    return wrong(_join(f"{named} is not the best answer.", hint or "Read the task and the data again."))


def _example_choice(options: Sequence[str] | Mapping[str, str]) -> str:
    first = next(iter(options.keys() if isinstance(options, Mapping) else options), "a")
    return repr(str(first))


# -- columns of values ----------------------------------------------------

def _numeric(series: pd.Series) -> pd.Series | None:
    """The values as float64 (NaN for missing), or None if they are not numbers."""
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_complex_dtype(series.dtype):
        return None
    if pd.api.types.is_numeric_dtype(series.dtype):
        return pd.Series(series.to_numpy(dtype="float64", na_value=np.nan), index=series.index)
    if pd.api.types.is_object_dtype(series.dtype) and all(
        (isinstance(v, (numbers.Real, decimal.Decimal)) and not isinstance(v, (bool, np.bool_)))
        or _is_missing_scalar(v)
        for v in series
    ):
        return pd.to_numeric(series, errors="coerce").astype("float64")
    return None


def _label(value: object) -> str:
    if _is_missing_scalar(value):
        return "(missing)"
    if isinstance(value, (pd.Timestamp, dt.date, np.datetime64)) and not _is_missing_scalar(value):
        stamp = pd.Timestamp(value)
        return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else str(stamp)
    return str(value)


def _list(values: Sequence[object], limit: int = 4) -> str:
    shown = [f"'{_label(v)}'" for v in list(values)[:limit]]
    more = len(values) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _series_problem(answer: object) -> str | None:
    """A message if ``answer`` cannot be read as a Series (dicts are accepted)."""
    if isinstance(answer, pd.DataFrame):
        columns = _list(list(answer.columns))
        if answer.shape[1] == 0:
            return (
                "Your answer is an empty table (DataFrame) with no columns; this task asks for a Series: "
                "one column of values with labels in the index, such as the result of `value_counts()`."
            )
        if answer.shape[1] == 1:
            return (
                f"Your answer is a table with one column ({columns}); this task asks for a Series. "
                "Select the column with single brackets, or use `.squeeze()`."
            )
        return (
            f"Your answer is a table (DataFrame) with the columns {columns}; this task asks for a "
            "Series: one column of values with labels in the index. If you used `.reset_index()`, "
            "leave it out."
        )
    if isinstance(answer, (str, bytes)) or isinstance(answer, numbers.Number) or isinstance(answer, (bool, np.bool_)):
        return (
            f"Your answer is {_describe(answer)}; this task asks for a Series: values with labels, "
            "such as the result of `value_counts()` or `groupby(...).size()`."
        )
    if not isinstance(answer, (pd.Series, dict)):
        return (
            f"Your answer is {_describe(answer)}; this task asks for a pandas Series (values with labels), "
            "such as the result of `value_counts()` or `groupby(...).size()`."
        )
    return None


def _compare_series(answer: pd.Series, expected: pd.Series, tolerance: float, check_order: bool) -> str | None:
    """None if they match, else what differs (without giving the expected values away)."""
    if answer.empty:
        return (
            "Your Series is empty: the filter probably matched no rows. Check the spelling of the "
            "values you filter on (they are lower case with underscores, such as `mosul_battle`)."
        )
    got = [_label(v) for v in answer.index]
    want = [_label(v) for v in expected.index]
    if len(set(got)) != len(got):
        return "Your Series has the same label more than once; group by one column so each label appears once."
    if isinstance(answer.index, pd.RangeIndex) and not isinstance(expected.index, pd.RangeIndex):
        return (
            "Your Series is numbered 0, 1, 2, …: its labels are missing. Keep the labels in the index "
            "(leave out `.reset_index()`, `.values` or `.tolist()`)."
        )
    difference = _difference(got, want, "Your Series", "label(s)")
    if difference:
        return difference
    aligned = pd.Series(list(answer.values), index=got)
    target = pd.Series(list(expected.values), index=want)
    target_numbers = _numeric(target)
    if target_numbers is not None:
        numbers_ = _numeric(aligned)
        if numbers_ is None:
            if any(isinstance(v, numbers.Complex) and not isinstance(v, numbers.Real) for v in aligned):
                return "Your Series holds complex numbers; this task asks for ordinary numbers (counts or amounts)."
            return "Your Series holds text or yes/no values where numbers are expected; compute counts or amounts."
        gaps = [label for label in want if math.isnan(numbers_[label]) and not math.isnan(target_numbers[label])]
        if gaps:
            return f"Your Series has missing values (NaN) for {_list(gaps)}. Check how you computed them."
        off = [label for label in want if not _close(numbers_[label], target_numbers[label], tolerance)]
        if off:
            first = off[0]
            return f"The value for '{first}' ({_fmt(numbers_[first])}) is not right" + (
                f", nor are {len(off) - 1} other(s)." if len(off) > 1 else "."
            )
    else:
        off = [label for label in want if _label(aligned[label]) != _label(target[label])]
        if off:
            return f"The value for '{off[0]}' ({_short(aligned[off[0]])}) is not right."
    if check_order and got != want:
        return "Right values, wrong order. Sort them as the task asks (for example `.sort_values(ascending=False)`)."
    return None


def _close(a: float, b: float, tolerance: float) -> bool:
    if math.isnan(a) and math.isnan(b):
        return True
    return abs(a - b) <= tolerance + 1e-9 * max(1.0, abs(b))


def _difference(got: list, want: list, subject: str, things: str) -> str | None:
    """Which expected labels the answer lacks and which it has too many, in one sentence or two."""
    missing = [w for w in want if w not in got]
    extra = [g for g in got if g not in want]
    if not (missing or extra):
        return None
    parts = []
    if missing:
        parts.append(f"{subject} lacks the {things} {_list(missing)}.")
    if extra:
        parts.append(f"{'It' if missing else subject} has {things} the answer does not: {_list(extra)}.")
    return " ".join(parts) + " Check which rows your filter keeps."


def check_series(
    answer: object,
    expected: pd.Series,
    tolerance: float = 0.0,
    check_order: bool = False,
    hint: str = "",
    mistakes: Sequence[tuple[pd.Series, str]] = (),
    explanation: str = "",
) -> Feedback:
    """Does ``answer`` have the labels and values of ``expected`` (numbers within ``tolerance``)?

    The order of the labels matters only with ``check_order=True``. A dict is
    read as a Series (keys are labels).
    """
    if _is_blank(answer):
        return unanswered()
    problem = _series_problem(answer)
    if problem:
        return wrong(problem)
    series = pd.Series(answer) if isinstance(answer, dict) else answer
    difference = _compare_series(series, expected, tolerance, check_order)
    if difference is None:
        return correct(explanation or "Labels and values match.")
    for alternative, mistake_hint in mistakes:
        if _compare_series(series, alternative, tolerance, check_order) is None:
            return wrong(mistake_hint)
    return wrong(_join(difference, hint))


# -- tables ---------------------------------------------------------------

def _frame_problem(answer: object, columns: Sequence[str]) -> str | None:
    wanted = _list(columns)
    if isinstance(answer, pd.Series):
        name = f" ('{answer.name}')" if answer.name is not None else ""
        return (
            f"Your answer is a Series{name}, one column; this task asks for a table with the columns "
            f"{wanted}. Select several columns with double brackets, `df[['a', 'b']]`, or turn the "
            "index into a column with `.reset_index()`."
        )
    if not isinstance(answer, pd.DataFrame):
        return f"Your answer is {_describe(answer)}; this task asks for a table (DataFrame) with the columns {wanted}."
    if isinstance(answer.columns, pd.MultiIndex):
        return (
            "Your table has two levels of column names (a MultiIndex), which happens after `.agg` with "
            f"several functions or `.unstack()`. Make one column per result, named {wanted}."
        )
    names = [str(c) for c in answer.columns]
    if len(set(names)) != len(names):
        return "Your table has two columns with the same name; give each column its own name."
    missing = [c for c in columns if c not in names]
    if missing:
        in_index = [c for c in missing if c in [str(n) for n in answer.index.names if n is not None]]
        if in_index:
            return (
                f"{_list(in_index)} is in your table's index, not in its columns. "
                "Add `.reset_index()` to turn the index into a column."
            )
        return (
            f"Your table lacks the column(s) {_list(missing)}. It has {_list(names, limit=8) or 'no columns'}. "
            "Check the spelling, or name a new column with `df['name'] = ...`."
        )
    return None


def _compare_frames(
    answer: pd.DataFrame, expected: pd.DataFrame, columns: Sequence[str], key: str | None,
    tolerance: float, check_order: bool,
) -> str | None:
    """None if the listed columns match, else what differs."""
    if answer.empty:
        return (
            "Your table is empty: the filter probably matched no rows. Check the spelling of the "
            "values you filter on (they are lower case with underscores)."
        )
    ours = answer.loc[:, list(columns)].reset_index(drop=True)
    ours.columns = [str(c) for c in ours.columns]
    theirs = expected.loc[:, list(columns)].reset_index(drop=True)
    if key is not None:
        got = [_label(v) for v in ours[key]]
        want = [_label(v) for v in theirs[key]]
        difference = _difference(got, want, "Your table", "row(s)")
        if difference:
            return difference
        if len(set(got)) != len(got):
            return f"Your table has some '{key}' values more than once; each should appear once."
    if len(ours) != len(theirs):
        return f"Your table has {len(ours)} rows; the answer has {len(theirs)}. Check which rows your filter keeps."
    if not check_order:
        order = [key] if key is not None else list(columns)
        ours = _sorted(ours, order)
        theirs = _sorted(theirs, order)
    for column in columns:
        problem = _compare_column(ours, theirs, column, key, tolerance)
        if problem:
            if check_order and _compare_frames(answer, expected, columns, key, tolerance, False) is None:
                return "Right rows, wrong order. Sort the table as the task asks, with `.sort_values(...)`."
            return problem
    return None


def _sorted(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    keys = pd.DataFrame({c: frame[c].map(_label) for c in by})
    order = keys.sort_values(list(by), kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def _compare_column(
    ours: pd.DataFrame, theirs: pd.DataFrame, column: str, key: str | None, tolerance: float
) -> str | None:
    mine, target = ours[column], theirs[column]

    def row(i: int) -> str:
        return f"row '{_label(ours[key].iloc[i])}'" if key is not None else f"row {i + 1}"

    if pd.api.types.is_datetime64_any_dtype(target.dtype):
        if not pd.api.types.is_datetime64_any_dtype(mine.dtype):
            return (
                f"The column '{column}' holds {mine.dtype} values, not dates. Keep the dates from the "
                "data, or convert text with `pd.to_datetime(...)`."
            )
        for i, (a, b) in enumerate(zip(mine, target)):
            same_day = pd.isna(a) or pd.Timestamp(a).normalize() == pd.Timestamp(b).normalize()
            if pd.isna(a) != pd.isna(b) or not same_day:
                return f"In the column '{column}', the date in {row(i)} ({_label(a)}) is not right."
        return None
    target_numbers = _numeric(target)
    if target_numbers is not None:
        numbers_ = _numeric(mine)
        if numbers_ is None:
            return (f"The column '{column}' holds {mine.dtype} values, not numbers. "
                    "Compute it with arithmetic on number columns.")
        for i, (a, b) in enumerate(zip(numbers_, target_numbers)):
            if math.isnan(a) and not math.isnan(b):
                return f"In the column '{column}', {row(i)} has a missing value (NaN). Check how you computed it."
            if not _close(a, b, tolerance):
                return f"In the column '{column}', the value in {row(i)} ({_fmt(a)}) is not right."
        return None
    for i, (a, b) in enumerate(zip(mine, target)):
        if _label(a) != _label(b):
            return f"In the column '{column}', the value in {row(i)} ({_short(a)}) is not right."
    return None


@_never_raise
def check_dataframe(
    answer: object,
    expected: pd.DataFrame,
    columns: Sequence[str] | None = None,
    key: str | None = None,
    tolerance: float = 0.0,
    check_order: bool = False,
    hint: str = "",
    mistakes: Sequence[tuple[pd.DataFrame, str]] = (),
    explanation: str = "",
    only_columns: bool = False,
) -> Feedback:
    """Does the table ``answer`` hold the rows of ``expected`` in the listed ``columns``?

    Other columns of the answer are ignored, unless ``only_columns`` is true
    (the task asks for "only the columns ..."). ``key`` names a column that
    identifies rows (used to say which rows are missing or extra). Rows may come
    in any order unless ``check_order`` is true; numbers may differ by
    ``tolerance``.
    """
    if _is_blank(answer):
        return unanswered()
    columns = [str(c) for c in (columns if columns is not None else expected.columns)]
    problem = _frame_problem(answer, columns)
    if problem:
        return wrong(problem)
    answer = answer.copy()
    answer.columns = [str(c) for c in answer.columns]
    extra = [c for c in answer.columns if c not in columns]
    if only_columns and extra:
        return wrong(
            f"Your table has column(s) the task does not ask for: {_list(extra)}. Keep only "
            f"{_list(columns)}, for example with `.loc[..., {columns!r}]` or `df[{columns!r}]`."
        )
    difference = _compare_frames(answer, expected, columns, key, tolerance, check_order)
    if difference is None:
        return correct(explanation or "Your table has the right rows and values.")
    for alternative, mistake_hint in mistakes:
        if _compare_frames(answer, alternative, columns, key, tolerance, check_order) is None:
            return wrong(mistake_hint)
    return wrong(_join(difference, hint))


# Every public checker is guarded by construction: a checker added without the
# decorator is wrapped here all the same (tests/hostile/test_hostile_checks.py enumerates them).
for _name in [n for n in list(globals()) if n.startswith("check_") and callable(globals()[n])]:
    globals()[_name] = _never_raise(globals()[_name])


__all__ = [
    "Feedback", "check_choice", "check_dataframe", "check_number", "check_series",
    "correct", "unanswered", "wrong",
]

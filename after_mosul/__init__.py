"""Helpers the chapters and exercises share: the article, data, maps, quizzes and answer checks.

In a student's notebook, ``course.student_mode()`` (called in the set-up cell) makes the
package's own errors show as one readable message instead of a traceback (``after_mosul.errors``).
"""

from .article import load_article
from .bibliography import references
from .checks import Feedback, check_choice, check_dataframe, check_number, check_series
from .data import DataError, load
from .errors import student_mode
from .maps import CourseMap, EventLayers, ExtraPlaces, MapView, choropleth_map, event_map, place_map
from .quiz import Quiz, QuizError, quiz

__all__ = [
    "CourseMap", "DataError", "EventLayers", "ExtraPlaces", "Feedback", "MapView", "Quiz", "QuizError",
    "check_choice", "check_dataframe", "check_number", "check_series", "choropleth_map", "event_map", "load",
    "load_article", "place_map", "quiz", "references", "student_mode",
]

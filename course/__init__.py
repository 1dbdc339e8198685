"""Helpers the chapters of the course share: the article, data, maps and quizzes."""

from .article import load_article
from .data import DataError, load
from .maps import CourseMap, choropleth_map, event_map, place_map
from .quiz import Quiz, QuizError, quiz

__all__ = ["CourseMap", "choropleth_map", "event_map", "place_map", "DataError", "Quiz", "QuizError", "load", "load_article", "quiz"]

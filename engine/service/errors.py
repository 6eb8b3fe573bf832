"""The errors the service API raises; each message is meant for the learner to read."""

from __future__ import annotations


class QuizError(Exception):
    """A request the service cannot honour; the message is meant for the learner."""


class TimeRanOutError(QuizError):
    """A timed quiz's time was used up before the answer came; the quiz is finished."""

"""Timed quizzes: reading a time limit ("90s", "30m", "1h", "1h30m") and saying it back.

A timed quiz finishes when its time is used up; the questions not reached are
not held against the learner (they are simply not answered). The time used is
stored with the quiz, so a paused quiz resumes with the time it had left.
"""

from __future__ import annotations

import re

from engine.clock import clock_text, describe_duration

__all__ = [
    "MAX_TIME_LIMIT_SECONDS",
    "MIN_TIME_LIMIT_SECONDS",
    "TimeLimitError",
    "clock_text",
    "describe_duration",
    "parse_time_limit",
    "time_limit_problem",
]

MIN_TIME_LIMIT_SECONDS = 10
MAX_TIME_LIMIT_SECONDS = 24 * 3600
EXAMPLES = "write e.g. 90s, 30m or 1h"

_DURATION = re.compile(r"^(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?$")


class TimeLimitError(ValueError):
    """The text is not a usable time limit; the message says why, for the learner."""


def parse_time_limit(text: str) -> int:
    """Seconds in a duration written with units: ``90s``, ``30m``, ``1h``, ``1h30m``.

    Raises
    ------
    TimeLimitError
        For anything else (a bare number, a negative or zero duration, words), or a
        limit outside 10 seconds to 24 hours.
    """
    value = text.strip().lower().replace(" ", "")
    if value.startswith("-"):
        raise TimeLimitError(f"time limit '{text}' must be positive; {EXAMPLES}")
    match = _DURATION.match(value)
    if not value or match is None:
        raise TimeLimitError(f"time limit '{text}' is not a duration; {EXAMPLES}")
    seconds = (
        int(match.group("h") or 0) * 3600
        + int(match.group("m") or 0) * 60
        + int(match.group("s") or 0)
    )
    problem = time_limit_problem(seconds)
    if problem is not None:
        raise TimeLimitError(f"time limit '{text}': {problem}")
    return seconds


def time_limit_problem(seconds: int) -> str | None:
    """Why `seconds` cannot be a time limit, or None."""
    if not MIN_TIME_LIMIT_SECONDS <= seconds <= MAX_TIME_LIMIT_SECONDS:
        return "must be between 10 seconds and 24 hours"
    return None

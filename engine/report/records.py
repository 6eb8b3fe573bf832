"""The values a report is built from: stored answers and earlier estimates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewOption:
    """An option of a missed choice question, as the learner saw it (letter, screen order)."""

    label: str
    text: str
    correct: bool
    chosen: bool
    feedback: str = ""


@dataclass(frozen=True)
class ResponseRecord:
    """One stored answer with everything the report needs about its item."""

    number: int
    item_id: str
    area: str
    topic: str
    a: float
    b: float
    c: float
    correct: bool
    skipped: bool
    prompt: str = ""
    your_answer: str = ""
    right_answer: str = ""
    explanation: str = ""
    response_time_ms: int = 0
    options: tuple[ReviewOption, ...] = ()  # choice items, in the order shown


@dataclass(frozen=True)
class AreaEstimate:
    estimate: float
    se: float
    answered: int


@dataclass(frozen=True)
class PastQuiz:
    session_id: int
    date: dt.datetime
    answered: int
    areas: Mapping[str, AreaEstimate]


@dataclass(frozen=True)
class PracticeTally:
    """Practice-session answers since a quiz: shown beside the report, never counted in it."""

    sessions: int
    answered: int
    correct: int

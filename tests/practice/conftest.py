"""A database with the shipped bank, a clock the test moves, and the two services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from engine.db.database import Database
from engine.service.practice_service import PracticeService
from engine.service.quiz_service import QuizService
from tests.service.conftest import loaded_database as loaded_database  # the shipped bank

START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@dataclass
class TravelClock:
    """The wall clock a test sets (days and seconds at a time) and a monotonic clock beside it."""

    moment: dt.datetime = START
    seconds: float = 0.0
    step: float = field(default=0.0)  # added to the monotonic clock at every reading

    def now(self) -> dt.datetime:
        return self.moment

    def monotonic(self) -> float:
        self.seconds += self.step
        return self.seconds

    def travel(self, *, days: float = 0, hours: float = 0) -> None:
        self.moment += dt.timedelta(days=days, hours=hours)


@pytest.fixture
def clock() -> TravelClock:
    return TravelClock()


@pytest.fixture
def quizzes(loaded_database: Database, clock: TravelClock) -> QuizService:
    return QuizService(loaded_database, clock=clock)


@pytest.fixture
def practice(quizzes: QuizService) -> PracticeService:
    return PracticeService(quizzes)

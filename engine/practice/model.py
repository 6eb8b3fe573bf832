"""Plain values of practice sessions, exchanged between the practice service and its shells.

A *practice session* (issue #15) is not a quiz in "practice mode": it is spaced
repetition. It brings back the questions a learner missed when FSRS says they
are due, then adds new questions from the weakest topics at a desirable
difficulty. Its answers are kept apart from quiz answers and never move a
readiness estimate.

Light on purpose (no NumPy): the terminal app shows these values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from engine.quiz.model import Feedback, Question

QuestionKind = Literal["review", "new"]

DEFAULT_COUNT = 15
MAX_COUNT = 100
#: The predicted chance of success new questions are chosen near (a documented setting).
DEFAULT_TARGET_SUCCESS = 0.7
MIN_TARGET_SUCCESS = 0.3
MAX_TARGET_SUCCESS = 0.95
#: An item answered (in a quiz or practice) this many days ago or less is not new again.
RECENT_DAYS = 7


@dataclass(frozen=True)
class PracticeRequest:
    """What a learner asked for; no topics and no areas means the latest report's weak topics."""

    learner: str
    topics: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    count: int = DEFAULT_COUNT
    seed: int | None = None
    target_success: float = DEFAULT_TARGET_SUCCESS


@dataclass(frozen=True)
class TopicRef:
    area: str
    topic: str
    title: str


@dataclass(frozen=True)
class PracticeSummary:
    """One practice session as stored."""

    session_id: int
    learner: str
    status: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    count: int
    target_success: float
    topics: tuple[TopicRef, ...]  # where new questions come from
    topics_reason: str  # why those topics, in words
    answered: int
    correct: int


@dataclass(frozen=True)
class PracticeQuestion:
    """A question of a practice session: a due review or a new question, and where we are."""

    question: Question
    kind: QuestionKind
    predicted: float | None  # new questions: the predicted chance of success when chosen
    number: int
    count: int


@dataclass(frozen=True)
class PracticeReceipt:
    """The answer is stored; practice always shows feedback, and when the question is due next."""

    answer_id: int
    feedback: Feedback
    next_due: dt.datetime | None  # None when there is no card (a new question answered right)
    answered: int
    correct: int
    count: int


@dataclass(frozen=True)
class TopicDue:
    """One topic's cards: how many, and how many are due now and within a week."""

    area: str
    topic: str
    title: str
    cards: int
    due_now: int
    due_7d: int


@dataclass(frozen=True)
class PracticeStatus:
    learner: str
    now: dt.datetime
    due_now: int  # due by the end of today
    due_7d: int  # due within the next 7 days, today's included
    cards: int
    next_due: dt.datetime | None
    topics: tuple[TopicDue, ...]


@dataclass(frozen=True)
class TopicTally:
    area: str
    topic: str
    title: str
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class PracticeRecord:
    """A past practice session with its per-topic accuracy, for History."""

    session_id: int
    started_at: dt.datetime
    answered: int
    correct: int
    reviews: int
    topics: tuple[TopicTally, ...]


@dataclass(frozen=True)
class AnkiExport:
    """What `practice export --anki` wrote."""

    path: str
    notes: int
    deck: str

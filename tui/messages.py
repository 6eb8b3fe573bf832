"""Messages that screens and widgets post up to the app, which owns navigation and state."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from engine.quiz.model import Mode, QuizLength


@dataclass
class StartQuiz(Message):
    """The learner asked for a new quiz (no areas means all areas)."""

    areas: tuple[str, ...]
    mode: Mode
    length: QuizLength
    time_limit_s: int | None = None  # a timed exam


@dataclass
class SetupChanged(Message):
    """The new-quiz form changed: the app keeps the choices for when Home shows again."""

    areas: tuple[str, ...]
    mode: Mode
    length_key: str
    time_limit_key: str = "none"


@dataclass
class StartPractice(Message):
    """Open a practice session: the weakest topics, or the topics (or areas) named."""

    topics: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()


@dataclass
class ResumeQuiz(Message):
    quiz_id: int


@dataclass
class ResumeAsked(Message):
    """The learner asked to resume without saying which quiz: the app decides, or asks."""


@dataclass
class QuizEnded(Message):
    """The quiz has no more questions: show its report in place of the quiz.

    ``note`` says why it ended sooner than planned (the bank ran out), if it did.
    """

    quiz_id: int
    note: str = ""


@dataclass
class QuizPaused(Message):
    """The learner left a quiz part-way; every answer is already stored."""

    quiz_id: int
    answered: int


@dataclass
class OpenReport(Message):
    quiz_id: int


@dataclass
class LearnerChosen(Message):
    name: str


@dataclass
class PracticeLeft(Message):
    """The learner left a practice session (every answer is stored): back to Home."""

    answered: int

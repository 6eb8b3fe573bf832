"""What the app knows, held outside the widgets: screens read it, the app writes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.quiz.model import Mode, QuizLength

if TYPE_CHECKING:
    from tui.backend import HomeData, StartupResult


@dataclass(frozen=True)
class LengthChoice:
    key: str
    label: str
    hint: str
    length: QuizLength


LENGTH_CHOICES: tuple[LengthChoice, ...] = (
    LengthChoice("ten", "10 questions", "exactly 10 questions", QuizLength(preset=None, length=10)),
    LengthChoice("quick", "Quick", "4-8 questions per area", QuizLength(preset="quick")),
    LengthChoice("standard", "Standard", "8-15 per area, until precise", QuizLength("standard")),
    LengthChoice("thorough", "Thorough", "15-30 per area, most precise", QuizLength("thorough")),
)
MODE_CHOICES: tuple[tuple[Mode, str, str], ...] = (
    ("practice", "Practice", "feedback after every answer"),
    ("exam", "Exam", "no feedback until the report"),
)


@dataclass
class QuizSetup:
    """The choices on the Home screen, kept when the learner leaves and comes back."""

    areas: tuple[str, ...] = ()
    mode: Mode = "practice"
    length_key: str = "ten"

    @property
    def length(self) -> QuizLength:
        return next(c.length for c in LENGTH_CHOICES if c.key == self.length_key)


@dataclass
class AppState:
    learner: str
    loading: bool = True
    startup: StartupResult | None = None
    error: str | None = None  # the database cannot be used; shown instead of Home's data
    home: HomeData | None = None
    setup: QuizSetup = field(default_factory=QuizSetup)

"""What the app knows, held outside the widgets: screens read it, the app writes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.quiz.model import PRESET_ITEMS_PER_AREA, Mode, QuizLength

if TYPE_CHECKING:
    from tui.backend import HomeData, StartupResult


@dataclass(frozen=True)
class LengthChoice:
    key: str
    label: str
    hint_template: str
    length: QuizLength

    @property
    def hint(self) -> str:
        """The hint, with the preset's items per area filled in."""
        bounds = PRESET_ITEMS_PER_AREA.get(self.length.preset or "", ())
        return self.hint_template.format(*bounds)


LENGTH_CHOICES: tuple[LengthChoice, ...] = (
    LengthChoice("ten", "10 questions", "exactly 10 questions", QuizLength(preset=None, length=10)),
    LengthChoice(
        "quick",
        "Quick",
        "{}-{} questions per area, until the readiness call is clear",
        QuizLength(preset="quick"),
    ),
    LengthChoice(
        "standard",
        "Standard",
        "{}-{} per area, until clear or precise",
        QuizLength(preset="standard"),
    ),
    LengthChoice(
        "thorough",
        "Thorough",
        "{}-{} per area, most precise",
        QuizLength(preset="thorough"),
    ),
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

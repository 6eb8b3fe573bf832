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
# Time limits offered on Home's form for exam mode: (key, label, seconds or None).
TIME_LIMIT_CHOICES: tuple[tuple[str, str, int | None], ...] = (
    ("none", "No limit", None),
    ("15m", "15 min", 15 * 60),
    ("30m", "30 min", 30 * 60),
    ("60m", "1 hour", 60 * 60),
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
    time_limit_key: str = "none"  # exam mode only

    @property
    def length(self) -> QuizLength:
        return next(c.length for c in LENGTH_CHOICES if c.key == self.length_key)

    @property
    def time_limit_s(self) -> int | None:
        """The time limit the quiz gets: the choice, in exam mode; never in practice mode."""
        if self.mode != "exam":
            return None
        return next((s for key, _, s in TIME_LIMIT_CHOICES if key == self.time_limit_key), None)


@dataclass
class AppState:
    learner: str
    loading: bool = True
    startup: StartupResult | None = None
    error: str | None = None  # the database cannot be used; shown instead of Home's data
    home: HomeData | None = None
    setup: QuizSetup = field(default_factory=QuizSetup)

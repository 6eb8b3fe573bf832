"""Plain values exchanged between the quiz service and its shells (CLI, TUI)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeGuard

Mode = Literal["practice", "exam"]
MODES: tuple[Mode, ...] = ("practice", "exam")


def is_mode(value: str) -> TypeGuard[Mode]:
    return value in MODES


PRESET_NAMES = ("quick", "standard", "thorough")
# Items per area of each preset, as plain data so the app can show them before
# NumPy is imported; tests/quiz/test_presets.py keeps them equal to
# engine.irt.plan.QUIZ_PRESETS, which is what the quiz really follows.
PRESET_ITEMS_PER_AREA: dict[str, tuple[int, int]] = {
    "quick": (4, 6),
    "standard": (8, 13),
    "thorough": (15, 25),
}


@dataclass(frozen=True)
class QuizLength:
    """How long a quiz runs: a preset, a fixed length, or a precision target.

    Exactly one way is used: ``preset`` (quick / standard / thorough, see
    docs/engine.md), ``length`` (total questions), or ``se`` with ``max_items``
    (stop each area once its standard error is at most ``se``; never more than
    ``max_items`` questions in all).
    """

    preset: str | None = "standard"
    length: int | None = None
    se: float | None = None
    max_items: int | None = None

    def describe(self) -> str:
        if self.length is not None:
            return f"{self.length} questions"
        if self.se is not None:
            return f"until SE <= {self.se:g} per area (at most {self.max_items} questions)"
        return f"{self.preset} quiz"

    def as_dict(self) -> dict[str, object]:
        return {
            "preset": self.preset,
            "length": self.length,
            "se": self.se,
            "max_items": self.max_items,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> QuizLength:
        """The inverse of `as_dict` (missing keys read as None)."""
        preset = data.get("preset")
        return cls(
            preset=preset if isinstance(preset, str) else None,
            length=_optional_int(data.get("length")),
            se=_optional_float(data.get("se")),
            max_items=_optional_int(data.get("max_items")),
        )


def _optional_int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _optional_float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class QuizRequest:
    learner: str
    areas: tuple[str, ...]
    mode: Mode = "practice"
    length: QuizLength = field(default_factory=QuizLength)
    seed: int | None = None
    time_limit_s: int | None = None  # a timed quiz finishes when this is used up


@dataclass(frozen=True)
class ShownOption:
    """An option as displayed: its label and position on screen, and its authored index."""

    label: str
    index: int
    text: str


@dataclass(frozen=True)
class Question:
    """One question as presented to the learner."""

    session_id: int
    number: int
    item_id: str
    version_id: int
    parameter_set_id: int
    area: str
    area_title: str
    topic: str
    topic_title: str
    type: str
    prompt: str
    options: tuple[ShownOption, ...] = ()
    unit: str | None = None

    @property
    def option_order(self) -> tuple[int, ...]:
        return tuple(option.index for option in self.options)


@dataclass(frozen=True)
class Answer:
    """A learner's answer in the item's own terms (authored option indices)."""

    choices: tuple[int, ...] = ()
    value: bool | None = None
    text: str = ""
    skipped: bool = False

    @classmethod
    def skip(cls) -> Answer:
        return cls(skipped=True)


@dataclass(frozen=True)
class OptionMark:
    """One option of a choice item after an answer: chosen or not, correct or not, and why.

    ``index`` is the authored index; shells show the marks in the order the
    learner saw the options (`Question.options`), with the same letters.
    """

    index: int
    text: str
    correct: bool
    chosen: bool
    feedback: str = ""


@dataclass(frozen=True)
class Feedback:
    correct: bool
    skipped: bool
    your_answer: str
    right_answer: str
    explanation: str
    option_feedback: tuple[str, ...] = ()
    options: tuple[OptionMark, ...] = ()  # choice items: every option, in authored order


@dataclass(frozen=True)
class AreaProgress:
    area: str
    title: str
    answered: int
    estimate: float
    se: float
    finished: bool


@dataclass(frozen=True)
class QuizProgress:
    session_id: int
    answered: int
    max_questions: int | None
    areas: tuple[AreaProgress, ...]
    se_target: float | None
    time_left_s: float | None = None  # a timed quiz's time left when this was made


@dataclass(frozen=True)
class AnswerReceipt:
    """What the learner gets back once the answer is safely stored."""

    response_id: int
    feedback: Feedback | None  # None in exam mode until the end
    progress: QuizProgress


@dataclass(frozen=True)
class QuizSummary:
    session_id: int
    learner: str
    mode: Mode
    areas: tuple[str, ...]
    length: QuizLength
    status: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    answered: int
    time_limit_s: int | None = None
    time_used_s: float = 0.0  # stored: the time used in the sittings so far
    time_ran_out: bool = False

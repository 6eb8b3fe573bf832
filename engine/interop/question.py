"""Moodle's questions as plain values, between the file formats and skillprobe items.

GIFT and Moodle XML describe the same question types (Moodle's), so both
readers produce, and both writers consume, these values. The mapping to and
from skillprobe items (:mod:`engine.interop.mapping`) never sees file syntax,
and the formats never see skillprobe's rules.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class TextFormat(enum.Enum):
    """Moodle's text formats (the names GIFT uses in ``[...]``)."""

    MOODLE = "moodle"  # Moodle auto-format: HTML allowed, line breaks kept
    HTML = "html"
    PLAIN = "plain"
    MARKDOWN = "markdown"


@dataclass(frozen=True)
class RichText:
    text: str
    format: TextFormat = TextFormat.MARKDOWN

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


class QuestionKind(enum.Enum):
    """The Moodle question types skillprobe can carry over."""

    MULTICHOICE = "multichoice"
    TRUEFALSE = "truefalse"
    SHORTANSWER = "shortanswer"
    NUMERICAL = "numerical"


@dataclass(frozen=True)
class Answer:
    """One answer of a question, with Moodle's grade as a fraction in [-1, 1].

    Choice and short answers have `text`; numerical answers have `value` and
    `tolerance` (`value` None is Moodle's catch-all ``*`` for any other answer).
    True/false questions have two answers whose text is "true" and "false".
    """

    text: RichText
    fraction: float
    feedback: RichText | None = None
    value: float | None = None
    tolerance: float | None = None


@dataclass(frozen=True)
class Unit:
    name: str
    multiplier: float = 1.0


@dataclass(frozen=True)
class Question:
    kind: QuestionKind
    text: RichText
    answers: tuple[Answer, ...]
    line: int = 0
    name: str | None = None
    general_feedback: RichText | None = None
    category: str | None = None
    single: bool = True  # multichoice: one answer (radio buttons) or several (check boxes)
    shuffle: bool | None = None  # None: the format did not say
    tags: tuple[str, ...] = ()
    idnumber: str | None = None
    units: tuple[Unit, ...] = ()
    units_graded: bool = False
    case_sensitive: bool = False  # shortanswer
    # skillprobe's own data, carried in the format's extension point (see metadata.py).
    metadata: dict[str, Any] | None = None
    # What the reader saw and could not keep (embedded files, hints, ...), for the report.
    losses: tuple[str, ...] = field(default=())

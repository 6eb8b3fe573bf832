"""The bank as plain values: what the loader produces and the rest of skillprobe reads.

These dataclasses carry no YAML, pydantic or database types, so the engine's
pure code, the service layer and the TUI can all share them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Author difficulty 1..5 -> prior b, evenly spaced over the central +-2 SD of abilities.
DIFFICULTY_TO_B = {1: -2.0, 2: -1.0, 3: 0.0, 4: 1.0, 5: 2.0}
_DIFFICULTY_FROM_B = {b: level for level, b in DIFFICULTY_TO_B.items()}
DEFAULT_DISCRIMINATION = 1.0
TRUE_FALSE_GUESSING = 0.5


@dataclass(frozen=True)
class OptionSpec:
    text: str
    correct: bool = False
    feedback: str | None = None


@dataclass(frozen=True)
class ItemSpec:
    """One question as authored, with its area, topic and prior IRT parameters."""

    id: str
    area: str
    topic: str
    type: str
    prompt: str
    explanation: str
    a: float
    b: float
    c: float
    parameter_source: str  # "difficulty" or "irt": where a, b, c came from
    difficulty: int | None = None
    options: tuple[OptionSpec, ...] = ()
    shuffle: bool = True
    answer: bool | float | None = None  # true_false and numeric
    absolute_tolerance: float | None = None
    relative_tolerance: float | None = None
    unit: str | None = None
    accept: tuple[str, ...] = ()
    pattern: str | None = None
    tags: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    source_path: Path | None = field(default=None, compare=False)
    source_line: int = field(default=0, compare=False)

    def content(self) -> dict[str, Any]:
        """What a learner sees and is graded against; hashed to detect edits."""
        content: dict[str, Any] = {
            "type": self.type,
            "prompt": self.prompt,
            "explanation": self.explanation,
            "shuffle": self.shuffle,
            "tags": list(self.tags),
            "references": list(self.references),
        }
        if self.options:
            content["options"] = [
                {"text": o.text, "correct": o.correct, "feedback": o.feedback} for o in self.options
            ]
        if self.type in ("true_false", "numeric"):
            content["answer"] = self.answer
        if self.type == "numeric":
            content["absolute_tolerance"] = self.absolute_tolerance
            content["relative_tolerance"] = self.relative_tolerance
            content["unit"] = self.unit
        if self.type == "text":
            content["accept"] = list(self.accept)
            content["pattern"] = self.pattern
        return content

    @classmethod
    def from_content(
        cls,
        item_id: str,
        area: str,
        topic: str,
        content: dict[str, Any],
        parameters: tuple[float, float, float],
        parameter_source: str,
    ) -> ItemSpec:
        """The inverse of `content`: rebuild an item from a stored version."""
        a, b, c = parameters
        # The authored level is not content; recover it from a prior that came from it.
        difficulty = _DIFFICULTY_FROM_B.get(b) if parameter_source == "difficulty" else None
        return cls(
            id=item_id,
            area=area,
            topic=topic,
            type=content["type"],
            prompt=content["prompt"],
            explanation=content["explanation"],
            a=a,
            b=b,
            c=c,
            parameter_source=parameter_source,
            difficulty=difficulty,
            options=tuple(
                OptionSpec(o["text"], bool(o["correct"]), o.get("feedback"))
                for o in content.get("options", ())
            ),
            shuffle=bool(content.get("shuffle", True)),
            answer=content.get("answer"),
            absolute_tolerance=content.get("absolute_tolerance"),
            relative_tolerance=content.get("relative_tolerance"),
            unit=content.get("unit"),
            accept=tuple(content.get("accept", ())),
            pattern=content.get("pattern"),
            tags=tuple(content.get("tags", ())),
            references=tuple(content.get("references", ())),
        )

    @property
    def content_hash(self) -> str:
        return content_hash(self.content())

    @property
    def correct_options(self) -> tuple[int, ...]:
        return tuple(i for i, option in enumerate(self.options) if option.correct)


def content_hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CutScores:
    developing: float
    job_ready: float
    strong: float


@dataclass(frozen=True)
class TopicInfo:
    id: str
    area: str
    title: str
    description: str
    study: tuple[str, ...] = ()


@dataclass(frozen=True)
class AreaInfo:
    id: str
    title: str
    description: str
    cut_scores: CutScores
    topics: tuple[TopicInfo, ...] = ()


@dataclass(frozen=True)
class Bank:
    """A whole validated bank: areas with their topics, and the items."""

    areas: tuple[AreaInfo, ...]
    items: tuple[ItemSpec, ...]

    fingerprint: str = ""  # digest of the source files (see `engine.bank.loader.bank_digest`)


def default_guessing(item_type: str, option_count: int) -> float:
    """The chance of a blind guess being right, the default lower asymptote c."""
    if item_type == "single":
        return 1.0 / option_count
    if item_type == "true_false":
        return TRUE_FALSE_GUESSING
    return 0.0

"""What a quiz stores as JSON: a learner's answer and the quiz's settings.

The formats are the stored ones, so old rows read back unchanged:
an answer is ``{"choices": [...], "value": bool|null, "text": str, "skipped": bool}``;
settings are ``{"length": {...}, "priors": {area: [mean, sd]}}``, plus
``"time_limit_s": seconds`` for a timed quiz.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from engine.quiz.model import Answer, QuizLength

Prior = tuple[float, float]  # mean and standard deviation of an area's starting ability


def encode_answer(answer: Answer) -> str:
    return json.dumps(
        {
            "choices": list(answer.choices),
            "value": answer.value,
            "text": answer.text,
            "skipped": answer.skipped,
        }
    )


def decode_answer(raw: str) -> Answer:
    data = json.loads(raw)
    value = data.get("value")
    return Answer(
        choices=tuple(int(choice) for choice in data.get("choices", ())),
        value=value if isinstance(value, bool) else None,
        text=str(data.get("text", "")),
        skipped=bool(data.get("skipped", False)),
    )


@dataclass(frozen=True)
class QuizSettings:
    """How long the quiz runs, where each area's ability starts, and any time limit."""

    length: QuizLength
    priors: Mapping[str, Prior] = field(default_factory=dict)
    time_limit_s: int | None = None

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "length": self.length.as_dict(),
            "priors": {area: [mean, sd] for area, (mean, sd) in self.priors.items()},
        }
        if self.time_limit_s is not None:
            data["time_limit_s"] = self.time_limit_s
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> QuizSettings:
        length = data.get("length", {})
        priors = data.get("priors", {})
        limit = data.get("time_limit_s")
        return cls(
            length=QuizLength.from_dict(length if isinstance(length, Mapping) else {}),
            priors={
                str(area): (float(mean), float(sd))
                for area, (mean, sd) in (priors.items() if isinstance(priors, Mapping) else ())
            },
            time_limit_s=limit if isinstance(limit, int) and not isinstance(limit, bool) else None,
        )

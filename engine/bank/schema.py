"""The structure of the YAML bank, as typed models.

These models are the single source of truth for what a topic file and
``areas.yaml`` may contain: the loader validates with them and
``quizzes/schema.json`` is generated from them (``skillprobe bank schema``).
Rules that need the whole bank or several fields at once (duplicate ids, the
keyed option, code fences) live in :mod:`engine.bank.checks`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, TypeAdapter

IDENTIFIER_PATTERN = r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$"

Identifier = Annotated[
    str,
    Field(
        pattern=IDENTIFIER_PATTERN,
        min_length=1,
        max_length=80,
        description="Lowercase letters and digits, separated by '-' or '.'.",
    ),
]
Markdown = Annotated[str, Field(min_length=1, description="Markdown text.")]
ShortText = Annotated[str, Field(min_length=1, max_length=500)]

ITEM_TYPES = ("single", "multiple", "true_false", "numeric", "text")
MIN_OPTIONS = 2
MAX_OPTIONS = 8


class _Strict(BaseModel):
    # strict: YAML's `yes` or `3` must not silently become the string "True" or "3".
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class IrtParameters(_Strict):
    """Explicit 3PL parameters on the logistic metric (D = 1)."""

    a: float = Field(gt=0, le=10, description="Discrimination, > 0.")
    b: float = Field(ge=-6, le=6, description="Difficulty on the ability scale.")
    c: float = Field(default=0.0, ge=0, lt=1, description="Guessing (lower asymptote), in [0, 1).")
    anchor: bool = Field(
        default=False,
        description="Hold these values fixed in calibration: the item anchors the ability "
        "scale, so the cut scores keep their meaning (see docs/authoring.md).",
    )


class Option(_Strict):
    text: ShortText = Field(description="What the learner sees (Markdown, inline).")
    correct: bool = Field(default=False, description="Mark the right option(s) with true.")
    feedback: Markdown | None = Field(
        default=None, description="Shown when a learner picks this option: why it is tempting."
    )


class Tolerance(_Strict):
    absolute: float | None = Field(default=None, ge=0, description="Accept |x - answer| <= this.")
    relative: float | None = Field(
        default=None, ge=0, description="Accept |x - answer| <= this * |answer|."
    )


class _ItemBase(_Strict):
    id: Identifier = Field(description="Stable id, unique in the bank. Never reuse one.")
    prompt: Markdown
    explanation: Markdown = Field(description="Why the answer is right and the others wrong.")
    difficulty: int | None = Field(
        default=None, ge=1, le=5, description="Author's prior: 1 (easy) to 5 (hard)."
    )
    irt: IrtParameters | None = None
    tags: list[ShortText] = Field(default_factory=list)
    references: list[ShortText] = Field(default_factory=list)


class _ChoiceItemBase(_ItemBase):
    options: list[Option] = Field(min_length=MIN_OPTIONS, max_length=MAX_OPTIONS)
    shuffle: bool = Field(default=True, description="Shuffle options for each presentation.")


class SingleChoiceItem(_ChoiceItemBase):
    type: Literal["single"]


class MultipleChoiceItem(_ChoiceItemBase):
    type: Literal["multiple"]


class TrueFalseItem(_ItemBase):
    type: Literal["true_false"]
    answer: bool


class NumericItem(_ItemBase):
    type: Literal["numeric"]
    answer: float
    tolerance: Tolerance | None = None
    unit: ShortText | None = None


class TextItem(_ItemBase):
    type: Literal["text"]
    accept: list[ShortText] = Field(default_factory=list)
    pattern: ShortText | None = Field(
        default=None, description="Regular expression, matched case-insensitively."
    )


Item = Annotated[
    SingleChoiceItem | MultipleChoiceItem | TrueFalseItem | NumericItem | TextItem,
    Field(discriminator="type"),
]

ITEM_MODELS: dict[str, type[_ItemBase]] = {
    "single": SingleChoiceItem,
    "multiple": MultipleChoiceItem,
    "true_false": TrueFalseItem,
    "numeric": NumericItem,
    "text": TextItem,
}


class TopicFile(RootModel[list[Item]]):
    """A topic file: a list of items."""


class CutScores(_Strict):
    developing: float
    job_ready: float
    strong: float


class TopicSpec(_Strict):
    id: Identifier
    title: ShortText
    description: ShortText
    study: list[ShortText] = Field(default_factory=list)


class AreaSpec(_Strict):
    id: Identifier
    title: ShortText
    description: ShortText
    cut_scores: CutScores
    topics: list[TopicSpec] = Field(min_length=1)


class AreasFile(_Strict):
    areas: list[AreaSpec] = Field(min_length=1)


TOPIC_FILE_ADAPTER: TypeAdapter[list[Item]] = TypeAdapter(list[Item])


def topic_file_json_schema() -> dict[str, object]:
    schema = TopicFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "skillprobe topic file"
    return schema


def areas_file_json_schema() -> dict[str, object]:
    schema = AreasFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "skillprobe areas.yaml"
    return schema

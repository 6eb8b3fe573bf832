"""An authored item shown as a quiz question, for the bank browser and the author preview.

The quiz service decides what learners see in a real quiz; here the same
`Question` value is built from an `ItemSpec` (options in authored order,
True/False labels as in the quiz) so previews render through the very same
widgets. Trying an answer is marked with the engine's own pure functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.quiz.model import Answer, Feedback, Question
from engine.quiz.presentation import authored_order, present

if TYPE_CHECKING:
    from engine.bank.model import ItemSpec

TYPE_NAMES = {
    "single": "one answer",
    "multiple": "several answers",
    "true_false": "true or false",
    "numeric": "number",
    "text": "short text",
}


def question_for_item(
    item: ItemSpec,
    *,
    area_title: str | None = None,
    topic_title: str | None = None,
    number: int = 1,
) -> Question:
    """The question exactly as a quiz would show it, with the options in authored order."""
    return present(
        item,
        authored_order(item),
        area_title=area_title or item.area,
        topic_title=topic_title or item.topic,
        number=number,
    )


def mark(item: ItemSpec, answer: Answer) -> Feedback:
    """Feedback for a tried answer, exactly as practice mode would give it."""
    from engine.quiz.marking import feedback, is_correct

    return feedback(item, answer, is_correct(item, answer))


def answer_key(item: ItemSpec) -> Feedback:
    """The revealed answer: the key, the explanation and every option marked, with its feedback."""
    from engine.quiz.marking import describe_key, option_marks

    return Feedback(
        correct=True,
        skipped=False,
        your_answer="",
        right_answer=describe_key(item),
        explanation=item.explanation,
        options=option_marks(item, Answer()),
    )


SHORT_TYPE_NAMES = {
    "single": "one",
    "multiple": "many",
    "true_false": "T/F",
    "numeric": "num",
    "text": "text",
}


def difficulty_level(item: ItemSpec) -> int:
    """The author's 1-5 difficulty, or the nearest level to the item's b.

    Items read back from the database carry b, not the authored level; authored
    levels map to b = -2, -1, 0, 1, 2 (docs/authoring.md), so rounding recovers them.
    """
    if item.difficulty is not None:
        return item.difficulty
    return min(5, max(1, round(item.b) + 3))


def difficulty_label(item: ItemSpec) -> str:
    if item.parameter_source == "irt" and item.difficulty is None:
        return f"b{item.b:+.1f}"
    return f"d{difficulty_level(item)}"

"""Marking an answer and writing the feedback a learner sees: pure functions."""

from __future__ import annotations

from engine.bank.model import ItemSpec
from engine.quiz.grading import (
    grade_multiple,
    grade_numeric,
    grade_single,
    grade_text,
    grade_true_false,
)
from engine.quiz.model import Answer, Feedback, OptionMark

SKIPPED_TEXT = "skipped (I don't know)"


def is_correct(item: ItemSpec, answer: Answer) -> bool:
    """Skipping counts as wrong: honest for the ability estimate."""
    if answer.skipped:
        return False
    if item.type == "single":
        return grade_single(item, answer.choices[0] if len(answer.choices) == 1 else None)
    if item.type == "multiple":
        return grade_multiple(item, answer.choices)
    if item.type == "true_false":
        return grade_true_false(item, answer.value)
    if item.type == "numeric":
        return grade_numeric(item, answer.text)
    return grade_text(item, answer.text)


def describe_answer(item: ItemSpec, answer: Answer) -> str:
    """The learner's answer in words, as stored and shown in reviews."""
    if answer.skipped:
        return SKIPPED_TEXT
    if item.type in ("single", "multiple"):
        return "; ".join(item.options[i].text for i in answer.choices)
    if item.type == "true_false":
        return "True" if answer.value else "False"
    return answer.text.strip()


def describe_key(item: ItemSpec) -> str:
    """The right answer in words."""
    if item.type in ("single", "multiple"):
        return "; ".join(item.options[i].text for i in item.correct_options)
    if item.type == "true_false":
        return "True" if item.answer else "False"
    if item.type == "numeric":
        key = f"{item.answer:g}"
        if item.absolute_tolerance:
            key += f" (± {item.absolute_tolerance:g})"
        elif item.relative_tolerance:
            key += f" (± {item.relative_tolerance:.0%})"
        return f"{key} {item.unit}" if item.unit else key
    if item.accept:
        return item.accept[0]
    return f"text matching /{item.pattern}/"


def option_marks(item: ItemSpec, answer: Answer) -> tuple[OptionMark, ...]:
    """Every option of a single or several-answer item, marked chosen and correct.

    Empty for other types. In authored order; each carries its own feedback,
    so a shell can explain every option, ticked or not.
    """
    if item.type not in ("single", "multiple"):
        return ()
    chosen = set() if answer.skipped else set(answer.choices)
    return tuple(
        OptionMark(index, option.text, option.correct, index in chosen, option.feedback or "")
        for index, option in enumerate(item.options)
    )


def feedback(item: ItemSpec, answer: Answer, correct: bool) -> Feedback:
    chosen_feedback: tuple[str, ...] = ()
    if item.type in ("single", "multiple") and not correct:
        chosen_feedback = tuple(
            f"{item.options[i].text}: {item.options[i].feedback}"
            for i in answer.choices
            if item.options[i].feedback and not item.options[i].correct
        )
    return Feedback(
        correct=correct,
        skipped=answer.skipped,
        your_answer=describe_answer(item, answer),
        right_answer=describe_key(item),
        explanation=item.explanation,
        option_feedback=chosen_feedback,
        options=option_marks(item, answer),
    )

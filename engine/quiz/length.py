"""The rules of a quiz's length: which choices are allowed, and the engine plan for each.

A `QuizLength` is a preset (docs/engine.md), a fixed number of questions, or
a precision target with a cap. `length_problem` says what is wrong with one a
learner asked for; `plan_for_length` turns a valid one into the adaptive test
plan the engine follows, with the question cap and SE target the screens show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engine.irt.plan import QUIZ_PRESETS, AdaptiveTestPlan
from engine.irt.stopping import AnyOf, MaxItems, StandardErrorTarget
from engine.quiz.model import PRESET_NAMES, QuizLength

MAX_LENGTH = 200
MIN_SE_TARGET = 0.05
MAX_SE_TARGET = 1.0


def length_problem(length: QuizLength) -> str | None:
    """Why `length` cannot be used (a sentence for the learner), or None when it can."""
    if length.length is not None:
        if not 1 <= length.length <= MAX_LENGTH:
            return f"quiz length must be between 1 and {MAX_LENGTH}"
        return None
    if length.se is not None:
        if not MIN_SE_TARGET <= length.se <= MAX_SE_TARGET:
            return "the precision target (SE) must be between 0.05 and 1"
        if length.max_items is None or not 1 <= length.max_items <= MAX_LENGTH:
            return f"give a maximum number of items between 1 and {MAX_LENGTH}"
        return None
    if length.preset not in PRESET_NAMES:
        return f"unknown quiz length '{length.preset}'; use {', '.join(PRESET_NAMES)}"
    return None


@dataclass(frozen=True)
class LengthPlan:
    """The engine plan for a length choice, with what the progress display needs."""

    plan: AdaptiveTestPlan
    max_questions: int | None  # a hard cap on questions, when there is one
    se_target: float | None  # the per-area precision target, when there is one


def plan_for_length(
    length: QuizLength,
    cut_scores: Mapping[str, float],
    level_cuts: Mapping[str, Sequence[float]] | None = None,
) -> LengthPlan:
    """The plan for a valid `length`; presets classify against the areas' job-ready cuts.

    ``level_cuts`` (every level cut per area) is where items are aimed while an
    estimate is near one of them (`AdaptiveTestPlan.level_cuts`); default the
    job-ready cuts.
    """
    cuts = dict(level_cuts) if level_cuts is not None else dict(cut_scores)
    if length.length is not None:
        plan = AdaptiveTestPlan(stopping=MaxItems(length.length), level_cuts=cuts)
        return LengthPlan(plan, length.length, None)
    if length.se is not None:
        stopping = AnyOf(StandardErrorTarget(length.se), MaxItems(length.max_items or MAX_LENGTH))
        return LengthPlan(
            AdaptiveTestPlan(stopping=stopping, level_cuts=cuts), length.max_items, length.se
        )
    config = QUIZ_PRESETS[length.preset or "standard"]
    plan = config.plan(cut_scores=dict(cut_scores), level_cuts=cuts)
    return LengthPlan(plan, None, config.se_target)

"""A quiz in progress, held in memory between calls and rebuilt from its stored answers.

The memory is only a cache: `replay` rebuilds the same state from the stored
responses through the same pure functions, so a resumed quiz has the same
answered items and estimates, and the next item is chosen afresh. Whether an
answer counted is read back as stored, never decided again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine.bank.model import ItemSpec
from engine.db import quiz_store
from engine.irt.plan import AdaptiveTestPlan, counts_toward_estimates
from engine.irt.state import AdaptiveTestState, record_response, start_test
from engine.quiz.length import plan_for_length
from engine.quiz.model import AreaProgress, Question, QuizProgress
from engine.service import history
from engine.service.askable_bank import AskableBank
from engine.service.converters import quiz_settings


@dataclass
class LiveQuiz:
    stored: quiz_store.StoredQuiz
    plan: AdaptiveTestPlan
    state: AdaptiveTestState
    seen: np.ndarray  # every item this learner was ever asked (quizzes, practice): not repeated
    key_shown: np.ndarray  # items whose key this learner was shown: a repeat is not counted
    max_questions: int | None
    se_target: float | None
    pending: tuple[Question, ItemSpec] | None = None  # asked, not yet answered
    finished: bool = False
    # A timed quiz's clock: the limit, the time used before this sitting, and when this
    # sitting started on the service's monotonic clock (None while the quiz is paused).
    time_limit_ms: int | None = None
    time_used_before_ms: int = 0
    sitting_started: float | None = 0.0

    def counts(self, bank: AskableBank, position: int) -> bool:
        """Whether an answer to the item at ``position`` counts in the estimates now."""
        return counts_toward_estimates(position, pretest=bank.pretest, key_shown=self.key_shown)

    def time_used_ms(self, monotonic_now: float) -> int:
        """Time used in every sitting so far, this one included."""
        if self.sitting_started is None:
            return self.time_used_before_ms
        running = round((monotonic_now - self.sitting_started) * 1000)
        return self.time_used_before_ms + max(0, running)

    def pause(self, monotonic_now: float) -> None:
        """Stop the clock: the time used so far is kept, paused time does not count."""
        self.time_used_before_ms = self.time_used_ms(monotonic_now)
        self.sitting_started = None

    def resume(self, monotonic_now: float) -> None:
        if self.sitting_started is None:
            self.sitting_started = monotonic_now

    def time_left_s(self, monotonic_now: float) -> float | None:
        """Seconds left on a timed quiz (never below zero), or None when it is not timed."""
        if self.time_limit_ms is None:
            return None
        return max(0.0, (self.time_limit_ms - self.time_used_ms(monotonic_now)) / 1000)


def replay(
    bank: AskableBank,
    stored: quiz_store.StoredQuiz,
    responses: Sequence[quiz_store.StoredResponse],
    seen: quiz_store.SeenItems,
    monotonic_now: float = 0.0,
) -> LiveQuiz:
    """The quiz as it stood after its stored answers.

    ``seen`` holds every item the learner was asked before (in quizzes and in
    practice) and those whose key they were shown.
    """
    settings = quiz_settings(stored)
    length_plan = plan_for_length(settings.length, bank.job_ready_cuts(), bank.level_cuts())
    state = start_test(bank.bank, priors=history.quiz_priors(stored.settings), areas=stored.areas)
    for response in responses:
        state = record_response(
            state, bank.index[response.item_id], response.correct, scored=response.counted
        )
    return LiveQuiz(
        stored=stored,
        plan=length_plan.plan,
        state=state,
        seen=np.array([item.id in seen.asked for item in bank.items], dtype=bool),
        key_shown=np.array([item.id in seen.key_shown for item in bank.items], dtype=bool),
        max_questions=length_plan.max_questions,
        se_target=length_plan.se_target,
        finished=stored.status == quiz_store.FINISHED,
        time_limit_ms=settings.time_limit_s * 1000 if settings.time_limit_s else None,
        time_used_before_ms=stored.time_used_ms,
        sitting_started=monotonic_now,
    )


def progress(live: LiveQuiz, bank: AskableBank, monotonic_now: float = 0.0) -> QuizProgress:
    """Questions answered, and each quiz area's estimate, precision and whether it is done."""
    areas = []
    for info in bank.areas:
        if info.id not in live.stored.areas:
            continue
        code = live.state.bank.area_index(info.id)
        estimate = live.state.area_estimate(code)
        areas.append(
            AreaProgress(
                info.id,
                info.title,
                live.state.area_counts[code],
                estimate.theta,
                estimate.se,
                live.plan.stopping.area_finished(live.state, code),
            )
        )
    return QuizProgress(
        live.stored.id,
        live.state.n_administered,
        live.max_questions,
        tuple(areas),
        live.se_target,
        live.time_left_s(monotonic_now),
    )

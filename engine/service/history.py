"""A learner's past quizzes: the history a report shows, and the priors a new quiz starts from.

Each reads every past quiz's answers in one query (not one per quiz) and
rebuilds each quiz's per-area estimates with the report's pure functions.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from engine.db import quiz_store
from engine.irt.posterior import carry_over_prior
from engine.quiz.codecs import Prior
from engine.report.readiness import AreaEstimate, PastQuiz, area_estimates
from engine.service.converters import quiz_settings, response_records


def past_quizzes(session: Session, quiz: quiz_store.StoredQuiz) -> list[PastQuiz]:
    """The learner's quizzes started up to `quiz` (itself included) that have answers."""
    earlier = [
        past
        for past in quiz_store.quizzes_of(session, quiz.learner_id)
        if past.started_at <= quiz.started_at
    ]
    answers = quiz_store.responses_by_quiz(session, [past.id for past in earlier])
    history = []
    for past in earlier:
        records = response_records(answers.get(past.id, []))
        if records:
            history.append(
                PastQuiz(
                    past.id,
                    past.finished_at or past.started_at,
                    len(records),
                    area_estimates(records, quiz_settings(past).priors),
                )
            )
    return history


def latest_area_estimates(
    session: Session, learner_id: int, areas: Sequence[str]
) -> dict[str, AreaEstimate]:
    """Each area's estimate from the learner's latest finished quiz that covered it."""
    finished = [
        past
        for past in quiz_store.quizzes_of(session, learner_id)
        if past.status == quiz_store.FINISHED
    ]
    answers = quiz_store.responses_by_quiz(session, [past.id for past in finished])
    latest: dict[str, AreaEstimate] = {}
    for past in reversed(finished):  # newest first
        if all(area in latest for area in areas):
            break
        estimates = _estimates(past, answers.get(past.id, []))
        for area in areas:
            if area not in latest and area in estimates:
                latest[area] = estimates[area]
    return latest


def carried_over_priors(
    session: Session, learner_id: int, areas: Sequence[str]
) -> dict[str, Prior]:
    """A returning learner starts each area from their latest finished estimate, widened."""
    priors: dict[str, Prior] = {}
    for area, estimate in latest_area_estimates(session, learner_id, areas).items():
        mean, sd = carry_over_prior(estimate.estimate, estimate.se)
        priors[area] = (float(mean), float(sd))
    return priors


def _estimates(
    quiz: quiz_store.StoredQuiz, answers: Sequence[quiz_store.StoredResponse]
) -> dict[str, AreaEstimate]:
    return area_estimates(response_records(answers), quiz_settings(quiz).priors)

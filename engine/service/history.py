"""A learner's past quizzes, the population, and the priors a new quiz starts from.

* `learner_history`: the history a report shows and the earlier quizzes' counted
  answers its topic model pools, from one query for all past quizzes.
* `population_model`: per area, the empirical-Bayes population prior from every
  learner's latest result and the average growth between quizzes from returning
  learners (`engine.irt.population`), from one query for quizzes and one for answers.
* `starting_priors`: what `start_quiz` stores: each area's carried-over prior
  (`engine.irt.posterior.carry_over`, widened for the days since) or the
  population prior, with what the report needs to say how the prior was built.

Only counted answers enter any estimate (`converters.counted`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence, Set
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from engine.db import practice_store, quiz_store
from engine.irt.population import (
    GrowthModel,
    MeasuredResult,
    PopulationPrior,
    growth_from_histories,
    population_from_latest,
)
from engine.irt.posterior import CarryOver, Posterior, carry_over
from engine.quiz.codecs import Prior, QuizSettings
from engine.report.readiness import AreaEstimate, PastQuiz, ResponseRecord, area_estimates
from engine.service.converters import counted, response_records

SECONDS_PER_DAY = 86_400.0
# Keys of the quiz settings JSON beside `QuizSettings`' own (which ignores them).
POPULATION_KEY = "population"
CARRIED_OVER_KEY = "carried_over"


def items_seen(session: Session, learner_id: int) -> quiz_store.SeenItems:
    """Every item the learner was ever asked, and those whose key they were shown.

    One query per place answers live: quizzes (a practice-mode quiz shows the
    key) and practice sessions (every practice answer shows the explanation).
    """
    quizzes = quiz_store.quiz_items_seen(session, learner_id)
    practised = frozenset(practice_store.practised_item_ids(session, learner_id))
    return quiz_store.SeenItems(quizzes.asked | practised, quizzes.key_shown | practised)


@dataclass(frozen=True)
class LearnerHistory:
    """What a report needs from the learner's other quizzes."""

    past: list[PastQuiz]  # quizzes up to this one (itself included) with answers
    earlier: list[list[ResponseRecord]]  # other finished quizzes' counted answers, oldest first


def learner_history(session: Session, quiz: quiz_store.StoredQuiz) -> LearnerHistory:
    """The learner's quizzes started up to `quiz`, read with one query for their answers."""
    earlier = [
        past
        for past in quiz_store.quizzes_of(session, quiz.learner_id)
        if past.started_at <= quiz.started_at
    ]
    answers = quiz_store.responses_by_quiz(session, [past.id for past in earlier])
    history = []
    pooled = []
    for past in earlier:
        records = response_records(counted(answers.get(past.id, [])))
        if not records:
            continue
        history.append(
            PastQuiz(
                past.id,
                past.finished_at or past.started_at,
                len(records),
                area_estimates(records, quiz_priors(past.settings)),
            )
        )
        if past.id != quiz.id and past.status == quiz_store.FINISHED:
            pooled.append(records)
    return LearnerHistory(history, pooled)


def past_quizzes(session: Session, quiz: quiz_store.StoredQuiz) -> list[PastQuiz]:
    """The learner's quizzes started up to `quiz` (itself included) that have answers."""
    return learner_history(session, quiz).past


@dataclass(frozen=True)
class LatestResult:
    estimate: AreaEstimate
    finished_at: dt.datetime


def latest_results(
    session: Session, learner_id: int, areas: Sequence[str]
) -> dict[str, LatestResult]:
    """Each area's estimate from the learner's latest finished quiz that covered it."""
    finished = [
        past
        for past in quiz_store.quizzes_of(session, learner_id)
        if past.status == quiz_store.FINISHED
    ]
    answers = quiz_store.responses_by_quiz(session, [past.id for past in finished])
    latest: dict[str, LatestResult] = {}
    for past in reversed(finished):  # newest first
        if all(area in latest for area in areas):
            break
        records = response_records(counted(answers.get(past.id, [])))
        estimates = area_estimates(records, quiz_priors(past.settings))
        for area in areas:
            if area not in latest and area in estimates:
                latest[area] = LatestResult(estimates[area], past.finished_at or past.started_at)
    return latest


def latest_area_estimates(
    session: Session, learner_id: int, areas: Sequence[str]
) -> dict[str, AreaEstimate]:
    """Each area's estimate from the learner's latest finished quiz that covered it."""
    return {
        area: result.estimate for area, result in latest_results(session, learner_id, areas).items()
    }


@dataclass(frozen=True)
class AreaPopulation:
    prior: PopulationPrior = field(default_factory=PopulationPrior)
    growth: GrowthModel = field(default_factory=GrowthModel)


def population_model(session: Session, areas: Sequence[str]) -> dict[str, AreaPopulation]:
    """Per area, the population prior and the growth model from every stored learner."""
    quizzes = quiz_store.finished_quizzes(session)
    answers = quiz_store.counted_answers_of_finished_quizzes(session)
    # area -> learner -> results, oldest first (quizzes come in finishing order)
    results: dict[str, dict[int, list[MeasuredResult]]] = {area: {} for area in areas}
    for quiz in quizzes:
        priors = quiz_priors(quiz.settings)
        by_area: dict[str, list[quiz_store.CountedAnswer]] = {}
        for answer in answers.get(quiz.id, ()):
            if answer.area in results:
                by_area.setdefault(answer.area, []).append(answer)
        day = quiz.finished_at.timestamp() / SECONDS_PER_DAY
        for area, area_answers in by_area.items():
            prior = priors.get(area, (0.0, 1.0))
            posterior = Posterior.normal(*prior).update_many(
                [x.a for x in area_answers],
                [x.b for x in area_answers],
                [x.c for x in area_answers],
                [1.0 if x.correct else 0.0 for x in area_answers],
            )
            results[area].setdefault(quiz.learner_id, []).append(
                MeasuredResult(posterior.mean, posterior.sd, prior[0], prior[1], day)
            )
    return {
        area: AreaPopulation(
            population_from_latest([history[-1] for history in by_learner.values()]),
            growth_from_histories(list(by_learner.values())),
        )
        for area, by_learner in results.items()
    }


@dataclass(frozen=True)
class StartingPriors:
    """Where a new quiz's areas start, as stored with the quiz."""

    carried: dict[str, Prior]  # areas with a previous result: the carried-over prior
    population: dict[str, PopulationPrior]
    carried_over: dict[str, CarryOver]

    def settings_json(self) -> dict[str, Any]:
        """The extra keys stored in the quiz settings, read back by `population_of` and
        `carried_over_of`."""
        return {
            POPULATION_KEY: {
                area: _json_numbers(asdict(prior)) for area, prior in self.population.items()
            },
            CARRIED_OVER_KEY: {
                area: _json_numbers(asdict(carry)) for area, carry in self.carried_over.items()
            },
        }


class PopulationCache:
    """The population model, refitted only when the finished quizzes have grown enough.

    Fitting reads every finished quiz's answers; a new quiz moves the fit very little
    once there are many, so the fit is kept until the finished quizzes grow by
    `REFRESH_GROWTH` (every new one while there are fewer than `REFRESH_ALWAYS_BELOW`,
    so the empirical-Bayes prior starts with the quiz that makes it possible). Checking
    costs one count query.
    """

    REFRESH_ALWAYS_BELOW = 100
    REFRESH_GROWTH = 1.1

    def __init__(self) -> None:
        self._fitted_on = -1
        self._model: dict[str, AreaPopulation] = {}

    def model(self, session: Session, areas: Sequence[str]) -> dict[str, AreaPopulation]:
        finished = quiz_store.finished_quiz_count(session)
        stale = finished != self._fitted_on and (
            finished < self.REFRESH_ALWAYS_BELOW
            or finished >= self._fitted_on * self.REFRESH_GROWTH
        )
        if stale or any(area not in self._model for area in areas):
            self._model = population_model(session, [*self._model, *areas])
            self._fitted_on = finished
        return self._model


def starting_priors(
    session: Session,
    learner_id: int,
    areas: Sequence[str],
    now: dt.datetime,
    population: PopulationCache | None = None,
) -> StartingPriors:
    """Each area's prior: the last result carried over (widened for the days since,
    moved by the average growth, never wider than the population) or the population's."""
    model = (population or PopulationCache()).model(session, areas)
    carried: dict[str, Prior] = {}
    carried_over: dict[str, CarryOver] = {}
    for area, result in latest_results(session, learner_id, areas).items():
        days = (now - result.finished_at).total_seconds() / SECONDS_PER_DAY
        area_model = model[area]
        carry = carry_over(
            result.estimate.estimate,
            result.estimate.se,
            days,
            area_model.growth,
            max_sd=area_model.prior.sd,
        )
        carried[area] = (float(carry.prior_mean), float(carry.prior_sd))
        carried_over[area] = carry
    return StartingPriors(carried, {area: model[area].prior for area in areas}, carried_over)


def carried_over_priors(
    session: Session, learner_id: int, areas: Sequence[str], now: dt.datetime
) -> dict[str, Prior]:
    """A returning learner starts each area from their latest finished estimate, widened."""
    return starting_priors(session, learner_id, areas, now).carried


def population_of(settings: Mapping[str, Any]) -> dict[str, PopulationPrior]:
    """The population priors a quiz started from (none for quizzes stored before them)."""
    stored = settings.get(POPULATION_KEY)
    if not isinstance(stored, Mapping):
        return {}
    return {str(area): PopulationPrior(**_numbers(values)) for area, values in stored.items()}


def carried_over_of(settings: Mapping[str, Any]) -> dict[str, CarryOver]:
    """How each area's prior came from the learner's last result (none: not carried over)."""
    stored = settings.get(CARRIED_OVER_KEY)
    if not isinstance(stored, Mapping):
        return {}
    return {
        str(area): CarryOver(**_numbers(values, infinite=frozenset({"drift_sd"})))
        for area, values in stored.items()
    }


def quiz_priors(settings: Mapping[str, Any]) -> dict[str, Prior]:
    """The prior every area of a stored quiz started from: carried over, else the population's."""
    priors: dict[str, Prior] = {
        area: (prior.mean, prior.sd) for area, prior in population_of(settings).items()
    }
    priors.update(_carried_priors(settings))
    return priors


def _carried_priors(settings: Mapping[str, Any]) -> dict[str, Prior]:
    return dict(QuizSettings.from_json(settings).priors)


def _json_numbers(values: Mapping[str, float | int]) -> dict[str, float | int | None]:
    """JSON has no NaN or infinity (PostgreSQL refuses them): stored as null."""
    return {
        key: value if isinstance(value, int) or math.isfinite(value) else None
        for key, value in values.items()
    }


def _numbers(values: Mapping[str, Any], *, infinite: Set[str] = frozenset()) -> dict[str, Any]:
    """`_json_numbers` read back: null is NaN (or infinity for the keys in ``infinite``)."""
    return {
        key: (math.inf if key in infinite else math.nan) if value is None else value
        for key, value in values.items()
    }

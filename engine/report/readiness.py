"""From a quiz's responses to a per-area readiness report: pure functions.

Each area's ability posterior is rebuilt from the quiz's prior and the
parameters each item had when it was answered, so the report says exactly
what the quiz measured. From it the report reads:

* the posterior probability of each level and the level, or shortest run of
  adjacent levels, holding at least 80% of it (`engine.irt.levels`);
* the posterior probability of being at or above the job-ready cut;
* how much of the result comes from this quiz's answers rather than the
  prior (the population prior, or the learner's previous result carried over);
* an overall result, the mean of the covered areas, with the uncertainty of
  that mean (`engine.irt.levels.composite_posterior`);
* weak topics from the topic-effect model pooled over the learner's quizzes
  (`engine.report.weak_topics`), and next steps when no topic is called weak.

Every probability is model-based: it assumes the items behave as their
parameters say and that the learner comes from the population the prior
describes. The wording (`engine.report.wording`) says so and never states
more than 99% or less than 1%.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engine.bank.model import AreaInfo, CutScores
from engine.irt.levels import (
    LevelRange,
    composite_posterior,
    level_probabilities,
    named_levels,
)
from engine.irt.population import PopulationPrior
from engine.irt.posterior import CarryOver, Posterior, answer_share
from engine.report.records import (
    AreaEstimate,
    PastQuiz,
    PracticeTally,
    ResponseRecord,
    ReviewOption,
)
from engine.report.weak_topics import (
    AreaNextSteps,
    TopicFinding,
    focus_list,
    next_steps,
    topic_findings,
)
from engine.report.wording import (
    BORDERLINE,
    MAX_CALLABLE_SE,
    MIN_AREA_ANSWERS,
    TOO_EARLY,
    readiness_verdict,
)

__all__ = [
    "BORDERLINE",
    "INTERVAL_LEVEL",
    "LEVELS",
    "MAX_CALLABLE_SE",
    "MIN_AREA_ANSWERS",
    "AreaEstimate",
    "AreaReadiness",
    "LevelCall",
    "OverallReadiness",
    "PastQuiz",
    "PracticeTally",
    "Readiness",
    "Report",
    "ResponseRecord",
    "ReviewEntry",
    "ReviewOption",
    "TopicFinding",
    "area_estimates",
    "area_readiness",
    "build_report",
    "level_for",
    "overall_readiness",
    "posterior_for",
]

LEVELS = ("Foundations", "Developing", "Job-ready", "Strong")
INTERVAL_LEVEL = 0.9


@dataclass(frozen=True)
class LevelCall:
    """Posterior probability of each level and the run of levels named.

    Attributes
    ----------
    probabilities : tuple of float
        Probability of Foundations, Developing, Job-ready and Strong.
    named : LevelRange
        The shortest run of adjacent levels holding at least 0.8.
    """

    probabilities: tuple[float, ...]
    named: LevelRange

    @property
    def names(self) -> tuple[str, ...]:
        return LEVELS[self.named.first : self.named.last + 1]

    @property
    def label(self) -> str:
        """The named levels in words: "Job-ready", "Developing or Job-ready", "A to C"."""
        names = self.names
        if len(names) == 1:
            return names[0]
        if len(names) == 2:
            return f"{names[0]} or {names[1]}"
        return f"{names[0]} to {names[-1]}"


def level_call(posterior: Posterior, cuts: CutScores) -> LevelCall:
    """Level probabilities from the posterior and the run of levels it names."""
    probabilities = level_probabilities(posterior, (cuts.developing, cuts.job_ready, cuts.strong))
    return LevelCall(tuple(float(p) for p in probabilities), named_levels(probabilities))


@dataclass(frozen=True, kw_only=True)
class Readiness:
    """What the report says about one ability: an area's, or the overall mean.

    ``level`` is the label of the named level or run of levels ("Job-ready",
    "Developing or Job-ready"), or "Too early to call" without enough
    evidence; ``levels`` has every level's probability.
    """

    answered: int
    estimate: float
    se: float
    interval: tuple[float, float]
    level: str
    p_job_ready: float
    enough_evidence: bool
    cut_scores: CutScores
    levels: LevelCall | None = None


@dataclass(frozen=True, kw_only=True)
class AreaReadiness(Readiness):
    """One area's result.

    ``answer_share`` is the share of the result that comes from this quiz's
    answers; ``starts_from_previous`` is true when the prior is the learner's
    previous result (carried over) rather than the population's, and
    ``carry_over``, when known, says how that result became the prior.
    """

    area: str
    title: str
    correct: int
    prior: tuple[float, float] = (0.0, 1.0)
    answer_share: float = 0.0
    starts_from_previous: bool = False
    carry_over: CarryOver | None = None

    @property
    def verdict(self) -> str:
        """One line on readiness: the probability of being job-ready, or why there is none."""
        return readiness_verdict(
            enough_evidence=self.enough_evidence,
            answered=self.answered,
            se=self.se,
            p_job_ready=self.p_job_ready,
        )


@dataclass(frozen=True, kw_only=True)
class OverallReadiness(Readiness):
    """The mean of the covered areas' abilities, with the uncertainty of that mean."""

    areas: int
    levels: LevelCall


@dataclass(frozen=True)
class ReviewEntry:
    number: int
    item_id: str
    area: str
    topic: str
    prompt: str
    your_answer: str
    right_answer: str
    explanation: str
    correct: bool
    skipped: bool
    response_time_ms: int
    options: tuple[ReviewOption, ...] = ()  # choice items, in the order shown


@dataclass(frozen=True)
class Report:
    """Everything a readiness report says, as plain values (renderers only format it)."""

    learner: str
    session_id: int
    mode: str
    status: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    answered: int
    correct: int
    areas: tuple[AreaReadiness, ...]
    overall: AreaEstimate
    topics: tuple[TopicFinding, ...]
    focus: tuple[TopicFinding, ...]
    answers: tuple[ReviewEntry, ...]
    history: tuple[PastQuiz, ...]
    overall_readiness: OverallReadiness | None = None
    next_steps: tuple[AreaNextSteps, ...] = ()
    population: Mapping[str, PopulationPrior] | None = None
    quizzes_pooled: int = 1
    time_limit_s: int | None = None  # a timed quiz's limit
    time_ran_out: bool = False  # the quiz finished because its time was used up
    practice: PracticeTally | None = None  # practice answers since the quiz (not counted)
    uncounted: int = 0  # answers stored but not counted (pretest items, repeats after the key)

    @property
    def review(self) -> tuple[ReviewEntry, ...]:
        """The missed (or skipped) questions, to go over."""
        return tuple(answer for answer in self.answers if not answer.correct)


def level_for(estimate: float, cuts: CutScores) -> str:
    """The level an ability value falls in (a value at a cut belongs to the level above)."""
    if estimate >= cuts.strong:
        return LEVELS[3]
    if estimate >= cuts.job_ready:
        return LEVELS[2]
    if estimate >= cuts.developing:
        return LEVELS[1]
    return LEVELS[0]


def posterior_for(
    responses: Sequence[ResponseRecord], prior: tuple[float, float] = (0.0, 1.0)
) -> Posterior:
    """The ability posterior after these responses (skips count as wrong)."""
    posterior = Posterior.normal(*prior)
    if not responses:
        return posterior
    return posterior.update_many(
        [r.a for r in responses],
        [r.b for r in responses],
        [r.c for r in responses],
        [1.0 if r.correct else 0.0 for r in responses],
    )


def area_estimates(
    responses: Sequence[ResponseRecord], priors: Mapping[str, tuple[float, float]]
) -> dict[str, AreaEstimate]:
    by_area: dict[str, list[ResponseRecord]] = {}
    for response in responses:
        by_area.setdefault(response.area, []).append(response)
    result = {}
    for area, records in by_area.items():
        posterior = posterior_for(records, priors.get(area, (0.0, 1.0)))
        result[area] = AreaEstimate(posterior.mean, posterior.sd, len(records))
    return result


def _readiness_fields(
    posterior: Posterior, cuts: CutScores, enough: bool
) -> tuple[tuple[float, float], str, float, LevelCall]:
    levels = level_call(posterior, cuts)
    return (
        posterior.credible_interval(INTERVAL_LEVEL),
        levels.label if enough else TOO_EARLY,
        posterior.probability_at_or_above(cuts.job_ready),
        levels,
    )


def area_readiness(
    info: AreaInfo,
    responses: Sequence[ResponseRecord],
    prior: tuple[float, float],
    carry_over: CarryOver | None = None,
    *,
    starts_from_previous: bool | None = None,
) -> AreaReadiness:
    """One area's readiness from its answers in the quiz and the quiz's prior for the area.

    ``starts_from_previous`` defaults to whether ``carry_over`` is given.
    """
    return _area_readiness(
        info,
        responses,
        prior,
        posterior_for(responses, prior),
        carry_over,
        carry_over is not None if starts_from_previous is None else starts_from_previous,
    )


def _area_readiness(
    info: AreaInfo,
    responses: Sequence[ResponseRecord],
    prior: tuple[float, float],
    posterior: Posterior,
    carry_over: CarryOver | None,
    starts_from_previous: bool,
) -> AreaReadiness:
    se = posterior.sd
    enough = len(responses) >= MIN_AREA_ANSWERS and se <= MAX_CALLABLE_SE
    interval, level, p_job_ready, levels = _readiness_fields(posterior, info.cut_scores, enough)
    return AreaReadiness(
        area=info.id,
        title=info.title,
        answered=len(responses),
        correct=sum(r.correct for r in responses),
        estimate=posterior.mean,
        se=se,
        interval=interval,
        level=level,
        p_job_ready=p_job_ready,
        enough_evidence=enough,
        cut_scores=info.cut_scores,
        levels=levels,
        prior=prior,
        answer_share=answer_share(prior[1], se),
        starts_from_previous=starts_from_previous,
        carry_over=carry_over,
    )


def overall_readiness(
    posteriors: Sequence[Posterior], cuts: Sequence[CutScores], answered: int, enough: bool
) -> OverallReadiness:
    """The composite (mean of the areas) with cut scores the mean of the areas' cuts."""
    composite = composite_posterior(posteriors)
    n = len(cuts)
    mean_cuts = CutScores(
        developing=sum(c.developing for c in cuts) / n,
        job_ready=sum(c.job_ready for c in cuts) / n,
        strong=sum(c.strong for c in cuts) / n,
    )
    interval, level, p_job_ready, levels = _readiness_fields(composite, mean_cuts, enough)
    return OverallReadiness(
        areas=len(posteriors),
        answered=answered,
        estimate=composite.mean,
        se=composite.sd,
        interval=interval,
        level=level,
        p_job_ready=p_job_ready,
        enough_evidence=enough,
        cut_scores=mean_cuts,
        levels=levels,
    )


def _review_entry(r: ResponseRecord) -> ReviewEntry:
    return ReviewEntry(
        r.number,
        r.item_id,
        r.area,
        r.topic,
        r.prompt,
        r.your_answer,
        r.right_answer,
        r.explanation,
        r.correct,
        r.skipped,
        r.response_time_ms,
        r.options,
    )


def build_report(
    *,
    learner: str,
    session_id: int,
    mode: str,
    status: str,
    started_at: dt.datetime,
    finished_at: dt.datetime | None,
    areas: Sequence[AreaInfo],
    responses: Sequence[ResponseRecord],
    priors: Mapping[str, tuple[float, float]],
    history: Sequence[PastQuiz] = (),
    earlier_quizzes: Sequence[Sequence[ResponseRecord]] = (),
    population: Mapping[str, PopulationPrior] | None = None,
    carried_over: Mapping[str, CarryOver] | None = None,
    time_limit_s: int | None = None,
    time_ran_out: bool = False,
    practice: PracticeTally | None = None,
    uncounted: int = 0,
) -> Report:
    """The full report for one quiz.

    Parameters
    ----------
    areas : sequence of AreaInfo
        The areas the quiz covered.
    responses : sequence of ResponseRecord
        The quiz's answers.
    priors : mapping of area to (mean, sd)
        The prior each area started from in this quiz (as stored with the
        quiz); areas missing here start from the population prior.
    history : sequence of PastQuiz
        The learner's quizzes up to this one, for the progress table.
    earlier_quizzes : sequence of sequences of ResponseRecord
        The learner's other quizzes' answers, pooled with this quiz's in the
        topic model (default none: topics from this quiz alone).
    population : mapping of area to PopulationPrior, optional
        The population prior per area (default N(0, 1)), used for areas
        without a stored prior and for the topic model.
    carried_over : mapping of area to CarryOver, optional
        How a returning learner's previous result became each area's prior.
    time_limit_s, time_ran_out : int or None, bool
        A timed quiz's limit, and whether it finished because the time ran out
        (the questions not reached are simply not answered: never counted as wrong).
    practice : PracticeTally, optional
        Practice-session answers since the quiz, shown apart: they never enter
        the estimates, which come from quiz answers only (first exposure).
    uncounted : int
        The quiz's answers that were stored but do not count (not in
        ``responses``): the report only mentions how many.
    """
    population_means = {area: (prior.mean, prior.sd) for area, prior in (population or {}).items()}
    readiness = []
    posteriors = []
    for info in areas:
        records = [r for r in responses if r.area == info.id]
        # The service stores a prior for an area only when it carried one over.
        prior = priors.get(info.id, population_means.get(info.id, (0.0, 1.0)))
        posterior = posterior_for(records, prior)
        carried = (carried_over or {}).get(info.id)
        readiness.append(
            _area_readiness(info, records, prior, posterior, carried, info.id in priors)
        )
        posteriors.append(posterior)
    findings = topic_findings(areas, responses, earlier_quizzes, population_means)
    overall = None
    if areas:
        overall = overall_readiness(
            posteriors,
            [info.cut_scores for info in areas],
            len(responses),
            all(area.enough_evidence for area in readiness),
        )
    return Report(
        learner=learner,
        session_id=session_id,
        mode=mode,
        status=status,
        started_at=started_at,
        finished_at=finished_at,
        answered=len(responses),
        correct=sum(r.correct for r in responses),
        areas=tuple(readiness),
        overall=AreaEstimate(
            overall.estimate if overall else 0.0, overall.se if overall else 1.0, len(responses)
        ),
        topics=tuple(findings),
        focus=focus_list(findings),
        answers=tuple(_review_entry(r) for r in responses),
        history=tuple(history),
        overall_readiness=overall,
        next_steps=next_steps(areas, responses),
        population=dict(population) if population else None,
        quizzes_pooled=1 + sum(1 for quiz in earlier_quizzes if quiz),
        time_limit_s=time_limit_s,
        time_ran_out=time_ran_out,
        practice=practice,
        uncounted=uncounted,
    )

"""From a quiz's responses to a per-area readiness report: pure functions.

Each area's ability posterior is rebuilt from the quiz's prior and the
parameters each item had when it was answered, so the report says exactly
what the quiz measured. Weak topics are found with a standardised residual
(observed minus expected correct answers, given the area's ability), the
person-fit idea of Wright & Stone (1979), applied per topic: a topic is only
called weak when the learner did clearly worse there than their overall
ability in the area predicts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine.bank.model import AreaInfo, CutScores
from engine.irt.model import probability
from engine.irt.posterior import Posterior

LEVELS = ("Foundations", "Developing", "Job-ready", "Strong")
INTERVAL_LEVEL = 0.9
# Below this many answers, or above this posterior SD, an area is not called.
MIN_AREA_ANSWERS = 4
MAX_CALLABLE_SE = 0.8
# Between BORDERLINE and 1 - BORDERLINE the evidence leans too little to say "sure".
BORDERLINE = 0.35
MIN_TOPIC_ANSWERS = 2
WEAK_TOPIC_Z = -1.0
FOCUS_LIST_LENGTH = 5


@dataclass(frozen=True)
class ResponseRecord:
    """One stored answer with everything the report needs about its item."""

    number: int
    item_id: str
    area: str
    topic: str
    a: float
    b: float
    c: float
    correct: bool
    skipped: bool
    prompt: str = ""
    your_answer: str = ""
    right_answer: str = ""
    explanation: str = ""
    response_time_ms: int = 0


@dataclass(frozen=True)
class AreaReadiness:
    area: str
    title: str
    answered: int
    correct: int
    estimate: float
    se: float
    interval: tuple[float, float]
    level: str
    p_job_ready: float
    enough_evidence: bool
    cut_scores: CutScores

    @property
    def verdict(self) -> str:
        if not self.enough_evidence:
            return (
                f"Too little evidence to call ({self.answered} answers, SE {self.se:.2f}); "
                "take a longer quiz in this area"
            )
        if self.p_job_ready >= 1 - BORDERLINE:
            return f"Job-ready: {self.p_job_ready:.0%} sure"
        if self.p_job_ready <= BORDERLINE:
            return f"Not yet job-ready: {1 - self.p_job_ready:.0%} sure"
        return (
            f"Borderline: {self.p_job_ready:.0%} chance of being job-ready; "
            "more questions would settle it"
        )


@dataclass(frozen=True)
class TopicFinding:
    area: str
    topic: str
    title: str
    answered: int
    correct: int
    expected: float
    z: float
    study: tuple[str, ...]

    @property
    def weak(self) -> bool:
        return self.answered >= MIN_TOPIC_ANSWERS and self.z <= WEAK_TOPIC_Z


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


@dataclass(frozen=True)
class AreaEstimate:
    estimate: float
    se: float
    answered: int


@dataclass(frozen=True)
class PastQuiz:
    session_id: int
    date: dt.datetime
    answered: int
    areas: Mapping[str, AreaEstimate]


@dataclass(frozen=True)
class Report:
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

    @property
    def review(self) -> tuple[ReviewEntry, ...]:
        """The missed (or skipped) questions, to go over."""
        return tuple(answer for answer in self.answers if not answer.correct)


def level_for(estimate: float, cuts: CutScores) -> str:
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


def area_readiness(
    info: AreaInfo, responses: Sequence[ResponseRecord], prior: tuple[float, float]
) -> AreaReadiness:
    posterior = posterior_for(responses, prior)
    cuts = info.cut_scores
    se = posterior.sd
    return AreaReadiness(
        area=info.id,
        title=info.title,
        answered=len(responses),
        correct=sum(r.correct for r in responses),
        estimate=posterior.mean,
        se=se,
        interval=posterior.credible_interval(INTERVAL_LEVEL),
        level=level_for(posterior.mean, cuts),
        p_job_ready=posterior.probability_at_or_above(cuts.job_ready),
        enough_evidence=len(responses) >= MIN_AREA_ANSWERS and se <= MAX_CALLABLE_SE,
        cut_scores=cuts,
    )


def topic_findings(
    info: AreaInfo, responses: Sequence[ResponseRecord], ability: float
) -> list[TopicFinding]:
    """Observed against expected correct answers per topic, at the area's ability."""
    findings = []
    for topic in info.topics:
        records = [r for r in responses if r.topic == topic.id]
        if not records:
            continue
        p = probability(
            ability,
            np.array([r.a for r in records]),
            np.array([r.b for r in records]),
            np.array([r.c for r in records]),
        )
        expected = float(np.sum(p))
        variance = float(np.sum(p * (1.0 - p)))
        observed = sum(r.correct for r in records)
        z = (observed - expected) / math.sqrt(variance) if variance > 1e-12 else 0.0
        findings.append(
            TopicFinding(
                info.id, topic.id, topic.title, len(records), observed, expected, z, topic.study
            )
        )
    return findings


def focus_list(findings: Sequence[TopicFinding]) -> tuple[TopicFinding, ...]:
    """Topics with evidence of doing worse than predicted, weakest first."""
    candidates = [f for f in findings if f.answered >= MIN_TOPIC_ANSWERS and f.z < 0]
    candidates.sort(key=lambda f: (f.z, f.area, f.topic))
    return tuple(candidates[:FOCUS_LIST_LENGTH])


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
) -> Report:
    """The full report for one quiz; `areas` are the areas the quiz covered."""
    readiness = []
    findings: list[TopicFinding] = []
    for info in areas:
        records = [r for r in responses if r.area == info.id]
        area = area_readiness(info, records, priors.get(info.id, (0.0, 1.0)))
        readiness.append(area)
        findings.extend(topic_findings(info, records, area.estimate))
    overall = posterior_for(responses)
    answers = tuple(
        ReviewEntry(
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
        )
        for r in responses
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
        overall=AreaEstimate(overall.mean, overall.sd, len(responses)),
        topics=tuple(findings),
        focus=focus_list(findings),
        answers=answers,
        history=tuple(history),
    )

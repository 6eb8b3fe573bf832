"""Weak topics for the report: the topic model over all the learner's quizzes, and next steps.

A topic is called weak only when the topic-effect model
(`engine.irt.topics`), pooled over every quiz the report is given, rejects
"this topic is at your area level" with the false discovery rate controlled
across all the topics tested. Most single quizzes have one or two answers per
topic, too few to call any topic weak, so the report then says so and still
gives next steps built from plain counts: the questions missed per topic, the
study pointers of the topics missed most, and practising the area.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine.bank.model import AreaInfo
from engine.irt.topics import (
    DEFAULT_FALSE_DISCOVERY_RATE,
    DEFAULT_WEAK_THRESHOLD,
    TopicSession,
    topic_effects,
)
from engine.report.records import ResponseRecord

FOCUS_LIST_LENGTH = 5
#: Study pointers are taken from at most this many of an area's most-missed topics.
POINTER_TOPICS = 2


@dataclass(frozen=True)
class TopicFinding:
    """What the topic model says about one topic, over every quiz given to it.

    Attributes
    ----------
    answered, correct : int
        Answers and correct answers in the topic over all those quizzes.
    expected : float
        Correct answers expected if the topic were at the learner's area level.
    probability_weak : float
        Model-based posterior probability that the topic is at least half a
        logit below the area level (``P(u < -0.5)``).
    effect : float
        Posterior mean of the topic effect ``u`` (logits; negative is worse).
    p_value : float
        Predictive p-value of "the topic is at the area level".
    weak : bool
        Called weak (Benjamini-Hochberg at the report's false discovery rate).
    quizzes : int
        How many quizzes had answers in this topic.
    """

    area: str
    topic: str
    title: str
    answered: int
    correct: int
    expected: float
    probability_weak: float
    effect: float
    p_value: float
    weak: bool
    study: tuple[str, ...]
    quizzes: int = 1


@dataclass(frozen=True)
class TopicMisses:
    """Plain counts for one topic in this quiz."""

    topic: str
    title: str
    missed: int
    answered: int


@dataclass(frozen=True)
class AreaNextSteps:
    """What to do next in one area, without calling any topic weak."""

    area: str
    title: str
    missed_by_topic: tuple[TopicMisses, ...]
    study: tuple[str, ...]


@dataclass(frozen=True)
class _TopicKey:
    area: str
    topic: str


def _topic_catalogue(
    areas: Sequence[AreaInfo], quizzes: Sequence[Sequence[ResponseRecord]]
) -> dict[_TopicKey, tuple[str, tuple[str, ...]]]:
    """Title and study pointers of every topic of the areas, plus unlisted answered ones."""
    catalogue = {
        _TopicKey(area.id, topic.id): (topic.title, topic.study)
        for area in areas
        for topic in area.topics
    }
    covered = {area.id for area in areas}
    for records in quizzes:
        for record in records:
            key = _TopicKey(record.area, record.topic)
            if record.area in covered and key not in catalogue:
                catalogue[key] = (record.topic, ())
    return catalogue


def topic_findings(
    areas: Sequence[AreaInfo],
    current: Sequence[ResponseRecord],
    earlier: Sequence[Sequence[ResponseRecord]] = (),
    population: Mapping[str, tuple[float, float]] | None = None,
    *,
    false_discovery_rate: float = DEFAULT_FALSE_DISCOVERY_RATE,
) -> list[TopicFinding]:
    """The topic model's findings for every topic with answers, in area and topic order.

    Parameters
    ----------
    areas : sequence of AreaInfo
        The areas the report covers (answers in other areas are left out).
    current : sequence of ResponseRecord
        This quiz's answers (skips count as wrong).
    earlier : sequence of sequences of ResponseRecord
        The learner's other quizzes (and practice blocks), pooled with this one.
    population : mapping of area to (mean, sd), optional
        Population prior of each area's ability (default N(0, 1)). Never a
        prior carried over from an earlier quiz: that quiz's answers are
        pooled here already.
    false_discovery_rate : float
        Benjamini-Hochberg level across all the topics tested.
    """
    quizzes = [current, *earlier]
    catalogue = _topic_catalogue(areas, quizzes)
    keys = list(catalogue)
    codes = {key: code for code, key in enumerate(keys)}
    sessions = []
    quizzes_per_topic = np.zeros(len(keys), dtype=int)
    for records in quizzes:
        by_area: dict[str, list[ResponseRecord]] = {}
        for record in records:
            if _TopicKey(record.area, record.topic) in codes:
                by_area.setdefault(record.area, []).append(record)
        for area, chosen in by_area.items():
            topic = np.array([codes[_TopicKey(area, r.topic)] for r in chosen], dtype=np.intp)
            quizzes_per_topic[np.unique(topic)] += 1
            mean, sd = (population or {}).get(area, (0.0, 1.0))
            sessions.append(
                TopicSession(
                    a=np.array([r.a for r in chosen]),
                    b=np.array([r.b for r in chosen]),
                    c=np.array([r.c for r in chosen]),
                    topic=topic,
                    correct=np.array([1.0 if r.correct else 0.0 for r in chosen]),
                    prior_mean=mean,
                    prior_sd=sd,
                )
            )
    effects = topic_effects(
        sessions,
        len(keys),
        threshold=DEFAULT_WEAK_THRESHOLD,
        false_discovery_rate=false_discovery_rate,
    )
    findings = []
    for code, key in enumerate(keys):
        if effects.answered[code] == 0:
            continue
        title, study = catalogue[key]
        findings.append(
            TopicFinding(
                area=key.area,
                topic=key.topic,
                title=title,
                answered=int(effects.answered[code]),
                correct=int(effects.correct[code]),
                expected=float(effects.expected[code]),
                probability_weak=float(effects.probability_below[code]),
                effect=float(effects.effect_mean[code]),
                p_value=float(effects.p_value[code]),
                weak=bool(effects.weak[code]),
                study=study,
                quizzes=int(quizzes_per_topic[code]),
            )
        )
    return findings


def focus_list(findings: Sequence[TopicFinding]) -> tuple[TopicFinding, ...]:
    """The topics called weak, most probably weak first (at most `FOCUS_LIST_LENGTH`)."""
    weak = [finding for finding in findings if finding.weak]
    weak.sort(key=lambda f: (-f.probability_weak, f.p_value, f.area, f.topic))
    return tuple(weak[:FOCUS_LIST_LENGTH])


def next_steps(
    areas: Sequence[AreaInfo], current: Sequence[ResponseRecord]
) -> tuple[AreaNextSteps, ...]:
    """Per area of this quiz: questions missed by topic and the pointers of the most-missed topics.

    Plain counts, no claim: a topic missed twice in one quiz is not shown to
    be weak, but its pointers are a sensible place to start.
    """
    steps = []
    for area in areas:
        records = [r for r in current if r.area == area.id]
        if not records:
            continue
        titles = {topic.id: topic for topic in area.topics}
        counts: dict[str, list[int]] = {}
        for record in records:
            missed_answered = counts.setdefault(record.topic, [0, 0])
            missed_answered[0] += not record.correct
            missed_answered[1] += 1
        misses = [
            TopicMisses(topic, titles[topic].title if topic in titles else topic, missed, answered)
            for topic, (missed, answered) in counts.items()
        ]
        misses.sort(key=lambda m: (-m.missed, m.answered, m.title))
        pointers: list[str] = []
        for miss in misses[:POINTER_TOPICS]:
            if miss.missed and miss.topic in titles:
                pointers.extend(titles[miss.topic].study[:1])
        steps.append(AreaNextSteps(area.id, area.title, tuple(misses), tuple(pointers)))
    return tuple(steps)

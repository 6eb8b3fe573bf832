"""The readiness report's numbers: levels, probabilities, intervals and weak topics."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from engine.bank.model import AreaInfo, CutScores, TopicInfo
from engine.report.readiness import (
    ResponseRecord,
    area_readiness,
    build_report,
    level_for,
    topic_findings,
)

CUTS = CutScores(developing=-1.0, job_ready=0.0, strong=1.2)
AREA = AreaInfo(
    "math",
    "Mathematics",
    "",
    CUTS,
    (
        TopicInfo("alg", "math", "Algebra", "", ("Read chapter 1",)),
        TopicInfo("prob", "math", "Probability", "", ("Do exercises",)),
    ),
)


def _record(number: int, topic: str, correct: bool, b: float = 0.0) -> ResponseRecord:
    return ResponseRecord(number, f"{topic}-{number}", "math", topic, 1.0, b, 0.0, correct, False)


@pytest.mark.parametrize(
    ("theta", "level"),
    [
        (-1.5, "Foundations"),
        (-1.0, "Developing"),
        (0.0, "Job-ready"),
        (1.19, "Job-ready"),
        (1.2, "Strong"),
    ],
)
def test_levels_start_at_their_cut_scores(theta: float, level: str) -> None:
    assert level_for(theta, CUTS) == level


def test_no_answers_means_the_prior_and_no_verdict() -> None:
    area = area_readiness(AREA, [], (0.0, 1.0))
    # The prior N(0, 1): P(theta >= 0) = 0.5 and the 90% interval is +-1.645.
    assert area.estimate == pytest.approx(0.0, abs=1e-6)
    assert area.p_job_ready == pytest.approx(0.5, abs=0.01)
    assert area.interval == pytest.approx((-1.645, 1.645), abs=0.02)
    assert not area.enough_evidence
    assert area.verdict.startswith("Too little evidence to call (0 answers")


def test_probability_of_job_ready_follows_the_evidence() -> None:
    strong = area_readiness(AREA, [_record(i, "alg", True) for i in range(12)], (0.0, 1.0))
    weak = area_readiness(AREA, [_record(i, "alg", False) for i in range(12)], (0.0, 1.0))
    assert strong.p_job_ready > 0.95 and strong.verdict.startswith("Job-ready: ")
    assert weak.p_job_ready < 0.05 and weak.verdict.startswith("Not yet job-ready: ")
    assert strong.interval[0] < strong.estimate < strong.interval[1]


def test_an_even_split_is_called_borderline() -> None:
    records = [_record(i, "alg", i % 2 == 0) for i in range(8)]
    area = area_readiness(AREA, records, (0.0, 1.0))
    assert 0.35 < area.p_job_ready < 0.65
    assert area.verdict.startswith("Borderline: ")


def test_a_topic_is_weak_only_when_it_does_worse_than_the_area_predicts() -> None:
    records = [_record(i, "alg", True) for i in range(6)]
    records += [_record(10 + i, "prob", False) for i in range(3)]
    findings = {f.topic: f for f in topic_findings(AREA, records, ability=0.0)}
    # At theta = b the 2PL probability is 1/2: expected 3 of 6 and 1.5 of 3.
    assert findings["alg"].expected == pytest.approx(3.0)
    assert findings["alg"].z == pytest.approx((6 - 3) / math.sqrt(6 * 0.25))
    assert findings["prob"].z == pytest.approx((0 - 1.5) / math.sqrt(3 * 0.25))
    assert findings["prob"].weak and not findings["alg"].weak


def test_report_ranks_the_focus_list_and_reviews_missed_questions() -> None:
    records = [_record(i, "alg", True) for i in range(6)]
    records += [_record(10 + i, "prob", False) for i in range(3)]
    report = build_report(
        learner="ann",
        session_id=1,
        mode="practice",
        status="finished",
        started_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        finished_at=None,
        areas=[AREA],
        responses=records,
        priors={},
    )
    assert [f.topic for f in report.focus] == ["prob"]
    assert report.focus[0].study == ("Do exercises",)
    assert [entry.number for entry in report.review] == [10, 11, 12]
    assert (report.answered, report.correct) == (9, 6)

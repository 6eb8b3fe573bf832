"""The readiness report's numbers: level probabilities, verdicts, weak topics, the overall."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from engine.bank.model import AreaInfo, CutScores, TopicInfo
from engine.irt.population import PopulationPrior
from engine.irt.posterior import carry_over
from engine.report.readiness import (
    ResponseRecord,
    area_readiness,
    build_report,
    level_for,
)

CUTS = CutScores(developing=-1.0, job_ready=0.0, strong=1.2)
TOPICS = ("alg", "prob", "geo", "stats", "calc")
AREA = AreaInfo(
    "math",
    "Mathematics",
    "",
    CUTS,
    tuple(TopicInfo(t, "math", t.title(), "", (f"Study {t}",)) for t in TOPICS),
)
OTHER = AreaInfo("ml", "Machine learning", "", CUTS, (TopicInfo("sup", "ml", "Supervised", ""),))
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _record(number: int, topic: str, correct: bool, b: float = 0.0, area: str = "math"):
    return ResponseRecord(number, f"{topic}-{number}", area, topic, 1.0, b, 0.0, correct, False)


def _report(responses, **options):
    return build_report(
        learner="ann",
        session_id=1,
        mode="practice",
        status="finished",
        started_at=START,
        finished_at=None,
        areas=options.pop("areas", [AREA]),
        responses=responses,
        priors=options.pop("priors", {}),
        **options,
    )


@pytest.mark.parametrize(
    ("theta", "level"),
    [(-1.5, "Foundations"), (-1.0, "Developing"), (0.0, "Job-ready"), (1.2, "Strong")],
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
    assert area.level == "Too early to call"
    assert area.verdict.startswith("Too early to call: 0 answers")
    # The probabilities are still there: under N(0, 1) the three middle... levels
    # Foundations..Job-ready hold Phi(1.2) = 0.885.
    assert area.levels is not None
    assert area.levels.names == ("Foundations", "Developing", "Job-ready")
    assert area.levels.named.probability == pytest.approx(0.885, abs=2e-3)


def test_three_answers_are_too_few_for_a_verdict_however_good() -> None:
    area = area_readiness(AREA, [_record(i, "alg", True, b=1.0) for i in range(3)], (0.0, 1.0))
    assert not area.enough_evidence
    assert area.level == "Too early to call"
    assert "a verdict needs 4 answers" in area.verdict


def test_probability_of_job_ready_follows_the_evidence_and_is_never_certain() -> None:
    strong = area_readiness(AREA, [_record(i, "alg", True) for i in range(30)], (0.0, 1.0))
    weak = area_readiness(AREA, [_record(i, "alg", False) for i in range(30)], (0.0, 1.0))
    assert strong.p_job_ready > 0.99
    assert strong.verdict == "Job-ready: more than 99% chance (model-based)"
    assert weak.verdict == "Not yet job-ready: more than 99% chance (model-based)"
    assert "100%" not in strong.verdict + weak.verdict
    assert strong.interval[0] < strong.estimate < strong.interval[1]


def test_an_even_split_is_borderline_and_names_two_levels() -> None:
    records = [_record(i, "alg", i % 2 == 0) for i in range(8)]
    area = area_readiness(AREA, records, (0.0, 1.0))
    assert 0.35 < area.p_job_ready < 0.65
    assert area.verdict.startswith("Borderline: ")
    assert area.level == "Developing or Job-ready"
    assert area.levels is not None and area.levels.named.probability >= 0.8


def test_level_probabilities_sum_to_one_and_the_named_run_holds_them() -> None:
    records = [_record(i, "alg", True, b=1.5) for i in range(20)]
    area = area_readiness(AREA, records, (0.0, 1.0))
    assert area.levels is not None
    assert sum(area.levels.probabilities) == pytest.approx(1.0)
    first, last = area.levels.named.first, area.levels.named.last
    assert sum(area.levels.probabilities[first : last + 1]) == pytest.approx(
        area.levels.named.probability
    )
    assert "Strong" in area.level


def test_answer_share_compares_the_posterior_with_the_prior_it_started_from() -> None:
    records = [_record(i, "alg", i % 3 != 0) for i in range(12)]
    fresh = area_readiness(AREA, records, (0.0, 1.0))
    returning = area_readiness(AREA, records, (0.4, 0.45))
    assert fresh.answer_share == pytest.approx(1 - fresh.se**2)
    assert returning.answer_share == pytest.approx(1 - (returning.se / 0.45) ** 2)
    assert returning.answer_share < fresh.answer_share


def test_one_quiz_calls_no_topic_weak_but_gives_next_steps() -> None:
    records = [_record(i, TOPICS[i % 5], i % 5 != 1) for i in range(10)]
    report = _report(records)
    assert report.focus == ()
    assert not any(finding.weak for finding in report.topics)
    (steps,) = report.next_steps
    missed = {m.topic: (m.missed, m.answered) for m in steps.missed_by_topic}
    assert missed["prob"] == (2, 2) and missed["alg"] == (0, 2)
    assert steps.study[0] == "Study prob"


def test_a_topic_missed_in_every_quiz_is_called_weak_when_pooled() -> None:
    def quiz(offset: int):
        records = []
        for i, topic in enumerate(TOPICS):
            records.append(_record(offset + i, topic, topic != "prob", b=-1.0))
        return records

    single = _report(quiz(0))
    # One easy question missed by a learner who got every other one right:
    # anyone can slip once.
    assert single.focus == ()
    assert single.topics[1].p_value > 0.05
    pooled = _report(quiz(0), earlier_quizzes=[quiz(100), quiz(200)])
    assert [finding.topic for finding in pooled.focus] == ["prob"]
    prob = pooled.focus[0]
    assert (prob.correct, prob.answered, prob.quizzes) == (0, 3, 3)
    assert prob.probability_weak > 0.4 and prob.expected > 2.0
    assert pooled.quizzes_pooled == 3


def test_overall_is_the_mean_of_the_areas_with_the_uncertainty_of_a_mean() -> None:
    records = [_record(i, "alg", i % 2 == 0) for i in range(10)]
    records += [_record(20 + i, "sup", i % 3 != 0, area="ml") for i in range(10)]
    report = _report(records, areas=[AREA, OTHER])
    maths, ml = report.areas
    overall = report.overall_readiness
    assert overall is not None and overall.areas == 2
    assert overall.estimate == pytest.approx((maths.estimate + ml.estimate) / 2, abs=0.01)
    assert overall.se == pytest.approx(math.hypot(maths.se, ml.se) / 2, abs=0.01)
    assert report.overall.se == pytest.approx(overall.se)


def test_the_population_prior_and_carry_over_are_used_and_reported() -> None:
    records = [_record(i, "alg", True) for i in range(6)]
    population = {"math": PopulationPrior(-0.4, 0.9, 200, 0.87)}
    without = _report(records)
    with_prior = _report(records, population=population)
    assert with_prior.areas[0].prior == (-0.4, 0.9)
    assert with_prior.areas[0].estimate < without.areas[0].estimate
    carried = carry_over(0.5, 0.3, 14.0)
    returning = _report(
        records,
        priors={"math": (carried.prior_mean, carried.prior_sd)},
        population=population,
        carried_over={"math": carried},
    )
    assert returning.areas[0].prior == (carried.prior_mean, carried.prior_sd)
    assert returning.areas[0].carry_over == carried
    assert returning.areas[0].starts_from_previous
    assert not with_prior.areas[0].starts_from_previous


def test_report_reviews_missed_questions() -> None:
    records = [_record(i, "alg", True) for i in range(6)]
    records += [_record(10 + i, "prob", False) for i in range(3)]
    report = _report(records)
    assert [entry.number for entry in report.review] == [10, 11, 12]
    assert (report.answered, report.correct) == (9, 6)

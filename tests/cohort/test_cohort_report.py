"""The cohort report on simulated cohorts of known ability: shares, topics, progress, items."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from scipy import stats

from engine.report.cohort import Window, build_cohort_report, histogram, share_of
from tests.cohort.simulated import START, Cohort

END = START + dt.timedelta(days=365)


def test_shares_of_two_coin_flips() -> None:
    """Two learners each at a level with probability 1/2: 0, 1 or 2 of them, 1/4, 1/2, 1/4."""
    share = share_of(np.array([0.5, 0.5]))
    assert share.expected == 0.5
    assert (share.low, share.high) == (0.0, 1.0)


def test_shares_of_identical_learners_are_binomial() -> None:
    """Known values: with one probability for all, the count is binomial (scipy.stats.binom)."""
    share = share_of(np.full(40, 0.3))
    assert share.low == stats.binom.ppf(0.05, 40, 0.3) / 40
    assert share.high == stats.binom.ppf(0.95, 40, 0.3) / 40
    assert share.expected == pytest.approx(0.3)


def test_certain_levels_have_no_uncertainty() -> None:
    share = share_of(np.array([1.0, 1.0, 0.0, 0.0]))
    assert (share.expected, share.low, share.high) == (0.5, 0.5, 0.5)


def test_histogram_counts_and_clips_to_the_range() -> None:
    result = histogram(np.array([-9.0, -3.0, -0.1, 0.0, 0.2, 2.99, 3.0, 7.0]))
    assert result.edges[0] == -3.0 and result.edges[-1] == 3.0 and len(result.counts) == 12
    assert result.counts[0] == 2 and result.counts[5] == 1 and result.counts[6] == 2
    assert result.counts[-1] == 3
    assert sum(result.counts) == 8


def test_a_topic_weak_for_the_whole_cohort_is_called_and_nothing_else() -> None:
    data, _ = Cohort(150, 3, 12, seed=4, topic_effects={"t01": -1.2}).build()
    report = build_cohort_report(data, Window(None, END))
    assert [topic.topic for topic in report.weak_topics] == ["t01"]
    weak = report.weak_topics[0]
    assert weak.correct < weak.expected
    assert weak.effect == pytest.approx(-1.2, abs=0.35)
    assert weak.learners > 100
    assert weak.study == ("study 0.1",)


def test_without_a_real_weakness_no_topic_is_called() -> None:
    data, _ = Cohort(150, 3, 12, seed=5).build()
    report = build_cohort_report(data, Window(None, END))
    assert report.weak_topics == ()
    assert len(report.topics) == 8
    assert all(topic.p_value > 0.01 for topic in report.topics)


def test_latest_results_and_shares_follow_the_true_abilities() -> None:
    cohort = Cohort(200, 2, 20, seed=6, ability_mean=0.4, ability_sd=1.0)
    data, thetas = cohort.build()
    report = build_cohort_report(data, Window(None, END))
    estimates = np.array(
        [[row.areas[a.id].estimate for a in data.areas] for row in report.learners]
    )
    names = [row.name for row in report.learners]
    order = [data.learners.index(name) for name in names]
    assert np.corrcoef(estimates[:, 0], thetas[order, 0])[0, 1] > 0.8
    for position, area in enumerate(report.areas):
        true_share = float((thetas[:, position] >= 0.0).mean())
        assert area.measured == 200
        assert area.job_ready.low - 0.1 <= true_share <= area.job_ready.high + 0.1
        assert sum(share.expected for share in area.levels) == pytest.approx(1.0)
        assert sum(area.histogram.counts) == 200
    # each learner's latest result is from their latest quiz
    assert {r.areas["area0"].quiz_id for r in report.learners} == {
        q.quiz_id for q in data.quizzes[1::2]
    }


def test_progress_shows_real_growth_and_none_without_it() -> None:
    grew = build_cohort_report(
        Cohort(120, 3, 12, seed=7, growth_per_quiz=0.5).build()[0], Window(None, END)
    )
    for progress in grew.progress:
        assert progress.learners == 120
        assert progress.mean_change is not None and progress.se_change is not None
        assert progress.mean_change > 3 * progress.se_change
        assert progress.job_ready_after > progress.job_ready_before
    flat = build_cohort_report(Cohort(120, 3, 12, seed=8).build()[0], Window(None, END))
    for progress in flat.progress:
        assert abs(progress.mean_change) < 3 * progress.se_change


def test_the_window_limits_activity_and_progress_starts_at_its_start() -> None:
    data, _ = Cohort(30, 4, 8, seed=9, days_between=10).build()
    since = START + dt.timedelta(days=15)  # quizzes 3 and 4 (days 20 and 30)
    report = build_cohort_report(data, Window(since, END))
    assert all(row.quizzes == 2 for row in report.learners)
    assert report.answers == 30 * 2 * 2 * 8
    assert report.active == 30 and not report.progress_from_first
    assert all(p.learners == 30 for p in report.progress)
    # an empty window: latest results still shown, nothing active, no topics or items
    quiet = build_cohort_report(data, Window(END - dt.timedelta(days=1), END))
    assert quiet.active == 0 and quiet.answers == 0 and quiet.topics == () and quiet.items == ()
    assert all(row.areas for row in quiet.learners)
    assert all(p.learners == 0 and p.mean_change is None for p in quiet.progress)


def test_an_item_with_a_wrong_key_tops_the_misses_far_above_expectation() -> None:
    data, _ = Cohort(80, 2, 24, seed=10, wrong_key="t02-03").build()
    report = build_cohort_report(data, Window(None, END))
    top = report.items[0]
    assert top.item_id == "t02-03"
    assert top.missed == top.asked > 20
    assert top.expected_missed < 0.8 * top.missed
    others = [item for item in report.items[1:]]
    assert all(item.missed <= top.missed for item in others)
    assert all(0 <= item.expected_missed <= item.asked for item in report.items)


def test_members_without_quizzes_are_listed_without_results() -> None:
    data, _ = Cohort(5, 1, 6, seed=11).build()
    data = dataclasses.replace(data, learners=(*data.learners, "newcomer"))
    report = build_cohort_report(data, Window(None, END))
    newcomer = next(row for row in report.learners if row.name == "newcomer")
    assert (newcomer.quizzes, newcomer.answered, newcomer.last_active, dict(newcomer.areas)) == (
        0,
        0,
        None,
        {},
    )
    assert report.members == 6 and report.active == 5
    assert all(area.measured == 5 for area in report.areas)

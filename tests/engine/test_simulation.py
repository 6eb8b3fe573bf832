"""Measurement properties of the adaptive quiz, with a fixed seed (statistics, not timings).

On a 500-item 3PL bank with a spread of difficulties, a 20-item adaptive test
must have RMSE within 15% of the oracle's (items most informative at the true
ability) and at least 30% below random selection's, and its 95% intervals must
cover the true ability 93-97% of the time. 1,000 simulees here to keep the
suite fast; benchmarks/bench_measurement.py runs 2,000.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine.irt import (
    AdaptiveTestPlan,
    FixedLength,
    ItemBank,
    RandomSelector,
    StoppingConfig,
)
from engine.irt.simulation import (
    difficulty_slope,
    expected_calibration_error,
    overlap_rate,
    perturbed_bank,
    simulate_oracle,
    simulate_quiz,
    summarise,
)

Arms = dict[str, dict[str, float]]


def spread_bank(seed: int = 2024) -> ItemBank:
    rng = np.random.default_rng(seed)
    n = 500
    return ItemBank.from_arrays(
        np.exp(rng.normal(np.log(1.2), 0.25, n)),
        rng.uniform(-3, 3, n),
        rng.uniform(0.05, 0.25, n),
    )


@pytest.fixture(scope="module")
def fixed_length_arms() -> Arms:
    bank = spread_bank()
    rng = np.random.default_rng(99)
    theta = rng.normal(0, 1, 1000)
    adaptive = simulate_quiz(bank, AdaptiveTestPlan(FixedLength(20)), theta, rng)
    random = simulate_quiz(bank, AdaptiveTestPlan(FixedLength(20), RandomSelector()), theta, rng)
    oracle = simulate_oracle(bank, theta, adaptive.lengths, rng)
    return {
        "adaptive": summarise(adaptive),
        "random": summarise(random),
        "oracle": summarise(oracle),
    }


def test_adaptive_rmse_is_near_the_oracle_and_far_below_random(fixed_length_arms: Arms) -> None:
    adaptive, random, oracle = (fixed_length_arms[k] for k in ("adaptive", "random", "oracle"))
    assert adaptive["mean_length"] == 20
    assert adaptive["rmse"] <= 1.15 * oracle["rmse"]
    assert adaptive["rmse"] <= 0.70 * random["rmse"]


def test_interval_coverage_is_nominal(fixed_length_arms: Arms) -> None:
    for arm in fixed_length_arms.values():
        assert 0.93 <= arm["coverage_95"] <= 0.97


def test_exposure_control_spreads_items(fixed_length_arms: Arms) -> None:
    assert fixed_length_arms["adaptive"]["max_exposure"] < 1.0
    assert fixed_length_arms["random"]["max_exposure"] < 0.15
    assert fixed_length_arms["random"]["overlap"] < fixed_length_arms["adaptive"]["overlap"]


def test_classification_stopping_is_shorter_at_similar_accuracy() -> None:
    bank = spread_bank()
    rng = np.random.default_rng(5)
    theta = rng.normal(0, 1, 300)
    cut = 0.5
    classify = StoppingConfig(0, 40, classify=True).plan(cut_scores=cut)
    by_se = StoppingConfig(0, 40, se_target=0.3).plan()
    classified = summarise(
        simulate_quiz(bank, classify, theta, rng, cut_scores=cut), cut_scores=cut, bank=bank
    )
    precise = summarise(
        simulate_quiz(bank, by_se, theta, rng, cut_scores=cut), cut_scores=cut, bank=bank
    )
    assert classified["mean_length"] < 0.7 * precise["mean_length"]
    assert classified["classification_accuracy"] > 0.85
    assert classified["calibration_error"] < 0.08


def test_expected_calibration_error() -> None:
    assert expected_calibration_error(np.array([0.95, 0.95]), np.array([True, True])) == (
        pytest.approx(0.05)
    )
    assert expected_calibration_error(np.array([0.05, 0.95]), np.array([False, True])) == (
        pytest.approx(0.05)
    )
    assert expected_calibration_error(np.array([]), np.array([])) == 0.0


def test_overlap_rate() -> None:
    # Two simulees, same 10 items each: complete overlap.
    assert overlap_rate(np.full(10, 2), 2, 10.0) == pytest.approx(1.0)
    # Disjoint tests: none.
    assert overlap_rate(np.ones(20), 2, 10.0) == 0.0


def test_difficulty_slope_is_least_squares() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(0, 1, 500)
    y = 0.7 * x - 0.2 + rng.normal(0, 0.3, 500)
    moments = np.array([[x.size, x.sum(), y.sum(), (x * x).sum(), (x * y).sum()]])
    assert difficulty_slope(moments) == pytest.approx(np.polyfit(x, y, 1)[0], rel=1e-10)
    # Moments summed over areas pool the regression; no spread gives NaN.
    split = np.array([moments[0] / 2, moments[0] / 2])
    assert difficulty_slope(split) == pytest.approx(difficulty_slope(moments))
    assert np.isnan(difficulty_slope(np.array([1.0, 0.5, 0.0, 0.25, 0.0])))


def test_perturbed_bank_shifts_spreads_and_keeps_the_rest() -> None:
    bank = spread_bank()
    rng = np.random.default_rng(1)
    harder = perturbed_bank(bank, rng, difficulty_shift=0.5)
    np.testing.assert_allclose(harder.b, bank.b + 0.5)
    np.testing.assert_array_equal(harder.a, bank.a)
    noisy = perturbed_bank(bank, rng, difficulty_sd=0.7, discrimination_sd=0.3)
    assert np.std(noisy.b - bank.b) == pytest.approx(0.7, abs=0.06)
    assert np.std(np.log(noisy.a / bank.a)) == pytest.approx(0.3, abs=0.03)
    np.testing.assert_array_equal(noisy.c, bank.c)
    assert noisy.ids == bank.ids
    with pytest.raises(ValueError):
        perturbed_bank(bank, rng, difficulty_sd=-1.0)


def _areas_bank(seed: int = 3) -> ItemBank:
    """Two areas of four topics, difficulties -2..2 on five levels, two formats."""
    rng = np.random.default_rng(seed)
    areas, topics, b, c, formats = [], [], [], [], []
    for area in ("math", "ml"):
        for topic in range(4):
            for level in range(-2, 3):
                for fmt, guess in (("numeric", 0.0), ("single", 0.25), ("single", 0.25)):
                    areas.append(area)
                    topics.append(f"t{topic}")
                    b.append(level + rng.normal(0, 0.1))
                    c.append(guess)
                    formats.append(fmt)
    n = len(areas)
    return ItemBank.from_arrays(np.ones(n), b, c, areas=areas, topics=topics, formats=formats)


def test_items_follow_the_learner() -> None:
    """Issue #14: the difficulty of the items given rises with ability (slope > 0.5
    per logit), where items aimed at the job-ready cut all quiz long do not (~0)."""
    bank = _areas_bank()
    rng = np.random.default_rng(11)
    theta = rng.normal(0, 1, (200, 2))
    config = StoppingConfig(10, 10)
    adaptive = simulate_quiz(
        bank, config.plan(cut_scores=0.0, level_cuts=(-1.0, 0.0, 1.2)), theta, rng
    )
    at_the_cut = simulate_quiz(
        bank,
        AdaptiveTestPlan(config.stopping_rule(), level_cuts=0.0, aim_width=np.inf),
        theta,
        rng,
    )
    assert summarise(adaptive)["mean_item_difficulty_slope"] > 0.5
    assert abs(summarise(at_the_cut)["mean_item_difficulty_slope"]) < 0.15


def test_simulation_with_pretest_items_reports_bank_use() -> None:
    bank = _areas_bank()
    rng = np.random.default_rng(12)
    pretest = np.zeros(bank.n_items, dtype=bool)
    pretest[::6] = True
    theta = rng.normal(0, 1, (200, 2))
    record = simulate_quiz(bank, StoppingConfig(12, 12).plan(), theta, rng, pretest=pretest)
    figures = summarise(record)
    # 24 scored items per quiz; at most one question in 10 is a pretest item.
    assert figures["mean_length"] == 24
    assert record.unscored is not None
    questions = 24 + record.unscored
    # At most one in any 10 consecutive questions, never the first: ceil(n / 10).
    assert np.all(record.unscored <= -(-questions // 10))
    assert 1.5 <= figures["unscored_per_quiz"] <= 3.0
    assert record.exposure_counts[pretest].min() >= 1  # every pretest item got answers
    assert figures["share_of_items_given"] == pytest.approx(np.mean(record.exposure_counts > 0))
    assert figures["items_reaching_30_answers"] == np.count_nonzero(record.exposure_counts >= 30)
    assert figures["pretest_items"] == pretest.sum()
    assert figures["pretest_items_reaching_30_answers"] == np.count_nonzero(
        record.exposure_counts[pretest] >= 30
    )


def test_answers_come_from_the_true_parameters() -> None:
    """All items 1.5 logits harder than the engine thinks: estimates fall short."""
    bank = spread_bank()
    rng = np.random.default_rng(13)
    theta = rng.normal(0, 1, 300)
    harder = perturbed_bank(bank, rng, difficulty_shift=1.5)
    plan = AdaptiveTestPlan(FixedLength(15))
    right = summarise(simulate_quiz(bank, plan, theta, rng))
    wrong = summarise(simulate_quiz(bank, plan, theta, rng, true_bank=harder))
    assert abs(right["bias"]) < 0.1
    assert wrong["bias"] < -0.8
    with pytest.raises(ValueError):
        simulate_quiz(bank, plan, theta, rng, true_bank=spread_bank().subset(np.arange(10) < 5))

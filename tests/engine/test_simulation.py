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
    expected_calibration_error,
    overlap_rate,
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

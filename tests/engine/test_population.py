"""Empirical-Bayes population prior, answers-only estimates and growth between quizzes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.irt.population import (
    DEFAULT_DRIFT_VARIANCE_PER_DAY,
    MIN_LEARNERS,
    PRIOR_LEARNERS,
    MeasuredResult,
    answers_only,
    empirical_bayes_prior,
    estimate_growth,
    growth_from_histories,
    population_from_latest,
)


def _conjugate(prior_mean, prior_sd, y, v):
    """Normal prior times normal likelihood: the posterior mean and SD (closed form)."""
    precision = 1 / prior_sd**2 + 1 / v
    mean = (prior_mean / prior_sd**2 + y / v) / precision
    return mean, math.sqrt(1 / precision)


@given(st.floats(-3, 3), st.floats(0.3, 2.0), st.floats(-4, 4), st.floats(0.05, 3.0))
def test_answers_only_undoes_a_normal_prior(prior_mean, prior_sd, y, v) -> None:
    mean, sd = _conjugate(prior_mean, prior_sd, y, v)
    recovered_y, recovered_v = answers_only(mean, sd, prior_mean, prior_sd)
    assert float(recovered_v) == pytest.approx(v, rel=1e-6)
    assert float(recovered_y) == pytest.approx(y, abs=1e-6 * (1 + v))


def test_a_posterior_no_narrower_than_its_prior_carries_no_information() -> None:
    y, v = answers_only([0.3, 0.1, np.nan], [1.0, 1.2, 0.5], 0.0, 1.0)
    assert np.isinf(v).all()
    assert y[:2].tolist() == [0.3, 0.1]


def test_too_few_learners_keep_the_default_prior() -> None:
    prior = empirical_bayes_prior([0.5] * (MIN_LEARNERS - 1), [0.5] * (MIN_LEARNERS - 1))
    assert (prior.mean, prior.sd, prior.learners, prior.weight) == (0.0, 1.0, MIN_LEARNERS - 1, 0.0)


def test_equal_measurement_errors_give_the_closed_form_fit() -> None:
    # With every v_j = v the ML fit of y_j ~ N(mu, s^2 + v) is mu = mean(y) and
    # s^2 = (1/n) sum (y - mean)^2 - v (when positive).
    rng = np.random.default_rng(1)
    y = rng.normal(-0.4, 1.0, 400)
    v = 0.25
    means, sds = zip(*(_conjugate(0.0, 1.0, value, v) for value in y), strict=True)
    prior = empirical_bayes_prior(means, sds, prior_learners=0)
    assert prior.fitted_mean == pytest.approx(y.mean(), abs=1e-6)
    assert prior.fitted_sd**2 == pytest.approx(np.mean((y - y.mean()) ** 2) - v, rel=1e-4)
    assert prior.weight == 1.0 and prior.mean == pytest.approx(prior.fitted_mean)


def test_the_population_is_recovered_and_shrunk_towards_the_default() -> None:
    rng = np.random.default_rng(2)
    n = 3000
    theta = rng.normal(-0.5, 0.8, n)
    v = rng.uniform(0.2, 0.6, n) ** 2
    y = theta + rng.normal(0, np.sqrt(v))
    means, sds = zip(
        *(_conjugate(0.0, 1.0, yi, vi) for yi, vi in zip(y, v, strict=True)), strict=True
    )
    prior = empirical_bayes_prior(means, sds)
    assert prior.fitted_mean == pytest.approx(-0.5, abs=0.05)
    assert prior.fitted_sd == pytest.approx(0.8, abs=0.05)
    weight = n / (n + PRIOR_LEARNERS)
    assert prior.weight == pytest.approx(weight)
    assert prior.mean == pytest.approx(weight * prior.fitted_mean)
    assert prior.sd**2 == pytest.approx(weight * prior.fitted_sd**2 + (1 - weight))


def test_thirty_learners_move_the_prior_half_way() -> None:
    means, sds = zip(*(_conjugate(0.0, 1.0, -1.0, 0.09) for _ in range(30)), strict=True)
    prior = empirical_bayes_prior(means, sds)
    assert prior.weight == pytest.approx(0.5)
    assert prior.mean == pytest.approx(-0.5, abs=1e-6)


def test_growth_and_drift_are_recovered_from_returning_learners() -> None:
    rng = np.random.default_rng(3)
    n = 4000
    days = rng.uniform(3, 60, n)
    growth, drift = 0.02, 0.004
    start = rng.normal(0, 1, n)
    end = start + growth * days + rng.normal(0, np.sqrt(drift * days))
    v1, v2 = rng.uniform(0.1, 0.3, n), rng.uniform(0.1, 0.3, n)
    y1 = start + rng.normal(0, np.sqrt(v1))
    y2 = end + rng.normal(0, np.sqrt(v2))
    model = estimate_growth((y1, v1), (y2, v2), days)
    assert model.pairs == n
    assert model.growth_per_day == pytest.approx(growth, abs=0.002)
    assert model.drift_variance_per_day == pytest.approx(drift, rel=0.25)


def test_growth_needs_enough_pairs_and_usable_ones() -> None:
    model = estimate_growth(([0.0] * 5, [0.1] * 5), ([1.0] * 5, [0.1] * 5), [10] * 5)
    assert (model.growth_per_day, model.pairs) == (0.0, 5)
    assert model.drift_variance_per_day == DEFAULT_DRIFT_VARIANCE_PER_DAY
    unusable = estimate_growth(([0.0] * 40, [np.inf] * 40), ([1.0] * 40, [0.1] * 40), [10] * 40)
    assert unusable.pairs == 0


def test_growth_from_histories_pairs_consecutive_results_after_removing_their_priors() -> None:
    rng = np.random.default_rng(4)
    histories = []
    for _ in range(300):
        theta, day, prior = rng.normal(), 0.0, (0.0, 1.0)
        history = []
        for _ in range(3):
            v = 0.09
            y = theta + rng.normal(0, math.sqrt(v))
            mean, sd = _conjugate(prior[0], prior[1], y, v)
            history.append(MeasuredResult(mean, sd, prior[0], prior[1], day))
            prior = (mean, math.hypot(sd, 0.4))  # carried over: shrinks the next estimate
            gap = rng.uniform(7, 30)
            theta += 0.01 * gap
            day += gap
        histories.append(history[::-1])  # order does not matter
    model = growth_from_histories(histories)
    assert model.pairs == 600
    assert model.growth_per_day == pytest.approx(0.01, abs=0.002)


def test_population_from_latest_uses_each_results_own_prior() -> None:
    results = [MeasuredResult(*_conjugate(0.5, 0.6, -1.0, 0.09), 0.5, 0.6, 0.0)] * 40
    prior = population_from_latest(results)
    assert prior.fitted_mean == pytest.approx(-1.0, abs=1e-6)
    assert prior.learners == 40

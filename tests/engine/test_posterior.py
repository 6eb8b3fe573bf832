"""The incremental posterior: normalisation, update == batch, summaries, priors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.irt import Posterior, carry_over_prior, estimate_eap, normal_prior, quadrature_grid
from engine.irt.population import (
    DEFAULT_DRIFT_VARIANCE_PER_DAY,
    GROWTH_HORIZON_DAYS,
    GrowthModel,
)
from engine.irt.posterior import MIN_DRIFT_SD, answer_share, carry_over

Item = tuple[float, float, float, float]

item = st.tuples(
    st.floats(0.05, 4.0), st.floats(-5.0, 5.0), st.floats(0.0, 0.5), st.sampled_from([0.0, 1.0])
)
extreme_item = st.tuples(
    st.floats(0.0, 1e300), st.floats(-1e300, 1e300), st.floats(0.0, 1.0), st.booleans()
)


def test_prior_summaries_match_the_normal() -> None:
    prior = Posterior.normal(0.3, 0.8)
    assert prior.mean == pytest.approx(0.3, abs=1e-6)
    assert prior.sd == pytest.approx(0.8, abs=1e-4)
    assert prior.probability_at_or_above(0.3) == pytest.approx(0.5, abs=1e-3)
    # Phi(1.6449) = 0.95 for a 90% interval
    low, high = prior.credible_interval(0.9)
    assert low == pytest.approx(0.3 - 1.6449 * 0.8, abs=0.01)
    assert high == pytest.approx(0.3 + 1.6449 * 0.8, abs=0.01)
    assert prior.map == pytest.approx(0.3, abs=1e-3)


@given(st.lists(item, max_size=40))
@settings(deadline=None)
def test_incremental_update_equals_batch(items: list[Item]) -> None:
    posterior = normal_prior()
    for a, b, c, x in items:
        posterior = posterior.update(a, b, c, x)
    if items:
        a, b, c, x = map(np.array, zip(*items, strict=True))
    else:
        a = b = c = x = np.array([])
    batch = normal_prior().update_many(a, b, c, x)
    np.testing.assert_allclose(posterior.log_density, batch.log_density, atol=1e-8)
    assert posterior.mean == pytest.approx(estimate_eap(a, b, c, x).theta, abs=1e-9)


@given(st.lists(extreme_item, max_size=30), st.floats(-1e300, 1e300), st.floats(0.0, 1e300))
@settings(deadline=None, max_examples=200)
def test_posterior_is_finite_and_normalised_for_any_input(
    items: list[Item], mean: float, sd: float
) -> None:
    posterior = Posterior.normal(mean, sd)
    for a, b, c, x in items:
        posterior = posterior.update(a, b, c, x)
    assert np.isfinite(posterior.log_density).all()
    assert posterior.log_density.max() == 0.0
    assert posterior.masses.sum() == pytest.approx(1.0)
    values = [
        posterior.mean,
        posterior.sd,
        posterior.map,
        posterior.probability_at_or_above(0.0),
        *posterior.credible_interval(0.9),
    ]
    assert all(math.isfinite(value) for value in values)
    low, high = posterior.credible_interval(0.9)
    assert posterior.grid[0] <= low <= high <= posterior.grid[-1]


@given(st.lists(item, min_size=1, max_size=20), st.floats(-7, 7), st.floats(-7, 7))
@settings(deadline=None)
def test_probability_at_or_above_is_monotone(items: list[Item], cut_1: float, cut_2: float) -> None:
    posterior = normal_prior()
    for a, b, c, x in items:
        posterior = posterior.update(a, b, c, x)
    low, high = sorted((cut_1, cut_2))
    assert posterior.probability_at_or_above(low) >= posterior.probability_at_or_above(high)


def test_skipped_answers_leave_the_posterior_unchanged() -> None:
    posterior = normal_prior().update(1.0, 0.0, 0.2, True)
    assert posterior.update(1.0, 0.5, 0.0, None) is posterior
    assert posterior.update(1.0, 0.5, 0.0, math.nan) is posterior


def test_updates_move_the_mean_the_right_way_and_shrink_the_sd() -> None:
    prior = normal_prior()
    right = prior.update(1.5, 0.0, 0.0, True)
    wrong = prior.update(1.5, 0.0, 0.0, False)
    assert right.mean > prior.mean > wrong.mean
    assert right.sd < prior.sd and wrong.sd < prior.sd
    assert prior.mean == pytest.approx(0.0, abs=1e-9)  # immutable


def test_all_correct_is_finite_and_high() -> None:
    posterior = normal_prior()
    for _ in range(200):
        posterior = posterior.update(2.0, 0.0, 0.0, True)
    assert 2.0 < posterior.mean <= 6.0
    assert posterior.probability_at_or_above(1.0) > 0.99
    assert posterior.credible_interval(0.9)[0] > 1.0


def test_interval_lies_one_side_when_probability_is_extreme() -> None:
    posterior = normal_prior()
    for b in np.linspace(-1, 1, 15):
        posterior = posterior.update(1.5, b, 0.0, False)
    assert posterior.probability_at_or_above(0.0) < 0.1
    assert posterior.credible_interval(0.8)[1] < 0.0


def test_custom_grid_is_used() -> None:
    grid = quadrature_grid(-4, 4, 33)
    posterior = Posterior.normal(0, 1, grid)
    assert posterior.grid.size == 33
    assert posterior.update(1, 0, 0, True).grid is posterior.grid


def test_carry_over_prior_widens_and_caps() -> None:
    assert carry_over_prior(0.8, 0.3) == pytest.approx((0.8, math.hypot(0.3, 0.5)))
    assert carry_over_prior(0.8, 0.3, widen=0.0) == pytest.approx((0.8, 0.3))
    assert carry_over_prior(0.8, 0.95) == pytest.approx((0.8, 1.0))  # never wider than N(0,1)
    assert carry_over_prior(math.nan, 0.3) == (0.0, 1.0)
    assert carry_over_prior(0.1, math.inf) == (0.0, 1.0)


def test_quadrature_grid_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        quadrature_grid(1, -1, 10)
    with pytest.raises(ValueError):
        quadrature_grid(-1, 1, 1)


def test_time_aware_carry_over_widens_with_the_days_since() -> None:

    # The default drift is chosen so that 30 days give the old fixed 0.5.
    assert carry_over_prior(0.8, 0.3, days_since=30) == pytest.approx((0.8, math.hypot(0.3, 0.5)))
    seven = carry_over(0.8, 0.3, 7.0)
    assert seven.drift_sd == pytest.approx(math.sqrt(7 * DEFAULT_DRIFT_VARIANCE_PER_DAY))
    assert seven.prior_sd == pytest.approx(math.hypot(0.3, seven.drift_sd))
    # A same-day retake still allows for sitting-to-sitting variation.
    same_day = carry_over(0.8, 0.3, 0.0)
    assert same_day.drift_sd == MIN_DRIFT_SD
    assert same_day.prior_sd == pytest.approx(math.hypot(0.3, MIN_DRIFT_SD))
    # A long gap gives back the population prior's SD (never vaguer).
    assert carry_over(0.8, 0.3, 400.0, max_sd=0.9).prior_sd == pytest.approx(0.9)
    sds = [carry_over(0.0, 0.3, days).prior_sd for days in (0, 1, 7, 30, 90)]
    assert sds == sorted(sds)


def test_carry_over_moves_by_the_average_growth_up_to_a_horizon() -> None:

    model = GrowthModel(growth_per_day=0.01, drift_variance_per_day=0.005, pairs=50)
    result = carry_over(0.2, 0.3, 20.0, model)
    assert result.growth == pytest.approx(0.2)
    assert result.prior_mean == pytest.approx(0.4)
    assert result.prior_sd == pytest.approx(math.sqrt(0.09 + 20 * 0.005))
    assert carry_over(0.2, 0.3, 400.0, model).growth == pytest.approx(0.01 * GROWTH_HORIZON_DAYS)
    assert carry_over_prior(0.2, 0.3, days_since=20.0, growth=model) == pytest.approx(
        (result.prior_mean, result.prior_sd)
    )


def test_carry_over_falls_back_on_nonsense() -> None:
    assert carry_over_prior(math.nan, 0.3, days_since=3) == (0.0, 1.0)
    bad = carry_over(0.5, 0.3, math.nan, GrowthModel(math.nan, -1.0, 3))
    assert (bad.days, bad.growth) == (0.0, 0.0)
    assert math.isfinite(bad.prior_sd) and bad.prior_mean == 0.5
    assert carry_over(0.5, 0.3, -5.0).days == 0.0


@pytest.mark.parametrize(
    ("prior_sd", "posterior_sd", "share"),
    [(1.0, 0.5, 0.75), (1.0, 1.0, 0.0), (0.58, 0.41, 1 - (0.41 / 0.58) ** 2), (1.0, 0.0, 1.0)],
)
def test_answer_share_is_the_answers_part_of_the_precision(
    prior_sd: float, posterior_sd: float, share: float
) -> None:
    assert answer_share(prior_sd, posterior_sd) == pytest.approx(share)
    assert answer_share(math.nan, 0.5) == 0.0
    assert answer_share(0.5, 0.8) == 0.0  # wider than the prior: clipped to no share

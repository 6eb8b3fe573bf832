"""Response function, log-probabilities and information: textbook values and properties.

Closed forms from Lord (1980, *Applications of item response theory*, eq. 5-6
and the 3PL maximum) and Birnbaum (1968): for a 3PL item the information is
largest at ``theta = b + ln((1 + sqrt(1 + 8c)) / 2) / a`` and its maximum is
``a^2 / (8 (1 - c)^2) * (1 - 20c - 8c^2 + (1 + 8c)^1.5)``; for the 2PL that is
``a^2 / 4`` at ``theta = b``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.irt.model import (
    information,
    information_from_terms,
    information_terms,
    log_likelihood,
    log_probabilities,
    probability,
)
from engine.irt.model import test_information as total_information

finite_theta = st.floats(-1e6, 1e6, allow_nan=False)
any_theta = st.floats(allow_nan=False, allow_infinity=False)
any_a = st.floats(0.0, 1e300, allow_nan=False)
any_b = st.floats(allow_nan=False, allow_infinity=False)
any_c = st.floats(0.0, 1.0, allow_nan=False)


def test_probability_at_difficulty_is_midway_between_asymptotes() -> None:
    assert probability(0.7, 1.3, 0.7, 0.2) == pytest.approx(0.2 + 0.8 / 2)
    assert probability(0.0, 1.0, 0.0) == pytest.approx(0.5)


def test_probability_known_value() -> None:
    # 1 / (1 + e^-1) = 0.7310585786300049 (logistic at 1)
    assert probability(1.0, 1.0, 0.0, 0.0) == pytest.approx(0.7310585786300049, abs=1e-15)
    assert probability(1.0, 2.0, 0.5, 0.25) == pytest.approx(0.25 + 0.75 * 0.7310585786300049)


@pytest.mark.parametrize(("a", "c"), [(1.0, 0.0), (1.7, 0.0), (1.0, 0.25), (0.8, 0.2), (2.0, 0.5)])
def test_information_maximum_matches_lord_closed_form(a: float, c: float) -> None:
    b = 0.4
    where = b + math.log((1 + math.sqrt(1 + 8 * c)) / 2) / a
    height = a**2 / (8 * (1 - c) ** 2) * (1 - 20 * c - 8 * c**2 + (1 + 8 * c) ** 1.5)
    grid = np.linspace(where - 0.01, where + 0.01, 2001)
    values = information(grid, a, b, c)
    assert values.max() == pytest.approx(height, rel=1e-9)
    assert grid[np.argmax(values)] == pytest.approx(where, abs=2e-5)


def test_two_pl_information_is_quarter_a_squared_at_b() -> None:
    assert information(0.3, 1.0, 0.3) == pytest.approx(0.25)
    assert information(-1.0, 2.0, -1.0) == pytest.approx(1.0)


def test_information_equals_squared_derivative_over_pq() -> None:
    theta, a, b, c = 0.3, 1.4, -0.2, 0.22
    h = 1e-6
    derivative = (probability(theta + h, a, b, c) - probability(theta - h, a, b, c)) / (2 * h)
    p = probability(theta, a, b, c)
    assert information(theta, a, b, c) == pytest.approx(derivative**2 / (p * (1 - p)), rel=1e-7)


def test_vectorised_shapes() -> None:
    a, b, c = np.array([1.0, 1.5, 0.8]), np.array([-1.0, 0.0, 1.0]), np.array([0.0, 0.2, 0.1])
    grid = np.linspace(-3, 3, 7)
    assert probability(grid[:, None], a, b, c).shape == (7, 3)
    assert total_information(grid[:, None], a, b, c).shape == (7,)
    assert total_information(0.0, a, b, c) == pytest.approx(information(0.0, a, b, c).sum())
    assert log_likelihood(grid[:, None], a, b, c, [1, 0, np.nan]).shape == (7,)


def test_log_likelihood_skips_missing() -> None:
    a, b, c = np.array([1.0, 1.5]), np.array([-1.0, 0.5]), np.array([0.0, 0.2])
    with_missing = log_likelihood(0.2, a, b, c, [1.0, np.nan])
    assert with_missing == pytest.approx(float(np.log(probability(0.2, 1.0, -1.0, 0.0))))
    assert log_likelihood(0.2, a, b, c, [np.nan, np.nan]) == 0.0


@given(any_theta, any_a, any_b, any_c)
@settings(deadline=None)
def test_everything_is_finite_for_any_finite_input(
    theta: float, a: float, b: float, c: float
) -> None:
    p = probability(theta, a, b, c)
    log_correct, log_wrong = log_probabilities(theta, a, b, c)
    info = information(theta, a, b, c)
    assert np.isfinite([p, log_correct, log_wrong, info]).all()
    assert 0.0 <= p <= 1.0
    assert log_correct <= 0.0 and log_wrong <= 0.0
    assert info >= 0.0


@given(
    st.floats(-50, 50),
    st.floats(1e-3, 50),
    st.floats(-50, 50),
    st.floats(0.0, 0.99),
)
@settings(deadline=None)
def test_log_probabilities_are_complementary(theta: float, a: float, b: float, c: float) -> None:
    log_correct, log_wrong = log_probabilities(theta, a, b, c)
    assert np.logaddexp(log_correct, log_wrong) == pytest.approx(0.0, abs=1e-9)
    assert math.exp(float(log_correct)) == pytest.approx(float(probability(theta, a, b, c)))


@given(
    st.lists(finite_theta, min_size=2, max_size=20),
    st.floats(1e-3, 1e3),
    st.floats(-1e3, 1e3),
    st.floats(0.0, 0.99),
)
@settings(deadline=None)
def test_probability_is_monotone_in_theta(
    thetas: list[float], a: float, b: float, c: float
) -> None:
    ordered = np.sort(np.asarray(thetas))
    values = probability(ordered, a, b, c)
    assert np.all(np.diff(values) >= 0.0)


@given(
    st.lists(st.floats(-10, 10), min_size=1, max_size=30),
    st.floats(-1e300, 1e300),
)
@settings(deadline=None)
def test_information_from_terms_matches_information(bs: list[float], theta: float) -> None:
    b = np.asarray(bs)
    a = np.linspace(0.3, 2.5, b.size)
    c = np.linspace(0.0, 0.4, b.size)
    fast = information_from_terms(theta, information_terms(a, b, c))
    assert np.all(np.isfinite(fast))
    np.testing.assert_allclose(fast, information(theta, a, b, c), rtol=1e-7, atol=1e-300)

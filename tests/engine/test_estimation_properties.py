"""Estimators: finite for every pattern, sensible at the extremes, missing answers skipped."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.irt import (
    DEFAULT_SEARCH_BOUNDS,
    MAX_STANDARD_ERROR,
    METHODS,
    estimate_ability,
    estimate_ml,
    estimate_wle,
)

A = np.array([1.0, 1.2, 0.8, 1.5, 1.1, 0.9])
B = np.array([-1.5, -0.5, 0.0, 0.4, 1.0, 2.0])
C = np.array([0.0, 0.2, 0.1, 0.0, 0.25, 0.0])

patterns = st.lists(
    st.tuples(
        st.floats(0.0, 1e300),
        st.floats(-1e300, 1e300),
        st.floats(0.0, 1.0),
        st.sampled_from([0.0, 1.0, math.nan]),
    ),
    max_size=12,
)


@given(patterns, st.sampled_from(METHODS))
@settings(max_examples=150, deadline=None)
def test_every_estimator_is_finite_for_any_pattern(
    items: list[tuple[float, float, float, float]], method: str
) -> None:
    a, b, c, x = (np.array(values) for values in zip(*items, strict=True)) if items else [[]] * 4
    estimate = estimate_ability(a, b, c, x, method)
    assert math.isfinite(estimate.theta)
    assert math.isfinite(estimate.se)
    assert 0.0 <= estimate.se <= MAX_STANDARD_ERROR


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("value", [0.0, 1.0])
def test_constant_patterns(method: str, value: float) -> None:
    estimate = estimate_ability(A, B, C, np.full(A.size, value), method)
    assert math.isfinite(estimate.theta) and math.isfinite(estimate.se)
    direction = 1 if value == 1.0 else -1
    assert direction * estimate.theta > 0.5
    if method in ("eap", "map"):
        assert abs(estimate.theta) < 3.0  # the prior keeps it reasonable
        assert not estimate.at_bound


def test_ml_all_correct_stops_at_the_bound() -> None:
    estimate = estimate_ml(A, B, C, np.ones(A.size))
    assert estimate.theta == DEFAULT_SEARCH_BOUNDS[1]
    assert estimate.at_bound
    wider = estimate_ml(A, B, C, np.ones(A.size), bounds=(-6.0, 6.0))
    assert wider.theta == 6.0


def test_wle_is_finite_inside_the_bounds_for_all_correct_2pl() -> None:
    estimate = estimate_wle(A, B, np.zeros(A.size), np.ones(A.size))
    assert not estimate.at_bound
    assert 1.0 < estimate.theta < DEFAULT_SEARCH_BOUNDS[1]


def test_wle_is_less_extreme_than_ml() -> None:
    x = np.array([1, 1, 1, 0, 1, 0], dtype=float)
    ml = estimate_ability(A, B, C, x, "ml")
    wle = estimate_ability(A, B, C, x, "wle")
    assert abs(wle.theta) < abs(ml.theta)


@pytest.mark.parametrize("method", METHODS)
def test_missing_responses_are_skipped(method: str) -> None:
    x = np.array([1, np.nan, 0, 1, np.nan, 0])
    answered = ~np.isnan(x)
    with_missing = estimate_ability(A, B, C, x, method)
    dropped = estimate_ability(A[answered], B[answered], C[answered], x[answered], method)
    assert with_missing.theta == pytest.approx(dropped.theta, abs=1e-12)
    assert with_missing.se == pytest.approx(dropped.se, abs=1e-12)


def test_no_answers() -> None:
    empty = np.array([])
    assert estimate_ability(empty, empty, empty, empty, "eap").se == pytest.approx(1.0, abs=1e-3)
    assert estimate_ability(empty, empty, empty, empty, "map").theta == pytest.approx(0.0)
    ml = estimate_ability(empty, empty, empty, empty, "ml")
    assert ml.theta == 0.0 and ml.se == MAX_STANDARD_ERROR


def test_estimates_increase_with_the_number_correct_for_rasch() -> None:
    b = np.linspace(-2, 2, 8)
    for method in METHODS:
        thetas = [
            estimate_ability(
                np.ones(8), b, np.zeros(8), np.r_[np.ones(k), np.zeros(8 - k)], method
            ).theta
            for k in range(9)
        ]
        assert np.all(np.diff(thetas) > 0), method


def test_unknown_method_and_bad_bounds() -> None:
    with pytest.raises(ValueError, match="unknown estimation method"):
        estimate_ability(A, B, C, np.ones(A.size), "bogus")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        estimate_ml(A, B, C, np.ones(A.size), bounds=(1.0, -1.0))

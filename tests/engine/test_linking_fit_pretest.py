"""Stocking-Lord linking, item fit and flags, and the pretest rule.

Linking: the transformation is recovered exactly when the new parameters are an
exact linear rescaling of the old ones (Kolen & Brennan, 2014, ch. 6: the
characteristic-curve criterion is then zero at the true constants), and
approximately after two real calibrations of the same items on samples from
different populations.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.irt.calibration import calibrate_items
from engine.irt.item_fit import ItemFlag, item_fit, item_flags
from engine.irt.linking import apply_linking, mean_sigma, stocking_lord
from engine.irt.model import probability
from engine.irt.pretest import (
    MIN_OPERATIONAL_ITEMS,
    ParameterSource,
    is_pretest,
    pretest_items,
)

# -- linking --------------------------------------------------------------------------------


@given(
    st.floats(0.5, 2.0),
    st.floats(-1.5, 1.5),
    st.integers(2, 30),
    st.integers(0, 2**32 - 1),
)
@settings(max_examples=40, deadline=None)
def test_stocking_lord_recovers_an_exact_rescaling(
    slope: float, intercept: float, n: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    a = np.exp(rng.normal(0.0, 0.3, n))
    b = rng.normal(0.0, 1.0, n)
    c = rng.choice([0.0, 0.2], n)
    # New-scale values of the same items: theta_old = slope * theta_new + intercept.
    new_a, new_b = a * slope, (b - intercept) / slope
    linking = stocking_lord(a, b, c, new_a, new_b, c)
    assert linking.converged
    assert linking.slope == pytest.approx(slope, abs=1e-4)
    assert linking.intercept == pytest.approx(intercept, abs=1e-4)
    linked = apply_linking(linking, new_a, new_b, np.ones(n), np.ones(n))
    assert linked.a == pytest.approx(a, rel=1e-3)
    assert linked.b == pytest.approx(b, abs=1e-3)


def test_linking_a_recalibration_on_another_cohort_to_the_earlier_scale() -> None:
    """Two N(0, 1)-scaled calibrations of 40 items on cohorts N(0, 1) and N(0.5, 1.2^2)."""
    rng = np.random.default_rng(3)
    a = np.exp(rng.normal(0.1, 0.3, 40))
    b = rng.normal(0.0, 1.0, 40)

    def calibrate(mean: float, sd: float):
        theta = rng.normal(mean, sd, 4000)
        responses = (rng.random((4000, 40)) < probability(theta[:, None], a, b)).astype(float)
        return calibrate_items(responses, 1.0, 0.0, prior_log_a_sd=math.inf, prior_b_sd=math.inf)

    old, new = calibrate(0.0, 1.0), calibrate(0.5, 1.2)
    linking = stocking_lord(old.a, old.b, old.c, new.a, new.b, new.c)
    assert linking.slope == pytest.approx(1.2, abs=0.08)
    assert linking.intercept == pytest.approx(0.5, abs=0.08)
    linked = apply_linking(linking, new.a, new.b, new.se_a, new.se_b)
    assert np.mean(np.abs(linked.b - old.b)) < 0.1
    assert linked.population_mean == pytest.approx(0.5, abs=0.08)
    assert linked.population_sd == pytest.approx(1.2, abs=0.08)


def test_degenerate_linking_inputs() -> None:
    assert stocking_lord([], [], [], [], [], []).slope == 1.0
    one = stocking_lord([1.0], [0.5], [0.0], [1.0], [0.0], [0.0])
    assert one.slope == 1.0 and one.intercept == pytest.approx(0.5, abs=1e-6)
    same = mean_sigma([1.0, 1.0], [0.0, 0.0])
    assert (same.slope, same.intercept) == (1.0, 1.0)


# -- item fit -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fitted() -> dict[str, object]:
    """40 items, 3,000 learners, 12 answers each (sparse); item 0 keyed wrongly, item 1 U-shaped."""
    rng = np.random.default_rng(21)
    n_items, n_people = 40, 3000
    a = np.exp(rng.normal(0.2, 0.2, n_items))
    b = rng.normal(0.0, 1.0, n_items)
    theta = rng.normal(0.0, 1.0, n_people)
    p = probability(theta[:, None], a, b)
    p[:, 0] = 1.0 - p[:, 0]  # a wrong key: the able get it "wrong"
    p[:, 1] = np.where(np.abs(theta) > 0.8, 0.85, 0.15)  # U-shaped: no 2PL curve fits it
    responses = (rng.random((n_people, n_items)) < p).astype(float)
    for row in responses:
        row[rng.choice(n_items, n_items - 12, replace=False)] = np.nan
    result = calibrate_items(responses, 1.0, 0.0)
    fit = item_fit(responses, result.a, result.b, result.c)
    return {"fit": fit, "result": result, "flags": item_flags(fit, result.a)}


def test_fitting_items_have_mean_squares_near_one_even_on_sparse_data(fitted) -> None:
    fit = fitted["fit"]
    good = slice(2, None)
    assert np.median(fit.infit[good]) == pytest.approx(1.0, abs=0.05)
    assert np.median(fit.outfit[good]) == pytest.approx(1.0, abs=0.06)
    assert np.mean(np.abs(fit.infit_t[good]) < 2.5) > 0.9
    assert np.all(fit.ability_correlation[good] > 0.1)


def test_a_wrong_key_and_an_erratic_item_are_flagged(fitted) -> None:
    flags = fitted["flags"]
    fit = fitted["fit"]
    assert fit.ability_correlation[0] < 0.0
    assert ItemFlag.NEGATIVE_DISCRIMINATION in flags[0]
    assert ItemFlag.LOW_DISCRIMINATION in flags[1]  # no 2PL curve separates on it
    flagged_good = sum(1 for item_flags_ in flags[2:] if item_flags_)
    assert flagged_good <= 2  # of 38 fitting items
    assert ItemFlag.NEGATIVE_DISCRIMINATION.advice.startswith("stronger learners")


def test_answers_more_erratic_than_the_curve_are_misfit() -> None:
    """Data from a flat item (a = 0.4) judged against a steep curve (a = 2.5): underfit."""
    rng = np.random.default_rng(8)
    theta = rng.normal(0.0, 1.0, 2000)
    a = np.array([1.2] * 15 + [0.4])
    b = np.linspace(-1.5, 1.5, 16)
    responses = (rng.random((2000, 16)) < probability(theta[:, None], a, b)).astype(float)
    claimed = a.copy()
    claimed[-1] = 2.5
    fit = item_fit(responses, claimed, b)
    assert fit.infit[-1] > 1.3 and fit.outfit[-1] > 1.3 and fit.infit_t[-1] > 2.0
    assert item_flags(fit, claimed)[-1] == (ItemFlag.MISFIT,)
    assert np.all(fit.infit[:-1] < 1.3)


def test_everyone_right_or_wrong_is_flagged() -> None:
    rng = np.random.default_rng(5)
    responses = (rng.random((200, 4)) < 0.6).astype(float)
    responses[:, 0] = 1.0
    responses[:, 1] = 0.0
    responses[:, 3] = np.nan
    fit = item_fit(responses, 1.0, 0.0)
    flags = item_flags(fit, [1.0, 1.0, 1.0, 1.0])
    assert ItemFlag.ALL_CORRECT in flags[0]
    assert ItemFlag.ALL_WRONG in flags[1]
    assert fit.n[3] == 0 and math.isnan(fit.infit[3]) and flags[3] == ()


# -- the pretest rule -------------------------------------------------------------------------


def test_guessed_items_are_pretest_only_in_areas_whose_scale_comes_from_data() -> None:
    calibrated_area = [True] * MIN_OPERATIONAL_ITEMS + [False] * 5
    authored_area = [True] * 3 + [False] * 10
    from_data = np.array(calibrated_area + authored_area)
    area = np.array([0] * len(calibrated_area) + [1] * len(authored_area))
    pretest = pretest_items(from_data, area)
    assert pretest[:MIN_OPERATIONAL_ITEMS].sum() == 0
    assert pretest[MIN_OPERATIONAL_ITEMS : len(calibrated_area)].all()
    assert not pretest[len(calibrated_area) :].any()  # the authored area keeps its scale
    assert pretest_items([], []).shape == (0,)
    with pytest.raises(ValueError):
        pretest_items([True], [0, 1])


def test_parameter_sources() -> None:
    assert {s for s in ParameterSource if s.from_data} == {
        ParameterSource.ANCHOR,
        ParameterSource.SHIPPED,
        ParameterSource.CALIBRATION,
    }
    assert not ParameterSource.CALIBRATION.authored and ParameterSource.SHIPPED.authored
    assert is_pretest(ParameterSource.DIFFICULTY, MIN_OPERATIONAL_ITEMS)
    assert not is_pretest(ParameterSource.DIFFICULTY, MIN_OPERATIONAL_ITEMS - 1)
    assert not is_pretest(ParameterSource.CALIBRATION, 500)

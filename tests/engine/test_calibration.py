"""Item calibration by marginal MAP with EM: recovery, sparse data, priors, totality, girth.

The girth reference values in ``fixtures/calibration_reference.json`` were made
once by ``fixtures/make_calibration_reference.py`` with girth 0.8.0
(``girth.twopl_mml``, its 2PL marginal maximum likelihood): three seeded 2PL
data sets (12 items x 2,000 examinees and 25 items x 1,000, complete; 12 x
2,000 with 30% missing completely at random), girth's defaults (N(0, 1)
ability, 41 Gauss-Legendre nodes on [-4.5, 4.5]) with ``use_LUT=False`` and
``max_iteration=200``. The responses themselves are stored, so neither girth
nor numpy's random streams are needed here. Our estimator is run with flat
item priors (infinite prior SDs), which makes it marginal maximum likelihood.

girth solves for ``b`` by matching the item's proportion correct under the
N(0, 1) ability distribution, a close cousin of the full likelihood equation,
so agreement is to within a small fraction of a standard error rather than to
rounding: 0.01 in ``a`` and 0.02 in ``b`` on complete data (the smallest SE of
``b`` is 0.033), 0.03 in ``b`` with missing responses. That our estimate is
the exact maximum of the marginal posterior is checked separately, against a
direct computation of that posterior's gradient and curvature.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from engine.irt import AdaptiveTestPlan, ItemBank, MaxItems, log_likelihood, record_response
from engine.irt.calibration import (
    DEFAULT_PRIOR_B_SD,
    DEFAULT_PRIOR_LOG_A_SD,
    CalibrationResult,
    Population,
    ability_posteriors,
    calibrate_items,
    calibration_grid,
)
from engine.irt.estimation import MAX_STANDARD_ERROR
from engine.irt.model import probability
from engine.irt.posterior import quadrature_grid, trapezoid_weights
from engine.irt.state import start_test

FIXTURE = Path(__file__).parent / "fixtures" / "calibration_reference.json"
FLAT = {"prior_log_a_sd": math.inf, "prior_b_sd": math.inf}


def _simulate(
    rng: np.random.Generator, a: np.ndarray, b: np.ndarray, c: np.ndarray, n_people: int
) -> np.ndarray:
    theta = rng.normal(0.0, 1.0, n_people)
    return (rng.random((n_people, a.size)) < probability(theta[:, None], a, b, c)).astype(float)


def _authored_prior(b: np.ndarray) -> np.ndarray:
    """What an author would have written: the nearest of -2, -1, 0, 1, 2, sometimes off by one."""
    return np.clip(np.round(b), -2.0, 2.0)


def _assert_finite(result: CalibrationResult) -> None:
    for values in (result.a, result.b, result.c, result.se_a, result.se_b):
        assert np.all(np.isfinite(values))
    assert all(math.isfinite(value) for value in result.log_posterior)
    assert np.all(result.a > 0.0)
    assert np.all((result.se_a >= 0.0) & (result.se_a <= MAX_STANDARD_ERROR))
    assert np.all((result.se_b >= 0.0) & (result.se_b <= MAX_STANDARD_ERROR))


# -- recovery --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def recovery() -> tuple[CalibrationResult, np.ndarray, np.ndarray, np.ndarray]:
    """60 3PL items with known a, b and fixed c; 3,000 simulees; started from author priors."""
    rng = np.random.default_rng(20240611)
    n_items = 60
    a = np.exp(rng.normal(0.1, 0.3, n_items))
    b = rng.normal(0.0, 1.0, n_items)
    c = rng.choice([0.0, 0.25, 0.5], n_items, p=[0.5, 0.35, 0.15])
    responses = _simulate(rng, a, b, c, 3000)
    result = calibrate_items(responses, np.ones(n_items), _authored_prior(b), c)
    return result, a, b, c


def test_known_parameters_are_recovered(recovery) -> None:
    result, a, b, c = recovery
    assert result.converged
    assert np.corrcoef(result.b, b)[0, 1] > 0.95
    assert np.corrcoef(result.a, a)[0, 1] > 0.8
    assert math.sqrt(np.mean((result.b - b) ** 2)) < 0.25
    assert np.array_equal(result.c, c)  # the guessing parameter is held
    assert np.all(result.n_responses == 3000)
    assert result.estimated.all()


def test_standard_errors_cover_the_truth(recovery) -> None:
    result, a, b, _ = recovery
    covered_b = np.mean(np.abs(result.b - b) <= 1.96 * result.se_b)
    covered_a = np.mean(np.abs(result.a - a) <= 1.96 * result.se_a)
    assert 0.85 <= covered_b <= 1.0
    assert 0.85 <= covered_a <= 1.0
    assert 0.03 < np.median(result.se_b) < 0.2


def test_the_log_posterior_never_decreases(recovery) -> None:
    result = recovery[0]
    trace = np.array(result.log_posterior)
    assert 2 <= len(trace) <= result.iterations + 1
    assert np.all(np.diff(trace) >= -1e-6 * np.abs(trace[1:]))
    assert trace[-1] > trace[0]


# -- sparse, adaptive data ---------------------------------------------------------------


@pytest.fixture(scope="module")
def adaptive() -> tuple[CalibrationResult, np.ndarray, np.ndarray, np.ndarray]:
    """A bank with author priors (a = 1, b rounded) taken adaptively by 1,500 simulees.

    Items are chosen by the real engine (maximum information at the running EAP,
    randomesque) from the *prior* parameters, while answers follow the true ones,
    as when a new bank goes live: 12 of 80 items per simulee (15% of the matrix).
    """
    rng = np.random.default_rng(5)
    n_items, n_people, length = 80, 1500, 12
    a = np.exp(rng.normal(0.1, 0.3, n_items))
    b = rng.normal(0.0, 1.2, n_items)
    c = rng.choice([0.0, 0.25], n_items)
    prior_b = _authored_prior(b)
    bank = ItemBank.from_arrays(np.ones(n_items), prior_b, c)
    plan = AdaptiveTestPlan(stopping=MaxItems(length))
    theta = rng.normal(0.0, 1.0, n_people)
    responses = np.full((n_people, n_items), np.nan)
    for person in range(n_people):
        state = start_test(bank)
        while (item := plan.next_item(state, rng)) is not None:
            p = probability(theta[person], a[item], b[item], c[item])
            correct = bool(rng.random() < p)
            responses[person, item] = float(correct)
            state = record_response(state, item, correct)
    result = calibrate_items(responses, np.ones(n_items), prior_b, c)
    return result, a, b, prior_b


def test_sparse_adaptive_data_converges_and_improves_on_the_priors(adaptive) -> None:
    """Difficulty is learnt well; discrimination less so (adaptive data give each item a
    narrow band of abilities), but its standard errors say so honestly."""
    result, a, b, prior_b = adaptive
    _assert_finite(result)
    assert result.converged
    assert result.iterations < 200
    informed = result.n_responses >= 50
    assert informed.sum() >= 30
    error_prior = math.sqrt(np.mean((prior_b[informed] - b[informed]) ** 2))
    error_calibrated = math.sqrt(np.mean((result.b[informed] - b[informed]) ** 2))
    assert error_calibrated < 0.75 * error_prior
    assert np.corrcoef(result.b[informed], b[informed])[0, 1] > 0.95
    for estimate, truth, se in ((result.b, b, result.se_b), (result.a, a, result.se_a)):
        covered = np.abs(estimate - truth)[informed] <= 1.96 * se[informed]
        assert 0.8 <= covered.mean() <= 1.0


# -- priors ------------------------------------------------------------------------------


def test_items_without_responses_stay_at_their_prior() -> None:
    rng = np.random.default_rng(1)
    responses = _simulate(rng, np.ones(4), np.zeros(4), np.zeros(4), 300)
    responses[:, 2] = np.nan
    result = calibrate_items(responses, [1.0, 1.3, 1.3, 1.0], [0.0, 0.5, 1.5, -0.5], 0.2)
    assert result.n_responses[2] == 0
    assert result.a[2] == pytest.approx(1.0)  # the mode of log a ~ N(0, 0.5^2)
    assert result.b[2] == pytest.approx(1.5)  # centred on the current b
    assert result.se_a[2] == pytest.approx(DEFAULT_PRIOR_LOG_A_SD * result.a[2], rel=1e-6)
    assert result.se_b[2] == pytest.approx(DEFAULT_PRIOR_B_SD, rel=1e-6)


@pytest.mark.parametrize("value", [0.0, 1.0])
def test_an_item_everyone_got_right_or_wrong_shrinks_to_its_prior(value: float) -> None:
    rng = np.random.default_rng(2)
    responses = _simulate(rng, np.ones(6), np.linspace(-1, 1, 6), np.zeros(6), 400)
    responses[:, 0] = np.nan
    responses[:8, 0] = value  # 8 answers, all the same
    result = calibrate_items(responses, np.ones(6), np.zeros(6))
    direction = -1.0 if value == 1.0 else 1.0
    assert 0.3 < direction * result.b[0] < 2.5  # moved the right way, but not to the edge
    assert 0.3 < result.a[0] < 3.0
    flat = calibrate_items(responses, np.ones(6), np.zeros(6), **FLAT)
    _assert_finite(flat)
    assert direction * flat.b[0] > direction * result.b[0]  # without a prior it runs further


def test_prior_b_can_differ_from_the_starting_value() -> None:
    responses = np.full((10, 2), np.nan)
    result = calibrate_items(responses, [1.0, 1.0], [0.7, 0.7], prior_b=[-1.0, 2.0])
    assert result.b == pytest.approx([-1.0, 2.0])


def test_fixed_items_keep_their_parameters_and_still_inform_ability() -> None:
    rng = np.random.default_rng(3)
    a = np.array([1.5, 1.5, 1.5, 1.0, 0.8])
    b = np.array([-1.0, 0.0, 1.0, 0.5, -0.5])
    responses = _simulate(rng, a, b, np.zeros(5), 2000)
    fixed = np.array([True, True, True, False, False])
    result = calibrate_items(responses, a, b, fixed=fixed, **FLAT)
    assert np.array_equal(result.a[fixed], a[fixed])
    assert np.array_equal(result.b[fixed], b[fixed])
    assert np.all(result.se_a[fixed] == 0.0) and np.all(result.se_b[fixed] == 0.0)
    assert np.array_equal(result.estimated, ~fixed)
    assert result.b[~fixed] == pytest.approx(b[~fixed], abs=0.15)


# -- the estimate is the maximum of the marginal posterior --------------------------------


def _marginal_log_posterior(
    responses: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, prior_b: np.ndarray
) -> float:
    """Direct computation, independent of the EM code: sum_i log sum_q w_q L_i(theta_q),
    on the calibration's quadrature grid."""
    grid = calibration_grid(int(np.max(np.sum(~np.isnan(responses), axis=1))))
    weights = trapezoid_weights(grid) * np.exp(-0.5 * grid**2)
    weights = weights / weights.sum()
    log_like = log_likelihood(grid[:, None, None], a, b, c, responses)  # (nodes, examinees)
    total = float(np.sum(np.log(weights @ np.exp(log_like))))
    log_prior = -0.5 * np.sum((np.log(a) / DEFAULT_PRIOR_LOG_A_SD) ** 2)
    log_prior += -0.5 * np.sum(((b - prior_b) / DEFAULT_PRIOR_B_SD) ** 2)
    return total + float(log_prior)


@pytest.fixture(scope="module")
def small_problem() -> tuple[np.ndarray, np.ndarray, np.ndarray, CalibrationResult]:
    rng = np.random.default_rng(4)
    a = np.array([0.8, 1.4, 1.0, 2.0, 1.2])
    b = np.array([-1.2, -0.3, 0.2, 0.9, 1.6])
    c = np.array([0.0, 0.25, 0.0, 0.2, 0.5])
    responses = _simulate(rng, a, b, c, 300)
    responses[rng.random(responses.shape) < 0.3] = np.nan
    prior_b = np.zeros(5)
    result = calibrate_items(responses, np.ones(5), prior_b, c, tolerance=1e-9)
    return responses, c, prior_b, result


def test_the_estimate_is_a_stationary_point_of_the_marginal_posterior(small_problem) -> None:
    responses, c, prior_b, result = small_problem
    assert result.converged
    h = 1e-5
    for item in range(5):
        for name in ("log_a", "b"):
            values = []
            for sign in (1.0, -1.0):
                log_a, b = np.log(result.a).copy(), result.b.copy()
                if name == "log_a":
                    log_a[item] += sign * h
                else:
                    b[item] += sign * h
                values.append(_marginal_log_posterior(responses, np.exp(log_a), b, c, prior_b))
            gradient = (values[0] - values[1]) / (2 * h)
            assert abs(gradient) < 1e-3, (item, name, gradient)


def test_standard_errors_come_from_the_curvature_of_the_marginal_posterior(small_problem) -> None:
    """Each item's 2x2 block of the negative Hessian, by finite differences, inverted."""
    responses, c, prior_b, result = small_problem
    h = 1e-3
    centre = np.concatenate([np.log(result.a), result.b])

    def value(point: np.ndarray) -> float:
        return _marginal_log_posterior(responses, np.exp(point[:5]), point[5:], c, prior_b)

    for item in range(5):
        indices = (item, item + 5)
        block = np.zeros((2, 2))
        for i, first in enumerate(indices):
            for j, second in enumerate(indices):
                total = 0.0
                for s1, s2 in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                    point = centre.copy()
                    point[first] += s1 * h
                    point[second] += s2 * h
                    total += s1 * s2 * value(point)
                block[i, j] = -total / (4 * h * h)
        covariance = np.linalg.inv(block)
        se_log_a, se_b = np.sqrt(np.diag(covariance))
        assert result.se_b[item] == pytest.approx(se_b, rel=0.01)
        assert result.se_a[item] == pytest.approx(result.a[item] * se_log_a, rel=0.01)


# -- girth ---------------------------------------------------------------------------------


def _reference() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_fixture_is_the_documented_one() -> None:
    document = _reference()
    assert document["girth_version"] == "0.8.0"
    assert document["girth_options"] == {"use_LUT": False, "max_iteration": 200}
    assert [case["name"] for case in document["cases"]] == [
        "dense-12x2000",
        "dense-25x1000",
        "mcar-12x2000",
    ]


@pytest.mark.parametrize("case", _reference()["cases"], ids=lambda case: case["name"])
def test_flat_prior_estimates_agree_with_girth(case: dict) -> None:
    symbols = {"1": 1.0, "0": 0.0, ".": math.nan}
    responses = np.array([[symbols[s] for s in row] for row in case["responses"]])
    n_items = responses.shape[1]
    result = calibrate_items(
        responses, np.ones(n_items), np.zeros(n_items), 0.0, tolerance=1e-6, **FLAT
    )
    assert result.converged
    b_tolerance = 0.03 if case["missing_rate"] else 0.02
    assert result.a == pytest.approx(case["girth_a"], abs=0.01)
    assert result.b == pytest.approx(case["girth_b"], abs=b_tolerance)
    # Both recover the truth about equally well.
    truth = np.array(case["true_b"])
    ours = math.sqrt(np.mean((result.b - truth) ** 2))
    theirs = math.sqrt(np.mean((np.array(case["girth_b"]) - truth) ** 2))
    assert ours < theirs + 0.01


# -- totality ----------------------------------------------------------------------------

cells = st.sampled_from([0.0, 1.0, math.nan])


@given(
    hnp.arrays(np.float64, st.tuples(st.integers(0, 6), st.integers(0, 5)), elements=cells),
    st.data(),
    st.booleans(),
)
@settings(max_examples=120, deadline=None)
def test_finite_for_any_small_matrix(
    responses: np.ndarray, data: st.DataObject, flat: bool
) -> None:
    n_items = responses.shape[1]
    floats = st.floats(allow_nan=False, allow_infinity=False)
    a = np.array(
        data.draw(st.lists(floats.filter(lambda v: v > 0), min_size=n_items, max_size=n_items))
    )
    b = np.array(data.draw(st.lists(floats, min_size=n_items, max_size=n_items)))
    c = np.array(data.draw(st.lists(st.floats(0.0, 0.999), min_size=n_items, max_size=n_items)))
    fixed = np.array(data.draw(st.lists(st.booleans(), min_size=n_items, max_size=n_items)))
    options = FLAT if flat else {}
    result = calibrate_items(responses, a, b, c, fixed=fixed, max_iterations=50, **options)
    _assert_finite(result)
    assert result.a.shape == result.b.shape == (n_items,)
    assert np.array_equal(result.n_responses, np.sum(~np.isnan(responses), axis=0))


def test_rejects_a_response_array_that_is_not_a_matrix() -> None:
    with pytest.raises(ValueError, match="matrix"):
        calibrate_items(np.zeros((2, 2, 2)), 1.0, 0.0)


# -- a published data set ------------------------------------------------------------------

#: LSAT section 6 (Bock & Lieberman, 1970; Bock & Aitkin, 1981): 1,000 examinees, five
#: items, as the 30 observed response patterns and their counts.
LSAT6_PATTERNS = {
    "00000": 3, "00001": 6, "00010": 2, "00011": 11, "00100": 1, "00101": 1, "00110": 3,
    "00111": 4, "01000": 1, "01001": 8, "01011": 16, "01101": 3, "01110": 2, "01111": 15,
    "10000": 10, "10001": 29, "10010": 14, "10011": 81, "10100": 3, "10101": 28, "10110": 15,
    "10111": 80, "11000": 16, "11001": 56, "11010": 21, "11011": 173, "11100": 11,
    "11101": 61, "11110": 28, "11111": 298,
}  # fmt: skip
#: The 2PL estimates published with R's ltm (Rizopoulos, 2006, J. Stat. Softw. 17(5)):
#: ``ltm(LSAT ~ z1, IRT.param = TRUE)``, marginal maximum likelihood, N(0, 1) abilities;
#: log-likelihood -2466.653.
LTM_LSAT6_A = [0.8254, 0.7229, 0.8905, 0.6886, 0.6575]
LTM_LSAT6_B = [-3.3597, -1.3696, -0.2799, -1.8659, -3.1236]


def test_lsat6_2pl_agrees_with_the_published_ltm_estimates() -> None:
    responses = np.array(
        [[float(ch) for ch in pattern] for pattern, n in LSAT6_PATTERNS.items() for _ in range(n)]
    )
    assert responses.shape == (1000, 5)
    result = calibrate_items(responses, 1.0, 0.0, tolerance=1e-7, **FLAT)
    assert result.converged
    assert result.a == pytest.approx(LTM_LSAT6_A, abs=0.01)
    assert result.b == pytest.approx(LTM_LSAT6_B, abs=0.01)
    assert result.log_likelihood == pytest.approx(-2466.653, abs=0.01)


# -- the exact marginal-likelihood solution -----------------------------------------------


def test_dense_2pl_is_within_0_01_of_the_exact_marginal_likelihood_solution() -> None:
    """2,000 x 200 2PL: the gradient of a directly computed marginal log-likelihood is ~0.

    The gradient (Fisher's identity: the posterior expectation of the complete-data
    score, summed over persons) is computed here independently of the EM code; a
    Newton step from our estimate, with each item's curvature (1 / SE^2), moves no
    parameter by more than 0.001, so the exact maximum is well within 0.01.
    """
    rng = np.random.default_rng(7)
    n_items, n_people = 200, 2000
    a = np.exp(rng.normal(0.0, 0.35, n_items))
    b = rng.normal(0.0, 1.0, n_items)
    responses = _simulate(rng, a, b, np.zeros(n_items), n_people)
    result = calibrate_items(responses, np.ones(n_items), np.zeros(n_items), **FLAT)
    assert result.converged
    grid = calibration_grid(n_items)
    log_weights = np.log(trapezoid_weights(grid) * np.exp(-0.5 * grid**2))
    z = result.a[None, :] * (grid[:, None] - result.b[None, :])
    p = 1.0 / (1.0 + np.exp(-z))
    log_joint = responses @ np.log(p).T + (1 - responses) @ np.log1p(-p).T + log_weights
    posterior = np.exp(log_joint - log_joint.max(axis=1, keepdims=True))
    posterior /= posterior.sum(axis=1, keepdims=True)
    residual = responses.T @ posterior - posterior.sum(axis=0)[None, :] * p.T  # items x nodes
    gradient_log_a = np.sum(residual * (z.T), axis=1)
    gradient_b = -result.a * np.sum(residual, axis=1)
    se_log_a = result.se_a / result.a
    assert np.max(np.abs(gradient_b) * result.se_b**2) < 1e-3
    assert np.max(np.abs(gradient_log_a) * se_log_a**2 * result.a) < 1e-3


def test_acceleration_reaches_the_same_estimate_as_plain_em() -> None:
    rng = np.random.default_rng(11)
    a, b = np.exp(rng.normal(0, 0.3, 15)), rng.normal(0, 1, 15)
    responses = _simulate(rng, a, b, np.zeros(15), 800)
    fast = calibrate_items(responses, 1.0, 0.0, tolerance=1e-8)
    slow = calibrate_items(responses, 1.0, 0.0, tolerance=1e-8, accelerate=False)
    assert fast.converged and slow.converged
    assert fast.iterations < slow.iterations
    assert fast.a == pytest.approx(slow.a, abs=1e-4)
    assert fast.b == pytest.approx(slow.b, abs=1e-4)


# -- a fixed scale: anchors and the population ----------------------------------------------


@pytest.fixture(scope="module")
def beginner_cohort() -> dict[str, np.ndarray]:
    """The experiment of issue #9: 3,000 learners from N(-0.7, 1), 60 known 3PL items."""
    rng = np.random.default_rng(20240611)
    n = 60
    a = np.exp(rng.normal(0.1, 0.3, n))
    b = rng.normal(0.0, 1.0, n)
    c = rng.choice([0.0, 0.25, 0.5], n, p=[0.5, 0.35, 0.15])
    theta = rng.normal(-0.7, 1.0, 3000)
    responses = (rng.random((3000, n)) < probability(theta[:, None], a, b, c)).astype(float)
    anchors = np.zeros(n, dtype=bool)
    anchors[rng.choice(n, 15, replace=False)] = True
    return {"a": a, "b": b, "c": c, "responses": responses, "anchors": anchors}


def test_without_population_estimation_the_scale_drifts(beginner_cohort) -> None:
    """Kim (2006): forcing N(0, 1) on a N(-0.7, 1) cohort pushes every b up."""
    data = beginner_cohort
    free = calibrate_items(data["responses"], 1.0, _authored_prior(data["b"]), data["c"])
    assert np.mean(free.b - data["b"]) > 0.5
    anchors = data["anchors"]
    held = calibrate_items(
        data["responses"],
        np.where(anchors, data["a"], 1.0),
        np.where(anchors, data["b"], _authored_prior(data["b"])),
        data["c"],
        fixed=anchors,
    )
    assert np.mean(held.b[~anchors] - data["b"][~anchors]) > 0.1


def test_anchors_and_population_estimation_keep_the_scale(beginner_cohort) -> None:
    """Fixed anchors plus multiple weights updating (Kim, 2006): issue #9's targets."""
    data = beginner_cohort
    anchors = data["anchors"]
    result = calibrate_items(
        data["responses"],
        np.where(anchors, data["a"], 1.0),
        np.where(anchors, data["b"], _authored_prior(data["b"])),
        data["c"],
        fixed=anchors,
        population=Population(estimate_mean=True, estimate_sd=True),
    )
    assert result.converged
    assert abs(np.mean(result.b[~anchors] - data["b"][~anchors])) <= 0.05
    assert result.population_mean == pytest.approx(-0.7, abs=0.1)
    assert result.population_sd == pytest.approx(1.0, abs=0.1)
    assert np.array_equal(result.b[anchors], data["b"][anchors])
    assert np.all(result.se_b[anchors] == 0.0)


def test_a_1pl_estimates_the_population_sd_without_anchors() -> None:
    rng = np.random.default_rng(12)
    b = rng.normal(0.0, 1.0, 25)
    theta = rng.normal(0.0, 1.6, 3000)
    responses = (rng.random((3000, 25)) < probability(theta[:, None], 1.0, b)).astype(float)
    result = calibrate_items(
        responses, 1.0, 0.0, estimate_a=False, population=Population(estimate_sd=True), **FLAT
    )
    assert np.all(result.a == 1.0) and np.all(result.se_a == 0.0)
    assert result.population_sd == pytest.approx(1.6, abs=0.1)
    assert result.population_mean == 0.0
    assert np.corrcoef(result.b, b)[0, 1] > 0.98


def test_ability_posteriors_use_the_population_as_prior() -> None:
    responses = np.full((1, 2), np.nan)
    responses[0, 0] = 1.0
    posteriors = ability_posteriors(np.vstack([responses, [[np.nan, np.nan]]]), 1.0, 0.0, mean=-1)
    assert posteriors.rows.tolist() == [True, False]
    mean = float(posteriors.weights[0] @ posteriors.grid)
    assert -1.0 < mean < 0.0  # pulled up from the prior mean by one right answer


def test_short_tests_use_the_coarse_grid_without_changing_the_estimates() -> None:
    """31 nodes for patterns of at most 20 answers: the same estimates as 121 nodes."""
    assert calibration_grid(20).size == 31 and calibration_grid(21).size == 61
    rng = np.random.default_rng(14)
    a, b = np.exp(rng.normal(0.1, 0.3, 40)), rng.normal(0.0, 1.0, 40)
    responses = _simulate(rng, a, b, np.zeros(40), 3000)
    for row in responses:
        row[rng.choice(40, 30, replace=False)] = np.nan
    coarse = calibrate_items(responses, 1.0, 0.0, tolerance=1e-7)
    fine = calibrate_items(responses, 1.0, 0.0, tolerance=1e-7, grid=quadrature_grid())
    assert coarse.a == pytest.approx(fine.a, abs=1e-4)
    assert coarse.b == pytest.approx(fine.b, abs=1e-4)


# -- guessing estimated with a prior ------------------------------------------------------------


def test_guessing_is_estimated_with_a_beta_prior() -> None:
    """Four-option items whose real guessing is 0.12 (learners often skip rather than guess)."""
    rng = np.random.default_rng(13)
    n = 30
    a = np.exp(rng.normal(0.2, 0.2, n))
    b = rng.normal(0.3, 1.0, n)
    c = np.full(n, 0.12)
    responses = _simulate(rng, a, b, c, 4000)
    result = calibrate_items(
        responses, 1.0, 0.0, 0.25, estimate_c=True, prior_c=0.1875, prior_c_weight=20.0
    )
    _assert_finite(result)
    assert result.converged
    assert 0.08 < np.mean(result.c) < 0.18  # well below the blind-guess 0.25
    assert np.all(result.se_c > 0.0)
    assert np.corrcoef(result.b, b)[0, 1] > 0.95
    # With no answers an item's guessing ends at the prior's mean.
    empty = np.full((5, 1), np.nan)
    alone = calibrate_items(empty, 1.0, 0.0, 0.25, estimate_c=True, prior_c=0.15)
    assert alone.c[0] == pytest.approx(0.15, abs=1e-4)

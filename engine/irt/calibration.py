"""Item calibration: marginal maximum a posteriori item parameters on a fixed scale.

`calibrate_items` estimates each item's discrimination ``a``, difficulty ``b``
and, where asked, guessing ``c`` from a (persons x items) response matrix, and
the mean and SD of the ability distribution when the scale is fixed by anchor
items.

Method
------
Marginal estimation (Bock & Aitkin, 1981): ability is integrated out over a
quadrature grid with a normal ability distribution N(mean, sd^2), and the EM
algorithm alternates

* **E-step**: every person's posterior over the grid given their responses
  and the current parameters, and from it the *expected* number of persons at
  each node who answered each item (``n_jq``) and who got it right (``r_jq``);
* **M-step**: per item, the parameters ``(log a, b, logit c)`` that maximise
  the expected complete-data log-likelihood ``sum_q r log P + (n - r) log(1 -
  P)`` plus the log prior, by Fisher scoring with step halving; and, when the
  scale is anchored, the population mean and SD from the posteriors
  (multiple-weights updating: the quadrature weights are the N(mean, sd^2)
  density at the nodes, recomputed in every EM cycle).

**The scale.** With anchor items held at known parameters (``fixed``) and
``estimate_mean`` / ``estimate_sd``, this is fixed-parameter calibration with
multiple weights updating and multiple EM cycles (Kim, 2006): the anchors pin
the scale, the population is re-estimated in every cycle with the anchors in
place, so free items land on the anchors' scale even when the learners are not
N(0, 1). Held fixed at N(0, 1) instead, a population that is really N(-0.7, 1)
pushes every free ``b`` up by about 0.7 (Kim, 2006, table 3). Without anchors
the scale is set by the sample (mean 0, SD 1 for these learners); a 1PL
(``estimate_a=False``) also identifies the SD.

**Online calibration.** Calibrating pretest items against operational items
held fixed, with every person's whole posterior (not a point estimate) in
every cycle, is Ban et al.'s (2001) multiple-EM-cycles method (MEM); with the
population re-estimated it is Kim's (2006) MWU-MEM. Both account for the
uncertainty of the learners' abilities, unlike Method A, which treats
estimates with SE of about 0.6 as known.

**Priors** (Mislevy, 1986): ``log a ~ N(0, 0.5^2)``, ``b ~ N(prior_b, 1)``,
and for items whose guessing is estimated ``c ~ Beta(w m, w (1 - m))`` with
mean ``m = prior_c`` and weight ``w = prior_c_weight`` (default 20, the
strength of BILOG-MG's default guessing prior), put on ``logit c`` so the
posterior mode sits at ``m`` when the data say nothing. Infinite prior SDs give
marginal maximum likelihood.

**Speed.** EM converges linearly and slowly when the information is spread
thin; the fixed-point iteration is accelerated with SQUAREM (Varadhan &
Roland, 2008): two EM steps give a direction, an extrapolated point is
stabilised by one more EM step, and kept only when it does not lower the log
posterior, so the log posterior never decreases.

**Standard errors** come from each item's block of the observed information
of the marginal log posterior (Louis, 1982): the expected complete-data
information minus the posterior variance of the complete-data score, plus the
prior precision. Taking each item's block alone ignores the (small)
covariance between items and with the population parameters.

Adaptive data are sparse, but items are chosen only from answers already
given, so missing responses are ignorable and the marginal likelihood of the
observed responses is the right one to maximise.

References
----------
Ban, J.-C., Hanson, B. A., Wang, T., Yi, Q., & Harris, D. J. (2001). A
comparative study of on-line pretest item calibration/scaling methods in
computerized adaptive testing. *Journal of Educational Measurement, 38*(3),
191-212.

Bock, R. D., & Aitkin, M. (1981). Marginal maximum likelihood estimation of item
parameters: Application of an EM algorithm. *Psychometrika, 46*(4), 443-459.

Kim, S. (2006). A comparative study of IRT fixed parameter calibration methods.
*Journal of Educational Measurement, 43*(4), 355-381.

Louis, T. A. (1982). Finding the observed information matrix when using the EM
algorithm. *Journal of the Royal Statistical Society, Series B, 44*(2), 226-233.

Mislevy, R. J. (1986). Bayes modal estimation in item response models.
*Psychometrika, 51*(2), 177-195.

Varadhan, R., & Roland, C. (2008). Simple and globally convergent methods for
accelerating the convergence of any EM algorithm. *Scandinavian Journal of
Statistics, 35*(2), 335-353.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from engine.irt.estimation import MAX_STANDARD_ERROR
from engine.irt.model import LOGIT_LIMIT, MAX_GUESSING, ArrayLike, FloatArray
from engine.irt.posterior import quadrature_grid, trapezoid_weights

IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

#: Prior of ``log a``: N(DEFAULT_PRIOR_LOG_A_MEAN, DEFAULT_PRIOR_LOG_A_SD^2), a
#: lognormal with median 1 and a 95% range of about 0.38 to 2.7.
DEFAULT_PRIOR_LOG_A_MEAN = 0.0
DEFAULT_PRIOR_LOG_A_SD = 0.5
#: Prior of ``b``: N(prior_b, DEFAULT_PRIOR_B_SD^2).
DEFAULT_PRIOR_B_SD = 1.0
#: Prior of an estimated ``c``: Beta with this mean and weight (pseudo-answers).
DEFAULT_PRIOR_C = 0.2
DEFAULT_PRIOR_C_WEIGHT = 20.0

#: Estimates of ``a`` are kept within these bounds (an item whose best ``a`` is
#: below 0.05 does not measure anything; above 8 it is a step function on the grid).
DISCRIMINATION_BOUNDS = (0.05, 8.0)
#: Estimated guessing is kept within these bounds.
GUESSING_BOUNDS = (1.0e-4, 0.6)
#: The population SD is kept within these bounds (the grid must resolve it).
POPULATION_SD_BOUNDS = (0.2, 3.0)

#: EM stops when no estimated parameter moved more than this in one EM step.
DEFAULT_TOLERANCE = 1.0e-4
DEFAULT_MAX_ITERATIONS = 500

#: Fisher-scoring steps per M-step, and the largest step in any parameter. A few steps
#: suffice (generalised EM: each M-step need only raise the objective); more would
#: polish estimates the next E-step moves anyway.
_M_STEP_ITERATIONS = 5
_M_STEP_TOLERANCE = 1.0e-7
_MAX_STEP = 1.0
_HALVINGS = 20
#: Added to the diagonal of an information matrix before it is solved.
_RIDGE = 1.0e-10
#: Log-densities below this (relative to a person's peak) are set to exactly 0.
_UNDERFLOW = -700.0
#: Parameters per item: log a, b, logit c.
_K = 3


#: Persons with at most this many answers have posteriors wide enough for the coarse grid.
SHORT_TEST = 20


def calibration_grid(max_answers: int | None = None) -> FloatArray:
    """The default quadrature for calibration: 61 nodes on [-6, 6] (step 0.2), as mirt's,
    or 31 (step 0.4) when no person answered more than `SHORT_TEST` items.

    The trapezoidal rule is spectrally accurate for smooth, decaying integrands: with
    step h its relative error on a normal posterior of SD s is about
    exp(-2 pi^2 s^2 / h^2). A 200-item test leaves s of about 0.2 (error 3e-9 at
    h = 0.2); 20 items of a <= 1.4 leave s >= 0.3 (error 2e-5 at h = 0.4; on adaptive
    quizzes of 10 items per area the estimates agree with 121 nodes to 1e-6). Every EM
    step costs in proportion to the nodes.
    """
    if max_answers is not None and max_answers <= SHORT_TEST:
        return quadrature_grid(-6.0, 6.0, 31)
    return quadrature_grid(-6.0, 6.0, 61)


@dataclass(frozen=True)
class Population:
    """The ability distribution N(mean, sd^2), and which of the two are estimated."""

    mean: float = 0.0
    sd: float = 1.0
    estimate_mean: bool = False
    estimate_sd: bool = False

    @property
    def estimated(self) -> bool:
        return self.estimate_mean or self.estimate_sd


@dataclass(frozen=True, eq=False)
class CalibrationResult:
    """Estimated item parameters, the population, and how the estimation went.

    Attributes
    ----------
    a, b, c : numpy.ndarray
        Discrimination, difficulty and lower asymptote per item. Items held
        fixed keep their input values, and so does a parameter not estimated.
    se_a, se_b, se_c : numpy.ndarray
        Standard errors (finite, at most ``MAX_STANDARD_ERROR``; 0 for what was
        not estimated).
    n_responses : numpy.ndarray
        Responses per item (non-missing entries of its column).
    estimated : numpy.ndarray
        True for the items whose parameters were estimated (not held fixed).
    population_mean, population_sd : float
        The ability distribution at the end (the input values when not estimated).
    iterations : int
        EM steps run (each SQUAREM cycle counts its EM steps).
    converged : bool
        Whether the largest change in one EM step fell below the tolerance.
    log_posterior : tuple of float
        Marginal log posterior (log-likelihood of the responses with ability
        integrated out, plus the log prior of the estimated parameters, up to
        a constant) at the start and after every accepted cycle; it never decreases.
    log_likelihood : float
        The marginal log-likelihood of the responses at the estimate.
    """

    a: FloatArray
    b: FloatArray
    c: FloatArray
    se_a: FloatArray
    se_b: FloatArray
    se_c: FloatArray
    n_responses: IntArray
    estimated: BoolArray
    population_mean: float
    population_sd: float
    iterations: int
    converged: bool
    log_posterior: tuple[float, ...]
    log_likelihood: float


@dataclass(frozen=True)
class _Priors:
    """Per-item prior hyper-parameters; precision 0 means flat."""

    log_a_mean: FloatArray
    log_a_precision: FloatArray
    b_mean: FloatArray
    b_precision: FloatArray
    c_alpha: FloatArray  # Beta(alpha, beta) on c, as a density of logit c
    c_beta: FloatArray

    def subset(self, items: IntArray) -> _Priors:
        return _Priors(
            self.log_a_mean[items],
            self.log_a_precision[items],
            self.b_mean[items],
            self.b_precision[items],
            self.c_alpha[items],
            self.c_beta[items],
        )

    def log_density(self, eta: FloatArray, free: BoolArray) -> FloatArray:
        """Log prior per item of the free components of ``eta`` (items x 3), up to a constant."""
        log_a, b, c = eta[:, 0], eta[:, 1], _sigmoid(eta[:, 2])
        value = np.where(
            free[:, 0],
            -0.5 * self.log_a_precision * (log_a - self.log_a_mean) ** 2,
            0.0,
        )
        value += np.where(free[:, 1], -0.5 * self.b_precision * (b - self.b_mean) ** 2, 0.0)
        c_term = self.c_alpha * np.log(np.maximum(c, 1e-300)) + self.c_beta * np.log(
            np.maximum(1.0 - c, 1e-300)
        )
        return np.asarray(value + np.where(free[:, 2], c_term, 0.0), dtype=np.float64)

    def gradient_and_precision(self, eta: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Gradient and (positive) curvature of the log prior per item and parameter."""
        c = _sigmoid(eta[:, 2])
        gradient = np.stack(
            [
                -self.log_a_precision * (eta[:, 0] - self.log_a_mean),
                -self.b_precision * (eta[:, 1] - self.b_mean),
                self.c_alpha * (1.0 - c) - self.c_beta * c,
            ],
            axis=1,
        )
        precision = np.stack(
            [self.log_a_precision, self.b_precision, (self.c_alpha + self.c_beta) * c * (1.0 - c)],
            axis=1,
        )
        return gradient, precision


def _sigmoid(x: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x, -LOGIT_LIMIT, LOGIT_LIMIT))), np.float64)


def _logit(p: FloatArray) -> FloatArray:
    p = np.clip(p, 1e-12, 1.0 - 1e-12)
    return np.asarray(np.log(p) - np.log1p(-p), dtype=np.float64)


_Array = TypeVar("_Array", bound=npt.NDArray[Any])


def _read_only(values: _Array) -> _Array:
    values.setflags(write=False)
    return values


def _per_item(values: ArrayLike, n_items: int, default: float) -> FloatArray:
    """`values` broadcast to one float per item, with NaN replaced by `default`."""
    array = np.broadcast_to(np.asarray(values, dtype=np.float64), (n_items,)).copy()
    array[np.isnan(array)] = default
    return array


def _per_item_flag(values: ArrayLike | None, n_items: int, default: bool) -> BoolArray:
    if values is None:
        return np.full(n_items, default)
    return np.broadcast_to(np.asarray(values, dtype=bool), (n_items,)).copy()


def _precision(sd: ArrayLike, n_items: int) -> FloatArray:
    """``1 / sd^2`` per item; an infinite (or NaN) SD is a flat prior (precision 0)."""
    sd_array = np.abs(_per_item(sd, n_items, math.inf))
    sd_array = np.maximum(sd_array, 1.0e-3)
    with np.errstate(divide="ignore"):
        return np.asarray(np.where(np.isfinite(sd_array), 1.0 / sd_array**2, 0.0), np.float64)


def population_log_weights(grid: FloatArray, mean: float, sd: float) -> FloatArray:
    """Log of N(mean, sd^2) density times trapezoid weights at the nodes, normalised."""
    log_density = -0.5 * ((grid - mean) / sd) ** 2
    log_weights = np.log(np.maximum(trapezoid_weights(grid), 1e-300)) + log_density
    peak = float(np.max(log_weights))
    total = float(np.log(np.sum(np.exp(log_weights - peak)))) + peak
    return np.asarray(log_weights - total, dtype=np.float64)


@dataclass(frozen=True)
class Posteriors:
    """Every person's posterior over the grid (rows without responses dropped)."""

    grid: FloatArray
    weights: FloatArray  # (persons, nodes), rows sum to 1
    rows: BoolArray  # which input rows have at least one response
    log_marginal: float


def ability_posteriors(
    responses: ArrayLike,
    a: ArrayLike,
    b: ArrayLike,
    c: ArrayLike = 0.0,
    *,
    mean: float = 0.0,
    sd: float = 1.0,
    grid: FloatArray | None = None,
) -> Posteriors:
    """Posterior of every person's ability over the grid, N(mean, sd^2) prior."""
    x = _as_matrix(responses)
    longest = int(np.max(np.sum(~np.isnan(x), axis=1), initial=0))
    nodes = calibration_grid(longest) if grid is None else np.asarray(grid, dtype=np.float64)
    n_items = x.shape[1]
    data = _Data.from_matrix(x)
    eta = np.stack(
        [
            np.log(np.maximum(_per_item(a, n_items, 1.0), 1e-300)),
            _per_item(b, n_items, 0.0),
            _logit(np.clip(_per_item(c, n_items, 0.0), 0.0, MAX_GUESSING)),
        ],
        axis=1,
    )
    zero_c = _per_item(c, n_items, 0.0) <= 0.0
    expected = _e_step(data, nodes, population_log_weights(nodes, mean, sd), eta, zero_c)
    return Posteriors(nodes, expected.posterior, data.rows, expected.log_marginal)


def _as_matrix(responses: ArrayLike) -> FloatArray:
    x = np.asarray(responses, dtype=np.float64)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2:
        raise ValueError(f"responses must be a (examinees, items) matrix, got shape {x.shape}")
    return x


@dataclass(frozen=True)
class _Data:
    correct: FloatArray  # (persons with data, items)
    wrong: FloatArray
    rows: BoolArray
    n_responses: IntArray

    @classmethod
    def from_matrix(cls, x: FloatArray) -> _Data:
        answered = ~np.isnan(x)
        rows: BoolArray = np.asarray(answered.any(axis=1), dtype=bool)
        correct = np.where(answered, np.clip(np.nan_to_num(x), 0.0, 1.0), 0.0)[rows]
        wrong = answered[rows] - correct
        return cls(
            np.ascontiguousarray(correct),
            np.ascontiguousarray(wrong),
            rows,
            answered.sum(axis=0).astype(np.intp),
        )


def calibrate_items(
    responses: ArrayLike,
    a: ArrayLike,
    b: ArrayLike,
    c: ArrayLike = 0.0,
    *,
    prior_b: ArrayLike | None = None,
    prior_log_a_mean: ArrayLike = DEFAULT_PRIOR_LOG_A_MEAN,
    prior_log_a_sd: ArrayLike = DEFAULT_PRIOR_LOG_A_SD,
    prior_b_sd: ArrayLike = DEFAULT_PRIOR_B_SD,
    estimate_a: ArrayLike | None = None,
    estimate_c: ArrayLike | None = None,
    prior_c: ArrayLike = DEFAULT_PRIOR_C,
    prior_c_weight: ArrayLike = DEFAULT_PRIOR_C_WEIGHT,
    fixed: ArrayLike | None = None,
    population: Population | None = None,
    grid: FloatArray | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
    accelerate: bool = True,
) -> CalibrationResult:
    """Estimate item parameters (and the population) by marginal MAP with EM.

    Parameters
    ----------
    responses : array_like
        Shape (persons, items): 1 correct, 0 wrong, NaN not administered.
        Values are clipped to [0, 1]. Rows without any response are ignored.
    a, b, c : array_like
        Current parameters, one per item (or scalars): the starting values,
        and the values kept where a parameter is not estimated. Non-finite
        values become ``a = 1``, ``b = 0``, ``c = 0``.
    prior_b : array_like, optional
        Centre of each item's difficulty prior (default: ``b``).
    prior_log_a_mean, prior_log_a_sd, prior_b_sd : array_like
        The other prior hyper-parameters, scalars or one per item; an infinite
        SD makes that prior flat.
    estimate_a : array_like of bool, optional
        Items whose ``a`` is estimated (default all; False everywhere with
        ``a = 1`` is the 1PL / Rasch model).
    estimate_c : array_like of bool, optional
        Items whose guessing ``c`` is estimated (default none: ``c`` is held).
    prior_c, prior_c_weight : array_like
        Mean and weight of the Beta prior of an estimated ``c``.
    fixed : array_like of bool, optional
        Items held at their input parameters (anchors, or operational items in
        online calibration); they still inform the ability posteriors.
    population : Population, optional
        The ability distribution and what of it to estimate (default N(0, 1),
        nothing estimated). Estimating the mean needs anchors (or a fixed
        item) to pin the scale; the SD also needs a fixed ``a`` somewhere.
    grid : numpy.ndarray, optional
        Quadrature nodes (default `calibration_grid`: 61 nodes on [-6, 6], 31 when
        nobody answered more than 20 items).
        Estimates of ``b`` are kept within the grid.
    tolerance : float
        Convergence threshold on the largest change of an EM step.
    max_iterations : int
        Upper bound on EM steps.
    accelerate : bool
        SQUAREM acceleration (default); False runs plain EM.

    Returns
    -------
    CalibrationResult
    """
    x = _as_matrix(responses)
    n_items = x.shape[1]
    longest = int(np.max(np.sum(~np.isnan(x), axis=1), initial=0))
    nodes = calibration_grid(longest) if grid is None else np.asarray(grid, dtype=np.float64)
    b_bounds = (float(nodes[0]), float(nodes[-1]))
    people = population or Population()

    start_a = _per_item(a, n_items, 1.0)
    start_a[~(np.isfinite(start_a) & (start_a > 0))] = 1.0
    start_b = _per_item(b, n_items, 0.0)
    start_b[~np.isfinite(start_b)] = 0.0
    start_c = np.clip(_per_item(c, n_items, 0.0), 0.0, MAX_GUESSING)
    held = _per_item_flag(fixed, n_items, False)
    free = np.stack(
        [
            ~held & _per_item_flag(estimate_a, n_items, True),
            ~held,
            ~held & _per_item_flag(estimate_c, n_items, False),
        ],
        axis=1,
    )
    # Starting values inside the bounds of what is estimated.
    start_c = np.where(free[:, 2], np.clip(start_c, *GUESSING_BOUNDS), start_c)
    centre_b = start_b.copy() if prior_b is None else _per_item(prior_b, n_items, 0.0)
    centre_b = np.clip(np.nan_to_num(centre_b), *b_bounds)
    c_mean = np.clip(_per_item(prior_c, n_items, DEFAULT_PRIOR_C), *GUESSING_BOUNDS)
    c_weight = np.maximum(_per_item(prior_c_weight, n_items, DEFAULT_PRIOR_C_WEIGHT), 0.0)
    priors = _Priors(
        np.nan_to_num(_per_item(prior_log_a_mean, n_items, 0.0)),
        _precision(prior_log_a_sd, n_items),
        centre_b,
        _precision(prior_b_sd, n_items),
        c_weight * c_mean,
        c_weight * (1.0 - c_mean),
    )
    # Held items enter the arithmetic within the engine's clamps (docs/engine.md).
    eta = np.stack(
        [np.clip(np.log(start_a), -14.0, 14.0), np.clip(start_b, -1e3, 1e3), _logit(start_c)],
        axis=1,
    )
    zero_c = (start_c <= 0.0) & ~free[:, 2]
    problem = _Problem(
        _Data.from_matrix(x),
        nodes,
        priors,
        free,
        zero_c,
        _Bounds(b_bounds),
        people,
    )
    state = problem.clip(eta, people.mean, math.log(people.sd))
    result = problem.solve(state, tolerance, max_iterations, accelerate)

    se = np.zeros((n_items, _K))
    estimated_items = free.any(axis=1)
    if estimated_items.any():
        se[estimated_items] = problem.standard_errors(result.state, result.expected)
    final = result.state
    a_out = np.where(free[:, 0], np.exp(final.eta[:, 0]), start_a)
    b_out = np.where(free[:, 1], final.eta[:, 1], start_b)
    c_out = np.where(free[:, 2], _sigmoid(final.eta[:, 2]), start_c)
    se_a = np.where(free[:, 0], np.minimum(a_out * se[:, 0], MAX_STANDARD_ERROR), 0.0)
    se_c = np.where(free[:, 2], np.minimum(c_out * (1 - c_out) * se[:, 2], MAX_STANDARD_ERROR), 0)
    return CalibrationResult(
        a=_read_only(a_out),
        b=_read_only(b_out),
        c=_read_only(c_out),
        se_a=_read_only(se_a),
        se_b=_read_only(np.where(free[:, 1], se[:, 1], 0.0)),
        se_c=_read_only(np.asarray(se_c, dtype=np.float64)),
        n_responses=_read_only(problem.data.n_responses),
        estimated=_read_only(np.asarray(estimated_items, dtype=bool)),
        population_mean=float(final.mean),
        population_sd=float(math.exp(final.log_sd)),
        iterations=result.iterations,
        converged=result.converged,
        log_posterior=tuple(result.trace),
        log_likelihood=float(result.expected.log_marginal),
    )


@dataclass(frozen=True)
class _Bounds:
    b: tuple[float, float]


@dataclass(frozen=True)
class _State:
    eta: FloatArray  # (items, 3): log a, b, logit c
    mean: float
    log_sd: float


@dataclass(frozen=True)
class _Expected:
    """E-step output: posteriors and expected counts per item and node."""

    posterior: FloatArray  # (persons, nodes)
    correct: FloatArray  # (items, nodes): r_jq
    answered: FloatArray  # (items, nodes): n_jq
    log_marginal: float


@dataclass(frozen=True)
class _Solution:
    state: _State
    expected: _Expected
    iterations: int
    converged: bool
    trace: list[float]


def _log_pq(eta: FloatArray, nodes: FloatArray, zero_c: BoolArray) -> tuple[FloatArray, FloatArray]:
    """log P and log(1 - P) at every (item, node), free of overflow and cancellation."""
    a = np.exp(eta[:, 0])[:, None]
    z = np.clip(a * (nodes[None, :] - eta[:, 1][:, None]), -LOGIT_LIMIT, LOGIT_LIMIT)
    log_sigma = -np.logaddexp(0.0, -z)
    log_one_minus_sigma = -np.logaddexp(0.0, z)
    gamma = eta[:, 2][:, None]
    log_c = np.where(zero_c[:, None], -np.inf, -np.logaddexp(0.0, -gamma))
    log_one_minus_c = np.where(zero_c[:, None], 0.0, -np.logaddexp(0.0, gamma))
    log_p = np.logaddexp(log_c, log_one_minus_c + log_sigma)
    log_q = log_one_minus_c + log_one_minus_sigma
    return log_p, log_q


def _e_step(
    data: _Data, nodes: FloatArray, log_weights: FloatArray, eta: FloatArray, zero_c: BoolArray
) -> _Expected:
    """Posteriors of every person over the grid and the expected counts (Bock & Aitkin, 1981)."""
    log_p, log_q = _log_pq(eta, nodes, zero_c)  # (items, nodes)
    log_joint = data.correct @ log_p + data.wrong @ log_q + log_weights
    peak = np.max(log_joint, axis=1, keepdims=True, initial=-np.inf)
    peak = np.where(np.isfinite(peak), peak, 0.0)
    shifted = log_joint - peak
    posterior = np.exp(shifted)
    # Subnormal numbers (below 1e-308) make every later matrix product some 50 times
    # slower; at that size they are 0 for every purpose here.
    posterior[shifted < _UNDERFLOW] = 0.0
    total = np.sum(posterior, axis=1, keepdims=True)
    posterior /= total
    log_marginal = float(np.sum(peak) + np.sum(np.log(total)))
    expected_correct = data.correct.T @ posterior
    expected_answered = expected_correct + data.wrong.T @ posterior
    return _Expected(posterior, expected_correct, expected_answered, log_marginal)


@dataclass(frozen=True)
class _Derivatives:
    """Per item and node: P, 1 - P and dP / d(log a, b, logit c) (shape 3 x items x nodes)."""

    p: FloatArray
    q: FloatArray
    dp: FloatArray
    d2p: FloatArray  # (3, 3, items, nodes)


def _derivatives(eta: FloatArray, nodes: FloatArray, *, second: bool = False) -> _Derivatives:
    a = np.exp(eta[:, 0])[:, None]
    distance = nodes[None, :] - eta[:, 1][:, None]
    z = np.clip(a * distance, -LOGIT_LIMIT, LOGIT_LIMIT)
    sigma = 1.0 / (1.0 + np.exp(-z))
    c = _sigmoid(eta[:, 2])[:, None]
    one_minus_sigma = 1.0 / (1.0 + np.exp(z))
    p = c + (1.0 - c) * sigma
    q = (1.0 - c) * one_minus_sigma
    dp_dz = (1.0 - c) * sigma * one_minus_sigma
    dz_dlog_a = a * distance
    dp = np.stack([dp_dz * dz_dlog_a, -a * dp_dz, c * (1.0 - c) * one_minus_sigma])
    d2p = np.zeros((_K, _K, *p.shape))
    if second:
        d2p_dz2 = dp_dz * (one_minus_sigma - sigma)
        dc_dgamma = c * (1.0 - c)
        d2p[0, 0] = d2p_dz2 * dz_dlog_a**2 + dp_dz * dz_dlog_a
        d2p[0, 1] = d2p[1, 0] = -a * (d2p_dz2 * dz_dlog_a + dp_dz)
        d2p[1, 1] = d2p_dz2 * a * a
        d_sigma = sigma * one_minus_sigma
        d2p[0, 2] = d2p[2, 0] = -dc_dgamma * d_sigma * dz_dlog_a
        d2p[1, 2] = d2p[2, 1] = dc_dgamma * d_sigma * a
        d2p[2, 2] = (1.0 - 2.0 * c) * dc_dgamma * one_minus_sigma
    return _Derivatives(p, q, dp, d2p)


@dataclass(frozen=True)
class _Problem:
    data: _Data
    nodes: FloatArray
    priors: _Priors
    free: BoolArray  # (items, 3)
    zero_c: BoolArray
    bounds: _Bounds
    population: Population

    # -- parameter vector for the accelerator --------------------------------------------

    def pack(self, state: _State) -> FloatArray:
        parts = [state.eta[self.free]]
        if self.population.estimate_mean:
            parts.append(np.array([state.mean]))
        if self.population.estimate_sd:
            parts.append(np.array([state.log_sd]))
        return np.concatenate(parts)

    def unpack(self, vector: FloatArray, like: _State) -> _State:
        eta = like.eta.copy()
        count = int(self.free.sum())
        eta[self.free] = vector[:count]
        position = count
        mean, log_sd = like.mean, like.log_sd
        if self.population.estimate_mean:
            mean = float(vector[position])
            position += 1
        if self.population.estimate_sd:
            log_sd = float(vector[position])
        return self.clip(eta, mean, log_sd)

    def limits(self) -> tuple[FloatArray, FloatArray]:
        """Lower and upper bounds of ``(log a, b, logit c)`` while estimated."""
        low = np.array([math.log(DISCRIMINATION_BOUNDS[0]), self.bounds.b[0], 0.0])
        high = np.array([math.log(DISCRIMINATION_BOUNDS[1]), self.bounds.b[1], 0.0])
        low[2], high[2] = _logit(np.array(GUESSING_BOUNDS))
        return low, high

    def clip(self, eta: FloatArray, mean: float, log_sd: float) -> _State:
        low, high = self.limits()
        eta = np.where(self.free, np.clip(np.nan_to_num(eta), low, high), eta)
        low_b, high_b = self.bounds.b
        mean = float(np.clip(np.nan_to_num(mean), low_b / 2, high_b / 2))
        log_sd = float(np.clip(np.nan_to_num(log_sd), *np.log(POPULATION_SD_BOUNDS)))
        return _State(eta, mean, log_sd)

    # -- EM ------------------------------------------------------------------------------

    def expect(self, state: _State) -> _Expected:
        log_weights = population_log_weights(self.nodes, state.mean, math.exp(state.log_sd))
        return _e_step(self.data, self.nodes, log_weights, state.eta, self.zero_c)

    def log_posterior(self, state: _State, expected: _Expected) -> float:
        prior = self.priors.log_density(state.eta, self.free)
        return expected.log_marginal + float(np.sum(prior))

    def maximise(self, state: _State, expected: _Expected) -> _State:
        """The M-step: item parameters by Fisher scoring, then the population moments."""
        eta = state.eta.copy()
        items = np.flatnonzero(self.free.any(axis=1))
        if items.size:
            eta[items] = self._item_step(
                eta[items], expected.correct[items], expected.answered[items], items
            )
        mean, log_sd = state.mean, state.log_sd
        if self.population.estimated:
            posterior = expected.posterior
            persons = posterior.shape[0]
            if persons:
                # Multiple weights updating (Kim, 2006): the moments of the
                # posterior mixture are the next population's mean and SD.
                mass = posterior.sum(axis=0) / persons
                new_mean = float(mass @ self.nodes)
                if self.population.estimate_mean:
                    mean = new_mean
                if self.population.estimate_sd:
                    variance = float(mass @ (self.nodes - mean) ** 2)
                    log_sd = 0.5 * math.log(max(variance, 1e-12))
        return self.clip(eta, mean, log_sd)

    def em_map(self, state: _State) -> tuple[_State, _Expected]:
        expected = self.expect(state)
        return self.maximise(state, expected), expected

    def _objective(
        self, eta: FloatArray, r: FloatArray, n: FloatArray, items: IntArray
    ) -> FloatArray:
        log_p, log_q = _log_pq(eta, self.nodes, self.zero_c[items])
        value = np.sum(r * log_p + (n - r) * log_q, axis=1)
        return np.asarray(
            value + self.priors.subset(items).log_density(eta, self.free[items]), np.float64
        )

    def _item_step(
        self, eta: FloatArray, r: FloatArray, n: FloatArray, items: IntArray
    ) -> FloatArray:
        """Maximise each item's expected log posterior by Fisher scoring with step halving.

        With ``P`` the response probability and ``dP`` its gradient in
        ``(log a, b, logit c)``, the score is ``sum_q (r - n P) dP / (P Q)`` and
        the expected information ``sum_q n dP dP^T / (P Q)`` (Baker & Kim, 2004,
        ch. 6); steps are capped at ``_MAX_STEP`` and halved until the
        objective does not decrease.
        """
        free = self.free[items]
        priors = self.priors.subset(items)
        low, high = self.limits()
        current = self._objective(eta, r, n, items)
        identity = np.eye(_K)
        # Only items whose last step was not negligible are worked on again.
        active = np.arange(eta.shape[0])
        for _ in range(_M_STEP_ITERATIONS):
            terms = _derivatives(eta[active], self.nodes)
            pq = np.maximum(terms.p * terms.q, 1e-300)
            residual = (r[active] - n[active] * terms.p) / pq  # (items, nodes)
            weight = n[active] / pq
            prior_gradient, prior_precision = priors.subset(active).gradient_and_precision(
                eta[active]
            )
            gradient = np.einsum("kjq,jq->jk", terms.dp, residual) + prior_gradient
            information = np.einsum("kjq,ljq,jq->jkl", terms.dp, terms.dp, weight)
            information += prior_precision[:, :, None] * identity
            mask = free[active][:, :, None] & free[active][:, None, :]
            information = np.where(mask, information, identity) + _RIDGE * identity
            step = _solve(information, np.where(free[active], gradient, 0.0))
            largest = np.max(np.abs(step), axis=1)
            step *= np.where(largest > _MAX_STEP, _MAX_STEP / np.maximum(largest, 1e-300), 1.0)[
                :, None
            ]
            moving = np.max(np.abs(step), axis=1) >= _M_STEP_TOLERANCE
            active, step = active[moving], step[moving]
            if active.size == 0:
                break
            before = eta[active].copy()
            pending, pending_step = active, step
            for _ in range(_HALVINGS):
                candidate = np.clip(eta[pending] + pending_step, low, high)
                candidate = np.where(free[pending], candidate, eta[pending])
                value = self._objective(candidate, r[pending], n[pending], items[pending])
                accept = value >= current[pending] - 1.0e-12 * np.abs(current[pending])
                chosen = pending[accept]
                eta[chosen], current[chosen] = candidate[accept], value[accept]
                pending, pending_step = pending[~accept], pending_step[~accept] * 0.5
                if pending.size == 0:
                    break
            # An item pressed against a bound keeps asking for a step it cannot take.
            moved = np.max(np.abs(eta[active] - before), axis=1) >= _M_STEP_TOLERANCE
            active = active[moved]
            if active.size == 0:
                break
        return eta

    # -- the fixed-point iteration -------------------------------------------------------

    def solve(
        self, state: _State, tolerance: float, max_iterations: int, accelerate: bool
    ) -> _Solution:
        """Plain EM, or SQUAREM (Varadhan & Roland, 2008, scheme S3) with a monotone safeguard."""
        trace: list[float] = []
        iterations = 0
        if not (self.free.any() or self.population.estimated):
            expected = self.expect(state)
            trace.append(self.log_posterior(state, expected))
            return _Solution(state, expected, 0, True, trace)
        converged = False
        while True:
            first, expected = self.em_map(state)
            iterations += 1
            value = self.log_posterior(state, expected)
            trace.append(value)
            x0, x1 = self.pack(state), self.pack(first)
            if float(np.max(np.abs(x1 - x0), initial=0.0)) < tolerance:
                state, converged = first, True
                break
            if iterations >= max_iterations:
                state = first
                break
            if not accelerate:
                state = first
                continue
            second, expected_first = self.em_map(first)
            iterations += 1
            value_first = self.log_posterior(first, expected_first)
            x2 = self.pack(second)
            r = x1 - x0
            v = (x2 - x1) - r
            norm_v = float(np.linalg.norm(v))
            if norm_v <= 0.0 or iterations >= max_iterations:
                state = second
                continue
            alpha = min(-1.0, -float(np.linalg.norm(r)) / norm_v)
            jump = self.unpack(x0 - 2.0 * alpha * r + alpha * alpha * v, state)
            stabilised, expected_jump = self.em_map(jump)
            iterations += 1
            accepted = self.log_posterior(jump, expected_jump) >= value_first
            state = stabilised if accepted else second
        expected = self.expect(state)
        trace.append(self.log_posterior(state, expected))
        # The accelerated path may record the same value twice; keep the trace monotone
        # against rounding by construction of the safeguard only.
        return _Solution(state, expected, iterations, converged, trace)

    # -- standard errors -----------------------------------------------------------------

    def standard_errors(self, state: _State, expected: _Expected) -> FloatArray:
        """SEs of ``(log a, b, logit c)`` from each item's block of the observed information.

        Per person ``i`` and item parameters, with ``s`` the score of one
        response at a node and ``E_i`` the posterior expectation over the grid,
        ``-d2 log L_i = -E_i[f'' / f] + E_i[s] E_i[s]^T`` (Louis, 1982), with ``f``
        the probability of the observed response. The first term summed over
        persons needs only the expected counts; the second needs every
        person's posterior expectation of the score. When the block is not
        positive definite (a degenerate item) the cross-product
        ``sum_i E_i[s] E_i[s]^T`` plus the prior precision is used instead.
        """
        items = np.flatnonzero(self.free.any(axis=1))
        free = self.free[items]
        eta = state.eta[items]
        terms = _derivatives(eta, self.nodes, second=True)
        p = np.maximum(terms.p, 1e-300)
        q = np.maximum(terms.q, 1e-300)
        r = expected.correct[items]
        wrong_counts = expected.answered[items] - r
        # -E[f''/f] summed over persons: sum_q r p''/p + (n - r) (-p'')/q.
        complete = -(
            np.einsum("kljq,jq->jkl", terms.d2p, r / p)
            - np.einsum("kljq,jq->jkl", terms.d2p, wrong_counts / q)
        )
        posterior = expected.posterior
        right_mask = self.data.correct[:, items]
        wrong_mask = self.data.wrong[:, items]
        score_right = terms.dp / p  # d log P
        score_wrong = -terms.dp / q  # d log Q
        means = np.stack(
            [
                right_mask * (posterior @ score_right[k].T)
                + wrong_mask * (posterior @ score_wrong[k].T)
                for k in range(_K)
            ]
        )  # (3, persons, items)
        cross = np.einsum("kij,lij->jkl", means, means)
        _, prior_precision = self.priors.subset(items).gradient_and_precision(eta)
        prior_matrix = prior_precision[:, :, None] * np.eye(_K)
        identity = np.eye(_K)
        mask = free[:, :, None] & free[:, None, :]
        information = np.where(mask, complete + cross + prior_matrix, identity)
        fallback = np.where(mask, cross + prior_matrix + _RIDGE * identity, identity)
        eigenvalues = np.linalg.eigvalsh(information)
        positive = eigenvalues[:, 0] > 1e-10 * np.maximum(eigenvalues[:, -1], 1e-300)
        information = np.where(positive[:, None, None], information, fallback)
        limit = MAX_STANDARD_ERROR**2
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            try:
                covariance = np.linalg.inv(information + _RIDGE * identity)
                variance = np.diagonal(covariance, axis1=1, axis2=2).copy()
            except np.linalg.LinAlgError:
                variance = np.full((items.size, _K), limit)
        variance = np.where(np.isfinite(variance), np.clip(variance, 0.0, limit), limit)
        return np.asarray(np.where(free, np.sqrt(variance), 0.0), dtype=np.float64)


def _solve(matrix: FloatArray, vector: FloatArray) -> FloatArray:
    """``matrix^-1 vector`` per item; a diagonal step where a matrix is singular."""
    try:
        step = np.linalg.solve(matrix, vector[:, :, None])[:, :, 0]
    except np.linalg.LinAlgError:
        step = vector / np.maximum(np.diagonal(matrix, axis1=1, axis2=2), 1e-300)
    bad = ~np.all(np.isfinite(step), axis=1)
    if bad.any():
        step[bad] = vector[bad] / np.maximum(np.diagonal(matrix[bad], axis1=1, axis2=2), 1e-300)
    return np.asarray(np.nan_to_num(step), dtype=np.float64)

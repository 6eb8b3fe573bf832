"""Item calibration: marginal maximum a posteriori estimates of item parameters.

Author priors (difficulty 1-5 -> ``b``, ``a = 1``, guessing at the blind-guess
rate) are where a bank starts. Once learners have answered, `calibrate_items`
estimates each item's discrimination ``a`` and difficulty ``b`` from the
responses, holding the lower asymptote ``c`` at the item's current value (the
3PL with fixed guessing; ``c = 0`` gives the 2PL).

Method
------
Marginal estimation (Bock & Aitkin, 1981): ability is integrated out over the
quadrature grid of `engine.irt.posterior.quadrature_grid` with a N(0, 1)
ability distribution (which also fixes the scale), and the EM algorithm
alternates

* **E-step**: every examinee's posterior over the grid given their responses
  and the current parameters, and from it the *expected* number of examinees
  at each node who answered each item (``n_jq``) and who answered it correctly
  (``r_jq``);
* **M-step**: for every item separately, the parameters that maximise the
  expected complete-data log-likelihood ``sum_q r_jq log P_j(theta_q) +
  (n_jq - r_jq) log(1 - P_j(theta_q))`` plus the log prior of the item
  parameters, by Fisher scoring in ``(log a, b)`` with step halving (so each
  EM iteration never lowers the log posterior).

Priors on the item parameters make this marginal *maximum a posteriori*
estimation (Mislevy, 1986): ``log a ~ N(0, 0.5^2)`` (lognormal ``a``) and
``b ~ N(prior_b, 1)`` centred on the item's prior difficulty. An item with few
responses therefore stays near its prior instead of running off to an extreme
(an item everyone got right has no finite maximum-likelihood ``b``), and an
item with no response at all ends exactly at the prior mode.

Adaptive data are very sparse (each examinee sees a few items chosen from
their earlier answers). Marginal estimation uses every examinee's whole
response pattern, and because item choice depends only on answers already
observed, the missing responses are ignorable: the likelihood of the observed
responses is the right one to maximise.

Standard errors come from the item's block of the observed information of the
marginal log-posterior at the estimate (Louis, 1982, evaluated per item as in
Baker & Kim, 2004, ch. 6): the expected complete-data information minus the
posterior variance of the complete-data score, plus the prior precision. The
standard error of ``a`` follows from that of ``log a`` by the delta method.
Taking each item's block alone ignores the (small) covariance between items
through shared examinees.

Everything is vectorised over examinees, items and nodes (the E-step is four
matrix products) and total: any 0/1/NaN matrix and any parameters give finite
estimates, standard errors and log posteriors.

References
----------
Bock, R. D., & Aitkin, M. (1981). Marginal maximum likelihood estimation of item
parameters: Application of an EM algorithm. *Psychometrika, 46*(4), 443-459.

Mislevy, R. J. (1986). Bayes modal estimation in item response models.
*Psychometrika, 51*(2), 177-195.

Baker, F. B., & Kim, S.-H. (2004). *Item response theory: Parameter estimation
techniques* (2nd ed.). Marcel Dekker. (Chapters 6 and 7: MMLE/EM and Bayesian
item parameter estimation.)

Louis, T. A. (1982). Finding the observed information matrix when using the EM
algorithm. *Journal of the Royal Statistical Society, Series B, 44*(2), 226-233.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from engine.irt.estimation import MAX_STANDARD_ERROR
from engine.irt.model import MAX_GUESSING, ArrayLike, FloatArray, log_probabilities, logit
from engine.irt.posterior import quadrature_grid, trapezoid_weights

IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

#: Prior of ``log a``: N(DEFAULT_PRIOR_LOG_A_MEAN, DEFAULT_PRIOR_LOG_A_SD^2), a
#: lognormal with median 1 and a 95% range of about 0.38 to 2.7.
DEFAULT_PRIOR_LOG_A_MEAN = 0.0
DEFAULT_PRIOR_LOG_A_SD = 0.5
#: Prior of ``b``: N(prior_b, DEFAULT_PRIOR_B_SD^2).
DEFAULT_PRIOR_B_SD = 1.0

#: Estimates of ``a`` are kept within these bounds (an item whose best ``a`` is
#: below 0.05 does not measure anything; above 8 it is a step function on the grid).
DISCRIMINATION_BOUNDS = (0.05, 8.0)

#: EM stops when no estimated parameter (``log a`` or ``b``) moved more than this.
DEFAULT_TOLERANCE = 1.0e-4
DEFAULT_MAX_ITERATIONS = 500

#: Fisher-scoring steps per M-step, and the largest step in ``log a`` or ``b``.
_M_STEP_ITERATIONS = 8
_M_STEP_TOLERANCE = 1.0e-7
_MAX_STEP = 1.0
_HALVINGS = 20
#: Added to the diagonal of a 2x2 information matrix before it is inverted.
_RIDGE = 1.0e-10


@dataclass(frozen=True, eq=False)
class CalibrationResult:
    """Estimated item parameters and how the estimation went.

    Attributes
    ----------
    a, b, c : numpy.ndarray
        Discrimination, difficulty and (unchanged) lower asymptote per item.
        Items held fixed keep their input values.
    se_a, se_b : numpy.ndarray
        Standard errors (finite, at most ``MAX_STANDARD_ERROR``; 0 for items
        held fixed).
    n_responses : numpy.ndarray
        Responses per item (non-missing entries of its column).
    estimated : numpy.ndarray
        True for the items whose parameters were estimated.
    iterations : int
        EM iterations run.
    converged : bool
        Whether the largest parameter change fell below the tolerance.
    log_posterior : tuple of float
        Marginal log posterior (log-likelihood of the responses with ability
        integrated out, plus the log prior of the estimated parameters, up to
        a constant) at the start of every iteration and at the end; it never
        decreases.
    """

    a: FloatArray
    b: FloatArray
    c: FloatArray
    se_a: FloatArray
    se_b: FloatArray
    n_responses: IntArray
    estimated: BoolArray
    iterations: int
    converged: bool
    log_posterior: tuple[float, ...]


@dataclass(frozen=True)
class _Priors:
    log_a_mean: FloatArray
    log_a_precision: FloatArray
    b_mean: FloatArray
    b_precision: FloatArray

    def subset(self, items: BoolArray | IntArray) -> _Priors:
        return _Priors(
            self.log_a_mean[items],
            self.log_a_precision[items],
            self.b_mean[items],
            self.b_precision[items],
        )

    def log_density(self, log_a: FloatArray, b: FloatArray) -> FloatArray:
        """Log prior density per item, up to a constant (0 for flat priors)."""
        return -0.5 * (
            self.log_a_precision * (log_a - self.log_a_mean) ** 2
            + self.b_precision * (b - self.b_mean) ** 2
        )


def _read_only(values: np.ndarray) -> np.ndarray:
    values.setflags(write=False)
    return values


def _per_item(values: ArrayLike, n_items: int, default: float) -> FloatArray:
    """`values` broadcast to one float per item, with NaN replaced by `default`."""
    array = np.broadcast_to(np.asarray(values, dtype=np.float64), (n_items,)).copy()
    array[np.isnan(array)] = default
    return array


def _precision(sd: ArrayLike, n_items: int) -> FloatArray:
    """``1 / sd^2`` per item; an infinite (or NaN) SD is a flat prior (precision 0)."""
    sd_array = np.abs(_per_item(sd, n_items, math.inf))
    sd_array = np.maximum(sd_array, 1.0e-3)
    with np.errstate(divide="ignore"):
        return np.where(np.isfinite(sd_array), 1.0 / sd_array**2, 0.0)


def _ability_weights(grid: FloatArray) -> FloatArray:
    """N(0, 1) density times trapezoid weights at the nodes, normalised to sum 1."""
    weights = trapezoid_weights(grid) * np.exp(-0.5 * grid**2)
    total = weights.sum()
    if not (np.isfinite(total) and total > 0.0):
        return np.full(grid.shape, 1.0 / grid.size)
    return weights / total


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
    fixed: ArrayLike | None = None,
    grid: FloatArray | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
) -> CalibrationResult:
    """Estimate ``a`` and ``b`` of every item by marginal MAP with EM (Bock & Aitkin, 1981).

    The ability distribution is N(0, 1) over the quadrature grid; ``c`` is held
    at its given value. Item priors (Mislevy, 1986): ``log a ~ N(prior_log_a_mean,
    prior_log_a_sd^2)`` and ``b ~ N(prior_b, prior_b_sd^2)``; an infinite SD
    makes that prior flat (marginal maximum likelihood for that parameter, as
    in Baker & Kim, 2004, ch. 6).

    Parameters
    ----------
    responses : array_like
        Shape (examinees, items): 1 correct, 0 wrong, NaN not administered.
        Values are clipped to [0, 1] (a fraction weights both outcomes). Rows
        without any response are ignored.
    a, b, c : array_like
        Current parameters, one per item (or scalars): the starting values,
        and ``c`` is kept. Non-finite values become ``a = 1``, ``b = 0``, ``c = 0``.
    prior_b : array_like, optional
        Centre of each item's difficulty prior (default: ``b``).
    prior_log_a_mean, prior_log_a_sd, prior_b_sd : array_like
        The other prior hyper-parameters, scalars or one per item.
    fixed : array_like of bool, optional
        Items whose parameters are held at their input values (they still
        inform the ability posteriors): fixed-parameter calibration.
    grid : numpy.ndarray, optional
        Quadrature nodes (default `quadrature_grid()`: 121 nodes on [-6, 6]).
        Estimates of ``b`` are kept within the grid.
    tolerance : float
        Convergence threshold on the largest change of ``log a`` or ``b``.
    max_iterations : int
        Upper bound on EM iterations.

    Returns
    -------
    CalibrationResult

    References
    ----------
    Bock, R. D., & Aitkin, M. (1981). *Psychometrika, 46*(4), 443-459.
    Mislevy, R. J. (1986). *Psychometrika, 51*(2), 177-195.
    Baker, F. B., & Kim, S.-H. (2004). *Item response theory: Parameter
    estimation techniques* (2nd ed.), chapters 6-7.
    """
    x = np.asarray(responses, dtype=np.float64)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2:
        raise ValueError(f"responses must be a (examinees, items) matrix, got shape {x.shape}")
    n_items = x.shape[1]
    nodes = quadrature_grid() if grid is None else np.asarray(grid, dtype=np.float64)
    b_bounds = (float(nodes[0]), float(nodes[-1]))

    start_a = _per_item(a, n_items, 1.0)
    start_a[~np.isfinite(start_a)] = 1.0
    start_b = _per_item(b, n_items, 0.0)
    start_b[~np.isfinite(start_b)] = 0.0
    c_arr = np.clip(_per_item(c, n_items, 0.0), 0.0, MAX_GUESSING)
    centre_b = start_b.copy() if prior_b is None else _per_item(prior_b, n_items, 0.0)
    centre_b = np.clip(np.nan_to_num(centre_b), *b_bounds)
    priors = _Priors(
        np.nan_to_num(_per_item(prior_log_a_mean, n_items, 0.0)),
        _precision(prior_log_a_sd, n_items),
        centre_b,
        _precision(prior_b_sd, n_items),
    )
    held = (
        np.zeros(n_items, dtype=bool)
        if fixed is None
        else np.broadcast_to(np.asarray(fixed, dtype=bool), (n_items,)).copy()
    )
    free = ~held

    log_a = np.log(np.clip(start_a, 1.0e-300, None))
    log_a[free] = np.clip(log_a[free], *np.log(DISCRIMINATION_BOUNDS))
    b_now = start_b.copy()
    b_now[free] = np.clip(b_now[free], *b_bounds)

    answered = ~np.isnan(x)
    n_responses = answered.sum(axis=0).astype(np.intp)
    rows = answered.any(axis=1)
    correct = np.where(answered, np.clip(np.nan_to_num(x), 0.0, 1.0), 0.0)[rows]
    wrong = answered[rows] - correct
    log_weights = np.log(np.maximum(_ability_weights(nodes), 1.0e-300))
    free_priors = priors.subset(free)

    trace: list[float] = []
    iterations = 0
    converged = False
    expected = _e_step(correct, wrong, nodes, log_weights, np.exp(log_a), b_now, c_arr)
    while True:
        trace.append(
            expected.log_marginal + float(np.sum(free_priors.log_density(log_a[free], b_now[free])))
        )
        if converged or iterations >= max_iterations or not free.any():
            converged = converged or not free.any()
            break
        new_log_a, new_b = _m_step(
            log_a[free],
            b_now[free],
            c_arr[free],
            expected.correct[free],
            expected.answered[free],
            nodes,
            free_priors,
            b_bounds,
        )
        change = max(
            float(np.max(np.abs(new_log_a - log_a[free]), initial=0.0)),
            float(np.max(np.abs(new_b - b_now[free]), initial=0.0)),
        )
        log_a[free], b_now[free] = new_log_a, new_b
        iterations += 1
        converged = change < tolerance
        expected = _e_step(correct, wrong, nodes, log_weights, np.exp(log_a), b_now, c_arr)

    se_a = np.zeros(n_items)
    se_b = np.zeros(n_items)
    if free.any():
        se_log_a, se_b_free = _standard_errors(
            expected, correct, wrong, nodes, log_a, b_now, c_arr, free, free_priors
        )
        se_a[free] = np.minimum(np.exp(log_a[free]) * se_log_a, MAX_STANDARD_ERROR)
        se_b[free] = se_b_free
    a_out = np.exp(log_a)
    a_out[held] = start_a[held]
    b_out = b_now
    b_out[held] = start_b[held]
    return CalibrationResult(
        a=_read_only(a_out),
        b=_read_only(b_out),
        c=_read_only(c_arr),
        se_a=_read_only(se_a),
        se_b=_read_only(se_b),
        n_responses=_read_only(n_responses),
        estimated=_read_only(free),
        iterations=iterations,
        converged=converged,
        log_posterior=tuple(trace),
    )


@dataclass(frozen=True)
class _Expected:
    """E-step output: posteriors and expected counts per item and node."""

    posterior: FloatArray  # (examinees, nodes)
    correct: FloatArray  # (items, nodes): r_jq
    answered: FloatArray  # (items, nodes): n_jq
    log_marginal: float


def _e_step(
    correct: FloatArray,
    wrong: FloatArray,
    nodes: FloatArray,
    log_weights: FloatArray,
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
) -> _Expected:
    """Posteriors of every examinee over the grid and the expected counts (Bock & Aitkin, 1981)."""
    log_p, log_q = log_probabilities(nodes[:, None], a, b, c)  # (nodes, items)
    log_joint = correct @ log_p.T + wrong @ log_q.T + log_weights
    peak = np.max(log_joint, axis=1, keepdims=True, initial=-np.inf)
    peak = np.where(np.isfinite(peak), peak, 0.0)
    posterior = np.exp(log_joint - peak)
    total = np.sum(posterior, axis=1, keepdims=True)
    posterior /= total
    log_marginal = float(np.sum(peak) + np.sum(np.log(total)))
    expected_correct = correct.T @ posterior
    expected_answered = expected_correct + wrong.T @ posterior
    return _Expected(posterior, expected_correct, expected_answered, log_marginal)


@dataclass(frozen=True)
class _Terms:
    """Per item and node: the logistic, P, and derivatives of the logit."""

    a: FloatArray  # (items, 1)
    sigma: FloatArray  # (items, nodes)
    p: FloatArray
    dz_dlog_a: FloatArray  # a (theta - b), unclipped


def _terms(log_a: FloatArray, b: FloatArray, c: FloatArray, nodes: FloatArray) -> _Terms:
    a = np.exp(log_a)[:, None]
    z = logit(nodes[None, :], a, b[:, None])
    sigma = 1.0 / (1.0 + np.exp(-z))
    p = c[:, None] + (1.0 - c[:, None]) * sigma
    return _Terms(a, sigma, p, a * (nodes[None, :] - b[:, None]))


def _objective(
    log_a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    r: FloatArray,
    n: FloatArray,
    nodes: FloatArray,
    priors: _Priors,
) -> FloatArray:
    """Expected complete-data log-likelihood plus log prior, per item."""
    log_p, log_q = log_probabilities(nodes[None, :], np.exp(log_a)[:, None], b[:, None], c[:, None])
    return np.sum(r * log_p + (n - r) * log_q, axis=1) + priors.log_density(log_a, b)


def _m_step(
    log_a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    r: FloatArray,
    n: FloatArray,
    nodes: FloatArray,
    priors: _Priors,
    b_bounds: tuple[float, float],
) -> tuple[FloatArray, FloatArray]:
    """Maximise each item's expected log posterior by Fisher scoring in (log a, b).

    With ``P = c + (1 - c) s`` and ``s`` the logistic of ``z = a (theta - b)``,
    the score in ``z`` at a node is ``s (r / P - n)`` and the expected
    information ``n (1 - c) s^2 (1 - s) / P``; the chain rule through
    ``dz/dlog a = a (theta - b)`` and ``dz/db = -a`` gives the 2x2 system
    (Baker & Kim, 2004, ch. 6). Steps are capped at ``_MAX_STEP`` and halved
    until the objective does not decrease.
    """
    log_a_bounds = np.log(DISCRIMINATION_BOUNDS)
    log_a, b = log_a.copy(), b.copy()
    current = _objective(log_a, b, c, r, n, nodes, priors)
    for _ in range(_M_STEP_ITERATIONS):
        terms = _terms(log_a, b, c, nodes)
        score_z = terms.sigma * (r / terms.p - n)
        info_z = n * (1.0 - c[:, None]) * terms.sigma**2 * (1.0 - terms.sigma) / terms.p
        grad_log_a = np.sum(score_z * terms.dz_dlog_a, axis=1) - priors.log_a_precision * (
            log_a - priors.log_a_mean
        )
        grad_b = -terms.a[:, 0] * np.sum(score_z, axis=1) - priors.b_precision * (b - priors.b_mean)
        info_aa = np.sum(info_z * terms.dz_dlog_a**2, axis=1) + priors.log_a_precision
        info_ab = -terms.a[:, 0] * np.sum(info_z * terms.dz_dlog_a, axis=1)
        info_bb = terms.a[:, 0] ** 2 * np.sum(info_z, axis=1) + priors.b_precision
        step_log_a, step_b = _solve_2x2(info_aa, info_ab, info_bb, grad_log_a, grad_b)
        largest = np.maximum(np.abs(step_log_a), np.abs(step_b))
        scale = np.where(largest > _MAX_STEP, _MAX_STEP / np.maximum(largest, 1e-300), 1.0)
        step_log_a *= scale
        step_b *= scale
        # Items whose step is negligible have converged; the others try the
        # step, then half of it, ... until the objective does not decrease.
        pending = np.flatnonzero(
            np.maximum(np.abs(step_log_a), np.abs(step_b)) >= _M_STEP_TOLERANCE
        )
        if pending.size == 0:
            break
        for _ in range(_HALVINGS):
            candidate_log_a = np.clip(log_a[pending] + step_log_a[pending], *log_a_bounds)
            candidate_b = np.clip(b[pending] + step_b[pending], *b_bounds)
            value = _objective(
                candidate_log_a,
                candidate_b,
                c[pending],
                r[pending],
                n[pending],
                nodes,
                priors.subset(pending),
            )
            accept = value >= current[pending] - 1.0e-12 * np.abs(current[pending])
            chosen = pending[accept]
            log_a[chosen], b[chosen], current[chosen] = (
                candidate_log_a[accept],
                candidate_b[accept],
                value[accept],
            )
            pending = pending[~accept]
            if pending.size == 0:
                break
            step_log_a[pending] *= 0.5
            step_b[pending] *= 0.5
    return log_a, b


def _solve_2x2(
    aa: FloatArray, ab: FloatArray, bb: FloatArray, ga: FloatArray, gb: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """``[[aa, ab], [ab, bb]]^-1 [ga, gb]`` per item; diagonal steps when singular."""
    aa = aa + _RIDGE
    bb = bb + _RIDGE
    det = aa * bb - ab * ab
    regular = det > 1.0e-12 * aa * bb
    safe_det = np.where(regular, det, 1.0)
    step_a = np.where(regular, (bb * ga - ab * gb) / safe_det, ga / aa)
    step_b = np.where(regular, (aa * gb - ab * ga) / safe_det, gb / bb)
    return np.nan_to_num(step_a), np.nan_to_num(step_b)


def _standard_errors(
    expected: _Expected,
    correct: FloatArray,
    wrong: FloatArray,
    nodes: FloatArray,
    log_a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    free: BoolArray,
    priors: _Priors,
) -> tuple[FloatArray, FloatArray]:
    """SEs of ``log a`` and ``b`` from each item's block of the observed information.

    Per examinee ``i`` and item parameter ``eta``, with ``s`` the score of one
    response at a node and ``E_i`` the posterior expectation over the grid,
    ``-d2 log L_i = -E_i[p'' / p] + E_i[s] E_i[s]^T`` (Louis, 1982). The first
    term summed over examinees needs only the expected counts; the second
    needs every examinee's posterior expectation of the score. When the block
    is not positive definite (a degenerate item) the cross-product
    ``sum_i E_i[s] E_i[s]^T`` plus the prior precision is used instead.
    """
    r = expected.correct[free]
    n = expected.answered[free]
    terms = _terms(log_a[free], b[free], c[free], nodes)
    a = terms.a
    curvature = 1.0 - 2.0 * terms.sigma
    dz = terms.dz_dlog_a
    score_right = (1.0 - terms.p) * terms.sigma / terms.p  # d log P / dz
    score_wrong = -terms.sigma  # d log (1 - P) / dz

    def second(score: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        # p'' / p for (log a, log a), (log a, b), (b, b), using p_zz / p = score (1 - 2 s).
        return (
            score * (curvature * dz * dz + dz),
            -a * score * (curvature * dz + 1.0),
            score * curvature * a * a,
        )

    right_terms, wrong_terms = second(score_right), second(score_wrong)
    expected_aa, expected_ab, expected_bb = (
        -np.sum(r * right + (n - r) * wrong_term, axis=1)
        for right, wrong_term in zip(right_terms, wrong_terms, strict=True)
    )
    posterior = expected.posterior
    right_mask, wrong_mask = correct[:, free], wrong[:, free]
    mean_log_a = right_mask * (posterior @ (score_right * dz).T) + wrong_mask * (
        posterior @ (score_wrong * dz).T
    )
    mean_b = -(
        right_mask * (posterior @ (score_right * a).T)
        + wrong_mask * (posterior @ (score_wrong * a).T)
    )
    cross_aa = np.sum(mean_log_a**2, axis=0)
    cross_ab = np.sum(mean_log_a * mean_b, axis=0)
    cross_bb = np.sum(mean_b**2, axis=0)

    info_aa = expected_aa + cross_aa + priors.log_a_precision
    info_ab = expected_ab + cross_ab
    info_bb = expected_bb + cross_bb + priors.b_precision
    det = info_aa * info_bb - info_ab**2
    positive = (info_aa > 0.0) & (info_bb > 0.0) & (det > 1.0e-12 * np.abs(info_aa * info_bb))
    info_aa = np.where(positive, info_aa, cross_aa + priors.log_a_precision + _RIDGE)
    info_ab = np.where(positive, info_ab, cross_ab)
    info_bb = np.where(positive, info_bb, cross_bb + priors.b_precision + _RIDGE)
    det = np.maximum(info_aa * info_bb - info_ab**2, 1.0e-300)
    with np.errstate(over="ignore", invalid="ignore"):
        var_log_a = info_bb / det
        var_b = info_aa / det
    limit = MAX_STANDARD_ERROR**2
    var_log_a = np.where(np.isfinite(var_log_a), np.clip(var_log_a, 0.0, limit), limit)
    var_b = np.where(np.isfinite(var_b), np.clip(var_b, 0.0, limit), limit)
    return np.sqrt(var_log_a), np.sqrt(var_b)

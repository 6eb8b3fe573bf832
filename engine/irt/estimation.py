"""Ability estimators with standard errors: EAP, MAP, ML and WLE.

* **EAP** (default): the posterior mean over a fixed quadrature grid with a
  normal prior, and the posterior SD as its standard error (Bock & Mislevy,
  1982). Finite for every response pattern, including all-correct/all-wrong.
* **MAP**: the posterior mode under the same normal prior (Bayes modal), with
  ``SE = 1 / sqrt(I(theta) + 1 / sd**2)``.
* **ML**: the maximum-likelihood estimate, ``SE = 1 / sqrt(I(theta))``.
* **WLE**: Warm's (1989) weighted likelihood estimate, the root of
  ``score(theta) + J(theta) / (2 I(theta)) = 0``, with ``SE = 1 / sqrt(I(theta))``.

ML and WLE (and MAP) use a bounded search over ``bounds`` (default
``DEFAULT_SEARCH_BOUNDS = (-4, 4)``, catR's ``range``). The estimating equation
is evaluated on a 161-point grid over the bounds; every downward crossing of
zero (a local maximum of the objective) is refined by repeated 16-fold grid
subdivision to about 1e-9 and a final linear interpolation; a bound is also a
candidate when the objective still rises towards it (the score points out of
the interval). The candidate with the largest objective (log-likelihood;
plus the log prior for MAP; plus ``log I / 2`` for WLE, Warm's weight) wins.
**At the bound**: for an all-correct (all-wrong) pattern the ML likelihood
keeps rising, so ML returns the upper (lower) bound, with ``at_bound=True``
and the SE computed from the information there. WLE is usually finite for
such patterns but may also stop at a bound for very short tests of 3PL items.
Standard errors are capped at `MAX_STANDARD_ERROR` so that an item-less or
information-less pattern gives a large, finite SE rather than infinity.

Missing responses (NaN) are skipped by every estimator.

References
----------
Bock, R. D., & Mislevy, R. J. (1982). Adaptive EAP estimation of ability in a
microcomputer environment. *Applied Psychological Measurement, 6*(4), 431-444.

Warm, T. A. (1989). Weighted likelihood estimation of ability in item response
theory. *Psychometrika, 54*(3), 427-450.

Magis, D., & Raiche, G. (2012). Random generation of response patterns under
computerized adaptive testing with the R package catR. *Journal of Statistical
Software, 48*(8). (The reference implementation these estimators are checked
against, through its Python translation catpie.)

van der Linden, W. J., & Glas, C. A. W. (Eds.) (2010). *Elements of adaptive
testing*. Springer. (Chapter 1 surveys these estimators for adaptive tests.)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from engine.irt.model import (
    ArrayLike,
    FloatArray,
    _clean_parameters,
    log_likelihood,
    logit,
)
from engine.irt.posterior import Posterior

#: Search interval of the ML, WLE and MAP estimators (catR's default ``range``).
DEFAULT_SEARCH_BOUNDS = (-4.0, 4.0)

#: Standard errors are capped here: an SE this large means "unknown".
MAX_STANDARD_ERROR = 100.0

#: Nodes of the coarse scan for roots of the estimating equation.
_SCAN_POINTS = 161
#: Subdivisions per refinement round, and rounds (0.05 / 16**6 ~ 3e-9).
_REFINE_POINTS = 17
_REFINE_ROUNDS = 6

Method = Literal["eap", "map", "ml", "wle"]
METHODS: tuple[Method, ...] = ("eap", "map", "ml", "wle")


@dataclass(frozen=True)
class AbilityEstimate:
    """An ability estimate and its standard error.

    Attributes
    ----------
    theta : float
        The estimate.
    se : float
        Its standard error (finite, at most `MAX_STANDARD_ERROR`).
    at_bound : bool
        True when a bounded search (ML, WLE, MAP) stopped at a bound because the
        objective was still rising there.
    """

    theta: float
    se: float
    at_bound: bool = False


@dataclass(frozen=True)
class _Pattern:
    """Answered items and their responses, as float arrays."""

    a: FloatArray
    b: FloatArray
    c: FloatArray
    x: FloatArray


def _answered_pattern(a: ArrayLike, b: ArrayLike, c: ArrayLike, responses: ArrayLike) -> _Pattern:
    """Drop missing (NaN) responses and clamp parameters to their usable ranges."""
    x = np.asarray(responses, dtype=np.float64).reshape(-1)
    a_arr, b_arr, c_arr = (
        np.broadcast_to(values, x.shape) for values in _clean_parameters(a, b, c)
    )
    answered = ~np.isnan(x)
    return _Pattern(a_arr[answered], b_arr[answered], c_arr[answered], np.clip(x[answered], 0, 1))


def _standard_error(information: float) -> float:
    """``1 / sqrt(information)``, capped at `MAX_STANDARD_ERROR`."""
    if not information > 1.0 / MAX_STANDARD_ERROR**2:
        return MAX_STANDARD_ERROR
    return 1.0 / math.sqrt(information)


def _terms(theta: FloatArray, pattern: _Pattern) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Score, test information and Warm's ``J`` at each ``theta``.

    With ``s`` the logistic of ``a (theta - b)`` and ``P = c + (1 - c) s``:
    score term ``P' (x - P) / (P Q) = a s (x - P) / P``; information
    ``a^2 (1 - c) s^2 (1 - s) / P``; ``J = P' P'' / (P Q)
    = a^3 (1 - c) s^2 (1 - s) (1 - 2 s) / P`` (Warm, 1989, eq. 11).
    """
    a, b, c, x = pattern.a, pattern.b, pattern.c, pattern.x
    e = np.exp(-logit(theta[:, None], a, b))
    s = 1.0 / (1.0 + e)
    one_minus_s = e * s  # exact, unlike 1 - s in the upper tail
    p = c + (1.0 - c) * s
    ratio = s / p  # <= 1 / (1 - c): no division blow-up
    score = np.sum(a * ratio * (x - p), axis=1)
    info_terms = a * a * (1.0 - c) * s * ratio * one_minus_s
    info = np.sum(info_terms, axis=1)
    warm_j = np.sum(info_terms * a * (1.0 - 2.0 * s), axis=1)
    return score, info, warm_j


EstimatingEquation = Callable[[FloatArray], FloatArray]


def _maximise(
    equation: EstimatingEquation,
    objective: EstimatingEquation,
    bounds: tuple[float, float],
) -> tuple[float, bool]:
    """Best local maximum of ``objective`` on ``bounds`` via roots of ``equation``.

    ``equation`` is the derivative (up to a positive factor) of the objective;
    returns ``(theta, at_bound)``.
    """
    lower, upper = bounds
    nodes = np.linspace(lower, upper, _SCAN_POINTS)
    values = equation(nodes)
    candidates: list[float] = []
    bound_candidates: set[float] = set()
    for k in np.flatnonzero((values[:-1] > 0.0) & (values[1:] <= 0.0)):
        candidates.append(_refine_root(equation, float(nodes[k]), float(nodes[k + 1])))
    if values[0] < 0.0:
        candidates.append(lower)
        bound_candidates.add(lower)
    if values[-1] > 0.0:
        candidates.append(upper)
        bound_candidates.add(upper)
    if not candidates:
        # A flat objective (no usable information): take the best node.
        best = float(nodes[int(np.argmax(objective(nodes)))])
        return best, best in (lower, upper)
    scores = objective(np.asarray(candidates))
    best = candidates[int(np.argmax(scores))]
    return best, best in bound_candidates


def _refine_root(equation: EstimatingEquation, left: float, right: float) -> float:
    """Narrow a bracket with ``equation(left) > 0 >= equation(right)`` to ~1e-9."""
    value_left, value_right = float(equation(np.array([left]))[0]), 0.0
    for _ in range(_REFINE_ROUNDS):
        nodes = np.linspace(left, right, _REFINE_POINTS)
        values = equation(nodes)
        crossings = np.flatnonzero((values[:-1] > 0.0) & (values[1:] <= 0.0))
        if crossings.size == 0:
            break
        k = int(crossings[0])
        left, right = float(nodes[k]), float(nodes[k + 1])
        value_left, value_right = float(values[k]), float(values[k + 1])
    if value_left - value_right <= 0.0:
        return (left + right) / 2.0
    # Final linear interpolation inside the tiny bracket.
    return left + (right - left) * value_left / (value_left - value_right)


def _valid_bounds(bounds: tuple[float, float]) -> tuple[float, float]:
    lower, upper = float(bounds[0]), float(bounds[1])
    if not (math.isfinite(lower) and math.isfinite(upper) and upper > lower):
        raise ValueError(f"search bounds must be finite with upper > lower, got {bounds}")
    return lower, upper


def estimate_eap(
    a: ArrayLike,
    b: ArrayLike,
    c: ArrayLike,
    responses: ArrayLike,
    *,
    prior_mean: float = 0.0,
    prior_sd: float = 1.0,
    grid: FloatArray | None = None,
) -> AbilityEstimate:
    """Expected a posteriori estimate and posterior SD (Bock & Mislevy, 1982).

    Parameters
    ----------
    a, b, c : array_like
        Parameters of the administered items.
    responses : array_like
        1, 0 or NaN (skipped) per item.
    prior_mean, prior_sd : float
        Normal prior N(prior_mean, prior_sd**2).
    grid : numpy.ndarray, optional
        Quadrature nodes (default `quadrature_grid()`, 121 nodes on [-6, 6];
        catR uses 33 nodes on [-4, 4]).

    Returns
    -------
    AbilityEstimate
        Posterior mean and SD; finite for every pattern.
    """
    pattern = _answered_pattern(a, b, c, responses)
    posterior = Posterior.normal(prior_mean, prior_sd, grid).update_many(
        pattern.a, pattern.b, pattern.c, pattern.x
    )
    return AbilityEstimate(posterior.mean, posterior.sd)


def estimate_map(
    a: ArrayLike,
    b: ArrayLike,
    c: ArrayLike,
    responses: ArrayLike,
    *,
    prior_mean: float = 0.0,
    prior_sd: float = 1.0,
    bounds: tuple[float, float] = DEFAULT_SEARCH_BOUNDS,
) -> AbilityEstimate:
    """Maximum a posteriori (Bayes modal) estimate under a normal prior.

    The SE is ``1 / sqrt(I(theta) + 1 / prior_sd**2)`` (expected information plus
    the prior's precision), as in catR's ``semTheta(method = "BM")``.

    Parameters
    ----------
    a, b, c : array_like
        Parameters of the administered items.
    responses : array_like
        1, 0 or NaN (skipped) per item.
    prior_mean, prior_sd : float
        Normal prior; ``prior_sd`` must be positive.
    bounds : tuple of float
        Search interval (default (-4, 4)).

    Returns
    -------
    AbilityEstimate
    """
    pattern = _answered_pattern(a, b, c, responses)
    lower, upper = _valid_bounds(bounds)
    if not (math.isfinite(prior_sd) and prior_sd > 0.0 and math.isfinite(prior_mean)):
        raise ValueError(f"prior needs a finite mean and positive SD, got {prior_mean}, {prior_sd}")
    precision = 1.0 / (prior_sd * prior_sd)

    def equation(theta: FloatArray) -> FloatArray:
        return _terms(theta, pattern)[0] + (prior_mean - theta) * precision

    def objective(theta: FloatArray) -> FloatArray:
        return _log_likelihood(theta, pattern) - 0.5 * precision * (theta - prior_mean) ** 2

    theta, at_bound = _maximise(equation, objective, (lower, upper))
    info = float(_terms(np.array([theta]), pattern)[1][0])
    return AbilityEstimate(theta, _standard_error(info + precision), at_bound)


def _log_likelihood(theta: FloatArray, pattern: _Pattern) -> FloatArray:
    return log_likelihood(theta[:, None], pattern.a, pattern.b, pattern.c, pattern.x)


def estimate_ml(
    a: ArrayLike,
    b: ArrayLike,
    c: ArrayLike,
    responses: ArrayLike,
    *,
    bounds: tuple[float, float] = DEFAULT_SEARCH_BOUNDS,
) -> AbilityEstimate:
    """Maximum-likelihood estimate by bounded search, ``SE = 1 / sqrt(I)``.

    For an all-correct (all-wrong) pattern the likelihood increases without
    limit, so the estimate is the upper (lower) bound with ``at_bound=True``.
    With no answered items the estimate is the middle of ``bounds`` with the
    capped SE.

    Parameters
    ----------
    a, b, c : array_like
        Parameters of the administered items.
    responses : array_like
        1, 0 or NaN (skipped) per item.
    bounds : tuple of float
        Search interval (default (-4, 4)).

    Returns
    -------
    AbilityEstimate
    """
    pattern = _answered_pattern(a, b, c, responses)
    lower, upper = _valid_bounds(bounds)
    if pattern.x.size == 0:
        return AbilityEstimate((lower + upper) / 2.0, MAX_STANDARD_ERROR)

    def equation(theta: FloatArray) -> FloatArray:
        return _terms(theta, pattern)[0]

    def objective(theta: FloatArray) -> FloatArray:
        return _log_likelihood(theta, pattern)

    theta, at_bound = _maximise(equation, objective, (lower, upper))
    info = float(_terms(np.array([theta]), pattern)[1][0])
    return AbilityEstimate(theta, _standard_error(info), at_bound)


def estimate_wle(
    a: ArrayLike,
    b: ArrayLike,
    c: ArrayLike,
    responses: ArrayLike,
    *,
    bounds: tuple[float, float] = DEFAULT_SEARCH_BOUNDS,
) -> AbilityEstimate:
    """Warm's (1989) weighted likelihood estimate, ``SE = 1 / sqrt(I)``.

    Solves ``score(theta) + J(theta) / (2 I(theta)) = 0`` (Warm, 1989, eq. 11),
    which removes the first-order bias of ML and is finite for all-correct and
    all-wrong patterns of 1PL/2PL items. Among several roots the one with the
    largest ``log L + log I / 2`` is taken (exact for 1PL/2PL, where that is the
    function whose derivative the equation is).

    Parameters
    ----------
    a, b, c : array_like
        Parameters of the administered items.
    responses : array_like
        1, 0 or NaN (skipped) per item.
    bounds : tuple of float
        Search interval (default (-4, 4)).

    Returns
    -------
    AbilityEstimate
    """
    pattern = _answered_pattern(a, b, c, responses)
    lower, upper = _valid_bounds(bounds)
    if pattern.x.size == 0:
        return AbilityEstimate((lower + upper) / 2.0, MAX_STANDARD_ERROR)

    def equation(theta: FloatArray) -> FloatArray:
        score, info, warm_j = _terms(theta, pattern)
        safe_info = np.where(info > 0.0, info, 1.0)
        return score + np.where(info > 0.0, warm_j / (2.0 * safe_info), 0.0)

    def objective(theta: FloatArray) -> FloatArray:
        info = _terms(theta, pattern)[1]
        return _log_likelihood(theta, pattern) + 0.5 * np.log(np.maximum(info, 1e-300))

    theta, at_bound = _maximise(equation, objective, (lower, upper))
    info = float(_terms(np.array([theta]), pattern)[1][0])
    return AbilityEstimate(theta, _standard_error(info), at_bound)


def estimate_ability(
    a: ArrayLike,
    b: ArrayLike,
    c: ArrayLike,
    responses: ArrayLike,
    method: Method = "eap",
    *,
    prior_mean: float = 0.0,
    prior_sd: float = 1.0,
    grid: FloatArray | None = None,
    bounds: tuple[float, float] = DEFAULT_SEARCH_BOUNDS,
) -> AbilityEstimate:
    """Estimate ability with the named method (``eap``, ``map``, ``ml``, ``wle``).

    Options that a method does not use are ignored (``grid`` is EAP's,
    ``bounds`` the others', the prior EAP's and MAP's).
    """
    if method == "eap":
        return estimate_eap(a, b, c, responses, prior_mean=prior_mean, prior_sd=prior_sd, grid=grid)
    if method == "map":
        return estimate_map(
            a, b, c, responses, prior_mean=prior_mean, prior_sd=prior_sd, bounds=bounds
        )
    if method == "ml":
        return estimate_ml(a, b, c, responses, bounds=bounds)
    if method == "wle":
        return estimate_wle(a, b, c, responses, bounds=bounds)
    raise ValueError(f"unknown estimation method {method!r}; use one of {', '.join(METHODS)}")

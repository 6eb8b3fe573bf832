"""Linking a new calibration to an earlier scale: Stocking-Lord characteristic curves.

Two calibrations of the same items on different samples put them on two
scales that differ by a linear map ``theta_old = A theta_new + B`` (the
indeterminacy of the IRT scale). Given the common items' parameters on both
scales, `stocking_lord` finds ``A`` and ``B`` that make the test characteristic
curve of the common items, computed from the new parameters transformed to the
old scale, as close as possible to the curve from the old parameters:

    F(A, B) = sum_q w_q [ sum_j P(theta_q; a_j, b_j, c_j)
                          - sum_j P(theta_q; a*_j / A, A b*_j + B, c*_j) ]^2

over the quadrature grid, ``w_q`` the old scale's N(0, 1) population density
(Stocking & Lord, 1983; Kolen & Brennan, 2014, ch. 6). The minimum is found by
Gauss-Newton with step halving from the mean/sigma solution (Marco, 1977).
`apply_linking` then moves every new parameter (and the new population) onto
the old scale.

References
----------
Stocking, M. L., & Lord, F. M. (1983). Developing a common metric in item
response theory. *Applied Psychological Measurement, 7*(2), 201-210.

Marco, G. L. (1977). Item characteristic curve solutions to three intractable
testing problems. *Journal of Educational Measurement, 14*(2), 139-160.

Kolen, M. J., & Brennan, R. L. (2014). *Test equating, scaling, and linking*
(3rd ed.). Springer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from engine.irt.model import LOGIT_LIMIT, ArrayLike, FloatArray
from engine.irt.posterior import quadrature_grid, trapezoid_weights

_ITERATIONS = 100
_TOLERANCE = 1.0e-10
_SLOPE_BOUNDS = (0.05, 20.0)


@dataclass(frozen=True)
class Linking:
    """``theta_old = slope * theta_new + intercept``, and how well the curves agree."""

    slope: float
    intercept: float
    common_items: int
    criterion: float  # F(A, B) at the solution: weighted squared TCC difference
    converged: bool

    def theta(self, theta_new: ArrayLike) -> FloatArray:
        return np.asarray(self.slope * np.asarray(theta_new, dtype=np.float64) + self.intercept)


IDENTITY = Linking(1.0, 0.0, 0, 0.0, True)


@dataclass(frozen=True, eq=False)
class LinkedParameters:
    a: FloatArray
    b: FloatArray
    se_a: FloatArray
    se_b: FloatArray
    population_mean: float
    population_sd: float


def mean_sigma(old_b: ArrayLike, new_b: ArrayLike) -> Linking:
    """The mean/sigma constants from the common items' difficulties (Marco, 1977)."""
    old = np.asarray(old_b, dtype=np.float64)
    new = np.asarray(new_b, dtype=np.float64)
    if old.size < 2 or float(np.std(new)) <= 1e-12 or float(np.std(old)) <= 1e-12:
        shift = float(np.mean(old) - np.mean(new)) if old.size else 0.0
        return Linking(1.0, shift, int(old.size), math.nan, True)
    slope = float(np.clip(np.std(old) / np.std(new), *_SLOPE_BOUNDS))
    return Linking(slope, float(np.mean(old) - slope * np.mean(new)), int(old.size), math.nan, True)


def _curves(
    grid: FloatArray, a: FloatArray, b: FloatArray, c: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """P at every (node, item) and dP/dz."""
    z = np.clip(a[None, :] * (grid[:, None] - b[None, :]), -LOGIT_LIMIT, LOGIT_LIMIT)
    sigma = 1.0 / (1.0 + np.exp(-z))
    p = c[None, :] + (1.0 - c[None, :]) * sigma
    return p, (1.0 - c[None, :]) * sigma * (1.0 - sigma)


def stocking_lord(
    old_a: ArrayLike,
    old_b: ArrayLike,
    old_c: ArrayLike,
    new_a: ArrayLike,
    new_b: ArrayLike,
    new_c: ArrayLike,
    *,
    grid: FloatArray | None = None,
) -> Linking:
    """The Stocking-Lord constants putting the new calibration on the old scale.

    Parameters
    ----------
    old_a, old_b, old_c, new_a, new_b, new_c : array_like
        The common items' parameters on the old and on the new scale, in the
        same order. With no common item the identity is returned; with one,
        only the intercept is moved.
    grid : numpy.ndarray, optional
        Nodes on the old scale (default: 121 nodes on [-6, 6]), weighted by
        the N(0, 1) density.
    """
    oa, ob, oc = (np.asarray(v, dtype=np.float64).ravel() for v in (old_a, old_b, old_c))
    na, nb, nc = (np.asarray(v, dtype=np.float64).ravel() for v in (new_a, new_b, new_c))
    oc = np.broadcast_to(oc, ob.shape)
    nc = np.broadcast_to(nc, nb.shape)
    if ob.size == 0:
        return IDENTITY
    nodes = quadrature_grid() if grid is None else np.asarray(grid, dtype=np.float64)
    weights = trapezoid_weights(nodes) * np.exp(-0.5 * nodes**2)
    weights = weights / weights.sum()
    target = _curves(nodes, oa, ob, oc)[0].sum(axis=1)
    start = mean_sigma(ob, nb)
    single = ob.size == 1

    def criterion(slope: float, intercept: float) -> tuple[float, FloatArray, FloatArray]:
        p, dp_dz = _curves(nodes, na / slope, slope * nb + intercept, nc)
        residual = target - p.sum(axis=1)
        return float(weights @ residual**2), residual, dp_dz

    slope, intercept = (1.0 if single else start.slope), start.intercept
    value, residual, dp_dz = criterion(slope, intercept)
    converged = False
    for _ in range(_ITERATIONS):
        # z* = (a / A)(theta - A b - B): dz*/dA = -(a / A^2)(theta - B), dz*/dB = -a / A.
        jacobian_b = -(dp_dz * (na / slope)[None, :]).sum(axis=1)
        jacobian_a = -(dp_dz * (na / slope**2)[None, :] * (nodes[:, None] - intercept)).sum(axis=1)
        # The curve difference is target - T*, so d residual = -dT*.
        columns = [jacobian_b] if single else [jacobian_a, jacobian_b]
        jacobian = -np.stack(columns, axis=1)
        normal = jacobian.T @ (weights[:, None] * jacobian) + 1e-12 * np.eye(len(columns))
        step = -np.linalg.solve(normal, jacobian.T @ (weights * residual))
        step_a, step_b = (0.0, float(step[0])) if single else (float(step[0]), float(step[1]))
        improved = False
        for _ in range(30):
            candidate_a = float(np.clip(slope + step_a, *_SLOPE_BOUNDS))
            candidate_b = intercept + step_b
            new_value, new_residual, new_dp = criterion(candidate_a, candidate_b)
            if new_value <= value:
                improved = True
                break
            step_a *= 0.5
            step_b *= 0.5
        if not improved:
            converged = True
            break
        moved = max(abs(candidate_a - slope), abs(candidate_b - intercept))
        slope, intercept = candidate_a, candidate_b
        value, residual, dp_dz = new_value, new_residual, new_dp
        if moved < _TOLERANCE:
            converged = True
            break
    return Linking(slope, intercept, int(ob.size), value, converged)


def apply_linking(
    linking: Linking,
    a: ArrayLike,
    b: ArrayLike,
    se_a: ArrayLike,
    se_b: ArrayLike,
    population_mean: float = 0.0,
    population_sd: float = 1.0,
) -> LinkedParameters:
    """New-scale parameters moved onto the old scale (``c`` does not change)."""
    slope, intercept = linking.slope, linking.intercept
    return LinkedParameters(
        a=np.asarray(a, dtype=np.float64) / slope,
        b=slope * np.asarray(b, dtype=np.float64) + intercept,
        se_a=np.asarray(se_a, dtype=np.float64) / slope,
        se_b=slope * np.asarray(se_b, dtype=np.float64),
        population_mean=slope * population_mean + intercept,
        population_sd=slope * population_sd,
    )

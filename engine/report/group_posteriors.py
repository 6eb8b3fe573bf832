"""Many ability posteriors at once: one per group of answers (a quiz's answers in one area).

A cohort report needs the posterior of every quiz and area of hundreds of
learners. Building them one `engine.irt.posterior.Posterior` at a time costs
about 0.15 ms each in Python overhead; here the log-likelihood of every answer
is evaluated on the grid in one array operation and summed per group, so
10,000 posteriors take a few tens of milliseconds. The numbers are the same as
`Posterior.normal(mean, sd).update_many(...)`: the same grid, the same prior
clamping, the same trapezoidal moments and CDF
(`tests/cohort/test_group_posteriors.py` checks it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from engine.irt.item_bank import IntArray
from engine.irt.model import FloatArray, log_probabilities
from engine.irt.posterior import (
    MAX_PRIOR_SD,
    MIN_PRIOR_SD,
    Posterior,
    quadrature_grid,
    trapezoid_weights,
)

#: Answers evaluated on the grid per block (bounds memory: 121 nodes x 20,000 x 8 bytes).
BLOCK_ANSWERS = 20_000


@dataclass(frozen=True, eq=False)
class GroupPosteriors:
    """Posteriors on one grid, one row per group.

    Attributes
    ----------
    grid : numpy.ndarray
        The quadrature nodes (evenly spaced).
    log_density : numpy.ndarray
        Shape ``(groups, nodes)``: unnormalised log density, each row's maximum 0.
    answered : numpy.ndarray
        Counted answers per group.
    """

    grid: FloatArray
    log_density: FloatArray
    answered: IntArray

    @cached_property
    def _density(self) -> FloatArray:
        density: FloatArray = np.exp(self.log_density)
        return density

    @cached_property
    def _moments(self) -> tuple[FloatArray, FloatArray]:
        weights = trapezoid_weights(self.grid)
        matrix = np.vstack((weights, weights * self.grid, weights * self.grid * self.grid))
        total, first, second = matrix @ self._density.T
        mean = first / total
        variance = np.maximum(second / total - mean * mean, 0.0)
        return mean, np.sqrt(variance)

    @property
    def mean(self) -> FloatArray:
        """EAP estimate of each group."""
        return self._moments[0]

    @property
    def sd(self) -> FloatArray:
        """Posterior SD of each group."""
        return self._moments[1]

    @cached_property
    def _cumulative(self) -> FloatArray:
        density = self._density
        steps = np.diff(self.grid)
        pieces = (density[:, :-1] + density[:, 1:]) / 2.0 * steps
        cumulative = np.concatenate((np.zeros((density.shape[0], 1)), np.cumsum(pieces, axis=1)), 1)
        normalised: FloatArray = cumulative / cumulative[:, -1:]
        return normalised

    def cdf(self, theta: float) -> FloatArray:
        """P(ability < theta) for every group, interpolated between nodes like `Posterior.cdf`."""
        grid = self.grid
        if theta <= grid[0]:
            return np.zeros(self.log_density.shape[0])
        if theta >= grid[-1]:
            return np.ones(self.log_density.shape[0])
        right = int(np.searchsorted(grid, theta, side="right"))
        left = right - 1
        share = (theta - grid[left]) / (grid[right] - grid[left])
        cumulative = self._cumulative
        result: FloatArray = cumulative[:, left] * (1.0 - share) + cumulative[:, right] * share
        return result

    @cached_property
    def masses(self) -> FloatArray:
        """Normalised mass at each node (trapezoidal weights included), one row per group."""
        unnormalised = self._density * trapezoid_weights(self.grid)
        normalised: FloatArray = unnormalised / unnormalised.sum(axis=1, keepdims=True)
        return normalised

    def posterior(self, group: int) -> Posterior:
        """One group's posterior as the engine's own `Posterior` (for credible intervals)."""
        log_density = np.array(self.log_density[group])
        log_density.setflags(write=False)
        return Posterior(self.grid, trapezoid_weights(self.grid), log_density)


def prior_log_density(grid: FloatArray, mean: FloatArray, sd: FloatArray) -> FloatArray:
    """Normal log densities (maximum 0) with `Posterior.normal`'s clamping, one row per prior."""
    centre = (grid[0] + grid[-1]) / 2.0
    mean = np.where(np.isfinite(mean), mean, centre)
    mean = np.clip(mean, grid[0], grid[-1])
    sd = np.where(np.isnan(sd), 1.0, sd)
    sd = np.clip(sd, MIN_PRIOR_SD, MAX_PRIOR_SD)
    log_density = -0.5 * ((grid[None, :] - mean[:, None]) / sd[:, None]) ** 2
    shifted: FloatArray = log_density - log_density.max(axis=1, keepdims=True)
    return shifted


def distinct_parameters(a: FloatArray, b: FloatArray, c: FloatArray) -> tuple[FloatArray, IntArray]:
    """The distinct ``(a, b, c)`` rows, shape ``(k, 3)``, and which one each answer has.

    A sort by the three columns (``np.unique(axis=0)`` does the same, about
    five times slower on 100,000 rows).
    """
    parameters = np.column_stack((a, b, c)).astype(np.float64)
    if parameters.shape[0] == 0:
        return parameters, np.zeros(0, dtype=np.intp)
    order = np.lexsort((parameters[:, 2], parameters[:, 1], parameters[:, 0]))
    ordered = parameters[order]
    new = np.concatenate(([True], (ordered[1:] != ordered[:-1]).any(axis=1)))
    which = np.empty(order.size, dtype=np.intp)
    which[order] = np.cumsum(new) - 1
    return ordered[new], which


def answer_log_likelihoods(
    grid: FloatArray, a: FloatArray, b: FloatArray, c: FloatArray, correct: FloatArray
) -> FloatArray:
    """Shape ``(answers, nodes)``: each answer's log-likelihood on the grid (NaN answers: 0).

    A cohort answers a few hundred items thousands of times, so the response
    function is evaluated once per distinct ``(a, b, c)`` and gathered per answer.
    """
    x = np.asarray(correct, dtype=np.float64)
    counted = ~np.isnan(x)
    x = np.clip(np.where(counted, x, 0.0), 0.0, 1.0)
    distinct, which = distinct_parameters(a, b, c)
    log_correct, log_wrong = log_probabilities(
        grid[None, :], distinct[:, 0:1], distinct[:, 1:2], distinct[:, 2:3]
    )
    terms: FloatArray
    if np.all((x == 0.0) | (x == 1.0)):
        # Right or wrong: one gather from the wrong rows stacked over the right ones.
        table = np.concatenate((log_wrong, log_correct))
        terms = table[which + x.astype(np.intp) * distinct.shape[0]]
    else:
        terms = x[:, None] * log_correct[which] + (1.0 - x)[:, None] * log_wrong[which]
    terms[~counted] = 0.0
    return terms


def group_posteriors(
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    correct: FloatArray,
    group: IntArray,
    prior_mean: FloatArray,
    prior_sd: FloatArray,
    grid: FloatArray | None = None,
) -> GroupPosteriors:
    """The posterior of every group from its prior and its answers.

    Parameters
    ----------
    a, b, c : numpy.ndarray
        3PL parameters of each answered item (as it was when answered).
    correct : numpy.ndarray
        1.0 correct, 0.0 wrong (skips count as wrong), NaN not counted.
    group : numpy.ndarray
        Group of each answer, ``0 .. len(prior_mean) - 1``.
    prior_mean, prior_sd : numpy.ndarray
        Each group's normal prior.
    grid : numpy.ndarray, optional
        Quadrature nodes (default `quadrature_grid()`, the posterior's own).

    Returns
    -------
    GroupPosteriors
    """
    nodes = quadrature_grid() if grid is None else np.asarray(grid, dtype=np.float64)
    means = np.asarray(prior_mean, dtype=np.float64)
    log_density = prior_log_density(nodes, means, np.asarray(prior_sd, dtype=np.float64))
    groups = np.asarray(group, dtype=np.intp)
    x = np.asarray(correct, dtype=np.float64)
    order = np.argsort(groups, kind="stable")  # each group's answers side by side
    for start in range(0, order.size, BLOCK_ANSWERS):
        rows = order[start : start + BLOCK_ANSWERS]
        terms = answer_log_likelihoods(nodes, a[rows], b[rows], c[rows], x[rows])
        keys = groups[rows]
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        # A group cut by the block's edge gets its two partial sums added in turn.
        log_density[keys[starts]] += np.add.reduceat(terms, starts, axis=0)
    log_density -= log_density.max(axis=1, keepdims=True)
    answered = np.bincount(groups[~np.isnan(x)], minlength=means.size)
    return GroupPosteriors(nodes, log_density, answered)

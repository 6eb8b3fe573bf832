"""Readiness levels as posterior probabilities, and the overall composite of the areas.

A level is a band of ability between two cut scores (Foundations below the
first cut, Strong above the last). Reading the level off the EAP estimate
calls most learners near a cut wrongly and never calls an extreme learner
Strong after a short quiz, because the EAP is shrunk towards the prior mean.
Instead the report gives the posterior probability of every level and names
the smallest run of adjacent levels that holds at least `NAMING_PROBABILITY`
of it: one level when the evidence allows, "Developing or Job-ready" when it
does not. This is the Bayesian (credible-set) form of a classification
decision (Vos, 2000; Glas & Vos, 2010): the named set holds the learner's
level with posterior probability at least 0.8, so if the model is right about
8 in 10 named sets or more contain the true level.

The overall result is the mean of the area abilities. Its posterior is the
distribution of that mean under the (independent) area posteriors, computed
by convolving them on the grid, so its uncertainty is the real uncertainty of
an average of four separately measured abilities, not the too-small SE of one
ability fitted to every answer across areas.

References
----------
Vos, H. J. (2000). A Bayesian procedure in the context of sequential mastery
testing. *Psicologica, 21*, 191-211.

Glas, C. A. W., & Vos, H. J. (2010). Adaptive mastery testing using a
multidimensional IRT model. In W. J. van der Linden & C. A. W. Glas (Eds.),
*Elements of adaptive testing* (pp. 409-431). Springer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine.irt.model import FloatArray
from engine.irt.posterior import Posterior, trapezoid_weights

#: A level (or run of adjacent levels) is named once it holds this much of the posterior.
NAMING_PROBABILITY = 0.8
#: Densities below this are treated as zero when taking logarithms (keeps them finite).
_DENSITY_FLOOR = 1.0e-300


@dataclass(frozen=True)
class LevelRange:
    """The adjacent levels ``first..last`` (indices, inclusive) and the probability they hold."""

    first: int
    last: int
    probability: float

    @property
    def size(self) -> int:
        """How many levels are named (1 for a single level)."""
        return self.last - self.first + 1

    def contains(self, level: int) -> bool:
        """True when ``level`` is one of the named levels."""
        return self.first <= level <= self.last


def level_of(theta: float, cuts: Sequence[float]) -> int:
    """Index of the level holding ``theta``: the number of cuts at or below it.

    ``cuts`` are increasing; a value equal to a cut belongs to the level above it.
    """
    return int(np.searchsorted(np.asarray(cuts, dtype=np.float64), theta, side="right"))


def level_probabilities(posterior: Posterior, cuts: Sequence[float]) -> FloatArray:
    """Posterior probability of each of the ``len(cuts) + 1`` levels.

    Parameters
    ----------
    posterior : Posterior
        The ability posterior.
    cuts : sequence of float
        Increasing cut scores (where each level above the first starts).

    Returns
    -------
    numpy.ndarray
        Non-negative probabilities summing to 1, lowest level first.
    """
    below = np.array([posterior.cdf(float(cut)) for cut in cuts], dtype=np.float64)
    edges = np.concatenate(([0.0], np.maximum.accumulate(np.clip(below, 0.0, 1.0)), [1.0]))
    return np.diff(edges)


def named_levels(probabilities: FloatArray, threshold: float = NAMING_PROBABILITY) -> LevelRange:
    """The shortest run of adjacent levels holding at least ``threshold`` probability.

    Among runs of the same length the one holding more probability wins (then
    the lower one). When no run reaches the threshold (it is above 1) every
    level is named.

    Parameters
    ----------
    probabilities : numpy.ndarray
        Probability of each level, lowest first (e.g. `level_probabilities`).
    threshold : float
        Probability the named run must hold.

    Returns
    -------
    LevelRange
    """
    p = np.asarray(probabilities, dtype=np.float64)
    n = p.size
    if n == 0:
        raise ValueError("need at least one level")
    cumulative = np.concatenate(([0.0], np.cumsum(p)))
    # Allow for rounding in probabilities that should sum to exactly the threshold.
    target = threshold - 1e-12
    for size in range(1, n + 1):
        held = cumulative[size:] - cumulative[:-size]
        best = int(np.argmax(held))
        if held[best] >= target:
            return LevelRange(best, best + size - 1, float(held[best]))
    return LevelRange(0, n - 1, float(cumulative[-1]))


def composite_posterior(posteriors: Sequence[Posterior]) -> Posterior:
    """Posterior of the mean of independent abilities, by convolution on the grid.

    The masses of the ``k`` posteriors are convolved: the distribution of
    their sum at the sums of the nodes, which as a mean lies on a grid over the
    same range ``k`` times as fine (kept, so that probabilities of the
    narrower composite are as accurate as the areas').

    Parameters
    ----------
    posteriors : sequence of Posterior
        At least one posterior, all on the same evenly spaced grid.

    Returns
    -------
    Posterior
        On the ``k`` times finer grid; its mean is the mean of the means and
        its variance the sum of the variances over ``k**2`` (up to the grid's
        accuracy).
    """
    if not posteriors:
        raise ValueError("a composite needs at least one posterior")
    grid = posteriors[0].grid
    for posterior in posteriors[1:]:
        if posterior.grid.shape != grid.shape or not np.allclose(posterior.grid, grid):
            raise ValueError("all posteriors of a composite must share one grid")
    if len(posteriors) == 1:
        return posteriors[0]
    steps = np.diff(grid)
    if not np.allclose(steps, steps[0]):
        raise ValueError("a composite needs an evenly spaced grid")
    # Point masses at the nodes (the trapezoidal weights are already in `masses`).
    masses = posteriors[0].masses
    for posterior in posteriors[1:]:
        masses = np.convolve(masses, posterior.masses)
    k = len(posteriors)
    # Sum nodes are k*lower + j*step; as a mean, lower + j*step/k.
    fine_grid = grid[0] + np.arange(masses.size) * (steps[0] / k)
    fine_grid.setflags(write=False)
    fine_weights = trapezoid_weights(fine_grid)
    log_density = np.log(np.maximum(masses / fine_weights, _DENSITY_FLOOR))
    log_density -= log_density.max()
    log_density.setflags(write=False)
    return Posterior(fine_grid, fine_weights, log_density)


def probability_words(probability: float, *, compact: bool = False) -> str:
    """A probability as a whole percentage that never claims more than 99% or less than 1%.

    A model-based probability rests on the model being right, so the report
    never states certainty: 0.996 reads "more than 99%" (``compact``: ">99%"),
    0.003 "less than 1%" ("<1%").
    """
    if math.isnan(probability):
        return "unknown"
    if probability > 0.99:
        return ">99%" if compact else "more than 99%"
    if probability < 0.01:
        return "<1%" if compact else "less than 1%"
    return f"{min(max(round(probability * 100), 1), 99)}%"

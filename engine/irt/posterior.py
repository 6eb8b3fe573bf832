"""An ability posterior over a fixed quadrature grid, updated one answer at a time.

The posterior density of ability is kept as its logarithm at the nodes of a
fixed grid. Answering an item adds that item's log-likelihood term to every
node (Bock & Mislevy, 1982), so an update costs one evaluation of the response
function on the grid, never a recomputation over all earlier answers. Moments
and probabilities use the trapezoidal rule over the grid, the same rule as
catR's ``integrate.catR`` (Magis & Raiche, 2012), so EAP figures agree with
catR/catpie when the grid is the same.

References
----------
Bock, R. D., & Mislevy, R. J. (1982). Adaptive EAP estimation of ability in a
microcomputer environment. *Applied Psychological Measurement, 6*(4), 431-444.

Magis, D., & Raiche, G. (2012). Random generation of response patterns under
computerized adaptive testing with the R package catR. *Journal of Statistical
Software, 48*(8), 1-31.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from engine.irt.model import (
    MAX_GUESSING,
    ArrayLike,
    FloatArray,
    log_probabilities,
    scalar_item_logit,
)
from engine.irt.population import GROWTH_HORIZON_DAYS, GrowthModel

#: Default quadrature grid: 121 nodes from -6 to 6 (step 0.1). Wide enough that
#: a prior carried over from an extreme earlier estimate still fits, fine enough
#: that trapezoidal moments are accurate to well under 0.01 for any posterior a
#: quiz produces (posterior SDs stay above about 0.15).
DEFAULT_GRID_BOUNDS = (-6.0, 6.0)
DEFAULT_GRID_POINTS = 121

#: Prior standard deviations are clamped to this range so that the log-density
#: is finite at every node.
MIN_PRIOR_SD = 1.0e-2
MAX_PRIOR_SD = 1.0e3

#: How much a returning learner's previous standard error is widened (added in
#: quadrature) before it becomes the prior SD of the next quiz when the time
#: since that quiz is not known; see `carry_over_prior`.
DEFAULT_CARRY_OVER_WIDEN = 0.5
#: The least drift allowed between two sittings, even on the same day: a
#: person's performance varies from one sitting to the next (tiredness, the
#: questions drawn), and the model's answers are not exactly independent.
MIN_DRIFT_SD = 0.2


def quadrature_grid(
    lower: float = DEFAULT_GRID_BOUNDS[0],
    upper: float = DEFAULT_GRID_BOUNDS[1],
    points: int = DEFAULT_GRID_POINTS,
) -> FloatArray:
    """Evenly spaced quadrature nodes from ``lower`` to ``upper`` inclusive.

    Parameters
    ----------
    lower, upper : float
        Grid bounds; ``upper > lower``.
    points : int
        Number of nodes, at least 2.

    Returns
    -------
    numpy.ndarray
        Read-only array of nodes.
    """
    if not (math.isfinite(lower) and math.isfinite(upper) and upper > lower):
        raise ValueError(f"grid bounds must be finite with upper > lower, got {lower}, {upper}")
    if points < 2:
        raise ValueError(f"a grid needs at least 2 points, got {points}")
    grid = np.linspace(lower, upper, int(points))
    grid.setflags(write=False)
    return grid


def trapezoid_weights(grid: FloatArray) -> FloatArray:
    """Trapezoidal-rule weights for ``grid`` (half a step at each end).

    Parameters
    ----------
    grid : numpy.ndarray
        Increasing nodes.

    Returns
    -------
    numpy.ndarray
        Read-only weights, so that ``sum(weights * f(grid))`` integrates ``f``.
    """
    steps = np.diff(grid)
    weights = np.zeros_like(grid)
    weights[:-1] += steps / 2.0
    weights[1:] += steps / 2.0
    weights.setflags(write=False)
    return weights


def _read_only(values: FloatArray) -> FloatArray:
    values.setflags(write=False)
    return values


def _log_likelihood_term(grid: FloatArray, a: float, b: float, c: float, x: float) -> FloatArray:
    """One item's log-likelihood over the grid: the per-answer hot path.

    Same values as `log_probabilities`, computing only the side that was
    answered. With the logit clipped to +/-30 the direct forms below cannot
    overflow or lose precision: ``P >= (1 - c) * 9e-14``.
    """
    c = min(max(c, 0.0), MAX_GUESSING) if not math.isnan(c) else 0.0
    if x >= 1.0:
        # log P = log(c + (1 - c) / (1 + exp(-z))), with -z = a (b - theta)
        minus_z = scalar_item_logit(grid, a, b, negate=True)
        np.exp(minus_z, out=minus_z)
        minus_z += 1.0
        np.divide(1.0 - c, minus_z, out=minus_z)
        if c > 0.0:
            minus_z += c
        return np.log(minus_z, out=minus_z)
    if x <= 0.0:
        # log Q = log(1 - c) - log(1 + exp(z))
        z = scalar_item_logit(grid, a, b)
        np.exp(z, out=z)
        np.log1p(z, out=z)
        return np.subtract(math.log1p(-c), z, out=z)
    log_correct, log_wrong = log_probabilities(grid, a, b, c)
    return x * log_correct + (1.0 - x) * log_wrong


_DEFAULT_GRID = quadrature_grid()
_DEFAULT_WEIGHTS = trapezoid_weights(_DEFAULT_GRID)


def build_moment_matrix(grid: FloatArray, weights: FloatArray) -> FloatArray:
    """Rows ``weights``, ``weights * grid``, ``weights * grid**2`` (read-only)."""
    return _read_only(np.vstack((weights, weights * grid, weights * grid * grid)))


_DEFAULT_MOMENTS = build_moment_matrix(_DEFAULT_GRID, _DEFAULT_WEIGHTS)


@dataclass(frozen=True, eq=False)
class Posterior:
    """Posterior of one ability over a fixed grid, kept as a log-density.

    Build one with `Posterior.normal` (or `normal_prior`), then call `update`
    once per answer; each call returns a new posterior and leaves this one
    unchanged. The log-density is shifted so that its maximum is 0, which
    keeps it finite however many items are added.

    Attributes
    ----------
    grid : numpy.ndarray
        Increasing quadrature nodes (read-only).
    weights : numpy.ndarray
        Trapezoidal weights for ``grid`` (read-only, shared between updates).
    log_density : numpy.ndarray
        Unnormalised log posterior density at the nodes, maximum 0 (read-only).
    """

    grid: FloatArray
    weights: FloatArray
    log_density: FloatArray
    #: Rows ``weights``, ``weights * grid``, ``weights * grid**2``: the first
    #: three moments of the density in one matrix product. Shared between
    #: updates; computed from the grid when not given.
    moment_matrix: FloatArray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.moment_matrix is None:
            # Frozen: fill in the derived field once, at construction.
            object.__setattr__(self, "moment_matrix", build_moment_matrix(self.grid, self.weights))

    @classmethod
    def normal(
        cls, mean: float = 0.0, sd: float = 1.0, grid: FloatArray | None = None
    ) -> Posterior:
        """A normal prior N(mean, sd^2) over ``grid`` (default `quadrature_grid()`).

        ``sd`` is clamped to ``[MIN_PRIOR_SD, MAX_PRIOR_SD]`` and ``mean`` to the
        grid's range (a non-finite mean becomes the grid's centre), so the prior
        is always a proper, finite density on the grid.
        """
        if grid is None:
            grid, weights = _DEFAULT_GRID, _DEFAULT_WEIGHTS
        else:
            grid = _read_only(np.array(grid, dtype=np.float64))
            weights = trapezoid_weights(grid)
        centre = (grid[0] + grid[-1]) / 2.0
        mean = float(mean) if math.isfinite(mean) else centre
        mean = min(max(mean, float(grid[0])), float(grid[-1]))
        sd = float(sd) if not math.isnan(sd) else 1.0
        sd = min(max(sd, MIN_PRIOR_SD), MAX_PRIOR_SD)
        log_density = -0.5 * ((grid - mean) / sd) ** 2
        matrix = _DEFAULT_MOMENTS if grid is _DEFAULT_GRID else None
        return cls(grid, weights, _read_only(log_density - log_density.max()), matrix)

    def update(self, a: float, b: float, c: float, correct: bool | float | None) -> Posterior:
        """Add one answered item's log-likelihood term (no recomputation).

        Parameters
        ----------
        a, b, c : float
            3PL parameters of the item.
        correct : bool, float or None
            True/1 for a correct answer, False/0 for a wrong one. None or NaN
            (a skipped item) leaves the posterior unchanged.

        Returns
        -------
        Posterior
            The updated posterior.
        """
        if correct is None:
            return self
        x = float(correct)
        if math.isnan(x):
            return self
        log_density = _log_likelihood_term(self.grid, float(a), float(b), float(c), x)
        log_density += self.log_density
        log_density -= log_density.max()
        return Posterior(self.grid, self.weights, _read_only(log_density), self.moment_matrix)

    def update_many(
        self, a: ArrayLike, b: ArrayLike, c: ArrayLike, responses: ArrayLike
    ) -> Posterior:
        """Add several items at once (batch form of `update`; NaN responses skipped)."""
        x = np.asarray(responses, dtype=np.float64).reshape(-1)
        answered = ~np.isnan(x)
        if not answered.any():
            return self
        a_arr = np.broadcast_to(np.asarray(a, dtype=np.float64), x.shape)[answered]
        b_arr = np.broadcast_to(np.asarray(b, dtype=np.float64), x.shape)[answered]
        c_arr = np.broadcast_to(np.asarray(c, dtype=np.float64), x.shape)[answered]
        x = np.clip(x[answered], 0.0, 1.0)
        log_correct, log_wrong = log_probabilities(self.grid[:, None], a_arr, b_arr, c_arr)
        terms = (x * log_correct + (1.0 - x) * log_wrong).sum(axis=1)
        log_density = self.log_density + terms
        log_density -= log_density.max()
        return Posterior(self.grid, self.weights, _read_only(log_density), self.moment_matrix)

    @cached_property
    def masses(self) -> FloatArray:
        """Normalised posterior mass at each node (trapezoidal weights included)."""
        unnormalised = np.exp(self.log_density)
        unnormalised *= self.weights
        unnormalised /= unnormalised.sum()
        return _read_only(unnormalised)

    @cached_property
    def _moments(self) -> tuple[float, float]:
        """Posterior mean and SD from one matrix product (trapezoidal rule)."""
        total, first, second = self.moment_matrix @ np.exp(self.log_density)  # type: ignore[operator, unused-ignore]
        mean = first / total
        # The variance by E[theta^2] - mean^2 loses at most ~1e-12 here (the
        # grid is bounded and the posterior SD is not tiny), and is clamped.
        variance = max(second / total - mean * mean, 0.0)
        return float(mean), math.sqrt(variance)

    @property
    def mean(self) -> float:
        """Expected a posteriori (EAP) ability (Bock & Mislevy, 1982)."""
        return self._moments[0]

    @property
    def sd(self) -> float:
        """Posterior standard deviation: the standard error of the EAP estimate."""
        return self._moments[1]

    @cached_property
    def map(self) -> float:
        """Posterior mode, refined between nodes by a parabola through the best three."""
        best = int(np.argmax(self.log_density))
        if best == 0 or best == self.grid.size - 1:
            return float(self.grid[best])
        left, middle, right = self.log_density[best - 1 : best + 2]
        curvature = left - 2.0 * middle + right
        if curvature >= 0.0:
            return float(self.grid[best])
        # Vertex of the parabola, in units of the (local) step; always within
        # half a step because the middle node is the largest of the three.
        offset = 0.5 * (left - right) / curvature
        step = (self.grid[best + 1] - self.grid[best - 1]) / 2.0
        return float(self.grid[best] + offset * step)

    @cached_property
    def _cumulative(self) -> FloatArray:
        """Posterior CDF at the nodes under the trapezoidal rule."""
        density = np.exp(self.log_density)
        steps = np.diff(self.grid)
        pieces = (density[:-1] + density[1:]) / 2.0 * steps
        cumulative = np.concatenate(([0.0], np.cumsum(pieces)))
        return _read_only(cumulative / cumulative[-1])

    def cdf(self, theta: float) -> float:
        """Posterior probability that ability is below ``theta`` (0 below the grid, 1 above)."""
        return float(np.interp(theta, self.grid, self._cumulative))

    def probability_at_or_above(self, cut: float) -> float:
        """Posterior probability that ability is at or above ``cut``."""
        if math.isnan(cut):
            return 0.5
        return min(max(1.0 - self.cdf(cut), 0.0), 1.0)

    def quantile(self, probability: float) -> float:
        """Ability below which the posterior puts ``probability`` (clipped to [0, 1])."""
        p = min(max(float(probability), 0.0), 1.0) if not math.isnan(probability) else 0.5
        cumulative = self._cumulative
        # The CDF is flat where the density underflows to zero; interpolate only
        # over its strictly increasing part so the inverse is well defined.
        rising = np.concatenate(([True], np.diff(cumulative) > 0.0))
        return float(np.interp(p, cumulative[rising], self.grid[rising]))

    def credible_interval(self, level: float = 0.9) -> tuple[float, float]:
        """Equal-tailed credible interval holding ``level`` of the posterior."""
        level = min(max(float(level), 0.0), 1.0) if not math.isnan(level) else 0.9
        tail = (1.0 - level) / 2.0
        return self.quantile(tail), self.quantile(1.0 - tail)


def normal_prior(mean: float = 0.0, sd: float = 1.0, grid: FloatArray | None = None) -> Posterior:
    """A normal prior over the quadrature grid; alias of `Posterior.normal`."""
    return Posterior.normal(mean, sd, grid)


@dataclass(frozen=True)
class CarryOver:
    """How a returning learner's previous result becomes the prior of a new quiz.

    Attributes
    ----------
    previous_mean, previous_se : float
        The previous estimate and its standard error.
    days : float
        Days since the previous quiz.
    growth : float
        Shift of the mean for the average growth over those days.
    drift_sd : float
        SD of the individual drift over those days (at least `MIN_DRIFT_SD`).
    prior_mean, prior_sd : float
        The resulting prior N(prior_mean, prior_sd^2).
    """

    previous_mean: float
    previous_se: float
    days: float
    growth: float
    drift_sd: float
    prior_mean: float
    prior_sd: float


def carry_over(
    mean: float,
    se: float,
    days_since: float,
    growth: GrowthModel | None = None,
    max_sd: float = 1.0,
) -> CarryOver:
    """The prior of a new quiz from the previous estimate and the time since it.

    Ability changes between quizzes as a random walk with drift (the dynamic
    IRT model of Wang, Berger & Burdick, 2013): over ``days`` the mean moves
    by the average growth ``g * min(days, GROWTH_HORIZON_DAYS)`` and the
    individual change adds variance ``q * days``. So

        prior_mean = mean + g * min(days, 90),
        prior_sd = min(sqrt(se^2 + max(q * days, MIN_DRIFT_SD^2)), max_sd),

    with ``g`` and ``q`` from `engine.irt.population.estimate_growth` (default:
    no growth and an SD of 0.5 after 30 days). ``max_sd`` is the population
    prior's SD: an old, vague estimate never makes the prior vaguer than
    knowing nothing about the learner. Non-finite inputs give N(0, max_sd^2)
    with nothing carried over.

    Parameters
    ----------
    mean, se : float
        Previous EAP estimate and posterior SD.
    days_since : float
        Days since that quiz (negative values count as 0).
    growth : GrowthModel, optional
        Average growth and drift per day (default `GrowthModel()`).
    max_sd : float
        Upper bound on the prior SD.

    Returns
    -------
    CarryOver
    """
    model = GrowthModel() if growth is None else growth
    cap = max_sd if math.isfinite(max_sd) and max_sd > 0.0 else 1.0
    days = max(float(days_since), 0.0) if math.isfinite(days_since) else 0.0
    if not (math.isfinite(mean) and math.isfinite(se)):
        return CarryOver(mean, se, days, 0.0, math.inf, 0.0, cap)
    rate = model.growth_per_day if math.isfinite(model.growth_per_day) else 0.0
    variance_rate = model.drift_variance_per_day
    if not (math.isfinite(variance_rate) and variance_rate >= 0.0):
        variance_rate = GrowthModel().drift_variance_per_day
    shift = rate * min(days, GROWTH_HORIZON_DAYS)
    drift_sd = math.sqrt(max(variance_rate * days, MIN_DRIFT_SD**2))
    sd = min(math.sqrt(se * se + drift_sd * drift_sd), cap)
    return CarryOver(mean, se, days, shift, drift_sd, mean + shift, max(sd, MIN_PRIOR_SD))


def carry_over_prior(
    mean: float,
    se: float,
    widen: float = DEFAULT_CARRY_OVER_WIDEN,
    max_sd: float = 1.0,
    *,
    days_since: float | None = None,
    growth: GrowthModel | None = None,
) -> tuple[float, float]:
    """Prior (mean, sd) for a returning learner, from their previous estimate.

    With ``days_since`` this is `carry_over`: the widening grows with the time
    since the last quiz and the mean moves by the average growth (``widen`` is
    then unused). Without it (the time unknown) the previous SE is widened by
    a fixed ``widen`` added in quadrature: ``sd = sqrt(se**2 + widen**2)``.
    With the default 0.5 a previous SE of 0.3 gives a prior SD of 0.58
    (precision 2.9 rather than the population's 1), so the earlier quiz counts
    for about as much as eight well-targeted ``a = 1`` items and the new
    quiz's answers soon outweigh it.
    The result is never wider than ``max_sd`` (the population prior's SD): an
    old, vague estimate should not make the prior vaguer than knowing nothing.
    Non-finite inputs fall back to the population prior N(0, 1).

    Parameters
    ----------
    mean : float
        Previous ability estimate (EAP).
    se : float
        Its standard error (posterior SD).
    widen : float
        Drift allowance added in quadrature when ``days_since`` is not given, >= 0.
    max_sd : float
        Upper bound on the returned SD (default 1, the population prior).
    days_since : float, optional
        Days since the previous quiz.
    growth : GrowthModel, optional
        Average growth and drift per day, for ``days_since``.

    Returns
    -------
    tuple of float
        ``(prior_mean, prior_sd)`` to pass to `Posterior.normal`.
    """
    if not (math.isfinite(mean) and math.isfinite(se)):
        return 0.0, 1.0
    if days_since is not None:
        result = carry_over(mean, se, days_since, growth, max_sd)
        return result.prior_mean, result.prior_sd
    widen = abs(widen) if math.isfinite(widen) else DEFAULT_CARRY_OVER_WIDEN
    sd = math.sqrt(se * se + widen * widen)
    if math.isfinite(max_sd) and max_sd > 0.0:
        sd = min(sd, max_sd)
    return float(mean), max(sd, MIN_PRIOR_SD)


def answer_share(prior_sd: float, posterior_sd: float) -> float:
    """Share of a result that comes from the quiz's own answers, in [0, 1].

    Precision adds up: posterior precision = prior precision + the answers'
    information, so the answers' share of the posterior precision is
    ``(1/posterior_sd^2 - 1/prior_sd^2) / (1/posterior_sd^2)
    = 1 - posterior_sd^2 / prior_sd^2``. 0 means the result is all prior,
    0.5 that the answers weigh as much as the prior.
    """
    if not (math.isfinite(prior_sd) and math.isfinite(posterior_sd)) or prior_sd <= 0.0:
        return 0.0
    return min(max(1.0 - (posterior_sd / prior_sd) ** 2, 0.0), 1.0)

"""The population behind the prior: an empirical-Bayes prior and growth between quizzes.

Every ability posterior starts from a prior. N(0, 1) says the learners who
use skillprobe average exactly at the job-ready bar with an SD of one logit,
which builds a 50% base rate of readiness into every report. Once enough
learners have been measured, `empirical_bayes_prior` estimates the population
from their stored estimates instead (Morris, 1983): each estimate is first
turned back into what its answers alone said (`answers_only`, removing the
prior it was computed under), then the normal hierarchical model

    y_j ~ N(mu, sigma^2 + v_j)

(``y_j`` and ``v_j`` the answers-only estimate and its variance) is fitted by
maximum likelihood, and the result is shrunk towards N(0, 1) with the weight
of `PRIOR_LEARNERS` pseudo-learners, so a few dozen learners move the prior
only part of the way.

Returning learners: `estimate_growth` fits the average growth per day and the
variance of individual drift per day from learners measured twice (the
random-walk-with-drift form of the dynamic IRT model of Wang, Berger &
Burdick, 2013): the change between two answers-only estimates ``d_j`` over
``days_j`` is ``N(g days_j, v_1j + v_2j + q days_j)``.

References
----------
Morris, C. N. (1983). Parametric empirical Bayes inference: Theory and
applications. *Journal of the American Statistical Association, 78*(381), 47-55.

Wang, X., Berger, J. O., & Burdick, D. S. (2013). Bayesian analysis of dynamic
item response models in educational testing. *The Annals of Applied
Statistics, 7*(1), 126-153.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from engine.irt.model import ArrayLike, FloatArray

#: Fewer stored learners than this and the prior stays N(0, 1): below about 30
#: the SD of a sample's spread is itself uncertain by more than 13% (its
#: standard error is about SD / sqrt(2 n)), too loose to set everyone's prior.
MIN_LEARNERS = 30
#: The estimate is shrunk towards N(0, 1) as if that prior were worth this many
#: learners: with 30 learners the data get half the weight, with 300 about 91%.
PRIOR_LEARNERS = 30
#: Population SDs are kept within this range (a prior narrower than 0.3 would
#: let the population overrule most quizzes; wider than 2 is no prior at all).
POPULATION_SD_RANGE = (0.3, 2.0)
#: An answers-only variance above this carries no usable information.
_MAX_VARIANCE = 1.0e4

#: Returning learners needed before growth and drift are estimated.
MIN_RETURNING_LEARNERS = 30
#: Drift variance per day when it cannot be estimated: an SD of 0.5 logits
#: after 30 days (the fixed widening skillprobe used before it knew the time).
DEFAULT_DRIFT_VARIANCE_PER_DAY = 0.25 / 30.0
#: Growth is extrapolated over at most this many days; the drift keeps widening.
GROWTH_HORIZON_DAYS = 90.0


@dataclass(frozen=True)
class PopulationPrior:
    """The prior for new quizzes in one area.

    Attributes
    ----------
    mean, sd : float
        The prior N(mean, sd^2).
    learners : int
        How many stored learners it rests on (0: the default N(0, 1)).
    weight : float
        Share of the fitted population in the prior (the rest is N(0, 1)).
    fitted_mean, fitted_sd : float
        The population fitted from the learners, before shrinking (NaN when not fitted).
    """

    mean: float = 0.0
    sd: float = 1.0
    learners: int = 0
    weight: float = 0.0
    fitted_mean: float = math.nan
    fitted_sd: float = math.nan


@dataclass(frozen=True)
class GrowthModel:
    """Average growth and individual drift per day between quizzes.

    Attributes
    ----------
    growth_per_day : float
        Mean change of ability per day (logits).
    drift_variance_per_day : float
        Variance of individual change per day, on top of the mean growth.
    pairs : int
        How many returning learners it was estimated from (0: the defaults).
    """

    growth_per_day: float = 0.0
    drift_variance_per_day: float = DEFAULT_DRIFT_VARIANCE_PER_DAY
    pairs: int = 0


def answers_only(
    mean: ArrayLike, sd: ArrayLike, prior_mean: ArrayLike = 0.0, prior_sd: ArrayLike = 1.0
) -> tuple[FloatArray, FloatArray]:
    """What the answers alone said: remove a normal prior from a posterior.

    With normal approximations, posterior precision = prior precision +
    answers' precision, and the posterior mean is the precision-weighted
    average, so the answers-only estimate and variance are

        v = 1 / (1 / sd^2 - 1 / prior_sd^2),  y = v (mean / sd^2 - prior_mean / prior_sd^2).

    Parameters
    ----------
    mean, sd : array_like
        Posterior means (EAP) and SDs.
    prior_mean, prior_sd : array_like
        The priors they were computed under (broadcast).

    Returns
    -------
    tuple of numpy.ndarray
        ``(y, v)``; ``v`` is inf (and ``y`` the posterior mean) where the
        posterior is no narrower than the prior (no usable information) or an
        input is not finite.
    """
    m, s, pm, ps = np.broadcast_arrays(
        *(np.asarray(value, dtype=np.float64) for value in (mean, sd, prior_mean, prior_sd))
    )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        precision = 1.0 / s**2 - 1.0 / ps**2
        variance = 1.0 / precision
        estimate = variance * (m / s**2 - pm / ps**2)
    usable = (
        np.isfinite(m)
        & np.isfinite(s)
        & np.isfinite(pm)
        & np.isfinite(ps)
        & (s > 0)
        & np.isfinite(variance)
        & (variance > 0)
        & (variance < _MAX_VARIANCE)
        & np.isfinite(estimate)
    )
    y = np.where(usable, estimate, m)
    v = np.where(usable, variance, np.inf)
    return y.astype(np.float64), v.astype(np.float64)


def _maximise(function: Callable[[float], float], candidates: FloatArray) -> float:
    """Maximiser of a unimodal ``function``: best of ``candidates``, refined by golden section."""
    values = [function(float(candidate)) for candidate in candidates]
    best = int(np.argmax(values))
    left = float(candidates[max(best - 1, 0)])
    right = float(candidates[min(best + 1, candidates.size - 1)])
    ratio = (math.sqrt(5.0) - 1.0) / 2.0
    for _ in range(40):
        inner_left = right - ratio * (right - left)
        inner_right = left + ratio * (right - left)
        if function(inner_left) >= function(inner_right):
            right = inner_right
        else:
            left = inner_left
    return (left + right) / 2.0


def _fit_normal_hierarchy(y: FloatArray, v: FloatArray) -> tuple[float, float]:
    """Maximum-likelihood (mu, sigma^2) of y_j ~ N(mu, sigma^2 + v_j).

    The profile log-likelihood of sigma^2 (mu at its weighted mean) is
    maximised over a log-spaced grid, then refined by golden-section search.
    """

    def profile(tau2: float) -> tuple[float, float]:
        weights = 1.0 / (tau2 + v)
        mu = float(np.sum(weights * y) / np.sum(weights))
        log_lik = -0.5 * float(np.sum(np.log(tau2 + v) + weights * (y - mu) ** 2))
        return log_lik, mu

    low, high = (bound**2 for bound in POPULATION_SD_RANGE)
    tau2 = _maximise(lambda t: profile(t)[0], np.geomspace(low, high, 60))
    return profile(tau2)[1], tau2


def empirical_bayes_prior(
    estimates: ArrayLike,
    ses: ArrayLike,
    *,
    prior_means: ArrayLike = 0.0,
    prior_sds: ArrayLike = 1.0,
    min_learners: int = MIN_LEARNERS,
    prior_learners: float = PRIOR_LEARNERS,
) -> PopulationPrior:
    """An empirical-Bayes population prior from stored learners' latest estimates.

    Parameters
    ----------
    estimates, ses : array_like
        Each learner's latest EAP estimate and posterior SD in the area.
    prior_means, prior_sds : array_like
        The priors those estimates were computed under (default N(0, 1)).
    min_learners : int
        Below this many informative estimates the default N(0, 1) is returned.
    prior_learners : float
        Weight of N(0, 1), in learners, in the shrinkage.

    Returns
    -------
    PopulationPrior
        ``mean = w mu``, ``sd^2 = w sigma^2 + (1 - w)`` with
        ``w = n / (n + prior_learners)``: a mixture-moment compromise between
        the fitted population and N(0, 1).
    """
    y, v = answers_only(estimates, ses, prior_means, prior_sds)
    usable = np.isfinite(v)
    n = int(usable.sum())
    if n < max(min_learners, 2):
        return PopulationPrior(learners=n)
    mu, tau2 = _fit_normal_hierarchy(y[usable], v[usable])
    weight = n / (n + max(prior_learners, 0.0))
    mean = weight * mu
    variance = weight * tau2 + (1.0 - weight) * 1.0
    low, high = POPULATION_SD_RANGE
    sd = min(max(math.sqrt(variance), low), high)
    return PopulationPrior(mean, sd, n, weight, mu, math.sqrt(tau2))


def estimate_growth(
    first: tuple[ArrayLike, ArrayLike],
    second: tuple[ArrayLike, ArrayLike],
    days: ArrayLike,
    *,
    min_pairs: int = MIN_RETURNING_LEARNERS,
) -> GrowthModel:
    """Average growth and drift per day from learners measured twice.

    Parameters
    ----------
    first, second : tuple of array_like
        ``(y, v)`` answers-only estimates and variances (from `answers_only`)
        of the earlier and the later quiz of each returning learner.
    days : array_like
        Days between the two quizzes (> 0).
    min_pairs : int
        Below this many usable pairs the defaults are returned.

    Returns
    -------
    GrowthModel
        Maximum likelihood under ``d_j ~ N(g days_j, v_1j + v_2j + q days_j)``,
        ``q >= 0``; the profile likelihood of ``q`` is maximised on a grid
        and refined by golden-section search.
    """
    y1, v1 = (np.asarray(value, dtype=np.float64) for value in first)
    y2, v2 = (np.asarray(value, dtype=np.float64) for value in second)
    elapsed = np.asarray(days, dtype=np.float64)
    usable = np.isfinite(y1) & np.isfinite(y2) & np.isfinite(v1) & np.isfinite(v2) & (elapsed > 0)
    usable &= np.isfinite(elapsed)
    n = int(usable.sum())
    if n < max(min_pairs, 2):
        return GrowthModel(pairs=n)
    change = (y2 - y1)[usable]
    noise = (v1 + v2)[usable]
    span = elapsed[usable]

    def profile(q: float) -> tuple[float, float]:
        weights = 1.0 / (noise + q * span)
        growth = float(np.sum(weights * change * span) / np.sum(weights * span**2))
        residual = change - growth * span
        log_lik = -0.5 * float(np.sum(np.log(noise + q * span) + weights * residual**2))
        return log_lik, growth

    q = _maximise(
        lambda value: profile(value)[0], np.concatenate(([0.0], np.geomspace(1e-6, 1.0, 60)))
    )
    return GrowthModel(profile(q)[1], q, n)


@dataclass(frozen=True)
class MeasuredResult:
    """One stored area result of a learner: the estimate, the prior it started from, when.

    Attributes
    ----------
    mean, sd : float
        EAP estimate and posterior SD.
    prior_mean, prior_sd : float
        The prior that quiz started from (population or carried over).
    day : float
        When it was taken, in days on any fixed origin (e.g. the Unix epoch).
    """

    mean: float
    sd: float
    prior_mean: float
    prior_sd: float
    day: float


def population_from_latest(
    latest: Sequence[MeasuredResult], *, min_learners: int = MIN_LEARNERS
) -> PopulationPrior:
    """`empirical_bayes_prior` over each learner's latest result in one area."""
    return empirical_bayes_prior(
        [r.mean for r in latest],
        [r.sd for r in latest],
        prior_means=[r.prior_mean for r in latest],
        prior_sds=[r.prior_sd for r in latest],
        min_learners=min_learners,
    )


def growth_from_histories(
    histories: Sequence[Sequence[MeasuredResult]], *, min_pairs: int = MIN_RETURNING_LEARNERS
) -> GrowthModel:
    """`estimate_growth` from every pair of consecutive results of each learner in one area.

    Each history is one learner's results in the area, in any order; each
    result is first reduced to what its own answers said (`answers_only`), so
    a carried-over prior is not mistaken for evidence of no change.
    """
    first: tuple[list[float], list[float]] = ([], [])
    second: tuple[list[float], list[float]] = ([], [])
    days: list[float] = []
    for history in histories:
        ordered = sorted(history, key=lambda r: r.day)
        for earlier, later in itertools.pairwise(ordered):
            for (ys, vs), result in ((first, earlier), (second, later)):
                y, v = answers_only(result.mean, result.sd, result.prior_mean, result.prior_sd)
                ys.append(float(y))
                vs.append(float(v))
            days.append(later.day - earlier.day)
    return estimate_growth(first, second, days, min_pairs=min_pairs)

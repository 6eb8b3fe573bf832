"""Weak topics as a model: a topic effect within each area, pooled over quizzes.

Within an area a learner answers an item of topic ``t`` as if their ability
were ``theta + u_t``: ``theta`` is the area ability of that quiz and ``u_t``
the topic's effect, the same in every quiz, with a normal prior
``u_t ~ N(0, effect_sd^2)``. This is the testlet model of Bradlow, Wainer &
Wang (1999) with the topic as the testlet, used here for one learner across
all their quizzes (and, later, practice).

For each topic the function below integrates each quiz's ``theta`` out
against its posterior from the *other* topics' answers of that quiz (so no
answer counts twice) and multiplies the quizzes' marginal likelihoods of
``u_t``. That gives, per topic:

* the posterior of ``u_t``, reported as ``P(u_t < threshold)`` (default
  half a logit below the area);
* an exact predictive p-value for "this topic is no different from the area"
  (``u_t = 0``) against "worse": the probability of so few correct answers
  when ``u_t = 0``, from the Poisson-binomial distribution of the number
  correct, mixed over each quiz's ``theta`` and convolved over quizzes.

A topic is called weak only when the Benjamini-Hochberg (1995) procedure at
false discovery rate ``q`` (default 0.1) rejects ``u_t = 0`` among all the
topics tested. With no weak topic at all that happens in at most a share
``q`` of reports (the FDR of a global null is the chance of any rejection),
whatever the number of topics; a real weakness needs several answers in the
topic, pooled over quizzes, before it is called.

References
----------
Bradlow, E. T., Wainer, H., & Wang, X. (1999). A Bayesian random effects model
for testlets. *Psychometrika, 64*(2), 153-168.

Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: A
practical and powerful approach to multiple testing. *Journal of the Royal
Statistical Society, Series B, 57*(1), 289-300.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine.irt.item_bank import BoolArray, IntArray
from engine.irt.model import FloatArray, log_probabilities
from engine.irt.posterior import Posterior, quadrature_grid, trapezoid_weights
from engine.irt.state import AdaptiveTestState

#: Prior SD of a topic effect (logits). Testlet SDs reported by Bradlow et al.
#: (1999) and later applications run from about 0.3 to 1; 0.5 says a topic
#: typically sits within half a logit of the area.
DEFAULT_EFFECT_SD = 0.5
#: A topic is "weak" in the reported probability when its effect is below this.
DEFAULT_WEAK_THRESHOLD = -0.5
#: False discovery rate of the topics called weak (Benjamini-Hochberg).
DEFAULT_FALSE_DISCOVERY_RATE = 0.1
#: Topic effects are integrated over [-EFFECT_RANGE, EFFECT_RANGE] logits.
EFFECT_RANGE = 3.0

_THETA_GRID = quadrature_grid()


@dataclass(frozen=True, eq=False)
class TopicSession:
    """One quiz's (or one practice block's) answers in one area.

    Attributes
    ----------
    a, b, c : numpy.ndarray
        3PL parameters of the answered items (as they were when answered).
    topic : numpy.ndarray
        Topic code of each item (codes shared by all sessions of one analysis).
    correct : numpy.ndarray
        1.0 correct, 0.0 wrong, NaN not counted (e.g. a repeat whose key was shown).
    prior_mean, prior_sd : float
        Population prior of the area ability for this session. Use the
        population prior, not a prior carried over from an earlier quiz, or
        that quiz's answers would count twice.
    """

    a: FloatArray
    b: FloatArray
    c: FloatArray
    topic: IntArray
    correct: FloatArray
    prior_mean: float = 0.0
    prior_sd: float = 1.0

    def __post_init__(self) -> None:
        sizes = {np.asarray(values).shape for values in (self.a, self.b, self.c, self.topic)}
        sizes.add(np.asarray(self.correct).shape)
        if len(sizes) != 1 or len(next(iter(sizes))) != 1:
            raise ValueError("a, b, c, topic and correct must be 1-D arrays of one length")


@dataclass(frozen=True, eq=False)
class TopicEffects:
    """The topic model's read-out, one entry per topic code.

    Attributes
    ----------
    answered, correct : numpy.ndarray
        Counted answers and correct answers per topic, over all sessions.
    expected : numpy.ndarray
        Expected correct answers if the topic were no different from its
        area (``u = 0``), given the other topics' answers.
    effect_mean, effect_sd : numpy.ndarray
        Posterior mean and SD of the topic effect ``u`` (the prior's for
        topics without answers).
    probability_below : numpy.ndarray
        Posterior ``P(u < threshold)``.
    p_value : numpy.ndarray
        Predictive p-value of ``u = 0`` against ``u < 0`` (NaN when untested).
    weak : numpy.ndarray
        Called weak: rejected by Benjamini-Hochberg at ``false_discovery_rate``.
    threshold, false_discovery_rate : float
        The settings the figures were computed with.
    """

    answered: IntArray
    correct: IntArray
    expected: FloatArray
    effect_mean: FloatArray
    effect_sd: FloatArray
    probability_below: FloatArray
    p_value: FloatArray
    weak: BoolArray
    threshold: float
    false_discovery_rate: float

    def ranked_weak(self) -> list[int]:
        """Codes of the weak topics, most probably weak first."""
        codes = np.flatnonzero(self.weak)
        order = sorted(codes, key=lambda t: (-self.probability_below[t], self.p_value[t], t))
        return [int(code) for code in order]


def benjamini_hochberg(p_values: FloatArray, level: float) -> BoolArray:
    """Which hypotheses the Benjamini-Hochberg step-up procedure rejects.

    Sort the ``m`` p-values, find the largest ``k`` with ``p_(k) <= k level / m``
    and reject the ``k`` smallest. NaN p-values are untested: they are neither
    rejected nor counted in ``m``.

    Parameters
    ----------
    p_values : numpy.ndarray
        One p-value per hypothesis (NaN for untested).
    level : float
        False discovery rate to control, in (0, 1).

    Returns
    -------
    numpy.ndarray
        Boolean mask of rejections, same shape as ``p_values``.
    """
    p = np.asarray(p_values, dtype=np.float64)
    rejected = np.zeros(p.shape, dtype=bool)
    tested = np.flatnonzero(~np.isnan(p))
    m = tested.size
    if m == 0 or not level > 0.0:
        return rejected
    order = tested[np.argsort(p[tested], kind="stable")]
    bounds = level * np.arange(1, m + 1) / m
    passing = np.flatnonzero(p[order] <= bounds)
    if passing.size:
        rejected[order[: passing[-1] + 1]] = True
    return rejected


def poisson_binomial(probabilities: FloatArray) -> FloatArray:
    """Distribution of the number of successes of independent Bernoulli trials.

    Parameters
    ----------
    probabilities : numpy.ndarray
        Shape ``(..., n)``: success probability of each of ``n`` trials, for
        every leading index (e.g. one row per ability node).

    Returns
    -------
    numpy.ndarray
        Shape ``(..., n + 1)``: ``P(successes = k)`` for ``k = 0..n``.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    n = p.shape[-1]
    pmf = np.zeros((*p.shape[:-1], n + 1))
    pmf[..., 0] = 1.0
    for trial in range(n):
        success = p[..., trial : trial + 1]
        pmf[..., 1 : trial + 2] = (
            pmf[..., 1 : trial + 2] * (1.0 - success) + pmf[..., : trial + 1] * success
        )
        pmf[..., 0] *= 1.0 - success[..., 0]
    return pmf


def _normalise_log(values: FloatArray, weights: FloatArray, axis: int) -> FloatArray:
    """Masses proportional to ``weights * exp(values)`` along ``axis`` (summing to 1)."""
    shifted = np.exp(values - values.max(axis=axis, keepdims=True))
    shape = [1] * values.ndim
    shape[axis] = weights.size
    shifted *= weights.reshape(shape)
    normalised: FloatArray = shifted / shifted.sum(axis=axis, keepdims=True)
    return normalised


@dataclass
class _Accumulator:
    """Per-topic sums over sessions."""

    answered: IntArray
    correct: IntArray
    expected: FloatArray
    log_likelihood: FloatArray  # (effects, topics)
    count_pmfs: list[FloatArray]


def _add_session(
    session: TopicSession,
    theta_grid: FloatArray,
    effect_grid: FloatArray,
    totals: _Accumulator,
) -> None:
    x = np.asarray(session.correct, dtype=np.float64)
    counted = ~np.isnan(x)
    if not counted.any():
        return
    a = np.asarray(session.a, dtype=np.float64)[counted]
    b = np.asarray(session.b, dtype=np.float64)[counted]
    c = np.asarray(session.c, dtype=np.float64)[counted]
    topic = np.asarray(session.topic, dtype=np.intp)[counted]
    x = np.clip(x[counted], 0.0, 1.0)
    present, column = np.unique(topic, return_inverse=True)
    membership = np.zeros((topic.size, present.size))
    membership[np.arange(topic.size), column] = 1.0

    # theta + u lies on one lattice when both grids share a step, so every
    # item is evaluated once per lattice node instead of once per (theta, u).
    step = float(theta_grid[1] - theta_grid[0])
    n_theta, n_effect = theta_grid.size, effect_grid.size
    lattice = theta_grid[0] + effect_grid[0] + step * np.arange(n_theta + n_effect - 1)
    log_p, log_q = log_probabilities(lattice[:, None], a, b, c)
    item_terms = x * log_p + (1.0 - x) * log_q  # (lattice, items)
    topic_terms = item_terms @ membership  # (lattice, topics present)

    zero = round(float(-effect_grid[0]) / step)  # index of u = 0
    at_zero = topic_terms[zero : zero + n_theta]  # (theta, topics): u = 0
    prior_sd = session.prior_sd if math.isfinite(session.prior_sd) else 1.0
    prior_sd = max(prior_sd, 1e-2)
    prior_mean = session.prior_mean if math.isfinite(session.prior_mean) else 0.0
    log_prior = -0.5 * ((theta_grid - prior_mean) / prior_sd) ** 2
    full = log_prior + at_zero.sum(axis=1)
    # Posterior of theta from every other topic of this session, one column per topic.
    leave_out = _normalise_log(full[:, None] - at_zero, trapezoid_weights(theta_grid), axis=0)

    # log L(u) = log sum_theta w(theta) exp(sum_{i in t} log P_i(theta + u)).
    shifted = np.arange(n_theta)[:, None] + np.arange(n_effect)[None, :]
    terms = topic_terms[shifted]  # (theta, effects, topics)
    peak = terms.max(axis=0)
    mixed = np.einsum("gt,get->et", leave_out, np.exp(terms - peak))
    log_likelihood = np.log(np.maximum(mixed, 1e-300)) + peak

    probabilities = np.exp(log_p[zero : zero + n_theta])  # P_i(theta) at u = 0
    for j, code in enumerate(present):
        items = column == j
        totals.answered[code] += int(items.sum())
        totals.correct[code] += round(float(x[items].sum()))
        weights = leave_out[:, j]
        totals.expected[code] += float(weights @ probabilities[:, items].sum(axis=1))
        totals.log_likelihood[:, code] += log_likelihood[:, j]
        pmf = weights @ poisson_binomial(probabilities[:, items])
        totals.count_pmfs[code] = np.convolve(totals.count_pmfs[code], pmf)


def topic_effects(
    sessions: Sequence[TopicSession],
    n_topics: int,
    *,
    effect_sd: float = DEFAULT_EFFECT_SD,
    threshold: float = DEFAULT_WEAK_THRESHOLD,
    false_discovery_rate: float = DEFAULT_FALSE_DISCOVERY_RATE,
    theta_grid: FloatArray | None = None,
    mid_p: bool = True,
) -> TopicEffects:
    """Topic effects pooled over sessions, and which topics are called weak.

    Parameters
    ----------
    sessions : sequence of TopicSession
        Every quiz (and practice block) of one learner, one session per
        quiz and area; topic codes index ``0..n_topics - 1`` across all of them.
    n_topics : int
        Number of topic codes.
    effect_sd : float
        Prior SD of a topic effect.
    threshold : float
        Effect below which a topic counts as weak in ``probability_below``.
    false_discovery_rate : float
        Benjamini-Hochberg level over the tested topics.
    theta_grid : numpy.ndarray, optional
        Evenly spaced ability grid (default: the posterior's 121 nodes on [-6, 6]).

    Returns
    -------
    TopicEffects
    """
    grid = _THETA_GRID if theta_grid is None else np.asarray(theta_grid, dtype=np.float64)
    step = float(grid[1] - grid[0])
    if not np.allclose(np.diff(grid), step):
        raise ValueError("the topic model needs an evenly spaced ability grid")
    half = math.ceil(EFFECT_RANGE / step)
    effect_grid: FloatArray = step * np.arange(-half, half + 1, dtype=np.float64)
    totals = _Accumulator(
        answered=np.zeros(n_topics, dtype=np.intp),
        correct=np.zeros(n_topics, dtype=np.intp),
        expected=np.zeros(n_topics),
        log_likelihood=np.zeros((effect_grid.size, n_topics)),
        count_pmfs=[np.ones(1) for _ in range(n_topics)],
    )
    for session in sessions:
        _add_session(session, grid, effect_grid, totals)

    sd = effect_sd if math.isfinite(effect_sd) and effect_sd > 0 else DEFAULT_EFFECT_SD
    log_prior = -0.5 * (effect_grid / sd) ** 2
    effect_weights = trapezoid_weights(effect_grid)
    means, sds, below, p_values = (np.full(n_topics, np.nan) for _ in range(4))
    for code in range(n_topics):
        log_density = log_prior + totals.log_likelihood[:, code]
        log_density = log_density - log_density.max()
        log_density.setflags(write=False)
        posterior = Posterior(effect_grid, effect_weights, log_density)
        means[code], sds[code] = posterior.mean, posterior.sd
        below[code] = posterior.cdf(threshold)
        if totals.answered[code] > 0:
            pmf = totals.count_pmfs[code]
            observed = totals.correct[code]
            tail = float(pmf[:observed].sum()) + (0.5 if mid_p else 1.0) * float(pmf[observed])
            p_values[code] = min(tail, 1.0)
    return TopicEffects(
        answered=totals.answered,
        correct=totals.correct,
        expected=totals.expected,
        effect_mean=means,
        effect_sd=sds,
        probability_below=below,
        p_value=p_values,
        weak=benjamini_hochberg(p_values, false_discovery_rate),
        threshold=threshold,
        false_discovery_rate=false_discovery_rate,
    )


def sessions_from_state(
    state: AdaptiveTestState, priors: Mapping[int, tuple[float, float]] | None = None
) -> list[TopicSession]:
    """One `TopicSession` per area with answers in a quiz state (skips count as wrong).

    ``priors`` maps area codes to the population prior (default N(0, 1)).
    Topic codes are the bank's.
    """
    bank = state.bank
    items = np.asarray(state.administered, dtype=np.intp)
    answers = np.nan_to_num(np.asarray(state.responses, dtype=np.float64), nan=0.0)
    sessions = []
    for area in range(bank.n_areas):
        chosen = bank.area[items] == area if items.size else np.zeros(0, dtype=bool)
        if not chosen.any():
            continue
        picked = items[chosen]
        mean, sd = (priors or {}).get(area, (0.0, 1.0))
        sessions.append(
            TopicSession(
                a=bank.a[picked],
                b=bank.b[picked],
                c=bank.c[picked],
                topic=bank.topic[picked],
                correct=answers[chosen],
                prior_mean=mean,
                prior_sd=sd,
            )
        )
    return sessions

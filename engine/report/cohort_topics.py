"""The topic-effect model of `engine.irt.topics`, pooled over a whole cohort in array form.

For a cohort, "weak topic" means a topic effect ``u_t`` common to the cohort:
within an area every learner answers an item of topic ``t`` as if their
ability in that quiz were ``theta + u_t``. Each session (one quiz's answers in
one area) contributes, exactly as in `engine.irt.topics.topic_effects`, the
marginal likelihood of ``u_t`` with that quiz's ``theta`` integrated out
against its posterior from the session's *other* topics, and the exact
predictive distribution of the number correct under ``u_t = 0``
(Poisson-binomial, mixed over ``theta``); sessions multiply (likelihoods) and
convolve (counts). The p-values then go through Benjamini-Hochberg.

`topic_effects` walks the sessions one at a time, about a millisecond each; a
cohort of 500 learners with five quizzes in four areas has 10,000 sessions.
`pooled_topic_effects` computes the same quantities for many sessions per
array operation and returns the same `TopicEffects`
(`tests/cohort/test_cohort_topics.py` checks that the two agree).

What the pooling assumes: learners share the topic effect. Where learners
differ in a topic beyond their area level, the cohort's figure is their
average, and its p-value, which treats the answers as independent given each
quiz's ability, is somewhat too small; docs/operations.md says so.

References
----------
Bradlow, E. T., Wainer, H., & Wang, X. (1999). A Bayesian random effects model
for testlets. *Psychometrika, 64*(2), 153-168.

Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate.
*Journal of the Royal Statistical Society, Series B, 57*(1), 289-300.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from engine.irt.item_bank import IntArray
from engine.irt.model import FloatArray, log_probabilities
from engine.irt.posterior import Posterior, quadrature_grid, trapezoid_weights
from engine.irt.topics import (
    DEFAULT_EFFECT_SD,
    DEFAULT_FALSE_DISCOVERY_RATE,
    DEFAULT_WEAK_THRESHOLD,
    EFFECT_RANGE,
    TopicEffects,
    benjamini_hochberg,
    poisson_binomial,
)
from engine.report.group_posteriors import distinct_parameters

#: Groups (one session's answers in one topic) per array block; bounds the memory of a
#: block to a few tens of megabytes.
BLOCK_GROUPS = 1000
#: The cohort report's ability grid: steps of 0.2 from -6 to 6. The p-values agree with
#: the individual report's 0.1 grid to about 1e-9 and it is four times less work; the
#: effects' posteriors are refined where the grid is too coarse for them
#: (`summarise_effect`).
COHORT_GRID = quadrature_grid(-6.0, 6.0, 61)
#: A posterior narrower than this many grid steps (its SD) is read by the Laplace approximation.
SHARP_STEPS = 1.5


@dataclass(frozen=True, eq=False)
class TopicAnswers:
    """Every counted answer of a cohort, flat.

    Attributes
    ----------
    a, b, c : numpy.ndarray
        3PL parameters of the item as answered.
    correct : numpy.ndarray
        1.0 or 0.0 (NaN: not counted).
    topic : numpy.ndarray
        Topic code, ``0 .. n_topics - 1``.
    session : numpy.ndarray
        Session code: one quiz's answers in one area, ``0 .. n_sessions - 1``.
    prior_mean, prior_sd : numpy.ndarray
        The population prior of each session's area ability (one entry per session).
    """

    a: FloatArray
    b: FloatArray
    c: FloatArray
    correct: FloatArray
    topic: IntArray
    session: IntArray
    prior_mean: FloatArray
    prior_sd: FloatArray


@dataclass
class _Totals:
    answered: IntArray
    correct: IntArray
    expected: FloatArray
    log_likelihood: FloatArray  # (effects, topics)
    counts: list[_CountBatch]  # count distributions of the groups


def _runs(sorted_keys: IntArray) -> IntArray:
    """Start index of each run of equal values in a sorted array."""
    if sorted_keys.size == 0:
        return np.zeros(0, dtype=np.intp)
    return np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))


def _normalise_rows(log_values: FloatArray, weights: FloatArray) -> FloatArray:
    shifted = np.exp(log_values - log_values.max(axis=1, keepdims=True)) * weights[None, :]
    normalised: FloatArray = shifted / shifted.sum(axis=1, keepdims=True)
    return normalised


def _session_priors(answers: TopicAnswers, sessions: IntArray, grid: FloatArray) -> FloatArray:
    """Log prior of each session's ability on the grid, shape ``(sessions, nodes)``."""
    mean = np.asarray(answers.prior_mean, dtype=np.float64)[sessions]
    sd = np.asarray(answers.prior_sd, dtype=np.float64)[sessions]
    sd = np.maximum(np.where(np.isfinite(sd), sd, 1.0), 1e-2)
    mean = np.where(np.isfinite(mean), mean, 0.0)
    prior: FloatArray = -0.5 * ((grid[None, :] - mean[:, None]) / sd[:, None]) ** 2
    return prior


@dataclass(frozen=True, eq=False)
class _ItemTerms:
    """Each distinct item's log-likelihood on the lattice of ``theta + u``, and which row each
    answer uses: a cohort answers a few hundred items thousands of times.

    ``log_terms`` stacks the rows for a wrong answer over those for a right one, so an
    answer's row is ``row + correct * distinct``; ``at_zero`` is ``P(theta)`` at ``u = 0``.
    """

    log_terms: FloatArray  # (2 * distinct, lattice)
    at_zero: FloatArray  # (distinct, theta)
    row: IntArray  # per answer
    distinct: int

    @classmethod
    def build(
        cls, answers: TopicAnswers, lattice: FloatArray, zero: int, n_theta: int
    ) -> _ItemTerms:
        distinct, row = distinct_parameters(answers.a, answers.b, answers.c)
        log_correct, log_wrong = log_probabilities(
            lattice[None, :], distinct[:, 0:1], distinct[:, 1:2], distinct[:, 2:3]
        )
        at_zero = np.exp(log_correct[:, zero : zero + n_theta])
        return cls(np.concatenate((log_wrong, log_correct)), at_zero, row, distinct.shape[0])

    def terms(self, rows: IntArray, x: FloatArray) -> FloatArray:
        """Each answer's log-likelihood on the lattice (x is 1, 0 or in between)."""
        which = self.row[rows]
        if np.all((x == 0.0) | (x == 1.0)):
            gathered: FloatArray = self.log_terms[which + x.astype(np.intp) * self.distinct]
            return gathered
        wrong, right = self.log_terms[which], self.log_terms[which + self.distinct]
        mixed: FloatArray = x[:, None] * right + (1.0 - x)[:, None] * wrong
        return mixed


@dataclass
class _CountBatch:
    """Count distributions of groups of one size: their topics and a row each."""

    topics: IntArray
    pmfs: FloatArray  # (groups, size + 1)


def _add_block(
    answers: TopicAnswers,
    items: _ItemTerms,
    rows: IntArray,
    group_starts: IntArray,
    grid: FloatArray,
    n_effects: int,
    totals: _Totals,
) -> None:
    """Add the groups of whole sessions: ``rows`` are their answers, sorted by session and topic."""
    x = np.clip(answers.correct[rows], 0.0, 1.0)
    n_theta = grid.size
    zero = n_effects // 2  # lattice index of theta_0 + u = 0 (the lattice starts at u_min)
    terms = np.add.reduceat(items.terms(rows, x), group_starts, axis=0)  # (groups, lattice)
    at_zero = terms[:, zero : zero + n_theta]  # (groups, theta): u = 0
    group_session = answers.session[rows][group_starts]
    session_starts = _runs(group_session)
    full = _session_priors(answers, group_session[session_starts], grid)
    full += np.add.reduceat(at_zero, session_starts, axis=0)
    sessions_of_groups = np.repeat(
        np.arange(session_starts.size), np.diff([*session_starts, group_starts.size])
    )
    # Each group's ability posterior from the session's other topics.
    leave_out = _normalise_rows(full[sessions_of_groups] - at_zero, trapezoid_weights(grid))

    # L(u) = sum_theta w(theta) exp(sum of the group's log P_i(theta + u)), per effect node.
    # One shift per group keeps exp finite: a group is one quiz's answers in one topic.
    peak = terms.max(axis=1, keepdims=True)
    windows = sliding_window_view(np.exp(terms - peak), n_theta, axis=1)  # (groups, effects, theta)
    mixed = np.einsum("get,gt->ge", windows, leave_out)
    log_likelihood = np.log(np.maximum(mixed, 1e-300)) + peak  # (groups, effects)

    group_topic = answers.topic[rows][group_starts]
    sizes = np.diff([*group_starts, rows.size])
    np.add.at(totals.log_likelihood.T, group_topic, log_likelihood)
    n_topics = totals.answered.size
    totals.answered += np.bincount(group_topic, weights=sizes, minlength=n_topics).astype(np.intp)
    correct = np.add.reduceat(x, group_starts)
    totals.correct += np.rint(np.bincount(group_topic, weights=correct, minlength=n_topics)).astype(
        np.intp
    )
    # Each group's number correct under u = 0, mixed over its ability posterior: one batch
    # per group size (no padding; one answer needs no sum). Its mean is the expected count.
    probabilities = items.at_zero[items.row[rows]]  # (answers, theta): P_i(theta) at u = 0
    expected = np.zeros(group_starts.size)
    single = np.flatnonzero(sizes == 1)
    if single.size:
        right = (leave_out[single] * probabilities[group_starts[single]]).sum(axis=1)
        totals.counts.append(
            _CountBatch(group_topic[single], np.column_stack((1.0 - right, right)))
        )
        expected[single] = right
    for size in np.unique(sizes[sizes > 1]):
        chosen = np.flatnonzero(sizes == size)
        members = group_starts[chosen][:, None] + np.arange(size)[None, :]  # (groups, size)
        counts = poisson_binomial(np.moveaxis(probabilities[members], 2, 0))  # (theta, g, size+1)
        pmfs = np.einsum("gt,tgk->gk", leave_out[chosen], counts)
        totals.counts.append(_CountBatch(group_topic[chosen], pmfs))
        expected[chosen] = pmfs @ np.arange(size + 1)
    totals.expected += np.bincount(group_topic, weights=expected, minlength=n_topics)


@dataclass(frozen=True, eq=False)
class _AllCounts:
    """Every group's count distribution, one padded row each, with the group's topic."""

    topics: IntArray
    rows: FloatArray

    @classmethod
    def gather(cls, batches: list[_CountBatch]) -> _AllCounts:
        if not batches:
            return cls(np.zeros(0, dtype=np.intp), np.ones((0, 1)))
        width = max(batch.pmfs.shape[1] for batch in batches)
        rows = np.zeros((sum(batch.pmfs.shape[0] for batch in batches), width))
        start = 0
        for batch in batches:
            rows[start : start + batch.pmfs.shape[0], : batch.pmfs.shape[1]] = batch.pmfs
            start += batch.pmfs.shape[0]
        return cls(np.concatenate([batch.topics for batch in batches]), rows)

    def of(self, topic: int) -> FloatArray:
        """One topic's rows, trimmed of the columns that are zero in all of them."""
        rows = self.rows[self.topics == topic]
        used = np.flatnonzero(rows.any(axis=0))
        trimmed: FloatArray = rows[:, : used[-1] + 1] if used.size else np.ones((1, 1))
        return trimmed


def _convolve_all(rows: FloatArray) -> FloatArray:
    """The distribution of a sum of independent counts (one distribution per row).

    Rows are convolved in pairs, all pairs of a round at once through the FFT, so
    a topic with thousands of groups takes a dozen rounds of array operations.
    Rounding leaves errors of about 1e-15: tail probabilities far below any false
    discovery rate are not resolved, and they stay tiny and at least 0.
    """
    layer = rows
    while layer.shape[0] > 1:
        if layer.shape[0] % 2:
            identity = np.zeros((1, layer.shape[1]))
            identity[0, 0] = 1.0
            layer = np.concatenate((layer, identity))
        width = 2 * layer.shape[1] - 1
        size = 1 << (width - 1).bit_length()
        spectra = np.fft.rfft(layer, n=size, axis=1)
        layer = np.fft.irfft(spectra[0::2] * spectra[1::2], n=size, axis=1)[:, :width]
    # Wider than the largest possible count (rows were padded): the top is zeros and noise.
    total: FloatArray = np.maximum(layer[0], 0.0)
    return total


def pooled_topic_effects(
    answers: TopicAnswers,
    n_topics: int,
    *,
    effect_sd: float = DEFAULT_EFFECT_SD,
    threshold: float = DEFAULT_WEAK_THRESHOLD,
    false_discovery_rate: float = DEFAULT_FALSE_DISCOVERY_RATE,
    theta_grid: FloatArray | None = None,
    mid_p: bool = True,
    refine: bool = True,
) -> TopicEffects:
    """Topic effects shared by every session given, in array form; same result as `topic_effects`.

    Parameters
    ----------
    answers : TopicAnswers
        The cohort's answers, any order.
    n_topics : int
        Number of topic codes.
    effect_sd, threshold, false_discovery_rate, theta_grid, mid_p
        As in `engine.irt.topics.topic_effects`.
    refine : bool
        Read sharp effect posteriors by the Laplace approximation (`summarise_effect`);
        with False every figure is exactly `topic_effects`'.

    Returns
    -------
    TopicEffects
    """
    grid = quadrature_grid() if theta_grid is None else np.asarray(theta_grid, dtype=np.float64)
    step = float(grid[1] - grid[0])
    if not np.allclose(np.diff(grid), step):
        raise ValueError("the topic model needs an evenly spaced ability grid")
    half = math.ceil(EFFECT_RANGE / step)
    effect_grid: FloatArray = step * np.arange(-half, half + 1, dtype=np.float64)
    totals = _Totals(
        answered=np.zeros(n_topics, dtype=np.intp),
        correct=np.zeros(n_topics, dtype=np.intp),
        expected=np.zeros(n_topics),
        log_likelihood=np.zeros((effect_grid.size, n_topics)),
        counts=[],
    )
    counted = np.flatnonzero(~np.isnan(np.asarray(answers.correct, dtype=np.float64)))
    session = np.asarray(answers.session, dtype=np.intp)[counted]
    topic = np.asarray(answers.topic, dtype=np.intp)[counted]
    order = counted[np.lexsort((topic, session))]
    keys = answers.session[order].astype(np.int64) * max(n_topics, 1) + answers.topic[order]
    group_starts = _runs(keys)
    session_of_group = answers.session[order][group_starts]
    session_starts = _runs(session_of_group)
    lattice = grid[0] + effect_grid[0] + step * np.arange(grid.size + effect_grid.size - 1)
    items = _ItemTerms.build(answers, lattice, half, grid.size)
    # Blocks of whole sessions, about BLOCK_GROUPS groups each.
    bounds = [*session_starts[:: max(1, BLOCK_GROUPS // 4)], group_starts.size]
    for first_group, end_group in itertools.pairwise(bounds):
        if first_group >= end_group:
            continue
        row_start = group_starts[first_group]
        row_end = group_starts[end_group] if end_group < group_starts.size else order.size
        _add_block(
            answers,
            items,
            order[row_start:row_end],
            group_starts[first_group:end_group] - row_start,
            grid,
            effect_grid.size,
            totals,
        )
    return _summarise(
        totals, effect_grid, effect_sd, threshold, false_discovery_rate, mid_p, refine
    )


@dataclass(frozen=True)
class EffectSummary:
    mean: float
    sd: float
    below: float  # P(u < threshold)


def summarise_effect(
    posterior: Posterior, threshold: float, *, refine: bool = True
) -> EffectSummary:
    """Mean, SD and ``P(u < threshold)`` of a topic effect's posterior on its grid.

    A cohort pools hundreds of answers per topic, and the effect's posterior
    becomes narrower than the grid can resolve (SD 0.06 against steps of 0.2).
    With ``refine``, a posterior whose SD is under `SHARP_STEPS` grid steps is
    read from the parabola through the three highest nodes of its log density
    (the Laplace approximation, accurate for the near-normal posterior of many
    answers) instead of from the trapezoidal sums.
    """
    summary = EffectSummary(posterior.mean, posterior.sd, posterior.cdf(threshold))
    grid = posterior.grid
    step = float(grid[1] - grid[0])
    best = int(np.argmax(posterior.log_density))
    if not refine or summary.sd >= SHARP_STEPS * step or best in (0, grid.size - 1):
        return summary
    left, middle, right = posterior.log_density[best - 1 : best + 2]
    curvature = float(left - 2.0 * middle + right)
    if not curvature < 0.0:
        return summary
    mean = float(grid[best]) + 0.5 * float(left - right) / curvature * step
    sd = step / math.sqrt(-curvature)
    below = 0.5 * (1.0 + math.erf((threshold - mean) / (sd * math.sqrt(2.0))))
    return EffectSummary(mean, sd, below)


def _summarise(
    totals: _Totals,
    effect_grid: FloatArray,
    effect_sd: float,
    threshold: float,
    false_discovery_rate: float,
    mid_p: bool,
    refine: bool,
) -> TopicEffects:
    n_topics = totals.answered.size
    sd = effect_sd if math.isfinite(effect_sd) and effect_sd > 0 else DEFAULT_EFFECT_SD
    log_prior = -0.5 * (effect_grid / sd) ** 2
    weights = trapezoid_weights(effect_grid)
    means, sds, below, p_values = (np.full(n_topics, np.nan) for _ in range(4))
    counts = _AllCounts.gather(totals.counts)
    for code in range(n_topics):
        log_density = log_prior + totals.log_likelihood[:, code]
        log_density = log_density - log_density.max()
        log_density.setflags(write=False)
        effect = summarise_effect(
            Posterior(effect_grid, weights, log_density), threshold, refine=refine
        )
        means[code], sds[code], below[code] = effect.mean, effect.sd, effect.below
        if totals.answered[code] > 0:
            pmf = _convolve_all(counts.of(code))
            observed = int(totals.correct[code])
            tail = float(pmf[:observed].sum()) + (0.5 if mid_p else 1.0) * float(pmf[observed])
            p_values[code] = min(max(tail, 0.0), 1.0)
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

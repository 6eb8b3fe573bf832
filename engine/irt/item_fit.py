"""Item diagnostics after calibration: fit statistics and flags for authors.

Fit is judged with **leave-one-out predictive residuals**. For every answer
``x_ij`` the predicted probability ``pi_ij`` is the item's response probability
averaged over person ``i``'s posterior given *their other answers* (the
posterior with item ``j``'s own likelihood term divided out). Under the model,
``x_ij`` is then Bernoulli(``pi_ij``) whatever the test length, so the usual
Rasch mean squares (Wright & Masters, 1982)

* ``outfit = mean_i z_ij^2`` with ``z = (x - pi) / sqrt(pi (1 - pi))``
  (sensitive to surprising answers far from the item's difficulty), and
* ``infit = sum_i (x - pi)^2 / sum_i pi (1 - pi)`` (information weighted),

have expectation 1 for a fitting item even with the short, sparse patterns of
adaptive quizzes, where residuals from point estimates (EAP shrinks, ML runs
off to the bounds) are biased. Each mean square is turned into an approximate
standard normal ``t`` by the Wilson-Hilferty cube-root transformation with its
exact variance under the model (Wright & Masters, 1982, ch. 5).

The **ability correlation** is the correlation between the answers to an item
and the learners' leave-one-out EAP abilities: the item-rest correlation of
classical test theory generalised to sparse data; a negative value means
learners who do well elsewhere do worse on this item (a likely wrong key).

References
----------
Wright, B. D., & Masters, G. N. (1982). *Rating scale analysis*. MESA Press.

Linacre, J. M. (2002). What do infit and outfit, mean-square and
standardized mean? *Rasch Measurement Transactions, 16*(2), 878.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from engine.irt.calibration import IntArray, ability_posteriors
from engine.irt.model import ArrayLike, FloatArray, probability

#: Mean squares above this, with ``t`` above `MISFIT_T`, are flagged (Linacre, 2002:
#: 0.5-1.5 is "productive for measurement"; 1.3 is the usual stricter bound).
MISFIT_MEAN_SQUARE = 1.3
MISFIT_T = 2.0
#: An estimated ``a`` below this barely separates learners at all.
LOW_DISCRIMINATION = 0.3
#: Fewer answers than this give no flag that needs a statistic.
MIN_ANSWERS_FOR_FLAGS = 20


class ItemFlag(enum.StrEnum):
    """What an author should look at; the values are stable JSON codes."""

    NEGATIVE_DISCRIMINATION = "negative-discrimination"  # likely a wrong key
    LOW_DISCRIMINATION = "low-discrimination"
    ALL_CORRECT = "all-correct"
    ALL_WRONG = "all-wrong"
    MISFIT = "misfit"

    @property
    def advice(self) -> str:
        return _ADVICE[self]


_ADVICE = {
    ItemFlag.NEGATIVE_DISCRIMINATION: "stronger learners do worse on it: check the answer key",
    ItemFlag.LOW_DISCRIMINATION: "barely separates weaker from stronger learners: "
    "check for ambiguity or a give-away",
    ItemFlag.ALL_CORRECT: "everyone answered it correctly: it tells nothing yet",
    ItemFlag.ALL_WRONG: "everyone answered it wrongly: check the key, or it is far too hard",
    ItemFlag.MISFIT: "answers are more erratic than the model expects: check the wording",
}


@dataclass(frozen=True, eq=False)
class ItemFit:
    """Per item: answers, proportion correct, mean squares, their t, ability correlation.

    Items without answers have NaN statistics.
    """

    n: IntArray
    proportion_correct: FloatArray
    infit: FloatArray
    outfit: FloatArray
    infit_t: FloatArray
    outfit_t: FloatArray
    ability_correlation: FloatArray


def item_fit(
    responses: ArrayLike,
    a: ArrayLike,
    b: ArrayLike,
    c: ArrayLike = 0.0,
    *,
    mean: float = 0.0,
    sd: float = 1.0,
    grid: FloatArray | None = None,
) -> ItemFit:
    """Fit statistics of every item at the given parameters and population."""
    x = np.asarray(responses, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"responses must be a (persons, items) matrix, got shape {x.shape}")
    n_items = x.shape[1]
    a_arr, b_arr, c_arr = (
        np.broadcast_to(np.asarray(v, dtype=np.float64), (n_items,)) for v in (a, b, c)
    )
    posteriors = ability_posteriors(x, a_arr, b_arr, c_arr, mean=mean, sd=sd, grid=grid)
    x = x[posteriors.rows]
    nodes = posteriors.grid
    post = posteriors.weights
    p = np.clip(probability(nodes[:, None], a_arr, b_arr, c_arr), 1e-12, 1.0 - 1e-12)  # nodes x J
    q = 1.0 - p
    answered = ~np.isnan(x)
    right = answered & (x >= 0.5)
    # Posterior without item j's own term: divide by P for a right answer, by Q for a wrong one.
    # pi = E_-j[P] = sum post / sum (post / P) for a right answer, sum post P/Q / sum post/Q else.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inverse_p = post @ (1.0 / p)
        inverse_q = post @ (1.0 / q)
        odds = post @ (p / q)
        theta_over_p = post @ (nodes[:, None] / p)
        theta_over_q = post @ (nodes[:, None] / q)
        predicted = np.where(right, 1.0 / inverse_p, odds / inverse_q)
        theta_rest = np.where(right, theta_over_p / inverse_p, theta_over_q / inverse_q)
    predicted = np.clip(np.nan_to_num(predicted, nan=0.5), 1e-9, 1.0 - 1e-9)
    observed = np.where(answered, np.nan_to_num(x), 0.0)
    variance = predicted * (1.0 - predicted)
    residual = np.where(answered, observed - predicted, 0.0)
    weight = np.where(answered, variance, 0.0)
    n = answered.sum(axis=0).astype(np.intp)
    safe_n = np.maximum(n, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        z2 = np.where(answered, residual**2 / variance, 0.0)
        outfit = z2.sum(axis=0) / safe_n
        infit = (residual**2).sum(axis=0) / np.maximum(weight.sum(axis=0), 1e-300)
        # Exact variances of the two mean squares under the model (Bernoulli(pi) answers).
        fourth = predicted * (1 - predicted) ** 4 + (1 - predicted) * predicted**4
        outfit_var = np.where(answered, fourth / variance**2 - 1.0, 0.0).sum(axis=0) / safe_n**2
        infit_var = (
            np.where(answered, fourth - variance**2, 0.0).sum(axis=0)
            / np.maximum(weight.sum(axis=0), 1e-300) ** 2
        )
    proportion = np.where(n > 0, (observed * answered).sum(axis=0) / safe_n, np.nan)
    missing = n == 0
    return ItemFit(
        n=n,
        proportion_correct=np.asarray(proportion, dtype=np.float64),
        infit=np.where(missing, np.nan, infit),
        outfit=np.where(missing, np.nan, outfit),
        infit_t=np.where(missing, np.nan, _wilson_hilferty(infit, infit_var)),
        outfit_t=np.where(missing, np.nan, _wilson_hilferty(outfit, outfit_var)),
        ability_correlation=_correlations(observed, np.nan_to_num(theta_rest), answered),
    )


def _wilson_hilferty(mean_square: FloatArray, variance: FloatArray) -> FloatArray:
    """``t = (MS^(1/3) - 1) (3 / q) + q / 3`` with ``q`` the SD of the mean square."""
    q = np.sqrt(np.maximum(variance, 1e-12))
    return np.asarray((np.cbrt(np.maximum(mean_square, 0.0)) - 1.0) * (3.0 / q) + q / 3.0)


def _correlations(x: FloatArray, theta: FloatArray, answered: npt.NDArray[np.bool_]) -> FloatArray:
    """Pearson correlation per column over the answered cells (NaN when undefined)."""
    count = answered.sum(axis=0)
    safe = np.maximum(count, 1)
    mean_x = (x * answered).sum(axis=0) / safe
    mean_t = (theta * answered).sum(axis=0) / safe
    dx = np.where(answered, x - mean_x, 0.0)
    dt = np.where(answered, theta - mean_t, 0.0)
    covariance = (dx * dt).sum(axis=0)
    scale = np.sqrt((dx**2).sum(axis=0) * (dt**2).sum(axis=0))
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.where((count >= 3) & (scale > 1e-12), covariance / scale, np.nan)
    return np.asarray(result, dtype=np.float64)


def item_flags(
    fit: ItemFit, a: ArrayLike, estimated: ArrayLike | None = None
) -> tuple[tuple[ItemFlag, ...], ...]:
    """The flags of every item: wrong key, weak discrimination, no variance, misfit.

    ``a`` is judged only for items whose parameters were ``estimated`` (default all).
    """
    n_items = fit.n.size
    a_arr = np.broadcast_to(np.asarray(a, dtype=np.float64), (n_items,))
    judged = (
        np.ones(n_items, dtype=bool)
        if estimated is None
        else np.broadcast_to(np.asarray(estimated, dtype=bool), (n_items,))
    )
    flags: list[tuple[ItemFlag, ...]] = []
    for j in range(n_items):
        found: list[ItemFlag] = []
        n = int(fit.n[j])
        enough = n >= MIN_ANSWERS_FOR_FLAGS
        correlation = float(fit.ability_correlation[j])
        if enough and math.isfinite(correlation) and correlation < 0.0:
            found.append(ItemFlag.NEGATIVE_DISCRIMINATION)
        elif judged[j] and enough and a_arr[j] < LOW_DISCRIMINATION:
            found.append(ItemFlag.LOW_DISCRIMINATION)
        if n > 0 and fit.proportion_correct[j] >= 1.0:
            found.append(ItemFlag.ALL_CORRECT)
        elif n > 0 and fit.proportion_correct[j] <= 0.0:
            found.append(ItemFlag.ALL_WRONG)
        noisy = (fit.infit[j] > MISFIT_MEAN_SQUARE and fit.infit_t[j] > MISFIT_T) or (
            fit.outfit[j] > MISFIT_MEAN_SQUARE and fit.outfit_t[j] > MISFIT_T
        )
        if enough and noisy:
            found.append(ItemFlag.MISFIT)
        flags.append(tuple(found))
    return tuple(flags)

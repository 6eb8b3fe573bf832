"""Dichotomous 1PL/2PL/3PL item response functions on the logistic metric (D = 1).

The three-parameter logistic model (Birnbaum, 1968) gives the probability that a
person of ability ``theta`` answers an item correctly as

    P(theta) = c + (1 - c) / (1 + exp(-a (theta - b)))

with discrimination ``a > 0``, difficulty ``b`` and lower asymptote (guessing)
``0 <= c < 1``. The 2PL is ``c = 0`` and the 1PL (Rasch) is additionally ``a = 1``.

Every function here is vectorised by broadcasting: pass a scalar ``theta`` and
arrays of item parameters to get one value per item, or ``theta[:, None]`` with
item arrays to get a ``(thetas, items)`` matrix. Every function is *total* on
finite inputs: it returns finite numbers for any finite ``theta``, ``b`` and
any ``a``, ``c``; the clamps that make this so are documented on the constants
below and change results only where the model is already at its asymptotes.

References
----------
Birnbaum, A. (1968). Some latent trait models and their use in inferring an
examinee's ability. In F. M. Lord & M. R. Novick, *Statistical theories of mental
test scores* (chapters 17-20). Addison-Wesley.

Lord, F. M. (1980). *Applications of item response theory to practical testing
problems*. Erlbaum. (Item information, chapter 5.)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
ArrayLike = npt.ArrayLike

#: The logit ``a (theta - b)`` is clipped to this magnitude. At 30 the logistic
#: is within 1e-13 of its asymptotes, so nothing measurable changes, but every
#: log-probability stays above about -30 (plus ``log(1 - c)``) and information
#: never underflows to exactly zero away from degenerate items.
LOGIT_LIMIT = 30.0

#: Discriminations are clamped to ``[0, MAX_DISCRIMINATION]`` in the arithmetic.
#: Beyond 1e6 an item is a step function on any usable grid; the clamp keeps
#: information (which grows with ``a**2``) finite. Validation of real banks
#: (`ItemBank`) rejects ``a <= 0`` before it gets here.
MAX_DISCRIMINATION = 1.0e6

#: ``theta - b`` is bounded by this before multiplying by ``a`` (<= 1e6), so
#: the product cannot overflow.
_DIFFERENCE_LIMIT = 1.0e300

#: Guessing parameters are clamped to ``[0, MAX_GUESSING]`` so that
#: ``log(1 - c)`` stays finite.
MAX_GUESSING = 1.0 - 1.0e-9


def _clean_parameters(
    a: ArrayLike, b: ArrayLike, c: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return float arrays with ``a`` and ``c`` clamped to their usable ranges."""
    # np.minimum/np.maximum rather than np.clip: same result, a fraction of the
    # call overhead, which matters on the per-answer path.
    a_arr = np.minimum(np.maximum(np.asarray(a, dtype=np.float64), 0.0), MAX_DISCRIMINATION)
    b_arr = np.asarray(b, dtype=np.float64)
    c_arr = np.minimum(np.maximum(np.asarray(c, dtype=np.float64), 0.0), MAX_GUESSING)
    return a_arr, b_arr, c_arr


def logit(theta: ArrayLike, a: ArrayLike, b: ArrayLike) -> FloatArray:
    """Clipped logit ``a (theta - b)`` of the 2PL part of the model.

    Parameters
    ----------
    theta : array_like
        Ability or abilities.
    a, b : array_like
        Discrimination and difficulty, broadcast against ``theta``.

    Returns
    -------
    numpy.ndarray
        ``a (theta - b)`` clipped to ``[-LOGIT_LIMIT, LOGIT_LIMIT]``.
    """
    a_arr = np.minimum(np.maximum(np.asarray(a, dtype=np.float64), 0.0), MAX_DISCRIMINATION)
    with np.errstate(over="ignore"):
        # theta - b can overflow to +/-inf only for absurd inputs (|x| ~ 1e308).
        difference = np.asarray(theta, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    # Bounding the difference first means a * difference (a <= 1e6) cannot
    # overflow, and a == 0 gives 0 rather than 0 * inf = NaN.
    difference = np.minimum(np.maximum(difference, -_DIFFERENCE_LIMIT), _DIFFERENCE_LIMIT)
    z = a_arr * difference
    return np.minimum(np.maximum(z, -LOGIT_LIMIT), LOGIT_LIMIT)


def scalar_item_logit(grid: FloatArray, a: float, b: float, *, negate: bool = False) -> FloatArray:
    """`logit` for one item over a grid (or its negative), cut to the bone for the hot path.

    Equivalent to ``logit(grid, a, b)`` (``-logit(...)`` with ``negate``): a
    scalar check decides whether any node can overflow or reach the clip, and
    skips those guards when none can (always, for ordinary items on an
    ordinary grid).
    """
    a = min(max(a, 0.0), MAX_DISCRIMINATION)
    reach = a * (abs(b) + max(-grid[0], grid[-1], 0.0))
    if not reach < 1.0e300:
        z = logit(grid, a, b)
        return np.negative(z, out=z) if negate else z
    z = np.subtract(b, grid) if negate else np.subtract(grid, b)
    z *= a
    if reach > LOGIT_LIMIT:
        np.maximum(z, -LOGIT_LIMIT, out=z)
        np.minimum(z, LOGIT_LIMIT, out=z)
    return z


def probability(theta: ArrayLike, a: ArrayLike, b: ArrayLike, c: ArrayLike = 0.0) -> FloatArray:
    """Probability of a correct response under the 3PL model (Birnbaum, 1968).

    Parameters
    ----------
    theta : array_like
        Ability or abilities.
    a, b, c : array_like
        Discrimination, difficulty and lower asymptote, broadcast against ``theta``.

    Returns
    -------
    numpy.ndarray
        ``c + (1 - c) / (1 + exp(-a (theta - b)))``, in ``[c, 1)``.
    """
    a_arr, b_arr, c_arr = _clean_parameters(a, b, c)
    logistic = 1.0 / (1.0 + np.exp(-logit(theta, a_arr, b_arr)))
    return c_arr + (1.0 - c_arr) * logistic


def log_probabilities(
    theta: ArrayLike, a: ArrayLike, b: ArrayLike, c: ArrayLike = 0.0
) -> tuple[FloatArray, FloatArray]:
    """Log-probabilities of a correct and of a wrong response, in log space.

    Uses ``log sigma(z) = -logaddexp(0, -z)`` and
    ``log P = logaddexp(log c, log(1 - c) + log sigma(z))`` so that nothing
    overflows or cancels for extreme logits.

    Parameters
    ----------
    theta : array_like
        Ability or abilities.
    a, b, c : array_like
        Item parameters, broadcast against ``theta``.

    Returns
    -------
    tuple of numpy.ndarray
        ``(log P, log (1 - P))``, both finite and at most 0.
    """
    a_arr, b_arr, c_arr = _clean_parameters(a, b, c)
    z = logit(theta, a_arr, b_arr)
    log_one_minus_c = np.log1p(-c_arr)
    with np.errstate(divide="ignore"):
        log_c = np.log(c_arr)  # -inf for c == 0 is exact and handled by logaddexp
    log_correct = np.logaddexp(log_c, log_one_minus_c - np.logaddexp(0.0, -z))
    log_wrong = log_one_minus_c - np.logaddexp(0.0, z)
    return log_correct, log_wrong


def information(theta: ArrayLike, a: ArrayLike, b: ArrayLike, c: ArrayLike = 0.0) -> FloatArray:
    """Fisher information of 3PL items (Lord, 1980, eq. 5-6).

    ``I = P'^2 / (P Q)``. With ``e = exp(-a (theta - b))`` this is exactly
    ``a^2 (1 - c) e / ((1 + e)^2 (1 + c e))``, which has no ``1 - P``
    cancellation in the upper tail. For the 2PL it is ``a^2 s (1 - s)`` with
    ``s`` the logistic, at most ``a^2 / 4``.

    Parameters
    ----------
    theta : array_like
        Ability or abilities.
    a, b, c : array_like
        Item parameters, broadcast against ``theta``.

    Returns
    -------
    numpy.ndarray
        Non-negative, finite information values.
    """
    a_arr, b_arr, c_arr = _clean_parameters(a, b, c)
    e = np.exp(-logit(theta, a_arr, b_arr))
    one_plus_e = 1.0 + e
    return a_arr * a_arr * (1.0 - c_arr) * e / (one_plus_e * one_plus_e * (1.0 + c_arr * e))


class InformationTerms(NamedTuple):
    """Per-item constants that make repeated information evaluations cheap.

    With ``e = exp(-a (theta - b))`` the 3PL information simplifies to
    ``a^2 (1 - c) e / ((1 + e)^2 (1 + c e))``, so a bank can precompute
    ``a``, ``a b``, ``a^2 (1 - c)`` and ``c`` once (`information_terms`) and
    `information_from_terms` costs about a dozen vector operations.
    ``max_a`` and ``max_ab`` bound the logit so that clipping can be skipped
    when it cannot change anything.
    """

    a: FloatArray
    ab: FloatArray
    scale: FloatArray
    c: FloatArray
    max_a: float
    max_ab: float

    def subset(self, items: npt.NDArray[np.intp]) -> InformationTerms:
        """The terms of the items at ``items`` (the bounds stay valid)."""
        return InformationTerms(
            self.a[items], self.ab[items], self.scale[items], self.c[items], self.max_a, self.max_ab
        )


def information_terms(a: ArrayLike, b: ArrayLike, c: ArrayLike = 0.0) -> InformationTerms:
    """Precompute `InformationTerms` for items (clamped like every function here)."""
    a_arr, b_arr, c_arr = _clean_parameters(a, b, c)
    a_arr, b_arr, c_arr = np.broadcast_arrays(a_arr, b_arr, c_arr)
    bounded_b = np.minimum(np.maximum(b_arr, -_DIFFERENCE_LIMIT), _DIFFERENCE_LIMIT)
    with np.errstate(over="ignore"):
        ab = a_arr * bounded_b  # |a| <= 1e6 and |b| <= 1e300: finite
    return InformationTerms(
        a=a_arr.copy(),
        ab=ab,
        scale=a_arr * a_arr * (1.0 - c_arr),
        c=c_arr.copy(),
        max_a=float(np.max(a_arr, initial=0.0)),
        max_ab=float(np.max(np.abs(ab), initial=0.0)),
    )


def information_from_terms(theta: float | FloatArray, terms: InformationTerms) -> FloatArray:
    """Item information from precomputed terms (same values as `information`).

    Parameters
    ----------
    theta : float or numpy.ndarray
        The ability, or one ability per item (finite).
    terms : InformationTerms
        From `information_terms`.

    Returns
    -------
    numpy.ndarray
        Information per item.
    """
    if isinstance(theta, float) and abs(theta) * terms.max_a + terms.max_ab <= LOGIT_LIMIT:
        # No logit can reach the clip: skip the guards (the common case).
        minus_z = terms.ab - terms.a * theta
    else:
        with np.errstate(over="ignore", invalid="ignore"):
            minus_z = terms.ab - terms.a * theta
        np.maximum(minus_z, -LOGIT_LIMIT, out=minus_z)
        np.minimum(minus_z, LOGIT_LIMIT, out=minus_z)
    e = np.exp(minus_z, out=minus_z)
    denominator = 1.0 + e
    denominator *= denominator
    denominator *= 1.0 + terms.c * e
    e *= terms.scale
    return np.divide(e, denominator, out=e)


def test_information(
    theta: ArrayLike, a: ArrayLike, b: ArrayLike, c: ArrayLike = 0.0
) -> FloatArray:
    """Test information: the sum of item information over the last axis.

    Parameters
    ----------
    theta : array_like
        Scalar ability, or a column ``theta[:, None]`` for several abilities.
    a, b, c : array_like
        Item parameter arrays (last axis = items).

    Returns
    -------
    numpy.ndarray
        Information summed over items; a scalar array for scalar ``theta``.
    """
    return np.asarray(np.sum(information(theta, a, b, c), axis=-1), dtype=np.float64)


def log_likelihood(
    theta: ArrayLike,
    a: ArrayLike,
    b: ArrayLike,
    c: ArrayLike,
    responses: ArrayLike,
) -> FloatArray:
    """Log-likelihood of a response pattern, summed over items (last axis).

    Parameters
    ----------
    theta : array_like
        Scalar ability, or a column ``theta[:, None]`` to evaluate a grid.
    a, b, c : array_like
        Item parameters, one per response.
    responses : array_like
        1 (correct), 0 (wrong) or NaN (missing, skipped). Values are clipped
        to ``[0, 1]``; a fractional value weights the two log-probabilities.

    Returns
    -------
    numpy.ndarray
        Finite log-likelihood (0 when every response is missing).
    """
    x = np.asarray(responses, dtype=np.float64)
    answered = ~np.isnan(x)
    x = np.clip(np.where(answered, x, 0.0), 0.0, 1.0)
    log_correct, log_wrong = log_probabilities(theta, a, b, c)
    terms = np.where(answered, x * log_correct + (1.0 - x) * log_wrong, 0.0)
    return np.asarray(np.sum(terms, axis=-1), dtype=np.float64)

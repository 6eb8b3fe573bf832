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

#: Guessing parameters are clamped to ``[0, MAX_GUESSING]`` so that
#: ``log(1 - c)`` stays finite.
MAX_GUESSING = 1.0 - 1.0e-9


def _clean_parameters(
    a: ArrayLike, b: ArrayLike, c: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return float arrays with ``a`` and ``c`` clamped to their usable ranges."""
    a_arr = np.clip(np.asarray(a, dtype=np.float64), 0.0, MAX_DISCRIMINATION)
    b_arr = np.asarray(b, dtype=np.float64)
    c_arr = np.clip(np.asarray(c, dtype=np.float64), 0.0, MAX_GUESSING)
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
    a_arr = np.clip(np.asarray(a, dtype=np.float64), 0.0, MAX_DISCRIMINATION)
    difference = np.asarray(theta, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    # theta - b can overflow to +/-inf for absurd inputs; inf * 0 would be NaN,
    # so clip the difference first (any |difference| > LOGIT_LIMIT / a saturates).
    difference = np.clip(difference, -1.0e300, 1.0e300)
    with np.errstate(over="ignore"):
        return np.clip(a_arr * difference, -LOGIT_LIMIT, LOGIT_LIMIT)


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

    ``I = P'^2 / (P Q)``, computed as ``a^2 (1 - c) s^2 (1 - s) / P`` with
    ``s = 1 / (1 + exp(-a (theta - b)))``, which is exact and free of
    cancellation. For the 2PL this is ``a^2 s (1 - s)``, at most ``a^2 / 4``.

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
    s = 1.0 / (1.0 + np.exp(-logit(theta, a_arr, b_arr)))
    p = c_arr + (1.0 - c_arr) * s
    return a_arr * a_arr * (1.0 - c_arr) * s * s * (1.0 - s) / p


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
    return np.sum(information(theta, a, b, c), axis=-1)


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
    return np.sum(terms, axis=-1)

"""Level probabilities, the named run of levels, the overall composite and probability wording."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.irt.levels import (
    LevelRange,
    composite_posterior,
    level_of,
    level_probabilities,
    named_levels,
    probability_words,
)
from engine.irt.posterior import Posterior

CUTS = (-1.0, 0.0, 1.2)


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def test_level_probabilities_of_the_standard_normal_match_the_table() -> None:
    # Standard normal CDF (Abramowitz & Stegun, Table 26.1): Phi(-1) = 0.158655,
    # Phi(0) = 0.5, Phi(1.2) = 0.884930.
    probabilities = level_probabilities(Posterior.normal(0.0, 1.0), CUTS)
    expected = [0.158655, 0.5 - 0.158655, 0.884930 - 0.5, 1.0 - 0.884930]
    assert probabilities == pytest.approx(expected, abs=1e-3)
    assert probabilities.sum() == pytest.approx(1.0)


@pytest.mark.parametrize(("theta", "level"), [(-1.01, 0), (-1.0, 1), (-0.2, 1), (0.0, 2), (1.2, 3)])
def test_a_value_at_a_cut_belongs_to_the_level_above(theta: float, level: int) -> None:
    assert level_of(theta, CUTS) == level


@pytest.mark.parametrize(
    ("probabilities", "expected"),
    [
        ((0.05, 0.85, 0.08, 0.02), LevelRange(1, 1, 0.85)),
        ((0.10, 0.45, 0.40, 0.05), LevelRange(1, 2, 0.85)),
        # Two runs of two reach 0.8; the one holding more wins.
        ((0.02, 0.40, 0.41, 0.17), LevelRange(1, 2, 0.81)),
        ((0.30, 0.30, 0.30, 0.10), LevelRange(0, 2, 0.90)),
        ((0.0, 0.0, 0.2, 0.8), LevelRange(3, 3, 0.8)),
    ],
)
def test_the_shortest_run_holding_eighty_percent_is_named(
    probabilities: tuple[float, ...], expected: LevelRange
) -> None:
    named = named_levels(np.array(probabilities))
    assert (named.first, named.last) == (expected.first, expected.last)
    assert named.probability == pytest.approx(expected.probability)


@given(st.lists(st.floats(0.0, 1.0), min_size=4, max_size=4).filter(lambda p: sum(p) > 0.01))
def test_named_run_is_minimal_and_holds_the_threshold(weights: list[float]) -> None:
    p = np.array(weights) / sum(weights)
    named = named_levels(p, 0.8)
    assert named.probability >= 0.8 - 1e-9
    assert named.probability == pytest.approx(p[named.first : named.last + 1].sum())
    shorter = named.size - 1
    for start in range(0, 4 - shorter + 1) if shorter else ():
        assert p[start : start + shorter].sum() < 0.8 + 1e-9


@given(
    st.lists(st.tuples(st.floats(-2.0, 2.0), st.floats(0.3, 1.2)), min_size=1, max_size=4),
    st.floats(-1.0, 1.0),
)
def test_composite_of_normals_is_the_normal_of_their_mean(
    parameters: list[tuple[float, float]], cut: float
) -> None:
    # The mean of k independent N(m_i, s_i^2) is N(mean m_i, sum s_i^2 / k^2).
    composite = composite_posterior([Posterior.normal(m, s) for m, s in parameters])
    k = len(parameters)
    mean = sum(m for m, _ in parameters) / k
    sd = math.sqrt(sum(s * s for _, s in parameters)) / k
    assert composite.mean == pytest.approx(mean, abs=5e-3)
    assert composite.sd == pytest.approx(sd, abs=5e-3)
    assert composite.probability_at_or_above(cut) == pytest.approx(
        1.0 - _phi((cut - mean) / sd), abs=0.01
    )


def test_composite_is_narrower_than_one_area_but_honest_about_it() -> None:
    posteriors = [Posterior.normal(0.0, 0.6) for _ in range(4)]
    # Four areas with SE 0.6: the mean's SE is 0.3, not 0.6 / sqrt(4 * 10) for 40 answers.
    assert composite_posterior(posteriors).sd == pytest.approx(0.3, abs=3e-3)


def test_composite_needs_one_grid() -> None:
    from engine.irt.posterior import quadrature_grid

    with pytest.raises(ValueError, match="share one grid"):
        composite_posterior(
            [Posterior.normal(), Posterior.normal(grid=quadrature_grid(-4.0, 4.0, 33))]
        )
    with pytest.raises(ValueError, match="at least one"):
        composite_posterior([])


@pytest.mark.parametrize(
    ("probability", "words"),
    [
        (0.996, "more than 99%"),
        (0.99, "99%"),
        (0.9949, "more than 99%"),
        (0.987, "99%"),
        (0.5, "50%"),
        (0.0101, "1%"),
        (0.004, "less than 1%"),
        (1.0, "more than 99%"),
        (0.0, "less than 1%"),
        (float("nan"), "unknown"),
    ],
)
def test_probability_words_never_claim_certainty(probability: float, words: str) -> None:
    assert probability_words(probability) == words


@given(st.floats(0.0, 1.0))
def test_probability_words_are_never_zero_or_a_hundred(probability: float) -> None:
    words = probability_words(probability)
    assert words not in ("100%", "0%")
    assert not words.startswith(("100", "0%"))

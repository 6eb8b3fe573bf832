"""The topic-effect model: exact predictive p-values, Benjamini-Hochberg, pooling, detection."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.irt.topics import (
    TopicSession,
    benjamini_hochberg,
    poisson_binomial,
    topic_effects,
)


def _session(
    b: list[float], topic: list[int], correct: list[float], a: float = 1.0, c: float = 0.0
) -> TopicSession:
    n = len(b)
    return TopicSession(
        a=np.full(n, a),
        b=np.array(b, dtype=float),
        c=np.full(n, c),
        topic=np.array(topic, dtype=np.intp),
        correct=np.array(correct, dtype=float),
    )


def _simulated_session(
    rng: np.random.Generator, theta: float, effects: list[float], per_topic: int
) -> TopicSession:
    topics = np.repeat(np.arange(len(effects)), per_topic)
    b = rng.uniform(-1.5, 1.5, topics.size)
    c = np.full(topics.size, 0.2)
    p = c + (1 - c) / (1 + np.exp(-(theta + np.array(effects)[topics] - b)))
    return TopicSession(
        a=np.ones(topics.size),
        b=b,
        c=c,
        topic=topics,
        correct=(rng.random(topics.size) < p).astype(float),
    )


def test_benjamini_hochberg_reproduces_the_papers_example() -> None:
    # Benjamini & Hochberg (1995), section 4.2: 15 p-values from a clinical
    # trial; at q = 0.05 the procedure rejects the four smallest (Bonferroni three).
    p = np.array(
        [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459,
         0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000]
    )  # fmt: skip
    rng = np.random.default_rng(3)
    order = rng.permutation(p.size)
    rejected = benjamini_hochberg(p[order], 0.05)
    assert sorted(p[order][rejected]) == [0.0001, 0.0004, 0.0019, 0.0095]


def test_benjamini_hochberg_ignores_untested_and_steps_up() -> None:
    # Step-up: 0.04 <= 0.05 * 4/4 rejects all four even though 0.03 > 0.05 * 2/4.
    assert benjamini_hochberg(np.array([0.04, 0.03, np.nan, 0.035, 0.01]), 0.05).tolist() == [
        True, True, False, True, True,
    ]  # fmt: skip
    assert not benjamini_hochberg(np.array([np.nan, np.nan]), 0.1).any()


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=8))
def test_poisson_binomial_matches_enumeration(probabilities: list[float]) -> None:
    p = np.array(probabilities)
    expected = np.zeros(p.size + 1)
    for outcome in itertools.product((0, 1), repeat=p.size):
        x = np.array(outcome)
        expected[x.sum()] += np.prod(np.where(x == 1, p, 1 - p))
    assert poisson_binomial(p) == pytest.approx(expected, abs=1e-12)


def test_poisson_binomial_with_equal_probabilities_is_binomial() -> None:
    pmf = poisson_binomial(np.full(6, 0.3))
    binomial = [math.comb(6, k) * 0.3**k * 0.7 ** (6 - k) for k in range(7)]
    assert pmf == pytest.approx(binomial, abs=1e-12)


def test_p_value_is_the_predictive_probability_of_so_few_correct() -> None:
    # One topic only, so theta's leave-topic-out posterior is the N(0, 1)
    # prior. Two Rasch items at b = 0, both wrong: the mid-p value is half of
    # P(0 correct) = integral of (1 - logistic(theta))^2 phi(theta) dtheta,
    # computed here independently on a fine grid.
    theta = np.linspace(-10, 10, 200_001)
    phi = np.exp(-(theta**2) / 2) / math.sqrt(2 * math.pi)
    none_right = float(np.trapezoid((1 / (1 + np.exp(theta))) ** 2 * phi, theta))
    effects = topic_effects([_session([0.0, 0.0], [0, 0], [0.0, 0.0])], 1)
    assert effects.p_value[0] == pytest.approx(none_right / 2, abs=1e-4)
    conservative = topic_effects([_session([0.0, 0.0], [0, 0], [0.0, 0.0])], 1, mid_p=False)
    assert conservative.p_value[0] == pytest.approx(none_right, abs=1e-4)
    # Expected correct answers at u = 0: 2 * E[logistic(theta)] = 1 by symmetry.
    assert effects.expected[0] == pytest.approx(1.0, abs=1e-4)


def test_conservative_p_values_are_valid_when_no_topic_differs() -> None:
    rng = np.random.default_rng(5)
    p_values = []
    for _ in range(600):
        session = _simulated_session(rng, rng.normal(), [0.0, 0.0, 0.0], per_topic=4)
        p_values.extend(topic_effects([session], 3, mid_p=False).p_value)
    p = np.array(p_values)
    # P(p <= alpha) <= alpha under the null (up to simulation error, 3 SE).
    for alpha in (0.05, 0.1, 0.2):
        assert np.mean(p <= alpha) <= alpha + 3 * math.sqrt(alpha * (1 - alpha) / p.size)


def test_mid_p_values_average_one_half_under_the_null() -> None:
    # Lancaster's mid-p has expectation exactly 1/2 under the null distribution.
    rng = np.random.default_rng(6)
    p = np.concatenate(
        [
            topic_effects([_simulated_session(rng, rng.normal(), [0.0, 0.0], 5)], 2).p_value
            for _ in range(500)
        ]
    )
    assert p.mean() == pytest.approx(0.5, abs=3 * math.sqrt(1 / 12 / p.size))


def test_a_clear_deficit_pooled_over_quizzes_is_called_weak_and_only_it() -> None:
    rng = np.random.default_rng(7)
    sessions = [_simulated_session(rng, 0.3, [0.0, -2.0, 0.0, 0.0], per_topic=8) for _ in range(4)]
    effects = topic_effects(sessions, 4)
    assert effects.weak.tolist() == [False, True, False, False]
    assert effects.ranked_weak() == [1]
    assert effects.probability_below[1] > 0.9
    assert effects.effect_mean[1] < -1.0
    assert effects.answered.tolist() == [32, 32, 32, 32]


def test_the_effect_posterior_recovers_a_shift() -> None:
    # u_t is the topic's shift relative to theta as the area's OTHER topics
    # show it: one topic 1 logit down among four at theta reads about -1, and
    # each of the others about +1/4 (their "rest of the area" includes it).
    rng = np.random.default_rng(8)
    effects_true = [0.0, -1.0, 0.0, 0.0, 0.0]
    sessions = [_simulated_session(rng, rng.normal(), effects_true, 12) for _ in range(15)]
    effects = topic_effects(sessions, 5, effect_sd=2.0)
    assert effects.effect_mean[1] == pytest.approx(-1.0, abs=0.3)
    assert effects.effect_mean[[0, 2, 3, 4]].mean() == pytest.approx(0.25, abs=0.2)
    assert effects.effect_sd[1] < 0.3


def test_one_quiz_of_two_answers_per_topic_calls_nothing() -> None:
    # Two wrong answers out of two can happen to anyone: p >= 0.05 for a
    # learner at the items' level, so with 12 topics BH never rejects.
    session = _session(
        [0.0] * 24, [t for t in range(12) for _ in range(2)], [0.0, 0.0] + [1.0, 0.0] * 11
    )
    effects = topic_effects([session], 12)
    assert not effects.weak.any()
    assert effects.p_value[0] > 0.01


def test_uncounted_answers_change_nothing() -> None:
    kept = _session([0.0, 0.5, -0.5, 1.0], [0, 0, 1, 1], [1.0, 0.0, 0.0, 1.0])
    with_nan = _session([0.0, 0.5, 2.0, -0.5, 1.0], [0, 0, 0, 1, 1], [1.0, 0.0, np.nan, 0.0, 1.0])
    first, second = topic_effects([kept], 2), topic_effects([with_nan], 2)
    for name in ("answered", "correct", "expected", "effect_mean", "p_value"):
        assert getattr(first, name) == pytest.approx(getattr(second, name))


def test_untested_topics_keep_the_prior() -> None:
    effects = topic_effects([_session([0.0], [0], [1.0])], 3, effect_sd=0.5)
    assert np.isnan(effects.p_value[1:]).all()
    # P(u < -0.5) under N(0, 0.5^2) is Phi(-1) = 0.1587.
    assert effects.probability_below[2] == pytest.approx(0.1587, abs=2e-3)
    assert effects.effect_sd[2] == pytest.approx(0.5, abs=2e-3)


@given(
    st.lists(
        st.tuples(st.floats(-4, 4), st.integers(0, 2), st.sampled_from([0.0, 1.0])),
        min_size=1,
        max_size=15,
    ),
    st.floats(-3, 3),
    st.floats(0.3, 2.0),
)
@settings(deadline=None, max_examples=60)
def test_every_figure_is_finite_and_bounded(
    answers: list[tuple[float, int, float]], prior_mean: float, prior_sd: float
) -> None:
    b, topic, correct = (list(column) for column in zip(*answers, strict=True))
    session = TopicSession(
        a=np.ones(len(b)),
        b=np.array(b),
        c=np.full(len(b), 0.25),
        topic=np.array(topic, dtype=np.intp),
        correct=np.array(correct),
        prior_mean=prior_mean,
        prior_sd=prior_sd,
    )
    effects = topic_effects([session], 3)
    tested = effects.answered > 0
    assert np.all((effects.p_value[tested] >= 0) & (effects.p_value[tested] <= 1))
    assert np.all((effects.probability_below >= 0) & (effects.probability_below <= 1))
    assert np.all(np.isfinite(effects.effect_mean)) and np.all(effects.effect_sd > 0)
    assert np.all(effects.expected <= effects.answered + 1e-9)


def test_sessions_must_be_aligned() -> None:
    with pytest.raises(ValueError, match="one length"):
        TopicSession(
            a=np.ones(2), b=np.zeros(3), c=np.zeros(2), topic=np.zeros(2, dtype=np.intp),
            correct=np.ones(2),
        )  # fmt: skip

"""The cohort's pooled topic model in array form agrees with `engine.irt.topics.topic_effects`."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.irt.posterior import Posterior, quadrature_grid, trapezoid_weights
from engine.irt.topics import TopicSession, topic_effects
from engine.report.cohort_topics import (
    COHORT_GRID,
    TopicAnswers,
    pooled_topic_effects,
    summarise_effect,
)

FIELDS = (
    "answered",
    "correct",
    "expected",
    "effect_mean",
    "effect_sd",
    "probability_below",
    "p_value",
    "weak",
)


def sessions_from(
    seed: int, n_sessions: int, n_topics: int, weak: int | None = None
) -> list[TopicSession]:
    rng = np.random.default_rng(seed)
    sessions = []
    for _ in range(n_sessions):
        n = int(rng.integers(1, 9))
        topic = rng.integers(0, n_topics, n)
        a, b = rng.uniform(0.5, 2.2, n), rng.normal(0.0, 1.2, n)
        c = rng.choice([0.0, 0.2, 0.25], n)
        theta = rng.normal(0.0, 1.0)
        shift = np.where(topic == weak, -1.0, 0.0) if weak is not None else 0.0
        p = c + (1 - c) / (1 + np.exp(-a * (theta + shift - b)))
        correct = (rng.random(n) < p).astype(float)
        correct[rng.random(n) < 0.05] = np.nan  # some answers not counted
        sessions.append(
            TopicSession(
                a, b, c, topic, correct, float(rng.normal(0, 0.3)), float(rng.uniform(0.6, 1.3))
            )
        )
    return sessions


def flatten(sessions: list[TopicSession]) -> TopicAnswers:
    def joined(name: str) -> np.ndarray:
        return np.concatenate([getattr(s, name) for s in sessions])

    return TopicAnswers(
        a=joined("a"),
        b=joined("b"),
        c=joined("c"),
        correct=joined("correct"),
        topic=joined("topic").astype(np.intp),
        session=np.concatenate([np.full(s.a.size, k) for k, s in enumerate(sessions)]).astype(
            np.intp
        ),
        prior_mean=np.array([s.prior_mean for s in sessions]),
        prior_sd=np.array([s.prior_sd for s in sessions]),
    )


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 60), st.integers(1, 7))
def test_the_array_form_is_the_same_model(seed: int, n_sessions: int, n_topics: int) -> None:
    sessions = sessions_from(seed, n_sessions, n_topics)
    reference = topic_effects(sessions, n_topics)
    pooled = pooled_topic_effects(flatten(sessions), n_topics, refine=False)
    for name in FIELDS:
        assert np.allclose(
            getattr(pooled, name), getattr(reference, name), atol=1e-9, equal_nan=True
        ), name


def test_the_order_of_the_answers_does_not_matter() -> None:
    answers = flatten(sessions_from(3, 80, 5, weak=2))
    order = np.random.default_rng(9).permutation(answers.a.size)
    shuffled = TopicAnswers(
        answers.a[order],
        answers.b[order],
        answers.c[order],
        answers.correct[order],
        answers.topic[order],
        answers.session[order],
        answers.prior_mean,
        answers.prior_sd,
    )
    one, two = pooled_topic_effects(answers, 5), pooled_topic_effects(shuffled, 5)
    for name in FIELDS:
        assert np.allclose(getattr(one, name), getattr(two, name), atol=1e-9, equal_nan=True), name


def test_the_cohort_grid_gives_the_fine_grids_answers() -> None:
    """Many answers per topic: the 0.2 grid with the Laplace read-out against a 0.025 grid."""
    answers = flatten(sessions_from(5, 2500, 4, weak=1))
    fine = pooled_topic_effects(answers, 4, theta_grid=quadrature_grid(-6, 6, 481), refine=False)
    cohort = pooled_topic_effects(answers, 4, theta_grid=COHORT_GRID)
    assert np.allclose(cohort.p_value, fine.p_value, atol=1e-6)
    assert np.allclose(cohort.effect_mean, fine.effect_mean, atol=0.01)
    assert np.allclose(cohort.effect_sd, fine.effect_sd, atol=0.01)
    assert np.allclose(cohort.probability_below, fine.probability_below, atol=0.02)
    assert fine.effect_sd.max() < 0.15  # the posteriors really are sharp here
    assert list(np.flatnonzero(cohort.weak)) == [1]
    assert cohort.effect_mean[1] == pytest.approx(-1.0, abs=0.15)


def test_a_sharp_normal_posterior_is_read_exactly() -> None:
    """log N(0.13, 0.05^2) on a 0.2 grid is a parabola: vertex and curvature give it back."""
    grid = COHORT_GRID[(COHORT_GRID >= -3) & (COHORT_GRID <= 3)]
    log_density = -0.5 * ((grid - 0.13) / 0.05) ** 2
    log_density = log_density - log_density.max()
    log_density.setflags(write=False)
    effect = summarise_effect(Posterior(grid, trapezoid_weights(grid), log_density), 0.05)
    assert effect.mean == pytest.approx(0.13, abs=1e-9)
    assert effect.sd == pytest.approx(0.05, abs=1e-9)
    assert effect.below == pytest.approx(
        0.5 * (1 + math.erf((0.05 - 0.13) / (0.05 * math.sqrt(2))))
    )


def test_a_wide_posterior_keeps_the_grid_figures() -> None:
    grid = COHORT_GRID
    log_density = -0.5 * (grid / 0.5) ** 2
    log_density.setflags(write=False)
    posterior = Posterior(grid, trapezoid_weights(grid), log_density)
    effect = summarise_effect(posterior, -0.5)
    assert (effect.mean, effect.sd, effect.below) == (
        posterior.mean,
        posterior.sd,
        posterior.cdf(-0.5),
    )


def test_no_answers_tests_nothing() -> None:
    empty = TopicAnswers(
        *(np.zeros(0) for _ in range(4)),
        np.zeros(0, np.intp),
        np.zeros(0, np.intp),
        np.zeros(0),
        np.zeros(0),
    )
    effects = pooled_topic_effects(empty, 3)
    assert effects.answered.tolist() == [0, 0, 0]
    assert np.isnan(effects.p_value).all() and not effects.weak.any()

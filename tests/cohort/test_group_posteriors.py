"""Many posteriors at once give the same numbers as the engine's one-at-a-time `Posterior`."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.irt.levels import level_probabilities
from engine.irt.posterior import Posterior
from engine.report.group_posteriors import group_posteriors

answer = st.tuples(
    st.floats(0.2, 3.0),  # a
    st.floats(-4.0, 4.0),  # b
    st.floats(0.0, 0.45),  # c
    st.sampled_from([0.0, 1.0, float("nan")]),  # wrong, right, not counted
    st.integers(0, 4),  # group
)
prior = st.tuples(st.floats(-7.0, 7.0), st.floats(0.005, 5.0))


@settings(max_examples=60, deadline=None)
@given(st.lists(answer, max_size=40), st.lists(prior, min_size=5, max_size=5))
def test_every_group_matches_posterior_update_many(answers, priors) -> None:
    a, b, c, x, group = (
        (np.array(column, dtype=float) for column in zip(*answers, strict=True))
        if answers
        else (np.zeros(0),) * 5
    )
    means = np.array([p[0] for p in priors])
    sds = np.array([p[1] for p in priors])
    batch = group_posteriors(a, b, c, x, group.astype(np.intp), means, sds)
    for k in range(5):
        chosen = group == k
        one = Posterior.normal(means[k], sds[k]).update_many(
            a[chosen], b[chosen], c[chosen], x[chosen]
        )
        assert np.isclose(batch.mean[k], one.mean, atol=1e-9)
        assert np.isclose(batch.sd[k], one.sd, atol=1e-9)
        for cut in (-1.0, 0.0, 0.37, 1.2, -6.5, 6.5):
            assert np.isclose(batch.cdf(cut)[k], one.cdf(cut), atol=1e-9)
        assert np.allclose(batch.masses[k], one.masses, atol=1e-12)
        assert batch.answered[k] == int((chosen & ~np.isnan(x)).sum())
        assert np.allclose(
            level_probabilities(batch.posterior(k), (-1.0, 0.0, 1.2)),
            level_probabilities(one, (-1.0, 0.0, 1.2)),
            atol=1e-9,
        )


def test_no_answers_leaves_the_prior() -> None:
    batch = group_posteriors(
        np.zeros(0),
        np.zeros(0),
        np.zeros(0),
        np.zeros(0),
        np.zeros(0, dtype=np.intp),
        np.array([0.5]),
        np.array([0.8]),
    )
    assert np.isclose(batch.mean[0], 0.5, atol=1e-6)
    assert np.isclose(batch.sd[0], 0.8, atol=1e-3)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.floats(0.0, 1.0), min_size=4, max_size=4).filter(lambda p: sum(p) > 0),
        min_size=1,
        max_size=20,
    )
)
def test_named_runs_for_many_rows_match_named_levels(rows) -> None:
    from engine.irt.levels import named_levels
    from engine.report.cohort import named_level_runs

    p = np.array(rows)
    p = p / p.sum(axis=1, keepdims=True)
    p[0] = [0.4, 0.4, 0.1, 0.1]  # a tie between runs of two: the lower one is named
    first, last, held = named_level_runs(p)
    for k in range(p.shape[0]):
        one = named_levels(p[k])
        assert (first[k], last[k]) == (one.first, one.last)
        assert held[k] == pytest.approx(one.probability)

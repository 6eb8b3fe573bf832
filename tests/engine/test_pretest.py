"""Pretest items: bounded rate, never first, never two in a row, never scored."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.irt import (
    AdaptiveTestPlan,
    FixedLength,
    ItemBank,
    PretestPolicy,
    StoppingConfig,
    counts_toward_estimates,
    information,
    record_response,
    start_test,
)


def _bank(n: int = 120, seed: int = 0) -> ItemBank:
    rng = np.random.default_rng(seed)
    return ItemBank.from_arrays(
        rng.uniform(0.8, 2.0, n),
        rng.uniform(-2.5, 2.5, n),
        areas=(["math"] * (n // 2)) + (["ml"] * (n - n // 2)),
    )


def _run(
    plan: AdaptiveTestPlan,
    bank: ItemBank,
    pretest: np.ndarray,
    rng: np.random.Generator,
    answer_counts: np.ndarray | None = None,
) -> tuple[list[int], object]:
    state = start_test(bank)
    order = []
    while (
        item := plan.next_item(state, rng, pretest=pretest, answer_counts=answer_counts)
    ) is not None:
        order.append(item)
        state = record_response(
            state,
            item,
            bool(rng.random() < 0.5),
            scored=counts_toward_estimates(item, pretest=pretest),
        )
    return order, state


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    probability=st.floats(0.05, 1.0),
    spacing=st.integers(2, 12),
    length=st.integers(1, 60),
)
def test_pretest_rate_rules_hold_for_any_quiz(
    seed: int, probability: float, spacing: int, length: int
) -> None:
    bank = _bank()
    rng = np.random.default_rng(seed)
    pretest = rng.random(bank.n_items) < 0.4
    plan = AdaptiveTestPlan(
        FixedLength(length), pretest=PretestPolicy(spacing=spacing, probability=probability)
    )
    order, state = _run(plan, bank, pretest, rng)
    flags = [bool(pretest[item]) for item in order]
    assert len(order) == length
    assert not flags[0]  # never the first question
    positions = [index for index, flag in enumerate(flags) if flag]
    # At most one in any `spacing` consecutive questions (so never two in a row).
    assert all(later - earlier >= spacing for earlier, later in itertools.pairwise(positions))
    assert len(positions) <= -(-length // spacing)
    # Pretest answers are recorded but never scored.
    assert list(state.scored) == [not flag for flag in flags]
    assert state.n_scored == length - len(positions)


def test_pretest_answers_leave_every_estimate_untouched() -> None:
    bank = _bank()
    pretest = np.zeros(bank.n_items, dtype=bool)
    pretest[::3] = True
    plan = AdaptiveTestPlan(FixedLength(40), pretest=PretestPolicy(probability=1.0))
    order, state = _run(plan, bank, pretest, np.random.default_rng(2))
    scored = [item for item in order if not pretest[item]]
    answers = [state.responses[order.index(item)] for item in scored]
    replay = start_test(bank)
    for item, answer in zip(scored, answers, strict=True):
        replay = record_response(replay, item, answer)
    for area in range(bank.n_areas):
        assert state.area_posteriors[area].mean == pytest.approx(
            replay.area_posteriors[area].mean, abs=1e-12
        )
    assert state.area_counts == replay.area_counts
    # With probability 1 the slots are at questions 2, 12, 22 and 32.
    assert [index + 1 for index, item in enumerate(order) if pretest[item]] == [2, 12, 22, 32]


def test_scored_items_never_come_from_the_pretest_pool() -> None:
    bank = _bank()
    pretest = np.zeros(bank.n_items, dtype=bool)
    pretest[np.argsort(-bank.a)[:30]] = True  # the most informative items are pretest
    plan = StoppingConfig(10, 10).plan(pretest=PretestPolicy(probability=0.3))
    order, state = _run(plan, bank, pretest, np.random.default_rng(4))
    for item, counted in zip(order, state.scored, strict=True):
        assert counted == (not pretest[item])


def test_the_pretest_item_is_informative_where_the_learner_stands() -> None:
    """Ban et al. (2001)-style seeding: a pretest item is given to learners in the
    ability range where its answer says most about it."""
    bank = ItemBank.from_arrays(np.ones(50), np.linspace(-3, 3, 50))
    pretest = np.ones(50, dtype=bool)
    policy = PretestPolicy(exposure=_greedy())
    strong = start_test(bank, priors={"all": (2.0, 0.3)})
    weak = start_test(bank, priors={"all": (-2.0, 0.3)})
    high = policy.choose(strong, pretest, np.random.default_rng(0))
    low = policy.choose(weak, pretest, np.random.default_rng(0))
    assert high is not None and low is not None
    assert bank.b[high] == pytest.approx(2.0, abs=0.1)
    assert bank.b[low] == pytest.approx(-2.0, abs=0.1)


def test_items_that_need_answers_go_first() -> None:
    bank = ItemBank.from_arrays(np.ones(3), [0.0, 0.3, 1.5])
    state = start_test(bank)
    policy = PretestPolicy(exposure=_greedy())
    everything = np.ones(3, dtype=bool)
    assert policy.choose(state, everything, np.random.default_rng(0)) == 0
    counts = np.array([30, 0, 0])  # item 0 has its answers: the next best that needs some
    assert policy.choose(state, everything, np.random.default_rng(0), answer_counts=counts) == 1
    info = information(0.0, bank.a, bank.b, bank.c)
    assert info[0] > info[1] > info[2]


def test_pretest_items_spread_their_answers_over_learners() -> None:
    bank = _bank(200, seed=5)
    pretest = np.zeros(bank.n_items, dtype=bool)
    pretest[:40] = True
    counts = np.zeros(bank.n_items, dtype=np.intp)
    rng = np.random.default_rng(6)
    plan = AdaptiveTestPlan(FixedLength(30))
    for _ in range(150):
        order, _state = _run(plan, bank, pretest, rng, answer_counts=counts)
        np.add.at(counts, np.array(order), 1)
    # About 2 pretest questions per quiz: 300 answers over 40 items, none left out.
    assert counts[:40].min() >= 2
    assert counts[:40].sum() <= 150 * 3


def test_no_pretest_seeded_without_candidates_or_with_seen_ones() -> None:
    bank = _bank()
    pretest = np.zeros(bank.n_items, dtype=bool)
    pretest[:5] = True
    seen = pretest.copy()
    plan = AdaptiveTestPlan(FixedLength(30), pretest=PretestPolicy(probability=1.0))
    rng = np.random.default_rng(8)
    state = start_test(bank)
    while (item := plan.next_item(state, rng, pretest=pretest, seen=seen)) is not None:
        assert not pretest[item]  # a repeat gives calibration nothing: none seeded
        state = record_response(state, item, True)


def test_policy_validates() -> None:
    for kwargs in ({"spacing": 1}, {"first_position": 1}, {"probability": 0.0},
                   {"answers_wanted": 0}):  # fmt: skip
        with pytest.raises(ValueError):
            PretestPolicy(**kwargs)  # type: ignore[arg-type]


def _greedy():  # type: ignore[no-untyped-def]
    from engine.irt import MaximumInformation

    return MaximumInformation()

"""Choosing the next practice question: due reviews first, then new ones near the target."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.irt.model import probability
from engine.practice.selection import (
    SECONDS_PER_DAY,
    PracticePool,
    item_times,
    next_practice_item,
    predicted_success,
)

NOW = 1_000_000_000.0
DAY_END = NOW + 6 * 3600


def _pool(
    n: int = 12,
    *,
    topics: int = 3,
    focus: tuple[int, ...] = (0, 1),
    due: dict[int, float] | None = None,
    seen: dict[int, float] | None = None,
    theta: float = 0.0,
) -> PracticePool:
    rng = np.random.default_rng(0)
    due_at = np.full(n, np.inf)
    for item, when in (due or {}).items():
        due_at[item] = when
    last_seen = np.full(n, -np.inf)
    for item, when in (seen or {}).items():
        last_seen[item] = when
    rank = np.full(topics, -1, dtype=np.intp)
    for position, topic in enumerate(focus):
        rank[topic] = position
    return PracticePool(
        a=rng.uniform(0.6, 2.0, n),
        b=np.linspace(-2.5, 2.5, n),
        c=np.where(np.arange(n) % 2 == 0, 0.25, 0.0),
        area=np.zeros(n, dtype=np.intp),
        topic=np.arange(n, dtype=np.intp) % topics,
        in_scope=np.ones(n, dtype=bool),
        focus_rank=rank,
        theta=np.array([theta]),
        has_card=np.isfinite(due_at),
        due_at=due_at,
        last_seen=last_seen,
    )


def _next(pool: PracticePool, asked: np.ndarray | None = None, seed: int = 0, **kw):
    return next_practice_item(
        pool,
        asked=np.zeros(pool.size, dtype=bool) if asked is None else asked,
        new_per_topic=kw.pop("new_per_topic", np.zeros(3, dtype=np.intp)),
        now=NOW,
        day_end=DAY_END,
        rng=np.random.default_rng(seed),
        **kw,
    )


def test_due_reviews_come_first_most_overdue_first() -> None:
    pool = _pool(due={5: NOW - 100, 2: NOW - 5000, 7: NOW + 3600, 9: DAY_END + 1})
    first = _next(pool)
    assert first is not None and (first.item, first.kind) == (2, "review")
    asked = np.zeros(pool.size, dtype=bool)
    asked[2] = True
    assert _next(pool, asked).item == 5
    asked[5] = True
    assert _next(pool, asked).item == 7  # later today: due today
    asked[7] = True
    after = _next(pool, asked)
    assert after.kind == "new" and after.item != 9  # due tomorrow: not before


def test_reviews_are_not_limited_to_the_target_topics() -> None:
    pool = _pool(due={2: NOW - 10}, focus=(0,))  # item 2 is in topic 2, not a target
    assert _next(pool).item == 2


def test_new_questions_skip_cards_recent_items_and_other_topics() -> None:
    pool = _pool(n=12, focus=(0,), due={0: NOW + 30 * SECONDS_PER_DAY}, seen={3: NOW - 3600})
    chosen = set()
    asked = np.zeros(pool.size, dtype=bool)
    while (choice := _next(pool, asked)) is not None:
        chosen.add(choice.item)
        asked[choice.item] = True
    assert chosen == {6, 9}  # topic 0 is items 0, 3, 6, 9: 0 has a card, 3 was just seen


def test_an_item_seen_long_enough_ago_is_new_again() -> None:
    pool = _pool(focus=(0,), seen={item: NOW - 8 * SECONDS_PER_DAY for item in range(12)})
    assert _next(pool, recent_days=7) is not None
    assert _next(pool, recent_days=9) is None


def test_new_questions_rotate_over_the_target_topics_weakest_first() -> None:
    pool = _pool(n=30, focus=(2, 0))
    asked = np.zeros(pool.size, dtype=bool)
    per_topic = np.zeros(3, dtype=np.intp)
    order = []
    for _ in range(6):
        choice = _next(pool, asked, new_per_topic=per_topic)
        assert choice is not None
        topic = int(pool.topic[choice.item])
        order.append(topic)
        asked[choice.item] = True
        per_topic[topic] += 1
    assert order == [2, 0, 2, 0, 2, 0]


def test_the_chosen_item_is_among_the_nearest_to_the_target() -> None:
    pool = _pool(n=60, topics=1, focus=(0,), theta=0.4)
    success = predicted_success(pool)
    gaps = np.sort(np.abs(success - 0.7))
    for seed in range(20):
        choice = _next(pool, seed=seed, new_per_topic=np.zeros(1, dtype=np.intp))
        assert choice is not None
        assert abs(choice.predicted - 0.7) <= gaps[2] + 1e-12
        expected = probability(0.4, pool.a[choice.item], pool.b[choice.item], pool.c[choice.item])
        assert choice.predicted == pytest.approx(float(expected))


def test_a_lower_target_picks_harder_items() -> None:
    pool = _pool(n=60, topics=1, focus=(0,))
    kw = {"new_per_topic": np.zeros(1, dtype=np.intp)}
    easy = _next(pool, target=0.9, **kw)
    hard = _next(pool, target=0.4, **kw)
    assert easy is not None and hard is not None
    assert pool.b[hard.item] > pool.b[easy.item]


def test_nothing_due_and_nothing_new_ends_the_session() -> None:
    pool = _pool(focus=())
    assert _next(pool) is None


def test_item_times_places_known_ids_and_ignores_others() -> None:
    values = item_times({"a": 0, "b": 2}, 3, {"b": 5.0, "zz": 9.0}, np.inf)
    assert values.tolist() == [np.inf, np.inf, 5.0]


@settings(max_examples=60)
@given(
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=0, max_value=2**31 - 1),
    st.floats(min_value=-3, max_value=3),
    st.floats(min_value=0.3, max_value=0.95),
)
def test_every_choice_obeys_the_rules(n: int, seed: int, theta: float, target: float) -> None:
    """Reviews only when due today; new ones only in targets, without a card, not seen lately."""
    rng = np.random.default_rng(seed)
    due = {
        i: NOW + float(rng.uniform(-3, 3)) * SECONDS_PER_DAY for i in range(n) if rng.random() < 0.3
    }
    seen = {
        i: NOW - float(rng.uniform(0, 14)) * SECONDS_PER_DAY for i in range(n) if rng.random() < 0.3
    }
    pool = _pool(n, due=due, seen=seen, theta=theta, focus=(int(rng.integers(3)),))
    asked = rng.random(n) < 0.2
    choice = _next(pool, asked, seed=seed, target=target)
    if choice is None:
        return
    assert not asked[choice.item]
    if choice.kind == "review":
        assert pool.due_at[choice.item] < DAY_END
    else:
        assert not pool.has_card[choice.item]
        assert pool.focus_rank[pool.topic[choice.item]] >= 0
        assert pool.last_seen[choice.item] < NOW - 7 * SECONDS_PER_DAY
        assert not (pool.has_card & (pool.due_at < DAY_END) & ~asked).any()
        assert 0.0 <= choice.predicted <= 1.0

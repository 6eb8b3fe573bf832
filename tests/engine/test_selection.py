"""Item selection: no repeats, masks, freshness, exposure control, content balance, cut."""

from __future__ import annotations

import numpy as np
import pytest

from engine.irt import (
    ItemBank,
    MaximumInformation,
    MaxInfoSelector,
    Randomesque,
    RandomSelector,
    SympsonHetter,
    choose_area,
    choose_topic,
    information,
    record_response,
    start_test,
)

GREEDY = MaxInfoSelector(exposure=MaximumInformation())


def test_selection_never_repeats_and_exhausts_the_bank(two_area_bank: ItemBank) -> None:
    rng = np.random.default_rng(1)
    state = start_test(two_area_bank)
    seen = []
    while (item := MaxInfoSelector().select(state, rng)) is not None:
        seen.append(item)
        state = record_response(state, item, bool(rng.random() < 0.5))
    assert sorted(seen) == list(range(two_area_bank.n_items))


def test_greedy_picks_the_most_informative_item(flat_bank: ItemBank) -> None:
    state = start_test(flat_bank)
    item = GREEDY.select(state, np.random.default_rng(0))
    assert item == int(np.argmax(information(0.0, flat_bank.a, flat_bank.b, flat_bank.c)))


def test_eligible_mask_is_respected(flat_bank: ItemBank) -> None:
    rng = np.random.default_rng(2)
    eligible = np.zeros(flat_bank.n_items, dtype=bool)
    eligible[[10, 20, 30]] = True
    state = start_test(flat_bank)
    chosen = set()
    for _ in range(3):
        item = MaxInfoSelector().select(state, rng, eligible=eligible)
        assert item is not None and eligible[item]
        chosen.add(item)
        state = record_response(state, item, True)
    assert chosen == {10, 20, 30}
    assert MaxInfoSelector().select(state, rng, eligible=eligible) is None


def test_recently_seen_items_are_avoided_until_nothing_else_remains(flat_bank: ItemBank) -> None:
    rng = np.random.default_rng(3)
    recent = np.ones(flat_bank.n_items, dtype=bool)
    recent[[7, 8]] = False
    state = start_test(flat_bank)
    first = GREEDY.select(state, rng, recently_seen=recent)
    state = record_response(state, first, True)
    second = GREEDY.select(state, rng, recently_seen=recent)
    assert {first, second} == {7, 8}
    state = record_response(state, second, False)
    # Only recently seen items remain: the mask is ignored rather than stopping.
    third = GREEDY.select(state, rng, recently_seen=recent)
    assert third is not None and recent[third]


def test_randomesque_draws_among_the_top_k(flat_bank: ItemBank) -> None:
    rng = np.random.default_rng(4)
    info = information(0.0, flat_bank.a, flat_bank.b, flat_bank.c)
    top4 = set(np.argsort(-info)[:4].tolist())
    state = start_test(flat_bank)
    picks = {MaxInfoSelector(exposure=Randomesque(4)).select(state, rng) for _ in range(200)}
    assert picks == top4


def test_sympson_hetter_holds_back_items_with_low_parameters(flat_bank: ItemBank) -> None:
    rng = np.random.default_rng(5)
    info = information(0.0, flat_bank.a, flat_bank.b, flat_bank.c)
    best, runner_up = np.argsort(-info)[:2]
    k = np.ones(flat_bank.n_items)
    k[best] = 0.0
    selector = MaxInfoSelector(exposure=SympsonHetter(k))
    state = start_test(flat_bank)
    assert {selector.select(state, rng) for _ in range(50)} == {int(runner_up)}
    k[best] = 0.5
    picks = [MaxInfoSelector(exposure=SympsonHetter(k)).select(state, rng) for _ in range(400)]
    assert 0.4 < np.mean(np.array(picks) == best) < 0.6
    # Everything held back: the best item is still given.
    nothing = MaxInfoSelector(exposure=SympsonHetter(np.zeros(flat_bank.n_items)))
    assert nothing.select(state, rng) == best


def test_area_balancing_follows_targets(two_area_bank: ItemBank) -> None:
    rng = np.random.default_rng(6)
    state = start_test(two_area_bank)
    for _ in range(20):
        item = MaxInfoSelector().select(state, rng, area_targets={"math": 0.75, "ml": 0.25})
        state = record_response(state, item, bool(rng.random() < 0.5))
    assert state.area_counts == (15, 5)


def test_closed_areas_are_not_selected(two_area_bank: ItemBank) -> None:
    rng = np.random.default_rng(7)
    state = start_test(two_area_bank)
    for _ in range(10):
        item = MaxInfoSelector().select(state, rng, open_areas=np.array([False, True]))
        assert two_area_bank.area[item] == 1
        state = record_response(state, item, True)


def test_topic_balancing_covers_every_topic_first(two_area_bank: ItemBank) -> None:
    rng = np.random.default_rng(8)
    state = start_test(two_area_bank, areas=["math"])
    for _ in range(6):
        item = MaxInfoSelector().select(state, rng)
        assert two_area_bank.area[item] == 0
        state = record_response(state, item, True)
    assert state.topic_counts[:3] == (2, 2, 2)


def test_information_is_aimed_at_the_cut_while_classifying(flat_bank: ItemBank) -> None:
    rng = np.random.default_rng(9)
    state = start_test(flat_bank)
    item = GREEDY.select(state, rng, cut_scores=1.5)
    assert item == int(np.argmax(information(1.5, flat_bank.a, flat_bank.b, flat_bank.c)))
    by_label = GREEDY.select(state, rng, cut_scores={"all": 1.5})
    assert by_label == item
    no_cut = GREEDY.select(state, rng, cut_scores={"all": float("nan")})
    assert no_cut == GREEDY.select(state, rng)


def test_dense_and_sparse_paths_agree(flat_bank: ItemBank) -> None:
    rng = np.random.default_rng(10)
    state = start_test(flat_bank)
    eligible = np.zeros(flat_bank.n_items, dtype=bool)
    eligible[::10] = True  # sparse path
    sparse = GREEDY.select(state, rng, eligible=eligible)
    info = information(0.0, flat_bank.a, flat_bank.b, flat_bank.c)
    assert sparse == int(np.flatnonzero(eligible)[np.argmax(info[eligible])])


def test_random_selector_respects_constraints(two_area_bank: ItemBank) -> None:
    rng = np.random.default_rng(12)
    state = start_test(two_area_bank, areas=["ml"])
    items = set()
    for _ in range(30):
        item = RandomSelector().select(state, rng)
        assert two_area_bank.area[item] == 1
        items.add(item)
        state = record_response(state, item, True)
    assert len(items) == 30
    assert RandomSelector().select(state, rng) is None


def test_choose_area_kingsbury_zara() -> None:
    rng = np.random.default_rng(0)
    available = np.array([True, True, True])
    assert choose_area([0, 0, 0], available, rng, targets=[0.2, 0.5, 0.3]) == 1
    # shares 4/10, 4/10, 2/10 against 0.2, 0.5, 0.3: area 2 is 0.1 below, area 1 0.1 below
    # and area 0 0.2 above; the tie goes to the area with fewer items
    assert choose_area([4, 4, 2], available, rng, targets=[0.2, 0.5, 0.3]) == 2
    assert choose_area([0, 9, 9], np.array([False, True, True]), rng) in (1, 2)
    assert choose_area([5, 0, 0], np.array([True, False, False]), rng, targets=[0, 1, 1]) == 0


def test_choose_topic_prefers_the_fewest() -> None:
    rng = np.random.default_rng(0)
    assert choose_topic([3, 1, 2], np.array([True, True, True]), rng) == 1
    assert choose_topic([3, 1, 2], np.array([True, False, True]), rng) == 2
    picks = {choose_topic([0, 0, 5], np.array([True, True, True]), rng) for _ in range(50)}
    assert picks == {0, 1}


def test_exposure_controls_validate() -> None:
    with pytest.raises(ValueError):
        Randomesque(0)


def test_formats_follow_their_share_of_the_bank_not_their_information() -> None:
    """Typed answers (c = 0) are more informative than guessable single-choice items
    (c = 1/4); without format balancing a quiz would never show the latter. With the
    default tolerance of 0.5 each format keeps at least half its share (here 10 of 40)."""
    from engine.irt import ItemBank, MaxInfoSelector, record_response, start_test

    n = 200
    formats = ["numeric"] * (n // 2) + ["single"] * (n // 2)
    bank = ItemBank.from_arrays(
        np.ones(n),
        np.tile(np.linspace(-2, 2, n // 2), 2),
        [0.0] * (n // 2) + [0.25] * (n // 2),
        formats=formats,
    )
    rng = np.random.default_rng(3)
    for balance, expected_single in ((True, (9, 22)), (False, (0, 2))):
        state = start_test(bank)
        selector = MaxInfoSelector(balance_formats=balance)
        for _ in range(40):
            item = selector.select(state, rng)
            assert item is not None
            state = record_response(state, item, bool(rng.random() < 0.5))
        singles = sum(formats[i] == "single" for i in state.administered)
        assert expected_single[0] <= singles <= expected_single[1], (balance, singles)

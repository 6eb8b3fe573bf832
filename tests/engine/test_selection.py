"""Item selection: hard constraints, seen items, aiming, the priority index, exposure control."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.irt import (
    NO_BALANCE,
    ContentBalance,
    ItemBank,
    MaximumInformation,
    MaxInfoSelector,
    Progressive,
    ProgressiveSelector,
    Randomesque,
    RandomSelector,
    SympsonHetter,
    estimate_ml,
    information,
    level_cut_matrix,
    record_response,
    selection_points,
    start_test,
)
from engine.irt.content import DEFAULT_ITEMS_PER_AREA, priority_weights, quota_factors
from engine.irt.selection import aim_estimates, available_items

GREEDY = MaxInfoSelector(content=NO_BALANCE, exposure=MaximumInformation())


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


def test_seen_items_are_never_repeated_while_the_area_has_unseen_ones(
    two_area_bank: ItemBank,
) -> None:
    rng = np.random.default_rng(3)
    math_items = np.flatnonzero(two_area_bank.area == 0)
    seen = np.zeros(two_area_bank.n_items, dtype=bool)
    seen[math_items] = True  # every math item seen before ...
    seen[math_items[:2]] = False  # ... except two
    seen[np.flatnonzero(two_area_bank.area == 1)[:5]] = True
    state = start_test(two_area_bank)
    math_picks = []
    for _ in range(20):
        item = MaxInfoSelector().select(state, rng, seen=seen)
        assert item is not None
        if two_area_bank.area[item] == 0:
            math_picks.append(item)
        else:
            # ml still has unseen items: a seen one is never chosen there.
            assert not seen[item]
        state = record_response(state, item, bool(rng.random() < 0.5))
    # The two unseen math items come first; then math may repeat seen items
    # (its unseen items are exhausted) instead of starving the area.
    assert set(math_picks[:2]) == set(math_items[:2].tolist())
    assert len(math_picks) > 2


def test_repeats_whose_key_was_shown_come_last(flat_bank: ItemBank) -> None:
    seen = np.ones(flat_bank.n_items, dtype=bool)
    key_shown = np.ones(flat_bank.n_items, dtype=bool)
    key_shown[[5, 6]] = False
    mask = available_items(start_test(flat_bank), seen=seen, key_shown=key_shown)
    assert np.flatnonzero(mask).tolist() == [5, 6]
    seen[9] = False  # one unseen item beats every repeat
    mask = available_items(start_test(flat_bank), seen=seen, key_shown=key_shown)
    assert np.flatnonzero(mask).tolist() == [9]


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
    assert 13 <= state.area_counts[0] <= 17


def test_areas_interleave(two_area_bank: ItemBank) -> None:
    rng = np.random.default_rng(16)
    state = start_test(two_area_bank)
    for _ in range(12):
        state = record_response(state, MaxInfoSelector().select(state, rng), True)
        assert abs(state.area_counts[0] - state.area_counts[1]) <= 2


def test_closed_areas_are_not_selected(two_area_bank: ItemBank) -> None:
    rng = np.random.default_rng(7)
    state = start_test(two_area_bank)
    for _ in range(10):
        item = MaxInfoSelector().select(state, rng, open_areas=np.array([False, True]))
        assert two_area_bank.area[item] == 1
        state = record_response(state, item, True)


def test_quota_factor_is_cheng_and_changs() -> None:
    # f = (u - x) / u (Cheng & Chang, 2009, eq. 2), 0 at or above the quota.
    factors = quota_factors(np.array([0.0, 1.0, 2.0, 3.0, 4.0]), np.full(5, 3.0), 1.0)
    np.testing.assert_allclose(factors, [1.0, 2 / 3, 1 / 3, 0.0, 0.0])
    np.testing.assert_allclose(
        quota_factors(np.array([1.0]), np.array([2.0]), 2.0), [0.25]
    )  # the weight is an exponent
    np.testing.assert_allclose(quota_factors(np.array([5.0]), np.array([0.0]), 0.0), [1.0])
    np.testing.assert_allclose(quota_factors(np.array([0.0]), np.array([0.0]), 1.0), [0.0])


def test_topic_quotas_are_never_exceeded(two_area_bank: ItemBank) -> None:
    rng = np.random.default_rng(8)
    state = start_test(two_area_bank, areas=["math"])
    balance = ContentBalance()
    for _ in range(15):
        item = MaxInfoSelector().select(state, rng)
        assert item is not None and two_area_bank.area[item] == 0
        state = record_response(state, item, bool(rng.random() < 0.5))
        length = max(DEFAULT_ITEMS_PER_AREA, state.area_counts[0])
        quota = (1 + balance.tolerance) * two_area_bank.topic_share[:3] * length
        assert np.all(np.array(state.topic_counts[:3]) <= np.ceil(quota))
    # Every topic was used: no topic is left out of a 15-item area.
    assert min(state.topic_counts[:3]) >= 3


def test_a_much_more_informative_item_beats_a_topic_that_is_behind() -> None:
    """The point of the priority index: unlike a strict topic rotation, information
    still counts. Topic A has excellent items, topic B only poor ones."""
    n = 20
    bank = ItemBank.from_arrays(
        [2.5] * n + [0.4] * n,
        [0.0] * (2 * n),
        topics=["A"] * n + ["B"] * n,
    )
    state = record_response(start_test(bank), 0, True)  # topic A is ahead by one
    item = MaxInfoSelector(exposure=MaximumInformation()).select(state, np.random.default_rng(0))
    assert item is not None and bank.topic[item] == 0
    # A strict rotation (topic weight so high that any deficit wins) takes B.
    strict = MaxInfoSelector(
        content=ContentBalance(topic_weight=50.0), exposure=MaximumInformation()
    )
    item = strict.select(state, np.random.default_rng(0))
    assert item is not None and bank.topic[item] == 1


def test_formats_keep_their_share_against_information() -> None:
    """Typed answers (c = 0) out-inform guessable single-choice items (c = 1/4);
    format quotas keep the single-choice items in the quiz."""
    n = 200
    formats = ["numeric"] * (n // 2) + ["single"] * (n // 2)
    bank = ItemBank.from_arrays(
        np.ones(n),
        np.tile(np.linspace(-2, 2, n // 2), 2),
        [0.0] * (n // 2) + [0.25] * (n // 2),
        formats=formats,
    )
    rng = np.random.default_rng(3)
    for content, expected_single in ((ContentBalance(), (12, 28)), (NO_BALANCE, (0, 2))):
        state = start_test(bank)
        selector = MaxInfoSelector(content=content)
        for _ in range(40):
            item = selector.select(state, rng)
            assert item is not None
            state = record_response(state, item, bool(rng.random() < 0.5))
        singles = sum(formats[i] == "single" for i in state.administered)
        assert expected_single[0] <= singles <= expected_single[1], (content, singles)


def test_priority_weights_are_skipped_for_a_single_category_bank(flat_bank: ItemBank) -> None:
    assert priority_weights(start_test(flat_bank), ContentBalance()) is None


def test_information_is_aimed_at_the_given_points(flat_bank: ItemBank) -> None:
    rng = np.random.default_rng(9)
    state = start_test(flat_bank)
    item = GREEDY.select(state, rng, points=np.array([1.5]))
    assert item == int(np.argmax(information(1.5, flat_bank.a, flat_bank.b, flat_bank.c)))


def test_level_cut_matrix_pads_and_maps_labels(two_area_bank: ItemBank) -> None:
    matrix = level_cut_matrix(two_area_bank, {"ml": (-1.0, 0.0, 1.2), "math": 0.5})
    np.testing.assert_array_equal(matrix[1], [-1.0, 0.0, 1.2])
    assert matrix[0, 0] == 0.5 and np.isnan(matrix[0, 1:]).all()
    np.testing.assert_array_equal(level_cut_matrix(two_area_bank, 0.3), [[0.3], [0.3]])
    assert level_cut_matrix(two_area_bank, None).shape == (2, 0)
    with pytest.raises(ValueError, match="physics"):
        level_cut_matrix(two_area_bank, {"physics": 0.0})


def _state_with_posterior(bank: ItemBank, answers: list[bool]) -> object:
    state = start_test(bank)
    for item, correct in enumerate(answers):
        state = record_response(state, item, correct)
    return state


def test_items_aim_at_the_nearest_cut_only_while_it_is_within_one_sd() -> None:
    """Eggen & Straetmans (2000): aim at a cut while the classification is in doubt."""
    bank = ItemBank.from_arrays(np.ones(40), np.zeros(40))
    cuts = (-1.0, 0.0, 1.2)
    fresh = start_test(bank)  # estimate 0, SD 1: the job-ready cut
    assert selection_points(fresh, cuts)[0] == 0.0
    strong = _state_with_posterior(bank, [True] * 12)
    aim = aim_estimates(strong)[0]
    sd = strong.area_posteriors[0].sd
    assert abs(aim - 1.2) > sd  # far from every cut: aim at the estimate
    assert selection_points(strong, cuts)[0] == pytest.approx(aim)
    # A wider window (or inf, aiming at the cut for the whole quiz) takes the cut.
    assert selection_points(strong, cuts, width=math.inf)[0] == 1.2
    assert selection_points(strong, cuts, width=0.0)[0] == pytest.approx(aim)
    assert selection_points(strong, None)[0] == pytest.approx(aim)


def test_the_decision_cut_comes_first_within_the_window() -> None:
    bank = ItemBank.from_arrays(np.ones(40), np.zeros(40))
    state = _state_with_posterior(bank, [True, False, True])
    aim, sd = aim_estimates(state)[0], state.area_posteriors[0].sd
    cuts = (0.0, aim + 0.1 * sd)  # both within one SD; the second is nearer
    assert abs(aim) <= sd
    assert selection_points(state, cuts)[0] == pytest.approx(aim + 0.1 * sd)
    assert selection_points(state, cuts, decision_cuts=0.0)[0] == 0.0
    # Outside the window the decision cut gives way to the other cuts.
    assert selection_points(state, cuts, width=abs(aim) / sd / 2, decision_cuts=0.0)[
        0
    ] == pytest.approx(aim + 0.1 * sd)


def test_max_information_is_lords_closed_form() -> None:
    """Lord (1980): the 3PL maximum is a^2 / (8 (1 - c)^2) (1 - 20c - 8c^2 + (1 + 8c)^1.5)."""
    a, c = np.array([1.0, 1.7, 0.6]), np.array([0.0, 0.25, 0.5])
    bank = ItemBank.from_arrays(a, [0.0, 1.0, -2.0], c)
    expected = a**2 / (8 * (1 - c) ** 2) * (1 - 20 * c - 8 * c**2 + (1 + 8 * c) ** 1.5)
    np.testing.assert_allclose(bank.max_information, expected, rtol=1e-12)
    assert bank.max_information[0] == pytest.approx(0.25)


def test_aim_estimate_is_the_eap_or_the_likelihood_centre() -> None:
    rng = np.random.default_rng(12)
    bank = ItemBank.from_arrays(rng.uniform(0.8, 1.6, 80), rng.uniform(-2.5, 2.5, 80))
    state = start_test(bank)
    assert aim_estimates(state)[0] == pytest.approx(0.0, abs=1e-9)  # the prior mean
    answers = rng.random(80) < 1 / (1 + np.exp(-bank.a * (1.0 - bank.b)))
    for item, correct in enumerate(answers):
        state = record_response(state, item, bool(correct))
    posterior = state.area_posteriors[0]
    assert aim_estimates(state, prior_weight=1.0)[0] == posterior.mean
    # Without the prior, the normal approximation gives the maximum-likelihood
    # estimate (80 items: the likelihood is close to normal).
    ml = estimate_ml(bank.a, bank.b, bank.c, answers.astype(float)).theta
    assert aim_estimates(state, prior_weight=0.0)[0] == pytest.approx(ml, abs=0.03)
    # Part of the prior: between the two, nearer the ML the less prior is kept.
    partial = aim_estimates(state, prior_weight=0.25)[0]
    assert min(posterior.mean, ml) <= partial <= max(posterior.mean, ml)


def test_aim_estimates_follow_a_carried_over_prior(two_area_bank: ItemBank) -> None:
    state = start_test(two_area_bank, priors={"ml": (0.8, 0.6)})
    np.testing.assert_allclose(aim_estimates(state), [0.0, 0.8], atol=1e-6)


def test_dense_and_sparse_paths_agree(flat_bank: ItemBank) -> None:
    rng = np.random.default_rng(10)
    state = start_test(flat_bank)
    eligible = np.zeros(flat_bank.n_items, dtype=bool)
    eligible[::10] = True  # sparse path
    sparse = GREEDY.select(state, rng, eligible=eligible)
    info = information(0.0, flat_bank.a, flat_bank.b, flat_bank.c)
    assert sparse == int(np.flatnonzero(eligible)[np.argmax(info[eligible])])


def test_dense_and_sparse_paths_agree_with_content_weights(two_area_bank: ItemBank) -> None:
    state = start_test(two_area_bank)
    rng = np.random.default_rng(0)
    for _ in range(5):
        state = record_response(state, GREEDY.select(state, rng), True)
    selector = MaxInfoSelector(exposure=MaximumInformation())
    dense = selector.select(state, rng)
    eligible = np.zeros(two_area_bank.n_items, dtype=bool)
    eligible[[dense, (dense + 7) % two_area_bank.n_items]] = True
    assert selector.select(state, rng, eligible=eligible) in eligible.nonzero()[0]
    weights = priority_weights(state, ContentBalance())
    points = state.area_means()[two_area_bank.area]
    priority = information(points, two_area_bank.a, two_area_bank.b, two_area_bank.c) * weights
    priority[list(state.administered)] = -np.inf
    assert dense == int(np.argmax(priority))


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


def test_content_balance_validates() -> None:
    with pytest.raises(ValueError):
        ContentBalance(topic_weight=-1.0)
    with pytest.raises(ValueError):
        ContentBalance(tolerance=math.nan)
    with pytest.raises(ValueError):
        Randomesque(0)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    answered=st.integers(0, 25),
    weights=st.tuples(*(st.floats(0.0, 5.0) for _ in range(3))),
)
def test_selection_always_returns_an_available_item(
    seed: int, answered: int, weights: tuple[float, float, float]
) -> None:
    rng = np.random.default_rng(seed)
    n = 30
    bank = ItemBank.from_arrays(
        rng.uniform(0.3, 2.5, n),
        rng.normal(0, 2, n),
        rng.uniform(0, 0.4, n),
        areas=rng.choice(["a", "b"], n).tolist(),
        topics=rng.choice(["t1", "t2", "t3"], n).tolist(),
        formats=rng.choice(["single", "numeric"], n).tolist(),
    )
    content = ContentBalance(*weights)
    seen = rng.random(n) < 0.5
    eligible = rng.random(n) < 0.9
    state = start_test(bank)
    for _ in range(answered):
        item = MaxInfoSelector(content=content).select(state, rng, seen=seen, eligible=eligible)
        if item is None:
            assert not available_items(state, eligible=eligible).any()
            return
        assert eligible[item] and not state.administered_mask[item]
        area_has_unseen = np.any(
            eligible & ~seen & ~state.administered_mask & (bank.area == bank.area[item])
        )
        assert not (seen[item] and area_has_unseen)
        state = record_response(state, item, bool(rng.random() < 0.5))
        weights_now = priority_weights(state, content)
        assert weights_now is None or np.all((weights_now >= 0) & (weights_now <= 1))


def test_progressive_choice_goes_from_random_to_most_informative() -> None:
    """Revuelta & Ponsoda (1998): weight (1 - s) R + s I, R ~ U(0, max I)."""
    info = np.array([1.0, 0.5, 0.25, -np.inf])
    items = np.arange(4)
    rng = np.random.default_rng(0)
    assert {Progressive(1.0).choose(info.copy(), items, rng) for _ in range(50)} == {0}
    picks = np.array([Progressive(0.0).choose(info.copy(), items, rng) for _ in range(3000)])
    assert 3 not in picks  # never an excluded entry
    np.testing.assert_allclose(np.bincount(picks, minlength=4)[:3] / 3000, 1 / 3, atol=0.04)
    halfway = np.array([Progressive(0.5).choose(info.copy(), items, rng) for _ in range(2000)])
    assert np.mean(halfway == 0) > 0.6


def test_progressive_selector_spreads_early_items_and_ends_informative(flat_bank: ItemBank) -> None:
    rng = np.random.default_rng(17)
    state = start_test(flat_bank)
    first = {ProgressiveSelector(items_per_area=10).select(state, rng) for _ in range(40)}
    assert len(first) > 10  # nearly random at the start
    for item in range(10):
        state = record_response(state, item, True)
    points = np.array([0.5])
    # The planned items are given (s = 1): from now on, the most informative.
    last = {ProgressiveSelector(items_per_area=10).select(state, rng, points=points)
            for _ in range(20)}  # fmt: skip
    greedy = MaxInfoSelector(exposure=MaximumInformation()).select(state, rng, points=points)
    assert last == {greedy}


def test_a_preset_plan_knows_every_level_cut_and_its_length(two_area_bank: ItemBank) -> None:
    from engine.irt import QUIZ_PRESETS

    levels = {"math": (-1.0, 0.0, 1.2), "ml": (-1.0, 0.5, 1.5)}
    plan = QUIZ_PRESETS["standard"].plan(cut_scores={"math": 0.0, "ml": 0.5}, level_cuts=levels)
    assert plan.level_cuts == levels
    assert plan.items_per_area == QUIZ_PRESETS["standard"].max_items_per_area
    # Without level cuts the job-ready cuts are the only ones aimed at.
    assert QUIZ_PRESETS["quick"].plan(cut_scores=0.3).level_cuts == 0.3
    # A fresh quiz aims at each area's job-ready cut (the decision cut).
    np.testing.assert_allclose(plan.aim_points(start_test(two_area_bank)), [0.0, 0.5])

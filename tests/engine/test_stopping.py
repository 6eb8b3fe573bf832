"""Stopping rules, their combinations, the presets and the plan's quiz loop."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from engine.irt import (
    QUIZ_PRESETS,
    AdaptiveTestPlan,
    AllOf,
    AnyOf,
    FixedLength,
    ItemBank,
    MaxItems,
    MinItems,
    ReadinessClassification,
    StandardErrorTarget,
    StoppingConfig,
    record_response,
    start_test,
)


def _answer_all(bank: ItemBank, plan: AdaptiveTestPlan, correct: bool, seed: int = 0):
    rng = np.random.default_rng(seed)
    state = start_test(bank)
    while (item := plan.next_item(state, rng)) is not None:
        state = record_response(state, item, correct)
    return state


def test_fixed_length(flat_bank: ItemBank) -> None:
    state = _answer_all(flat_bank, AdaptiveTestPlan(FixedLength(12)), True)
    assert state.n_administered == 12


def test_per_area_length(two_area_bank: ItemBank) -> None:
    state = _answer_all(two_area_bank, AdaptiveTestPlan(FixedLength(7, per_area=True)), False)
    assert state.area_counts == (7, 7)


def test_standard_error_target(flat_bank: ItemBank) -> None:
    rule = AnyOf(StandardErrorTarget(0.35), MaxItems(100))
    rng = np.random.default_rng(1)
    state = start_test(flat_bank)
    plan = AdaptiveTestPlan(rule)
    while (item := plan.next_item(state, rng)) is not None:
        assert state.area_posteriors[0].sd > 0.35
        state = record_response(state, item, bool(rng.random() < 0.5))
    assert state.area_posteriors[0].sd <= 0.35
    assert rule.should_stop(state)


def test_readiness_classification_thresholds(flat_bank: ItemBank) -> None:
    rule = ReadinessClassification(0.0, upper=0.9, lower=0.1)
    state = start_test(flat_bank)
    assert rule.decision(state, 0) is None  # prior: P = 0.5
    high = state
    for item in np.argsort(flat_bank.b)[:40]:
        if rule.area_finished(high, 0):
            break
        high = record_response(high, int(item), True)
    assert rule.decision(high, 0) is True
    assert high.area_posteriors[0].probability_at_or_above(0.0) >= 0.9
    low = _answer_all(flat_bank, AdaptiveTestPlan(AnyOf(rule, MaxItems(50))), False)
    assert rule.decision(low, 0) is False
    assert low.n_administered < 50


def test_classification_interval_condition(flat_bank: ItemBank) -> None:
    # Probability thresholds that are never met: only the interval can settle.
    rule = ReadinessClassification(0.0, upper=1.0, lower=0.0, credible_level=0.5)
    state = start_test(flat_bank)
    for item in np.argsort(flat_bank.b)[:8]:
        state = record_response(state, int(item), True)
    low, _ = state.area_posteriors[0].credible_interval(0.5)
    assert (rule.decision(state, 0) is True) == (low >= 0.0)


def test_classification_without_cut_never_settles(two_area_bank: ItemBank) -> None:
    rule = ReadinessClassification({"math": 0.0})
    state = start_test(two_area_bank)
    assert np.isnan(rule.cut_for(state, 1))
    assert rule.decision(state, 1) is None


def test_min_and_max_and_combinations(two_area_bank: ItemBank) -> None:
    state = start_test(two_area_bank)
    for item in np.flatnonzero(two_area_bank.area == 0)[:5]:
        state = record_response(state, int(item), True)
    assert MinItems(5, per_area=True).area_finished(state, 0)
    assert not MinItems(5, per_area=True).area_finished(state, 1)
    assert MaxItems(5).should_stop(state)
    assert not MaxItems(5, per_area=True).should_stop(state)  # area 1 has none yet
    assert AnyOf(MaxItems(5, per_area=True), MinItems(0)).should_stop(state)
    assert not AllOf(MaxItems(5, per_area=True), MinItems(0)).should_stop(state)
    assert not AnyOf().should_stop(state)
    assert AllOf().should_stop(state)
    open_areas = AnyOf(MaxItems(5, per_area=True)).open_areas(state)
    assert list(open_areas) == [False, True]


def test_min_items_delays_a_settled_classification(flat_bank: ItemBank) -> None:
    config = StoppingConfig(min_items_per_area=10, max_items_per_area=30, classify=True)
    state = _answer_all(flat_bank, config.plan(cut_scores=-3.0), True)
    assert state.n_administered == 10  # settled long before, but the minimum holds


def test_classifying_plan_aims_items_at_the_cut_while_it_is_in_doubt(flat_bank: ItemBank) -> None:
    config = StoppingConfig(min_items_per_area=5, max_items_per_area=5, classify=True)
    # Aiming at the cut all quiz long (Spray & Reckase): items stay near the cut.
    plan = replace(config.plan(cut_scores=2.0), aim_width=math.inf)
    state = _answer_all(flat_bank, plan, False)
    assert np.mean(flat_bank.b[list(state.administered)]) > 0.5
    # By default (Eggen & Straetmans) the items follow the learner down once the
    # estimate is more than one SD below the cut.
    state = _answer_all(flat_bank, config.plan(cut_scores=2.0), False)
    assert np.mean(flat_bank.b[list(state.administered)]) < 0.0


def test_presets_are_valid_and_ordered(two_area_bank: ItemBank) -> None:
    assert set(QUIZ_PRESETS) == {"quick", "standard", "thorough"}
    lengths = [QUIZ_PRESETS[name].max_items_per_area for name in ("quick", "standard", "thorough")]
    assert lengths == sorted(lengths)
    for config in QUIZ_PRESETS.values():
        plan = config.plan(cut_scores={"math": 0.0, "ml": 0.0})
        state = _answer_all(two_area_bank, plan, True)
        for area in range(2):
            assert config.min_items_per_area <= state.area_counts[area]
            assert state.area_counts[area] <= config.max_items_per_area


def test_config_validation() -> None:
    with pytest.raises(ValueError):
        StoppingConfig(min_items_per_area=5, max_items_per_area=3)
    with pytest.raises(ValueError):
        StoppingConfig(1, 3, se_target=-0.1)
    with pytest.raises(ValueError):
        StoppingConfig(1, 3, classify=True).stopping_rule()
    with pytest.raises(ValueError):
        ReadinessClassification(0.0, upper=0.2, lower=0.3)
    with pytest.raises(ValueError):
        MaxItems(-1)

"""Quiz state: one posterior per area plus overall, counts, no repeats."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine.irt import ItemBank, Posterior, carry_over_prior, record_response, start_test


def test_record_response_updates_only_its_area(two_area_bank: ItemBank) -> None:
    state = start_test(two_area_bank)
    item = int(np.flatnonzero(two_area_bank.area == 1)[3])
    after = record_response(state, item, True)
    assert after.area_posteriors[0] is state.area_posteriors[0]
    assert after.area_posteriors[1].mean > state.area_posteriors[1].mean
    assert after.overall.mean > state.overall.mean
    assert after.area_counts == (0, 1)
    assert sum(after.topic_counts) == 1
    assert after.topic_counts[int(two_area_bank.topic[item])] == 1
    assert after.administered == (item,)
    assert after.responses == (1.0,)
    assert after.administered_mask[item] and not state.administered_mask[item]


def test_incremental_state_matches_batch_posteriors(two_area_bank: ItemBank) -> None:
    rng = np.random.default_rng(0)
    state = start_test(two_area_bank)
    order = rng.permutation(two_area_bank.n_items)[:25]
    answers = rng.random(25) < 0.5
    for item, answer in zip(order, answers, strict=True):
        state = record_response(state, int(item), bool(answer))
    bank = two_area_bank
    overall = Posterior.normal().update_many(bank.a[order], bank.b[order], bank.c[order], answers)
    assert state.overall.mean == pytest.approx(overall.mean, abs=1e-10)
    in_area = bank.area[order] == 1
    area = Posterior.normal().update_many(
        bank.a[order][in_area], bank.b[order][in_area], bank.c[order][in_area], answers[in_area]
    )
    assert state.area_estimate(1).theta == pytest.approx(area.mean, abs=1e-10)


def test_items_are_never_repeated(flat_bank: ItemBank) -> None:
    state = record_response(start_test(flat_bank), 5, False)
    with pytest.raises(ValueError, match="already given"):
        record_response(state, 5, True)
    with pytest.raises(ValueError, match="outside the bank"):
        record_response(state, flat_bank.n_items, True)


def test_skipped_items_count_but_do_not_update(flat_bank: ItemBank) -> None:
    state = start_test(flat_bank)
    after = record_response(state, 0, None)
    assert after.n_administered == 1 and after.area_counts == (1,)
    assert math.isnan(after.responses[0])
    assert after.area_posteriors[0] is state.area_posteriors[0]


def test_unscored_answers_are_recorded_but_never_counted(two_area_bank: ItemBank) -> None:
    """Pretest items and repeats whose key was shown: stored, not scored."""
    state = record_response(start_test(two_area_bank), 3, True)
    after = record_response(state, 25, False, scored=False)
    assert after.administered == (3, 25) and after.responses == (1.0, 0.0)
    assert after.scored == (True, False)
    assert after.administered_mask[25]
    assert after.area_posteriors is state.area_posteriors and after.overall is state.overall
    assert after.area_counts == state.area_counts and after.topic_counts == state.topic_counts
    assert after.area_format_counts == state.area_format_counts
    assert after.n_administered == 2 and after.n_scored == 1
    assert after.questions_since_unscored() == 0
    later = record_response(after, 4, True)
    assert later.questions_since_unscored() == 1 and state.questions_since_unscored() is None
    with pytest.raises(ValueError, match="already given"):
        record_response(later, 25, True)


def test_scored_answers_update_format_counts_and_keep_the_prior(two_area_bank: ItemBank) -> None:
    state = start_test(two_area_bank, priors={"ml": (0.5, 0.7)})
    after = record_response(state, 12, None)
    assert sum(after.area_format_counts) == 1
    assert after.area_format_counts[int(two_area_bank.area_format[12])] == 1
    assert after.prior_moments == state.prior_moments
    assert state.prior_moments[1] == pytest.approx((0.5, 0.7), abs=1e-3)


def test_priors_per_area_and_active_areas(two_area_bank: ItemBank) -> None:
    mean, sd = carry_over_prior(1.2, 0.3)
    state = start_test(two_area_bank, priors={"ml": (mean, sd)}, areas=["ml"])
    assert state.area_estimate(1).theta == pytest.approx(1.2, abs=1e-6)
    assert state.area_estimate(0).theta == pytest.approx(0.0, abs=1e-6)
    assert state.active_areas == (False, True)
    with pytest.raises(ValueError):
        start_test(two_area_bank, priors={"physics": (0, 1)})
    with pytest.raises(ValueError):
        start_test(two_area_bank, areas=["physics"])


def test_single_area_bank_shares_the_overall_posterior(flat_bank: ItemBank) -> None:
    state = record_response(start_test(flat_bank), 1, True)
    assert state.overall is state.area_posteriors[0]
    separate = record_response(start_test(flat_bank, overall_prior=(0.0, 1.0)), 1, True)
    assert separate.overall.mean == pytest.approx(state.overall.mean)


def test_item_bank_validation_lists_every_problem() -> None:
    with pytest.raises(ValueError) as error:
        ItemBank.from_arrays([1.0, 0.0, -1.0], [0.0, math.inf, 0.0], [0.0, 0.2, 1.0])
    message = str(error.value)
    assert "item 1" in message and "item 2" in message
    assert message.count("must") == 4


def test_item_bank_codes_and_subset(two_area_bank: ItemBank) -> None:
    assert two_area_bank.area_labels == ("math", "ml")
    assert two_area_bank.n_topics == 6  # topic names repeat across areas but codes do not
    assert two_area_bank.topic_labels[3] == ("ml", "t1")
    assert list(two_area_bank.topic_area) == [0, 0, 0, 1, 1, 1]
    ml_only = two_area_bank.subset(two_area_bank.area == 1)
    assert ml_only.n_items == 30 and ml_only.area_labels == ("ml",)

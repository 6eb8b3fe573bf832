"""FSRS scheduling of missed questions: known values, the rating rule, days and folding.

Known values are FSRS-6's default parameters as py-fsrs 6 ships them
(`fsrs.scheduler.DEFAULT_PARAMETERS`; Ye, Su & Cao 2022 for the model, the
open-spaced-repetition benchmark for the fitted defaults): a first Again gives
stability w0 = 0.212 days, a first Good w2 = 2.3065 days; at 90% desired
retention the interval in days equals the stability rounded (at least 1 day).
"""

from __future__ import annotations

import datetime as dt

import pytest
from fsrs import Rating
from hypothesis import given
from hypothesis import strategies as st

from engine.practice.scheduling import (
    Outcome,
    apply_outcomes,
    day_end,
    is_due,
    rating_for,
    review,
)

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def _outcome(item: str, correct: bool, at: dt.datetime, key: int) -> Outcome:
    return Outcome(item, correct, at, 1000, ("quiz", key))


def test_wrong_or_skipped_is_again_and_right_is_good() -> None:
    assert rating_for(False) is Rating.Again
    assert rating_for(True) is Rating.Good


def test_a_first_miss_comes_back_the_next_day() -> None:
    card, rating = review(None, False, T0)
    assert rating is Rating.Again
    assert card.stability == pytest.approx(0.212)  # w0
    assert card.due == T0 + DAY
    assert card.last_review == T0


def test_a_first_right_answer_waits_two_days() -> None:
    card, _ = review(None, True, T0)
    assert card.stability == pytest.approx(2.3065)  # w2
    assert card.due == T0 + 2 * DAY


def test_missed_then_right_next_day_comes_back_two_days_later() -> None:
    missed, _ = review(None, False, T0)
    right, _ = review(missed, True, T0 + DAY)
    assert right.due == T0 + 3 * DAY
    assert right.stability is not None and missed.stability is not None
    assert right.stability > missed.stability
    again, _ = review(right, True, right.due)
    assert again.due == right.due + 6 * DAY


def test_missed_twice_comes_back_the_next_day_again() -> None:
    missed, _ = review(None, False, T0)
    again, _ = review(missed, False, T0 + DAY)
    assert again.due == T0 + 2 * DAY
    assert again.difficulty is not None and missed.difficulty is not None
    assert again.difficulty > missed.difficulty


def test_a_right_answer_without_a_card_changes_nothing() -> None:
    assert apply_outcomes({}, [_outcome("x", True, T0, 1)]) == []


def test_a_miss_makes_a_card_and_later_answers_review_it() -> None:
    reviews = apply_outcomes(
        {},
        [
            _outcome("x", True, T0 + DAY, 3),  # given out of order: folded by time
            _outcome("x", False, T0, 2),
            _outcome("y", True, T0, 1),
        ],
    )
    assert [(r.outcome.key[1], r.rating, r.new_card) for r in reviews] == [
        (2, int(Rating.Again), True),
        (3, int(Rating.Good), False),
    ]
    assert reviews[-1].card.due == T0 + 3 * DAY


def test_an_answer_older_than_the_last_review_is_left_out() -> None:
    card, _ = review(None, False, T0 + DAY)
    assert apply_outcomes({"x": card}, [_outcome("x", False, T0, 1)]) == []


def test_a_day_ends_at_four_in_the_morning_local_time() -> None:
    zone = dt.timezone(dt.timedelta(hours=2))
    evening = dt.datetime(2026, 3, 2, 23, 0, tzinfo=zone)
    assert day_end(evening) == dt.datetime(2026, 3, 3, 4, 0, tzinfo=zone)
    small_hours = dt.datetime(2026, 3, 3, 2, 0, tzinfo=zone)
    assert day_end(small_hours) == dt.datetime(2026, 3, 3, 4, 0, tzinfo=zone)


def test_a_card_is_due_all_day_and_not_the_day_before() -> None:
    card, _ = review(None, False, T0)  # due 2026-03-03 10:00 UTC
    assert not is_due(card.due, T0)
    assert not is_due(card.due, T0 + dt.timedelta(hours=17))  # 03:00 next day: still day 0
    assert is_due(card.due, T0 + dt.timedelta(hours=18))  # 04:00: the due day has begun
    assert is_due(card.due, T0 + DAY)
    assert is_due(card.due, T0, within_days=1)


@given(
    st.lists(
        st.tuples(st.booleans(), st.floats(min_value=0, max_value=60)), min_size=1, max_size=12
    )
)
def test_every_review_schedules_at_least_a_day_ahead(answers: list[tuple[bool, float]]) -> None:
    """Whatever the answers and gaps, a card is never due again the same day it was answered."""
    at = T0
    outcomes = []
    for key, (correct, gap_days) in enumerate(answers):
        at += dt.timedelta(days=gap_days)
        outcomes.append(_outcome("x", correct, at, key))
    for result in apply_outcomes({}, outcomes):
        assert result.card.last_review == result.outcome.at
        assert result.card.due - result.outcome.at >= DAY
        assert result.rating == (int(Rating.Good) if result.outcome.correct else int(Rating.Again))

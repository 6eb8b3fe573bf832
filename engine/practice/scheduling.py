"""When a missed question comes back: FSRS (Ye, Su & Cao, 2022) through the `fsrs` package.

One card per learner and item. A card is made the first time the learner
misses the item (in a quiz or in practice); from then on every answer to it is
a review. Outcomes map to FSRS ratings:

* wrong or skipped: **Again**;
* right: **Good**.

Hard and Easy are never given. They are a learner's own report of how hard
recall felt; response time is a poor stand-in here, because it depends as much
on reading the prompt, the code in it and the options, or typing the answer,
as on recall, and the bank has no per-item time norms to compare with. The
response time is kept in the review log, so a later optimiser can use it.

The scheduler runs with FSRS-6's default parameters and 90% desired
retention, with two settings suited to practice sessions that happen on days,
not minutes: no (re)learning steps (a missed question comes back the next day,
not in ten minutes within the same session, where it would test short-term
memory) and no fuzz (the schedule is reproducible; a learner's few dozen cards
do not need spreading). Due dates are read by the day, as Anki does: a card is
due for the whole of its day, which starts at `DAY_STARTS_AT` local time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fsrs import Card, Rating, Scheduler, State

#: Days roll over at 04:00 local time (Anki's default), so late-night practice counts as today.
DAY_STARTS_AT = dt.time(4, 0)
DUE_WINDOW_DAYS = 7

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


@dataclass(frozen=True)
class CardState:
    """The stored state of one FSRS card (fsrs.Card's fields, as plain values)."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: dt.datetime
    last_review: dt.datetime | None


@dataclass(frozen=True)
class Outcome:
    """One answer to an item, as the scheduler sees it. `key` names the stored answer."""

    item_id: str
    correct: bool
    at: dt.datetime
    duration_ms: int | None
    key: tuple[str, int]  # ("quiz", response id) or ("practice", practice answer id)


@dataclass(frozen=True)
class Review:
    """An outcome applied to a card: the card after it and the rating given."""

    outcome: Outcome
    rating: int
    card: CardState
    new_card: bool  # the card was made by this review (a first miss)


def rating_for(correct: bool) -> Rating:
    """Wrong or skipped is Again, right is Good (see the module docstring for why no more)."""
    return Rating.Good if correct else Rating.Again


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _to_card(state: CardState | None) -> Card:
    if state is None:
        return Card(card_id=0, due=dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    return Card(
        card_id=0,
        state=State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=_utc(state.due),
        last_review=_utc(state.last_review) if state.last_review else None,
    )


def review(card: CardState | None, correct: bool, at: dt.datetime) -> tuple[CardState, Rating]:
    """The card after an answer at `at` (None: a card made now, by this answer)."""
    rating = rating_for(correct)
    updated, _log = SCHEDULER.review_card(_to_card(card), rating, _utc(at))
    return (
        CardState(
            state=int(updated.state),
            step=updated.step,
            stability=updated.stability,
            difficulty=updated.difficulty,
            due=updated.due,
            last_review=updated.last_review,
        ),
        rating,
    )


def apply_outcomes(cards: Mapping[str, CardState], outcomes: Iterable[Outcome]) -> list[Review]:
    """Fold answers into cards, oldest first: a miss makes a card, later answers review it.

    A right answer to an item without a card changes nothing, and an answer
    older than the card's last review is left out (FSRS reviews go forwards).
    """
    current = dict(cards)
    reviews = []
    for outcome in sorted(outcomes, key=lambda o: (_utc(o.at), o.key)):
        card = current.get(outcome.item_id)
        if card is None and outcome.correct:
            continue
        if card is not None and card.last_review and _utc(outcome.at) < _utc(card.last_review):
            continue
        updated, rating = review(card, outcome.correct, outcome.at)
        current[outcome.item_id] = updated
        reviews.append(Review(outcome, int(rating), updated, new_card=card is None))
    return reviews


def day_end(now: dt.datetime) -> dt.datetime:
    """When the learner's day (in `now`'s time zone, starting at `DAY_STARTS_AT`) ends."""
    local = now if now.tzinfo else now.replace(tzinfo=dt.UTC)
    boundary = local.replace(
        hour=DAY_STARTS_AT.hour, minute=DAY_STARTS_AT.minute, second=0, microsecond=0
    )
    if local >= boundary:
        boundary += dt.timedelta(days=1)
    return boundary


def is_due(due: dt.datetime, now: dt.datetime, *, within_days: int = 0) -> bool:
    """Due today (or within `within_days` more days): due before the day ends."""
    return _utc(due) < _utc(day_end(now) + dt.timedelta(days=within_days))

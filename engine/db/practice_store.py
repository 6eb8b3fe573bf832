"""Persistence of practice sessions, their answers, FSRS cards and the review log.

Functions take the caller's `Session` (one unit of work) and return plain
values. Practice answers have their own table: nothing here writes to
`responses`, so quiz-based readiness, calibration and exports never see them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.db.models import (
    Item,
    ItemParameterSet,
    ItemVersion,
    PracticeAnswer,
    PracticeCard,
    PracticeReview,
    PracticeSession,
    QuizSession,
    Response,
)
from engine.db.quiz_store import ACTIVE, FINISHED, as_utc
from engine.practice.scheduling import CardState, Outcome, Review

QUIZ_SOURCE = "quiz"
PRACTICE_SOURCE = "practice"


@dataclass(frozen=True)
class StoredPracticeSession:
    id: int
    learner_id: int
    status: str
    settings: dict[str, Any]
    seed: int
    started_at: dt.datetime
    finished_at: dt.datetime | None


@dataclass(frozen=True)
class StoredPracticeAnswer:
    id: int
    session_id: int
    number: int
    kind: str
    predicted: float | None
    item_id: str
    area: str
    topic: str
    version_id: int
    content: dict[str, Any]
    a: float
    b: float
    c: float
    parameter_source: str
    option_order: tuple[int, ...] | None
    raw_answer: str
    correct: bool
    skipped: bool
    response_time_ms: int
    answered_at: dt.datetime


@dataclass(frozen=True)
class StoredCard:
    id: int
    item_id: str
    card: CardState


# -- sessions -------------------------------------------------------------------------


def create_session(
    session: Session, learner_id: int, settings: dict[str, Any], seed: int, now: dt.datetime
) -> int:
    row = PracticeSession(
        learner_id=learner_id, status=ACTIVE, settings=settings, seed=seed, started_at=now
    )
    session.add(row)
    session.flush()
    return row.id


def close_active_sessions(session: Session, learner_id: int, now: dt.datetime) -> None:
    """A session left part-way is closed when the next starts; its answers stay."""
    rows = session.scalars(
        select(PracticeSession).where(
            PracticeSession.learner_id == learner_id, PracticeSession.status == ACTIVE
        )
    )
    for row in rows:
        row.status = FINISHED
        row.finished_at = now


def finish_session(session: Session, session_id: int, now: dt.datetime) -> None:
    row = session.get(PracticeSession, session_id)
    if row is not None and row.status != FINISHED:
        row.status = FINISHED
        row.finished_at = now


def practice_session(session: Session, session_id: int) -> StoredPracticeSession | None:
    row = session.get(PracticeSession, session_id)
    return _stored_session(row) if row is not None else None


def sessions_of(session: Session, learner_id: int) -> list[StoredPracticeSession]:
    """The learner's practice sessions, oldest first."""
    rows = session.scalars(
        select(PracticeSession)
        .where(PracticeSession.learner_id == learner_id)
        .order_by(PracticeSession.started_at, PracticeSession.id)
    )
    return [_stored_session(row) for row in rows]


def _stored_session(row: PracticeSession) -> StoredPracticeSession:
    return StoredPracticeSession(
        row.id,
        row.learner_id,
        row.status,
        dict(row.settings),
        row.seed,
        as_utc(row.started_at),
        as_utc(row.finished_at) if row.finished_at else None,
    )


# -- answers ----------------------------------------------------------------------------


def answers_by_session(
    session: Session, session_ids: Sequence[int]
) -> dict[int, list[StoredPracticeAnswer]]:
    """Each session's answers in the order asked, for many sessions in one query."""
    if not session_ids:
        return {}
    rows = session.execute(
        select(PracticeAnswer, ItemVersion, Item, ItemParameterSet)
        .join(ItemVersion, PracticeAnswer.item_version_id == ItemVersion.id)
        .join(Item, ItemVersion.item_id == Item.id)
        .join(ItemParameterSet, PracticeAnswer.parameter_set_id == ItemParameterSet.id)
        .where(PracticeAnswer.session_id.in_(list(session_ids)))
        .order_by(PracticeAnswer.session_id, PracticeAnswer.position)
    ).all()
    by_session: dict[int, list[StoredPracticeAnswer]] = {}
    for answer, version, item, parameters in rows:
        by_session.setdefault(answer.session_id, []).append(
            StoredPracticeAnswer(
                answer.id,
                answer.session_id,
                answer.position,
                answer.kind,
                answer.predicted,
                item.id,
                item.area_id,
                item.topic_id,
                version.id,
                version.content,
                parameters.a,
                parameters.b,
                parameters.c,
                parameters.source,
                tuple(answer.option_order) if answer.option_order is not None else None,
                answer.raw_answer,
                answer.correct,
                answer.skipped,
                answer.response_time_ms,
                as_utc(answer.answered_at),
            )
        )
    return by_session


def add_answer(
    session: Session,
    *,
    session_id: int,
    number: int,
    kind: str,
    predicted: float | None,
    version_id: int,
    parameter_set_id: int,
    option_order: tuple[int, ...] | None,
    raw_answer: str,
    correct: bool,
    skipped: bool,
    response_time_ms: int,
    answered_at: dt.datetime,
) -> int:
    row = PracticeAnswer(
        session_id=session_id,
        position=number,
        kind=kind,
        predicted=predicted,
        item_version_id=version_id,
        parameter_set_id=parameter_set_id,
        option_order=list(option_order) if option_order is not None else None,
        raw_answer=raw_answer,
        correct=correct,
        skipped=skipped,
        response_time_ms=response_time_ms,
        answered_at=answered_at,
    )
    session.add(row)
    session.flush()
    return row.id


def tally_since(session: Session, learner_id: int, since: dt.datetime) -> tuple[int, int, int]:
    """Practice sessions, answers and right answers of the learner since `since`."""
    row = session.execute(
        select(
            func.count(func.distinct(PracticeAnswer.session_id)),
            func.count(PracticeAnswer.id),
            func.count(PracticeAnswer.id).filter(PracticeAnswer.correct),
        )
        .join(PracticeSession, PracticeAnswer.session_id == PracticeSession.id)
        .where(PracticeSession.learner_id == learner_id, PracticeAnswer.answered_at >= since)
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def practised_item_ids(session: Session, learner_id: int) -> set[str]:
    """Items the learner has answered in practice (their explanation has been seen)."""
    rows = session.scalars(
        select(ItemVersion.item_id)
        .join(PracticeAnswer, PracticeAnswer.item_version_id == ItemVersion.id)
        .join(PracticeSession, PracticeAnswer.session_id == PracticeSession.id)
        .where(PracticeSession.learner_id == learner_id)
        .distinct()
    )
    return set(rows)


def last_seen(session: Session, learner_id: int) -> dict[str, dt.datetime]:
    """When the learner last answered each item, in a quiz or in practice."""
    quiz_rows = session.execute(
        select(ItemVersion.item_id, func.max(Response.answered_at))
        .join(Response, Response.item_version_id == ItemVersion.id)
        .join(QuizSession, Response.session_id == QuizSession.id)
        .where(QuizSession.learner_id == learner_id)
        .group_by(ItemVersion.item_id)
    )
    practice_rows = session.execute(
        select(ItemVersion.item_id, func.max(PracticeAnswer.answered_at))
        .join(PracticeAnswer, PracticeAnswer.item_version_id == ItemVersion.id)
        .join(PracticeSession, PracticeAnswer.session_id == PracticeSession.id)
        .where(PracticeSession.learner_id == learner_id)
        .group_by(ItemVersion.item_id)
    )
    seen: dict[str, dt.datetime] = {}
    for item_id, moment in [*quiz_rows, *practice_rows]:
        moment = as_utc(moment)
        if item_id not in seen or moment > seen[item_id]:
            seen[item_id] = moment
    return seen


# -- cards and the review log ------------------------------------------------------------


def cards_of(session: Session, learner_id: int) -> dict[str, StoredCard]:
    """The learner's cards by item id (plain rows, not ORM objects: a learner has thousands)."""
    rows = session.execute(
        select(
            PracticeCard.id,
            PracticeCard.item_id,
            PracticeCard.state,
            PracticeCard.step,
            PracticeCard.stability,
            PracticeCard.difficulty,
            PracticeCard.due,
            PracticeCard.last_review,
        ).where(PracticeCard.learner_id == learner_id)
    )
    return {
        item_id: StoredCard(
            card_id,
            item_id,
            CardState(
                state=state,
                step=step,
                stability=stability,
                difficulty=difficulty,
                due=as_utc(due),
                last_review=as_utc(last_review) if last_review else None,
            ),
        )
        for card_id, item_id, state, step, stability, difficulty, due, last_review in rows
    }


def card_due_times(session: Session, learner_id: int) -> dict[str, dt.datetime]:
    """When each of the learner's cards is due, by item id: all a session needs to choose."""
    rows = session.execute(
        select(PracticeCard.item_id, PracticeCard.due).where(PracticeCard.learner_id == learner_id)
    )
    return {item_id: as_utc(due) for item_id, due in rows}


def card_state(session: Session, learner_id: int, item_id: str) -> CardState | None:
    """The learner's card for one item, or None (read in the unit of work that reviews it)."""
    row = session.scalar(
        select(PracticeCard).where(
            PracticeCard.learner_id == learner_id, PracticeCard.item_id == item_id
        )
    )
    if row is None:
        return None
    return CardState(
        state=row.state,
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=as_utc(row.due),
        last_review=as_utc(row.last_review) if row.last_review else None,
    )


def unapplied_quiz_outcomes(session: Session, learner_id: int) -> list[Outcome]:
    """Quiz answers the learner's cards may not have seen yet.

    Every answer after the newest one in the review log is returned; applying
    them is idempotent (the review log's `response_id` is unique, and a right
    answer to an item without a card changes nothing), so an answer that made
    no review is simply offered again next time.
    """
    newest = session.scalar(
        select(func.max(PracticeReview.response_id))
        .join(PracticeCard, PracticeReview.card_id == PracticeCard.id)
        .where(PracticeCard.learner_id == learner_id)
    )
    applied = select(PracticeReview.response_id).where(PracticeReview.response_id.is_not(None))
    rows = session.execute(
        select(
            Response.id,
            ItemVersion.item_id,
            Response.correct,
            Response.answered_at,
            Response.response_time_ms,
        )
        .join(QuizSession, Response.session_id == QuizSession.id)
        .join(ItemVersion, Response.item_version_id == ItemVersion.id)
        .where(
            QuizSession.learner_id == learner_id,
            Response.id > (newest or 0),
            Response.id.not_in(applied.scalar_subquery()),
        )
        .order_by(Response.id)
    )
    return [
        Outcome(item_id, bool(correct), as_utc(answered_at), duration, (QUIZ_SOURCE, response_id))
        for response_id, item_id, correct, answered_at, duration in rows
    ]


def save_reviews(
    session: Session, learner_id: int, reviews: Iterable[Review], now: dt.datetime
) -> None:
    """Store each review: the card made or updated, and its line in the review log."""
    cards = {
        row.item_id: row
        for row in session.scalars(
            select(PracticeCard).where(PracticeCard.learner_id == learner_id)
        )
    }
    for review in reviews:
        state = review.card
        row = cards.get(review.outcome.item_id)
        if row is None:
            row = PracticeCard(
                learner_id=learner_id, item_id=review.outcome.item_id, created_at=now, due=state.due
            )
            session.add(row)
            cards[review.outcome.item_id] = row
        row.state = state.state
        row.step = state.step
        row.stability = state.stability
        row.difficulty = state.difficulty
        row.due = state.due
        row.last_review = state.last_review
        session.flush()
        source, answer_id = review.outcome.key
        session.add(
            PracticeReview(
                card_id=row.id,
                rating=review.rating,
                reviewed_at=review.outcome.at,
                duration_ms=review.outcome.duration_ms,
                response_id=answer_id if source == QUIZ_SOURCE else None,
                practice_answer_id=answer_id if source == PRACTICE_SOURCE else None,
            )
        )
    session.flush()

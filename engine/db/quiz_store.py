"""Persistence of learners, quiz sessions and responses. The only quiz code that sees the ORM.

Functions take the caller's `Session` (one unit of work) and return plain
values, so nothing above this layer holds ORM objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.bank.model import AreaInfo, CutScores, TopicInfo
from engine.db.models import (
    Area,
    Item,
    ItemParameterSet,
    ItemVersion,
    Learner,
    QuizSession,
    Response,
    utc_now,
)

ACTIVE = "active"
FINISHED = "finished"
PRACTICE_MODE = "practice"  # a quiz mode that shows each answer's key as feedback


@dataclass(frozen=True)
class StoredItem:
    """The current version and parameters of one item."""

    id: str
    area: str
    topic: str
    retired: bool
    version_id: int
    content: dict[str, Any]
    parameter_set_id: int
    a: float
    b: float
    c: float
    parameter_source: str

    @property
    def type(self) -> str:
        """The response format: single, multiple, true_false, numeric or text."""
        return str(self.content["type"])


@dataclass(frozen=True)
class StoredQuiz:
    id: int
    learner_id: int
    learner: str
    status: str
    mode: str
    areas: tuple[str, ...]
    settings: dict[str, Any]
    seed: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    time_used_ms: int = 0
    time_ran_out: bool = False


@dataclass(frozen=True)
class StoredResponse:
    id: int
    number: int
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
    counted: bool = True  # counts in the learner's estimates (not pretest, key not shown)
    key_shown: bool = False  # the learner had been shown the key before: not a first exposure


def as_utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def area_infos(session: Session) -> tuple[AreaInfo, ...]:
    areas = session.scalars(select(Area).order_by(Area.position)).all()
    return tuple(
        AreaInfo(
            area.id,
            area.title,
            area.description,
            CutScores(area.cut_developing, area.cut_job_ready, area.cut_strong),
            tuple(
                TopicInfo(t.id, area.id, t.title, t.description, tuple(t.study))
                for t in area.topics
            ),
        )
        for area in areas
    )


def current_items(session: Session) -> list[StoredItem]:
    rows = session.execute(
        select(Item, ItemVersion, ItemParameterSet)
        .join(ItemVersion, (ItemVersion.item_id == Item.id) & ItemVersion.is_current)
        .join(ItemParameterSet, (ItemParameterSet.item_id == Item.id) & ItemParameterSet.is_current)
        .order_by(Item.area_id, Item.topic_id, Item.id)
    ).all()
    return [
        StoredItem(
            item.id,
            item.area_id,
            item.topic_id,
            item.retired_at is not None,
            version.id,
            version.content,
            parameters.id,
            parameters.a,
            parameters.b,
            parameters.c,
            parameters.source,
        )
        for item, version, parameters in rows
    ]


def learner_id(session: Session, name: str, *, create: bool) -> int | None:
    found = session.scalar(select(Learner.id).where(Learner.name == name))
    if found is not None or not create:
        return found
    learner = Learner(name=name)
    session.add(learner)
    session.flush()
    return learner.id


def learner_name(session: Session, learner: int) -> str:
    return session.get_one(Learner, learner).name


def learner_names(session: Session) -> list[str]:
    return list(session.scalars(select(Learner.name).order_by(Learner.name)))


def create_quiz(
    session: Session,
    learner: int,
    mode: str,
    areas: tuple[str, ...],
    settings: dict[str, Any],
    seed: int,
    now: dt.datetime | None = None,
) -> int:
    quiz = QuizSession(
        learner_id=learner,
        mode=mode,
        areas=list(areas),
        settings=settings,
        seed=seed,
        started_at=now or utc_now(),
    )
    session.add(quiz)
    session.flush()
    return quiz.id


def quiz(session: Session, quiz_id: int) -> StoredQuiz | None:
    row = session.get(QuizSession, quiz_id)
    return _stored_quiz(row) if row is not None else None


def quizzes_of(session: Session, learner: int) -> list[StoredQuiz]:
    rows = session.scalars(
        select(QuizSession)
        .where(QuizSession.learner_id == learner)
        .order_by(QuizSession.started_at, QuizSession.id)
    )
    return [_stored_quiz(row) for row in rows]


def _stored_quiz(row: QuizSession) -> StoredQuiz:
    return StoredQuiz(
        row.id,
        row.learner_id,
        row.learner.name,
        row.status,
        row.mode,
        tuple(row.areas),
        dict(row.settings),
        row.seed,
        as_utc(row.started_at),
        as_utc(row.finished_at) if row.finished_at else None,
        row.time_used_ms or 0,
        bool(row.time_ran_out),
    )


def response_counts(session: Session, quiz_ids: list[int]) -> dict[int, int]:
    """Answers stored per quiz, in one query."""
    if not quiz_ids:
        return {}
    rows = session.execute(
        select(Response.session_id, func.count())
        .where(Response.session_id.in_(quiz_ids))
        .group_by(Response.session_id)
    )
    return {quiz_id: count for quiz_id, count in rows}


def responses_of(session: Session, quiz_id: int) -> list[StoredResponse]:
    return responses_by_quiz(session, [quiz_id]).get(quiz_id, [])


def responses_by_quiz(session: Session, quiz_ids: list[int]) -> dict[int, list[StoredResponse]]:
    """Each quiz's answers in the order asked, for many quizzes in one query (none: left out)."""
    if not quiz_ids:
        return {}
    rows = session.execute(
        select(Response, ItemVersion, Item, ItemParameterSet)
        .join(ItemVersion, Response.item_version_id == ItemVersion.id)
        .join(Item, ItemVersion.item_id == Item.id)
        .join(ItemParameterSet, Response.parameter_set_id == ItemParameterSet.id)
        .where(Response.session_id.in_(quiz_ids))
        .order_by(Response.session_id, Response.position)
    ).all()
    by_quiz: dict[int, list[StoredResponse]] = {}
    for response, version, item, parameters in rows:
        by_quiz.setdefault(response.session_id, []).append(
            _stored_response(response, version, item, parameters)
        )
    return by_quiz


def _stored_response(
    response: Response, version: ItemVersion, item: Item, parameters: ItemParameterSet
) -> StoredResponse:
    return StoredResponse(
        response.id,
        response.position,
        item.id,
        item.area_id,
        item.topic_id,
        version.id,
        version.content,
        parameters.a,
        parameters.b,
        parameters.c,
        parameters.source,
        tuple(response.option_order) if response.option_order is not None else None,
        response.raw_answer,
        response.correct,
        response.skipped,
        response.response_time_ms,
        as_utc(response.answered_at),
        response.counted,
        response.key_shown,
    )


@dataclass(frozen=True)
class NewAnswer:
    """One answer to store: written once, whatever happens to the connection."""

    quiz_id: int
    number: int
    version_id: int
    parameter_set_id: int
    option_order: tuple[int, ...] | None
    raw_answer: str
    correct: bool
    skipped: bool
    response_time_ms: int
    answered_at: dt.datetime | None = None  # None: now
    counted: bool = True
    key_shown: bool = False


def add_response(session: Session, answer: NewAnswer) -> int:
    response = Response(
        session_id=answer.quiz_id,
        position=answer.number,
        item_version_id=answer.version_id,
        parameter_set_id=answer.parameter_set_id,
        option_order=list(answer.option_order) if answer.option_order is not None else None,
        raw_answer=answer.raw_answer,
        correct=answer.correct,
        skipped=answer.skipped,
        response_time_ms=answer.response_time_ms,
        answered_at=answer.answered_at or utc_now(),
        counted=answer.counted,
        key_shown=answer.key_shown,
    )
    session.add(response)
    session.flush()
    return response.id


@dataclass(frozen=True)
class StoredAnswer:
    """What is stored at one position of a quiz: enough to tell a retry from a rival."""

    id: int
    version_id: int
    raw_answer: str


def stored_answer(session: Session, quiz_id: int, number: int) -> StoredAnswer | None:
    """The answer stored at position `number` of the quiz, if any (one indexed lookup)."""
    row = session.execute(
        select(Response.id, Response.item_version_id, Response.raw_answer).where(
            Response.session_id == quiz_id, Response.position == number
        )
    ).first()
    return StoredAnswer(row.id, row.item_version_id, row.raw_answer) if row is not None else None


def finish_quiz(
    session: Session, quiz_id: int, now: dt.datetime | None = None, *, time_ran_out: bool = False
) -> None:
    row = session.get(QuizSession, quiz_id)
    if row is not None and row.status != FINISHED:
        row.status = FINISHED
        row.finished_at = now or utc_now()
        row.time_ran_out = time_ran_out


def record_time_used(session: Session, quiz_id: int, time_used_ms: int) -> None:
    """A timed quiz's clock: the time used so far, kept so that it survives a resume."""
    row = session.get(QuizSession, quiz_id)
    if row is not None:
        row.time_used_ms = max(row.time_used_ms or 0, int(time_used_ms))


@dataclass(frozen=True)
class SeenItems:
    """Items a learner was asked in quizzes, and those whose key a quiz showed them."""

    asked: frozenset[str]
    key_shown: frozenset[str]  # answered in a practice-mode quiz (feedback shows the key)


def quiz_items_seen(session: Session, learner: int) -> SeenItems:
    """Every item the learner was ever asked in a quiz, in one query."""
    rows = session.execute(
        select(ItemVersion.item_id, QuizSession.mode)
        .join(Response, Response.item_version_id == ItemVersion.id)
        .join(QuizSession, QuizSession.id == Response.session_id)
        .where(QuizSession.learner_id == learner)
        .distinct()
    ).all()
    return SeenItems(
        frozenset(item_id for item_id, _ in rows),
        frozenset(item_id for item_id, mode in rows if mode == PRACTICE_MODE),
    )


def answer_counts(session: Session) -> dict[str, int]:
    """Stored quiz answers per item id (any version), over all learners, in one query."""
    rows = session.execute(
        select(ItemVersion.item_id, func.count())
        .join(Response, Response.item_version_id == ItemVersion.id)
        .group_by(ItemVersion.item_id)
    )
    return {item_id: count for item_id, count in rows}


@dataclass(frozen=True)
class FinishedQuiz:
    """A finished quiz as the population model reads it (no answers, no content)."""

    id: int
    learner_id: int
    settings: dict[str, Any]
    finished_at: dt.datetime


@dataclass(frozen=True)
class CountedAnswer:
    """One counted answer with the parameters it was scored with."""

    quiz_id: int
    area: str
    a: float
    b: float
    c: float
    correct: bool  # a skipped answer is wrong


def finished_quiz_count(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(QuizSession).where(QuizSession.status == FINISHED)
        )
        or 0
    )


def finished_quizzes(session: Session) -> list[FinishedQuiz]:
    """Every learner's finished quizzes, oldest first, in one query."""
    columns = (QuizSession.id, QuizSession.learner_id, QuizSession.settings)
    rows = session.execute(
        select(*columns, QuizSession.finished_at)
        .where(QuizSession.status == FINISHED)
        .order_by(QuizSession.finished_at, QuizSession.id)
    ).all()
    return [
        FinishedQuiz(quiz_id, learner, dict(settings), as_utc(finished))
        for quiz_id, learner, settings, finished in rows
    ]


def counted_answers_of_finished_quizzes(session: Session) -> dict[int, list[CountedAnswer]]:
    """Every finished quiz's counted answers, by quiz, in one query."""
    rows = session.execute(
        select(
            Response.session_id,
            Item.area_id,
            ItemParameterSet.a,
            ItemParameterSet.b,
            ItemParameterSet.c,
            Response.correct,
            Response.skipped,
        )
        .join(QuizSession, QuizSession.id == Response.session_id)
        .join(ItemVersion, Response.item_version_id == ItemVersion.id)
        .join(Item, ItemVersion.item_id == Item.id)
        .join(ItemParameterSet, Response.parameter_set_id == ItemParameterSet.id)
        .where(QuizSession.status == FINISHED, Response.counted)
        .order_by(Response.session_id, Response.position)
    ).all()
    by_quiz: dict[int, list[CountedAnswer]] = {}
    for quiz_id, area, a, b, c, correct, skipped in rows:
        by_quiz.setdefault(quiz_id, []).append(
            CountedAnswer(quiz_id, area, a, b, c, bool(correct) and not skipped)
        )
    return by_quiz

"""Cohorts and their members, and the one read the cohort report needs. The only cohort code
that sees the ORM.

`cohort_activity` reads a whole cohort's answers in three narrow queries
(quizzes, answers as ids and flags, and the small tables those ids point to),
not one row object per answer with its item's content: a cohort of 500 learners
with five quizzes each has about 100,000 answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ClauseElement

from engine.db.models import (
    Cohort,
    CohortMember,
    Item,
    ItemParameterSet,
    ItemVersion,
    Learner,
    QuizSession,
    Response,
)
from engine.db.quiz_store import as_utc

#: Ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits.
_CHUNK = 900


@dataclass(frozen=True)
class StoredCohort:
    id: int
    name: str
    members: int
    created_at: dt.datetime


@dataclass(frozen=True)
class MemberQuiz:
    id: int
    learner_id: int
    started_at: dt.datetime
    settings: dict[str, Any]


@dataclass(frozen=True, eq=False)
class StoredAnswers:
    """A cohort's answers, column by column (one entry per answer)."""

    quiz_id: npt.NDArray[np.int64]
    parameter_set_id: npt.NDArray[np.int64]  # the item's parameters as answered (and so the item)
    correct: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class ItemPlace:
    item_id: str
    area: str
    topic: str


@dataclass(frozen=True)
class AnsweredParameters:
    """A parameter set that answers were given under: its item and (a, b, c)."""

    item_id: str
    a: float
    b: float
    c: float


@dataclass(frozen=True, eq=False)
class CohortActivity:
    """Members (id, name; by name), their quizzes up to a date, and every answer."""

    members: tuple[tuple[int, str], ...]
    quizzes: tuple[MemberQuiz, ...]
    answers: StoredAnswers
    items: dict[str, ItemPlace]
    parameters: dict[int, AnsweredParameters]


def cohort_id(session: Session, name: str) -> int | None:
    return session.scalar(select(Cohort.id).where(Cohort.name == name))


def cohort_names(session: Session) -> list[str]:
    return list(session.scalars(select(Cohort.name).order_by(Cohort.name)))


def cohorts(session: Session) -> list[StoredCohort]:
    """Every cohort with its number of members, by name."""
    counts = (
        select(CohortMember.cohort_id, func.count().label("members"))
        .group_by(CohortMember.cohort_id)
        .subquery()
    )
    rows = session.execute(
        select(Cohort.id, Cohort.name, func.coalesce(counts.c.members, 0), Cohort.created_at)
        .outerjoin(counts, counts.c.cohort_id == Cohort.id)
        .order_by(Cohort.name)
    )
    return [StoredCohort(id_, name, int(n), as_utc(created)) for id_, name, n, created in rows]


def create_cohort(session: Session, name: str) -> int:
    cohort = Cohort(name=name)
    session.add(cohort)
    session.flush()
    return cohort.id


def member_names(session: Session, cohort: int) -> list[str]:
    return list(
        session.scalars(
            select(Learner.name)
            .join(CohortMember, CohortMember.learner_id == Learner.id)
            .where(CohortMember.cohort_id == cohort)
            .order_by(Learner.name)
        )
    )


def learner_ids(session: Session, names: Iterable[str]) -> dict[str, int]:
    """The ids of the named learners that exist (unknown names are left out)."""
    wanted = list(dict.fromkeys(names))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = session.execute(
            select(Learner.name, Learner.id).where(Learner.name.in_(wanted[start : start + _CHUNK]))
        )
        found.update(dict(rows.all()))
    return found


def add_members(session: Session, cohort: int, learners: Iterable[int]) -> int:
    """Add learners to a cohort; those already in it are left alone. Returns how many joined."""
    wanted = set(learners)
    present = set(
        session.scalars(
            select(CohortMember.learner_id).where(
                CohortMember.cohort_id == cohort, CohortMember.learner_id.in_(wanted)
            )
        )
    )
    new = sorted(wanted - present)
    session.add_all(CohortMember(cohort_id=cohort, learner_id=learner) for learner in new)
    session.flush()
    return len(new)


def remove_members(session: Session, cohort: int, learners: Iterable[int]) -> int:
    wanted = list(set(learners))
    removed = 0
    for start in range(0, len(wanted), _CHUNK):
        result = session.execute(
            delete(CohortMember).where(
                CohortMember.cohort_id == cohort,
                CohortMember.learner_id.in_(wanted[start : start + _CHUNK]),
            )
        )
        removed += int(getattr(result, "rowcount", 0) or 0)
    return removed


def delete_cohort(session: Session, cohort: int) -> int:
    """Delete a cohort and its memberships (never the learners or their answers)."""
    members = session.execute(delete(CohortMember).where(CohortMember.cohort_id == cohort))
    session.execute(delete(Cohort).where(Cohort.id == cohort))
    return int(getattr(members, "rowcount", 0) or 0)


def cohort_activity(session: Session, cohort: int, until: dt.datetime) -> CohortActivity:
    """Everything the cohort report reads: members, their quizzes started up to ``until``,
    and every answer in those quizzes."""
    members = tuple(
        session.execute(
            select(Learner.id, Learner.name)
            .join(CohortMember, CohortMember.learner_id == Learner.id)
            .where(CohortMember.cohort_id == cohort)
            .order_by(Learner.name)
        )
    )
    member_ids = select(CohortMember.learner_id).where(CohortMember.cohort_id == cohort)
    in_cohort = QuizSession.learner_id.in_(member_ids.scalar_subquery())
    quizzes = tuple(
        MemberQuiz(id_, learner, as_utc(started), dict(settings))
        for id_, learner, started, settings in session.execute(
            select(
                QuizSession.id,
                QuizSession.learner_id,
                QuizSession.started_at,
                QuizSession.settings,
            )
            .where(in_cohort, QuizSession.started_at <= until)
            .order_by(QuizSession.started_at, QuizSession.id)
        )
    )
    # The largest read (one row per answer): three narrow columns, no item content, in no
    # particular order (the report groups them itself), of every quiz of the members;
    # those started after `until` are dropped below.
    member_quiz = select(QuizSession.id).where(in_cohort)
    rows = _driver_rows(
        session,
        select(Response.session_id, Response.parameter_set_id, Response.correct).where(
            Response.session_id.in_(member_quiz.scalar_subquery()),
            Response.counted,  # pretest answers and repeats after the key move no estimate
        ),
    )
    columns = list(zip(*rows, strict=True)) or [(), (), ()]
    quiz_ids = np.array(columns[0], dtype=np.int64)
    kept = np.isin(quiz_ids, np.array([quiz.id for quiz in quizzes], dtype=np.int64))
    answers = StoredAnswers(
        quiz_ids[kept],
        np.array(columns[1], dtype=np.int64)[kept],
        np.array(columns[2], dtype=np.bool_)[kept],
    )
    parameter_ids = [int(p) for p in np.unique(answers.parameter_set_id)]
    parameters: dict[int, AnsweredParameters] = {}
    for start in range(0, len(parameter_ids), _CHUNK):
        for id_, item_id, a, b, c in session.execute(
            select(
                ItemParameterSet.id,
                ItemParameterSet.item_id,
                ItemParameterSet.a,
                ItemParameterSet.b,
                ItemParameterSet.c,
            ).where(ItemParameterSet.id.in_(parameter_ids[start : start + _CHUNK]))
        ):
            parameters[id_] = AnsweredParameters(item_id, a, b, c)
    items = {
        item_id: ItemPlace(item_id, area, topic)
        for item_id, area, topic in session.execute(select(Item.id, Item.area_id, Item.topic_id))
    }
    return CohortActivity(members, quizzes, answers, items, parameters)


def _driver_rows(session: Session, statement: ClauseElement) -> list[tuple[Any, ...]]:
    """Rows as the database driver returns them (plain tuples of ints and booleans).

    For 100,000 rows SQLAlchemy's result rows cost twice the query itself. The
    statement is rendered with its values written in (only integer ids here) and run
    on the driver's own cursor, inside the session's transaction.
    """
    connection = session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def item_prompts(session: Session, item_ids: Iterable[str]) -> dict[str, str]:
    """The prompt of each item's current version."""
    wanted = list(dict.fromkeys(item_ids))
    prompts: dict[str, str] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = session.execute(
            select(ItemVersion.item_id, ItemVersion.content).where(
                ItemVersion.item_id.in_(wanted[start : start + _CHUNK]), ItemVersion.is_current
            )
        )
        for item_id, content in rows:
            prompts[item_id] = str(content.get("prompt", "")) if isinstance(content, dict) else ""
    return prompts

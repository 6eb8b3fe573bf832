"""The database schema as typed SQLAlchemy 2.0 models.

Alembic migrations in ``migrations/`` must always agree with these models;
``tests/db/test_migrations.py`` runs Alembic's autogenerate comparison to prove it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names: SQLite migrations rebuild tables (batch mode) and
# need to find constraints by name; PostgreSQL would otherwise invent names.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dt.datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Area(Base):
    __tablename__ = "areas"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    cut_developing: Mapped[float] = mapped_column(Float)
    cut_job_ready: Mapped[float] = mapped_column(Float)
    cut_strong: Mapped[float] = mapped_column(Float)

    topics: Mapped[list[Topic]] = relationship(back_populates="area", order_by="Topic.position")


class Topic(Base):
    __tablename__ = "topics"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    area_id: Mapped[str] = mapped_column(ForeignKey("areas.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    study: Mapped[list[Any]] = mapped_column(default=list)
    position: Mapped[int] = mapped_column(Integer)

    area: Mapped[Area] = relationship(back_populates="topics")


class Item(Base):
    """A question's identity; what it says lives in its versions."""

    __tablename__ = "items"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    area_id: Mapped[str] = mapped_column(ForeignKey("areas.id"), index=True)
    topic_id: Mapped[str] = mapped_column(ForeignKey("topics.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    retired_at: Mapped[dt.datetime | None] = mapped_column(default=None)

    versions: Mapped[list[ItemVersion]] = relationship(
        back_populates="item", order_by="ItemVersion.version"
    )
    parameter_sets: Mapped[list[ItemParameterSet]] = relationship(
        back_populates="item", order_by="ItemParameterSet.id"
    )


class ItemVersion(Base):
    """The exact content of an item as learners saw it; never changed once written."""

    __tablename__ = "item_versions"
    __table_args__ = (UniqueConstraint("item_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)

    item: Mapped[Item] = relationship(back_populates="versions")


class ItemParameterSet(Base):
    """3PL parameters for an item, and where they came from."""

    __tablename__ = "item_parameter_sets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)
    a: Mapped[float] = mapped_column(Float)
    b: Mapped[float] = mapped_column(Float)
    c: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(20))  # "difficulty", "irt" or "calibration"
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)

    item: Mapped[Item] = relationship(back_populates="parameter_sets")


class BankImport(Base):
    """One import of the bank; the fingerprint makes "unchanged?" a single lookup."""

    __tablename__ = "bank_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(Text)
    added: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
    retired: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class Learner(Base):
    __tablename__ = "learners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)

    sessions: Mapped[list[QuizSession]] = relationship(back_populates="learner")


class QuizSession(Base):
    __tablename__ = "quiz_sessions"
    __table_args__ = (Index("ix_quiz_sessions_learner_status", "learner_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"))
    status: Mapped[str] = mapped_column(String(20), default="active")  # active / finished
    mode: Mapped[str] = mapped_column(String(20))  # practice / exam
    areas: Mapped[list[Any]] = mapped_column()
    settings: Mapped[dict[str, Any]] = mapped_column()  # stopping rule, presets, priors
    seed: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    # A timed quiz's clock (settings hold the limit): the time used in every sitting so far,
    # so that a resumed quiz carries on from it; and whether the quiz ended when it ran out.
    time_used_ms: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    time_ran_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    learner: Mapped[Learner] = relationship(back_populates="sessions")
    responses: Mapped[list[Response]] = relationship(
        back_populates="session", order_by="Response.position"
    )


class Response(Base):
    """One answer, committed before the learner sees any feedback."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("session_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("quiz_sessions.id"), index=True)
    item_version_id: Mapped[int] = mapped_column(ForeignKey("item_versions.id"), index=True)
    parameter_set_id: Mapped[int] = mapped_column(ForeignKey("item_parameter_sets.id"))
    position: Mapped[int] = mapped_column(Integer)
    option_order: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    raw_answer: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(Boolean)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    response_time_ms: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    # Whether the answer counts in the learner's estimates (a pretest item or a repeat
    # whose key was shown does not), and whether the key had been shown before it (not
    # a first exposure, so calibration leaves it out). Decided once, when it is stored.
    counted: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    key_shown: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    session: Mapped[QuizSession] = relationship(back_populates="responses")
    item_version: Mapped[ItemVersion] = relationship()
    parameter_set: Mapped[ItemParameterSet] = relationship()


class AreaScale(Base):
    """One calibration's ability scale for an area: the population's mean and SD, and
    what fixed it (anchor items, the sample itself, or a linking to the previous scale)."""

    __tablename__ = "area_scales"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_id: Mapped[str] = mapped_column(ForeignKey("areas.id"), index=True)
    population_mean: Mapped[float] = mapped_column(Float)
    population_sd: Mapped[float] = mapped_column(Float)
    set_by: Mapped[str] = mapped_column(String(20))  # "anchors", "sample" or "linking"
    anchors: Mapped[int] = mapped_column(Integer)
    sessions: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class ItemDiagnostic(Base):
    """The latest calibration's diagnostics of an item, for authors (one row per item)."""

    __tablename__ = "item_diagnostics"

    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), primary_key=True)
    parameter_set_id: Mapped[int] = mapped_column(ForeignKey("item_parameter_sets.id"))
    responses: Mapped[int] = mapped_column(Integer)
    se_a: Mapped[float] = mapped_column(Float)
    se_b: Mapped[float] = mapped_column(Float)
    se_c: Mapped[float] = mapped_column(Float)
    proportion_correct: Mapped[float | None] = mapped_column(Float)
    infit: Mapped[float | None] = mapped_column(Float)
    outfit: Mapped[float | None] = mapped_column(Float)
    ability_correlation: Mapped[float | None] = mapped_column(Float)
    flags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    calibrated_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class Cohort(Base):
    """A named group of learners (a course, a bootcamp intake) for the instructor's report."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class CohortMember(Base):
    """A learner in a cohort; a learner may be in several cohorts."""

    __tablename__ = "cohort_members"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"), primary_key=True, index=True)
    joined_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class TeamRole(Base):
    """A group role of a team database (PostgreSQL): the instructors' or the learners'.

    Written by `skillprobe team init`; row-level security policies name these roles.
    """

    __tablename__ = "team_roles"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # instructors / learners
    role_name: Mapped[str] = mapped_column(String(63), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class LearnerRole(Base):
    """Which learner profiles a database login role owns (row-level security reads this)."""

    __tablename__ = "learner_roles"

    role_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"), primary_key=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


# -- practice sessions (issue #15): spaced repetition, kept apart from quizzes -------------
#
# Practice answers never go into `responses`: readiness, calibration and the response
# export read quiz answers only (first exposure), so repeated, explained questions cannot
# inflate an estimate. Each learner has at most one FSRS card per item.


class PracticeSession(Base):
    """One practice session: due reviews first, then new questions from weak topics."""

    __tablename__ = "practice_sessions"
    __table_args__ = (Index("ix_practice_sessions_learner_status", "learner_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"))
    status: Mapped[str] = mapped_column(String(20), default="active")  # active / finished
    settings: Mapped[dict[str, Any]] = mapped_column()  # count, topics and why, abilities used
    seed: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class PracticeAnswer(Base):
    """One practice answer, committed before its feedback is shown (like `Response`)."""

    __tablename__ = "practice_answers"
    __table_args__ = (UniqueConstraint("session_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("practice_sessions.id"), index=True)
    item_version_id: Mapped[int] = mapped_column(ForeignKey("item_versions.id"), index=True)
    parameter_set_id: Mapped[int] = mapped_column(ForeignKey("item_parameter_sets.id"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))  # "review" (a due card) or "new"
    predicted: Mapped[float | None] = mapped_column(Float, default=None)  # P(right) when chosen
    option_order: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    raw_answer: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(Boolean)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    response_time_ms: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class PracticeCard(Base):
    """A learner's FSRS card for one item: created at the first miss, due on a spaced schedule."""

    __tablename__ = "practice_cards"
    __table_args__ = (
        UniqueConstraint("learner_id", "item_id"),
        Index("ix_practice_cards_learner_due", "learner_id", "due"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"))
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"))
    state: Mapped[int] = mapped_column(Integer)  # fsrs.State: learning, review, relearning
    step: Mapped[int | None] = mapped_column(Integer, default=None)
    stability: Mapped[float | None] = mapped_column(Float, default=None)
    difficulty: Mapped[float | None] = mapped_column(Float, default=None)
    due: Mapped[dt.datetime] = mapped_column()
    last_review: Mapped[dt.datetime | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class PracticeReview(Base):
    """FSRS's review log: one rating of a card, from a quiz answer or a practice answer."""

    __tablename__ = "practice_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("practice_cards.id"), index=True)
    rating: Mapped[int] = mapped_column(Integer)  # fsrs.Rating: 1 again ... 4 easy
    reviewed_at: Mapped[dt.datetime] = mapped_column()
    duration_ms: Mapped[int | None] = mapped_column(Integer, default=None)
    # Exactly one of these says which answer the rating came from; unique, so an answer is
    # never applied to a card twice.
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("responses.id"), unique=True, default=None
    )
    practice_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_answers.id"), unique=True, default=None
    )

"""Cohorts: named groups of learners, joining one, and the instructor's cohort report.

`CohortService` is what the CLI (`skillprobe cohort`) and the app's Cohort
screen call. It reads the cohort's activity in one unit of work
(`engine.db.cohort_store`), turns it into the pure core's `CohortData`, and
computes the report with `engine.report.cohort.build_cohort_report`.
Refusals raise `CohortError` (a `QuizError`, so the app shows its message).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from engine.bank.model import AreaInfo
from engine.db import cohort_store, quiz_store
from engine.db.database import Database
from engine.db.faults import StorageError
from engine.report.cohort import (
    CalibrationNote,
    CohortAnswers,
    CohortData,
    CohortItem,
    CohortQuiz,
    CohortReport,
    Window,
    build_cohort_report,
)
from engine.service import history
from engine.service.cohort_choice import COHORT_VARIABLE
from engine.service.errors import QuizError
from engine.text import printable

__all__ = ["COHORT_VARIABLE", "CohortError", "CohortService", "CohortSummary", "MembershipChange"]

MAX_NAME_LENGTH = 120


class CohortError(QuizError):
    """A cohort request that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class CohortSummary:
    name: str
    members: int
    created_at: dt.datetime


@dataclass(frozen=True)
class MembershipChange:
    cohort: str
    changed: int  # learners added or removed
    unchanged: int  # already in (add) or not in (remove)
    created: bool = False  # the cohort was created by this call


#: PostgreSQL's insufficient_privilege: a missing grant, or a row-level security policy.
_INSUFFICIENT_PRIVILEGE = "42501"
_UNIQUE_VIOLATION = "23505"


@contextmanager
def _refused_by_team_policy(what: str) -> Iterator[None]:
    """A write a team database's roles do not allow becomes a `CohortError` saying so."""
    try:
        yield
    except (DBAPIError, StorageError) as error:
        # The unit of work has usually translated the driver's error already (a
        # `PermissionDeniedError` or `DatabaseConflictError`); its cause is the original.
        original = error if isinstance(error, DBAPIError) else error.__cause__
        state = getattr(getattr(original, "orig", None), "sqlstate", None)
        if state == _INSUFFICIENT_PRIVILEGE or (
            state == _UNIQUE_VIOLATION and "learners" in str(getattr(original, "orig", ""))
        ):
            raise CohortError(
                f"the database does not let your role {what}: on a team database each "
                "learner's role writes only its own learners' data, and instructors manage "
                "cohorts (docs/operations.md)"
            ) from error
        raise


def check_cohort_name(name: str) -> str:
    """The name, stripped; refused when empty, too long or holding control characters."""
    stripped = name.strip()
    if not stripped:
        raise CohortError("the cohort name is empty")
    if len(stripped) > MAX_NAME_LENGTH:
        raise CohortError(f"a cohort name has at most {MAX_NAME_LENGTH} characters")
    if printable(stripped) != stripped:
        raise CohortError("a cohort name cannot hold control characters or line breaks")
    return stripped


def _did_you_mean(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"; did you mean {printable(close[0])!r}?" if close else ""


def day_start(day: dt.date) -> dt.datetime:
    """Midnight UTC at the start of ``day`` (report dates are UTC days)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)


def day_end(day: dt.date) -> dt.datetime:
    """The last moment of ``day`` in UTC."""
    return day_start(day) + dt.timedelta(days=1, microseconds=-1)


class CohortService:
    def __init__(self, database: Database) -> None:
        self._database = database

    # -- cohorts and members --------------------------------------------------------------

    def cohorts(self) -> list[CohortSummary]:
        with self._database.reader() as session:
            stored = cohort_store.cohorts(session)
        return [CohortSummary(c.name, c.members, c.created_at) for c in stored]

    def members(self, cohort: str) -> list[str]:
        with self._database.reader() as session:
            return cohort_store.member_names(session, self._known_cohort(session, cohort))

    def add(self, cohort: str, learners: Sequence[str]) -> MembershipChange:
        """Add existing learners to the cohort, creating the cohort if it is new."""
        name = check_cohort_name(cohort)
        with _refused_by_team_policy("change cohorts"), self._database.unit_of_work() as session:
            ids = self._known_learners(session, learners)
            cohort_id = cohort_store.cohort_id(session, name)
            created = cohort_id is None
            if cohort_id is None:
                cohort_id = cohort_store.create_cohort(session, name)
            added = cohort_store.add_members(session, cohort_id, ids.values())
        return MembershipChange(name, added, len(ids) - added, created)

    def remove(self, cohort: str, learners: Sequence[str]) -> MembershipChange:
        """Take learners out of the cohort (their answers stay)."""
        with _refused_by_team_policy("change cohorts"), self._database.unit_of_work() as session:
            cohort_id = self._known_cohort(session, cohort)
            ids = self._known_learners(session, learners)
            removed = cohort_store.remove_members(session, cohort_id, ids.values())
        return MembershipChange(cohort.strip(), removed, len(ids) - removed)

    def delete(self, cohort: str) -> MembershipChange:
        """Delete the cohort itself: the learners and their answers stay."""
        with _refused_by_team_policy("delete cohorts"), self._database.unit_of_work() as session:
            removed = cohort_store.delete_cohort(session, self._known_cohort(session, cohort))
        return MembershipChange(cohort.strip(), removed, 0)

    def join(self, learner: str, cohort: str) -> bool:
        """Put ``learner`` (created if new) in an existing cohort; False when already in it."""
        name = learner.strip()
        if not name:
            raise CohortError("the learner name is empty")
        with (
            _refused_by_team_policy(f"add {printable(name)!r} to a cohort"),
            self._database.unit_of_work() as session,
        ):
            cohort_id = self._known_cohort(session, cohort)
            learner_id = quiz_store.learner_id(session, name, create=True)
            assert learner_id is not None
            return cohort_store.add_members(session, cohort_id, [learner_id]) == 1

    def _known_cohort(self, session: Session, cohort: str) -> int:
        name = cohort.strip()
        found = cohort_store.cohort_id(session, name)
        if found is not None:
            return found
        known = cohort_store.cohort_names(session)
        hint = _did_you_mean(name, known)
        if not hint:
            hint = "; cohorts: " + ", ".join(map(printable, known)) if known else "; none yet"
        raise CohortError(
            f"no cohort named {printable(name)!r}{hint} (`skillprobe cohort add NAME` creates one)"
        )

    def _known_learners(self, session: Session, names: Sequence[str]) -> dict[str, int]:
        wanted = [name.strip() for name in names if name.strip()]
        found = cohort_store.learner_ids(session, wanted)
        missing = [name for name in wanted if name not in found]
        if missing:
            known = quiz_store.learner_names(session)
            first = missing[0]
            raise CohortError(
                f"no learner named {printable(first)!r}{_did_you_mean(first, known)}"
                + (f" (and {len(missing) - 1} more unknown)" if len(missing) > 1 else "")
                + "; nothing was changed. A learner exists once they have started a quiz or "
                "joined a cohort (`skillprobe quiz --cohort NAME`)"
            )
        return found

    # -- the report ------------------------------------------------------------------------

    def report(
        self,
        cohort: str,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        now: dt.datetime | None = None,
    ) -> CohortReport:
        """The cohort report for quizzes started from ``since`` to ``until`` (UTC days;
        default: from the start, to today)."""
        moment = now or dt.datetime.now(dt.UTC)
        end = day_end(until) if until is not None else moment
        start = day_start(since) if since is not None else None
        if start is not None and start > end:
            if until is None:
                raise CohortError(f"the start date {since} is in the future")
            raise CohortError(f"the start date {since} is after the end date {until}")
        with self._database.reader() as session:
            cohort_id = self._known_cohort(session, cohort)
            activity = cohort_store.cohort_activity(session, cohort_id, end)
            areas = quiz_store.area_infos(session)
        # Imported here: the quiz command joins cohorts and needs none of calibration.
        from engine.service.calibration_service import item_diagnostics

        diagnostics = item_diagnostics(self._database)
        notes = {
            item: CalibrationNote(
                d.responses,
                d.proportion_correct,
                d.infit,
                d.outfit,
                tuple(str(flag) for flag in d.flags),
            )
            for item, d in diagnostics.items()
        }
        data = cohort_data(cohort.strip(), areas, activity)
        report = build_cohort_report(data, Window(start, end), calibration=notes)
        if report.items:
            with self._database.reader() as session:
                prompts = cohort_store.item_prompts(session, [i.item_id for i in report.items])
            report = dataclasses.replace(
                report,
                items=tuple(
                    dataclasses.replace(item, prompt=prompts.get(item.item_id, ""))
                    for item in report.items
                ),
            )
        return report


def cohort_data(
    name: str, areas: Sequence[AreaInfo], activity: cohort_store.CohortActivity
) -> CohortData:
    """Stored activity as the pure core's columns: indices instead of ids."""
    learner_index = {learner_id: k for k, (learner_id, _) in enumerate(activity.members)}
    quizzes = tuple(
        CohortQuiz(
            q.id,
            learner_index[q.learner_id],
            q.started_at,
            history.quiz_priors(q.settings),  # carried over, else the population prior used
        )
        for q in activity.quizzes
    )
    quiz_ids = np.array([q.id for q in activity.quizzes], dtype=np.int64)
    order = np.argsort(quiz_ids)
    stored = activity.answers
    quiz_position = order[np.searchsorted(quiz_ids[order], stored.quiz_id)]
    parameter_ids, parameters_of_answer = np.unique(stored.parameter_set_id, return_inverse=True)
    answered = [activity.parameters[int(p)] for p in parameter_ids]
    item_ids = sorted({p.item_id for p in answered})
    items = tuple(CohortItem(i, activity.items[i].area, activity.items[i].topic) for i in item_ids)
    item_index = {item_id: k for k, item_id in enumerate(item_ids)}
    item_of_parameters = np.array([item_index[p.item_id] for p in answered], dtype=np.intp)
    parameter_values = np.array([(p.a, p.b, p.c) for p in answered], dtype=np.float64)
    parameter_values = parameter_values.reshape(-1, 3)
    which = parameters_of_answer.reshape(-1)
    item = item_of_parameters[which]
    parameters = parameter_values[which]
    return CohortData(
        name=name,
        areas=tuple(areas),
        learners=tuple(learner for _, learner in activity.members),
        quizzes=quizzes,
        items=items,
        answers=CohortAnswers(
            quiz=quiz_position.astype(np.intp),
            item=item,
            a=parameters[:, 0],
            b=parameters[:, 1],
            c=parameters[:, 2],
            correct=stored.correct,
        ),
    )

"""Cohorts through the service on both backends; a report that agrees with each learner's own."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.db.database import Database
from engine.service.cohort_service import CohortError, CohortService
from engine.service.quiz_service import QuizService
from tests.team.conftest import take_quiz


def test_cohorts_are_created_filled_emptied_and_deleted(bank_database: Database) -> None:
    for name in ("ana", "bob", "cy"):
        take_quiz(bank_database, name, seed=len(name))
    service = CohortService(bank_database)
    change = service.add("spring", ["ana", "bob"])
    assert (change.created, change.changed, change.unchanged) == (True, 2, 0)
    change = service.add("spring", ["bob", "cy"])
    assert (change.created, change.changed, change.unchanged) == (False, 1, 1)
    assert service.members("spring") == ["ana", "bob", "cy"]
    assert [(c.name, c.members) for c in service.cohorts()] == [("spring", 3)]
    change = service.remove("spring", ["ana", "ana"])
    assert (change.changed, change.unchanged) == (1, 0)
    assert service.members("spring") == ["bob", "cy"]
    service.add("autumn", ["bob"])
    assert service.delete("spring").changed == 2
    assert [(c.name, c.members) for c in service.cohorts()] == [("autumn", 1)]
    assert QuizService(bank_database).learners() == ["ana", "bob", "cy"]  # learners stay


def test_an_unknown_learner_changes_nothing(bank_database: Database) -> None:
    take_quiz(bank_database, "ana", seed=1)
    service = CohortService(bank_database)
    with pytest.raises(CohortError, match=r"no learner named 'anna'; did you mean 'ana'\?"):
        service.add("spring", ["ana", "anna"])
    assert service.cohorts() == []  # not even created
    service.add("spring", ["ana"])
    with pytest.raises(CohortError, match=r"no learner named 'zed'.*nothing was changed"):
        service.remove("spring", ["ana", "zed"])
    assert service.members("spring") == ["ana"]


def test_an_unknown_cohort_is_named_with_a_suggestion(bank_database: Database) -> None:
    service = CohortService(bank_database)
    with pytest.raises(CohortError, match="no cohort named 'spring'; none yet"):
        service.members("spring")
    service.add("spring-2026", [])
    with pytest.raises(CohortError, match=r"did you mean 'spring-2026'\?"):
        service.report("spring-202")
    with pytest.raises(CohortError, match="cohorts: spring-2026"):
        service.delete("zzz")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("  ", "empty"),
        ("x" * 121, "at most 120"),
        ("a\x1b[2Jb", "control characters"),
        ("a\nb", "control"),
    ],
)
def test_cohort_names_are_checked(bank_database: Database, name: str, problem: str) -> None:
    with pytest.raises(CohortError, match=problem):
        CohortService(bank_database).add(name, [])


def test_joining_creates_the_learner_and_happens_once(bank_database: Database) -> None:
    service = CohortService(bank_database)
    with pytest.raises(CohortError, match="no cohort named"):
        service.join("newbie", "spring")
    assert QuizService(bank_database).learners() == []  # no learner made for nothing
    service.add("spring", [])
    assert service.join("newbie", "spring") is True
    assert service.join("newbie", "spring") is False
    assert service.members("spring") == ["newbie"]


def test_the_cohort_report_agrees_with_every_learners_own_report(bank_database: Database) -> None:
    quiz = QuizService(bank_database)
    for seed, name in enumerate(("ana", "bob", "cy")):
        take_quiz(bank_database, name, seed=seed, length=8)
        take_quiz(bank_database, name, seed=seed + 10, length=8)
    CohortService(bank_database).add("spring", ["ana", "bob", "cy"])
    report = CohortService(bank_database).report("spring")
    assert [row.name for row in report.learners] == ["ana", "bob", "cy"]
    total = 0
    for row in report.learners:
        own = quiz.report(quiz.latest_quiz(row.name).session_id)
        # Counted answers only: the second quiz may repeat an item whose key the first showed.
        counted = sum(quiz.report(q.session_id).answered for q in quiz.quizzes(row.name))
        assert row.quizzes == 2 and row.answered == counted >= 14
        total += counted
        for area in own.areas:
            mine = row.areas[area.area]
            assert mine.quiz_id == own.session_id
            assert mine.estimate == pytest.approx(area.estimate, abs=1e-9)
            assert mine.se == pytest.approx(area.se, abs=1e-9)
            assert mine.p_job_ready == pytest.approx(area.p_job_ready, abs=1e-9)
            assert mine.level == area.level
            assert mine.levels == pytest.approx(area.levels.probabilities, abs=1e-9)
    assert report.answers == total
    assert {area.area for area in report.areas} >= {"math", "swe"}


def test_the_report_window_is_in_utc_days(bank_database: Database) -> None:
    take_quiz(bank_database, "ana", seed=1)
    service = CohortService(bank_database)
    service.add("spring", ["ana"])
    today = dt.datetime.now(dt.UTC).date()
    yesterday = today - dt.timedelta(days=1)
    assert service.report("spring", until=yesterday).learners[0].quizzes == 0
    assert service.report("spring", until=yesterday).learners[0].areas == {}
    assert service.report("spring", since=today).learners[0].quizzes == 1
    with pytest.raises(CohortError, match="is in the future"):
        service.report("spring", since=today + dt.timedelta(days=1))
    with pytest.raises(CohortError, match="is after the end date"):
        service.report("spring", since=today, until=yesterday)


def test_an_empty_cohort_has_a_report(bank_database: Database) -> None:
    service = CohortService(bank_database)
    service.add("empty", [])
    report = service.report("empty")
    assert (report.members, report.active, report.answers, report.items) == (0, 0, 0, ())
    assert all(area.measured == 0 for area in report.areas)

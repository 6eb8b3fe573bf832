"""Migration 0003 (cohorts, team roles) goes down and up again with data in its tables."""

from __future__ import annotations

from sqlalchemy import inspect, text

from engine.db.database import Database
from engine.db.migrate import current_revision, downgrade, head_revision, upgrade
from engine.service.cohort_service import CohortService
from tests.team.conftest import practise, take_quiz

NEW_TABLES = {"cohorts", "cohort_members", "team_roles", "learner_roles"}


def tables(database: Database) -> set[str]:
    with database.engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def test_down_to_0002_and_up_again_with_cohorts_in_it(bank_database: Database) -> None:
    take_quiz(bank_database, "ana", seed=1)
    CohortService(bank_database).add("spring", ["ana"])
    assert downgrade(bank_database, "0002_calibration_scale") == "0002_calibration_scale"
    assert not tables(bank_database) & NEW_TABLES
    assert "responses" in tables(bank_database)  # the learners' answers are untouched
    upgrade(bank_database)
    assert current_revision(bank_database) == head_revision()
    assert tables(bank_database) >= NEW_TABLES
    assert CohortService(bank_database).cohorts() == []
    CohortService(bank_database).add("spring", ["ana"])  # the learner is still there


def test_every_migration_goes_down_and_up_with_quizzes_and_practice_stored(
    bank_database: Database,
) -> None:
    """On SQLite a batch copy of a table that stored rows reference fails on their foreign
    keys: 0004 (quiz_sessions) and 0005 (responses, which practice reviews reference) alter
    in place. A quiz's misses and a practice session make rows in every table involved."""
    take_quiz(bank_database, "ana", seed=1)
    practise(bank_database, "ana", seed=2)
    assert downgrade(bank_database, "0002_calibration_scale") == "0002_calibration_scale"
    upgrade(bank_database)
    assert current_revision(bank_database) == head_revision()
    with bank_database.engine.connect() as connection:
        answers = connection.execute(text("SELECT count(*) FROM responses")).scalar_one()
    assert answers > 0  # the learner's answers survived both ways

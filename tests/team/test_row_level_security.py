"""Row-level security on a team database: a learner's role sees and changes only its own rows.

Everything here connects as real login roles (PostgreSQL), runs real quizzes through the
service, then tries to read, change and delete another learner's rows with plain SQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from engine.db.database import Database
from engine.db.row_security import TABLE_ACCESS
from engine.service import team_service
from engine.service.cohort_service import CohortError, CohortService
from engine.service.quiz_service import QuizService
from tests.team.conftest import Team, practise, take_quiz

pytestmark = pytest.mark.postgres

PER_LEARNER = [access.table for access in TABLE_ACCESS if access.per_learner]
UPDATABLE = [access.table for access in TABLE_ACCESS if "UPDATE" in access.learners_write]
NOT_UPDATABLE = [t for t in PER_LEARNER if t not in UPDATABLE]


def scalar(database: Database, sql: str, **parameters: object) -> object:
    with database.engine.connect() as connection:
        return connection.execute(text(sql), parameters).scalar()


def rows(database: Database, sql: str, **parameters: object) -> list[tuple[object, ...]]:
    with database.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), parameters)]


def write(database: Database, sql: str, **parameters: object) -> int:
    with database.engine.begin() as connection:
        return connection.execute(text(sql), parameters).rowcount


def learner_id(team: Team, name: str) -> int:
    value = scalar(team.admin, "SELECT id FROM learners WHERE name = :n", n=name)
    assert isinstance(value, int)
    return value


def counts(database: Database) -> dict[str, int]:
    return {table: int(scalar(database, f"SELECT count(*) FROM {table}")) for table in PER_LEARNER}


@pytest.fixture
def quizzed(team: Team) -> Team:
    """Ana and Bob have each taken two quizzes and practised once, as themselves."""
    for seed in (1, 2):
        take_quiz(team.ana, "ana", seed)
        take_quiz(team.bob, "bob", seed + 10)
    practise(team.ana, "ana", 3)
    practise(team.bob, "bob", 13)
    CohortService(team.teacher).add("spring", ["ana", "bob"])
    return team


def test_each_learner_reads_only_their_own_rows(quizzed: Team) -> None:
    ana, bob = learner_id(quizzed, "ana"), learner_id(quizzed, "bob")
    assert rows(quizzed.ana, "SELECT name FROM learners") == [("ana",)]
    assert {r[0] for r in rows(quizzed.ana, "SELECT learner_id FROM quiz_sessions")} == {ana}
    own_sessions = {
        r[0]
        for r in rows(quizzed.admin, "SELECT id FROM quiz_sessions WHERE learner_id = :i", i=ana)
    }
    seen = rows(quizzed.ana, "SELECT session_id FROM responses")
    assert seen and {r[0] for r in seen} == own_sessions
    assert len(seen) == scalar(
        quizzed.admin,
        "SELECT count(*) FROM responses r JOIN quiz_sessions q ON q.id = r.session_id "
        "WHERE q.learner_id = :i",
        i=ana,
    )
    assert {r[0] for r in rows(quizzed.ana, "SELECT learner_id FROM cohort_members")} == {ana}
    assert rows(quizzed.ana, "SELECT role_name FROM learner_roles") == [(quizzed.role_of("ana"),)]
    # Bob's rows exist, and Ana sees none of them, even asked for by id.
    assert (
        scalar(quizzed.ana, "SELECT count(*) FROM quiz_sessions WHERE learner_id = :b", b=bob) == 0
    )
    assert (
        scalar(quizzed.admin, "SELECT count(*) FROM quiz_sessions WHERE learner_id = :b", b=bob)
        == 2
    )


def test_the_service_sees_only_the_learners_own_profile(quizzed: Team) -> None:
    service = QuizService(quizzed.ana)
    assert service.learners() == ["ana"]
    assert len(service.quizzes("ana")) == 2
    assert service.quizzes("bob") == []  # invisible, not an error that names Bob's data


def test_a_learner_cannot_change_another_learners_rows(quizzed: Team) -> None:
    bob = learner_id(quizzed, "bob")
    before = counts(quizzed.admin)
    bob_answers = rows(
        quizzed.admin,
        "SELECT r.id, correct FROM responses r JOIN quiz_sessions q "
        "ON q.id = r.session_id WHERE q.learner_id = :b ORDER BY r.id",
        b=bob,
    )
    changed = write(
        quizzed.ana, "UPDATE quiz_sessions SET status = 'active' WHERE learner_id = :b", b=bob
    )
    assert changed == 0  # Bob's quizzes are invisible to Ana, so none matches
    with pytest.raises(DBAPIError, match="permission denied"):  # no answer is ever rewritten
        write(
            quizzed.ana,
            "UPDATE responses SET correct = NOT correct WHERE session_id IN "
            "(SELECT id FROM quiz_sessions WHERE learner_id = :b)",
            b=bob,
        )
    after = rows(
        quizzed.admin,
        "SELECT r.id, correct FROM responses r JOIN quiz_sessions q "
        "ON q.id = r.session_id WHERE q.learner_id = :b ORDER BY r.id",
        b=bob,
    )
    assert after == bob_answers
    assert counts(quizzed.admin) == before
    assert scalar(quizzed.admin, "SELECT name FROM learners WHERE id = :b", b=bob) == "bob"


def test_a_learner_cannot_write_rows_that_belong_to_another_learner(quizzed: Team) -> None:
    bob = learner_id(quizzed, "bob")
    bob_quiz = scalar(
        quizzed.admin, "SELECT min(id) FROM quiz_sessions WHERE learner_id = :b", b=bob
    )
    version, parameters = rows(
        quizzed.admin,
        "SELECT item_version_id, parameter_set_id FROM responses WHERE session_id = :q LIMIT 1",
        q=bob_quiz,
    )[0]
    with pytest.raises(DBAPIError, match="row-level security"):
        write(
            quizzed.ana,
            "INSERT INTO responses (session_id, item_version_id, parameter_set_id, position, "
            "raw_answer, correct, skipped, response_time_ms, answered_at) VALUES "
            "(:q, :v, :p, 99, '{}', true, false, 1, now())",
            q=bob_quiz,
            v=version,
            p=parameters,
        )
    ana_quiz = scalar(
        quizzed.admin,
        "SELECT min(id) FROM quiz_sessions WHERE learner_id = :a",
        a=learner_id(quizzed, "ana"),
    )
    with pytest.raises(DBAPIError, match="row-level security"):  # moving her quiz to Bob
        write(
            quizzed.ana, "UPDATE quiz_sessions SET learner_id = :b WHERE id = :q", b=bob, q=ana_quiz
        )
    with pytest.raises(DBAPIError, match="permission denied"):  # a profile of her own making
        write(quizzed.ana, "INSERT INTO learners (name, created_at) VALUES ('eve', now())")
    with pytest.raises(DBAPIError, match="permission denied"):  # claiming Bob's profile
        write(
            quizzed.ana,
            "INSERT INTO learner_roles (role_name, learner_id, created_at) VALUES (:r, :b, now())",
            r=quizzed.role_of("ana"),
            b=bob,
        )
    assert scalar(quizzed.admin, "SELECT count(*) FROM responses WHERE position = 99") == 0


@pytest.mark.parametrize("table", PER_LEARNER)
def test_a_learner_can_delete_no_rows_at_all(quizzed: Team, table: str) -> None:
    before = counts(quizzed.admin)
    with pytest.raises(DBAPIError, match="permission denied"):
        write(quizzed.ana, f"DELETE FROM {table}")
    with pytest.raises(DBAPIError, match="permission denied"):
        write(quizzed.bob, f"DELETE FROM {table}")
    assert counts(quizzed.admin) == before


@pytest.mark.parametrize("table", UPDATABLE)
def test_an_update_of_every_row_touches_only_the_learners_own(quizzed: Team, table: str) -> None:
    own = counts(quizzed.ana)[table]
    everyone = counts(quizzed.admin)[table]
    assert 0 < own < everyone
    assert write(quizzed.ana, f"UPDATE {table} SET id = id") == own


@pytest.mark.parametrize("table", NOT_UPDATABLE)
def test_rows_a_learner_may_not_change_even_their_own(quizzed: Team, table: str) -> None:
    """Answers once given, the profile, memberships and role mappings stay as written."""
    column = {"cohort_members": "learner_id", "learner_roles": "learner_id"}.get(table, "id")
    with pytest.raises(DBAPIError, match="permission denied"):
        write(quizzed.ana, f"UPDATE {table} SET {column} = {column}")


def test_learners_read_the_bank_but_cannot_change_it(quizzed: Team) -> None:
    assert scalar(quizzed.ana, "SELECT count(*) FROM items") == 16
    assert scalar(quizzed.ana, "SELECT count(*) FROM cohorts") == 1
    for sql in (
        "UPDATE item_parameter_sets SET b = b + 1",
        "DELETE FROM item_versions",
        "INSERT INTO cohorts (name, created_at) VALUES ('mine', now())",
    ):
        with pytest.raises(DBAPIError, match="permission denied"):
            write(quizzed.ana, sql)


def test_the_instructor_reads_everything_and_changes_no_answer(quizzed: Team) -> None:
    assert counts(quizzed.teacher) == counts(quizzed.admin)
    assert sorted(QuizService(quizzed.teacher).learners()) == ["ana", "bob"]
    for sql in ("UPDATE responses SET correct = true", "DELETE FROM quiz_sessions"):
        with pytest.raises(DBAPIError, match="permission denied"):
            write(quizzed.teacher, sql)
    report = CohortService(quizzed.teacher).report("spring")
    assert [row.name for row in report.learners] == ["ana", "bob"]
    assert all(row.quizzes == 2 for row in report.learners)


def test_a_learner_joins_a_cohort_only_as_themselves(quizzed: Team) -> None:
    CohortService(quizzed.teacher).add("autumn", [])
    assert CohortService(quizzed.ana).join("ana", "autumn") is True
    with pytest.raises(CohortError, match="does not let your role"):
        CohortService(quizzed.ana).join("bob", "autumn")
    with pytest.raises(CohortError, match="no learner named 'bob'"):  # Bob is invisible to Ana
        CohortService(quizzed.ana).add("autumn", ["bob"])
    with pytest.raises(CohortError, match="does not let your role change cohorts"):
        CohortService(quizzed.ana).add("winter", [])
    with pytest.raises(CohortError, match="does not let your role delete cohorts"):
        CohortService(quizzed.ana).delete("autumn")
    assert CohortService(quizzed.teacher).members("autumn") == ["ana"]


def test_team_init_is_idempotent_and_keeps_its_roles(quizzed: Team) -> None:
    again = team_service.init_team(quizzed.admin)
    assert again.created == ()
    assert again.groups.learners == f"{quizzed.prefix}_learners"
    with pytest.raises(team_service.TeamError, match="already set up"):
        team_service.init_team(quizzed.admin, "another")
    assert rows(quizzed.ana, "SELECT name FROM learners") == [("ana",)]
    state = team_service.team_status(quizzed.admin)
    assert state.unprotected_tables == ()
    assert state.instructors == (quizzed.role_of("teacher"),)
    assert {m.role: m.learners for m in state.learner_roles} == {
        quizzed.role_of("ana"): ("ana",),
        quizzed.role_of("bob"): ("bob",),
    }


def test_only_the_owner_may_set_up_a_team(quizzed: Team) -> None:
    with pytest.raises(team_service.TeamError, match="owns the skillprobe tables"):
        team_service.init_team(quizzed.teacher)
    with pytest.raises(team_service.TeamError, match="the database refused"):
        team_service.add_learner(quizzed.teacher, "mallory", f"{quizzed.prefix}_mallory")


def test_a_role_that_could_read_everything_is_never_made_a_learner(quizzed: Team) -> None:
    owner = str(scalar(quizzed.admin, "SELECT current_user"))
    with pytest.raises(team_service.TeamError, match="would see every learner's data"):
        team_service.add_learner(quizzed.admin, "sneaky", owner)
    with pytest.raises(team_service.TeamError, match="instructor or a learner, not both"):
        team_service.add_learner(quizzed.admin, "teacher-too", quizzed.role_of("teacher"))


def test_an_existing_role_is_enrolled_without_a_new_password(quizzed: Team) -> None:
    added = team_service.add_learner(quizzed.admin, "ana-practice", quizzed.role_of("ana"))
    assert not added.created and added.password is None and added.learner_created
    names = {r[0] for r in rows(quizzed.ana, "SELECT name FROM learners")}
    assert names == {"ana", "ana-practice"}


def test_the_migration_goes_down_through_the_team_policies(quizzed: Team) -> None:
    """0003's downgrade drops the policies that read learner_roles before the table itself."""
    from engine.db.migrate import downgrade, upgrade

    assert downgrade(quizzed.admin, "0002_calibration_scale") == "0002_calibration_scale"
    assert (
        scalar(
            quizzed.admin, "SELECT count(*) FROM pg_policies WHERE schemaname = current_schema()"
        )
        == 0
    )
    upgrade(quizzed.admin)
    assert scalar(quizzed.admin, "SELECT count(*) FROM responses") > 0

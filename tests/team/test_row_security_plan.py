"""The row-level security plan covers every table, and its SQL says what it should."""

from __future__ import annotations

from engine.db.models import Base
from engine.db.row_security import (
    INSTRUCTOR_POLICY,
    LEARNER_POLICY,
    TABLE_ACCESS,
    GroupRoles,
    TableAccess,
    learner_owned,
    owned_through,
    plan_problems,
    shared,
    table_statements,
)

GROUPS = GroupRoles("t_instructors", "t_learners")


def _quote(name: str) -> str:
    return f'"{name}"'


def test_every_table_is_in_the_plan() -> None:
    """A new table must say who may use it: one line in TABLE_ACCESS (engine/db/row_security.py)."""
    planned = {access.table for access in TABLE_ACCESS}
    assert set(Base.metadata.tables) | {"alembic_version"} == planned


def test_the_plan_is_consistent() -> None:
    assert plan_problems() == []


def test_answers_once_given_cannot_be_changed_by_learners() -> None:
    by_table = {access.table: access for access in TABLE_ACCESS}
    assert by_table["responses"].learners_write == ("INSERT",)
    assert by_table["learners"].learners_write == ()
    assert all("DELETE" not in access.learners_write for access in TABLE_ACCESS)
    statements = table_statements(by_table["responses"], GROUPS, _quote)
    assert 'GRANT INSERT ON "responses" TO "t_learners"' in statements


def test_learner_data_is_per_learner_and_the_bank_is_shared() -> None:
    by_table = {access.table: access for access in TABLE_ACCESS}
    for table in ("learners", "quiz_sessions", "responses", "cohort_members", "learner_roles"):
        assert by_table[table].per_learner, table
    for table in ("areas", "topics", "items", "item_versions", "item_parameter_sets", "cohorts"):
        assert not by_table[table].per_learner, table
        assert not by_table[table].learners_write, table


def test_plan_problems_are_found() -> None:
    plan = (
        shared("a"),
        shared("a"),
        TableAccess("b", learners_write=("INSERT",)),
        learner_owned("e", learners_write=("DELETE",)),
        owned_through("c", "a_id", parent="a"),
        owned_through("d", "x_id", parent="missing"),
    )
    problems = plan_problems(plan)
    assert "a is listed twice" in problems
    assert "b: learners may write only their own rows" in problems
    assert "c: its parent a is not per-learner" in problems
    assert "d: its parent missing is not per-learner" in problems
    assert "e: learners may only insert and update, not {'DELETE'}" in problems


def test_a_per_learner_table_gets_both_policies_and_no_delete_for_learners() -> None:
    statements = table_statements(learner_owned("practice_cards"), GROUPS, _quote)
    text = "\n".join(statements)
    assert f'CREATE POLICY {LEARNER_POLICY} ON "practice_cards" FOR ALL TO "t_learners"' in text
    own = "learner_id IN (SELECT learner_id FROM learner_roles WHERE role_name = current_user)"
    assert f"USING ({own})" in text
    assert "WITH CHECK (learner_id IN" in text
    assert f'{INSTRUCTOR_POLICY} ON "practice_cards" FOR ALL TO "t_instructors"' in text
    assert 'ALTER TABLE "practice_cards" ENABLE ROW LEVEL SECURITY' in text
    assert 'GRANT INSERT, UPDATE ON "practice_cards" TO "t_learners"' in text
    assert not any("GRANT" in s and "DELETE" in s and "t_learners" in s for s in statements)


def test_rows_owned_through_a_parent_use_the_parents_policy() -> None:
    statements = table_statements(
        owned_through("reviews", "card_id", parent="practice_cards"), GROUPS, _quote
    )
    assert any("USING (card_id IN (SELECT id FROM practice_cards))" in s for s in statements)


def test_a_shared_table_has_no_policy_and_no_learner_writes() -> None:
    statements = table_statements(shared("cohorts", instructors_write=True), GROUPS, _quote)
    text = "\n".join(statements)
    assert "POLICY" not in text
    assert 'GRANT SELECT ON "cohorts" TO "t_instructors", "t_learners"' in text
    assert 'GRANT INSERT, UPDATE, DELETE ON "cohorts" TO "t_instructors"' in text
    assert not any("INSERT" in s and "t_learners" in s for s in statements)

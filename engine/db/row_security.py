"""Who may read and write each table of a team database: the row-level security plan.

A team database (PostgreSQL) has three kinds of role. The *admin* owns the
tables (it ran the migrations) and is not subject to row-level security: it
imports the bank, calibrates and runs `skillprobe team`. The *instructors*
group reads everything and manages cohorts. The *learners* group reads the
bank and reads and writes only the rows of the learner profiles its login role
owns (the `learner_roles` table says which).

Every table is listed once in `TABLE_ACCESS`. A per-learner table names how
its rows find their learner, and the policy is built from that:

* `learner_owned("practice_cards")` for a table with a ``learner_id`` column
  (learners may insert and update their own rows; say ``learners_write=("INSERT",)``
  for rows that must never change once written, like answers);
* `owned_through("practice_reviews", "card_id", parent="practice_cards")` for a
  table whose rows belong to a row of another per-learner table (the parent's
  own policy limits the subquery to the learner's rows).

Adding a per-learner table is that one line, then ``skillprobe team init``
again on each team database (docs/operations.md). A table that is not listed
is refused to both groups (no privilege is granted), and
`tests/team/test_row_security_plan.py` fails until it is listed.

This module only builds SQL text from the plan; `engine.db.team_store` runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: Every policy `team init` writes starts with this (the 0003 migration's downgrade
#: finds them by it).
POLICY_PREFIX = "skillprobe_"
LEARNER_POLICY = POLICY_PREFIX + "learner_own_rows"
INSTRUCTOR_POLICY = POLICY_PREFIX + "instructor_all_rows"

#: The login role's own learner ids, as the policies see them.
_OWN_LEARNERS = "SELECT learner_id FROM learner_roles WHERE role_name = current_user"


@dataclass(frozen=True)
class TableAccess:
    """How the two groups may use one table.

    Attributes
    ----------
    table : str
        Table name.
    owner : str or None
        SQL condition true for the rows of the current login role's learners;
        None for a shared table (every team role reads every row).
    learners_write : tuple of str
        What learners may do to their own rows besides reading (``INSERT``,
        ``UPDATE``; never ``DELETE``): only what the app does, so that a learner
        cannot, say, rewrite an answer already given.
    instructors_write : bool
        Instructors may insert, update and delete (every row).
    parent : str or None
        For rows owned through another table: that table (checked to be per-learner).
    """

    table: str
    owner: str | None = None
    learners_write: tuple[str, ...] = ()
    instructors_write: bool = False
    parent: str | None = None

    @property
    def per_learner(self) -> bool:
        return self.owner is not None


def shared(table: str, *, instructors_write: bool = False) -> TableAccess:
    """A table every team role reads in full (the bank, calibration results, cohorts)."""
    return TableAccess(table, instructors_write=instructors_write)


#: What a learner may do to their own rows of a per-learner table unless told otherwise.
INSERT_UPDATE = ("INSERT", "UPDATE")


def learner_owned(
    table: str,
    column: str = "learner_id",
    *,
    learners_write: tuple[str, ...] = INSERT_UPDATE,
    instructors_write: bool = False,
) -> TableAccess:
    """A per-learner table whose ``column`` holds the learner's id."""
    return TableAccess(
        table,
        owner=f"{column} IN ({_OWN_LEARNERS})",
        learners_write=learners_write,
        instructors_write=instructors_write,
    )


def owned_through(
    table: str,
    column: str,
    *,
    parent: str,
    parent_column: str = "id",
    learners_write: tuple[str, ...] = INSERT_UPDATE,
) -> TableAccess:
    """A per-learner table whose rows belong to rows of another per-learner table."""
    return TableAccess(
        table,
        owner=f"{column} IN (SELECT {parent_column} FROM {parent})",
        learners_write=learners_write,
        parent=parent,
    )


TABLE_ACCESS: tuple[TableAccess, ...] = (
    # The bank, calibration and bookkeeping: read by all, written by the admin.
    shared("alembic_version"),
    shared("areas"),
    shared("topics"),
    shared("items"),
    shared("item_versions"),
    shared("item_parameter_sets"),
    shared("bank_imports"),
    shared("area_scales"),
    shared("item_diagnostics"),
    shared("team_roles"),
    # Cohorts are names only: instructors manage them, learners look one up to join.
    shared("cohorts", instructors_write=True),
    # Per-learner data: one line per table. Learners only read their profile (`team
    # add-learner` creates it), add answers without changing them, finish their quizzes
    # and join cohorts.
    learner_owned("learners", "id", learners_write=()),
    learner_owned("quiz_sessions"),
    owned_through("responses", "session_id", parent="quiz_sessions", learners_write=("INSERT",)),
    learner_owned("cohort_members", learners_write=("INSERT",), instructors_write=True),
    # Practice: sessions and FSRS cards change (finished, rescheduled); answers and the
    # review log are written once.
    learner_owned("practice_sessions"),
    owned_through(
        "practice_answers", "session_id", parent="practice_sessions", learners_write=("INSERT",)
    ),
    learner_owned("practice_cards"),
    owned_through(
        "practice_reviews", "card_id", parent="practice_cards", learners_write=("INSERT",)
    ),
    # A login role sees which learners it owns (the policies above read it); only the
    # admin changes it.
    TableAccess("learner_roles", owner="role_name = current_user"),
)


def access_by_table() -> dict[str, TableAccess]:
    return {access.table: access for access in TABLE_ACCESS}


@dataclass(frozen=True)
class GroupRoles:
    """The two group roles of one team database."""

    instructors: str
    learners: str


def plan_problems(plan: tuple[TableAccess, ...] = TABLE_ACCESS) -> list[str]:
    """What is wrong with a plan: duplicates, writable shared rows, parents that are not owned."""
    problems = []
    seen: dict[str, TableAccess] = {}
    for access in plan:
        if access.table in seen:
            problems.append(f"{access.table} is listed twice")
        seen[access.table] = access
        if access.learners_write and not access.per_learner:
            problems.append(f"{access.table}: learners may write only their own rows")
        unknown = set(access.learners_write) - {"INSERT", "UPDATE"}
        if unknown:
            problems.append(f"{access.table}: learners may only insert and update, not {unknown}")
    for access in plan:
        if access.parent is not None and not (
            access.parent in seen and seen[access.parent].per_learner
        ):
            problems.append(f"{access.table}: its parent {access.parent} is not per-learner")
    return problems


def table_statements(
    access: TableAccess, groups: GroupRoles, quote: Callable[[str], str]
) -> list[str]:
    """The SQL that gives one table its privileges and policies (idempotent).

    ``quote`` quotes an identifier for the database at hand.
    """
    table = quote(access.table)
    instructors, learners = quote(groups.instructors), quote(groups.learners)
    statements = [
        f"REVOKE ALL ON {table} FROM {instructors}, {learners}",
        f"GRANT SELECT ON {table} TO {instructors}, {learners}",
    ]
    if access.instructors_write:
        statements.append(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {instructors}")
    if access.owner is None:
        return statements
    if access.learners_write:
        # Never DELETE: the app deletes nothing of a learner's, and a learner may not erase
        # answers. The policy's WITH CHECK keeps every new or changed row the learner's own.
        privileges = ", ".join(p for p in ("INSERT", "UPDATE") if p in access.learners_write)
        statements.append(f"GRANT {privileges} ON {table} TO {learners}")
    statements += [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {LEARNER_POLICY} ON {table}",
        f"CREATE POLICY {LEARNER_POLICY} ON {table} FOR ALL TO {learners} "
        f"USING ({access.owner}) WITH CHECK ({access.owner})",
        f"DROP POLICY IF EXISTS {INSTRUCTOR_POLICY} ON {table}",
        # Instructors see every row; their privileges above say what they may do with it.
        f"CREATE POLICY {INSTRUCTOR_POLICY} ON {table} FOR ALL TO {instructors} "
        "USING (true) WITH CHECK (true)",
    ]
    return statements

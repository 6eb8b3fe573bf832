"""cohorts and team roles: named groups of learners, and who owns which learner (RLS)

Revision ID: 0003_cohorts
Revises: 0002_calibration_scale
Create Date: 2026-12-08 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_cohorts"
down_revision: str | None = "0002_calibration_scale"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Row-level security policies written by `skillprobe team init` all start with this.
POLICY_PREFIX = "skillprobe_"


def upgrade() -> None:
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohorts")),
        sa.UniqueConstraint("name", name=op.f("uq_cohorts_name")),
    )
    op.create_table(
        "team_roles",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_team_roles")),
        sa.UniqueConstraint("role_name", name=op.f("uq_team_roles_role_name")),
    )
    op.create_table(
        "cohort_members",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_cohort_members_cohort_id_cohorts")
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["learners.id"], name=op.f("fk_cohort_members_learner_id_learners")
        ),
        sa.PrimaryKeyConstraint("cohort_id", "learner_id", name=op.f("pk_cohort_members")),
    )
    with op.batch_alter_table("cohort_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cohort_members_learner_id"), ["learner_id"], unique=False
        )
    op.create_table(
        "learner_roles",
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["learners.id"], name=op.f("fk_learner_roles_learner_id_learners")
        ),
        sa.PrimaryKeyConstraint("role_name", "learner_id", name=op.f("pk_learner_roles")),
    )
    with op.batch_alter_table("learner_roles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_learner_roles_learner_id"), ["learner_id"], unique=False
        )


def _drop_team_policies() -> None:
    """Policies of `team init` refer to learner_roles; they go before the table does.

    Written out here rather than imported: a migration must keep working however the
    application code changes later.
    """
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    rows = bind.execute(
        sa.text(
            "SELECT tablename, policyname FROM pg_policies "
            "WHERE schemaname = current_schema() AND policyname LIKE :prefix"
        ),
        {"prefix": POLICY_PREFIX + "%"},
    ).all()
    preparer = bind.dialect.identifier_preparer
    for table, policy in rows:
        op.execute(f"DROP POLICY {preparer.quote(policy)} ON {preparer.quote(table)}")
    tables = {table for table, _ in rows}
    for table in sorted(tables):
        op.execute(f"ALTER TABLE {preparer.quote(table)} DISABLE ROW LEVEL SECURITY")


def downgrade() -> None:
    _drop_team_policies()
    with op.batch_alter_table("learner_roles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learner_roles_learner_id"))
    op.drop_table("learner_roles")
    with op.batch_alter_table("cohort_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_members_learner_id"))
    op.drop_table("cohort_members")
    op.drop_table("team_roles")
    op.drop_table("cohorts")

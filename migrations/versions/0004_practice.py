"""practice sessions: FSRS cards and their review log, practice answers; timed quizzes

Practice answers live in their own table, never in `responses`, so readiness,
calibration and the response export keep reading first-exposure quiz answers only.
A timed quiz keeps its time used (so it survives a resume) and whether it ran out.

Revision ID: 0004_practice
Revises: 0003_cohorts
Create Date: 2026-12-04 18:10:51.553280
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_practice"
down_revision: str | None = "0003_cohorts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "practice_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["learners.id"], name=op.f("fk_practice_sessions_learner_id_learners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_sessions")),
    )
    with op.batch_alter_table("practice_sessions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_practice_sessions_learner_status", ["learner_id", "status"], unique=False
        )

    op.create_table(
        "practice_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=80), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_review", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_practice_cards_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["learners.id"], name=op.f("fk_practice_cards_learner_id_learners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_cards")),
        sa.UniqueConstraint("learner_id", "item_id", name=op.f("uq_practice_cards_learner_id")),
    )
    with op.batch_alter_table("practice_cards", schema=None) as batch_op:
        batch_op.create_index("ix_practice_cards_learner_due", ["learner_id", "due"], unique=False)

    op.create_table(
        "practice_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("item_version_id", sa.Integer(), nullable=False),
        sa.Column("parameter_set_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("predicted", sa.Float(), nullable=True),
        sa.Column("option_order", sa.JSON(), nullable=True),
        sa.Column("raw_answer", sa.Text(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("response_time_ms", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_version_id"],
            ["item_versions.id"],
            name=op.f("fk_practice_answers_item_version_id_item_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["parameter_set_id"],
            ["item_parameter_sets.id"],
            name=op.f("fk_practice_answers_parameter_set_id_item_parameter_sets"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["practice_sessions.id"],
            name=op.f("fk_practice_answers_session_id_practice_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_answers")),
        sa.UniqueConstraint("session_id", "position", name=op.f("uq_practice_answers_session_id")),
    )
    with op.batch_alter_table("practice_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_answers_item_version_id"), ["item_version_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_practice_answers_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "practice_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("response_id", sa.Integer(), nullable=True),
        sa.Column("practice_answer_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["card_id"],
            ["practice_cards.id"],
            name=op.f("fk_practice_reviews_card_id_practice_cards"),
        ),
        sa.ForeignKeyConstraint(
            ["practice_answer_id"],
            ["practice_answers.id"],
            name=op.f("fk_practice_reviews_practice_answer_id_practice_answers"),
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_practice_reviews_response_id_responses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_reviews")),
        sa.UniqueConstraint(
            "practice_answer_id", name=op.f("uq_practice_reviews_practice_answer_id")
        ),
        sa.UniqueConstraint("response_id", name=op.f("uq_practice_reviews_response_id")),
    )
    with op.batch_alter_table("practice_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practice_reviews_card_id"), ["card_id"], unique=False)

    # Added in place (ALTER TABLE ... ADD COLUMN, with a default for the rows there): a
    # batch copy would drop and re-create quiz_sessions, which SQLite's foreign keys refuse
    # while stored answers reference it, i.e. on every database with a quiz in it.
    with op.batch_alter_table("quiz_sessions", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("time_used_ms", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("time_ran_out", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("practice_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_reviews_card_id"))

    op.drop_table("practice_reviews")
    with op.batch_alter_table("practice_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_answers_session_id"))
        batch_op.drop_index(batch_op.f("ix_practice_answers_item_version_id"))

    op.drop_table("practice_answers")
    with op.batch_alter_table("practice_cards", schema=None) as batch_op:
        batch_op.drop_index("ix_practice_cards_learner_due")

    op.drop_table("practice_cards")
    with op.batch_alter_table("practice_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_practice_sessions_learner_status")

    op.drop_table("practice_sessions")
    # Dropped in place (SQLite >= 3.35 has DROP COLUMN): a batch copy would drop and
    # re-create quiz_sessions, which the stored answers reference, and SQLite's foreign
    # keys refuse that while there are answers.
    with op.batch_alter_table("quiz_sessions", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("time_ran_out")
        batch_op.drop_column("time_used_ms")

"""counted responses: whether an answer counts in the learner's estimates

A pretest item's answer, and a repeat of an item whose key the learner was shown,
are stored but not counted; the decision is stored with the answer so that replay,
reports, history, the response export and calibration agree. ``key_shown`` marks
answers given after the key was shown (not a first exposure: calibration leaves
them out). Existing answers were all counted first exposures.

Revision ID: 0005_counted_responses
Revises: 0004_practice
Create Date: 2026-12-04 21:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_counted_responses"
down_revision: str | None = "0004_practice"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# In place (recreate="never": ALTER TABLE ADD/DROP COLUMN): a batch copy would drop and
# re-create responses, which practice reviews reference, and SQLite's foreign keys refuse
# that on any database with a practised answer.


def upgrade() -> None:
    with op.batch_alter_table("responses", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("counted", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("key_shown", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("responses", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("key_shown")
        batch_op.drop_column("counted")

"""calibration scale: each area's estimated population and item diagnostics

Revision ID: 0002_calibration_scale
Revises: 0001_initial
Create Date: 2026-11-27 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_calibration_scale"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "area_scales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.String(length=80), nullable=False),
        sa.Column("population_mean", sa.Float(), nullable=False),
        sa.Column("population_sd", sa.Float(), nullable=False),
        sa.Column("set_by", sa.String(length=20), nullable=False),
        sa.Column("anchors", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_area_scales_area_id_areas")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_area_scales")),
    )
    with op.batch_alter_table("area_scales", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_area_scales_area_id"), ["area_id"], unique=False)

    op.create_table(
        "item_diagnostics",
        sa.Column("item_id", sa.String(length=80), nullable=False),
        sa.Column("parameter_set_id", sa.Integer(), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("se_a", sa.Float(), nullable=False),
        sa.Column("se_b", sa.Float(), nullable=False),
        sa.Column("se_c", sa.Float(), nullable=False),
        sa.Column("proportion_correct", sa.Float(), nullable=True),
        sa.Column("infit", sa.Float(), nullable=True),
        sa.Column("outfit", sa.Float(), nullable=True),
        sa.Column("ability_correlation", sa.Float(), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("calibrated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_item_diagnostics_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["parameter_set_id"],
            ["item_parameter_sets.id"],
            name=op.f("fk_item_diagnostics_parameter_set_id_item_parameter_sets"),
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_item_diagnostics")),
    )


def downgrade() -> None:
    op.drop_table("item_diagnostics")
    with op.batch_alter_table("area_scales", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_area_scales_area_id"))
    op.drop_table("area_scales")

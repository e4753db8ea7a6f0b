"""督办通报, 考核评分 and daily digests: the bulletins sent, the plan's own settings (scoring,
bulletin), ledger rows about the plan rather than one occurrence (a bulletin's SHA-256), and
each unit's digest setting

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import duban.models.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bulletin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("cadence", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("composed_at", duban.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", duban.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("markdown", sa.Text(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("snapshot", duban.models.types.JSONType, nullable=False),
        sa.Column("recipients", duban.models.types.JSONType, nullable=False),
        sa.Column("ledger_event_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_id", "cadence", "period", name="uq_bulletin_period"),
    )
    op.create_index("ix_bulletin_plan_id", "bulletin", ["plan_id"])
    with op.batch_alter_table("plan") as batch:
        batch.add_column(
            sa.Column("settings", duban.models.types.JSONType, nullable=False, server_default="{}")
        )
    with op.batch_alter_table("status_event") as batch:
        batch.alter_column("occurrence_id", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("unit") as batch:
        batch.add_column(
            sa.Column("digest", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("unit") as batch:
        batch.drop_column("digest")
    with op.batch_alter_table("status_event") as batch:
        batch.alter_column("occurrence_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("plan") as batch:
        batch.drop_column("settings")
    op.drop_index("ix_bulletin_plan_id", table_name="bulletin")
    op.drop_table("bulletin")

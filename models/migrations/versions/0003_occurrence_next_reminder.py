"""occurrence.next_reminder_at: when the sweep must look at an occurrence again

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import duban.models.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "next_reminder_at", duban.models.types.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.create_index("ix_occurrence_next_reminder_at", ["next_reminder_at"])


def downgrade() -> None:
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.drop_index("ix_occurrence_next_reminder_at")
        batch_op.drop_column("next_reminder_at")

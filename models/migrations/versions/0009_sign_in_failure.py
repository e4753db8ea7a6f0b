"""the portal's throttle in the database, shared by every API process; occurrences
indexed in due order, so that a page of them is read without sorting the plan

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import duban.models.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", duban.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sign_in_failure_address", "sign_in_failure", ["address"])
    op.create_index("ix_sign_in_failure_at", "sign_in_failure", ["at"])
    op.create_index("ix_occurrence_due_id", "occurrence", ["due_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_occurrence_due_id", table_name="occurrence")
    op.drop_index("ix_sign_in_failure_at", table_name="sign_in_failure")
    op.drop_index("ix_sign_in_failure_address", table_name="sign_in_failure")
    op.drop_table("sign_in_failure")

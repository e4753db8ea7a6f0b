"""rectifications (整改): an occurrence may belong to another, with its own subject

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index("ix_occurrence_parent_id", ["parent_id"])
        batch_op.create_foreign_key("fk_occurrence_parent", "occurrence", ["parent_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.drop_constraint("fk_occurrence_parent", type_="foreignkey")
        batch_op.drop_index("ix_occurrence_parent_id")
        batch_op.drop_column("subject")
        batch_op.drop_column("parent_id")

"""分办 and 主办/协办: an occurrence belongs to a unit with a duty; tasks list their units;
indicators may be divided into shares, measured per unit

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import duban.models.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# names the unnamed constraints of 0001 (the unique key of occurrence) so they can be dropped
NAMING = {"uq": "uq_%(table_name)s_%(column_0_N_name)s"}


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("units", duban.models.types.JSONType, nullable=True))
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shares", duban.models.types.JSONType, nullable=True))
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("duty", sqlmodel.sql.sqltypes.AutoString(), nullable=True))

    # what was there keeps its meaning: each task for its owner, each occurrence its owner's
    if bind.dialect.name == "postgresql":
        op.execute("UPDATE task SET units = jsonb_build_array(owner)")
    else:
        op.execute("UPDATE task SET units = json_array(owner)")
    op.execute("UPDATE indicator SET shares = '{}'")
    op.execute(
        "UPDATE occurrence SET unit = (SELECT task.owner FROM task WHERE task.id = occurrence.task_id),"
        " duty = CASE WHEN parent_id IS NULL THEN 'lead' ELSE 'rectification' END"
    )

    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.alter_column("units", existing_type=duban.models.types.JSONType, nullable=False)
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.alter_column("shares", existing_type=duban.models.types.JSONType, nullable=False)
    old_unique = (
        "occurrence_task_id_key_key"
        if bind.dialect.name == "postgresql"
        else "uq_occurrence_task_id_key"
    )
    with op.batch_alter_table("occurrence", schema=None, naming_convention=NAMING) as batch_op:
        batch_op.alter_column(
            "unit", existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=False
        )
        batch_op.alter_column(
            "duty", existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=False
        )
        batch_op.drop_constraint(old_unique, type_="unique")
        batch_op.create_unique_constraint("uq_occurrence_task_key_unit", ["task_id", "key", "unit"])
        batch_op.create_check_constraint(
            "ck_occurrence_duty", "duty IN ('lead', 'cooperating', 'rectification')"
        )
        batch_op.create_index("ix_occurrence_unit", ["unit"])


def downgrade() -> None:
    bind = op.get_bind()
    old_unique = (
        "occurrence_task_id_key_key"
        if bind.dialect.name == "postgresql"
        else "uq_occurrence_task_id_key"
    )
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.drop_index("ix_occurrence_unit")
        batch_op.drop_constraint("ck_occurrence_duty", type_="check")
        batch_op.drop_constraint("uq_occurrence_task_key_unit", type_="unique")
        batch_op.create_unique_constraint(old_unique, ["task_id", "key"])
        batch_op.drop_column("duty")
        batch_op.drop_column("unit")
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.drop_column("unit")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_column("shares")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("units")

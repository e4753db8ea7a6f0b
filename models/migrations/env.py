"""Alembic environment: runs on the engine Duban hands over (`config.attributes["engine"]`).

SQLite alters a table by copying it into a new one and dropping the old (batch mode); with
foreign keys enforced, dropping a table other rows refer to fails once the database holds a
year of work. So on SQLite the checks are off while the migrations run (in one transaction),
and the whole database is checked afterwards: a migration that broke a reference fails.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlmodel import SQLModel

import duban.models  # noqa: F401  (registers every table on SQLModel.metadata)

target_metadata = SQLModel.metadata
engine = context.config.attributes["engine"]
sqlite = engine.dialect.name == "sqlite"

# on SQLite the pragma works only outside a transaction: no BEGIN for this statement
with engine.execution_options(sqlite_begin=None).connect() as outside:
    if sqlite:
        outside.exec_driver_sql("PRAGMA foreign_keys=OFF")
        outside.commit()  # ends SQLAlchemy's bookkeeping; no transaction was opened
    connection = outside.execution_options(sqlite_begin="IMMEDIATE")
    with connection.begin():
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        context.run_migrations()
        broken = connection.execute(text("PRAGMA foreign_key_check")).all() if sqlite else []
        if broken:
            raise RuntimeError(f"迁移后外键检查失败：{broken[:5]}")
    if sqlite:
        outside.exec_driver_sql("PRAGMA foreign_keys=ON")
        outside.commit()

"""Opening occurrences whose time has come: `scheduled` → `open`, once."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from models import Occurrence, Task
from tasks.ledger import transition


def open_due(
    *,
    session: Session,
    plan_id: str,
    now: datetime,
    task_code: str | None = None,
    actor: str = "system:schedule",
    flow_run_id: str | None = None,
) -> list[Occurrence]:
    """Open every scheduled occurrence of the plan (or one task) whose opening time has passed.

    Idempotent: an occurrence already open is not touched, so a late or repeated
    run (a catch-up sweep after downtime, a retried flow) opens nothing twice.
    """
    query = (
        select(Occurrence)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(
            Task.plan_id == plan_id,
            Task.active,
            Occurrence.status == "scheduled",
            col(Occurrence.opens_at) <= now,
        )
        .order_by(col(Occurrence.opens_at))
        .with_for_update(skip_locked=True)
    )
    if task_code is not None:
        query = query.where(Task.code == task_code)
    opened = []
    for occurrence in session.exec(query).all():
        if flow_run_id:
            occurrence.flow_run_id = flow_run_id
        transition(
            session=session,
            occurrence=occurrence,
            to_status="open",
            actor=actor,
            now=now,
            note="期次开始，已交办责任单位",
        )
        opened.append(occurrence)
    return opened

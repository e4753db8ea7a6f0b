"""Prefect events for what happens to occurrences, so that the UI's Event feed tells the story.

`occurrence_event` is pure: the event name, the occurrence as the resource, and its unit, task,
plan item and indicator as related resources (roles `unit`, `task`, `item`, `indicator`).
`publish` sends events when a Prefect API is configured and is silent otherwise — the database
is the record, events are the window onto it. Names: `duban.occurrence.<to status>`
(opened, acknowledged, submitted, accepted, returned, extension-requested, extended …).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from duban.models import Occurrence, Task, Unit
from duban.models.db import session_scope
from duban.models.status import Status

if TYPE_CHECKING:  # types only: `duban ack` need not load apprise to announce a change
    from duban.tasks.remind.dispatch import Delivery
    from duban.tasks.remind.policy import DueStage

log = logging.getLogger("duban.events")
NAMES = {Status.OPEN: "opened"}  # status → event suffix where the two differ


@dataclass(frozen=True)
class DubanEvent:
    event: str
    resource: dict[str, str]
    related: list[dict[str, str]] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)
    occurred: dt.datetime | None = None


def occurrence_event(
    what: str,
    occurrence: Occurrence,
    task: Task,
    unit_name: str,
    *,
    actor: str | None = None,
    occurred: dt.datetime | None = None,
    payload: dict[str, Any] | None = None,
) -> DubanEvent:
    related = [
        {
            "prefect.resource.id": f"duban.unit.{occurrence.unit}",
            "prefect.resource.role": "unit",
            "prefect.resource.name": unit_name,
        },
        {
            "prefect.resource.id": f"duban.task.{task.code}",
            "prefect.resource.role": "task",
            "prefect.resource.name": task.title,
        },
    ]
    if task.item:
        related.append(
            {"prefect.resource.id": f"duban.item.{task.item}", "prefect.resource.role": "item"}
        )
    if task.indicator:
        related.append(
            {
                "prefect.resource.id": f"duban.indicator.{task.indicator}",
                "prefect.resource.role": "indicator",
            }
        )
    if occurrence.flow_run_id:
        related.append(
            {
                "prefect.resource.id": f"prefect.flow-run.{occurrence.flow_run_id}",
                "prefect.resource.role": "flow-run",
            }
        )
    return DubanEvent(
        event=f"duban.occurrence.{NAMES.get(what, what)}",
        resource={
            "prefect.resource.id": f"duban.occurrence.{occurrence.id}",
            "prefect.resource.name": f"{task.title} · {occurrence.key}",
            "duban.plan": task.plan_id,
            "duban.status": occurrence.status,
        },
        related=related,
        payload={
            "actor": actor,
            "due_at": occurrence.due_at.isoformat(),
            "original_due_at": occurrence.original_due_at.isoformat(),
            **(payload or {}),
        },
        occurred=occurred,
    )


def reminder_events(deliveries: Iterable[Delivery], plan_id: str) -> list[DubanEvent]:
    """`duban.reminder.sent|failed|retrying`: one event per message, never its channel URL."""
    return [
        DubanEvent(
            event=f"duban.reminder.{d.outcome}",
            resource={
                "prefect.resource.id": f"duban.reminder.{d.reminder_ids[0]}",
                "prefect.resource.name": d.title,
                "duban.plan": plan_id,
            },
            related=[
                {
                    "prefect.resource.id": f"duban.unit.{d.recipient}",
                    "prefect.resource.role": "unit",
                },
                *(
                    {
                        "prefect.resource.id": f"duban.occurrence.{o}",
                        "prefect.resource.role": "occurrence",
                    }
                    for o in d.occurrence_ids[:20]
                ),
            ],
            payload={"reminders": d.reminder_ids, "channel_tag": d.tag},
        )
        for d in deliveries
        if d.reminder_ids
    ]


def stage_events(session: Session, stages: Iterable[DueStage]) -> list[DubanEvent]:
    """`duban.occurrence.overdue|escalated` for the overdue and escalation stages just written."""
    found: dict[tuple[str, int], list[DueStage]] = {}
    for stage in stages:
        what = stage.stage.split("-", 1)[0]
        if what in ("overdue", "escalate"):
            found.setdefault(
                ("escalated" if what == "escalate" else "overdue", stage.occurrence_id), []
            ).append(stage)
    events = []
    for what in ("overdue", "escalated"):  # one query each, however many occurrences
        ids = [occurrence_id for kind, occurrence_id in found if kind == what]
        for start in range(0, len(ids), 5000):
            for built in for_occurrences(session, what, ids[start : start + 5000]):
                occurrence_id = int(built.resource["prefect.resource.id"].rsplit(".", 1)[1])
                items = found[(what, occurrence_id)]
                built.payload["stages"] = sorted({i.stage for i in items})
                built.payload["recipients"] = sorted({i.recipient for i in items})
                events.append(built)
    return events


def for_occurrences(
    session: Session, what: str, occurrence_ids: Iterable[int], **kwargs: Any
) -> list[DubanEvent]:
    rows = session.exec(
        select(Occurrence, Task).join(Task).where(Occurrence.id.in_(list(occurrence_ids)))  # type: ignore[union-attr]
    ).all()
    names = {
        (u.plan_id, u.code): u.name
        for u in session.exec(select(Unit).where(Unit.plan_id.in_({t.plan_id for _, t in rows})))  # type: ignore[attr-defined]
    }
    return [
        occurrence_event(what, o, t, names.get((t.plan_id, o.unit), o.unit), **kwargs)
        for o, t in rows
    ]


def publish(events: Iterable[DubanEvent], *, flush: bool = False) -> int:
    """Send the events if a Prefect API is configured; return how many went out."""
    events = list(events)
    if "prefect" not in sys.modules and not os.environ.get("PREFECT_API_URL"):
        return 0  # no Prefect in sight: do not pay for importing it
    from prefect.events import emit_event
    from prefect.events.worker import EventsWorker, should_emit_events_to_running_server

    if not events or not should_emit_events_to_running_server():
        return 0  # never start Prefect's temporary server just to drop an event into it
    sent = 0
    for e in events:
        try:
            if emit_event(
                e.event, e.resource, occurred=e.occurred, related=e.related, payload=e.payload
            ):
                sent += 1
        except Exception as exc:  # the window must never break the record
            log.warning("事件 %s 未能发出：%s", e.event, exc)
    if flush:  # a short-lived process (the CLI) must not exit with events still queued
        EventsWorker.drain_all(timeout=10)
    return sent


def publish_for(engine: Engine, what: str, occurrence_ids: Iterable[int], **kwargs: Any) -> int:
    """Build and send the events of these occurrences as they are now (after the commit)."""
    flush = kwargs.pop("flush", False)
    with session_scope(engine) as session:
        built = for_occurrences(session, what, occurrence_ids, **kwargs)
    return publish(built, flush=flush)


# what a waiting run waits for: a report, and the review that accepts or returns it
STEP_DONE = frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.RETURNED})


def wake_waiting_run(engine: Engine, occurrence_id: int, what: str) -> bool:
    """After a report or review made outside the UI (CLI, API), resume the occurrence's run if
    it is suspended waiting for that form: with an empty form it reads the ledger, sees the
    step done, and moves on. Other changes (签收, extensions) do not wake it — an empty form
    must never stand in for a report nobody made."""
    if what not in STEP_DONE:
        return False
    if "prefect" not in sys.modules and not os.environ.get("PREFECT_API_URL"):
        return False
    from uuid import UUID

    from prefect.client.orchestration import get_client
    from prefect.events.worker import should_emit_events_to_running_server

    if not should_emit_events_to_running_server():
        return False
    with session_scope(engine) as session:
        occurrence = session.get(Occurrence, occurrence_id)
        run_id = occurrence.flow_run_id if occurrence else None
    if not run_id:
        return False
    try:  # the sync client even inside the portal's event loop: `prefect.flow_runs.
        # resume_flow_run` would return an un-awaited coroutine there and resume nothing
        with get_client(sync_client=True) as client:
            return resume_if_paused(client, UUID(run_id), occurrence_id)
    except Exception as exc:  # the ledger is already right; the run catches up on its next wake
        log.warning("期次 %s 的流程运行未能唤醒：%s", occurrence_id, exc)
        return False


# Prefect pauses a run first and saves the form it waits for a moment later: a resume in
# between is refused with this reason, and the same resume succeeds once the form is saved
FORM_NOT_SAVED_YET = "Run input schema not found."


def resume_if_paused(
    client: Any, run_id: Any, occurrence_id: int, *, tries: int = 5, wait: float = 0.2
) -> bool:
    """Resume the run with an empty form if it is paused. A run that leaves its pause between
    the look and the resume (woken by its own form, or by the report before the review) was
    refused by the server as "not paused": nothing to wake, nothing to warn about. A run that
    has just paused and not yet saved its form is tried again, `tries` times `wait` s apart."""
    for attempt in range(tries):
        if not _paused(client, run_id):
            return False
        result = client.resume_flow_run(run_id, run_input={})
        if result.status.value == "ACCEPT":
            return True
        if getattr(result.details, "reason", None) != FORM_NOT_SAVED_YET or attempt == tries - 1:
            break
        time.sleep(wait)
    if _paused(client, run_id):  # still waiting, and still not woken: worth a look
        log.warning("期次 %s 的流程运行未能唤醒：%s", occurrence_id, result.details)
    return False


def _paused(client: Any, run_id: Any) -> bool:
    state = client.read_flow_run(run_id).state
    return bool(state and state.is_paused())


def announce(
    engine: Engine, what: str, occurrence_id: int, actor: str, *, flush: bool = False
) -> None:
    """After a change made outside a flow run (CLI, API, portal, a replay's people) is
    committed: its Prefect event, and the occurrence's waiting run woken if this was its step.
    `flush`: a short-lived process waits until the event has gone out."""
    publish_for(engine, what, [occurrence_id], actor=actor, flush=flush)
    wake_waiting_run(engine, occurrence_id, what)

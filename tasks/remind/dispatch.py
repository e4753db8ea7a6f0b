"""The outbox dispatcher: claim, send, record — never twice, never lost.

1. Claim: one UPDATE … WHERE status = 'pending' AND id IN (SELECT … [FOR UPDATE SKIP LOCKED])
   RETURNING id. Only rows this statement changed are ours, so two dispatchers never hold the
   same row (PostgreSQL skips rows the other has locked; SQLite serialises the writes).
2. Mark the attempt (`attempt_started_at`, `attempts + 1`) and commit — then send. A crash
   before this commit leaves a claim with no attempt: it goes back to `pending`. A crash after
   it leaves "may have been sent": the row becomes `uncertain`, is not sent again, and says so.
3. Record the outcome: `sent`; or, on failure, the next channel of the recipient at once
   (消息必达), else a retry with exponential backoff, else `failed` and a notice to the
   coordinators — never silence. A failure that cannot pass later (a revoked token, a
   removed webhook, a refused recipient: `delivery.is_permanent`) is never retried: the next
   channel takes over and the coordinators hear once a day that the channel is broken.
A row whose occurrence has moved on since the sweep wrote it (acknowledged, submitted,
accepted, cancelled) is cancelled instead of sent.

All stages due for one recipient on one channel go out as one message.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, cast

from sqlalchemy import and_, or_, update
from sqlalchemy.engine import CursorResult, Engine
from sqlmodel import Session, col, select

from duban.models import Occurrence, Plan, Reminder, Task, Unit
from duban.models.db import session_scope
from duban.models.status import ReminderStatus
from duban.tasks.access.links import LinkMaker
from duban.tasks.remind.alerts import alert_parts, tell_once
from duban.tasks.remind.delivery import DeliveryError, Message, Transport
from duban.tasks.remind.policy import still_due
from duban.tasks.remind.texts import StageFacts, compose
from duban.tasks.timeline.calendar import Clock as PlanClock
from duban.tasks.timeline.calendar import plan_clock

MAX_ATTEMPTS = 5
MAX_PASSES = 4
BACKOFF = dt.timedelta(minutes=2)
BACKOFF_CAP = dt.timedelta(hours=2)
LEASE = dt.timedelta(minutes=10)
Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class Delivery:
    """One message to one recipient on one channel tag, and how it went."""

    recipient: str
    tag: str | None
    title: str
    reminder_ids: list[int]
    occurrence_ids: list[int]
    outcome: str  # sent | retrying | failed


@dataclass
class DispatchResult:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    messages: int = 0
    recovered: dict[str, int] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)


def backoff(attempts: int) -> dt.timedelta:
    return min(BACKOFF * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def recover(engine: Engine, now: dt.datetime, lease: dt.timedelta = LEASE) -> dict[str, int]:
    """Claims older than the lease belong to a dispatcher that died."""
    stale = and_(
        col(Reminder.status) == ReminderStatus.SENDING, col(Reminder.claimed_at) < now - lease
    )
    with session_scope(engine) as session:
        # an UPDATE gives a CursorResult, which sqlmodel's execute() does not say
        unsent = cast(
            CursorResult[Any],
            session.execute(
                update(Reminder)
                .where(stale, col(Reminder.attempt_started_at).is_(None))
                .values(status=ReminderStatus.PENDING, claimed_by=None, claimed_at=None)
            ),
        ).rowcount
        uncertain = cast(
            CursorResult[Any],
            session.execute(
                update(Reminder)
                .where(stale, col(Reminder.attempt_started_at).is_not(None))
                .values(
                    status=ReminderStatus.UNCERTAIN,
                    error="可能已发送：发送过程中断，结果未记录（不会重发）",
                )
            ),
        ).rowcount
    return {"pending": unsent or 0, "uncertain": uncertain or 0}


def claim(engine: Engine, *, worker: str, now: dt.datetime, limit: int = 1000) -> list[int]:
    due = (
        select(Reminder.id)
        .where(
            Reminder.status == ReminderStatus.PENDING,
            col(Reminder.planned_at) <= now,
            or_(col(Reminder.next_attempt_at).is_(None), col(Reminder.next_attempt_at) <= now),
        )
        .order_by(col(Reminder.planned_at), col(Reminder.id))
        .limit(limit)
    )
    if engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    with session_scope(engine) as session:
        claimed = (
            session.execute(
                update(Reminder)
                .where(
                    col(Reminder.id).in_(due.scalar_subquery()),
                    col(Reminder.status) == ReminderStatus.PENDING,
                )
                .values(status=ReminderStatus.SENDING, claimed_by=worker, claimed_at=now)
                .returning(col(Reminder.id))
            )
            .scalars()
            .all()
        )
    return list(claimed)


def dispatch(
    engine: Engine,
    transport: Transport,
    *,
    worker: str,
    now: dt.datetime,
    clock: Clock,
    lang: str = "zh-CN",
    link: Callable[[str | None], str | None] = lambda run_id: None,
    portal: LinkMaker | None = None,
    concurrency: int = 16,
    batch: int = 1000,
) -> DispatchResult:
    result = DispatchResult(recovered=recover(engine, now))
    for _ in range(MAX_PASSES):  # a failed channel falls through to the next one in a later pass
        ids = claim(engine, worker=worker, now=now, limit=batch)
        if not ids:
            break
        result.claimed += len(ids)
        groups = _messages(engine, ids, now=now, lang=lang, link=link, portal=portal)
        result.messages += len(groups)
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            outcomes = list(pool.map(lambda g: _deliver(engine, transport, g, now, clock), groups))
        for group, (sent, retrying, failed) in zip(groups, outcomes, strict=True):
            result.sent += sent
            result.retrying += retrying
            result.failed += failed
            outcome = "sent" if sent else ("failed" if failed else "retrying")
            result.deliveries.append(
                Delivery(
                    group.recipient,
                    group.tag,
                    group.message.title,
                    group.reminder_ids,
                    group.occurrence_ids,
                    outcome,
                )
            )
    return result


@dataclass
class _Group:
    recipient: str
    tag: str | None  # None: the recipient has no channel left
    channel: int
    tags: list[str]
    reminder_ids: list[int]
    message: Message
    coordinators: list[str]
    occurrence_ids: list[int] = field(default_factory=list)


@dataclass
class _Batch:
    """A claimed batch as read from the database: the rows still due, with their units, plans
    and the link each line carries."""

    rows: list[tuple[Reminder, Occurrence, Task]]
    units: dict[tuple[str, str], Unit]
    plans: dict[str, Plan]
    links: dict[int, str | None]
    unit_urls: dict[tuple[str, str], str]  # each responsible unit's portal, by (plan, unit)


def _load(
    engine: Engine,
    ids: list[int],
    link: Callable[[str | None], str | None],
    portal: LinkMaker | None,
) -> _Batch:
    """Read the claimed rows; cancel those the work has moved past. The responsible unit's
    lines link to its portal (when one is configured), never to the Prefect UI; others' lines
    to the occurrence's run."""
    with session_scope(engine) as session:
        rows = [
            (r, o, t)
            for r, o, t in session.execute(
                select(Reminder, Occurrence, Task)
                .join(Occurrence, col(Occurrence.id) == Reminder.occurrence_id)
                .join(Task, col(Task.id) == Occurrence.task_id)
                .where(col(Reminder.id).in_(ids))
                .order_by(col(Reminder.id))
            ).all()
        ]
        # written while the occurrence was waiting; since then it may have been acknowledged,
        # submitted or cancelled: such rows are cancelled, not sent
        obsolete = {r.id for r, o, _ in rows if not still_due(r.stage, o.status)}
        if obsolete:
            session.execute(
                update(Reminder)
                .where(col(Reminder.id).in_(obsolete))
                .values(status=ReminderStatus.CANCELLED, claimed_by=None, claimed_at=None)
            )
            rows = [row for row in rows if row[0].id not in obsolete]
        plans = {t.plan_id for _, _, t in rows}
        units = {
            (u.plan_id, u.code): u
            for u in session.exec(select(Unit).where(col(Unit.plan_id).in_(plans)))
        }
        plan_rows = {p.id: p for p in session.exec(select(Plan).where(col(Plan.id).in_(plans)))}
        links: dict[int, str | None] = {}
        unit_urls: dict[tuple[str, str], str] = {}  # one link lookup per unit, not per row
        for reminder, occurrence, task in rows:
            if reminder.stage.startswith("alert/"):  # the failed run's page, not the carrier's
                links[reminder.id or 0] = link(alert_parts(reminder.stage)[0])
            elif reminder.recipient != occurrence.unit:
                links[reminder.id or 0] = link(occurrence.flow_run_id)
            elif portal is not None:
                key = (task.plan_id, occurrence.unit)
                if key not in unit_urls:
                    unit_urls[key] = portal.unit_url(
                        session, plan_id=task.plan_id, unit=occurrence.unit
                    )
                links[reminder.id or 0] = f"{unit_urls[key]}?o={occurrence.id}"
    return _Batch(rows, units, plan_rows, links, unit_urls)


def _messages(
    engine: Engine,
    ids: list[int],
    *,
    now: dt.datetime,
    lang: str,
    link: Callable[[str | None], str | None],
    portal: LinkMaker | None = None,
) -> list[_Group]:
    """One message per recipient and channel."""
    batch = _load(engine, ids, link, portal)
    clocks = {pid: plan_clock(p) for pid, p in batch.plans.items()}
    coordinators: dict[str, list[Unit]] = defaultdict(list)
    for (plan_id, _), known in batch.units.items():
        if known.role == "coordinator":
            coordinators[plan_id].append(known)
    by_key: dict[tuple[str, str, int], list[tuple[Reminder, Occurrence, Task]]] = defaultdict(list)
    for reminder, occurrence, task in batch.rows:
        by_key[(task.plan_id, reminder.recipient, reminder.channel)].append(
            (reminder, occurrence, task)
        )
    groups = []
    for (plan_id, recipient, channel), members in by_key.items():
        unit = batch.units.get((plan_id, recipient))
        tags = list(unit.notify) if unit and unit.notify else [recipient]
        facts = [_stage_facts(batch, clocks[plan_id], now, member) for member in members]
        one_link = None  # 每日汇总: one portal link for the whole message, not one per line
        if unit is not None and unit.digest and (plan_id, recipient) in batch.unit_urls:
            one_link = batch.unit_urls[(plan_id, recipient)]
            facts = [replace(f, link=None) if f.link and "?o=" in f.link else f for f in facts]
        heads = coordinators[plan_id]
        message = compose(
            unit.name if unit else recipient,
            facts,
            timezone=batch.plans[plan_id].timezone,
            contact=heads[0].contact or heads[0].name if heads else None,
            lang=lang,
            link=one_link,
        )
        groups.append(
            _Group(
                recipient,
                tags[channel] if channel < len(tags) else None,
                channel,
                tags,
                [r.id or 0 for r, _, _ in members],
                message,
                [u.code for u in heads],
                sorted({o.id or 0 for _, o, _ in members}),
            )
        )
    return groups


def _stage_facts(
    batch: _Batch, clock: PlanClock, now: dt.datetime, member: tuple[Reminder, Occurrence, Task]
) -> StageFacts:
    r, o, t = member
    owner = batch.units.get((t.plan_id, o.unit))
    return StageFacts(
        reminder_id=r.id or 0,
        stage=r.stage,
        task_title=f"{t.title}（整改：{o.subject}）" if o.subject else t.title,
        item=t.item,
        kind=t.kind,
        deliverable=t.deliverable,
        owner_name=owner.name if owner else o.unit,
        duty=o.duty,
        due_at=o.due_at,
        workdays_left=clock.calendar.workdays_between(
            clock.local_date(now), clock.local_date(o.due_at)
        ),
        link=batch.links.get(r.id or 0),
    )


def _deliver(
    engine: Engine, transport: Transport, group: _Group, now: dt.datetime, clock: Clock
) -> tuple[int, int, int]:
    ids = group.reminder_ids
    with session_scope(engine) as session:
        session.execute(
            update(Reminder)
            .where(col(Reminder.id).in_(ids))
            .values(attempt_started_at=clock(), attempts=Reminder.attempts + 1)
        )
    error: DeliveryError | None = None
    try:
        if group.tag is None:
            raise DeliveryError("没有可用的通知通道", permanent=True)
        transport.send(group.tag, group.message)
    except DeliveryError as exc:
        error = exc
    except Exception as exc:  # a bug in a plugin must fail this group, not the sweep
        error = DeliveryError(f"{type(exc).__name__}: {exc}")
    finished = clock()
    with session_scope(engine) as session:
        if error is None:
            session.execute(
                update(Reminder)
                .where(col(Reminder.id).in_(ids))
                .values(
                    status=ReminderStatus.SENT,
                    sent_at=finished,
                    error=None,
                    outcome={"channel": group.tag, "at": finished.isoformat()},
                )
            )
            return len(ids), 0, 0
        return _record_failure(session, group, error, now)


def _record_failure(
    session: Session, group: _Group, error: DeliveryError, now: dt.datetime
) -> tuple[int, int, int]:
    ids, message = group.reminder_ids, str(error)[:500]
    if group.tag is not None and error.permanent:
        _report_broken(session, group, now)
    if group.tag is not None and group.channel + 1 < len(group.tags):
        session.execute(
            update(Reminder)
            .where(col(Reminder.id).in_(ids))
            .values(
                status=ReminderStatus.PENDING,
                channel=group.channel + 1,
                next_attempt_at=now,
                error=message,
                claimed_by=None,
                claimed_at=None,
                attempt_started_at=None,
            )
        )
        return 0, len(ids), 0
    reminders = session.execute(select(Reminder).where(col(Reminder.id).in_(ids))).scalars().all()
    retrying = failed = 0
    for reminder in reminders:
        if not error.permanent and reminder.attempts < MAX_ATTEMPTS:
            reminder.status, reminder.next_attempt_at = (
                ReminderStatus.PENDING,
                now + backoff(reminder.attempts),
            )
            reminder.channel = 0
            retrying += 1
        else:
            reminder.status = ReminderStatus.FAILED
            failed += 1
            if group.recipient not in group.coordinators:
                _tell_coordinators(session, reminder, group, now)
        reminder.error, reminder.claimed_by, reminder.claimed_at = message, None, None
        reminder.attempt_started_at = None
        session.add(reminder)
    return 0, retrying, failed


def _report_broken(session: Session, group: _Group, now: dt.datetime) -> None:
    """Tell the coordinators, once a (UTC) day per channel tag, that a channel refuses for
    good; the note rides on the first occurrence of the failed message."""
    tell_once(
        session,
        occurrence_id=group.occurrence_ids[0],
        stage=f"broken/{group.tag}/{now.date().isoformat()}",
        recipients=group.coordinators,
        now=now,
    )


def _tell_coordinators(
    session: Session, reminder: Reminder, group: _Group, now: dt.datetime
) -> None:
    tell_once(
        session,
        occurrence_id=reminder.occurrence_id,
        stage=f"undeliverable/{group.recipient}/{reminder.stage}",
        recipients=group.coordinators,
        now=now,
        per_occurrence=True,
    )

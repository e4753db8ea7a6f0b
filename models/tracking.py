"""What happens to the plan: occurrences, their ledger, reminders and measurements."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from duban.models.plan import _in
from duban.models.status import Duty, ExtensionStatus, ReminderStatus, Status
from duban.models.types import JSONType, UTCDateTime

OCCURRENCE_STATUSES = tuple(s.value for s in Status)
REMINDER_STATUSES = tuple(s.value for s in ReminderStatus)
EXTENSION_STATUSES = tuple(s.value for s in ExtensionStatus)
DUTIES = tuple(d.value for d in Duty)


class Occurrence(SQLModel, table=True):
    """One due instance of a task for one unit: a one-off task for one unit has one, a
    quarterly task four; a task 分办 to five units has five per period, and each 协办 unit
    of a task gets its own (its input to the 主办) beside the 主办's."""

    __table_args__ = (
        UniqueConstraint("task_id", "key", "unit", name="uq_occurrence_task_key_unit"),
        CheckConstraint(_in("status", OCCURRENCE_STATUSES), name="ck_occurrence_status"),
        CheckConstraint(_in("duty", DUTIES), name="ck_occurrence_duty"),
        Index("ix_occurrence_status_due", "status", "due_at"),
        Index("ix_occurrence_due_id", "due_at", "id"),  # lists in due order, paged in SQL
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    key: str  # stable within the task and unit: the original due date, e.g. "2022-03-31"
    unit: str = Field(index=True)  # the unit (code) that acts on it, reminded and escalated
    duty: str = Duty.LEAD  # lead (主办/责任单位) | cooperating (协办) | rectification (整改)
    opens_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    due_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    original_due_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    grace_workdays: int = 0
    status: str = Status.SCHEDULED
    acknowledged_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    flow_run_id: str | None = None
    # The reminder sweep's bookmark: no new stage can come due before this moment unless the
    # occurrence changes. NULL means "look now"; every status change, and every import that
    # changes the plan, resets it (tasks.work.ledger.transition, tasks.plan.importing).
    next_reminder_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime, index=True)
    )
    # 整改: a rectification belongs to the inspection occurrence that found the problem;
    # 协办: an input belongs to the 主办's occurrence of the same period
    parent_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("occurrence.id", name="fk_occurrence_parent"), index=True
        ),
    )
    subject: str | None = None  # what this occurrence is about, when not the task itself


class StatusEvent(SQLModel, table=True):
    """台账: append-only, hash-chained history of every status change."""

    __tablename__ = "status_event"
    __table_args__ = (Index("ix_status_event_occurrence_at", "occurrence_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    # None: a row about the plan, not one occurrence (a 督办通报 sent, with its SHA-256)
    occurrence_id: int | None = Field(default=None, foreign_key="occurrence.id")
    from_status: str | None = None
    to_status: str
    actor: str
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    note: str | None = None
    evidence: list[Any] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    prev_hash: str = Field(unique=True)  # one successor per row: the chain cannot fork
    hash: str = Field(unique=True)


class Reminder(SQLModel, table=True):
    """督办 outbox row: one stage for one recipient, written before it is sent."""

    __table_args__ = (
        UniqueConstraint("occurrence_id", "stage", "recipient"),
        CheckConstraint(_in("status", REMINDER_STATUSES), name="ck_reminder_status"),
        Index("ix_reminder_status_planned", "status", "planned_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    stage: str  # before-10, before-3, overdue-2, escalate-1 …
    recipient: str  # unit code
    planned_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    status: str = ReminderStatus.PENDING
    channel: int = 0  # index into the recipient's notify tags (消息必达: next on failure)
    claimed_by: str | None = None
    claimed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    # set and committed just before the network call: a crash after it means "may have been sent"
    attempt_started_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    outcome: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONType, nullable=False)
    )
    error: str | None = None


class Measurement(SQLModel, table=True):
    """填报: a reported value of an indicator."""

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    occurrence_id: int | None = Field(default=None, foreign_key="occurrence.id")
    unit: str | None = None  # whose share it measures (分解指标); None: the whole
    value: float
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    reported_by: str
    evidence: list[Any] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    note: str | None = None


class Extension(SQLModel, table=True):
    """延期申请: asked by the unit, decided by a coordinator; the original due date stays put."""

    __table_args__ = (
        CheckConstraint(_in("status", EXTENSION_STATUSES), name="ck_extension_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    requested_by: str
    requested_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    reason: str
    proposed_due_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    status: str = ExtensionStatus.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    decision_note: str | None = None
    new_due_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))

"""One vocabulary for what state things are in: an occurrence, a reminder, an extension request.

Stored as these strings (each table's CHECK constraint lists them) and compared as members of
these enums (a `StrEnum` equals its string), named in Chinese for people. The groups say what
the rules mean by "waiting" and "done", once.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """An occurrence's status."""

    SCHEDULED = "scheduled"  # materialized, not open yet
    OPEN = "open"  # assigned to the unit, not acknowledged yet
    ACKNOWLEDGED = "acknowledged"  # 签收
    SUBMITTED = "submitted"  # the unit reported; waiting for the review
    RETURNED = "returned"  # 退办: sent back by the coordinator
    ACCEPTED = "accepted"  # done
    CANCELLED = "cancelled"  # the task left the plan before this occurrence started


# waiting for the unit to act (签收, 报送, 延期申请): reminders go out, the light can turn red
WAITING = frozenset({Status.OPEN, Status.ACKNOWLEDGED, Status.RETURNED})
# in hand: waiting for the unit or for the review — a run follows it, the portal lists it
IN_HAND = WAITING | {Status.SUBMITTED}
# reported, whatever the review will say
REPORTED = frozenset({Status.SUBMITTED, Status.ACCEPTED})
# nothing more will happen to it
CLOSED = frozenset({Status.ACCEPTED, Status.CANCELLED})

NAMES: dict[str, str] = {
    Status.SCHEDULED: "未开始",
    Status.OPEN: "待签收",
    Status.ACKNOWLEDGED: "已签收",
    Status.SUBMITTED: "已报送",
    Status.RETURNED: "已退办",
    Status.ACCEPTED: "已办结",
    Status.CANCELLED: "已取消",
}


class ReminderStatus(StrEnum):
    """An outbox row's status."""

    PENDING = "pending"  # written, waiting for its moment (or its next attempt)
    SENDING = "sending"  # claimed by a dispatcher
    SENT = "sent"
    FAILED = "failed"  # every attempt and every channel failed
    UNCERTAIN = "uncertain"  # the dispatcher died mid-send: may have gone out, never resent
    CANCELLED = "cancelled"  # the work moved on before it was sent


REMINDER_NAMES: dict[str, str] = {
    ReminderStatus.PENDING: "待发送",
    ReminderStatus.SENDING: "发送中",
    ReminderStatus.SENT: "已发送",
    ReminderStatus.FAILED: "发送失败",
    ReminderStatus.UNCERTAIN: "可能已发送",
    ReminderStatus.CANCELLED: "已取消",
}


class ExtensionStatus(StrEnum):
    """A 延期申请's status."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class Duty(StrEnum):
    """What an occurrence asks of its unit."""

    LEAD = "lead"  # 主办 (or one of the units a task is 分办 to): reports for the item
    COOPERATING = "cooperating"  # 协办: sends its input to the 主办 before the 主办's deadline
    RECTIFICATION = "rectification"  # 整改: puts right a problem an inspection found


DUTY_NAMES: dict[str, str] = {
    Duty.LEAD: "主办",
    Duty.COOPERATING: "协办",
    Duty.RECTIFICATION: "整改",
}


def name(status: str) -> str:
    """The Chinese name of an occurrence's status (the code itself when unknown)."""
    return NAMES.get(status, status)

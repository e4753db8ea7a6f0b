"""What people do to an occurrence: each action checks the status, then appends to the ledger.

The CLI, the API and the flows call these and nothing else, so every path ends in the same
StatusEvents. A refused action raises `ActionRefused` with a sentence for the person.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any

from sqlmodel import Session, select

from duban.models import Extension, Indicator, Measurement, Occurrence, Plan, StatusEvent, Task
from duban.models.status import REPORTED, WAITING, Duty, ExtensionStatus, Status
from duban.models.status import name as status_name
from duban.tasks.timeline.calendar import CalendarDataMissing, Clock, plan_clock
from duban.tasks.work import cooperate, rectify
from duban.tasks.work.ledger import transition


class ActionRefused(Exception):
    """The action does not apply to the occurrence as it is now."""


def _occurrence(session: Session, occurrence_id: int) -> Occurrence:
    occurrence = session.get(Occurrence, occurrence_id, with_for_update=True)
    if occurrence is None:
        raise ActionRefused(
            f"期次 {occurrence_id} 不存在。修正：用 duban schedule show 查看期次编号"
        )
    return occurrence


def acknowledge(
    *, session: Session, occurrence_id: int, actor: str, now: dt.datetime
) -> StatusEvent | None:
    """签收. Acknowledging twice is harmless: the second time changes nothing and returns None."""
    occurrence = _occurrence(session, occurrence_id)
    if occurrence.status == Status.ACKNOWLEDGED:
        return None
    if occurrence.status != Status.OPEN:
        name = status_name(occurrence.status)
        raise ActionRefused(f"期次 {occurrence_id} 当前状态为“{name}”，不能签收")
    occurrence.acknowledged_at = now
    return transition(
        session=session, occurrence=occurrence, to_status=Status.ACKNOWLEDGED, actor=actor, now=now
    )


def submit(
    *,
    session: Session,
    occurrence_id: int,
    actor: str,
    now: dt.datetime,
    note: str | None = None,
    evidence: list[Any] | None = None,
) -> StatusEvent:
    """报送: the unit reports. A waiting occurrence only; submitting twice is refused."""
    occurrence = _occurrence(session, occurrence_id)
    if occurrence.status == Status.SUBMITTED:
        raise ActionRefused(f"期次 {occurrence_id} 已报送，正在等待审核，不能重复报送")
    if occurrence.status not in WAITING:
        name = status_name(occurrence.status)
        raise ActionRefused(f"期次 {occurrence_id} 当前状态为“{name}”，不能报送")
    if occurrence.acknowledged_at is None:
        occurrence.acknowledged_at = now  # reporting implies receipt
    return transition(
        session=session,
        occurrence=occurrence,
        to_status=Status.SUBMITTED,
        actor=actor,
        now=now,
        note=note,
        evidence=list(evidence or []),
    )


def review(
    *,
    session: Session,
    occurrence_id: int,
    actor: str,
    now: dt.datetime,
    accept: bool,
    reason: str | None = None,
) -> StatusEvent:
    """审核: the coordinator accepts a submission, or returns it (退办) with a reason."""
    occurrence = _occurrence(session, occurrence_id)
    if occurrence.status != Status.SUBMITTED:
        name = status_name(occurrence.status)
        raise ActionRefused(f"期次 {occurrence_id} 当前状态为“{name}”，没有待审核的报送")
    if not accept and not (reason and reason.strip()):
        raise ActionRefused("退办需要写明理由。修正：加上退办理由")
    if not accept:
        return transition(
            session=session,
            occurrence=occurrence,
            to_status=Status.RETURNED,
            actor=actor,
            now=now,
            note=reason,
        )
    found = rectify.findings(session, occurrence) if occurrence.duty == Duty.LEAD else []
    if not found:
        occurrence.closed_at = now
    event = transition(
        session=session,
        occurrence=occurrence,
        to_status=Status.ACCEPTED,
        actor=actor,
        now=now,
        note=f"发现问题 {len(found)} 项，已交办整改" if found else None,
    )
    if found:
        rectify.open_rectifications(session, occurrence, found, actor, now)
    if occurrence.duty == Duty.LEAD:
        cooperate.close_inputs(session, occurrence, actor, now)
    if occurrence.duty == Duty.RECTIFICATION and occurrence.parent_id is not None:
        rectify.close_when_rectified(session, occurrence.parent_id, actor, now)
    return event


def _note(
    session: Session,
    occurrence: Occurrence,
    actor: str,
    now: dt.datetime,
    note: str,
    evidence: list[Any] | None = None,
) -> StatusEvent:
    """A ledger row that records a change other than the status (延期, 整改办结)."""
    return transition(
        session=session,
        occurrence=occurrence,
        to_status=occurrence.status,
        actor=actor,
        now=now,
        note=note,
        evidence=evidence,
    )


def due_on(session: Session, occurrence: Occurrence, day: dt.date) -> dt.datetime:
    """`day` (local) at the occurrence's current due time of day, as UTC."""
    clock = _plan_clock(session, occurrence)
    return clock.at(day, occurrence.due_at.astimezone(clock.zone).time())


def _plan_clock(session: Session, occurrence: Occurrence) -> Clock:
    task = session.get_one(Task, occurrence.task_id)
    return plan_clock(session.get_one(Plan, task.plan_id))


def _check_new_due(
    session: Session, occurrence: Occurrence, due_at: dt.datetime, now: dt.datetime
) -> None:
    clock = _plan_clock(session, occurrence)
    day = clock.local_date(due_at)
    if due_at <= occurrence.due_at:
        current = clock.local_date(occurrence.due_at)
        raise ActionRefused(f"新的截止日期 {day} 应晚于当前截止日期 {current}")
    if due_at <= now:
        raise ActionRefused(f"新的截止日期 {day} 已经过去。修正：选择今天以后的日期")
    try:
        workday = clock.calendar.is_workday(day)
    except CalendarDataMissing as exc:
        raise ActionRefused(str(exc)) from None
    if not workday:
        suggestion = clock.calendar.next_workday(day)
        raise ActionRefused(f"{day} 不是工作日。修正：改为 {suggestion} 或其他工作日")


def request_extension(
    *,
    session: Session,
    occurrence_id: int,
    actor: str,
    now: dt.datetime,
    proposed_due_at: dt.datetime,
    reason: str,
) -> Extension:
    """延期申请. One open request at a time; the due date changes only when approved."""
    occurrence = _occurrence(session, occurrence_id)
    if occurrence.status not in WAITING:
        name = status_name(occurrence.status)
        raise ActionRefused(f"期次 {occurrence_id} 当前状态为“{name}”，不能申请延期")
    if not reason.strip():
        raise ActionRefused("延期申请需要写明理由。修正：加上理由")
    pending = session.exec(
        select(Extension).where(
            Extension.occurrence_id == occurrence_id, Extension.status == ExtensionStatus.PENDING
        )
    ).first()
    if pending is not None:
        raise ActionRefused(f"期次 {occurrence_id} 已有待审批的延期申请（编号 {pending.id}）")
    _check_new_due(session, occurrence, proposed_due_at, now)
    request = Extension(
        occurrence_id=occurrence_id,
        requested_by=actor,
        requested_at=now,
        reason=reason.strip(),
        proposed_due_at=proposed_due_at,
    )
    session.add(request)
    session.flush()
    _note(
        session,
        occurrence,
        actor,
        now,
        f"延期申请：{request.reason}",
        [{"extension": request.id, "proposed_due_at": proposed_due_at.isoformat()}],
    )
    return request


def decide_extension(
    *,
    session: Session,
    occurrence_id: int,
    actor: str,
    now: dt.datetime,
    approve: bool,
    new_due_at: dt.datetime | None = None,
    note: str | None = None,
) -> Extension:
    """批复延期: approve (with the proposed or another date) or refuse with a reason."""
    occurrence = _occurrence(session, occurrence_id)
    request = session.exec(
        select(Extension).where(
            Extension.occurrence_id == occurrence_id, Extension.status == ExtensionStatus.PENDING
        )
    ).first()
    if request is None:
        raise ActionRefused(f"期次 {occurrence_id} 没有待审批的延期申请")
    if not approve and not (note and note.strip()):
        raise ActionRefused("不同意延期需要写明理由。修正：加上理由")
    request.decided_by, request.decided_at, request.decision_note = actor, now, note
    if approve:
        due = new_due_at or request.proposed_due_at
        _check_new_due(session, occurrence, due, now)
        request.status, request.new_due_at = ExtensionStatus.APPROVED, due
        occurrence.due_at = due  # original_due_at keeps the first date for the record
        text = f"同意延期至 {_plan_clock(session, occurrence).local_date(due)}"
    else:
        request.status, due, text = ExtensionStatus.REFUSED, None, "不同意延期"
    session.add(request)
    _note(
        session,
        occurrence,
        actor,
        now,
        f"{text}{'：' + note if note else ''}",
        [{"extension": request.id, "due_at": due.isoformat() if due else None}],
    )
    return request


PIPELINE = (
    ("applied", "报名人数"),
    ("shortlisted", "入围人数"),
    ("interviewed", "面试人数"),
    ("hired", "录用（引进）人数"),
)


def _check_pipeline(data: dict[str, Any]) -> None:
    """A recruitment narrows at each stage (报名 ≥ 入围 ≥ 面试 ≥ 录用), and hires fill posts."""
    for (earlier, earlier_name), (later, later_name) in pairwise(PIPELINE):
        if int(data.get(later) or 0) > int(data.get(earlier) or 0):
            raise ActionRefused(
                f"{later_name} {data.get(later)} 多于{earlier_name} {data.get(earlier) or 0}。"
                f"修正：按环节填写，{earlier_name}应不少于{later_name}"
            )
    posted, hired = int(data.get("posted") or 0), int(data.get("hired") or 0)
    if posted and hired > posted:
        raise ActionRefused(f"录用（引进）人数 {hired} 多于发布岗位数 {posted}。修正：核对岗位数")


def submit_report(
    *,
    session: Session,
    occurrence_id: int,
    actor: str,
    now: dt.datetime,
    form: str,
    data: dict[str, Any],
    value: float | None = None,
    files: list[dict[str, Any]] | None = None,
    repeat_refused: bool = False,
) -> StatusEvent | None:
    """报送 from a typed form (the Prefect UI): the fields go into the ledger row, the number
    (hires, designations, a count) becomes a measurement of the task's indicator.

    Returns None when the occurrence was already submitted by another path (CLI, API):
    the form arrived after the fact and changes nothing — unless `repeat_refused` (the portal),
    where a second submit is the person's mistake and is refused with the reason.
    `files` are stored evidence files (name, type, size, SHA-256), recorded in the ledger row.
    """
    occurrence = _occurrence(session, occurrence_id)
    if occurrence.status in REPORTED and not repeat_refused:
        return None
    task = session.get_one(Task, occurrence.task_id)
    quota = (task.target or {}).get("value")
    designated = data.get("designated", [])
    if form == "evaluation" and quota and len(designated) != int(quota):
        raise ActionRefused(f"评定结果应为 {int(quota)} 个，实际 {len(designated)} 个")
    if form == "evaluation" and not designated:
        raise ActionRefused("评定结果不能为空")
    candidates = set(data.get("candidates") or [])
    if form == "evaluation" and candidates and not set(designated) <= candidates:
        outside = "、".join(sorted(set(designated) - candidates))
        raise ActionRefused(f"评定结果中的“{outside}”不在候选名单中")
    if form == "recruitment":
        _check_pipeline(data)
    links = [x for x in data.get("evidence", []) if isinstance(x, str)]
    attached = [*links, *(files or [])]
    event = submit(
        session=session,
        occurrence_id=occurrence_id,
        actor=actor,
        now=now,
        note=data.get("note") or None,
        evidence=[*attached, {"form": form, **{k: v for k, v in data.items() if k != "evidence"}}],
    )
    if value is not None and task.indicator:
        indicator = session.exec(
            select(Indicator).where(
                Indicator.plan_id == task.plan_id, Indicator.code == task.indicator
            )
        ).first()
        if indicator is not None:
            session.add(
                Measurement(
                    indicator_id=indicator.id or 0,
                    occurrence_id=occurrence_id,
                    unit=occurrence.unit,
                    value=value,
                    at=now,
                    reported_by=actor,
                    evidence=attached,
                    note=data.get("note") or None,
                )
            )
    return event

"""What the portal's pages show: a list of occurrences by urgency, and one occurrence with its
facts, history and the actions its status allows — built from `tasks.audit`, free of HTTP."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, select

from duban.models import Extension, Indicator, Occurrence, Plan, PlanItem, Task
from duban.models.status import DUTY_NAMES, WAITING, Duty, ExtensionStatus, Status
from duban.models.status import name as status_name
from duban.portal import forms
from duban.tasks.access.links import Visitor
from duban.tasks.audit import history as audit_history
from duban.tasks.audit import queries
from duban.tasks.audit.queries import Filters
from duban.tasks.remind.texts import due_text, left_text
from duban.tasks.timeline.calendar import plan_clock
from duban.tasks.work import cooperate
from duban.tasks.work.evidence import files_in
from duban.tasks.work.forms import report_kind

COLOUR_RANK = {"red": 0, "yellow": 1, "green": 2}
COLOUR_NAMES = {"red": "红", "yellow": "黄", "green": "绿"}


def listing(
    plan: Plan, facts: list[queries.OccurrenceFacts], now: dt.datetime
) -> list[dict[str, Any]]:
    """Rows for a list page, the most urgent first (红 → 黄 → 绿, then the due date)."""
    clock = plan_clock(plan)
    today = clock.local_date(now)
    rows = []
    for f in facts:
        waiting_review = f.status == Status.SUBMITTED
        colour = None if waiting_review else queries.status_colour(f, clock, now)
        left = clock.calendar.workdays_between(today, clock.local_date(f.due_at))
        rows.append(
            {
                "id": f.id,
                "title": f.title,
                "period": period_name(f),
                "unit": f.unit,
                "status": status_name(f.status),
                "colour": colour,
                "colour_name": COLOUR_NAMES.get(colour or "", ""),
                "due": due_text(f.due_at, plan.timezone, "zh-CN"),
                "left": "等待审核" if waiting_review else left_text(left, "zh-CN"),
                "rank": (COLOUR_RANK.get(colour or "", 3), f.due_at),
            }
        )
    return sorted(rows, key=lambda r: r["rank"])


def detail(
    session: Session,
    person: Visitor,
    occurrence: Occurrence,
    task: Task,
    now: dt.datetime,
) -> dict[str, Any]:
    """The occurrence page's context: its facts, history, and what the visitor may do now."""
    plan = session.get_one(Plan, task.plan_id)
    [facts] = queries.occurrence_facts(session, plan.id, Filters(occurrence=occurrence.id))
    item = session.exec(
        select(PlanItem).where(PlanItem.plan_id == plan.id, PlanItem.code == task.item)
    ).first()
    indicator = session.exec(
        select(Indicator).where(Indicator.plan_id == plan.id, Indicator.code == task.indicator)
    ).first()
    pending = session.exec(
        select(Extension).where(
            Extension.occurrence_id == occurrence.id,
            Extension.status == ExtensionStatus.PENDING,
        )
    ).first()
    names = queries.unit_names(session, plan.id)
    history = history_rows(audit_history.history(session, occurrence.id or 0), names, plan.timezone)
    [row] = listing(plan, [facts], now)
    waiting, unit = occurrence.status in WAITING, not person.is_coordinator
    return {
        "title": task.title,
        "visitor": person,
        "row": row,
        "occurrence": occurrence,
        "task": task,
        "unit_name": names.get(occurrence.unit, occurrence.unit),
        "duty": DUTY_NAMES.get(occurrence.duty, ""),
        "lead": _lead(session, occurrence, names),
        "inputs": _inputs(session, occurrence, names, plan.timezone),
        "item": item,
        "indicator": indicator,
        "original_due": due_text(occurrence.original_due_at, plan.timezone, "zh-CN")
        if occurrence.original_due_at != occurrence.due_at
        else None,
        "pending": pending,
        "pending_due": due_text(pending.proposed_due_at, plan.timezone, "zh-CN")
        if pending
        else None,
        "history": history,
        "may_ack": unit and occurrence.status == Status.OPEN,
        "may_submit": unit and waiting,
        "may_extend": unit and waiting and pending is None,
        "may_review": not unit and occurrence.status == Status.SUBMITTED,
        "may_decide": not unit and pending is not None,
        "fields": forms.fields(report_kind(task.kind, occurrence.duty)),
    }


def _lead(session: Session, occurrence: Occurrence, names: dict[str, str]) -> str | None:
    """A 协办 input's addressee: "主办：基础教育处（期次 12）"."""
    if occurrence.duty != Duty.COOPERATING or occurrence.parent_id is None:
        return None
    lead = session.get(Occurrence, occurrence.parent_id)
    return f"{names.get(lead.unit, lead.unit)}（期次 {lead.id}）" if lead else None


def _inputs(
    session: Session, occurrence: Occurrence, names: dict[str, str], timezone: str
) -> list[dict[str, Any]]:
    """The 协办 inputs addressed to a 主办 occurrence, each as sent — or not yet sent."""
    if occurrence.duty != Duty.LEAD:
        return []
    rows = []
    for i in cooperate.inputs_of(session, occurrence.id or 0):
        rows.append(
            {
                "id": i.occurrence_id,
                "unit": names.get(i.unit, i.unit),
                "sent": i.sent,
                "status": status_name(i.status),
                "due": due_text(i.due_at, timezone, "zh-CN"),
                "when": due_text(i.submitted_at, timezone, "zh-CN") if i.submitted_at else "",
                "note": i.note or "",
                "values": {k: v for k, v in i.values.items() if v not in (None, "", [], {})},
                "links": [e for e in i.evidence if isinstance(e, str)],
                "files": files_in(i.evidence),
            }
        )
    return rows


def history_rows(
    entries: list[audit_history.HistoryEntry], names: dict[str, str], timezone: str
) -> list[dict[str, Any]]:
    rows = []
    for e in entries:
        d = e.detail
        row = {"when": due_text(e.at, timezone, "zh-CN"), "note": "", "files": [], "links": []}
        if e.what == "status":
            before = status_name(str(d["from"])) if d["from"] else "—"
            after = status_name(str(d["to"]))
            row.update(
                text=after if d["from"] == d["to"] else f"{before} → {after}",
                note=d["note"] or "",
                actor=d["actor"],
                files=files_in(d["evidence"]),
                links=[x for x in d["evidence"] if isinstance(x, str)],
            )
        else:
            row.update(
                text=f"提醒（{d['stage']}）",
                actor=names.get(str(d["recipient"]), str(d["recipient"])),
            )
        rows.append(row)
    return rows


def period_name(f: queries.OccurrenceFacts) -> str:
    """ "2022年第一季度" label of a repeating task's occurrence, read off its key (the
    original local due date; a rectification's key starts with its inspection's); empty for a
    one-off task."""
    try:
        day = dt.date.fromisoformat(f.key.split("/", 1)[0])
    except ValueError:
        return ""
    return f"{day.year}年第{'一二三四'[(day.month - 1) // 3]}季度"


def parse_day(text: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise forms.FormRefused("请选择新的截止日期（年-月-日）。") from None

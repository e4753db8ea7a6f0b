"""The auditors' views as tables with Chinese headers — one shape for the CLI, CSV, Excel, HTML.

A `View` holds display rows (strings and numbers, local times) and machine records (ISO times,
codes); pure functions build them from `tasks.audit.queries` results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from duban.models.status import DUTY_NAMES
from duban.models.status import name as status_name
from duban.tasks.audit.history import HistoryEntry
from duban.tasks.audit.indicators import IndicatorRow
from duban.tasks.audit.queries import (
    OccurrenceFacts,
    OverdueRow,
    SummaryRow,
    overdue,
    status_colour,
    summary,
    timeliness,
)
from duban.tasks.timeline.calendar import Clock
from duban.tasks.work.cooperate import Input

WEEKDAYS = "一二三四五六日"
COLOURS = {"red": "红", "yellow": "黄", "green": "绿", None: ""}
ATTAINMENT = {"met": "已达标", "not_met": "未达标", "no_data": "无数据"}
PACE = {"ahead": "超前", "behind": "滞后", "on_pace": "持平", None: ""}
KIND_NAMES = {
    "inspection": "检查督查",
    "evaluation": "评估评定",
    "recruitment": "引进招聘",
    "training": "培训",
    "construction": "建设",
    "event": "活动",
    "other": "其他",
}


@dataclass
class View:
    name: str  # sheet / file name
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)


def local(moment: dt.datetime | None, zone: dt.tzinfo) -> str:
    """2022-06-30 周四 18:00 in the plan's zone."""
    if moment is None:
        return ""
    at = moment.astimezone(zone)
    return f"{at:%Y-%m-%d} 周{WEEKDAYS[at.weekday()]} {at:%H:%M}"


def _percent(rate: float | None) -> str:
    return "" if rate is None else f"{rate * 100:.1f}%"


def summary_view(rows: Sequence[SummaryRow], by: str) -> View:
    """By unit, a unit's own work (主办, with its 整改) and its 协办 inputs are rows apart."""
    head = ["责任单位", "职责"] if by == "unit" else ["任务类型"]
    view = View(
        f"summary-{by}",
        f"按{'单位' if by == 'unit' else '类型'}汇总",
        [
            *head,
            "应办",
            "已办",
            "按时",
            "逾期办结",
            "当前逾期",
            "未报送",
            "按时率",
            "平均逾期工作日",
        ],
    )
    for r in rows:
        name = r.name if by == "unit" else KIND_NAMES.get(r.key, r.key)
        first = [name, DUTY_NAMES.get(r.duty, "")] if by == "unit" else [name]
        view.rows.append(
            [
                *first,
                r.due,
                r.done,
                r.on_time,
                r.late,
                r.overdue,
                r.missed,
                _percent(r.on_time_rate),
                "" if r.average_workdays_late is None else r.average_workdays_late,
            ]
        )
        view.records.append({**asdict(r), "name": name})
    return view


def _facts_record(f: OccurrenceFacts) -> dict[str, Any]:
    record = asdict(f)
    record.pop("policy")
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in record.items()}


def overdue_view(rows: Sequence[OverdueRow], names: dict[str, str], zone: dt.tzinfo) -> View:
    view = View(
        "overdue",
        "当前逾期",
        ["编号", "任务", "责任单位", "截止", "原截止", "逾期工作日", "状态", "灯"],
    )
    for r in rows:
        f = r.facts
        view.rows.append(
            [
                f.id,
                f.title,
                names.get(f.unit, f.unit),
                local(f.due_at, zone),
                local(f.original_due_at, zone) if f.original_due_at != f.due_at else "",
                r.workdays_overdue,
                status_name(f.status),
                COLOURS[r.colour],
            ]
        )
        view.records.append(
            {**_facts_record(f), "workdays_overdue": r.workdays_overdue, "colour": r.colour}
        )
    return view


def occurrences_view(
    facts: Sequence[OccurrenceFacts],
    states: dict[int, tuple[str, int]],
    colours: dict[int, str | None],
    names: dict[str, str],
    zone: dt.tzinfo,
) -> View:
    """Every occurrence with its timeliness: the Excel workbook's detail sheet."""
    labels = {
        "on_time": "按时",
        "late": "逾期办结",
        "overdue": "逾期未办",
        "missed": "未报送（已办结）",
        "pending": "办理中",
        "not_due": "未到期",
        "cancelled": "已取消",
    }
    view = View(
        "occurrences",
        "期次明细",
        [
            "编号",
            "任务",
            "类型",
            "责任单位",
            "职责",
            "截止",
            "原截止",
            "报送",
            "状态",
            "时效",
            "逾期工作日",
            "灯",
        ],
    )
    for f in facts:
        state, days = states[f.id]
        view.rows.append(
            [
                f.id,
                f.title,
                KIND_NAMES.get(f.kind, f.kind),
                names.get(f.unit, f.unit),
                DUTY_NAMES.get(f.duty, ""),
                local(f.due_at, zone),
                local(f.original_due_at, zone) if f.original_due_at != f.due_at else "",
                local(f.submitted_at, zone),
                status_name(f.status),
                labels[state],
                days or "",
                COLOURS[colours.get(f.id)],
            ]
        )
        view.records.append(
            {
                **_facts_record(f),
                "timeliness": state,
                "workdays_late": days,
                "colour": colours.get(f.id),
            }
        )
    return view


def history_view(
    facts: OccurrenceFacts, entries: Sequence[HistoryEntry], names: dict[str, str], zone: dt.tzinfo
) -> View:
    view = View(
        f"history-{facts.id}",
        f"期次 {facts.id} · {facts.title} · {names.get(facts.unit, facts.unit)} · 截止 {local(facts.due_at, zone)}",
        ["时间", "类别", "内容", "操作人/接收单位", "备注"],
    )
    for e in entries:
        d = e.detail
        if e.what == "status":
            before = status_name(str(d["from"] or "—"))
            content = f"{before} → {status_name(str(d['to']))}"
            row = [local(e.at, zone), "状态", content, d["actor"], d["note"] or ""]
        else:
            recipient = names.get(str(d["recipient"]), str(d["recipient"]))
            content = f"提醒 {d['stage']}（{d['status']}）"
            row = [local(e.at, zone), "提醒", content, recipient, d["error"] or d["channel"] or ""]
        view.rows.append(row)
        view.records.append({"at": e.at.isoformat(), "what": e.what, **d})
    return view


def indicators_view(
    rows: Sequence[IndicatorRow], zone: dt.tzinfo, names: dict[str, str] | None = None
) -> View:
    """Each indicator, and beneath a divided one each unit's share (其中 …)."""
    view = View(
        "indicators",
        "指标完成情况",
        ["指标", "名称", "目标", "最新值", "填报时间", "达标", "序时进度", "进度"],
    )
    for r in rows:
        view.rows.append(_indicator_line(r, r.name, zone))
        for share in r.shares:
            unit = (names or {}).get(share.unit or "", share.unit or "")
            view.rows.append(_indicator_line(share, f"　其中 {unit}", zone))
        view.records.append(_indicator_record(r))
    return view


def _indicator_line(r: IndicatorRow, name: str, zone: dt.tzinfo) -> list[Any]:
    return [
        r.code,
        name,
        f"{r.comparator}{r.target:g}{r.target_unit}",
        "" if r.latest is None else f"{r.latest:g}",
        local(r.latest_at, zone),
        ATTAINMENT[r.attainment],
        "" if r.expected_now is None else f"{r.expected_now:g}",
        PACE[r.pace],
    ]


def _indicator_record(r: IndicatorRow) -> dict[str, Any]:
    record = {k: v for k, v in asdict(r).items() if k != "shares"}
    record["latest_at"] = r.latest_at.isoformat() if r.latest_at else None
    record["shares"] = [_indicator_record(s) for s in r.shares]
    return record


VIEWS = ("occurrences", "summary-unit", "summary-kind", "overdue", "indicators")


def report_views(
    facts: Sequence[OccurrenceFacts],
    measured: Sequence[IndicatorRow],
    names: dict[str, str],
    clock: Clock,
    now: dt.datetime,
) -> dict[str, View]:
    """The auditors' report, one view per sheet (`VIEWS`, in their order)."""
    return {
        "occurrences": occurrences_view(
            facts,
            {f.id: timeliness(f, clock, now) for f in facts},
            {f.id: status_colour(f, clock, now) for f in facts},
            names,
            clock.zone,
        ),
        "summary-unit": summary_view(
            summary(facts, by="unit", names=names, clock=clock, now=now), "unit"
        ),
        "summary-kind": summary_view(
            summary(facts, by="kind", names=names, clock=clock, now=now), "kind"
        ),
        "overdue": overdue_view(overdue(facts, clock=clock, now=now), names, clock.zone),
        "indicators": indicators_view(measured, clock.zone, names),
    }


def inputs_view(inputs: Sequence[Input], names: dict[str, str], zone: dt.tzinfo) -> View:
    """协办: what each cooperating unit sent the 主办 — and who has sent nothing."""
    view = View(
        "inputs",
        "协办意见",
        ["期次", "协办单位", "截止", "状态", "报送时间", "说明", "佐证"],
    )
    for i in inputs:
        view.rows.append(
            [
                i.occurrence_id,
                names.get(i.unit, i.unit),
                local(i.due_at, zone),
                status_name(i.status) if i.sent else f"未报送（{status_name(i.status)}）",
                local(i.submitted_at, zone),
                i.note or "",
                len(i.evidence),
            ]
        )
        record = asdict(i)
        record.update(
            due_at=i.due_at.isoformat(),
            submitted_at=i.submitted_at.isoformat() if i.submitted_at else None,
            sent=i.sent,
        )
        view.records.append(record)
    return view

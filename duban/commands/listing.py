"""`duban units list` and `duban tasks list`."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlmodel import col, select

from duban.context import (
    JsonOpt,
    PlanOpt,
    current_plan,
    engine,
    print_json,
    print_table,
    user_errors,
)
from duban.models import Task, Unit
from duban.models.db import session_scope

units_app = typer.Typer(help="责任单位。", no_args_is_help=True)
tasks_app = typer.Typer(help="重点任务。", no_args_is_help=True)

ROLES = {"unit": "责任单位", "leader": "分管领导", "coordinator": "督查室"}
KIND_NAMES = {
    "inspection": "检查督查",
    "evaluation": "评估评选",
    "recruitment": "引进招聘",
    "training": "培训进修",
    "construction": "建设",
    "event": "活动",
    "other": "其他",
}
AllOpt = Annotated[bool, typer.Option("--all", help="包括已从计划中移除的")]


@units_app.command("list")
def list_units(plan: PlanOpt = None, json: JsonOpt = False, all: AllOpt = False) -> None:
    """列出责任单位、上级（逐级督办对象）、通知标签和是否每日汇总提醒。"""
    with user_errors(), session_scope(engine()) as session:
        header = current_plan(session, plan)
        query = select(Unit).where(Unit.plan_id == header.id).order_by(col(Unit.id))
        units = [u for u in session.exec(query) if all or u.active]
    if json:
        print_json([u.model_dump(mode="json", exclude={"id", "plan_id"}) for u in units])
        return
    names = {u.code: u.name for u in units}
    print_table(
        f"{header.title} · 责任单位",
        ["编号", "名称", "角色", "上级", "通知标签", "每日汇总"],
        [
            (
                u.code,
                u.name,
                ROLES.get(u.role, u.role),
                names.get(u.parent or "", u.parent),
                ", ".join(u.notify),
                "是" if u.digest else "",
            )
            for u in units
        ],
    )


@tasks_app.command("list")
def list_tasks(
    plan: PlanOpt = None,
    json: JsonOpt = False,
    all: AllOpt = False,
    kind: Annotated[str | None, typer.Option(help="只列出某类任务")] = None,
    unit: Annotated[str | None, typer.Option(help="只列出某单位牵头、承办或协办的任务")] = None,
) -> None:
    """列出重点任务：类别、条目、牵头、承办（分办）和协办单位、时间安排。"""
    with user_errors(), session_scope(engine()) as session:
        header = current_plan(session, plan)
        query = select(Task).where(Task.plan_id == header.id).order_by(col(Task.id))
        tasks = [
            t
            for t in session.exec(query)
            if (all or t.active)
            and kind in (None, t.kind)
            and (unit is None or unit in (t.owner, *t.units, *t.cooperating))
        ]
        names = {
            u.code: u.name for u in session.exec(select(Unit).where(Unit.plan_id == header.id))
        }
    if json:
        print_json([t.model_dump(mode="json", exclude={"id", "plan_id"}) for t in tasks])
        return
    print_table(
        f"{header.title} · 重点任务",
        ["编号", "任务", "类别", "条目", "牵头", "承办", "协办", "时间"],
        [
            (
                t.code,
                t.title,
                KIND_NAMES[t.kind],
                t.item,
                names.get(t.owner, t.owner),
                units_text(t, names),
                "、".join(names.get(c, c) for c in t.cooperating),
                describe_schedule(t.schedule),
            )
            for t in tasks
        ],
    )


def units_text(task: Task, names: dict[str, str]) -> str:
    """分办: "5 个单位（海曙区教育局、江北区教育局…）"; empty when the owner alone."""
    if task.units in ([], [task.owner]):
        return ""
    shown = "、".join(names.get(u, u) for u in task.units[:3])
    return f"{len(task.units)} 个单位（{shown}{'…' if len(task.units) > 3 else ''}）"


def describe_schedule(schedule: dict[str, object]) -> str:
    if schedule.get("due"):
        return f"{schedule['due']} 前"
    return str(schedule.get("rrule"))

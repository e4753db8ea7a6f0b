"""`duban schedule materialize|show`: the occurrences of the plan year."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlmodel import col, select

from duban.context import (
    JsonOpt,
    NowOpt,
    PlanOpt,
    UserError,
    console,
    current_plan,
    engine,
    local,
    parse_now,
    print_json,
    print_table,
    user_errors,
)
from duban.models import Occurrence, Task, Unit
from duban.models.db import session_scope
from duban.models.status import DUTY_NAMES
from duban.models.status import name as status_name
from duban.tasks.timeline.materialize import materialize as materialize_occurrences

app = typer.Typer(help="期次（每项任务的每次到期）。", no_args_is_help=True)


@app.command()
def materialize(plan: PlanOpt = None, now: NowOpt = None) -> None:
    """为计划年度生成期次；可重复运行，只更新尚未开始的期次，从不改写历史。"""
    with user_errors():
        moment = parse_now(now)
        with session_scope(engine()) as session:
            plan_id = current_plan(session, plan).id
            result = materialize_occurrences(session=session, plan_id=plan_id, now=moment)
    console.print(
        f"计划 {plan_id}：新增 {result.added}，更新 {result.updated}，取消 {result.cancelled}，"
        f"不变 {result.kept}。",
        highlight=False,
    )


@app.command()
def show(
    plan: PlanOpt = None,
    task: Annotated[str | None, typer.Option("--task", help="只显示某项任务")] = None,
    json: JsonOpt = False,
) -> None:
    """列出期次：开始时间、截止时间（计划时区）、承办单位及其职责（主办、协办、整改）、状态。"""
    with user_errors(), session_scope(engine()) as session:
        header = current_plan(session, plan)
        query = (
            select(Occurrence, Task)
            .join(Task, col(Task.id) == Occurrence.task_id)
            .where(Task.plan_id == header.id)
            .order_by(col(Occurrence.due_at), col(Task.code))
        )
        if task:
            if (
                session.exec(
                    select(Task).where(Task.plan_id == header.id, Task.code == task)
                ).first()
                is None
            ):
                raise UserError(f"任务“{task}”不存在。修正：用 duban tasks list 查看任务编号")
            query = query.where(Task.code == task)
        rows = session.exec(query).all()
        names = {
            u.code: u.name for u in session.exec(select(Unit).where(Unit.plan_id == header.id))
        }
    if json:
        print_json(
            [
                {
                    "task": t.code,
                    "key": o.key,
                    "opens_at": o.opens_at.isoformat(),
                    "due_at": o.due_at.isoformat(),
                    "original_due_at": o.original_due_at.isoformat(),
                    "status": o.status,
                    "id": o.id,
                    "unit": o.unit,
                    "duty": o.duty,
                    "owner": t.owner,
                }
                for o, t in rows
            ]
        )
        return
    tz = header.timezone
    print_table(
        f"{header.title} · 期次",
        ["编号", "任务", "标题", "期次", "开始", "截止", "单位", "职责", "状态"],
        [
            (
                o.id,
                t.code,
                t.title,
                o.key,
                local(o.opens_at, tz),
                local(o.due_at, tz),
                names.get(o.unit, o.unit),
                DUTY_NAMES.get(o.duty, o.duty),
                status_name(o.status),
            )
            for o, t in rows
        ],
    )

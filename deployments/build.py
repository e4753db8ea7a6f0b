"""Deployments of an imported plan: what they are, independent of how they are served.

Each active task becomes a deployment of its kind's flow (`duban-inspection`, `duban-evaluation`,
`duban-recruitment`, `duban-general`); the plan has one sweep deployment, one alert
deployment (run by the failure automation) and, when it asks for them, one bulletin deployment. None carries a Prefect schedule: Duban creates
each run itself, named for people and bound to its occurrence or sweep moment
(`deployments.runs`), because Prefect's scheduler names runs at random and a cron cannot follow
the official calendar. A task removed from the plan keeps its deployment, paused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from duban.flows.naming import flow_kind
from duban.models import Plan, Task, Unit


@dataclass(frozen=True)
class DeploymentSpec:
    """What a deployment should be, independent of how it is served."""

    flow: str  # a kind's flow (inspection | evaluation | recruitment | general), sweep, alert
    name: str
    parameters: dict[str, Any]
    tags: list[str]
    paused: bool = False
    description: str = ""


def plan_deployments(*, session: Session, plan_id: str) -> list[DeploymentSpec]:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise LookupError(plan_id)
    units = {u.code: u.name for u in session.exec(select(Unit).where(Unit.plan_id == plan_id))}
    specs = [
        DeploymentSpec(
            flow="sweep",
            name=f"{plan_id}-sweep",
            parameters={"plan_id": plan_id, "timezone": plan.timezone},
            tags=[f"plan:{plan_id}", "duban:sweep"],
            description=f"{plan.title}：巡检——补开到期的期次，发送督办提醒，更新进度产物"
            "（工作日 8:00–18:45 每 15 分钟一次，按法定工作日，含调休）",
        ),
        DeploymentSpec(  # run by the failure automation; not tagged with the plan, so that a
            flow="alert",  # failing alert cannot trigger itself
            name=f"{plan_id}-alert",
            parameters={"plan_id": plan_id},
            tags=["duban:alert"],
            description=f"{plan.title}：流程运行失败或崩溃时通知督办协调单位",
        ),
    ]
    bulletin = (plan.settings or {}).get("bulletin")
    if bulletin:  # the plan asks for 督办通报: Duban creates its runs (flows.runs.bulletin_runs)
        every = "每周" if bulletin.get("every") == "week" else "每月"
        specs.append(
            DeploymentSpec(
                flow="bulletin",
                name=f"{plan_id}-bulletin",
                parameters={"plan_id": plan_id},
                tags=[f"plan:{plan_id}", "duban:bulletin"],
                description=f"{plan.title}：督办通报——{every}第一个工作日（按法定工作日，含调休）"
                f"{bulletin.get('time', '09:00')} 发送上一{every[1]}的通报",
            )
        )
    tasks = session.exec(select(Task).where(Task.plan_id == plan_id).order_by(col(Task.id))).all()
    for task in tasks:
        tags = [f"plan:{plan_id}", f"unit:{task.owner}", f"kind:{task.kind}"]
        if task.item:
            tags.append(f"item:{task.item}")
        if task.indicator:
            tags.append(f"indicator:{task.indicator}")
        owner = units.get(task.owner, task.owner)
        specs.append(
            DeploymentSpec(
                flow=flow_kind(task.kind),
                name=f"{plan_id}-{task.code}",
                parameters={
                    "plan_id": plan_id,
                    "task_code": task.code,
                    "title": task.title,
                    "unit": owner,
                    "timezone": plan.timezone,
                },
                tags=tags,
                paused=not task.active,
                description=f"{task.title}（牵头：{owner}）：每个期次一个运行，到开始时间交办",
            )
        )
    return specs

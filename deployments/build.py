"""Deployments of an imported plan.

Each active task becomes a deployment of its kind's flow (`duban-inspection`, `duban-evaluation`,
`duban-recruitment`, `duban-general`) whose schedule is exactly the
opening moments of its future occurrences, as an RRULE set of RDATEs in the plan's time
zone: workday rolls and 调休 are already applied by `tasks.schedules`, which a plain
RRULE could not express. A task removed from the plan keeps its deployment, paused, so
nothing fires for it. The sweep deployment catches up anything missed while the
service was down, every 15 minutes in working hours. The alert deployment has no schedule:
the failure automation runs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from prefect.client.schemas.schedules import CronSchedule, RRuleSchedule
from sqlmodel import Session, col, select

from flows.occurrence import flow_kind
from models import Occurrence, Plan, Task, Unit

MAX_RDATES = 300  # Prefect caps an RRULE string at 6,500 characters
SWEEP_CRON = "*/15 8-18 * * 1-5"


@dataclass(frozen=True)
class DeploymentSpec:
    """What a deployment should be, independent of how it is served."""

    flow: str  # a kind's flow (inspection | evaluation | recruitment | general), sweep, alert
    name: str
    parameters: dict[str, Any]
    tags: list[str]
    schedule: RRuleSchedule | CronSchedule | None
    paused: bool = False
    description: str = ""


def rdate_schedule(moments: list[datetime], timezone: str) -> RRuleSchedule | None:
    if not moments:
        return None
    zone = ZoneInfo(timezone)
    local = sorted({m.astimezone(zone).strftime("%Y%m%dT%H%M%S") for m in moments})[:MAX_RDATES]
    return RRuleSchedule(rrule="RDATE:" + ",".join(local), timezone=timezone)


def plan_deployments(*, session: Session, plan_id: str, now: datetime) -> list[DeploymentSpec]:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise LookupError(plan_id)
    units = {u.code: u.name for u in session.exec(select(Unit).where(Unit.plan_id == plan_id))}
    specs = [
        DeploymentSpec(
            flow="sweep",
            name=f"{plan_id}-sweep",
            parameters={"plan_id": plan_id},
            tags=[f"plan:{plan_id}", "duban:sweep"],
            schedule=CronSchedule(cron=SWEEP_CRON, timezone=plan.timezone),
            description=f"{plan.title}：工作时间每 15 分钟巡检一次",
        ),
        DeploymentSpec(  # run by the failure automation; not tagged with the plan, so that a
            flow="alert",  # failing alert cannot trigger itself
            name=f"{plan_id}-alert",
            parameters={"plan_id": plan_id},
            tags=["duban:alert"],
            schedule=None,
            description=f"{plan.title}：流程运行失败或崩溃时通知督办协调单位",
        ),
    ]
    tasks = session.exec(select(Task).where(Task.plan_id == plan_id).order_by(col(Task.id))).all()
    upcoming: dict[int, list[datetime]] = {}
    for occurrence in session.exec(
        select(Occurrence).where(Occurrence.status == "scheduled", col(Occurrence.opens_at) > now)
    ):
        upcoming.setdefault(occurrence.task_id, []).append(occurrence.opens_at)
    for task in tasks:
        assert task.id is not None
        tags = [f"plan:{plan_id}", f"unit:{task.owner}", f"kind:{task.kind}"]
        if task.item:
            tags.append(f"item:{task.item}")
        if task.indicator:
            tags.append(f"indicator:{task.indicator}")
        specs.append(
            DeploymentSpec(
                flow=flow_kind(task.kind),
                name=f"{plan_id}-{task.code}",
                parameters={
                    "plan_id": plan_id,
                    "task_code": task.code,
                    "title": task.title,
                    "unit": units.get(task.owner, task.owner),
                    "timezone": plan.timezone,
                },
                tags=tags,
                schedule=rdate_schedule(upcoming.get(task.id, []), plan.timezone),
                paused=not task.active,
                description=f"{task.title}（牵头：{units.get(task.owner, task.owner)}）",
            )
        )
    return specs

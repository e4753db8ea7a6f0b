"""One flow run per occurrence of a key task: it opens the occurrence when its time comes.

The deployment of each task fires at its occurrences' opening moments (see
`deployments.build`). The run reads its `now` once, at its start, and opens every occurrence of its task whose
opening time has passed — so a run that starts late, or a missed one caught up by the
sweep, still opens the right occurrence, and only once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.runtime import flow_run

from duban.settings import get_settings
from models.db import engine_for, session_scope
from tasks.opening import open_due


def _run_name() -> str:
    params = flow_run.parameters
    scheduled = flow_run.scheduled_start_time
    zone = ZoneInfo(params.get("timezone") or "Asia/Shanghai")
    day = (
        datetime.fromtimestamp(scheduled.timestamp(), zone).date().isoformat() if scheduled else ""
    )
    parts = [day, params.get("title") or params.get("task_code", ""), params.get("unit", "")]
    return " · ".join(p for p in parts if p)


@task
def open_occurrences(
    plan_id: str, task_code: str | None, now: datetime, run_id: str | None
) -> list[str]:
    engine = engine_for(get_settings().effective_database_url)
    with session_scope(engine) as session:
        opened = open_due(
            session=session, plan_id=plan_id, task_code=task_code, now=now, flow_run_id=run_id
        )
        return [o.key for o in opened]


@flow(name="duban-occurrence", flow_run_name=_run_name, log_prints=False)
def occurrence_flow(
    plan_id: str,
    task_code: str,
    title: str = "",
    unit: str = "",
    timezone: str = "Asia/Shanghai",
    now: datetime | None = None,
) -> list[str]:
    """打开到期的期次（交办责任单位）。`title`、`unit`、`timezone` 只用于给运行命名。"""
    moment = now or datetime.now(UTC)
    keys = open_occurrences(plan_id, task_code, moment, flow_run.id)
    get_run_logger().info("任务 %s 打开期次：%s", task_code, "、".join(keys) or "无")
    return keys


@flow(name="duban-sweep", log_prints=False)
def sweep_flow(plan_id: str, now: datetime | None = None) -> list[str]:
    """巡检：补开所有已到开始时间的期次（服务停机期间错过的也会补上）。"""
    moment = now or datetime.now(UTC)
    keys = open_occurrences(plan_id, None, moment, None)
    get_run_logger().info("巡检打开期次 %d 个", len(keys))
    return keys


if __name__ == "__main__":
    sweep_flow(plan_id="edu-2022")

"""`duban-alert`: tells the coordinators, on their own channels, that a Duban flow run failed.

A Prefect automation (`deployments/automation.py`) runs this deployment when a flow run tagged
with the plan fails or crashes; the message goes through the same apprise path as reminders.
"""

from __future__ import annotations

import os

from prefect import flow, get_run_logger
from sqlmodel import select

from duban import runtime
from duban.models import Unit
from duban.models.db import session_scope
from duban.tasks.remind.delivery import DeliveryError, Message


def alert_message(plan_id: str, flow_run_id: str, flow_run_name: str, state: str) -> Message:
    run = flow_run_id.removeprefix("prefect.flow-run.")
    outcome = "崩溃" if state.lower().endswith("crashed") else "失败"
    ui = os.environ.get("PREFECT_UI_URL")
    link = f"{ui.rstrip('/')}/runs/flow-run/{run}" if ui and run else f"流程运行编号 {run}"
    return Message(
        title=f"【督办】流程运行{outcome}：{flow_run_name or run}",
        body=(
            f"计划 {plan_id} 的流程运行“{flow_run_name or run}”{outcome}。\n\n"
            f"请在 Prefect 界面查看日志并重新运行：{link}\n\n"
            "期次和台账以数据库为准：巡检会在下次运行时补开遗漏的期次、补发提醒。"
        ),
    )


@flow(name="duban-alert", log_prints=False)
def alert_flow(
    plan_id: str, flow_run_id: str = "", flow_run_name: str = "", state: str = ""
) -> list[str]:
    """告警：把失败或崩溃的流程运行通知督办协调单位。"""
    logger = get_run_logger()
    settings = runtime.get_settings()
    engine = runtime.engine(settings)
    with session_scope(engine) as session:
        heads = session.exec(
            select(Unit).where(Unit.plan_id == plan_id, Unit.role == "coordinator", Unit.active)
        ).all()
        tags = [tag for unit in heads for tag in (unit.notify or [unit.code])[:1]]
    message = alert_message(plan_id, flow_run_id, flow_run_name, state)
    transport = runtime.load_transport(settings)
    if transport is None:
        logger.warning("未配置通知通道，告警只写入日志：%s", message.title)
        return []
    sent = []
    for tag in tags:
        try:
            transport.send(tag, message)
            sent.append(tag)
        except DeliveryError as exc:
            logger.error("告警未能发往 %s：%s", tag, exc)
    return sent

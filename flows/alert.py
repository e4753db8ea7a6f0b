"""`duban-alert`: tells the coordinators, on their own channels, that a Duban flow run failed.

A Prefect automation (`deployments/automation.py`) runs this deployment when a flow run tagged
with the plan fails or crashes. The message goes through the outbox like every reminder
(`tasks/remind/alerts.py`): written once per run and coordinator, then dispatched — the
coordinator's next channel when one fails, retries with backoff, every attempt recorded.
"""

from __future__ import annotations

import os
import socket

from prefect import flow, get_run_logger

from duban import runtime
from duban.models.db import session_scope
from duban.tasks.remind.alerts import write_alert


@flow(name="duban-alert", log_prints=False)
def alert_flow(
    plan_id: str, flow_run_id: str = "", flow_run_name: str = "", state: str = ""
) -> list[str]:
    """告警：把失败或崩溃的流程运行通知督办协调单位（经发件箱发送，可重试、可改投）。"""
    logger = get_run_logger()
    settings = runtime.get_settings()
    engine, time = runtime.engine(settings), settings.time()
    run = flow_run_id.removeprefix("prefect.flow-run.")
    now = time.now()
    with session_scope(engine) as session:
        written = write_alert(
            session,
            plan_id=plan_id,
            run_id=run,
            run_name=flow_run_name or run,
            crashed=state.lower().endswith("crashed"),
            now=now,
        )
    logger.info("告警写入发件箱 %d 条（流程运行 %s）", written, flow_run_name or run)
    transport = runtime.load_transport(settings)
    if transport is None:
        logger.warning("未配置通知通道：告警在发件箱中等待，未发送")
        return []
    result = runtime.send_outbox(
        settings,
        transport,
        worker=f"duban-alert:{socket.gethostname()}:{os.getpid()}",
        now=now,
        clock=time.now,
    )
    return sorted({d.recipient for d in result.deliveries if d.outcome == "sent"})

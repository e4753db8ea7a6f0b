"""`duban serve` (the plan's deployments, served from this process) and `duban deploy` (the
same deployments on a work pool, for workers)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from duban.context import (
    NowOpt,
    PlanOpt,
    console,
    current_plan,
    engine,
    fail,
    parse_now,
    user_errors,
)
from duban.models.db import session_scope
from duban.runtime import get_settings
from duban.supervise import install_stop_signals

if TYPE_CHECKING:
    from duban.deployments.build import DeploymentSpec
    from duban.flows.runs import RunPlan


def serve(plan: PlanOpt = None, now: NowOpt = None) -> None:
    """为已导入计划的每项任务注册并运行 Prefect 部署（需要 PREFECT_API_URL 指向真实的 Prefect 服务器）。"""
    from duban.deployments.serve import serve_plan

    if not os.environ.get("PREFECT_API_URL"):
        fail(
            "未设置 PREFECT_API_URL：Prefect 自动启动的临时服务器不运行调度，部署不会按时触发。"
            "修正：先运行 prefect server start 并设置 PREFECT_API_URL=http://127.0.0.1:4200/api，"
            "或直接运行 duban up"
        )
    install_stop_signals()
    specs, planned = deployments_and_runs(plan, now)
    active = sum(1 for s in specs if not s.paused)
    console.print(
        f"正在运行 {active} 个部署（已暂停 {len(specs) - active} 个）。按 Ctrl-C 停止。",
        highlight=False,
    )
    try:
        serve_plan(specs, planned, lambda line: console.print(line, highlight=False))
    except KeyboardInterrupt:
        pass


def deploy(
    work_pool: Annotated[
        str, typer.Option("--work-pool", help="Prefect 工作池名称（不存在则创建为 process 类型）")
    ] = "duban",
    plan: PlanOpt = None,
    now: NowOpt = None,
) -> None:
    """把已导入计划的部署注册到 Prefect 工作池，由 prefect worker 运行（生产环境用；重复运行即更新）。"""
    from duban.deployments.serve import deploy_plan

    if not os.environ.get("PREFECT_API_URL"):
        fail(
            "未设置 PREFECT_API_URL。修正：设置为 Prefect 服务器的地址，如 http://prefect:4200/api"
        )
    specs, planned = deployments_and_runs(plan, now)
    ids = deploy_plan(specs, work_pool, planned)
    paused = sum(1 for s in specs if s.paused)
    console.print(
        f"已在工作池 {work_pool} 注册 {len(ids)} 个部署（其中暂停 {paused} 个）。"
        f"启动工作进程：prefect worker start --pool {work_pool}",
        highlight=False,
    )


def deployments_and_runs(plan: str | None, now: str | None) -> tuple[list[DeploymentSpec], RunPlan]:
    """The plan's deployments, and the runs it needs next (planned from `now`)."""
    from duban.deployments.build import plan_deployments
    from duban.flows.runs import plan_runs

    time = get_settings().time()
    with user_errors():
        moment = parse_now(now)
        with session_scope(engine()) as session:
            plan_id = current_plan(session, plan).id
            specs = plan_deployments(session=session, plan_id=plan_id)
            planned = plan_runs(session=session, plan_id=plan_id, time=time, now=moment)
    return specs, planned

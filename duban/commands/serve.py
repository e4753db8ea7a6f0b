"""`duban serve` (the plan's deployments) and `duban up` (everything, on one machine)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

import httpx
import typer

from duban.commands.plan import NowOpt, PlanOpt
from duban.context import UserError, console, current_plan, engine, fail, parse_now, user_errors
from duban.settings import get_settings
from models.db import session_scope

PREFECT_HOST = "127.0.0.1"


def serve(plan: PlanOpt = None, now: NowOpt = None) -> None:
    """为已导入计划的每项任务注册并运行 Prefect 部署（需要 PREFECT_API_URL 指向真实的 Prefect 服务器）。"""
    from deployments.build import plan_deployments
    from deployments.serve import serve_plan

    if not os.environ.get("PREFECT_API_URL"):
        fail(
            "未设置 PREFECT_API_URL：Prefect 自动启动的临时服务器不运行调度，部署不会按时触发。"
            "修正：先运行 prefect server start 并设置 PREFECT_API_URL=http://127.0.0.1:4200/api，"
            "或直接运行 duban up"
        )
    with user_errors():
        moment = parse_now(now)
        with session_scope(engine()) as session:
            specs = plan_deployments(
                session=session, plan_id=current_plan(session, plan).id, now=moment
            )
    active = sum(1 for s in specs if not s.paused)
    console.print(
        f"正在运行 {active} 个部署（已暂停 {len(specs) - active} 个）。按 Ctrl-C 停止。",
        highlight=False,
    )
    serve_plan(specs)


def deploy(
    work_pool: Annotated[
        str, typer.Option("--work-pool", help="Prefect 工作池名称（不存在则创建为 process 类型）")
    ] = "duban",
    plan: PlanOpt = None,
    now: NowOpt = None,
) -> None:
    """把已导入计划的部署注册到 Prefect 工作池，由 prefect worker 运行（生产环境用；重复运行即更新）。"""
    from deployments.build import plan_deployments
    from deployments.serve import deploy_plan

    if not os.environ.get("PREFECT_API_URL"):
        fail(
            "未设置 PREFECT_API_URL。修正：设置为 Prefect 服务器的地址，如 http://prefect:4200/api"
        )
    with user_errors():
        moment = parse_now(now)
        with session_scope(engine()) as session:
            specs = plan_deployments(
                session=session, plan_id=current_plan(session, plan).id, now=moment
            )
    ids = deploy_plan(specs, work_pool)
    paused = sum(1 for s in specs if s.paused)
    console.print(
        f"已在工作池 {work_pool} 注册 {len(ids)} 个部署（其中暂停 {paused} 个）。"
        f"启动工作进程：prefect worker start --pool {work_pool}",
        highlight=False,
    )


def up(
    plan_file: Annotated[Path, typer.Argument(help="要导入并运行的计划文件")] = Path(
        "examples/plan-2022.yaml"
    ),
    port: Annotated[int, typer.Option(help="Prefect 服务器端口")] = 4200,
    portal_port: Annotated[
        int, typer.Option(help="单位门户与 HTTP API 的端口（0 = 不启动）")
    ] = 8000,
) -> None:
    """单机一键运行：启动 Prefect 服务器，升级数据库，导入计划，启动单位门户，运行全部部署。
    Ctrl-C 全部停止。"""
    api_url, env = prefect_env(port)
    if portal_port:  # reminders sent from here link to this portal unless told otherwise
        env.setdefault("DUBAN_PORTAL_URL", f"http://{PREFECT_HOST}:{portal_port}")
    duban = [sys.executable, "-m", "duban.cli"]
    server = start_prefect(api_url, port, env)
    portal: subprocess.Popen[bytes] | None = None
    try:
        for step in (["db", "upgrade"], ["plan", "import", str(plan_file)]):
            if subprocess.run([*duban, *step], env=env).returncode != 0:
                raise typer.Exit(1)
        console.print(f"Prefect 界面：http://{PREFECT_HOST}:{port}", highlight=False)
        if portal_port:
            portal = subprocess.Popen(
                [*duban, "api", "--host", PREFECT_HOST, "--port", str(portal_port)], env=env
            )
            console.print(
                f"单位门户：http://{PREFECT_HOST}:{portal_port}/portal/（链接用 duban link create 生成）",
                highlight=False,
            )
        _run_until_interrupted([*duban, "serve"], env)
    except KeyboardInterrupt:
        pass
    finally:
        if portal is not None:
            _stop_child(portal)
        if server is not None:
            _stop(server)


def prefect_env(port: int) -> tuple[str, dict[str, str]]:
    """The local Prefect server's API URL and the environment that points everything at it."""
    api_url = f"http://{PREFECT_HOST}:{port}/api"
    return api_url, {
        **os.environ,
        "PREFECT_API_URL": api_url,
        "PREFECT_HOME": os.environ.get("PREFECT_HOME", str(get_settings().data_dir / "prefect")),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_API_URL": api_url,
    }


def start_prefect(api_url: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes] | None:
    """Start `prefect server start` unless one already answers there; wait until it does."""
    if _healthy(api_url):
        return None
    console.print(f"启动 Prefect 服务器（{api_url}）…", highlight=False)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            PREFECT_HOST,
            "--port",
            str(port),
        ],
        env=env,
        start_new_session=True,
    )
    try:
        _wait_healthy(api_url, server)
    except BaseException:
        _stop(server)
        raise
    return server


def _run_until_interrupted(command: list[str], env: dict[str, str]) -> None:
    """Run `duban serve`; on Ctrl-C (which it receives too) give it time to stop cleanly."""
    child = subprocess.Popen(command, env=env)
    try:
        child.wait()
    except KeyboardInterrupt:
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _stop_child(child: subprocess.Popen[bytes]) -> None:
    """A child in our process group got Ctrl-C too; otherwise ask it, then insist."""
    if child.poll() is None:
        child.send_signal(signal.SIGINT)
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _healthy(api_url: str) -> bool:
    try:
        return httpx.get(f"{api_url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _wait_healthy(api_url: str, server: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise UserError(
                "Prefect 服务器启动失败（见上方输出）。修正：检查端口是否被占用，或改用 --port"
            )
        if _healthy(api_url):
            return
        time.sleep(0.5)
    raise UserError(f"Prefect 服务器 {timeout:.0f} 秒内未就绪。修正：检查上方输出")


def _stop(server: subprocess.Popen[bytes]) -> None:
    console.print("正在停止 Prefect 服务器…", highlight=False)
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()

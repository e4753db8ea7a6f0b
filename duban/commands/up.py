"""`duban up` (everything on one machine: what `make up` runs) and `duban demo`.

`duban up PLAN` starts a Prefect server, brings the database up to date, imports the plan,
starts the portal and serves the plan's deployments. A plan whose year is over is *replayed*:
in a fresh directory of its own (`DATA_DIR/replay`, never the production database), on a clock
that runs the year in `DUBAN_REPLAY_MINUTES` (default 6) minutes, through the same deployments
and flows as a live year; simulated units and coordinators act through the portal's calls
(`tasks.replay.simulate`), except for one unit and the coordinators' review of it, which are left to
the person; every reminder goes to a local inbox page. Stop it with Ctrl-C, SIGTERM or SIGHUP:
serve first, then the portal, then the server; deployments are not paused.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from duban.commands.plan import checked
from duban.context import UserError, console, err_console, fail, user_errors
from duban.runtime import Settings, get_settings
from duban.supervise import Child, Children, install_stop_signals
from duban.tasks.plan.schema import PlanSpec

if TYPE_CHECKING:
    from duban.replay import People
from duban.tasks.timeline.clock import Replay, save

HOST = "127.0.0.1"
LEAD = dt.timedelta(seconds=20)  # from asking for the deployments to the replay's start
STATUS_EVERY = 20.0  # seconds between two status lines of a replay
REPLAY_POLL_SECONDS = 2  # a replay's runners look for runs due this often: a day passes in 1 s
DUBAN = [sys.executable, "-m", "duban.cli"]
EXAMPLE = Path("examples/plan-2022.yaml")


@dataclass(frozen=True)
class Stack:
    """Where one `duban up` keeps its state, and the environment its children share."""

    data: Path
    logs: Path
    env: dict[str, str]
    api_url: str
    ui_url: str
    portal_url: str | None
    replaying: bool


def prepare(
    settings: Settings, spec: PlanSpec, port: int, portal_port: int, replaying: bool
) -> Stack:
    """Make every directory needed (with its parents: a fresh machine has no ~/.duban) and the
    children's environment. A replay starts from an empty directory of its own each time."""
    data = settings.data_dir / "replay" if replaying else settings.data_dir
    if replaying:
        shutil.rmtree(data, ignore_errors=True)
    try:
        for folder in (data / "prefect", data / "logs"):
            folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            f"无法创建数据目录 {data}（{exc.strerror}）。修正：设置 DUBAN_DATA_DIR 为可写的目录"
        ) from None
    api_url, ui_url = f"http://{HOST}:{port}/api", f"http://{HOST}:{port}"
    portal_url = f"http://{HOST}:{portal_port}" if portal_port else None
    env = {
        **os.environ,
        "PREFECT_API_URL": api_url,
        "PREFECT_UI_API_URL": api_url,
        "PREFECT_UI_URL": ui_url,
        "PREFECT_HOME": str(data / "prefect") if replaying else _prefect_home(data),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DUBAN_DATA_DIR": str(data),
    }
    if portal_url and replaying:
        env["DUBAN_PORTAL_URL"] = portal_url
    elif portal_url:  # reminders sent from here link to this portal unless told otherwise
        env.setdefault("DUBAN_PORTAL_URL", portal_url)
    if replaying:  # a past year's reminders must never reach a real channel
        env["DUBAN_DATABASE_URL"] = f"sqlite:///{data / 'duban.db'}"
        env["DUBAN_ANCHOR_FILE"] = str(data / "ledger-anchors.jsonl")  # not the real ledger's
        env.pop("DUBAN_APPRISE_SECRET", None)
        env.pop("DUBAN_APPRISE_CONFIG", None)
        env.setdefault("PREFECT_RUNNER_POLL_FREQUENCY", str(REPLAY_POLL_SECONDS))
        if portal_url:
            config = data / "apprise.yaml"
            config.write_text(inbox_config(spec, portal_url), encoding="utf-8")
            env.update(DUBAN_APPRISE_CONFIG=str(config), DUBAN_INBOX="true")
    return Stack(data, data / "logs", env, api_url, ui_url, portal_url, replaying)


def _prefect_home(data: Path) -> str:
    home = os.environ.get("PREFECT_HOME") or str(data / "prefect")
    Path(home).mkdir(parents=True, exist_ok=True)
    return home


def inbox_config(spec: PlanSpec, portal_url: str) -> str:
    """An apprise config that sends every channel tag of the plan to the portal's inbox."""
    tags = sorted({tag for u in spec.units for tag in (u.notify or [u.code])})
    base = portal_url.replace("http://", "json://", 1)
    return "urls:\n" + "".join(f"  - {base}/inbox/{tag}:\n      tag: {tag}\n" for tag in tags)


def year_is_over(spec: PlanSpec, wall: dt.datetime) -> bool:
    from zoneinfo import ZoneInfo

    return wall.astimezone(ZoneInfo(spec.plan.timezone)).year > spec.plan.year


def year_bounds(spec: PlanSpec) -> tuple[dt.datetime, dt.datetime]:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(spec.plan.timezone)
    start = dt.datetime(spec.plan.year, 1, 1, tzinfo=zone).astimezone(dt.UTC)
    end = dt.datetime(spec.plan.year + 1, 1, 1, tzinfo=zone).astimezone(dt.UTC)
    return start, end - dt.timedelta(seconds=1)


def first_opening(database_url: str, plan_id: str) -> dt.datetime | None:
    from sqlalchemy import func
    from sqlmodel import select

    from duban.models import Occurrence, Task
    from duban.models.db import make_engine, session_scope

    engine = make_engine(database_url)
    with session_scope(engine) as session:
        found = session.exec(
            select(func.min(Occurrence.opens_at)).join(Task).where(Task.plan_id == plan_id)
        ).one()
    engine.dispose()
    return found


def up(
    plan_file: Annotated[Path, typer.Argument(help="要导入并运行的计划文件")] = EXAMPLE,
    port: Annotated[int, typer.Option(help="Prefect 服务器端口")] = 4200,
    portal_port: Annotated[
        int, typer.Option(help="单位门户与 HTTP API 的端口（0 = 不启动）")
    ] = 8000,
    replay_minutes: Annotated[
        float | None,
        typer.Option(
            help="计划年度已结束时，用多少分钟回放全年（缺省 DUBAN_REPLAY_MINUTES，6；0 = 不回放）"
        ),
    ] = None,
) -> None:
    """单机一键运行：启动 Prefect 服务器，升级数据库，导入计划，启动单位门户，运行全部部署。
    计划年度已过去时，在独立目录中压缩回放全年。Ctrl-C（或 SIGTERM、SIGHUP）全部停止。"""
    install_stop_signals()
    children, people = Children(), None
    try:
        spec = checked(plan_file).spec
        assert spec is not None
        settings = get_settings()
        minutes = settings.replay_minutes if replay_minutes is None else replay_minutes
        wall = dt.datetime.now(dt.UTC)
        with user_errors():
            stack = prepare(
                settings, spec, port, portal_port, minutes > 0 and year_is_over(spec, wall)
            )
            os.environ.update(stack.env)  # this process wakes runs and emits events too
            get_settings.cache_clear()
            server = start_prefect(children, stack, port)
            import_at = ["--now", year_bounds(spec)[0].isoformat()] if stack.replaying else []
            for step in (["db", "upgrade"], ["plan", "import", str(plan_file), *import_at]):
                if _run([*DUBAN, *step], stack.env) != 0:  # while the server starts
                    raise typer.Exit(1)
            if server is not None:
                wait_healthy(server, stack, port)
            replay = clock_for(stack, spec, minutes) if stack.replaying else None
            if stack.portal_url:
                portal = [*DUBAN, "api", "--host", HOST, "--port", str(portal_port)]
                children.start("门户", portal, stack.env, stack.logs / "portal.log")
            children.start("duban serve", [*DUBAN, "serve"], stack.env, stack.logs / "serve.log")
            console.print(f"Prefect 界面：{stack.ui_url}（日志在 {stack.logs}）", highlight=False)
            people = greet(stack, spec, replay, minutes)
            console.print("按 Ctrl-C 停止。", highlight=False)
        gone = watch(children, people)
        err_console.print(
            f"{gone.name} 意外退出（退出码 {gone.process.returncode}），正在停止其余部分。"
            f"它最后的输出：\n{gone.tail()}",
            highlight=False,
        )
        raise typer.Exit(1)
    except KeyboardInterrupt:
        pass
    finally:
        shut_down(children, people)


def shut_down(children: Children, people: People | None) -> None:
    """Stop the simulated people and every child — also when the goodbye cannot be written:
    `duban up | tee up.log` in a terminal that closes loses its `tee` to the same signal."""
    try:
        if people is not None:
            people.stop()
        if children.started:
            console.print("正在停止：部署、门户、Prefect 服务器…", highlight=False)
    except SystemExit:  # rich's answer to a closed pipe, once it has sent stdout to /dev/null
        pass
    finally:
        children.stop_all()


def clock_for(stack: Stack, spec: PlanSpec, minutes: float) -> Replay:
    """The replay's clock, from just before the first opening (nothing happens earlier),
    recorded in the stack's data directory for every process of the run."""
    start, end = year_bounds(spec)
    opens = first_opening(stack.env["DUBAN_DATABASE_URL"], spec.plan.id) or start
    origin = max(start, opens - dt.timedelta(hours=1))
    replay = Replay.over(
        spec.plan.id, origin=origin, end=end, minutes=minutes, started=wall_now() + LEAD
    )
    save(replay, stack.data)
    return replay


def greet(stack: Stack, spec: PlanSpec, replay: Replay | None, minutes: float) -> People | None:
    """Tell the person where things are; in a replay, start the simulated people."""
    if replay is not None:
        from duban.replay import People, welcome

        leave = welcome(stack, spec, replay, minutes)
        people = People(stack.env["DUBAN_DATABASE_URL"], replay, leave, spec.plan.timezone)
        people.start()
        return people
    if stack.portal_url:
        console.print(
            f"单位门户：{stack.portal_url}/portal/（链接用 duban link create 生成）",
            highlight=False,
        )
    return None


def watch(children: Children, people: People | None) -> Child:
    """Until a child exits (which one is returned), showing every STATUS_EVERY seconds where a
    replayed year stands."""
    shown = time.monotonic()
    while (gone := children.exited()) is None:
        time.sleep(0.5)
        if people is not None and time.monotonic() - shown >= STATUS_EVERY:
            console.print(people.status(), highlight=False)
            shown = time.monotonic()
    return gone


def wall_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _run(command: list[str], env: dict[str, str]) -> int:
    import subprocess

    return subprocess.run(command, env=env).returncode


def start_prefect(children: Children, stack: Stack, port: int) -> Child | None:
    """Start a Prefect server of this stack's own (`wait_healthy` waits for it); or, live,
    use one already answering on the port (None)."""
    if _healthy(stack.api_url):
        if stack.replaying:
            raise UserError(
                f"端口 {port} 上已有 Prefect 服务器在运行；回放需要自己的服务器（全新的运行记录）。"
                "修正：停止那个服务器，或用 --port 选另一个端口"
            )
        console.print(f"使用已在运行的 Prefect 服务器：{stack.api_url}", highlight=False)
        return None
    console.print(
        f"启动 Prefect 服务器（{stack.api_url}，数据在 {stack.env['PREFECT_HOME']}）…",
        highlight=False,
    )
    server = children.start(
        "Prefect 服务器",
        [sys.executable, "-m", "prefect", "server", "start", "--host", HOST, "--port", str(port)],
        stack.env,
        stack.logs / "prefect-server.log",
    )
    return server


def wait_healthy(server: Child, stack: Stack, port: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if not server.running:
            raise UserError(
                f"Prefect 服务器启动失败（退出码 {server.process.returncode}，日志 "
                f"{server.log}）：{_last_line(server.tail())}。修正：检查端口 {port} 是否被占用"
                f"（或改用 --port），以及 {stack.env['PREFECT_HOME']} 是否可写"
            )
        if _healthy(stack.api_url):
            return
        time.sleep(0.5)
    raise UserError(f"Prefect 服务器 120 秒内未就绪。修正：检查日志 {server.log}")


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "没有输出"


def _healthy(api_url: str) -> bool:
    import httpx

    try:
        return httpx.get(f"{api_url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def demo(
    minutes: Annotated[
        float | None, typer.Option(help="用多少分钟回放全年（缺省 DUBAN_REPLAY_MINUTES，6）")
    ] = None,
    port: Annotated[int, typer.Option(help="Prefect 服务器端口")] = 4200,
    portal_port: Annotated[int, typer.Option(help="单位门户端口")] = 8000,
) -> None:
    """演示：回放示例计划（2022 年）的全年，与 make up 相同（duban up examples/plan-2022.yaml）。"""
    if not EXAMPLE.exists():
        fail(f"找不到示例计划 {EXAMPLE}。修正：在 Duban 的源码目录中运行，或用 duban up PLAN")
    up(EXAMPLE, port=port, portal_port=portal_port, replay_minutes=minutes)

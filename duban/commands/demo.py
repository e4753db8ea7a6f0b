"""`duban demo`: replay a compressed plan year on the embedded defaults, for a newcomer."""

from __future__ import annotations

import os
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Annotated, Any

import typer

from duban.commands.serve import PREFECT_HOST, _stop, prefect_env, start_prefect
from duban.context import console, print_table, user_errors
from duban.settings import get_settings

PLAN = Path("examples/plan-2022.yaml")


class Inbox:
    """A loopback webhook standing in for every unit's DingTalk: it counts what arrives."""

    def __init__(self) -> None:
        self.by_unit: Counter[str] = Counter()
        inbox = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                inbox.by_unit[self.path.strip("/")] += 1
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def config(self, tags: list[str]) -> str:
        port = self.server.server_address[1]
        return "urls:\n" + "".join(
            f"  - json://127.0.0.1:{port}/{tag}:\n      tag: {tag}\n" for tag in tags
        )


def demo(
    weeks: Annotated[int, typer.Option(help="回放多少周（从计划年度第一周起）")] = 52,
    port: Annotated[int, typer.Option(help="Prefect 服务器端口")] = 4200,
    keep: Annotated[bool, typer.Option(help="回放结束后保持 Prefect 服务器运行，供浏览")] = True,
) -> None:
    """演示：在独立的演示数据库上压缩回放一个计划年度——期次打开、提醒发到本机接收端、
    部分单位逾期、一次检查发现问题并整改、评选按名额评定——之后可在 Prefect 界面浏览。"""
    data = get_settings().data_dir / "demo"
    data.mkdir(parents=True, exist_ok=True)
    (data / "duban.db").unlink(missing_ok=True)  # every demo starts from the same empty year
    api_url, env = prefect_env(port)
    inbox = Inbox()
    os.environ.update(
        {k: env[k] for k in ("PREFECT_API_URL", "PREFECT_HOME", "PREFECT_SERVER_ANALYTICS_ENABLED")}
    )
    os.environ["DUBAN_DATABASE_URL"] = f"sqlite:///{data / 'duban.db'}"
    get_settings.cache_clear()
    server = None
    try:
        with user_errors():
            server = start_prefect(api_url, port, env)
            stats, plan_id = replay(data, inbox, weeks)
        print_table(
            "演示回放结果",
            ["项目", "数量"],
            [
                ("巡检次数", stats["sweeps"]),
                ("按时报送", stats["on-time"]),
                ("逾期报送", stats["late"]),
                ("退办", stats["returned"]),
                ("办结", stats["accepted"]),
                ("检查发现问题（整改项）", stats["findings"]),
                ("评定名单", stats["designated"]),
                ("收到的提醒消息", sum(inbox.by_unit.values())),
            ],
        )
        console.print(
            f"Prefect 界面：http://{PREFECT_HOST}:{port}（计划 {plan_id}；数据库 {data / 'duban.db'}）。"
            "试试：DUBAN_DATABASE_URL=sqlite:///" + str(data / "duban.db") + " duban audit summary",
            highlight=False,
        )
        if server is not None and keep:
            console.print("按 Ctrl-C 停止。", highlight=False)
            server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            _drain()
            _stop(server)


def _drain() -> None:
    """Send the queued run logs and events before the server they go to stops."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    EventsWorker.drain_all(timeout=10)
    APILogWorker.drain_all(timeout=10)


def replay(data: Path, inbox: Inbox, weeks: int) -> tuple[Counter[str], str]:
    """Import the example plan, then week by week: the sweep flow, then the people."""
    import datetime as dt

    from sqlmodel import select

    from flows.occurrence import sweep_flow
    from models import Plan, Unit
    from models.db import make_engine, session_scope, upgrade
    from tasks.demo import DemoStats, act_week, mornings
    from tasks.materialize import materialize
    from tasks.plancheck import check_file
    from tasks.planimport import import_plan
    from tasks.sweep import plan_clock

    engine = make_engine(os.environ["DUBAN_DATABASE_URL"])
    upgrade(engine)
    checked = check_file(PLAN)
    assert checked.spec is not None
    start = dt.datetime(checked.spec.plan.year, 1, 1, tzinfo=dt.UTC)
    with session_scope(engine) as session:
        plan_id = import_plan(session=session, spec=checked.spec, now=start).plan_id
        materialize(session=session, plan_id=plan_id, now=start)
        units = session.exec(select(Unit).where(Unit.plan_id == plan_id)).all()
        tags = sorted({tag for u in units for tag in (u.notify or [u.code])})
        plan = session.get_one(Plan, plan_id)
        clock = plan_clock(plan)
    config = data / "apprise.yaml"
    config.write_text(inbox.config(tags), encoding="utf-8")
    os.environ["DUBAN_APPRISE_CONFIG"] = str(config)
    get_settings.cache_clear()
    stats = DemoStats()
    moments = mornings(clock, start.date(), weeks)
    after = [*moments[1:], moments[-1] + dt.timedelta(days=7)]
    for this, following in zip(moments, after, strict=True):
        sweep_flow(plan_id=plan_id, now=this)
        stats.counts["sweeps"] += 1
        with session_scope(engine) as session:
            act_week(session, plan_id, this, following, stats)
    return stats.counts, plan_id

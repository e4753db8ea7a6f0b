"""The people of a replayed year, and what `duban up` tells the newcomer at its start.

`People` is a thread of `duban up`: about once a second it reads the replay's clock, lets the
simulated units and coordinators do what they would have done by then (`tasks.replay.simulate.act`),
and announces each change as the portal does — the Prefect event, and the waiting flow run
woken. `welcome` picks the unit left to the person, gives it a portal link and the
coordinators a sign-in token, and prints where everything is.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from duban.context import console, err_console
from duban.flows.events import announce
from duban.models import Occurrence, Reminder, Task, Unit
from duban.models.db import make_engine, readonly, session_scope
from duban.models.status import ReminderStatus
from duban.runtime import Settings
from duban.tasks.access.links import issue_link, link_token
from duban.tasks.access.tokens import create_token
from duban.tasks.remind.policy import WAITING
from duban.tasks.replay.simulate import act
from duban.tasks.timeline.clock import Replay

if TYPE_CHECKING:
    from duban.commands.up import Stack
    from duban.tasks.plan.schema import PlanSpec

TICK = 1.0  # wall seconds between two looks at the clock


class People(threading.Thread):
    """Simulated units and coordinators, acting on the replay's clock until stopped."""

    def __init__(
        self, database_url: str, replay: Replay, leave: frozenset[str], timezone: str
    ) -> None:
        super().__init__(name="duban-replay-people", daemon=True)
        self.engine = make_engine(database_url)
        self.replay, self.leave, self.zone = replay, leave, ZoneInfo(timezone)
        self.stopping = threading.Event()
        self.acts = 0

    def run(self) -> None:
        while not self.stopping.wait(TICK):
            now = self.replay.now()
            if now <= self.replay.origin:
                continue
            try:
                self.tick(self.engine, now)
            except Exception as exc:  # one bad moment must not end the year
                err_console.print(f"模拟单位办理时出错（稍后重试）：{exc}", highlight=False)

    def status(self) -> str:
        """One line: where the replay is, and how the year stands."""
        now = self.replay.now()
        with session_scope(readonly(self.engine)) as session:
            rows = session.exec(
                select(Occurrence.status, col(Occurrence.due_at) < now, func.count())
                .join(Task)
                .where(Task.plan_id == self.replay.plan_id)
                .group_by(col(Occurrence.status), col(Occurrence.due_at) < now)
            ).all()
            sent = session.exec(
                select(func.count())
                .select_from(Reminder)
                .where(Reminder.status == ReminderStatus.SENT)
            ).one()
        count = Counter[str]()
        for status, late, n in rows:
            count[status] += n
            if late and status in WAITING:
                count["overdue"] += n
        waiting = sum(count[s] for s in WAITING)
        return (
            f"计划时间 {now.astimezone(self.zone):%Y-%m-%d %H:%M} · 待办 {waiting}"
            f"（其中逾期 {count['overdue']}）· 待审核 {count['submitted']} · "
            f"已办结 {count['accepted']} · 已发提醒 {sent} 条"
        )

    def tick(self, engine: Engine, now: dt.datetime) -> None:
        with session_scope(engine) as session:
            done = act(session, self.replay.plan_id, until=now, leave=self.leave)
        for change in done:
            if self.stopping.is_set():
                return
            announce(engine, change.what, change.occurrence_id, "simulated")
        self.acts += len(done)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=15)
        self.engine.dispose()


def newcomer_unit(session: Session, plan_id: str) -> Unit | None:
    """The unit the person plays: of the responsible units that report for no indicator (so
    that the simulated year fills the indicators), the one with the most occurrences."""
    counted = session.exec(
        select(Unit, func.count(col(Occurrence.id)), func.count(col(Task.indicator)))
        .join(Occurrence, col(Occurrence.unit) == Unit.code)
        .join(Task, (col(Task.id) == Occurrence.task_id) & (Task.plan_id == Unit.plan_id))
        .where(Unit.plan_id == plan_id, Unit.role == "unit", Unit.active)
        .group_by(col(Unit.id))
        .order_by(func.count(col(Occurrence.id)).desc(), col(Unit.code))
    ).all()
    free = [unit for unit, _, indicators in counted if not indicators]
    return (free or [unit for unit, _, _ in counted] or [None])[0]


def welcome(stack: Stack, spec: PlanSpec, replay: Replay, minutes: float) -> frozenset[str]:
    """Print where to look and how to take part; the units left to the person."""
    settings = Settings(data_dir=stack.data)
    engine = make_engine(stack.env["DUBAN_DATABASE_URL"])
    wall = dt.datetime.now(dt.UTC)
    with session_scope(engine) as session:
        unit = newcomer_unit(session, spec.plan.id)
        link = None
        if unit is not None and stack.portal_url:
            row = issue_link(
                session=session,
                plan_id=spec.plan.id,
                unit=unit.code,
                now=wall,
                valid_for=dt.timedelta(days=settings.portal_link_days),
                created_by="duban up",
            )
            link = f"{stack.portal_url}/portal/l/{link_token(settings.signing_key(), row)}"
        _, secret = create_token(
            session=session, role="coordinator", plan_id=spec.plan.id, now=wall, name="duban up"
        )
    engine.dispose()
    hours = replay.speed / 3600
    lines = [
        f"回放 {spec.plan.year} 年全年（{spec.plan.title}）：约 {minutes:g} 分钟，"
        f"现实 1 秒 ≈ 计划 {hours:.1f} 小时，{max(0, round((replay.started - wall).total_seconds()))} 秒后开始。",
        f"数据（每次回放重新开始）：{stack.data}",
    ]
    if stack.portal_url:
        lines.append(f"本机收件箱（每条提醒，按收件单位）：{stack.portal_url}/inbox/")
    if link and unit is not None:
        lines.append(f"你是{unit.name}（其他单位由程序模拟）——打开单位门户签收、报送：{link}")
        lines.append(
            f"督查室登录 {stack.portal_url}/portal/login 的令牌：{secret}"
            f"（{unit.name}的报送由你审核：在 Prefect 界面打开它的运行，点 Resume 填写审核表单）"
        )
    for line in lines:
        console.print(line, highlight=False, soft_wrap=True)
    return frozenset({unit.code}) if unit is not None else frozenset()

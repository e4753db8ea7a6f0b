"""`duban ack`: what a responsible unit does to an occurrence, from the command line."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from duban.commands.plan import NowOpt
from duban.context import console, engine, parse_now, user_errors
from models.db import session_scope
from tasks.actions import acknowledge

OccurrenceArg = Annotated[int, typer.Argument(help="期次编号（见 duban schedule show）")]
ByOpt = Annotated[str | None, typer.Option("--by", help="操作人（记入台账；缺省为当前系统用户）")]


def ack(occurrence: OccurrenceArg, by: ByOpt = None, now: NowOpt = None) -> None:
    """签收一个期次：停止签收提醒和消息必达的改投。"""
    with user_errors():
        moment = parse_now(now)
        with session_scope(engine()) as session:
            event = acknowledge(
                session=session,
                occurrence_id=occurrence,
                actor=f"cli:{by or getpass.getuser()}",
                now=moment,
            )
    console.print(
        f"期次 {occurrence} 已签收。" if event else f"期次 {occurrence} 此前已签收，未作改动。",
        highlight=False,
    )

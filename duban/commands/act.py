"""`duban ack|submit|review|extension`: what units and coordinators do, from the command line."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable
from typing import Annotated, Any

import typer

from duban.context import NowOpt, UserError, console, engine, parse_now, user_errors
from duban.flows.events import announce
from duban.models import Occurrence
from duban.models.db import readonly, session_scope
from duban.tasks.work import actions

OccurrenceArg = Annotated[int, typer.Argument(help="期次编号（见 duban schedule show）")]
ByOpt = Annotated[str | None, typer.Option("--by", help="操作人（记入台账；缺省为当前系统用户）")]


def ack(occurrence: OccurrenceArg, by: ByOpt = None, now: NowOpt = None) -> None:
    """签收一个期次：停止签收提醒和消息必达的改投。"""
    with user_errors():
        event = _act(actions.acknowledge, occurrence, by, now)
        if event:
            _announce("acknowledged", occurrence, by)
    console.print(
        f"期次 {occurrence} 已签收。" if event else f"期次 {occurrence} 此前已签收，未作改动。",
        highlight=False,
    )


def submit(
    occurrence: OccurrenceArg,
    note: Annotated[str | None, typer.Option("--note", help="报送说明")] = None,
    evidence: Annotated[
        list[str] | None, typer.Option("--evidence", help="佐证材料链接（可重复）")
    ] = None,
    finding: Annotated[
        list[str] | None,
        typer.Option("--finding", help="检查发现的问题（可重复；审核通过后每项交办一次整改）"),
    ] = None,
    value: Annotated[
        float | None,
        typer.Option("--value", help="完成数（按任务所报指标的口径；分解指标记为本单位的数）"),
    ] = None,
    by: ByOpt = None,
    now: NowOpt = None,
) -> None:
    """报送：责任单位提交办理结果，等待督办协调审核。"""
    with user_errors():
        if value is not None:  # a count for the task's indicator: a measurement too
            data = {"note": note or "", "evidence": evidence or [], "count": value}
            _act(
                actions.submit_report,
                occurrence,
                by,
                now,
                form="general",
                data=data,
                value=value,
                repeat_refused=True,
            )
        else:
            findings = [{"form": "inspection", "findings": finding}] if finding else []
            _act(
                actions.submit,
                occurrence,
                by,
                now,
                note=note,
                evidence=[*(evidence or []), *findings],
            )
        _announce("submitted", occurrence, by)
    console.print(f"期次 {occurrence} 已报送，等待审核。", highlight=False)


def review(
    occurrence: OccurrenceArg,
    accept: Annotated[bool, typer.Option("--accept", help="审核通过，办结")] = False,
    return_reason: Annotated[str | None, typer.Option("--return", help="退办，并写明理由")] = None,
    by: ByOpt = None,
    now: NowOpt = None,
) -> None:
    """审核报送：--accept 办结，或 --return 理由 退办。"""
    with user_errors():
        if accept == (return_reason is not None):
            raise UserError("请二选一：--accept 办结，或 --return 理由 退办")
        _act(actions.review, occurrence, by, now, accept=accept, reason=return_reason)
        _announce("accepted" if accept else "returned", occurrence, by)
    console.print(
        f"期次 {occurrence} 已办结。" if accept else f"期次 {occurrence} 已退办。",
        highlight=False,
    )


extension_app = typer.Typer(help="延期申请与批复。", no_args_is_help=True)
DateOpt = Annotated[
    str | None, typer.Option("--to", help="新的截止日期 YYYY-MM-DD（时刻沿用原截止时刻）")
]


def _due_on(occurrence_id: int, text: str | None) -> dt.datetime | None:
    """A local date at the occurrence's current due time of day, as UTC."""
    if text is None:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"日期“{text}”无效。修正：写成 YYYY-MM-DD，例如 2022-07-15") from None
    with session_scope(readonly(engine())) as session:
        occurrence = session.get(Occurrence, occurrence_id)
        if occurrence is None:
            raise UserError(
                f"期次 {occurrence_id} 不存在。修正：用 duban schedule show 查看期次编号"
            )
        return actions.due_on(session, occurrence, day)


def _act(
    action: Callable[..., Any], occurrence: int, by: str | None, now: str | None, **arguments: Any
) -> Any:
    """One `tasks.work.actions` call on the occurrence, as `by` at `--now`, in its own
    transaction (committed before the change is announced)."""
    moment = parse_now(now)
    with session_scope(engine()) as session:
        return action(
            session=session, occurrence_id=occurrence, actor=_actor(by), now=moment, **arguments
        )


@extension_app.command("request")
def extension_request(
    occurrence: OccurrenceArg,
    to: DateOpt = None,
    reason: Annotated[str, typer.Option("--reason", help="申请理由")] = "",
    by: ByOpt = None,
    now: NowOpt = None,
) -> None:
    """延期申请：写明理由和建议的新截止日期。"""
    with user_errors():
        if to is None:
            raise UserError("缺少 --to。修正：加上建议的新截止日期，如 --to 2022-07-15")
        request = _act(
            actions.request_extension,
            occurrence,
            by,
            now,
            proposed_due_at=_due_on(occurrence, to),
            reason=reason,
        )
        _announce("extension-requested", occurrence, by)
    console.print(f"延期申请 {request.id} 已提交，等待批复。", highlight=False)


@extension_app.command("decide")
def extension_decide(
    occurrence: OccurrenceArg,
    approve: Annotated[bool, typer.Option("--approve", help="同意（缺省按申请的日期）")] = False,
    refuse: Annotated[str | None, typer.Option("--refuse", help="不同意，并写明理由")] = None,
    to: DateOpt = None,
    by: ByOpt = None,
    now: NowOpt = None,
) -> None:
    """批复延期：--approve [--to 日期] 同意，或 --refuse 理由。原截止日期保留备查。"""
    with user_errors():
        if approve == (refuse is not None):
            raise UserError("请二选一：--approve 同意，或 --refuse 理由 不同意")
        request = _act(
            actions.decide_extension,
            occurrence,
            by,
            now,
            approve=approve,
            new_due_at=_due_on(occurrence, to),
            note=refuse,
        )
        _announce("extended" if approve else "extension-refused", occurrence, by)
    console.print(f"延期申请 {request.id}：{'已同意' if approve else '未同意'}。", highlight=False)


def _announce(what: str, occurrence: int, by: str | None) -> None:
    """The Prefect event of the change just committed (when a Prefect API is configured)."""
    announce(engine(), what, occurrence, _actor(by), flush=True)


def _actor(by: str | None) -> str:
    return f"cli:{by or getpass.getuser()}"

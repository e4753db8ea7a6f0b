"""`duban calendar check|add`: official workdays, explained."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from duban.context import JsonOpt, UserError, console, print_json, user_errors
from duban.tasks.timeline.calendar import WEEKDAYS, WorkCalendar

app = typer.Typer(help="工作日历（法定节假日和调休）。", no_args_is_help=True)

DateArg = Annotated[str, typer.Argument(help="日期，YYYY-MM-DD", show_default=False)]
PlanFileOpt = Annotated[
    Path | None, typer.Option("--plan-file", help="同时使用该计划文件 calendar 段中的本地调整")
]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"日期“{text}”无效。修正：写成 YYYY-MM-DD，例如 2022-10-08") from None


def _calendar(plan_file: Path | None) -> WorkCalendar:
    if plan_file is None:
        return WorkCalendar()
    from duban.commands.plan import checked  # the plan checker, only when a plan file is given

    spec = checked(plan_file).spec
    assert spec is not None
    return WorkCalendar.from_spec(spec.calendar.model_dump(mode="json"))


def _weekday(day: dt.date) -> str:
    return f"星期{WEEKDAYS[day.weekday()]}"


@app.command()
def check(date: DateArg, json: JsonOpt = False, plan_file: PlanFileOpt = None) -> None:
    """某天是否为工作日，以及原因（如“国庆节调休上班”）。"""
    with user_errors():
        info = _calendar(plan_file).explain(_date(date))
    if json:
        print_json({"date": info.date.isoformat(), "workday": info.workday, "reason": info.reason})
        return
    verdict = "工作日" if info.workday else "非工作日"
    console.print(
        f"{info.date}（{_weekday(info.date)}）：{verdict}，{info.reason}", highlight=False
    )


@app.command(context_settings={"ignore_unknown_options": True})  # N may be -1
def add(
    date: DateArg,
    n: Annotated[int, typer.Argument(help="工作日数，负数表示向前", show_default=False)],
    json: JsonOpt = False,
    plan_file: PlanFileOpt = None,
) -> None:
    """DATE 之后第 N 个工作日（N 为负数时为之前；DATE 本身不计）。"""
    with user_errors():
        start = _date(date)
        result = _calendar(plan_file).add_workdays(start, n)
    if json:
        print_json({"date": start.isoformat(), "n": n, "result": result.isoformat()})
        return
    direction = "后" if n >= 0 else "前"
    console.print(
        f"{start} {direction} {abs(n)} 个工作日：{result}（{_weekday(result)}）", highlight=False
    )

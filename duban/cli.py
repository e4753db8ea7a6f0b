"""The `duban` command: thin shells over `tasks/`, one group per module in `duban/commands/`.

A command's module is imported only when that command runs: `duban calendar check` must not
pay for the database layer, Prefect or the web stack (each costs a person at the terminal
time at every call). `duban --help` lists the commands from `COMMANDS` alone;
`tests/test_docs.py` checks that each line there says what the command's own help says.
"""

from __future__ import annotations

import importlib
from typing import Any

import click
import typer
from typer.core import TyperGroup

# name: (module in duban.commands, its Typer app or command function, the line `--help` shows)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "plan": ("plan", "app", "计划文件：检查、导入、查看。"),
    "units": ("listing", "units_app", "责任单位。"),
    "tasks": ("listing", "tasks_app", "重点任务。"),
    "calendar": ("calendar", "app", "工作日历（法定节假日和调休）。"),
    "schedule": ("schedule", "app", "期次（每项任务的每次到期）。"),
    "db": ("db", "app", "数据库结构。"),
    "reminders": ("remind", "reminders_app", "督办提醒（发件箱）。"),
    "remind": (
        "remind",
        "remind",
        "运行一次巡检，与定时巡检相同：打开已到开始时间的期次，按提醒策略写入发件箱，再通过 apprise 发送。",
    ),
    "ack": ("act", "ack", "签收一个期次：停止签收提醒和消息必达的改投。"),
    "submit": ("act", "submit", "报送：责任单位提交办理结果，等待督办协调审核。"),
    "review": ("act", "review", "审核报送：--accept 办结，或 --return 理由 退办。"),
    "extension": ("act", "extension_app", "延期申请与批复。"),
    "audit": ("audit", "app", "审计。"),
    "report": (
        "report",
        "report",
        "导出审计报表：Excel（每个视图一张表）、CSV（UTF-8 BOM）或离线可读的 HTML（含图表）。",
    ),
    "bulletin": ("bulletin", "app", "督办通报：逾期点名、红黄绿灯、排名与考核得分。"),
    "api": (
        "access",
        "api",
        "启动 HTTP API（OpenAPI 文档在 /docs，需要 Bearer 令牌）和单位门户（/portal）。",
    ),
    "token": ("access", "token_app", "API 令牌（按角色授权）。"),
    "link": ("links", "app", "单位门户链接（签名、有期限、可停用）。"),
    "serve": (
        "serve",
        "serve",
        "为已导入计划的每项任务注册并运行 Prefect 部署（需要 PREFECT_API_URL 指向真实的 Prefect 服务器）。",
    ),
    "deploy": (
        "serve",
        "deploy",
        "把已导入计划的部署注册到 Prefect 工作池，由 prefect worker 运行（生产环境用；重复运行即更新）。",
    ),
    "up": (
        "up",
        "up",
        "单机一键运行：启动 Prefect 服务器，升级数据库，导入计划，启动单位门户，运行全部部署。",
    ),
    "demo": (
        "up",
        "demo",
        "演示：回放示例计划（2022 年）的全年，与 make up 相同（duban up examples/plan-2022.yaml）。",
    ),
}


def load(name: str) -> click.Command:
    """The real command `name`: its module imported now."""
    module, attribute, _ = COMMANDS[name]
    found = getattr(importlib.import_module(f"duban.commands.{module}"), attribute)
    if isinstance(found, typer.Typer):  # a group, even of one command (`duban units list`)
        command: click.Command = typer.main.get_group(found)
    else:
        single = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
        single.command(name)(found)
        command = typer.main.get_command(single)
    command.name = name
    return command


class LazyGroup(TyperGroup):
    """Lists the commands from `COMMANDS`; imports one only to run it (or show its own help)."""

    listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        if self.listing:  # `duban --help`: a line each, nothing imported
            return click.Command(cmd_name, help=COMMANDS[cmd_name][2])
        return load(cmd_name)

    def format_help(self, ctx: click.Context, formatter: Any) -> None:
        self.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False


app = typer.Typer(
    name="duban",
    cls=LazyGroup,
    help="督办：把年度工作计划变成可跟踪、可提醒、可审计的工作。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main() -> None:
    pass


if __name__ == "__main__":
    app()

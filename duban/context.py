"""What every command shares: the engine, the clock, output, and errors turned into messages."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import pendulum
import typer
from rich.console import Console
from rich.table import Table

from duban.runtime import get_settings, load_transport
from duban.tasks.timeline.calendar import CalendarDataMissing

if TYPE_CHECKING:  # the database layer is imported by the commands that use it, when they run
    from pathlib import Path

    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from duban.models import Plan
    from duban.tasks.remind.delivery import Transport

# Piped output (CI logs, `| less`) gets wide tables instead of 80 folded columns.
console = Console()
if not console.is_terminal:
    console = Console(width=200)
err_console = Console(stderr=True, width=None if Console(stderr=True).is_terminal else 200)

NOW_HELP = "当前时间（ISO 8601，带时区，如 2022-06-28T09:00+08:00；缺省为系统时钟）"
JSON_HELP = "输出 JSON"

PlanOpt = Annotated[str | None, typer.Option("--plan", help="计划编号（缺省为最近导入的计划）")]
JsonOpt = Annotated[bool, typer.Option("--json", help=JSON_HELP)]
NowOpt = Annotated[str | None, typer.Option("--now", help=NOW_HELP)]


class UserError(Exception):
    """A mistake the user can fix: printed as one sentence, exit code 1."""


def lang() -> str:
    return get_settings().lang


def fail(message: str) -> NoReturn:
    err_console.print(
        f"[bold red]错误[/]：{message}" if lang() != "en" else f"[bold red]error[/]: {message}",
        highlight=False,
        soft_wrap=True,
    )
    raise typer.Exit(1)


def safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def engine(check_schema: bool = True) -> Engine:
    from duban.models.db import ensure_current, make_engine

    url = get_settings().effective_database_url
    try:
        built = make_engine(url)
    except Exception as exc:  # bad URL, missing driver
        raise UserError(
            f"数据库地址无效：{safe_url(url) if '://' in url else url}（{exc}）。"
            "修正：检查 DUBAN_DATABASE_URL。"
        ) from None
    if check_schema:
        ensure_current(built)
    return built


def channels(config: Path | None = None) -> Transport | None:
    """The notification channels of `config` (an apprise file), else those the settings name;
    None when none is configured (apprise is then never loaded). A configuration that cannot
    be read is one sentence with the fix."""
    try:
        if config is None:
            return load_transport(get_settings())
        from duban.tasks.remind.delivery import AppriseTransport

        return AppriseTransport(config)
    except Exception as exc:
        from duban.tasks.remind.delivery import DeliveryError

        if not isinstance(exc, DeliveryError):
            raise
        where = (
            f"--apprise-config 指向的文件 {config}"
            if config is not None
            else "DUBAN_APPRISE_CONFIG 指向的文件或 DUBAN_APPRISE_SECRET 指向的 Secret 块"
        )
        raise UserError(f"{exc}。修正：检查 {where}") from None


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn known failures into one clear sentence and exit code 1 — never a traceback."""
    try:
        yield
    except (UserError, CalendarDataMissing) as exc:
        fail(str(exc))
    except Exception as exc:
        _explain(exc)
        raise


def _explain(exc: Exception) -> None:
    """Fail with the sentence for a known error of the layers a command loaded; return if it
    is none of them. (Only modules already imported are asked: a command that never loaded
    the database layer cannot have raised its errors.)"""
    loaded = sys.modules
    if "duban.models.db" in loaded and isinstance(exc, loaded["duban.models.db"].SchemaOutdated):
        fail(
            f"数据库结构版本为 {exc.current or '空'}，本程序需要 {exc.head}。修正：运行 duban db upgrade"  # type: ignore[attr-defined]
        )
    for module, name in (
        ("duban.tasks.work.actions", "ActionRefused"),
        ("duban.tasks.access.tokens", "TokenRefused"),
        ("duban.tasks.access.links", "LinkRefused"),
    ):
        if module in loaded and isinstance(exc, getattr(loaded[module], name)):
            fail(str(exc))
    if "sqlalchemy.exc" in loaded and isinstance(exc, loaded["sqlalchemy.exc"].OperationalError):
        url = safe_url(get_settings().effective_database_url)
        orig = exc.orig  # type: ignore[attr-defined]
        detail = str(orig).strip().splitlines()[0] if orig else str(exc)
        fail(
            f"无法访问数据库 {url}：{detail}。修正：检查 DUBAN_DATABASE_URL 和数据库服务是否在运行。"
        )


def parse_now(value: str | None) -> datetime:
    """The one clock read of a command: `--now`, else the data directory's clock (a replay's,
    while `duban up` replays a past year there; else the system's), as aware UTC."""
    if value is None:
        return get_settings().time().now()
    try:
        parsed = pendulum.parse(value, tz="Asia/Shanghai")
    except (ValueError, pendulum.parsing.exceptions.ParserError):
        raise UserError(
            f"--now 的值“{value}”不是有效时间。修正：写成 2022-06-28T09:00+08:00"
        ) from None
    if not isinstance(parsed, datetime):
        raise UserError(f"--now 的值“{value}”不是时间点。修正：写成 2022-06-28T09:00+08:00")
    return datetime.fromtimestamp(parsed.timestamp(), UTC)


def parse_wall(value: str | None) -> datetime:
    """For credentials (links, tokens), which live in wall time: `--now`, else the system
    clock — never a replay's plan time, or a link made during a replay would be born expired."""
    return parse_now(value) if value is not None else datetime.now(UTC)


def current_plan(session: Session, plan_id: str | None) -> Plan:
    from sqlmodel import col, select

    from duban.models import Plan

    if plan_id:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise UserError(f"计划“{plan_id}”不存在。修正：先运行 duban plan import PLAN.yaml")
        return plan
    plan = session.exec(select(Plan).order_by(col(Plan.imported_at).desc())).first()
    if plan is None:
        raise UserError("数据库中还没有计划。修正：先运行 duban plan import PLAN.yaml")
    return plan


def local(moment: datetime | None, timezone: str) -> str:
    if moment is None:
        return ""
    return pendulum.instance(moment).in_tz(timezone).format("YYYY-MM-DD ddd HH:mm", locale="zh")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = Table(title=title, title_justify="left", header_style="bold")
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)

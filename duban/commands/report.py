"""`duban report`: the auditors' views as an Excel workbook, a CSV file or an HTML page."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from duban.commands.audit import PeriodOpt, filters_from
from duban.context import (
    NowOpt,
    PlanOpt,
    UserError,
    console,
    current_plan,
    engine,
    parse_now,
    user_errors,
)
from duban.models.db import session_scope
from duban.tasks.audit.exports import save_csv
from duban.tasks.audit.report import SHEETS, build_report

FORMATS = ("xlsx", "csv", "html")


def report(
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件")],
    format: Annotated[
        str | None, typer.Option("--format", help="xlsx|csv|html（缺省按文件扩展名）")
    ] = None,
    view: Annotated[
        str, typer.Option("--view", help=f"CSV 导出哪一张表：{'|'.join(SHEETS)}")
    ] = "occurrences",
    plan: PlanOpt = None,
    period: PeriodOpt = None,
    now: NowOpt = None,
) -> None:
    """导出审计报表：Excel（每个视图一张表）、CSV（UTF-8 BOM）或离线可读的 HTML（含图表）。"""
    with user_errors():
        kind = format or output.suffix.lstrip(".").lower()
        if kind not in FORMATS:
            raise UserError(
                f"无法确定导出格式“{kind or output.name}”。修正：用 --format {'|'.join(FORMATS)}"
                "，或使用 .xlsx/.csv/.html 扩展名"
            )
        if view not in SHEETS:
            raise UserError(f"视图“{view}”无效。修正：使用 {'|'.join(SHEETS)}")
        if not output.parent.is_dir():
            raise UserError(f"目录 {output.parent} 不存在。修正：先创建它，或换一个输出路径")
        moment = parse_now(now)
        filters = filters_from(None, None, None, None, None, None, period)
        with session_scope(engine()) as session:
            made = build_report(session, current_plan(session, plan), filters, moment)
        if kind == "csv":
            _atomically(output, lambda path: save_csv(made.views[view], path))
        elif kind == "xlsx":
            _atomically(output, made.save_xlsx)
        else:
            _atomically(output, made.save_html)
    console.print(f"已导出 {output}", highlight=False)


def _atomically(output: Path, write: Callable[[Path], None]) -> None:
    """Write next to the target and rename: a failure leaves no half-written file."""
    handle, name = tempfile.mkstemp(dir=output.parent, suffix=output.suffix, prefix=".duban-")
    os.close(handle)
    try:
        write(Path(name))
        os.replace(name, output)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise

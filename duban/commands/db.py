"""`duban db upgrade`."""

from __future__ import annotations

import typer

from duban.context import console, engine, safe_url, user_errors
from duban.models.db import upgrade as upgrade_schema
from duban.runtime import get_settings

app = typer.Typer(help="数据库结构。", no_args_is_help=True)


@app.command()
def upgrade() -> None:
    """把数据库结构升级到本版本需要的最新版（可重复运行）。"""
    with user_errors():
        before, after = upgrade_schema(engine(check_schema=False))
    url = safe_url(get_settings().effective_database_url)
    if before == after:
        console.print(f"数据库 {url} 已是最新结构（{after}）。", highlight=False)
    else:
        console.print(f"数据库 {url} 已从 {before or '空'} 升级到 {after}。", highlight=False)

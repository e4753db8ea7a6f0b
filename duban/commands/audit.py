"""`duban audit verify`: is the status history (台账) intact?"""

from __future__ import annotations

import typer

from duban.commands.plan import JsonOpt
from duban.context import console, engine, fail, print_json, user_errors
from models.db import session_scope
from tasks.ledger import verify as verify_chain

app = typer.Typer(help="审计。", no_args_is_help=True)


@app.command()
def verify(json: JsonOpt = False) -> None:
    """重新计算台账的哈希链，指出第一条被改动、删除或插入的记录；发现问题时退出码为 1。"""
    with user_errors(), session_scope(engine()) as session:
        result = verify_chain(session)
    if json:
        print_json(
            {
                "rows": result.rows,
                "ok": result.ok,
                "broken_id": result.broken_id,
                "reason": result.reason,
            }
        )
        if not result.ok:
            raise typer.Exit(1)
        return
    if result.ok:
        console.print(f"台账完整：{result.rows} 条记录的哈希链全部吻合。", highlight=False)
        return
    fail(f"台账第 {result.broken_id} 条记录有问题（此前 {result.rows} 条完好）：{result.reason}。")

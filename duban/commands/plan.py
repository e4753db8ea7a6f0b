"""`duban plan …`: check, import, show and the change log of a plan file."""

from __future__ import annotations

import json as json_module
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from duban.context import (
    JsonOpt,
    NowOpt,
    PlanOpt,
    channels,
    console,
    current_plan,
    engine,
    err_console,
    fail,
    lang,
    local,
    parse_now,
    print_json,
    print_table,
    user_errors,
)
from duban.tasks.plan.check import CheckResult, check_file
from duban.tasks.plan.messages import render

app = typer.Typer(help="计划文件：检查、导入、查看。", no_args_is_help=True)

PlanArg = Annotated[Path, typer.Argument(help="计划文件（YAML）", show_default=False)]

ACTIONS = {"added": "新增", "changed": "修改", "removed": "停用", "restored": "恢复"}


def checked(path: Path, tags: set[str] | None = None) -> CheckResult:
    result = check_file(path, lang(), tags)
    for problem in result.problems:
        err_console.print(problem.render(lang()), highlight=False, soft_wrap=True)
    if result.problems:
        err_console.print(f"共 {len(result.problems)} 个问题，未写入任何内容。", highlight=False)
        raise typer.Exit(1)
    return result


@app.command()
def check(
    plan: PlanArg,
    apprise_config: Annotated[
        Path | None,
        typer.Option("--apprise-config", help="同时检查每个单位在该 apprise 配置中是否有通道"),
    ] = None,
) -> None:
    """检查计划文件：一次列出全部问题（文件:行号、问题、修正方法），有问题时退出码为 1。"""
    with user_errors():
        transport = channels(apprise_config)
    spec = checked(plan, transport.tags() if transport is not None else None).spec
    assert spec is not None
    console.print(
        f"✓ {plan}：未发现问题（{len(spec.units)} 个单位，{len(spec.indicators)} 个指标，"
        f"{len(spec.tasks)} 项任务）",
        highlight=False,
    )


@app.command("import")
def import_(plan: PlanArg, now: NowOpt = None) -> None:
    """导入计划文件：一个事务，全部成功或全部不写；重复导入同一文件不做任何改动。"""
    spec = checked(plan).spec
    assert spec is not None
    with user_errors():
        moment = parse_now(now)
        from duban.models.db import session_scope
        from duban.tasks.plan.importing import import_plan
        from duban.tasks.timeline.materialize import materialize

        with session_scope(engine()) as session:
            result = import_plan(session=session, spec=spec, now=moment)
            if not result.changes:
                # the rows match the file, so the occurrences match what the last import made
                # of them: nothing to recompute (after a calendar data update, run
                # `duban schedule materialize`)
                console.print(f"计划 {spec.plan.id} 无变化。", highlight=False)
                return
            occurrences = materialize(session=session, plan_id=spec.plan.id, now=moment)
    counts = "，".join(f"{label} {result.count(a)}" for a, label in ACTIONS.items())
    console.print(
        f"已导入计划 {spec.plan.id}：{counts}；期次新增 {occurrences.added}，"
        f"更新 {occurrences.updated}，取消 {occurrences.cancelled}。",
        highlight=False,
    )


@app.command()
def show(plan: PlanOpt = None, json: JsonOpt = False) -> None:
    """显示计划概况和条目树。"""
    from sqlmodel import col, select

    from duban.models import PlanItem
    from duban.models.db import session_scope

    with user_errors(), session_scope(engine()) as session:
        header = current_plan(session, plan)
        items = session.exec(
            select(PlanItem)
            .where(PlanItem.plan_id == header.id, PlanItem.active)
            .order_by(col(PlanItem.position))
        ).all()
    if json:
        print_json(
            {
                **header.model_dump(mode="json"),
                "items": [{"path": i.path, "title": i.title} for i in items],
            }
        )
        return
    console.print(
        f"[bold]{header.title}[/]（{header.id}，{header.year} 年，时区 {header.timezone}）"
    )
    console.print(f"最近导入：{local(header.imported_at, header.timezone)}", highlight=False)
    for item in items:
        console.print(f"{'  ' * (len(item.path) - 1)}{item.path[-1]} {item.title}", highlight=False)


@app.command()
def changes(plan: PlanOpt = None, json: JsonOpt = False) -> None:
    """列出历次导入对计划所做的改动。"""
    from sqlmodel import col, select

    from duban.models import PlanChange
    from duban.models.db import session_scope

    with user_errors(), session_scope(engine()) as session:
        header = current_plan(session, plan)
        rows = session.exec(
            select(PlanChange).where(PlanChange.plan_id == header.id).order_by(col(PlanChange.id))
        ).all()
    if json:
        print_json([r.model_dump(mode="json") for r in rows])
        return
    print_table(
        f"{header.title} 的改动记录",
        ["时间", "类别", "编号", "动作", "改动"],
        [
            (
                local(r.at, header.timezone),
                r.entity,
                r.code,
                ACTIONS.get(r.action, r.action),
                "；".join(f"{k}: {v[0]} → {v[1]}" for k, v in r.changes.items() if k != "active"),
            )
            for r in rows
        ],
    )


class Format(StrEnum):
    json = "json"
    yaml = "yaml"


@app.command()
def extract(
    report: Annotated[
        Path, typer.Argument(help="工作报告/工作要点文本（UTF-8 或 GBK）", show_default=False)
    ],
    format: Annotated[
        Format, typer.Option("--format", help="json：结构；yaml：计划草稿")
    ] = Format.json,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="写入文件（缺省输出到屏幕）")
    ] = None,
) -> None:
    """从工作报告中提取条目、量化目标和可督办事项；yaml 格式生成计划草稿。"""
    from duban.tasks.extract.clean import UnreadableText
    from duban.tasks.extract.document import extract as extract_document
    from duban.tasks.extract.draft import draft_plan

    try:
        raw = report.read_bytes()
    except OSError:
        fail(f"{report}: {render('file-missing', {}, lang())}")
    try:
        document = extract_document(raw)
    except UnreadableText as exc:
        fail(f"{report}: {exc}。修正：提供 UTF-8 或 GBK 编码的纯文本文件。")
    if format is Format.yaml:
        text = draft_plan(document)
    else:
        text = json_module.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    partial = output.with_name(output.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(output)  # never a half-written file
    targets = sum(len(i["targets"]) for i in document["items"])
    tasks = sum(len(i["tasks"]) for i in document["items"])
    console.print(
        f"已写入 {output}：{len(document['items'])} 个条目，{targets} 个量化目标，"
        f"{tasks} 项可督办事项。",
        highlight=False,
    )

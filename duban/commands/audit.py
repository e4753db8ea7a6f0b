"""`duban audit verify|summary|overdue|history|indicators|scores`: the auditors' questions."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from sqlmodel import Session

from duban.context import (
    JsonOpt,
    NowOpt,
    PlanOpt,
    UserError,
    console,
    current_plan,
    engine,
    fail,
    get_settings,
    parse_now,
    print_json,
    print_table,
    user_errors,
)
from duban.models import Occurrence, Plan
from duban.models.db import readonly, session_scope
from duban.models.status import DUTY_NAMES, Duty
from duban.tasks.audit.exports import write_csv
from duban.tasks.audit.history import history as history_entries
from duban.tasks.audit.indicators import indicators as indicator_rows
from duban.tasks.audit.queries import (
    FilterError,
    Filters,
    OccurrenceFacts,
    Typed,
    make_filters,
    occurrence_facts,
    occurrence_in_plan,
    summary_in_sql,
    unit_names,
)
from duban.tasks.audit.queries import overdue as overdue_rows
from duban.tasks.audit.rollup import rollup_view, rollups
from duban.tasks.audit.scores import plan_rules, scores_view
from duban.tasks.audit.scores import scores as score_rows
from duban.tasks.audit.views import (
    View,
    history_view,
    indicators_view,
    inputs_view,
    overdue_view,
    summary_view,
)
from duban.tasks.timeline.calendar import plan_clock
from duban.tasks.work.anchor import Anchor, AnchorError, AnchorLog, head
from duban.tasks.work.anchor import check as check_anchor
from duban.tasks.work.cooperate import inputs_of
from duban.tasks.work.ledger import verify_parallel

app = typer.Typer(help="审计。", no_args_is_help=True)


AnchorOpt = Annotated[
    str | None,
    typer.Option(
        "--anchor",
        help="核对这个锚点（条数:哈希，或单独的哈希，如从 Prefect 的 ledger-anchor 产物抄下的）；"
        "默认：锚点文件的最后一行",
    ),
]


@app.command()
def verify(anchor: AnchorOpt = None, json: JsonOpt = False) -> None:
    """重新计算台账的哈希链，指出第一条被改动、删除或插入的记录，并核对锚点（发现末尾被删除、
    数据库恢复自旧备份）；发现问题时退出码为 1。"""
    log = AnchorLog(get_settings().effective_anchor_file)
    try:
        kept = Anchor.parse(anchor) if anchor else log.latest()
    except AnchorError as exc:
        fail(str(exc))
    with user_errors(), session_scope(readonly(built := engine())) as session:
        result = verify_parallel(built.url.render_as_string(hide_password=False))
        tail = check_anchor(session, kept) if kept and result.ok else None
    ok = result.ok and tail is None
    if json:
        print_json(
            {
                "rows": result.rows,
                "ok": ok,
                "broken_id": result.broken_id,
                "reason": result.reason or tail,
                "anchor": str(kept) if kept else None,
            }
        )
        if not ok:
            raise typer.Exit(1)
        return
    if not result.ok:
        fail(
            f"台账第 {result.broken_id} 条记录有问题（此前 {result.rows} 条完好）：{result.reason}。"
        )
    if tail:
        fail(f"台账与锚点 {kept} 不符：{tail}。")
    said = f"台账完整：{result.rows} 条记录的哈希链全部吻合"
    if kept is None:
        console.print(
            f"{said}；尚无锚点，末尾被删除的记录无法发现（运行 duban audit anchor 记录一个）。",
            highlight=False,
        )
        return
    console.print(f"{said}，并与锚点 {kept} 一致。", highlight=False)


@app.command()
def anchor(json: JsonOpt = False) -> None:
    """记录台账当前的锚点（条数和最后一条的哈希），追加到锚点文件并打印；每次巡检也会记录。
    抄下打印的锚点，日后可用 duban audit verify --anchor 核对。"""
    settings = get_settings()
    with user_errors(), session_scope(readonly(engine())) as session:
        now = head(session, settings.time().wall())
    AnchorLog(settings.effective_anchor_file).append(now)
    if json:
        print_json({"rows": now.rows, "hash": now.hash, "anchor": str(now)})
        return
    console.print(f"台账锚点：{now}（已记入 {settings.effective_anchor_file}）", highlight=False)


# -- queries -----------------------------------------------------------------------------

UnitOpt = Annotated[str | None, typer.Option("--unit", help="责任单位编号")]
TaskOpt = Annotated[str | None, typer.Option("--task", help="任务编号")]
KindOpt = Annotated[str | None, typer.Option("--kind", help="任务类型（inspection、evaluation…）")]
ItemOpt = Annotated[str | None, typer.Option("--item", help="计划条目编号")]
IndicatorOpt = Annotated[str | None, typer.Option("--indicator", help="指标编号")]
StatusOpt = Annotated[str | None, typer.Option("--status", help="期次状态（open、submitted…）")]
PeriodOpt = Annotated[
    str | None, typer.Option("--period", help="按截止日期筛选：2022、2022H1、2022Q2 或 2022-06")
]
CsvOpt = Annotated[bool, typer.Option("--csv", help="输出 CSV")]


def filters_from(
    unit: str | None,
    task: str | None,
    kind: str | None,
    item: str | None,
    indicator: str | None,
    status: str | None,
    period: str | None,
) -> Filters:
    try:
        return make_filters(
            Typed(
                unit=unit,
                task=task,
                kind=kind,
                item=item,
                indicator=indicator,
                status=status,
                period=period,
            )
        )
    except FilterError as exc:
        raise UserError(str(exc)) from None


def _load(plan: str | None, filters: Filters) -> tuple[Plan, list[OccurrenceFacts], dict[str, str]]:
    """The plan, its occurrences that pass the filters, and the unit names."""
    with session_scope(engine()) as session:
        header = current_plan(session, plan)
        return header, occurrence_facts(session, header.id, filters), unit_names(session, header.id)


def _occurrence(session: Session, plan: str | None, occurrence: int) -> tuple[Plan, Occurrence]:
    """The plan and one of its occurrences, or a sentence saying where to find the ids."""
    header = current_plan(session, plan)
    row = occurrence_in_plan(session, header.id, occurrence)
    if row is None:
        raise UserError(
            f"期次 {occurrence} 不在计划 {header.id} 中。修正：用 duban schedule show 查看期次编号"
        )
    return header, row[0]


def emit(view: View, json: bool, csv: bool) -> None:
    if json:
        print_json(view.records)
    elif csv:
        write_csv(view, sys.stdout)
    else:
        print_table(view.title, view.headers, view.rows)


@app.command()
def summary(
    by: Annotated[str, typer.Option("--by", help="unit（按单位）或 kind（按类型）")] = "unit",
    plan: PlanOpt = None,
    unit: UnitOpt = None,
    task: TaskOpt = None,
    kind: KindOpt = None,
    item: ItemOpt = None,
    indicator: IndicatorOpt = None,
    status: StatusOpt = None,
    period: PeriodOpt = None,
    now: NowOpt = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
) -> None:
    """按单位或类型汇总：应办、已办、按时、逾期、当前逾期、按时率、平均逾期工作日。"""
    with user_errors():
        if by not in ("unit", "kind"):
            raise UserError(f"--by 的值“{by}”无效。修正：使用 unit 或 kind")
        moment = parse_now(now)
        filters = filters_from(unit, task, kind, item, indicator, status, period)
        with session_scope(readonly(engine())) as session:
            header = current_plan(session, plan)
            rows = summary_in_sql(
                session,
                header.id,
                filters,
                by=by,  # type: ignore[arg-type]
                names=unit_names(session, header.id),
                clock=plan_clock(header),
                now=moment,
            )
    view = summary_view(rows, by)
    view.title = f"{header.title} · {view.title}" + (
        f" · {filters.period.label}" if filters.period else ""
    )
    emit(view, json, csv)


@app.command()
def overdue(
    plan: PlanOpt = None,
    unit: UnitOpt = None,
    task: TaskOpt = None,
    kind: KindOpt = None,
    item: ItemOpt = None,
    indicator: IndicatorOpt = None,
    status: StatusOpt = None,
    period: PeriodOpt = None,
    now: NowOpt = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
) -> None:
    """当前逾期的期次：逾期工作日、原截止日期（延期时）、状态和红黄绿灯。"""
    with user_errors():
        moment = parse_now(now)
        filters = filters_from(unit, task, kind, item, indicator, status, period)
        header, facts, names = _load(plan, filters)
        clock = plan_clock(header)
        view = overdue_view(overdue_rows(facts, clock=clock, now=moment), names, clock.zone)
    view.title = f"{header.title} · {view.title}（{len(view.rows)} 项）"
    emit(view, json, csv)


@app.command()
def history(
    occurrence: Annotated[int, typer.Argument(help="期次编号")],
    plan: PlanOpt = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
) -> None:
    """一个期次的完整经过：每次状态变化（谁、何时、备注）和每条提醒。"""
    with user_errors(), session_scope(engine()) as session:
        header, _ = _occurrence(session, plan, occurrence)
        found = occurrence_facts(session, header.id, Filters(occurrence=occurrence))
        entries = history_entries(session, occurrence)
        names = unit_names(session, header.id)
    view = history_view(found[0], entries, names, plan_clock(header).zone)
    emit(view, json, csv)


@app.command()
def indicators(
    plan: PlanOpt = None, now: NowOpt = None, json: JsonOpt = False, csv: CsvOpt = False
) -> None:
    """指标完成情况：最新填报值与目标（达标/未达标/无数据）和序时进度（超前/滞后）；分解指标逐单位列出。"""
    with user_errors():
        moment = parse_now(now)
        with session_scope(engine()) as session:
            header = current_plan(session, plan)
            clock = plan_clock(header)
            rows = indicator_rows(session, header.id, now=moment, clock=clock)
            names = unit_names(session, header.id)
    view = indicators_view(rows, clock.zone, names)
    view.title = f"{header.title} · {view.title}"
    emit(view, json, csv)


@app.command()
def rollup(
    plan: PlanOpt = None,
    task: TaskOpt = None,
    period: PeriodOpt = None,
    all: Annotated[bool, typer.Option("--all", help="也列出只交给一个单位的任务")] = False,
    now: NowOpt = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
) -> None:
    """分办汇总：每项任务每个期次，多少单位已报送、按时、逾期报送、待审核、已办结，逾期未报的单位点名。"""
    with user_errors():
        moment = parse_now(now)
        filters = filters_from(None, task, None, None, None, None, period)
        header, facts, names = _load(plan, filters)
        clock = plan_clock(header)
    rows = rollups(facts, clock=clock, now=moment, split_only=not all)
    view = rollup_view(rows, names, clock.zone)
    view.title = f"{header.title} · {view.title}"
    emit(view, json, csv)


@app.command()
def inputs(
    occurrence: Annotated[int, typer.Argument(help="主办单位的期次编号")],
    plan: PlanOpt = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
) -> None:
    """协办意见：各协办单位向该主办期次报送的意见（说明、数字、佐证），以及谁尚未报送。"""
    with user_errors(), session_scope(engine()) as session:
        header, found_one = _occurrence(session, plan, occurrence)
        if found_one.duty != Duty.LEAD:
            raise UserError(
                f"期次 {occurrence} 是{DUTY_NAMES[found_one.duty]}期次，协办意见报送给主办的期次。"
                "修正：用 duban schedule show 查看主办（职责为“主办”）的期次编号"
            )
        found = inputs_of(session, occurrence)
        names = unit_names(session, header.id)
    view = inputs_view(found, names, plan_clock(header).zone)
    view.title = f"{header.title} · 期次 {occurrence} 的{view.title}"
    emit(view, json, csv)


@app.command()
def scores(
    plan: PlanOpt = None,
    unit: UnitOpt = None,
    period: PeriodOpt = None,
    now: NowOpt = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
) -> None:
    """考核评分：按计划的 scoring 规则（按时、逾期每工作日、未报送、退办、延期，主办/协办权重）
    逐单位计分并排名，每个得分列出构成它的事件和分值。"""
    with user_errors():
        moment = parse_now(now)
        filters = filters_from(unit, None, None, None, None, None, period)
        header, facts, names = _load(plan, filters)
        clock = plan_clock(header)
        rows = score_rows(facts, plan_rules(header.settings), names=names, clock=clock, now=moment)
    view = scores_view(rows, clock.zone)
    view.title = f"{header.title} · {view.title}" + (
        f" · {filters.period.label}" if filters.period else ""
    )
    emit(view, json, csv)

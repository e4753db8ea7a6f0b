"""The auditors' questions over HTTP: occurrences, one occurrence's history, summaries, the
overdue, the indicators and the scores — the same queries and views as `duban audit`, read-only."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter

from duban.api.deps import (
    ApiError,
    ClockDep,
    FiltersDep,
    Now,
    PagingDep,
    PeriodDep,
    PlanDep,
    SessionDep,
    Who,
    own,
    scoped,
)
from duban.models import Bulletin
from duban.tasks.audit import history, indicators, queries
from duban.tasks.audit.queries import Filters, Typed
from duban.tasks.audit.rollup import rollup_view, rollups
from duban.tasks.audit.scores import plan_rules, scores_view
from duban.tasks.audit.scores import scores as score_rows
from duban.tasks.audit.views import (
    history_view,
    indicators_view,
    inputs_view,
    overdue_view,
    summary_view,
)
from duban.tasks.bulletin import store as bulletin_store
from duban.tasks.work.cooperate import inputs_of

router = APIRouter(prefix="/api")


@router.get("/occurrences", summary="期次列表（可筛选，分页）")
def list_occurrences(
    s: SessionDep, plan: PlanDep, clock: ClockDep, now: Now, chosen: FiltersDep, paging: PagingDep
) -> dict[str, Any]:
    records = []
    for f in queries.occurrence_facts(s, plan.id, chosen, page=(paging.limit, paging.offset)):
        state, days = queries.timeliness(f, clock, now)
        records.append(
            {
                "id": f.id,
                "task": f.task,
                "title": f.title,
                "kind": f.kind,
                "unit": f.unit,
                "status": f.status,
                "opens_at": f.opens_at.isoformat(),
                "due_at": f.due_at.isoformat(),
                "original_due_at": f.original_due_at.isoformat(),
                "submitted_at": f.submitted_at.isoformat() if f.submitted_at else None,
                "timeliness": state,
                "workdays_late": days,
                "colour": queries.status_colour(f, clock, now),
            }
        )
    return paging.of(records, queries.count_occurrences(s, plan.id, chosen))


@router.get("/occurrences/{occurrence_id}", summary="一个期次的经过（状态变化与提醒）")
def occurrence_history(
    occurrence_id: int, s: SessionDep, who: Who, plan: PlanDep, clock: ClockDep
) -> dict[str, Any]:
    own(s, who, occurrence_id)
    [facts] = queries.occurrence_facts(s, plan.id, Filters(occurrence=occurrence_id))
    view = history_view(
        facts, history.history(s, occurrence_id), queries.unit_names(s, plan.id), clock.zone
    )
    return {"id": occurrence_id, "title": view.title, "history": view.records}


@router.get("/summary", summary="按单位或类型汇总")
def summary(
    s: SessionDep,
    plan: PlanDep,
    clock: ClockDep,
    now: Now,
    chosen: PeriodDep,
    by: Literal["unit", "kind"] = "unit",
) -> list[dict[str, Any]]:
    rows = queries.summary_in_sql(
        s,
        plan.id,
        chosen,
        by=by,
        names=queries.unit_names(s, plan.id),
        clock=clock,
        now=now,
    )
    return summary_view(rows, by).records


@router.get("/overdue", summary="当前逾期（分页）")
def overdue(
    s: SessionDep, plan: PlanDep, clock: ClockDep, now: Now, chosen: PeriodDep, paging: PagingDep
) -> dict[str, Any]:
    rows = queries.overdue(queries.occurrence_facts(s, plan.id, chosen), clock=clock, now=now)
    return paging.page(overdue_view(rows, queries.unit_names(s, plan.id), clock.zone).records)


@router.get("/indicators", summary="指标完成情况与序时进度")
def indicator_progress(
    s: SessionDep, plan: PlanDep, clock: ClockDep, now: Now
) -> list[dict[str, Any]]:
    rows = indicators.indicators(s, plan.id, now=now, clock=clock)
    return indicators_view(rows, clock.zone, queries.unit_names(s, plan.id)).records


@router.get("/rollup", summary="分办汇总：每项任务每个期次各单位的报送情况")
def rollup(
    s: SessionDep,
    who: Who,
    plan: PlanDep,
    clock: ClockDep,
    now: Now,
    task: str | None = None,
    period: str | None = None,
    all: bool = False,
) -> list[dict[str, Any]]:
    """A unit's token sees the periods of its own occurrences only."""
    chosen = scoped(who, Typed(task=task, period=period))
    rows = rollups(
        queries.occurrence_facts(s, plan.id, chosen), clock=clock, now=now, split_only=not all
    )
    return rollup_view(rows, queries.unit_names(s, plan.id), clock.zone).records


@router.get("/occurrences/{occurrence_id}/inputs", summary="协办意见：各协办单位报给主办的意见")
def inputs(
    occurrence_id: int, s: SessionDep, who: Who, plan: PlanDep, clock: ClockDep
) -> list[dict[str, Any]]:
    own(s, who, occurrence_id)
    found = inputs_of(s, occurrence_id)
    return inputs_view(found, queries.unit_names(s, plan.id), clock.zone).records


@router.get(
    "/scores", summary="考核评分：按计划的 scoring 规则逐单位计分、排名，附每个得分的事件明细"
)
def scores(
    s: SessionDep, plan: PlanDep, clock: ClockDep, now: Now, chosen: PeriodDep
) -> list[dict[str, Any]]:
    """A unit's token sees its own row only (its rank among all units kept)."""
    rows = score_rows(
        queries.occurrence_facts(s, plan.id, Filters(period=chosen.period)),
        plan_rules(plan.settings),
        names=queries.unit_names(s, plan.id),
        clock=clock,
        now=now,
    )
    records = scores_view(rows, clock.zone).records
    return [r for r in records if chosen.unit in (None, r["unit"])]


@router.get("/bulletins", summary="已存档的督办通报：时段、发送时间、接收单位及送达情况、SHA-256")
def bulletins(s: SessionDep, who: Who, plan: PlanDep) -> list[dict[str, Any]]:
    """Auditors and coordinators; a unit's token sees the bulletins that went to its unit."""
    rows = [
        b.model_dump(mode="json", exclude={"markdown", "snapshot"})
        for b in bulletin_store.listing(s, plan.id)
    ]
    if who.role == "unit":
        rows = [b for b in rows if any(r["unit"] == who.unit for r in b["recipients"])]
    return rows


@router.get("/bulletins/{bulletin_id}", summary="一期督办通报，原样（Markdown）")
def bulletin(bulletin_id: int, s: SessionDep, who: Who, plan: PlanDep) -> dict[str, Any]:
    found = s.get(Bulletin, bulletin_id)
    units = {r["unit"] for r in found.recipients} if found else set()
    if found is None or found.plan_id != plan.id:
        raise ApiError(404, "not_found", f"通报 {bulletin_id} 不存在")
    if who.role == "unit" and who.unit not in units:
        raise ApiError(403, "forbidden", "单位令牌只能查看发给本单位的通报")
    return found.model_dump(mode="json", exclude={"snapshot"})

"""What every API handler depends on (FastAPI `Depends`): the database session, the caller's
token, the plan it belongs to, the clock, filters and paging — and how a refusal becomes an
answer (`ApiError`: status, code, Chinese message)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from sqlmodel import Session

from duban.models import Occurrence, Plan
from duban.models.db import session_scope
from duban.tasks.access.tokens import authenticate
from duban.tasks.audit import queries
from duban.tasks.audit.queries import FilterError, Filters, Typed, make_filters
from duban.tasks.timeline.calendar import Clock, plan_clock
from duban.tasks.work import actions

log = logging.getLogger("duban.api")
T = TypeVar("T")


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


@dataclass(frozen=True)
class Principal:
    token_id: int
    prefix: str
    role: str
    plan_id: str
    unit: str | None

    def may_write(self) -> bool:
        return self.role in ("unit", "coordinator")

    def who(self) -> str:
        return f"api:{self.role}:{self.unit or '-'}:token{self.token_id}"


def get_session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.engine) as s:
        yield s


SessionDep = Annotated[Session, Depends(get_session)]


def principal(request: Request, s: SessionDep) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "unauthenticated", "缺少令牌：请在 Authorization 头中提供 Bearer 令牌")
    token = authenticate(s, secret.strip(), request.app.state.wall())
    if token is None:
        raise ApiError(401, "unauthenticated", "令牌无效或已吊销")
    found = Principal(token.id or 0, token.prefix, token.role, token.plan_id or "", token.unit)
    request.state.principal = found
    return found


Who = Annotated[Principal, Depends(principal)]


def writer(who: Who) -> Principal:
    if not who.may_write():
        raise ApiError(403, "forbidden", "审计令牌只能查询，不能办理")
    return who


def coordinator(who: Who) -> Principal:
    if who.role != "coordinator":
        raise ApiError(403, "forbidden", "只有督办协调令牌可以审核和批复")
    return who


Writer = Annotated[Principal, Depends(writer)]
Coordinator = Annotated[Principal, Depends(coordinator)]


def current_plan(s: SessionDep, who: Who) -> Plan:
    plan = s.get(Plan, who.plan_id)
    if plan is None:
        raise ApiError(404, "not_found", f"计划 {who.plan_id} 不存在")
    return plan


PlanDep = Annotated[Plan, Depends(current_plan)]


def plan_time(request: Request) -> dt.datetime:
    """Now, in plan time (a replay's, or the system's), read once per request."""
    now: Callable[[], dt.datetime] = request.app.state.clock
    return now()


Now = Annotated[dt.datetime, Depends(plan_time)]


def clock_of(plan: PlanDep) -> Clock:
    return plan_clock(plan)


ClockDep = Annotated[Clock, Depends(clock_of)]


def scoped(who: Principal, typed: Typed) -> Filters:
    """The filters a caller may use: a unit's token sees its own unit only."""
    if who.role == "unit":
        if typed.unit not in (None, who.unit):
            raise ApiError(403, "forbidden", "单位令牌只能查看本单位的期次")
        typed = typed.model_copy(update={"unit": who.unit})
    try:
        return make_filters(typed)
    except FilterError as exc:
        raise ApiError(422, "invalid", str(exc)) from None


def filters(who: Who, typed: Annotated[Typed, Query()]) -> Filters:
    return scoped(who, typed)


def period_filters(who: Who, period: str | None = None) -> Filters:
    return scoped(who, Typed(period=period))


FiltersDep = Annotated[Filters, Depends(filters)]
PeriodDep = Annotated[Filters, Depends(period_filters)]


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int

    def page(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        """This page of a list computed whole (the overdue list: ranked after computing)."""
        return self.of(records[self.offset : self.offset + self.limit], len(records))

    def of(self, items: list[dict[str, Any]], total: int) -> dict[str, Any]:
        """A page read as a page (LIMIT/OFFSET in SQL), with the total counted apart."""
        return {"items": items, "total": total, "limit": self.limit, "offset": self.offset}


def paging(
    limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Annotated[int, Query(ge=0)] = 0
) -> Paging:
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]


def own(s: Session, who: Principal, occurrence_id: int) -> Occurrence:
    """The occurrence, if it is in the caller's plan and (for a unit) the caller's own."""
    row = queries.occurrence_in_plan(s, who.plan_id, occurrence_id)
    if row is None:
        raise ApiError(404, "not_found", f"期次 {occurrence_id} 不存在")
    occurrence, _ = row
    if who.role == "unit" and occurrence.unit != who.unit:
        raise ApiError(403, "forbidden", f"期次 {occurrence_id} 不属于本单位")
    return occurrence


def refused_as_409(action: Callable[[], T]) -> T:
    """A refused action is a 409 with the reason, and the transaction is rolled back."""
    try:
        return action()
    except actions.ActionRefused as exc:
        raise ApiError(409, "refused", str(exc)) from None


def aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ApiError(422, "invalid", "时间必须带时区，例如 2022-07-15T18:00:00+08:00")
    return moment.astimezone(dt.UTC)

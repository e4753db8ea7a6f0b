"""`duban api`: the auditors' queries and the units' submissions over HTTP (FastAPI), and the
units' portal pages under /portal (`duban.portal`).

A thin layer: every answer comes from `tasks.audit.queries` / `tasks.audit.views` and every change from
`tasks.work.actions`, exactly as in the CLI. Bearer tokens with roles:
- auditor: read everything, change nothing;
- unit: read and act on its own occurrences only;
- coordinator: everything.
No or unknown token → 401, a role or unit that may not → 403, always a JSON body
`{"error": code, "message": 中文说明}`. Every request is logged with who asked.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine
from sqlmodel import Session

from duban.flows.events import publish_for, wake_waiting_run
from duban.models import Occurrence, Plan
from duban.models.db import session_scope
from duban.portal import PortalConfig
from duban.portal import install as install_portal
from duban.runtime import get_settings
from duban.tasks.access.tokens import authenticate
from duban.tasks.audit import queries
from duban.tasks.audit.queries import FilterError, Filters, make_filters
from duban.tasks.audit.views import history_view, indicators_view, overdue_view, summary_view
from duban.tasks.remind.sweep import plan_clock
from duban.tasks.timeline.clock import system_now
from duban.tasks.work import actions
from duban.tasks.work.evidence import EvidenceStore

log = logging.getLogger("duban.api")
Clock = Callable[[], dt.datetime]


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


class Submission(BaseModel):
    note: str | None = Field(default=None, max_length=2000)
    evidence: list[str] = Field(default_factory=list, max_length=20)


class Review(BaseModel):
    accept: bool
    reason: str | None = Field(default=None, max_length=2000)  # required to return (退办)


class ExtensionRequest(BaseModel):
    due_at: dt.datetime  # the proposed new due moment, with its offset
    reason: str = Field(min_length=1, max_length=2000)


class ExtensionDecision(BaseModel):
    approve: bool
    due_at: dt.datetime | None = None  # default: the proposed one
    note: str | None = Field(default=None, max_length=2000)  # required to refuse


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
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0)]


def default_portal() -> PortalConfig:
    settings = get_settings()
    return PortalConfig(
        key=settings.signing_key(),
        store=EvidenceStore(settings.effective_evidence_url, settings.evidence_max_mb << 20),
        secure_cookies=(settings.portal_url or "").startswith("https://"),
    )


def announce(engine: Engine, what: str, occurrence_id: int, actor: str) -> None:
    """After the commit: the Prefect event, and a waiting run woken if this was its step."""
    publish_for(engine, what, [occurrence_id], actor=actor)
    wake_waiting_run(engine, occurrence_id, what)


def create_app(
    engine: Engine,
    clock: Clock | None = None,
    portal: PortalConfig | None = None,
    inbox: bool = False,
) -> FastAPI:
    """The API under /api and the unit portal under /portal (and a replay's inbox under /inbox).
    `clock` is plan time (a replay's, or the system's); credentials expire in wall time."""
    now: Clock = clock or system_now
    app = FastAPI(
        title="Duban 督办 API",
        description="审计查询与单位报送。所有请求都需要 `Authorization: Bearer <令牌>`。",
        version="1",
    )
    app.state.engine, app.state.clock = engine, now
    app.state.wall = portal.wall if portal else system_now

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.error, "message": exc.message}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = "、".join(".".join(str(p) for p in e["loc"][1:]) for e in exc.errors())
        return JSONResponse(
            {"error": "invalid", "message": f"请求参数无效：{fields}", "detail": exc.errors()},
            status_code=422,
        )

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse(
            {"error": "http", "message": str(exc.detail)}, status_code=exc.status_code
        )

    @app.middleware("http")
    async def _log(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        principal: Principal | None = getattr(request.state, "principal", None)
        log.info(
            "%s %s → %s by %s from %s",
            request.method,
            redact(request.url.path),
            response.status_code,
            f"{principal.prefix}…({principal.role}:{principal.unit or '-'})"
            if principal
            else "anonymous",
            request.client.host if request.client else "-",
        )
        return response

    def plan_of(s: Session, who: Principal) -> Plan:
        plan = s.get(Plan, who.plan_id)
        if plan is None:
            raise ApiError(404, "not_found", f"计划 {who.plan_id} 不存在")
        return plan

    def filters(
        who: Principal,
        unit: str | None,
        task: str | None,
        kind: str | None,
        item: str | None,
        indicator: str | None,
        status: str | None,
        period: str | None,
    ) -> Filters:
        if who.role == "unit":
            if unit not in (None, who.unit):
                raise ApiError(403, "forbidden", "单位令牌只能查看本单位的期次")
            unit = who.unit
        try:
            return make_filters(unit, task, kind, item, indicator, status, period)
        except FilterError as exc:
            raise ApiError(422, "invalid", str(exc)) from None

    def own(s: Session, who: Principal, occurrence_id: int) -> Occurrence:
        row = queries.occurrence_in_plan(s, who.plan_id, occurrence_id)
        if row is None:
            raise ApiError(404, "not_found", f"期次 {occurrence_id} 不存在")
        occurrence, task = row
        if who.role == "unit" and task.owner != who.unit:
            raise ApiError(403, "forbidden", f"期次 {occurrence_id} 不属于本单位")
        return occurrence

    def page(records: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
        return {
            "items": records[offset : offset + limit],
            "total": len(records),
            "limit": limit,
            "offset": offset,
        }

    @app.get("/api/occurrences", summary="期次列表（可筛选，分页）")
    def list_occurrences(
        s: SessionDep,
        who: Who,
        unit: str | None = None,
        task: str | None = None,
        kind: str | None = None,
        item: str | None = None,
        indicator: str | None = None,
        status: str | None = None,
        period: str | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        plan = plan_of(s, who)
        chosen = filters(who, unit, task, kind, item, indicator, status, period)
        facts = queries.occurrence_facts(s, plan.id, chosen)
        clock, moment = plan_clock(plan), now()
        records = []
        for f in facts:
            state, days = queries.timeliness(f, clock, moment)
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
                    "colour": queries.status_colour(f, clock, moment),
                }
            )
        return page(records, limit, offset)

    @app.get("/api/occurrences/{occurrence_id}", summary="一个期次的经过（状态变化与提醒）")
    def occurrence_history(occurrence_id: int, s: SessionDep, who: Who) -> dict[str, Any]:
        own(s, who, occurrence_id)
        plan = plan_of(s, who)
        [facts] = queries.occurrence_facts(s, plan.id, Filters(occurrence=occurrence_id))
        view = history_view(
            facts,
            queries.history(s, occurrence_id),
            queries.unit_names(s, plan.id),
            plan_clock(plan).zone,
        )
        return {"id": occurrence_id, "title": view.title, "history": view.records}

    @app.get("/api/summary", summary="按单位或类型汇总")
    def summary(
        s: SessionDep,
        who: Who,
        by: Literal["unit", "kind"] = "unit",
        period: str | None = None,
    ) -> list[dict[str, Any]]:
        plan = plan_of(s, who)
        chosen = filters(who, None, None, None, None, None, None, period)
        rows = queries.summary(
            queries.occurrence_facts(s, plan.id, chosen),
            by=by,
            names=queries.unit_names(s, plan.id),
            clock=plan_clock(plan),
            now=now(),
        )
        return summary_view(rows, by).records

    @app.get("/api/overdue", summary="当前逾期（分页）")
    def overdue(
        s: SessionDep, who: Who, period: str | None = None, limit: Limit = 100, offset: Offset = 0
    ) -> dict[str, Any]:
        plan = plan_of(s, who)
        clock = plan_clock(plan)
        facts = queries.occurrence_facts(
            s, plan.id, filters(who, None, None, None, None, None, None, period)
        )
        rows = queries.overdue(facts, clock=clock, now=now())
        view = overdue_view(rows, queries.unit_names(s, plan.id), clock.zone)
        return page(view.records, limit, offset)

    @app.get("/api/indicators", summary="指标完成情况与序时进度")
    def indicators(s: SessionDep, who: Who) -> list[dict[str, Any]]:
        plan = plan_of(s, who)
        clock = plan_clock(plan)
        return indicators_view(
            queries.indicators(s, plan.id, now=now(), clock=clock), clock.zone
        ).records

    def act(who: Principal) -> None:
        if not who.may_write():
            raise ApiError(403, "forbidden", "审计令牌只能查询，不能办理")

    @app.post("/api/occurrences/{occurrence_id}/acknowledge", summary="签收")
    def acknowledge(occurrence_id: int, s: SessionDep, who: Who) -> dict[str, Any]:
        act(who)
        own(s, who, occurrence_id)
        event = run(
            lambda: actions.acknowledge(
                session=s, occurrence_id=occurrence_id, actor=who.who(), now=now()
            )
        )
        s.commit()  # before the answer: the caller may read it back at once
        if event is not None:
            announced("acknowledged", occurrence_id, who)
        return {"id": occurrence_id, "status": "acknowledged", "changed": event is not None}

    @app.post("/api/occurrences/{occurrence_id}/submit", summary="报送")
    def submit(occurrence_id: int, body: Submission, s: SessionDep, who: Who) -> dict[str, Any]:
        act(who)
        own(s, who, occurrence_id)
        event = run(
            lambda: actions.submit(
                session=s,
                occurrence_id=occurrence_id,
                actor=who.who(),
                now=now(),
                note=body.note,
                evidence=body.evidence,
            )
        )
        s.commit()
        announced("submitted", occurrence_id, who)
        return {"id": occurrence_id, "status": "submitted", "event": event.id}

    def coordinator(who: Principal) -> None:
        if who.role != "coordinator":
            raise ApiError(403, "forbidden", "只有督办协调令牌可以审核和批复")

    @app.post("/api/occurrences/{occurrence_id}/review", summary="审核：办结或退办")
    def review(occurrence_id: int, body: Review, s: SessionDep, who: Who) -> dict[str, Any]:
        coordinator(who)
        own(s, who, occurrence_id)
        event = run(
            lambda: actions.review(
                session=s,
                occurrence_id=occurrence_id,
                actor=who.who(),
                now=now(),
                accept=body.accept,
                reason=body.reason,
            )
        )
        s.commit()
        announced(event.to_status, occurrence_id, who)
        return {"id": occurrence_id, "status": event.to_status, "event": event.id}

    @app.post("/api/occurrences/{occurrence_id}/extension", summary="延期申请")
    def extension(
        occurrence_id: int, body: ExtensionRequest, s: SessionDep, who: Who
    ) -> dict[str, Any]:
        act(who)
        own(s, who, occurrence_id)
        request = run(
            lambda: actions.request_extension(
                session=s,
                occurrence_id=occurrence_id,
                actor=who.who(),
                now=now(),
                proposed_due_at=aware(body.due_at),
                reason=body.reason,
            )
        )
        s.commit()
        announced("extension-requested", occurrence_id, who)
        return {"id": request.id, "occurrence": occurrence_id, "status": request.status}

    @app.post("/api/occurrences/{occurrence_id}/extension/decision", summary="批复延期")
    def decide(
        occurrence_id: int, body: ExtensionDecision, s: SessionDep, who: Who
    ) -> dict[str, Any]:
        coordinator(who)
        own(s, who, occurrence_id)
        request = run(
            lambda: actions.decide_extension(
                session=s,
                occurrence_id=occurrence_id,
                actor=who.who(),
                now=now(),
                approve=body.approve,
                new_due_at=aware(body.due_at) if body.due_at else None,
                note=body.note,
            )
        )
        s.commit()
        announced("extended" if body.approve else "extension-refused", occurrence_id, who)
        return {"id": request.id, "occurrence": occurrence_id, "status": request.status}

    def announced(what: str, occurrence_id: int, who: Principal) -> None:
        announce(engine, what, occurrence_id, who.who())

    install_portal(
        app,
        engine,
        now,
        portal or default_portal(),
        lambda what, occurrence_id, actor: announce(engine, what, occurrence_id, actor),
    )
    if inbox:
        from duban.inbox import router

        app.include_router(router)
    return app


def redact(path: str) -> str:
    """A portal link's token never reaches the log."""
    return "/portal/l/…" if path.startswith("/portal/l/") else path


def aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ApiError(422, "invalid", "时间必须带时区，例如 2022-07-15T18:00:00+08:00")
    return moment.astimezone(dt.UTC)


def run(action: Callable[[], Any]) -> Any:
    """A refused action is a 409 with the reason, and the transaction is rolled back."""
    try:
        return action()
    except actions.ActionRefused as exc:
        raise ApiError(409, "refused", str(exc)) from None

"""The portal's plumbing, shared by its routers: the configuration on the app, rendering a page
or a redirect with the security headers and the session cookie, who the visitor is, reading a
posted form after its CSRF check, and the occurrence the visitor may see."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import delete, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.datastructures import UploadFile

from duban.models import Occurrence, SignInFailure, Task
from duban.models.db import readonly, session_scope
from duban.models.status import Duty
from duban.tasks.access.links import LinkRefused, Visitor, csrf_ok, csrf_token, visitor
from duban.tasks.audit import queries
from duban.tasks.timeline.clock import system_now
from duban.tasks.work.evidence import MAX_FILES, EvidenceStore

log = logging.getLogger("duban.portal")
Clock = Callable[[], dt.datetime]
Announce = Callable[[str, int, str], None]
COOKIE = "duban_portal"
LOGIN_COOKIE = "duban_login"
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",  # the link's token must not leak to another site
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


class PortalError(Exception):
    """Shown as a page with this message and status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Throttle:
    """Repeated bad links or tokens from one address are refused for a while (429).

    The failures are rows of the database (`SignInFailure`), so every API process counts the
    same ones — N replicas still allow `limit` tries, not N × `limit` — and nothing grows in
    memory; a failure older than the window is deleted by the next one recorded. Each is
    written in a transaction of its own: the refusal that follows rolls back nothing of it.
    Not `limits`/slowapi: they count requests, this counts failures only (a unit opening its
    pages a hundred times is never slowed), and their shared storages (Redis, memcached) are
    services the bureau's stack does not run."""

    limit: int = 10
    window: dt.timedelta = dt.timedelta(minutes=15)

    def blocked(self, engine: Engine, address: str, now: dt.datetime) -> bool:
        with session_scope(readonly(engine)) as session:
            recent = session.exec(
                select(func.count())
                .select_from(SignInFailure)
                .where(SignInFailure.address == address, SignInFailure.at > now - self.window)
            ).one()
        return recent >= self.limit

    def failed(self, engine: Engine, address: str, now: dt.datetime) -> None:
        with session_scope(engine) as session:
            session.add(SignInFailure(address=address, at=now))
            session.execute(delete(SignInFailure).where(col(SignInFailure.at) <= now - self.window))

    def check(self, engine: Engine, address: str, now: dt.datetime) -> None:
        if self.blocked(engine, address, now):
            raise PortalError(429, "尝试次数过多，请 15 分钟后再试。")


@dataclass
class PortalConfig:
    key: bytes
    store: EvidenceStore
    secure_cookies: bool = False  # set when the portal is served over https
    throttle: Throttle = field(default_factory=Throttle)
    # links and sessions expire in wall time, even while a replay runs plan time faster
    wall: Clock = system_now


def config(request: Request) -> PortalConfig:
    found: PortalConfig = request.app.state.portal
    return found


def engine(request: Request) -> Engine:
    found: Engine = request.app.state.engine
    return found


def plan_now(request: Request) -> dt.datetime:
    """Now in plan time (a replay's, or the system's)."""
    now: Clock = request.app.state.clock
    return now()


def announce(request: Request, what: str, occurrence_id: int, actor: str) -> None:
    told: Announce = request.app.state.announce
    told(what, occurrence_id, actor)


def address(request: Request) -> str:
    return request.client.host if request.client else "-"


def page(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    cookie = request.cookies.get(COOKIE, "")
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {"csrf": csrf_token(config(request).key, cookie) if cookie else "", **context},
        status_code=status,
    )
    response.headers.update(HEADERS)
    return response


def redirect(
    request: Request, url: str, cookie: str | None = None, expires: dt.datetime | None = None
) -> Response:
    """A 303 to `url`; with `cookie`, the session cookie set (until `expires`) or cleared."""
    response = RedirectResponse(url, status_code=303)
    response.headers.update(HEADERS)
    if cookie is not None:
        settings = config(request)
        response.set_cookie(
            COOKIE,
            cookie,
            max_age=max(0, int((expires - settings.wall()).total_seconds())) if expires else 0,
            path="/portal",
            httponly=True,
            samesite="lax",
            secure=settings.secure_cookies,
        )
    return response


def who(request: Request, session: Session) -> Visitor:
    """The signed-in unit or coordinator (401 without a valid session)."""
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        raise PortalError(401, "请使用提醒消息中的链接打开本页；督查室人员请先登录。")
    settings = config(request)
    try:
        return visitor(session, settings.key, cookie, settings.wall())
    except LinkRefused as exc:
        raise PortalError(401, str(exc)) from None


@dataclass(frozen=True)
class Posted:
    values: dict[str, str]
    files: list[UploadFile]


async def posted(request: Request) -> Posted:
    """The form, after the CSRF check (403 without it: nothing is read or changed)."""
    settings = config(request)
    limit = settings.store.max_bytes * MAX_FILES + (1 << 20)
    if int(request.headers.get("content-length") or 0) > limit:
        raise PortalError(
            413,
            f"上传内容过大（每个文件不超过 {settings.store.limit_text}，最多 {MAX_FILES} 个）。",
        )
    form = await request.form(max_files=MAX_FILES, max_fields=100)
    cookie = request.cookies.get(COOKIE, "")
    offered = form.get("csrf")
    if not cookie or not csrf_ok(
        settings.key, cookie, offered if isinstance(offered, str) else None
    ):
        raise PortalError(403, "表单已失效（缺少或错误的校验码）。请返回上一页刷新后重试。")
    return Posted(
        {k: v for k, v in form.items() if isinstance(v, str)},
        [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename],
    )


def occurrence_of(
    session: Session, person: Visitor, occurrence_id: int, *, acting: bool = False
) -> tuple[Occurrence, Task]:
    """The occurrence, if the visitor may see it (or, `acting`, act on it): a coordinator any
    in the plan; a unit its own — and, to read, the 协办 inputs addressed to its own 主办
    occurrences; a link scoped to one occurrence, that one (and its inputs) only."""
    row = queries.occurrence_in_plan(session, person.plan_id, occurrence_id)
    if row is None:
        raise PortalError(404, f"期次 {occurrence_id} 不存在。")
    occurrence, task = row
    if person.is_coordinator:
        return occurrence, task
    own = occurrence.unit == person.unit and person.occurrence_id in (None, occurrence_id)
    if not own and not acting and occurrence.duty == Duty.COOPERATING and occurrence.parent_id:
        lead = session.get(Occurrence, occurrence.parent_id)
        own = (
            lead is not None
            and lead.unit == person.unit
            and person.occurrence_id in (None, lead.id)
        )
    if not own:
        raise PortalError(403, "这项工作不属于本链接所代表的单位，无权查看。")
    return occurrence, task


def coordinator_only(person: Visitor) -> None:
    if not person.is_coordinator:
        raise PortalError(403, "只有督查室可以审核和批复。")

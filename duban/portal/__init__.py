"""The unit portal: server-rendered pages under /portal, served by `duban api`.

A responsible unit opens its personal link from a reminder (signed, expiring, revocable;
`tasks.access.links`), sees its open occurrences by urgency, and acknowledges, reports (with evidence
files) or asks for more time; a coordinator signs in with a coordinator API token and accepts,
returns or decides extensions. No script, no CDN, no build step: plain HTML forms that work in
DingTalk's and WeCom's in-app browsers on a closed network.

Every action is one of `tasks.work.actions`, exactly as `duban submit` / `duban review` and the API
call it; then the same Prefect events are published and a waiting flow run is woken.
Every form carries a CSRF token; bad links and tokens are rate-limited per address; every
ledger row written here names the unit or token and the address it came from.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.datastructures import UploadFile

from duban.flows.inputs import measured_value
from duban.models import Extension, Indicator, Occurrence, Plan, PlanItem, StatusEvent, Task
from duban.models.db import session_scope
from duban.models.status import IN_HAND, WAITING, ExtensionStatus, Status
from duban.models.status import name as status_name
from duban.portal import forms
from duban.tasks.access.links import (
    LinkRefused,
    Visitor,
    csrf_ok,
    csrf_token,
    session_cookie,
    session_expiry,
    verify_link,
    visitor,
)
from duban.tasks.access.tokens import authenticate
from duban.tasks.audit import queries
from duban.tasks.audit.queries import Filters
from duban.tasks.remind.sweep import plan_clock
from duban.tasks.remind.texts import due_text, left_text
from duban.tasks.timeline.clock import system_now
from duban.tasks.work import actions
from duban.tasks.work.evidence import MAX_FILES, EvidenceRefused, EvidenceStore, files_in

log = logging.getLogger("duban.portal")
Clock = Callable[[], dt.datetime]
Announce = Callable[[str, int, str], None]
COOKIE = "duban_portal"
LOGIN_COOKIE = "duban_login"
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
REVIEW_PAGE = 100  # submissions shown at once, the longest waiting first
COLOUR_RANK = {"red": 0, "yellow": 1, "green": 2}
COLOUR_NAMES = {"red": "红", "yellow": "黄", "green": "绿"}
DONE_MESSAGES = {
    "acknowledged": "已签收。",
    "submitted": "已报送，等待督查室审核。",
    "extension": "延期申请已提交，等待审批。",
    "accepted": "已审核通过（办结）。",
    "returned": "已退办，单位会收到提醒。",
    "extended": "已同意延期。",
    "extension-refused": "已不同意延期。",
}
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
    """Repeated bad links or tokens from one address are refused for a while (429)."""

    limit: int = 10
    window: float = 900.0  # seconds
    clock: Callable[[], float] = time.monotonic
    failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def blocked(self, address: str) -> bool:
        recent = self.failures[address]
        while recent and recent[0] <= self.clock() - self.window:
            recent.popleft()
        return len(recent) >= self.limit

    def failed(self, address: str) -> None:
        self.failures[address].append(self.clock())


@dataclass
class PortalConfig:
    key: bytes
    store: EvidenceStore
    secure_cookies: bool = False  # set when the portal is served over https
    throttle: Throttle = field(default_factory=Throttle)
    # links and sessions expire in wall time, even while a replay runs plan time faster
    wall: Clock = system_now


def address(request: Request) -> str:
    return request.client.host if request.client else "-"


def install(
    app: FastAPI, engine: Engine, now: Clock, config: PortalConfig, announce: Announce
) -> None:
    """Add the portal's pages to the API app."""

    @app.exception_handler(PortalError)
    async def _portal_error(request: Request, exc: PortalError) -> HTMLResponse:
        return page(request, "message.html", {"message": exc.message}, status=exc.status)

    def page(
        request: Request, template: str, context: dict[str, Any], status: int = 200
    ) -> HTMLResponse:
        cookie = request.cookies.get(COOKIE, "")
        response = TEMPLATES.TemplateResponse(
            request,
            template,
            {"csrf": csrf_token(config.key, cookie) if cookie else "", **context},
            status_code=status,
        )
        response.headers.update(HEADERS)
        return response

    def redirect(
        url: str, cookie: str | None = None, expires: dt.datetime | None = None
    ) -> Response:
        response = RedirectResponse(url, status_code=303)
        response.headers.update(HEADERS)
        if cookie is not None:
            response.set_cookie(
                COOKIE,
                cookie,
                max_age=max(0, int((expires - config.wall()).total_seconds())) if expires else 0,
                path="/portal",
                httponly=True,
                samesite="lax",
                secure=config.secure_cookies,
            )
        return response

    def who(request: Request, session: Session) -> Visitor:
        cookie = request.cookies.get(COOKIE)
        if not cookie:
            raise PortalError(401, "请使用提醒消息中的链接打开本页；督查室人员请先登录。")
        try:
            return visitor(session, config.key, cookie, config.wall())
        except LinkRefused as exc:
            raise PortalError(401, str(exc)) from None

    async def posted(request: Request) -> dict[str, Any]:
        """The form, after the CSRF check (403 without it: nothing is read or changed)."""
        limit = config.store.max_bytes * MAX_FILES + (1 << 20)
        if int(request.headers.get("content-length") or 0) > limit:
            raise PortalError(
                413,
                f"上传内容过大（每个文件不超过 {config.store.limit_text}，最多 {MAX_FILES} 个）。",
            )
        form = await request.form(max_files=MAX_FILES, max_fields=100)
        cookie = request.cookies.get(COOKIE, "")
        offered = form.get("csrf")
        if not cookie or not csrf_ok(
            config.key, cookie, offered if isinstance(offered, str) else None
        ):
            raise PortalError(403, "表单已失效（缺少或错误的校验码）。请返回上一页刷新后重试。")
        return {
            "values": {k: v for k, v in form.items() if isinstance(v, str)},
            "files": [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename],
        }

    def occurrence_of(
        session: Session, person: Visitor, occurrence_id: int
    ) -> tuple[Occurrence, Task]:
        row = queries.occurrence_in_plan(session, person.plan_id, occurrence_id)
        if row is None:
            raise PortalError(404, f"期次 {occurrence_id} 不存在。")
        occurrence, task = row
        if not person.is_coordinator and (
            task.owner != person.unit or person.occurrence_id not in (None, occurrence_id)
        ):
            raise PortalError(403, "这项工作不属于本链接所代表的单位，无权查看。")
        return occurrence, task

    # --- signing in -----------------------------------------------------------------------

    @app.get("/portal/l/{token}", include_in_schema=False)
    def open_link(token: str, request: Request, o: int | None = None) -> Response:
        where = address(request)
        if config.throttle.blocked(where):
            raise PortalError(429, "尝试次数过多，请 15 分钟后再试。")
        with session_scope(engine) as session:
            try:
                link = verify_link(session, config.key, token, config.wall())
            except LinkRefused as exc:
                config.throttle.failed(where)
                log.warning("portal link refused (%s) from %s", exc.reason, where)
                raise PortalError(401, str(exc)) from None
            expires = session_expiry(config.wall(), link.expires_at)
            cookie = session_cookie(config.key, "u", link.id or 0, expires)
            target = link.occurrence_id or o
        log.info("portal link %s opened by %s from %s", link.id, link.unit, where)
        return redirect(f"/portal/o/{target}" if target else "/portal/", cookie, expires)

    @app.get("/portal/login", include_in_schema=False)
    def login_page(request: Request) -> HTMLResponse:
        """The login form has no session to derive its CSRF token from: a random nonce in a
        strict cookie stands in (double submit), so no other site can sign someone in."""
        nonce = secrets.token_urlsafe(16)
        response = page(
            request,
            "login.html",
            {"title": "督查室登录", "csrf": csrf_token(config.key, f"login:{nonce}")},
        )
        response.set_cookie(
            LOGIN_COOKIE,
            nonce,
            max_age=3600,
            path="/portal/login",
            httponly=True,
            samesite="strict",
            secure=config.secure_cookies,
        )
        return response

    @app.post("/portal/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        where = address(request)
        if config.throttle.blocked(where):
            raise PortalError(429, "尝试次数过多，请 15 分钟后再试。")
        form = await request.form(max_files=0, max_fields=5)
        nonce = request.cookies.get(LOGIN_COOKIE, "")
        offered = form.get("csrf")
        if not nonce or not csrf_ok(
            config.key, f"login:{nonce}", offered if isinstance(offered, str) else None
        ):
            raise PortalError(403, "登录表单已失效，请刷新登录页后重试。")
        secret = str(form.get("token") or "").strip()
        with session_scope(engine) as session:
            token = authenticate(session, secret, config.wall()) if secret else None
            if token is None or token.role != "coordinator":
                config.throttle.failed(where)
                log.warning("portal login refused from %s", where)
                context = {
                    "title": "督查室登录",
                    "error": "令牌无效、已吊销，或不是督办协调令牌。",
                    "csrf": csrf_token(config.key, f"login:{nonce}"),
                }
                return page(request, "login.html", context, status=401)
            expires = session_expiry(config.wall(), None)
            cookie = session_cookie(config.key, "c", token.id or 0, expires)
            log.info("portal coordinator token %s signed in from %s", token.id, where)
        return redirect("/portal/review", cookie, expires)

    @app.post("/portal/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        await posted(request)
        return redirect("/portal/login", "", None)

    # --- the unit's pages -----------------------------------------------------------------

    @app.get("/portal/", include_in_schema=False)
    def home(request: Request) -> Response:
        with session_scope(engine) as session:
            person = who(request, session)
            if person.is_coordinator:
                return redirect("/portal/review")
            plan = session.get_one(Plan, person.plan_id)
            facts = queries.occurrence_facts(
                session, plan.id, Filters(unit=person.unit, occurrence=person.occurrence_id)
            )
        rows = listing(plan, [f for f in facts if f.status in IN_HAND and f.opens_at <= now()])
        return page(request, "list.html", {"title": "待办工作", "visitor": person, "rows": rows})

    def listing(plan: Plan, facts: list[queries.OccurrenceFacts]) -> list[dict[str, Any]]:
        clock, moment = plan_clock(plan), now()
        today = clock.local_date(moment)
        rows = []
        for f in facts:
            colour = (
                queries.status_colour(f, clock, moment) if f.status != Status.SUBMITTED else None
            )
            left = clock.calendar.workdays_between(today, clock.local_date(f.due_at))
            rows.append(
                {
                    "id": f.id,
                    "title": f.title,
                    "period": period_name(f),
                    "unit": f.unit,
                    "status": status_name(f.status),
                    "colour": colour,
                    "colour_name": COLOUR_NAMES.get(colour or "", ""),
                    "due": due_text(f.due_at, plan.timezone, "zh-CN"),
                    "left": "等待审核"
                    if f.status == Status.SUBMITTED
                    else left_text(left, "zh-CN"),
                    "rank": (COLOUR_RANK.get(colour or "", 3), f.due_at),
                }
            )
        return sorted(rows, key=lambda r: r["rank"])

    def detail(
        request: Request,
        occurrence_id: int,
        *,
        error: str | None = None,
        status: int = 200,
        values: dict[str, Any] | None = None,
    ) -> HTMLResponse:
        with session_scope(engine) as session:
            person = who(request, session)
            occurrence, task = occurrence_of(session, person, occurrence_id)
            plan = session.get_one(Plan, task.plan_id)
            [facts] = queries.occurrence_facts(session, plan.id, Filters(occurrence=occurrence_id))
            item = session.exec(
                select(PlanItem).where(PlanItem.plan_id == plan.id, PlanItem.code == task.item)
            ).first()
            indicator = session.exec(
                select(Indicator).where(
                    Indicator.plan_id == plan.id, Indicator.code == task.indicator
                )
            ).first()
            pending = session.exec(
                select(Extension).where(
                    Extension.occurrence_id == occurrence_id,
                    Extension.status == ExtensionStatus.PENDING,
                )
            ).first()
            history = queries.history(session, occurrence_id)
            names = queries.unit_names(session, plan.id)
        [row] = listing(plan, [facts])
        waiting = occurrence.status in WAITING
        rectification = occurrence.parent_id is not None
        context = {
            "title": task.title,
            "visitor": person,
            "row": row,
            "occurrence": occurrence,
            "task": task,
            "unit_name": names.get(task.owner, task.owner),
            "item": item,
            "indicator": indicator,
            "original_due": due_text(occurrence.original_due_at, plan.timezone, "zh-CN")
            if occurrence.original_due_at != occurrence.due_at
            else None,
            "pending": pending,
            "pending_due": due_text(pending.proposed_due_at, plan.timezone, "zh-CN")
            if pending
            else None,
            "history": history_rows(history, names, plan.timezone),
            "may_ack": not person.is_coordinator and occurrence.status == Status.OPEN,
            "may_submit": not person.is_coordinator and waiting,
            "may_extend": not person.is_coordinator and waiting and pending is None,
            "may_review": person.is_coordinator and occurrence.status == Status.SUBMITTED,
            "may_decide": person.is_coordinator and pending is not None,
            "fields": forms.fields(task.kind, rectification),
            "values": values or {},
            "error": error,
            "flash": DONE_MESSAGES.get(request.query_params.get("done", "")),
            "max_size": config.store.limit_text,
            "max_files": MAX_FILES,
        }
        return page(request, "occurrence.html", context, status=status)

    def history_rows(
        entries: list[queries.HistoryEntry], names: dict[str, str], timezone: str
    ) -> list[dict[str, Any]]:
        rows = []
        for e in entries:
            d = e.detail
            when = due_text(e.at, timezone, "zh-CN")
            if e.what == "status":
                before = status_name(str(d["from"])) if d["from"] else "—"
                after = status_name(str(d["to"]))
                text = after if d["from"] == d["to"] else f"{before} → {after}"
                rows.append(
                    {
                        "when": when,
                        "text": text,
                        "note": d["note"] or "",
                        "actor": d["actor"],
                        "files": files_in(d["evidence"]),
                        "links": [x for x in d["evidence"] if isinstance(x, str)],
                    }
                )
            else:
                rows.append(
                    {
                        "when": when,
                        "text": f"提醒（{d['stage']}）",
                        "note": "",
                        "actor": names.get(str(d["recipient"]), str(d["recipient"])),
                        "files": [],
                        "links": [],
                    }
                )
        return rows

    @app.get("/portal/o/{occurrence_id}", include_in_schema=False)
    def show(occurrence_id: int, request: Request) -> HTMLResponse:
        return detail(request, occurrence_id)

    def act(
        request: Request,
        occurrence_id: int,
        what: str,
        change: Callable[[Session, Visitor, Occurrence, Task, str], Any],
        values: dict[str, Any],
    ) -> Response:
        """Run one action in one transaction; refused → the page again, with the reason."""
        try:
            with session_scope(engine) as session:
                person = who(request, session)
                occurrence, task = occurrence_of(session, person, occurrence_id)
                actor = person.actor(address(request))
                done = change(session, person, occurrence, task, actor)
        except actions.ActionRefused as exc:
            return detail(request, occurrence_id, error=str(exc), status=409, values=values)
        except EvidenceRefused as exc:
            return detail(request, occurrence_id, error=str(exc), status=exc.status, values=values)
        except forms.FormRefused as exc:
            return detail(request, occurrence_id, error=str(exc), status=422, values=values)
        if done:
            announce(done, occurrence_id, actor)
        log.info("portal %s on occurrence %s by %s", what, occurrence_id, actor)
        return redirect(f"/portal/o/{occurrence_id}?done={what}")

    @app.post("/portal/o/{occurrence_id}/ack", include_in_schema=False)
    async def acknowledge(occurrence_id: int, request: Request) -> Response:
        form = await posted(request)

        def change(s: Session, person: Visitor, o: Occurrence, t: Task, actor: str) -> str | None:
            event = actions.acknowledge(
                session=s, occurrence_id=occurrence_id, actor=actor, now=now()
            )
            return "acknowledged" if event else None

        return act(request, occurrence_id, "acknowledged", change, form["values"])

    @app.post("/portal/o/{occurrence_id}/submit", include_in_schema=False)
    async def submit(occurrence_id: int, request: Request) -> Response:
        form = await posted(request)
        values, uploads = form["values"], form["files"]
        saved: list[dict[str, Any]] = []

        def change(s: Session, person: Visitor, o: Occurrence, t: Task, actor: str) -> str:
            rectification = o.parent_id is not None
            data = forms.parse(t.kind, values, rectification)
            if o.status not in WAITING:
                # refuse before storing any file: the domain function says why
                actions.submit(session=s, occurrence_id=occurrence_id, actor=actor, now=now())
            for upload in uploads:  # every file checked before any is stored
                config.store.check(upload.filename or "", upload.size)
            saved.extend(config.store.save(u.filename or "", u.file) for u in uploads)
            actions.submit_report(
                session=s,
                occurrence_id=occurrence_id,
                actor=actor,
                now=now(),
                form="rectification" if rectification else t.kind,
                data=data,
                value=None if rectification else measured_value(t.kind, data),
                files=saved,
                repeat_refused=True,
            )
            return "submitted"

        return act(request, occurrence_id, "submitted", change, values)

    @app.post("/portal/o/{occurrence_id}/extension", include_in_schema=False)
    async def extension(occurrence_id: int, request: Request) -> Response:
        form = await posted(request)
        values = form["values"]

        def change(s: Session, person: Visitor, o: Occurrence, t: Task, actor: str) -> str:
            day = parse_day(values.get("due_date"))
            actions.request_extension(
                session=s,
                occurrence_id=occurrence_id,
                actor=actor,
                now=now(),
                proposed_due_at=actions.due_on(s, o, day),
                reason=values.get("reason") or "",
            )
            return "extension-requested"

        return act(request, occurrence_id, "extension", change, values)

    def coordinator_only(person: Visitor) -> None:
        if not person.is_coordinator:
            raise PortalError(403, "只有督查室可以审核和批复。")

    @app.post("/portal/o/{occurrence_id}/review", include_in_schema=False)
    async def review(occurrence_id: int, request: Request) -> Response:
        form = await posted(request)
        values = form["values"]
        accept = values.get("decision") == "accept"

        def change(s: Session, person: Visitor, o: Occurrence, t: Task, actor: str) -> str:
            coordinator_only(person)
            event = actions.review(
                session=s,
                occurrence_id=occurrence_id,
                actor=actor,
                now=now(),
                accept=accept,
                reason=values.get("reason"),
            )
            return str(event.to_status)

        return act(request, occurrence_id, "accepted" if accept else "returned", change, values)

    @app.post("/portal/o/{occurrence_id}/decide", include_in_schema=False)
    async def decide(occurrence_id: int, request: Request) -> Response:
        form = await posted(request)
        values = form["values"]
        approve = values.get("decision") == "approve"

        def change(s: Session, person: Visitor, o: Occurrence, t: Task, actor: str) -> str:
            coordinator_only(person)
            text = values.get("due_date")
            actions.decide_extension(
                session=s,
                occurrence_id=occurrence_id,
                actor=actor,
                now=now(),
                approve=approve,
                new_due_at=actions.due_on(s, o, parse_day(text)) if text else None,
                note=values.get("note") or None,
            )
            return "extended" if approve else "extension-refused"

        return act(
            request, occurrence_id, "extended" if approve else "extension-refused", change, values
        )

    @app.get("/portal/o/{occurrence_id}/files/{sha256}", include_in_schema=False)
    def evidence_file(occurrence_id: int, sha256: str, request: Request) -> Response:
        with session_scope(engine) as session:
            person = who(request, session)
            occurrence_of(session, person, occurrence_id)
            rows = session.exec(
                select(StatusEvent.evidence).where(StatusEvent.occurrence_id == occurrence_id)
            ).all()
        entry = next((f for e in rows for f in files_in(e) if f["sha256"] == sha256), None)
        if entry is None:
            raise PortalError(404, "这项工作没有这个文件。")
        response = Response(config.store.read(sha256), media_type=entry["type"])
        response.headers.update(HEADERS)
        response.headers["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(entry['file'])}"
        )
        return response

    # --- the coordinators' page -----------------------------------------------------------

    @app.get("/portal/review", include_in_schema=False)
    def review_list(request: Request) -> HTMLResponse:
        with session_scope(engine) as session:
            person = who(request, session)
            coordinator_only(person)
            plan = session.get_one(Plan, person.plan_id)
            facts = queries.occurrence_facts(session, plan.id, Filters(status=Status.SUBMITTED))
            asked = session.exec(
                select(Extension.occurrence_id)
                .join(Occurrence, col(Occurrence.id) == Extension.occurrence_id)
                .join(Task)
                .where(Task.plan_id == plan.id, Extension.status == ExtensionStatus.PENDING)
            ).all()
            extensions = [
                f
                for occurrence_id in sorted(set(asked))
                for f in queries.occurrence_facts(
                    session, plan.id, Filters(occurrence=occurrence_id)
                )
            ]
            names = queries.unit_names(session, plan.id)
        context = {
            "title": "待审核",
            "visitor": person,
            "submitted": listing(plan, facts)[:REVIEW_PAGE],
            "submitted_total": len(facts),
            "extensions": listing(plan, extensions),
            "names": names,
        }
        return page(request, "review.html", context)


def period_name(f: queries.OccurrenceFacts) -> str:
    """ "2022年第一季度" label of a repeating task's occurrence, read off its key (the
    original local due date; a rectification's key starts with its inspection's); empty for a
    one-off task."""
    try:
        day = dt.date.fromisoformat(f.key.split("/", 1)[0])
    except ValueError:
        return ""
    return f"{day.year}年第{'一二三四'[(day.month - 1) // 3]}季度"


def parse_day(text: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise forms.FormRefused("请选择新的截止日期（年-月-日）。") from None

"""A unit's pages: its list of work in hand, and on an occurrence 签收, 报送 (the kind's form,
links and files) and 延期申请."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from duban.models import Occurrence, Plan, Task
from duban.models.db import session_scope
from duban.models.status import IN_HAND, WAITING, Status
from duban.portal import forms, views
from duban.portal.occurrence import act
from duban.portal.web import config, engine, page, plan_now, posted, redirect, who
from duban.tasks.access.links import Visitor
from duban.tasks.audit import queries
from duban.tasks.audit.queries import Filters
from duban.tasks.work import actions
from duban.tasks.work.evidence import CHUNK
from duban.tasks.work.forms import measured_value, report_kind

router = APIRouter(prefix="/portal", include_in_schema=False)


@router.get("/")
def home(request: Request) -> Response:
    now = plan_now(request)
    with session_scope(engine(request)) as session:
        person = who(request, session)
        if person.is_coordinator:
            return redirect(request, "/portal/review")
        plan = session.get_one(Plan, person.plan_id)
        facts = queries.occurrence_facts(
            session, plan.id, Filters(unit=person.unit, occurrence=person.occurrence_id)
        )
    rows = views.listing(plan, [f for f in facts if f.status in IN_HAND and f.opens_at <= now], now)
    return page(request, "list.html", {"title": "待办工作", "visitor": person, "rows": rows})


@router.post("/o/{occurrence_id}/ack")
async def acknowledge(occurrence_id: int, request: Request) -> Response:
    form = await posted(request)

    def change(s: Session, person: Visitor, o: Occurrence, t: Task, actor: str) -> str | None:
        event = actions.acknowledge(
            session=s, occurrence_id=occurrence_id, actor=actor, now=plan_now(request)
        )
        return Status.ACKNOWLEDGED if event else None

    return act(request, occurrence_id, Status.ACKNOWLEDGED, change, form.values)


@router.post("/o/{occurrence_id}/submit")
async def submit(occurrence_id: int, request: Request) -> Response:
    form = await posted(request)
    store = config(request).store

    def change(s: Session, person: Visitor, o: Occurrence, t: Task, actor: str) -> str:
        kind = report_kind(t.kind, o.duty)
        data = forms.parse(kind, form.values)
        if o.status not in WAITING:
            # refuse before storing any file: the domain function says why
            actions.submit(
                session=s, occurrence_id=occurrence_id, actor=actor, now=plan_now(request)
            )
        for upload in form.files:  # every file checked before any is stored
            store.check(upload.filename or "", upload.size, upload.file.read(CHUNK))
            upload.file.seek(0)
        saved: list[dict[str, Any]] = [store.save(u.filename or "", u.file) for u in form.files]
        actions.submit_report(
            session=s,
            occurrence_id=occurrence_id,
            actor=actor,
            now=plan_now(request),
            form=kind,
            data=data,
            value=measured_value(kind, data),
            files=saved,
            repeat_refused=True,
        )
        return Status.SUBMITTED

    return act(request, occurrence_id, Status.SUBMITTED, change, form.values)


@router.post("/o/{occurrence_id}/extension")
async def extension(occurrence_id: int, request: Request) -> Response:
    form = await posted(request)

    def change(s: Session, person: Visitor, o: Occurrence, t: Task, actor: str) -> str:
        actions.request_extension(
            session=s,
            occurrence_id=occurrence_id,
            actor=actor,
            now=plan_now(request),
            proposed_due_at=actions.due_on(s, o, views.parse_day(form.values.get("due_date"))),
            reason=form.values.get("reason") or "",
        )
        return "extension-requested"

    return act(request, occurrence_id, "extension", change, form.values)

"""One occurrence's page (`/portal/o/{id}`), its evidence files, and how every action on it
runs: one `tasks.work.actions` call in one transaction, then announced; a refusal shows the
page again with the reason and what was typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, select

from duban.models import Occurrence, StatusEvent, Task
from duban.models.db import session_scope
from duban.portal import forms, views
from duban.portal.web import (
    HEADERS,
    PortalError,
    address,
    announce,
    config,
    engine,
    log,
    occurrence_of,
    page,
    plan_now,
    redirect,
    who,
)
from duban.tasks.access.links import Visitor
from duban.tasks.work import actions
from duban.tasks.work.evidence import MAX_FILES, EvidenceRefused, files_in

router = APIRouter(prefix="/portal/o/{occurrence_id}", include_in_schema=False)
Change = Callable[[Session, Visitor, Occurrence, Task, str], str | None]
DONE_MESSAGES = {
    "acknowledged": "已签收。",
    "submitted": "已报送，等待督查室审核。",
    "extension": "延期申请已提交，等待审批。",
    "accepted": "已审核通过（办结）。",
    "returned": "已退办，单位会收到提醒。",
    "extended": "已同意延期。",
    "extension-refused": "已不同意延期。",
}


def render(
    request: Request,
    occurrence_id: int,
    *,
    error: str | None = None,
    status: int = 200,
    values: dict[str, Any] | None = None,
) -> HTMLResponse:
    with session_scope(engine(request)) as session:
        person = who(request, session)
        occurrence, task = occurrence_of(session, person, occurrence_id)
        context = views.detail(session, person, occurrence, task, plan_now(request))
    context.update(
        values=values or {},
        error=error,
        flash=DONE_MESSAGES.get(request.query_params.get("done", "")),
        max_size=config(request).store.limit_text,
        max_files=MAX_FILES,
    )
    return page(request, "occurrence.html", context, status=status)


@router.get("")
def show(occurrence_id: int, request: Request) -> HTMLResponse:
    return render(request, occurrence_id)


def act(
    request: Request, occurrence_id: int, done: str, change: Change, values: dict[str, Any]
) -> Response:
    """Run one action in one transaction; refused → the page again, with the reason.
    `change` returns what to announce (None: nothing changed); `done` names the outcome."""
    try:
        with session_scope(engine(request)) as session:
            person = who(request, session)
            occurrence, task = occurrence_of(session, person, occurrence_id, acting=True)
            actor = person.actor(address(request))
            what = change(session, person, occurrence, task, actor)
    except actions.ActionRefused as exc:
        return render(request, occurrence_id, error=str(exc), status=409, values=values)
    except EvidenceRefused as exc:
        return render(request, occurrence_id, error=str(exc), status=exc.status, values=values)
    except forms.FormRefused as exc:
        return render(request, occurrence_id, error=str(exc), status=422, values=values)
    if what:
        announce(request, what, occurrence_id, actor)
    log.info("portal %s on occurrence %s by %s", done, occurrence_id, actor)
    return redirect(request, f"/portal/o/{occurrence_id}?done={done}")


@router.get("/files/{sha256}")
def evidence_file(occurrence_id: int, sha256: str, request: Request) -> Response:
    """A file of this occurrence's ledger, to whoever may see the occurrence."""
    with session_scope(engine(request)) as session:
        occurrence_of(session, who(request, session), occurrence_id)
        rows = session.exec(
            select(StatusEvent.evidence).where(StatusEvent.occurrence_id == occurrence_id)
        ).all()
    entry = next((f for e in rows for f in files_in(e) if f["sha256"] == sha256), None)
    if entry is None:
        raise PortalError(404, "这项工作没有这个文件。")
    response = Response(config(request).store.read(sha256), media_type=entry["type"])
    response.headers.update(HEADERS)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(entry['file'])}"
    return response

"""What units and coordinators do over HTTP: 签收, 报送, 审核, 延期申请 and 批复 — each one
`tasks.work.actions` call, committed before the answer (the caller may read it back at once),
then announced: the Prefect event, and a waiting flow run woken if this was its step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlmodel import Session

from duban.api.deps import Coordinator, Now, Principal, SessionDep, Writer, aware, own
from duban.api.deps import refused_as_409 as refused
from duban.flows.events import announce
from duban.models.status import Status
from duban.tasks.work import actions


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


router = APIRouter(prefix="/api/occurrences/{occurrence_id}")


def perform(
    request: Request,
    s: Session,
    who: Principal,
    occurrence_id: int,
    now: dt.datetime,
    action: Callable[..., Any],
    what: str | Callable[[Any], str | None],
    **arguments: Any,
) -> Any:
    """Check the caller may touch the occurrence, make the change — `action(session=…,
    occurrence_id=…, actor=…, now=…, **arguments)`, one `tasks.work.actions` function, 409
    when refused — commit, then announce `what` (or `what(result)`; nothing when None)."""
    own(s, who, occurrence_id)
    result = refused(
        lambda: action(
            session=s, occurrence_id=occurrence_id, actor=who.who(), now=now, **arguments
        )
    )
    s.commit()  # before the answer: the caller may read it back at once
    if (name := what if isinstance(what, str) else what(result)) is not None:
        announce(request.app.state.engine, name, occurrence_id, who.who())
    return result


@router.post("/acknowledge", summary="签收")
def acknowledge(
    occurrence_id: int, request: Request, s: SessionDep, who: Writer, now: Now
) -> dict[str, Any]:
    event = perform(
        request,
        s,
        who,
        occurrence_id,
        now,
        actions.acknowledge,
        lambda event: Status.ACKNOWLEDGED if event is not None else None,
    )
    return {"id": occurrence_id, "status": Status.ACKNOWLEDGED, "changed": event is not None}


@router.post("/submit", summary="报送")
def submit(
    occurrence_id: int, body: Submission, request: Request, s: SessionDep, who: Writer, now: Now
) -> dict[str, Any]:
    event = perform(
        request, s, who, occurrence_id, now, actions.submit, Status.SUBMITTED, **body.model_dump()
    )
    return {"id": occurrence_id, "status": Status.SUBMITTED, "event": event.id}


@router.post("/review", summary="审核：办结或退办")
def review(
    occurrence_id: int, body: Review, request: Request, s: SessionDep, who: Coordinator, now: Now
) -> dict[str, Any]:
    event = perform(
        request,
        s,
        who,
        occurrence_id,
        now,
        actions.review,
        lambda e: e.to_status,
        **body.model_dump(),
    )
    return {"id": occurrence_id, "status": event.to_status, "event": event.id}


@router.post("/extension", summary="延期申请")
def extension(
    occurrence_id: int,
    body: ExtensionRequest,
    request: Request,
    s: SessionDep,
    who: Writer,
    now: Now,
) -> dict[str, Any]:
    asked = perform(
        request,
        s,
        who,
        occurrence_id,
        now,
        actions.request_extension,
        "extension-requested",
        proposed_due_at=aware(body.due_at),
        reason=body.reason,
    )
    return {"id": asked.id, "occurrence": occurrence_id, "status": asked.status}


@router.post("/extension/decision", summary="批复延期")
def decide(
    occurrence_id: int,
    body: ExtensionDecision,
    request: Request,
    s: SessionDep,
    who: Coordinator,
    now: Now,
) -> dict[str, Any]:
    decided = perform(
        request,
        s,
        who,
        occurrence_id,
        now,
        actions.decide_extension,
        "extended" if body.approve else "extension-refused",
        approve=body.approve,
        new_due_at=aware(body.due_at) if body.due_at else None,
        note=body.note,
    )
    return {"id": decided.id, "occurrence": occurrence_id, "status": decided.status}

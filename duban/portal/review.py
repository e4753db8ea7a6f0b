"""The coordinators' pages: the submissions waiting for review (the longest waiting first) and
the pending extension requests; on an occurrence 通过 / 退办 and 批复延期."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, select

from duban.models import Extension, Occurrence, Plan, Task
from duban.models.db import session_scope
from duban.models.status import ExtensionStatus, Status
from duban.portal import views
from duban.portal.occurrence import act
from duban.portal.web import coordinator_only, engine, page, plan_now, posted, who
from duban.tasks.access.links import Visitor
from duban.tasks.audit import queries
from duban.tasks.audit.queries import Filters
from duban.tasks.audit.rollup import rollups
from duban.tasks.timeline.calendar import plan_clock
from duban.tasks.work import actions

router = APIRouter(prefix="/portal", include_in_schema=False)
REVIEW_PAGE = 100  # submissions shown at once, the longest waiting first


@router.get("/review")
def review_list(request: Request) -> HTMLResponse:
    now = plan_now(request)
    with session_scope(engine(request)) as session:
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
            for f in queries.occurrence_facts(session, plan.id, Filters(occurrence=occurrence_id))
        ]
        names = queries.unit_names(session, plan.id)
        split = rollups(
            queries.occurrence_facts(session, plan.id),
            clock=plan_clock(plan),
            now=now,
            split_only=True,
        )
    context = {
        "title": "待审核",
        "visitor": person,
        "submitted": views.listing(plan, facts, now)[:REVIEW_PAGE],
        "submitted_total": len(facts),
        "extensions": views.listing(plan, extensions, now),
        "names": names,
        "rollups": [r for r in split if not r.closed],
    }
    return page(request, "review.html", context)


@router.post("/o/{occurrence_id}/review")
async def review(occurrence_id: int, request: Request) -> Response:
    form = await posted(request)
    accept = form.values.get("decision") == "accept"

    def change(s: Session, person: Visitor, o: Occurrence, t: Task, actor: str) -> str:
        coordinator_only(person)
        event = actions.review(
            session=s,
            occurrence_id=occurrence_id,
            actor=actor,
            now=plan_now(request),
            accept=accept,
            reason=form.values.get("reason"),
        )
        return str(event.to_status)

    done = Status.ACCEPTED if accept else Status.RETURNED
    return act(request, occurrence_id, done, change, form.values)


@router.post("/o/{occurrence_id}/decide")
async def decide(occurrence_id: int, request: Request) -> Response:
    form = await posted(request)
    approve = form.values.get("decision") == "approve"
    done = "extended" if approve else "extension-refused"

    def change(s: Session, person: Visitor, o: Occurrence, t: Task, actor: str) -> str:
        coordinator_only(person)
        text = form.values.get("due_date")
        actions.decide_extension(
            session=s,
            occurrence_id=occurrence_id,
            actor=actor,
            now=plan_now(request),
            approve=approve,
            new_due_at=actions.due_on(s, o, views.parse_day(text)) if text else None,
            note=form.values.get("note") or None,
        )
        return done

    return act(request, occurrence_id, done, change, form.values)

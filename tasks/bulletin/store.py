"""Bulletins in the database: the snapshot they are composed from, and each one as sent.

A bulletin is written (its Markdown exactly as sent, its SHA-256 appended to the ledger)
before any message goes out; its recipients' outcomes are recorded on the row. One row per
plan, cadence and period (`uq_bulletin_period`): asking again returns the stored one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlmodel import Session, col, select

from duban.models import Bulletin, Plan, Unit
from duban.tasks.audit.indicators import indicators
from duban.tasks.audit.queries import occurrence_facts, unit_names
from duban.tasks.audit.scores import plan_rules
from duban.tasks.bulletin.compose import BulletinContent, as_of, compose
from duban.tasks.bulletin.period import BulletinPeriod
from duban.tasks.timeline.calendar import plan_clock
from duban.tasks.work.ledger import record as ledger_record

ROLES = {"leaders": "leader", "coordinators": "coordinator", "units": "unit"}
DEFAULT_AUDIENCE = ("leaders", "coordinators")


def settings_of(plan: Plan) -> dict[str, Any]:
    """The plan's `bulletin:` section (its defaults when the plan has none)."""
    found = (plan.settings or {}).get("bulletin") or {}
    return {"every": "week", "to": list(DEFAULT_AUDIENCE), "bottom": 3, "time": "09:00", **found}


def previous(session: Session, plan_id: str, period: BulletinPeriod) -> Bulletin | None:
    """The latest stored bulletin of the same cadence before this period."""
    return session.exec(
        select(Bulletin)
        .where(
            Bulletin.plan_id == plan_id,
            Bulletin.cadence == period.cadence,
            col(Bulletin.period) < period.label,
        )
        .order_by(col(Bulletin.period).desc())
        .limit(1)
    ).first()


def stored(session: Session, plan_id: str, period: BulletinPeriod) -> Bulletin | None:
    return session.exec(
        select(Bulletin).where(
            Bulletin.plan_id == plan_id,
            Bulletin.cadence == period.cadence,
            Bulletin.period == period.label,
        )
    ).first()


def content_for(
    session: Session, plan: Plan, period: BulletinPeriod, now: dt.datetime
) -> BulletinContent:
    """Compose the period's bulletin from the record as it stands."""
    clock = plan_clock(plan)
    before = previous(session, plan.id, period)
    moment = as_of(period, clock, now)
    return compose(
        plan_title=plan.title,
        period=period,
        facts=occurrence_facts(session, plan.id),
        measured=indicators(session, plan.id, now=moment, clock=clock),
        names=unit_names(session, plan.id),
        rules=plan_rules(plan.settings),
        bottom=int(settings_of(plan)["bottom"]),
        previous=before.snapshot if before else None,
        clock=clock,
        now=now,
    )


def audience(session: Session, plan: Plan, to: list[str] | None = None) -> list[Unit]:
    """The units a bulletin goes to: by role (leaders, coordinators, every unit)."""
    roles = [ROLES[name] for name in (to or settings_of(plan)["to"])]
    return list(
        session.exec(
            select(Unit)
            .where(Unit.plan_id == plan.id, col(Unit.active), col(Unit.role).in_(roles))
            .order_by(col(Unit.id))
        )
    )


def sha256(markdown: str) -> str:
    return hashlib.sha256(markdown.encode("utf-8")).hexdigest()


def record(
    session: Session,
    *,
    plan: Plan,
    content: BulletinContent,
    markdown: str,
    recipients: list[Unit],
    now: dt.datetime,
) -> Bulletin:
    """Store the bulletin and append its SHA-256 to the ledger, in the caller's transaction."""
    digest = sha256(markdown)
    event = ledger_record(
        session=session,
        to_status="bulletin",
        actor="duban:bulletin",
        now=now,
        note=f"督办通报 {content.period.cadence} {content.period.label} sha256:{digest}",
    )
    row = Bulletin(
        plan_id=plan.id,
        cadence=content.period.cadence,
        period=content.period.label,
        title=content.title,
        composed_at=now,
        markdown=markdown,
        sha256=digest,
        snapshot=content.snapshot(),
        recipients=[
            {"unit": u.code, "name": u.name, "role": u.role, "status": "pending"}
            for u in recipients
        ],
        ledger_event_id=event.id,
    )
    session.add(row)
    session.flush()
    return row


def listing(session: Session, plan_id: str) -> list[Bulletin]:
    return list(
        session.exec(
            select(Bulletin)
            .where(Bulletin.plan_id == plan_id)
            .order_by(col(Bulletin.composed_at).desc(), col(Bulletin.id).desc())
        )
    )

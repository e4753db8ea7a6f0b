"""Issuing a period's bulletin: find it stored, or compose, render and store it — then the files
its e-mail carries. The sending itself is `deliver`; the clock and the channels are the caller's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlmodel import Session, col, select

from duban.models import Bulletin, Plan, Unit
from duban.tasks.audit.queries import Filters, Period
from duban.tasks.audit.report import build_report
from duban.tasks.bulletin.compose import as_of
from duban.tasks.bulletin.period import BulletinPeriod
from duban.tasks.bulletin.render import markdown
from duban.tasks.bulletin.store import audience, content_for, record, stored
from duban.tasks.timeline.calendar import plan_clock


def issue(
    session: Session,
    plan: Plan,
    period: BulletinPeriod,
    *,
    now: dt.datetime,
    to: list[str] | None = None,
    link: str | None = None,
) -> tuple[Bulletin, bool]:
    """The period's bulletin and whether it was made now (False: it was already stored)."""
    found = stored(session, plan.id, period)
    if found is not None:
        return found, False
    content = content_for(session, plan, period, now)
    text = markdown(content, link)
    return record(
        session,
        plan=plan,
        content=content,
        markdown=text,
        recipients=audience(session, plan, to),
        now=now,
    ), True


def tags_of(session: Session, plan_id: str) -> dict[str, list[str]]:
    """Each unit's channel tags in order of preference (its code when it names none)."""
    units = session.exec(select(Unit).where(Unit.plan_id == plan_id, col(Unit.active)))
    return {u.code: list(u.notify) or [u.code] for u in units}


def attachments(
    session: Session, plan: Plan, period: BulletinPeriod, now: dt.datetime, directory: Path
) -> list[Path]:
    """The auditors' report for the year up to the period's end, as xlsx and HTML."""
    year = Period(str(plan.year), dt.date(plan.year, 1, 1), dt.date(plan.year, 12, 31))
    title = f"{plan.title} · 督办通报附件 · {period.name}"
    moment = as_of(period, plan_clock(plan), now)
    report = build_report(session, plan, Filters(period=year), moment, title)
    stem = f"duban-{period.cadence}-{period.label}"
    xlsx, page = directory / f"{stem}.xlsx", directory / f"{stem}.html"
    report.save_xlsx(xlsx)
    report.save_html(page)
    return [xlsx, page]

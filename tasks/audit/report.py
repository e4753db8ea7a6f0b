"""The auditors' report as files: the views and charts `duban report` and the 督办通报's e-mail
attach — one function, so the bulletin's attachment is the report an auditor would export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from duban.models import Plan
from duban.tasks.audit.exports import Chart, charts_for, save_html, save_xlsx
from duban.tasks.audit.indicators import indicators
from duban.tasks.audit.queries import Filters, monthly, occurrence_facts, summary, unit_names
from duban.tasks.audit.scores import plan_rules, scores, scores_view
from duban.tasks.audit.views import VIEWS, View, report_views
from duban.tasks.timeline.calendar import plan_clock

SHEETS = (*VIEWS, "scores")


@dataclass
class Report:
    title: str
    views: dict[str, View]  # by name, in `SHEETS` order
    charts: list[Chart]

    def save_xlsx(self, path: Path) -> None:
        save_xlsx([self.views[name] for name in SHEETS], path)

    def save_html(self, path: Path) -> None:
        tables = [self.views[name] for name in SHEETS[1:]]  # the detail sheet is for Excel
        save_html(self.title, self.charts, tables, path)


def build_report(
    session: Session, plan: Plan, filters: Filters, now: dt.datetime, title: str | None = None
) -> Report:
    """Every view of the plan's occurrences that pass the filters, judged at `now`."""
    clock = plan_clock(plan)
    facts = occurrence_facts(session, plan.id, filters)
    names = unit_names(session, plan.id)
    measured = indicators(session, plan.id, now=now, clock=clock)
    views = report_views(facts, measured, names, clock, now)
    ranked = scores(facts, plan_rules(plan.settings), names=names, clock=clock, now=now)
    views["scores"] = scores_view(ranked, clock.zone)
    by_unit = summary(facts, by="unit", names=names, clock=clock, now=now)
    charts = charts_for(by_unit, monthly(facts, clock, now), measured)
    label = f" · {filters.period.label}" if filters.period else ""
    return Report(title or f"{plan.title} · 督办审计报表{label}", views, charts)

"""`duban plan import`: the checked plan file becomes rows, as one idempotent diff.

Rows are matched by their plan-file id. Unchanged rows are not touched; changed rows
are updated in place; rows gone from the file are deactivated (never deleted: the
ledger refers to them). Every difference is recorded as a `PlanChange`.
The caller owns the transaction, so an import is all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, SQLModel, col, select

from duban.models import Indicator, Occurrence, Plan, PlanChange, PlanItem, Task, Unit
from duban.tasks.plan.assign import resolve
from duban.tasks.plan.schema import PlanSpec, ReminderPolicySpec, TaskSpec, UnderSpec, item_code


@dataclass
class ImportResult:
    plan_id: str
    created: bool
    changes: list[PlanChange] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)


def desired_rows(spec: PlanSpec) -> dict[type[SQLModel], dict[str, dict[str, Any]]]:
    """What the database should hold for this plan, by table and code."""
    defaults = spec.defaults.reminders

    def policy(override: ReminderPolicySpec | None) -> dict[str, Any]:
        merged = defaults.model_dump(mode="json")
        if override is not None:
            merged.update(override.model_dump(mode="json", exclude_unset=True))
        return ReminderPolicySpec.model_validate(merged).model_dump(mode="json")

    parents = {u.code: u.parent for u in spec.units}

    def units(task: TaskSpec) -> list[str]:
        given = task.units.model_dump() if isinstance(task.units, UnderSpec) else task.units
        return resolve(given, owner=task.owner, groups=spec.groups, parents=parents).units

    return {
        PlanItem: {
            item_code(i.path) or "": {"path": i.path, "title": i.title, "position": n}
            for n, i in enumerate(spec.items)
        },
        Unit: {
            u.code: {
                "name": u.name,
                "role": u.role,
                "parent": u.parent,
                "notify": u.notify if u.notify is not None else [u.code],
                "contact": u.contact,
                "digest": u.digest if u.digest is not None else spec.defaults.digest,
            }
            for u in spec.units
        },
        Indicator: {
            i.id: {
                "item": item_code(i.item),
                "name": i.name,
                "comparator": i.target.comparator,
                "target_value": i.target.value,
                "target_unit": i.target.unit,
                "baseline": i.target.baseline,
                "owner": i.owner,
                "shares": i.shares or {},
                "report": i.report.model_dump(mode="json") if i.report else {},
            }
            for i in spec.indicators
        },
        Task: {
            t.id: {
                "item": item_code(t.item),
                "title": t.title,
                "kind": t.kind,
                "owner": t.owner,
                "units": units(t),
                "cooperating": t.cooperating,
                "indicator": t.indicator,
                "target": t.target.model_dump(mode="json") if t.target else None,
                "schedule": t.schedule.model_dump(mode="json"),
                "reminders": policy(t.reminders),
                "deliverable": t.deliverable,
            }
            for t in spec.tasks
        },
    }


ENTITY_NAMES: dict[type[SQLModel], str] = {
    PlanItem: "item",
    Unit: "unit",
    Indicator: "indicator",
    Task: "task",
}


def import_plan(*, session: Session, spec: PlanSpec, now: datetime) -> ImportResult:
    header = spec.plan
    plan_fields: dict[str, Any] = {
        "title": header.title,
        "year": header.year,
        "timezone": header.timezone,
        "calendar": spec.calendar.model_dump(mode="json"),
        "settings": {
            "scoring": spec.scoring.model_dump(mode="json"),
            "bulletin": spec.bulletin.model_dump(mode="json") if spec.bulletin else None,
        },
    }
    plan = session.get(Plan, header.id)
    result = ImportResult(plan_id=header.id, created=plan is None)
    if plan is None:
        plan = Plan(id=header.id, source=header.source, imported_at=now, **plan_fields)
        session.add(plan)
        result.changes.append(_change(header.id, now, "plan", header.id, "added", {}))
    else:
        diff = _apply(plan, {**plan_fields, "source": header.source})
        if diff:
            result.changes.append(_change(header.id, now, "plan", header.id, "changed", diff))
    session.flush()

    for table, rows in desired_rows(spec).items():
        result.changes += _sync(session, table, header.id, rows, now)
    if result.changes and not result.created:
        plan.imported_at = now
        # policies, units or the calendar may have changed: the reminder sweep re-examines all
        tasks = select(Task.id).where(Task.plan_id == header.id)
        session.execute(
            update(Occurrence)
            .where(col(Occurrence.task_id).in_(tasks.scalar_subquery()))
            .values(next_reminder_at=None)
        )
    session.add_all(result.changes)
    session.flush()
    return result


def _sync(
    session: Session,
    table: type[SQLModel],
    plan_id: str,
    rows: dict[str, dict[str, Any]],
    now: datetime,
) -> list[PlanChange]:
    entity = ENTITY_NAMES[table]
    existing = {
        row.code: row  # type: ignore[attr-defined]
        for row in session.exec(select(table).where(table.plan_id == plan_id))  # type: ignore[attr-defined]
    }
    changes: list[PlanChange] = []
    for code, values in rows.items():
        row = existing.get(code)
        if row is None:
            session.add(table(plan_id=plan_id, code=code, active=True, **values))
            changes.append(_change(plan_id, now, entity, code, "added", {}))
            continue
        restored = not row.active  # type: ignore[attr-defined]
        diff = _apply(row, {**values, "active": True})
        if diff:
            action = "restored" if restored else "changed"
            changes.append(_change(plan_id, now, entity, code, action, diff))
    for code, row in existing.items():
        if code not in rows and row.active:  # type: ignore[attr-defined]
            row.active = False  # type: ignore[attr-defined]
            changes.append(_change(plan_id, now, entity, code, "removed", {}))
    return changes


def _apply(row: SQLModel, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the fields that differ; return {field: [old, new]} for each of them."""
    diff: dict[str, list[Any]] = {}
    for name, new in values.items():
        old = getattr(row, name)
        if old != new:
            diff[name] = [old, new]
            setattr(row, name, new)
    return diff


def _change(
    plan_id: str, now: datetime, entity: str, code: str, action: str, diff: dict[str, Any]
) -> PlanChange:
    return PlanChange(
        plan_id=plan_id, at=now, entity=entity, code=code, action=action, changes=diff
    )

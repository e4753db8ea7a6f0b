"""What the plan file says: the plan, its tree, units, indicators and tasks.

Rows are keyed by the plan file's own identifiers (`code`) within a plan, so that
re-importing a file is a diff by key. A row that disappears from the file is
deactivated (`active = False`), never deleted: occurrences and the ledger refer to it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from duban.models.types import JSONType, UTCDateTime

KINDS = ("inspection", "evaluation", "recruitment", "training", "construction", "event", "other")
COMPARATORS = (">=", "<=", "~")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Plan(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=64)
    title: str
    year: int
    timezone: str = "Asia/Shanghai"
    calendar: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType))
    # the plan's own rules beyond its entries: {"scoring": {...}, "bulletin": {...} | None}
    settings: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONType, nullable=False)
    )
    source: str | None = None
    imported_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class PlanItem(SQLModel, table=True):
    __tablename__ = "plan_item"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id", index=True)
    code: str  # the path joined with "/", e.g. "四/(一)/1"
    path: list[str] = Field(sa_column=Column(JSONType, nullable=False))
    title: str
    position: int = 0
    active: bool = True


class Unit(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id", index=True)
    code: str
    name: str
    parent: str | None = None  # code of the unit or leader escalated to
    role: str = "unit"  # unit | leader | coordinator
    notify: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    contact: str | None = None
    # 每日汇总: non-urgent reminders held to the next working morning, sent as one message
    digest: bool = False
    active: bool = True


class Indicator(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint(_in("comparator", COMPARATORS), name="ck_indicator_comparator"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id", index=True)
    code: str
    item: str | None = None  # PlanItem.code
    name: str
    comparator: str
    target_value: float
    target_unit: str = ""
    baseline: float | None = None
    owner: str | None = None
    # 分解指标: the target divided among units, {unit code: its share}; empty: not divided
    shares: dict[str, float] = Field(
        default_factory=dict, sa_column=Column(JSONType, nullable=False)
    )
    report: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    active: bool = True


class Task(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint(_in("kind", KINDS), name="ck_task_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id", index=True)
    code: str
    item: str | None = None
    title: str
    kind: str
    owner: str  # 主办 / 牵头: the unit that answers for the task
    # 分办: the units that each report for the task, one occurrence each per period (the plan's
    # groups resolved); a task given to its owner alone has [owner]
    units: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    cooperating: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    indicator: str | None = None
    target: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONType))
    schedule: dict[str, Any] = Field(sa_column=Column(JSONType, nullable=False))
    reminders: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONType, nullable=False)
    )
    deliverable: str | None = None
    active: bool = True


class PlanChange(SQLModel, table=True):
    """What an import changed: one row per added, changed or deactivated entity."""

    __tablename__ = "plan_change"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id", index=True)
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    entity: str  # plan | item | unit | indicator | task
    code: str
    action: str  # added | changed | removed | restored
    changes: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONType, nullable=False)
    )

"""The plan file's schema: what a coordinator may write, with defaults.

Each entry (a unit, an indicator, a task) is validated on its own, so that one bad
entry never hides the problems of another (see `tasks.plan.check`).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

Kind = Literal[
    "inspection", "evaluation", "recruitment", "training", "construction", "event", "other"
]
Comparator = Literal[">=", "<=", "~"]
Roll = Literal["previous-workday", "next-workday", "keep"]
Role = Literal["unit", "leader", "coordinator"]

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
QUIET_HOURS = r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$"


def parse_date(value: Any) -> dt.date:
    text = str(value).strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PydanticCustomError("bad-date", "bad date", {"value": text}) from None


def _check_date(value: str) -> str:
    parse_date(value)
    return value


def _check_time(value: str) -> str:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise PydanticCustomError("bad-time", "bad time", {"value": value})
    return value


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError("bad-timezone", "bad timezone", {"value": value}) from None
    return value


def _check_rrule(value: str) -> str:
    try:
        _parse_rrule(value)
    except (ValueError, TypeError) as exc:
        raise PydanticCustomError(
            "bad-rrule", "bad rrule", {"value": value, "detail": str(exc)}
        ) from None
    return value


@lru_cache(maxsize=1024)  # a bureau's tasks share a few dozen schedules
def _parse_rrule(value: str) -> None:
    rrulestr(value, dtstart=dt.datetime(2000, 1, 1))


DateText = Annotated[str, AfterValidator(_check_date)]
TimeText = Annotated[str, AfterValidator(_check_time)]
Code = Annotated[str, Field(pattern=CODE_PATTERN, max_length=64)]
ItemPath = Annotated[list[str], Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class PlanHeader(Strict):
    id: Code
    title: str
    year: int = Field(ge=2000, le=2100)
    timezone: Annotated[str, AfterValidator(_check_timezone)] = "Asia/Shanghai"
    source: str | None = None


class CalendarDay(Strict):
    date: DateText
    name: str = ""


def _day(value: Any) -> Any:
    return value if isinstance(value, dict) else {"date": value}


class CalendarSpec(Strict):
    """Local corrections and years the bundled official data does not cover yet."""

    covers: list[int] = Field(default_factory=list)
    holidays: list[Annotated[CalendarDay, Field()]] = Field(default_factory=list)
    workdays: list[CalendarDay] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _plain_dates(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in ("holidays", "workdays"):
                if isinstance(data.get(key), list):
                    data = {**data, key: [_day(day) for day in data[key]]}
        return data


class ReminderPolicySpec(Strict):
    before_workdays: list[Annotated[int, Field(ge=0, le=60)]] = Field(
        default_factory=lambda: [10, 3, 1]
    )
    overdue_every_workdays: int = Field(default=2, ge=1, le=30)
    escalate_after_workdays: list[Annotated[int, Field(ge=1, le=60)]] = Field(
        default_factory=lambda: [3, 6]
    )
    ack_within_workdays: int = Field(default=2, ge=1, le=30)
    quiet_hours: Annotated[str, Field(pattern=QUIET_HOURS)] = "18:00-08:30"  # no messages from–to
    yellow_within_workdays: int = Field(default=3, ge=0, le=60)  # 黄灯: this close to the deadline
    # 消息必达: not acknowledged this long after a send → the unit's next channel (0: off)
    next_channel_after_minutes: int = Field(default=120, ge=0, le=10080)
    # 协办: each cooperating unit's input is due this many workdays before the 主办's deadline
    input_before_workdays: int = Field(default=5, ge=0, le=60)
    # 整改: a rectification is due this many workdays after the inspection report is accepted
    rectify_within_workdays: int = Field(default=20, ge=1, le=250)

    @model_validator(mode="before")
    @classmethod
    def _single_escalation(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("escalate_after_workdays"), int):
            data = {**data, "escalate_after_workdays": [data["escalate_after_workdays"]]}
        return data


class ScheduleSpec(Strict):
    due: DateText | None = None
    rrule: Annotated[str, AfterValidator(_check_rrule)] | None = None
    start: DateText | None = (
        None  # first date the rrule may fall on (default: 1 Jan of the plan year)
    )
    until: DateText | None = None  # last date (default: 31 Dec of the plan year)
    opens: DateText | None = None  # one-off only: when the occurrence opens
    open_workdays_before: int | None = Field(default=None, ge=0, le=250)
    due_time: TimeText = "18:00"
    roll: Roll = "previous-workday"
    grace_workdays: int = Field(default=0, ge=0, le=30)

    @model_validator(mode="after")
    def _one_of(self) -> ScheduleSpec:
        if (self.due is None) == (self.rrule is None):
            raise PydanticCustomError("schedule-one-of", "due or rrule")
        return self


class UnitSpec(Strict):
    code: Code
    name: str
    role: Role = "unit"
    parent: str | None = None
    notify: list[str] | None = None  # apprise tags in order of preference; default: [code]
    contact: str | None = None
    # 每日汇总: its reminders held to the next working morning and sent as one message
    # (escalations, the last day and must-reach relays still go at once); default: the plan's
    digest: bool | None = None


class TargetSpec(Strict):
    comparator: Comparator = ">="
    value: float
    unit: str = ""
    baseline: float | None = None


class IndicatorSpec(Strict):
    id: Code
    item: ItemPath | None = None
    name: str
    target: TargetSpec
    owner: str | None = None
    # 分解指标: each unit's share of the target (a count's shares add up to it; a rate's are
    # each unit's own target)
    shares: dict[str, float] | None = None
    report: ScheduleSpec | None = None


class UnderSpec(Strict):
    under: str  # every unit whose parent this is


class TaskSpec(Strict):
    id: Code
    item: ItemPath | None = None
    title: str
    kind: Kind
    owner: str  # 主办 / 牵头
    # 分办: the units that each report for the task — a unit code, a group name, a list of
    # either, or {under: parent}; default: the owner alone
    units: str | list[str] | UnderSpec | None = None
    cooperating: list[str] = Field(default_factory=list)  # 协办: inputs to the 主办
    indicator: str | None = None
    target: TargetSpec | None = None
    schedule: ScheduleSpec
    reminders: ReminderPolicySpec | None = None
    deliverable: str | None = None


class ItemSpec(Strict):
    path: ItemPath
    title: str


class ScoringSpec(Strict):
    """考核评分: points per event (see `tasks.audit.scores` for the defaults)."""

    on_time: float = 1.0  # reported on time
    late_workday: float = -1.0  # each workday late
    never_reported: float = -3.0  # due, and still not reported
    returned: float = -2.0  # each 退办
    extension: float = 0.0  # an approved extension
    lead: float = Field(default=1.0, ge=0, le=10)  # 主办's weight
    cooperating: float = Field(default=0.5, ge=0, le=10)  # 协办's weight
    rectification: float = Field(default=1.0, ge=0, le=10)  # 整改's weight


Audience = Literal["leaders", "coordinators", "units"]
_BULLETIN_TO: tuple[Audience, ...] = ("leaders", "coordinators")


class BulletinSpec(Strict):
    """督办通报: how often, to whom, how many bottom units named."""

    every: Literal["week", "month"] = "week"
    to: list[Audience] = Field(default_factory=lambda: list(_BULLETIN_TO))
    bottom: int = Field(default=3, ge=0, le=50)  # the units at the bottom named
    time: TimeText = "09:00"  # on the first workday of the week or month


class Defaults(Strict):
    reminders: ReminderPolicySpec = Field(default_factory=ReminderPolicySpec)
    digest: bool = False  # every unit's reminders as one message each working morning


SECTIONS: dict[str, type[BaseModel]] = {
    "items": ItemSpec,
    "units": UnitSpec,
    "indicators": IndicatorSpec,
    "tasks": TaskSpec,
}
TOP_LEVEL = ("plan", "defaults", "calendar", "scoring", "bulletin", "groups", *SECTIONS)
REQUIRED_TOP_LEVEL = ("plan", "units")


class PlanSpec(BaseModel):
    """A whole, checked plan file."""

    plan: PlanHeader
    defaults: Defaults = Field(default_factory=Defaults)
    calendar: CalendarSpec = Field(default_factory=CalendarSpec)
    scoring: ScoringSpec = Field(default_factory=ScoringSpec)
    bulletin: BulletinSpec | None = None  # no section: no scheduled bulletin
    groups: dict[str, list[str]] = Field(default_factory=dict)  # named lists of units (分办)
    items: list[ItemSpec] = Field(default_factory=list)
    units: list[UnitSpec] = Field(default_factory=list)
    indicators: list[IndicatorSpec] = Field(default_factory=list)
    tasks: list[TaskSpec] = Field(default_factory=list)


def is_rate(target: TargetSpec) -> bool:
    """A rate (%) is not a sum: its shares are each unit's own target."""
    return target.unit.strip() in ("%", "％")


def item_code(path: list[str] | None) -> str | None:
    return "/".join(path) if path else None

"""汇总: per task and period, how the units it was given to stand — reported, on time, late,
overdue (the red ones named), waiting for review. Pure, over `queries.occurrence_facts`: the
CLI, the API, the portal and the roll-up run's artifacts show the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from duban.models.status import CLOSED, REPORTED, Duty, Status
from duban.tasks.audit.queries import OccurrenceFacts, timeliness
from duban.tasks.audit.views import View, local
from duban.tasks.timeline.calendar import Clock


@dataclass
class Rollup:
    task: str
    title: str
    kind: str
    key: str  # the period: its original due date, or "once"
    due_at: dt.datetime  # the earliest unit's deadline
    units: int = 0
    reported: int = 0  # submitted or accepted
    accepted: int = 0
    closed_units: int = 0  # accepted or cancelled
    on_time: int = 0
    late: int = 0  # reported after the deadline
    overdue: list[str] = field(default_factory=list)  # unit codes: waiting, past due (红)
    waiting_review: list[str] = field(default_factory=list)  # unit codes
    not_reported: list[str] = field(default_factory=list)  # unit codes, overdue or not

    @property
    def closed(self) -> bool:
        """Every unit's occurrence accepted (or cancelled)."""
        return self.closed_units == self.units

    @property
    def percent(self) -> float:
        return round(100 * self.reported / self.units, 1) if self.units else 0.0


def rollups(
    facts: Sequence[OccurrenceFacts], *, clock: Clock, now: dt.datetime, split_only: bool = False
) -> list[Rollup]:
    """One row per task-period, over the units' own occurrences (not 协办 inputs, not 整改),
    in due order. `split_only`: only the periods given to more than one unit (分办)."""
    groups: dict[tuple[str, str], list[OccurrenceFacts]] = defaultdict(list)
    for f in facts:
        if f.duty == Duty.LEAD and f.status != Status.SCHEDULED and f.opens_at <= now:
            groups[(f.task, f.key)].append(f)
    rows = []
    for (task, key), members in groups.items():
        if split_only and len(members) < 2:
            continue
        first = members[0]
        row = Rollup(task, first.title, first.kind, key, min(f.due_at for f in members))
        for f in members:
            state, _ = timeliness(f, clock, now)
            row.units += 1
            row.closed_units += f.status in CLOSED
            row.reported += f.status in REPORTED
            row.accepted += f.status == Status.ACCEPTED
            row.on_time += state == "on_time"
            row.late += state == "late"
            if state == "overdue":
                row.overdue.append(f.unit)
            if f.status == Status.SUBMITTED:
                row.waiting_review.append(f.unit)
            if f.status not in REPORTED and f.status != Status.CANCELLED:
                row.not_reported.append(f.unit)
        rows.append(row)
    return sorted(rows, key=lambda r: (r.due_at, r.task))


def describe(row: Rollup, names: dict[str, str]) -> str:
    """One sentence: "5 个单位中 3 个已报送（按时 2，逾期报送 1），2 个待审核；逾期未报：江北区教育局"."""
    text = (
        f"{row.units} 个单位中 {row.reported} 个已报送（按时 {row.on_time}，逾期报送 {row.late}），"
        f"{len(row.waiting_review)} 个待审核，{row.accepted} 个已办结"
    )
    if row.overdue:
        text += "；逾期未报：" + "、".join(names.get(u, u) for u in row.overdue)
    return text


def rollup_view(rows: Sequence[Rollup], names: dict[str, str], zone: dt.tzinfo) -> View:
    view = View(
        "rollup",
        "分办汇总（按任务和期次）",
        [
            "任务",
            "标题",
            "期次",
            "截止",
            "单位数",
            "已报送",
            "按时",
            "逾期报送",
            "待审核",
            "已办结",
            "逾期未报",
        ],
    )
    for r in rows:
        red = "、".join(names.get(u, u) for u in r.overdue)
        view.rows.append(
            [
                r.task,
                r.title,
                r.key,
                local(r.due_at, zone),
                r.units,
                r.reported,
                r.on_time,
                r.late,
                len(r.waiting_review),
                r.accepted,
                red,
            ]
        )
        record = asdict(r)
        record.update(due_at=r.due_at.isoformat(), percent=r.percent, closed=r.closed)
        view.records.append(record)
    return view

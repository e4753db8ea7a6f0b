"""考核评分: points per unit from the record, by the plan's `scoring:` rules, each explained.

Pure: the occurrences' facts (`tasks.audit.queries`, read from the ledger) and the rules in,
per-unit scores out. A unit's score is the sum of its events' points, by construction; each
event is one rule applied to one occurrence (an on-time report, a late one and its workdays,
a report never made, each 退办, an approved extension), weighted by the unit's duty there
(主办, 协办, 整改).

Defaults when the plan says nothing (the common rules of Chinese 考核 schemes): on time +1,
each workday late −1, never reported −3, each 退办 −2, an approved extension 0; 主办 and 整改
weigh 1.0, 协办 0.5.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from duban.models.status import DUTY_NAMES, Duty
from duban.tasks.audit.queries import OccurrenceFacts, timeliness
from duban.tasks.audit.views import View
from duban.tasks.timeline.calendar import Clock

Rule = Literal["on_time", "late_workday", "never_reported", "returned", "extension"]

RULE_NAMES: dict[str, str] = {
    "on_time": "按时报送",
    "late_workday": "逾期报送（每个工作日）",
    "never_reported": "逾期未报送",
    "returned": "被退办（每次）",
    "extension": "延期获批",
}


@dataclass(frozen=True)
class Rules:
    """The plan's `scoring:` section, with the defaults above."""

    on_time: float = 1.0
    late_workday: float = -1.0
    never_reported: float = -3.0
    returned: float = -2.0
    extension: float = 0.0
    weights: Mapping[str, float] = field(
        default_factory=lambda: {Duty.LEAD: 1.0, Duty.COOPERATING: 0.5, Duty.RECTIFICATION: 1.0}
    )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Rules:
        """From the stored `scoring:` section (`lead`/`cooperating` are the duties' weights)."""
        data = dict(data or {})
        weights = dict(cls().weights)
        for duty in Duty:
            if data.get(duty.value) is not None:
                weights[duty] = float(data.pop(duty.value))
        known = {k: float(v) for k, v in data.items() if k in RULE_NAMES and v is not None}
        return cls(**known, weights=weights)

    def points(self, rule: str) -> float:
        return float(getattr(self, rule))


@dataclass(frozen=True)
class ScoreEvent:
    """One rule applied to one occurrence: what a unit's score is made of."""

    unit: str
    occurrence_id: int
    task: str
    title: str
    key: str
    due: str  # its (current) due date, local
    duty: str
    rule: str
    count: int  # workdays late, returns; 1 otherwise
    weight: float
    points: float
    at: dt.datetime | None  # when it happened (the report, the due moment); None: no moment


@dataclass(frozen=True)
class UnitScore:
    unit: str
    name: str
    score: float
    on_time: int
    judged: int  # occurrences due and either reported or overdue
    events: tuple[ScoreEvent, ...]

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.judged, 4) if self.judged else None


def occurrence_events(
    f: OccurrenceFacts, rules: Rules, clock: Clock, now: dt.datetime
) -> list[ScoreEvent]:
    """The scored events of one occurrence at `now` (none while it is not judged yet)."""
    state, days = timeliness(f, clock, now)
    weight = rules.weights.get(f.duty, 1.0)
    hits: list[tuple[str, int, dt.datetime | None]] = []
    if state == "on_time":
        hits.append(("on_time", 1, f.submitted_at))
    elif state == "late":
        hits.append(("late_workday", days, f.submitted_at))
    elif state in ("overdue", "missed"):
        hits.append(("never_reported", 1, f.due_at))
    if f.returns:
        hits.append(("returned", f.returns, None))
    if f.due_at != f.original_due_at:
        hits.append(("extension", 1, f.original_due_at))
    return [
        ScoreEvent(
            f.unit,
            f.id,
            f.task,
            f.title,
            f.key,
            clock.local_date(f.due_at).isoformat(),
            f.duty,
            rule,
            count,
            weight,
            round(rules.points(rule) * count * weight, 4),
            at,
        )
        for rule, count, at in hits
        if count
    ]


def scores(
    facts: Sequence[OccurrenceFacts],
    rules: Rules,
    *,
    names: Mapping[str, str],
    clock: Clock,
    now: dt.datetime,
) -> list[UnitScore]:
    """Every unit with an event, highest score first (then the better on-time rate, the code)."""
    events: dict[str, list[ScoreEvent]] = defaultdict(list)
    judged: dict[str, int] = defaultdict(int)
    on_time: dict[str, int] = defaultdict(int)
    for f in facts:
        found = occurrence_events(f, rules, clock, now)
        events[f.unit] += found
        rules_hit = {e.rule for e in found}
        if rules_hit & {"on_time", "late_workday", "never_reported"}:
            judged[f.unit] += 1
            on_time[f.unit] += "on_time" in rules_hit
    rows = [
        UnitScore(
            unit,
            names.get(unit, unit),
            round(sum(e.points for e in found), 4),
            on_time[unit],
            judged[unit],
            tuple(found),
        )
        for unit, found in events.items()
        if found
    ]
    return sorted(rows, key=lambda r: (-r.score, -(r.on_time_rate or 0), r.unit))


def explain(event: ScoreEvent) -> str:
    """One line a coordinator reads: 按时报送 T-aq-paicha 2022-03-31（主办 ×1）+1 (the due date)."""
    what = RULE_NAMES[event.rule]
    if event.rule == "late_workday":
        what = f"逾期 {event.count} 个工作日报送"
    elif event.rule == "returned":
        what = f"被退办 {event.count} 次"
    duty = DUTY_NAMES.get(event.duty, "")
    return f"{what} {event.task} {event.due}（{duty} ×{event.weight:g}）{event.points:+g}"


def ranks(rows: Sequence[UnitScore]) -> list[int]:
    """Competition ranks of rows sorted by score: tied scores share a rank (1, 2, 2, 4)."""
    return [1 + sum(o.score > r.score for o in rows) for r in rows]


def plan_rules(settings: Mapping[str, Any] | None) -> Rules:
    """The rules an imported plan's settings hold (`Plan.settings`)."""
    return Rules.from_dict((settings or {}).get("scoring"))


def scores_view(rows: Sequence[UnitScore], zone: dt.tzinfo) -> View:
    """考核评分, ranked, each score with the events that made it."""
    view = View(
        "scores",
        "考核评分",
        ["排名", "责任单位", "得分", "按时", "应办", "按时率", "得分明细"],
    )
    for rank, r in zip(ranks(rows), rows, strict=True):
        rate = "" if r.on_time_rate is None else f"{r.on_time_rate * 100:.1f}%"
        detail = "；".join(explain(e) for e in r.events)
        view.rows.append([rank, r.name, r.score, r.on_time, r.judged, rate, detail])
        view.records.append(
            {
                "rank": rank,
                "unit": r.unit,
                "name": r.name,
                "score": r.score,
                "on_time": r.on_time,
                "judged": r.judged,
                "on_time_rate": r.on_time_rate,
                "events": [
                    {
                        "occurrence": e.occurrence_id,
                        "task": e.task,
                        "key": e.key,
                        "due": e.due,
                        "duty": e.duty,
                        "rule": e.rule,
                        "count": e.count,
                        "weight": e.weight,
                        "points": e.points,
                        "at": e.at.astimezone(zone).isoformat() if e.at else None,
                        "explained": explain(e),
                    }
                    for e in r.events
                ],
            }
        )
    return view

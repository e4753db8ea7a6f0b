"""A bulletin's content from a snapshot of the record: pure, so a test can read it field by field.

Judged at `as_of` (the end of the period, or now if the period is not over): each unit's lights
(红黄绿灯 of its work in hand), what is overdue and by how many workdays, the ranking by 考核
score over the year so far (with the on-time rate), the units at the bottom named, the
indicators behind their 序时进度, and what changed since the previous bulletin's snapshot.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from duban.models.status import IN_HAND
from duban.tasks.audit.indicators import IndicatorRow
from duban.tasks.audit.queries import OccurrenceFacts, overdue, status_colour
from duban.tasks.audit.scores import Rules, ranks, scores
from duban.tasks.bulletin.period import BulletinPeriod
from duban.tasks.timeline.calendar import Clock


@dataclass(frozen=True)
class Lights:
    unit: str
    name: str
    red: int
    yellow: int
    green: int


@dataclass(frozen=True)
class Overdue:
    occurrence_id: int
    unit: str
    name: str
    task: str
    title: str
    due: str  # the local due date
    workdays: int


@dataclass(frozen=True)
class Ranked:
    rank: int
    unit: str
    name: str
    score: float
    on_time: int
    judged: int
    on_time_rate: float | None


@dataclass(frozen=True)
class Behind:
    code: str
    name: str
    unit: str  # the owner or the unit whose share it is ("" when none)
    latest: float | None
    expected: float | None
    target_unit: str


@dataclass(frozen=True)
class Changes:
    first: bool  # no earlier bulletin of this cadence to compare with
    newly_overdue: tuple[str, ...]
    no_longer_overdue: tuple[str, ...]
    moved: tuple[tuple[str, int, int], ...]  # (name, previous rank, rank)


@dataclass(frozen=True)
class BulletinContent:
    title: str
    plan_title: str
    period: BulletinPeriod
    as_of: dt.datetime
    as_of_text: str
    lights: tuple[Lights, ...]
    overdue: tuple[Overdue, ...]
    ranking: tuple[Ranked, ...]
    bottom: tuple[Ranked, ...]
    behind: tuple[Behind, ...]
    changes: Changes

    def snapshot(self) -> dict[str, Any]:
        """What the next bulletin compares with (JSON)."""
        return {
            "as_of": self.as_of.isoformat(),
            "overdue": {str(o.occurrence_id): _label(o) for o in self.overdue},
            "ranks": {r.unit: r.rank for r in self.ranking},
            "lights": {x.unit: [x.red, x.yellow, x.green] for x in self.lights},
            "scores": [asdict(r) for r in self.ranking],
        }


def _label(o: Overdue) -> str:
    return f"{o.name} {o.task} {o.title}（截止 {o.due}）"


def as_of(period: BulletinPeriod, clock: Clock, now: dt.datetime) -> dt.datetime:
    """The moment a bulletin judges: the very end of the period's last day, or now if sooner."""
    after = clock.at(period.end + dt.timedelta(days=1), dt.time())
    return min(now, after - dt.timedelta(microseconds=1))


def _as_of_text(period: BulletinPeriod, clock: Clock, moment: dt.datetime) -> str:
    local = moment.astimezone(clock.zone)
    if local.date() == period.end and local.time() == dt.time.max:
        return f"{period.end:%Y-%m-%d} 24:00"
    return f"{local:%Y-%m-%d %H:%M}"


def compose(
    *,
    plan_title: str,
    period: BulletinPeriod,
    facts: Sequence[OccurrenceFacts],
    measured: Sequence[IndicatorRow],
    names: Mapping[str, str],
    rules: Rules,
    bottom: int,
    previous: Mapping[str, Any] | None,
    clock: Clock,
    now: dt.datetime,
) -> BulletinContent:
    moment = as_of(period, clock, now)
    lit: dict[str, Counter[str]] = {}
    for f in facts:  # the work in hand at `as_of`: opened, not yet closed
        colour = status_colour(f, clock, moment)
        if f.status in IN_HAND and f.opens_at <= moment and colour is not None:
            lit.setdefault(f.unit, Counter())[colour] += 1
    lights = tuple(
        Lights(u, names.get(u, u), c["red"], c["yellow"], c["green"])
        for u, c in sorted(lit.items(), key=lambda i: (-i[1]["red"], -i[1]["yellow"], i[0]))
    )
    late = tuple(
        Overdue(
            r.facts.id,
            r.facts.unit,
            names.get(r.facts.unit, r.facts.unit),
            r.facts.task,
            r.facts.title,
            clock.local_date(r.facts.due_at).isoformat(),
            r.workdays_overdue,
        )
        for r in overdue(facts, clock=clock, now=moment)
    )
    ranked = scores(facts, rules, names=names, clock=clock, now=moment)
    ranking = tuple(  # tied scores share a rank: 1, 2, 2, 4
        Ranked(rank, s.unit, s.name, s.score, s.on_time, s.judged, s.on_time_rate)
        for rank, s in zip(ranks(ranked), ranked, strict=True)
    )
    named = _bottom(ranking, bottom)
    behind = tuple(_behind(measured, names))
    content = BulletinContent(
        title=f"督办通报 · {period.name}",
        plan_title=plan_title,
        period=period,
        as_of=moment,
        as_of_text=_as_of_text(period, clock, moment),
        lights=lights,
        overdue=late,
        ranking=ranking,
        bottom=named,
        behind=behind,
        changes=Changes(True, (), (), ()),
    )
    return _with_changes(content, previous)


def _bottom(ranking: Sequence[Ranked], count: int) -> tuple[Ranked, ...]:
    """The last `count` units named, with every unit tied with the last of them; never a unit
    tied with the top (when all score alike, nobody is at the bottom)."""
    if not count or not ranking:
        return ()
    line = ranking[max(len(ranking) - count, 0)].score
    return tuple(r for r in ranking if r.score <= line and r.score < ranking[0].score)


def _behind(measured: Sequence[IndicatorRow], names: Mapping[str, str]) -> list[Behind]:
    found = []
    for row in measured:
        for r in (row, *row.shares):
            if r.pace == "behind":
                unit = names.get(r.unit, r.unit) if r.unit else ""
                found.append(Behind(r.code, r.name, unit, r.latest, r.expected_now, r.target_unit))
    return found


def _with_changes(content: BulletinContent, previous: Mapping[str, Any] | None) -> BulletinContent:
    if previous is None:
        return content
    was: dict[str, str] = previous.get("overdue", {})
    now_ids = {str(o.occurrence_id): _label(o) for o in content.overdue}
    ranks: dict[str, int] = previous.get("ranks", {})
    moved = tuple(
        (r.name, ranks[r.unit], r.rank)
        for r in content.ranking
        if r.unit in ranks and ranks[r.unit] != r.rank
    )
    changes = Changes(
        False,
        tuple(label for key, label in now_ids.items() if key not in was),
        tuple(label for key, label in was.items() if key not in now_ids),
        moved,
    )
    return dataclasses.replace(content, changes=changes)

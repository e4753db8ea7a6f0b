"""Indicators against their targets: the latest measurement, attainment (达标) and 序时进度
(where an even pace from the baseline to the target would be by now)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlmodel import Session, col, select

from duban.models import Indicator, Measurement, Plan
from duban.tasks.timeline.calendar import Clock

Attainment = Literal["met", "not_met", "no_data"]


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit: str | None  # the owner; in a share's row, the unit whose share it is
    comparator: str
    target: float
    target_unit: str
    latest: float | None
    latest_at: dt.datetime | None
    attainment: Attainment
    expected_now: float | None  # 序时进度: where an even pace would be by now
    pace: Literal["ahead", "behind", "on_pace"] | None
    shares: tuple[IndicatorRow, ...] = ()  # 分解指标: each unit's share, measured on its own


def indicators(
    session: Session, plan_id: str, *, now: dt.datetime, clock: Clock
) -> list[IndicatorRow]:
    """Every active indicator with its latest value by `now`. A divided indicator (分解指标)
    has a row per unit's share, measured by that unit's own reports; its whole is the sum of
    the units' latest values — for a rate (%), their mean, each unit reporting its own rate."""
    plan = session.get_one(Plan, plan_id)
    latest = _latest(session, plan_id, now)
    start = clock.at(dt.date(plan.year, 1, 1), dt.time())
    end = clock.at(dt.date(plan.year + 1, 1, 1), dt.time())
    elapsed = min(max((now - start) / (end - start), 0.0), 1.0)
    rows = []
    for ind in session.exec(
        select(Indicator)
        .where(Indicator.plan_id == plan_id, Indicator.active)
        .order_by(col(Indicator.code))
    ):
        shares = tuple(
            _row(
                ind,
                unit,
                share,
                latest.get((ind.id or 0, unit)),
                elapsed,
                share / ind.target_value if ind.target_value and not _rate(ind) else 1.0,
            )
            for unit, share in ind.shares.items()
        )
        if shares:
            whole = _combined(ind, [r for r in shares if r.latest is not None])
        else:
            whole = latest.get((ind.id or 0, None))
        rows.append(_row(ind, ind.owner, ind.target_value, whole, elapsed, 1.0, shares))
    return rows


def _rate(ind: Indicator) -> bool:
    return ind.target_unit.strip() in ("%", "％")


def _latest(
    session: Session, plan_id: str, now: dt.datetime
) -> dict[tuple[int, str | None], tuple[float, dt.datetime]]:
    """(indicator, unit) → its latest (value, at) by `now`; (indicator, None) → the latest of
    any unit's."""
    found: dict[tuple[int, str | None], tuple[float, dt.datetime]] = {}
    for indicator_id, unit, value, at in session.exec(
        select(Measurement.indicator_id, Measurement.unit, Measurement.value, Measurement.at)
        .join(Indicator, col(Indicator.id) == Measurement.indicator_id)
        .where(Indicator.plan_id == plan_id, col(Measurement.at) <= now)
        .order_by(col(Measurement.at), col(Measurement.id))
    ).all():
        found[(indicator_id, unit)] = found[(indicator_id, None)] = (value, at)
    return found


def _combined(ind: Indicator, reported: list[IndicatorRow]) -> tuple[float, dt.datetime] | None:
    """The whole of a divided indicator from its shares' latest values."""
    if not reported:
        return None
    values = [r.latest or 0.0 for r in reported]
    total = sum(values) / len(values) if _rate(ind) else sum(values)
    return round(total, 4), max(r.latest_at for r in reported if r.latest_at)


def _row(
    ind: Indicator,
    unit: str | None,
    target: float,
    measured: tuple[float, dt.datetime] | None,
    elapsed: float,
    part: float,
    shares: tuple[IndicatorRow, ...] = (),
) -> IndicatorRow:
    """`part`: the share's fraction of the whole (its baseline scales with it)."""
    value = measured[0] if measured else None
    baseline = ind.baseline * part if ind.baseline is not None else None
    path = expected(ind.comparator, target, baseline, ind.target_unit, elapsed)
    return IndicatorRow(
        code=ind.code,
        name=ind.name,
        unit=unit,
        comparator=ind.comparator,
        target=target,
        target_unit=ind.target_unit,
        latest=value,
        latest_at=measured[1] if measured else None,
        attainment=attainment(ind.comparator, target, value),
        expected_now=path,
        pace=pace(ind.comparator, path, value),
        shares=shares,
    )


def attainment(comparator: str, target: float, value: float | None) -> Attainment:
    if value is None:
        return "no_data"
    if comparator == ">=":
        met = value >= target
    elif comparator == "<=":
        met = value <= target
    else:  # "~": about the target, within 5 %
        met = abs(value - target) <= 0.05 * abs(target)
    return "met" if met else "not_met"


def expected(
    comparator: str, target: float, baseline: float | None, target_unit: str, elapsed: float
) -> float | None:
    """序时进度 for a growing (>=) or shrinking (<=) indicator: baseline → target, evenly.

    A count without a baseline (新增数字化校园180所) starts from 0; a rate without one
    (入园率 ≥ 99%) has no even path to compare with, so no pace.
    """
    if comparator == "~" or (baseline is None and target_unit == "%"):
        return None
    start = baseline if baseline is not None else 0.0
    return round(start + (target - start) * elapsed, 4)


def pace(
    comparator: str, expected_now: float | None, value: float | None
) -> Literal["ahead", "behind", "on_pace"] | None:
    if expected_now is None or value is None:
        return None
    if value == expected_now:
        return "on_pace"
    ahead = value > expected_now if comparator == ">=" else value < expected_now
    return "ahead" if ahead else "behind"

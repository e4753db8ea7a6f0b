"""Indicators against their targets: the latest measurement, attainment (达标) and 序时进度
(where an even pace from the baseline to the target would be by now)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func
from sqlmodel import Session, col, select

from duban.models import Indicator, Measurement, Plan
from duban.tasks.timeline.calendar import Clock

Attainment = Literal["met", "not_met", "no_data"]


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit: str | None
    comparator: str
    target: float
    target_unit: str
    latest: float | None
    latest_at: dt.datetime | None
    attainment: Attainment
    expected_now: float | None  # 序时进度: where an even pace would be by now
    pace: Literal["ahead", "behind", "on_pace"] | None


def indicators(
    session: Session, plan_id: str, *, now: dt.datetime, clock: Clock
) -> list[IndicatorRow]:
    plan = session.get_one(Plan, plan_id)
    newest = (
        select(Measurement.indicator_id, func.max(Measurement.at).label("at"))
        .where(col(Measurement.at) <= now)
        .group_by(col(Measurement.indicator_id))
        .subquery()
    )
    latest = {
        m.indicator_id: m
        for m in session.exec(
            select(Measurement).join(
                newest,
                (newest.c.indicator_id == Measurement.indicator_id)
                & (newest.c.at == Measurement.at),
            )
        )
    }
    start = clock.at(dt.date(plan.year, 1, 1), dt.time())
    end = clock.at(dt.date(plan.year + 1, 1, 1), dt.time())
    elapsed = min(max((now - start) / (end - start), 0.0), 1.0)
    rows = []
    for ind in session.exec(
        select(Indicator)
        .where(Indicator.plan_id == plan_id, Indicator.active)
        .order_by(col(Indicator.code))
    ):
        m = latest.get(ind.id or 0)
        value = m.value if m else None
        rows.append(
            IndicatorRow(
                code=ind.code,
                name=ind.name,
                unit=ind.owner,
                comparator=ind.comparator,
                target=ind.target_value,
                target_unit=ind.target_unit,
                latest=value,
                latest_at=m.at if m else None,
                attainment=attainment(ind.comparator, ind.target_value, value),
                expected_now=expected(ind, elapsed),
                pace=pace(ind.comparator, expected(ind, elapsed), value),
            )
        )
    return rows


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


def expected(ind: Indicator, elapsed: float) -> float | None:
    """序时进度 for a growing (>=) or shrinking (<=) indicator: baseline → target, evenly.

    A count without a baseline (新增数字化校园180所) starts from 0; a rate without one
    (入园率 ≥ 99%) has no even path to compare with, so no pace.
    """
    if ind.comparator == "~" or (ind.baseline is None and ind.target_unit == "%"):
        return None
    baseline = ind.baseline if ind.baseline is not None else 0.0
    return round(baseline + (ind.target_value - baseline) * elapsed, 4)


def pace(
    comparator: str, expected_now: float | None, value: float | None
) -> Literal["ahead", "behind", "on_pace"] | None:
    if expected_now is None or value is None:
        return None
    if value == expected_now:
        return "on_pace"
    ahead = value > expected_now if comparator == ">=" else value < expected_now
    return "ahead" if ahead else "behind"

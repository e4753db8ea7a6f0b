"""What the sweep shows in the Prefect UI: pure builders of the artifacts' content, in Chinese.

- one progress artifact per indicator (`indicator-g1-1`): the latest measurement as a share of
  the target (0 when nothing is reported yet);
- a table of the overdue occurrences by unit (`overdue-by-unit`);
- a markdown summary of the sweep (`sweep-summary`).
Artifact keys allow lowercase letters, digits and dashes only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from duban.tasks.audit.indicators import IndicatorRow
from duban.tasks.audit.queries import OverdueRow, SummaryRow
from duban.tasks.audit.views import ATTAINMENT, PACE, local


def artifact_key(prefix: str, code: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-") or "x"
    return f"{prefix}-{slug}"


@dataclass(frozen=True)
class Progress:
    key: str
    percent: float  # 0–100
    description: str


def indicator_progress(
    rows: Sequence[IndicatorRow], names: dict[str, str] | None = None
) -> list[Progress]:
    """One progress bar per indicator; a divided one's words name each unit's share too."""
    found = []
    for r in rows:
        latest = "无数据" if r.latest is None else f"{r.latest:g}{r.target_unit}"
        text = (
            f"{r.code} {r.name}：最新 {latest}，目标 {r.comparator}{r.target:g}{r.target_unit}"
            f"（{ATTAINMENT[r.attainment]}）"
        )
        if r.shares:
            text += "；分解：" + "，".join(_share(s, names or {}) for s in r.shares)
        found.append(Progress(artifact_key("indicator", r.code), percent_of(r), text))
    return found


def percent_of(r: IndicatorRow) -> float:
    """How far the latest value is toward the target, 0–100 (0 when nothing is reported)."""
    if r.latest is None or not r.target:
        percent = 0.0
    elif r.comparator == "<=":  # smaller is better: full once at or under the target
        percent = 100.0 if r.latest <= r.target else 100.0 * r.target / r.latest
    else:
        percent = 100.0 * r.latest / r.target
    return round(min(max(percent, 0.0), 100.0), 1)


def _share(r: IndicatorRow, names: dict[str, str]) -> str:
    unit = names.get(r.unit or "", r.unit or "")
    value = "无数据" if r.latest is None else f"{r.latest:g}"
    pace = f"，{PACE[r.pace]}" if r.pace else ""
    return f"{unit} {value}/{r.target:g}（{ATTAINMENT[r.attainment]}{pace}）"


def overdue_by_unit(rows: Sequence[OverdueRow], names: dict[str, str]) -> list[dict[str, object]]:
    grouped: dict[str, list[OverdueRow]] = defaultdict(list)
    for r in rows:
        grouped[r.facts.unit].append(r)
    table = [
        {
            "责任单位": names.get(unit, unit),
            "逾期项数": len(items),
            "最长逾期（工作日）": max(i.workdays_overdue for i in items),
            "任务": "；".join(sorted({i.facts.title for i in items})),
        }
        for unit, items in grouped.items()
    ]
    return sorted(table, key=lambda row: (-int(row["逾期项数"]), str(row["责任单位"])))  # type: ignore[call-overload]


def sweep_markdown(
    *,
    title: str,
    now: dt.datetime,
    zone: dt.tzinfo,
    opened: int,
    reminders: dict[str, int],
    summary: Sequence[SummaryRow],
    overdue: int,
) -> str:
    judged = sum(r.due for r in summary)
    on_time = sum(r.on_time for r in summary)
    rate = f"{100 * on_time / judged:.1f}%" if judged else "—"
    lines = [
        f"# {title} · 巡检",
        "",
        f"时间：{local(now, zone)}",
        "",
        f"- 本次打开期次：{opened} 个",
        f"- 提醒：写入 {reminders.get('written', 0)} 条，送达 {reminders.get('sent', 0)} 条，"
        f"失败 {reminders.get('failed', 0)} 条",
        f"- 当前逾期：{overdue} 项",
        f"- 按时率：{rate}（按时 {on_time} / 应办 {judged}）",
        "",
        "| 责任单位 | 应办 | 已办 | 当前逾期 |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {r.name} | {r.due} | {r.done} | {r.overdue} |" for r in summary if r.due]
    return "\n".join(lines) + "\n"

"""How Duban's flows and runs are named: for people reading the Prefect UI."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo


def period_label(moment: datetime, timezone: str, per_year: int = 4) -> str:
    """The period, in the plan's zone, of the moment an occurrence opens, as fine as its task
    repeats: 2022Q2 for a task due up to four times a year, 2022-05 up to twelve, 2022-05-09
    more often — so that no two runs of a task share a name."""
    local = moment.astimezone(ZoneInfo(timezone))
    if per_year > 12:
        return f"{local:%Y-%m-%d}"
    if per_year > 4:
        return f"{local:%Y-%m}"
    return f"{local.year}Q{(local.month - 1) // 3 + 1}"


def run_name(period: str, title: str, unit: str) -> str:
    """`2022Q2 · 开展安全稳定隐患排查治理 · 安全稳定处`: the period, the task, the unit."""
    return " · ".join(p for p in (period, title, unit) if p)


# One flow per kind of task, so the UI lists (and filters) runs by what the work is; they share
# the body above, whose steps differ by kind through the forms and what follows acceptance.
KIND_FLOWS = {
    "inspection": "检查·督查·排查：交办 → 单位自查报告（含发现的问题、佐证）→ 审核（通过或退办）"
    " → 每个问题一项整改，各有自己的运行、时限和提醒 → 整改全部通过后办结",
    "evaluation": "评估·评选·评定·验收·认定：交办 → 评定标准、申报/候选名单、评分、评定结果"
    "（必须恰好等于名额，且在候选名单中）→ 审核；评定数计入指标",
    "recruitment": "引进·招聘·选拔：交办 → 发布岗位、报名、入围、面试、录用人数 → 审核；"
    "录用人数计入指标，与名额对照",
    "general": "培训·建设·活动等：交办 → 完成情况说明、佐证、累计完成数 → 审核；累计数计入指标",
}


def flow_kind(task_kind: str) -> str:
    """The flow a task's kind runs under: its own, or general (training, construction, …)."""
    return task_kind if task_kind in KIND_FLOWS else "general"


def occurrence_key(plan_id: str, occurrence_id: int) -> str:
    """The idempotency key of an occurrence's run: one run per occurrence, ever."""
    return f"duban-{plan_id}-occurrence-{occurrence_id}"


def rollup_key(plan_id: str, task_code: str, period: str) -> str:
    """The key of a 分办 period's progress artifact (lowercase letters, digits, dashes)."""
    return re.sub(r"[^a-z0-9]+", "-", f"rollup-{plan_id}-{task_code}-{period}".lower()).strip("-")


def period_key(plan_id: str, task_id: int, period: str) -> str:
    """The idempotency key of a 分办 period's roll-up run: one per task-period, ever."""
    return f"duban-{plan_id}-period-{task_id}-{period}"

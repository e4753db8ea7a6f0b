"""分办 in the Prefect UI: one run per task-period (not one per unit), showing the period's
roll-up and taking the coordinator's review of any unit's report.

The run opens every unit's occurrence of the period and follows them all. It shows the
roll-up as a progress artifact updated in place (`rollup-<plan>-<task>-<period>`: how many units
have reported, the red ones named) and a table of the units, then waits — suspended, holding
no process — for a review form whose choices are the units' reports waiting for review
(通过 or 退办 with a reason). A unit's report, or a review made elsewhere (CLI, API, portal),
wakes it to refresh. It completes when every unit's occurrence is closed. 200 units × 50
tasks × 12 periods is 600 runs a year this way, not 120,000.

Waits are keyed by the number of ledger rows of the period's occurrences, so after a resume
(Prefect runs the flow again from the top) a form already answered is read back, never asked
again, and any change makes a new wait.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from prefect import get_run_logger
from prefect.artifacts import create_table_artifact
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput
from pydantic import Field, create_model

from duban import runtime
from duban.flows.artifacts import show_progress
from duban.flows.naming import rollup_key
from duban.models.db import session_scope
from duban.models.status import name as status_name
from duban.tasks.audit.progress import Progress
from duban.tasks.audit.rollup import Rollup, describe
from duban.tasks.timeline.clock import TimeSource
from duban.tasks.work import steps


class Refresh(RunInput):
    """汇总：暂无待审核的报送。单位报送后本运行会自动刷新。"""


def review_form(choices: list[str]) -> type[RunInput]:
    """The review form of a period with reports waiting: which unit's, 通过 or 退办."""
    if not choices:
        return Refresh
    unit: Any = (Literal[tuple(choices)] | None, Field(default=None, title="审核哪个单位的报送"))
    return create_model(  # type: ignore[call-overload, no-any-return]
        "RollupReview",
        __base__=RunInput,
        __doc__="审核：选择一个单位的报送，通过办结或退办（写明理由）",
        unit=unit,
        accept=(bool, Field(default=False, title="通过（办结）")),
        reason=(str, Field(default="", max_length=2000, title="退办理由（不通过时必填）")),
    )


def state_of(plan_id: str, task_code: str, period: str, now: datetime) -> steps.PeriodState:
    with session_scope(runtime.engine()) as session:
        return steps.period_state(
            session, plan_id=plan_id, task_code=task_code, period=period, now=now
        )


def show(row: Rollup, names: dict[str, str], key: str, label: str) -> None:
    show_progress([Progress(key, row.percent, f"{label} · {row.title}：{describe(row, names)}")])
    waiting, red = set(row.waiting_review), set(row.overdue)
    create_table_artifact(
        [
            {
                "单位": names.get(unit, unit),
                "状态": "待审核" if unit in waiting else ("逾期未报" if unit in red else "未报送"),
            }
            for unit in row.not_reported + row.waiting_review
        ]
        or [{"单位": "（全部已办结）", "状态": status_name("accepted")}],
        key=f"{key}-units",
        description=f"{label} · {row.title}：未办结的单位",
    )


def follow_period(
    plan_id: str,
    task_code: str,
    period: str,
    label: str,
    time: TimeSource,
    now: datetime | None,
    review: Callable[[int, dict[str, Any]], str],
) -> str:
    """Show the roll-up and take reviews until every unit's occurrence is closed. `review`
    applies one (occurrence id, the form's answer) and says why it was refused ("" if not)."""
    logger = get_run_logger()
    key = rollup_key(plan_id, task_code, period)
    while True:
        moment = now or time.now()
        state = state_of(plan_id, task_code, period, moment)
        show(state.rollup, state.names, key, label)
        if state.rollup.closed:
            return "closed"
        form = review_form(sorted(state.waiting_review))

        def ask(attempt: int, form: Any = form, version: int = state.version) -> Any:
            return suspend_flow_run(
                wait_for_input=form, key=f"rollup-{version}-{attempt}", timeout=None
            )

        def apply(data: Any, waiting: dict[str, int] = state.waiting_review) -> str:
            chosen = getattr(data, "unit", None)
            if chosen is None:
                return ""  # woken to refresh
            answer = {"accept": bool(data.accept), "reason": data.reason}
            refused = review(waiting[chosen], answer)
            if refused:
                logger.warning("审核未被接受（%s），继续等待：%s", chosen, refused)
            return refused

        steps.take_input(
            ask,
            apply,
            what=f"{label} 的汇总运行审核",
            fix="用 duban review 或单位门户办理，再重新运行本部署",
        )

"""`duban plan import` on SQLite and PostgreSQL: all or nothing, idempotent, in-place updates."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from duban.models import Indicator, Occurrence, Plan, PlanChange, PlanItem, StatusEvent, Task, Unit
from tests.conftest import EXAMPLE_PLAN, NEW_YEAR

NOW = "2022-01-01T08:00+08:00"


def counts(session: Session) -> dict[str, int]:
    session.expire_all()
    return {
        table.__name__: session.exec(select(func.count()).select_from(table)).one()
        for table in (Plan, PlanItem, Unit, Indicator, Task, Occurrence, PlanChange, StatusEvent)
    }


def edited(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = EXAMPLE_PLAN.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "plan-edited.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def task_block(task_id: str) -> str:
    """The lines of one task in the example plan."""
    text = EXAMPLE_PLAN.read_text(encoding="utf-8")
    match = re.search(rf"  - id: {re.escape(task_id)}\n(?:    .*\n)*", text)
    assert match is not None, task_id
    return match.group()


def test_first_import_creates_the_plan_and_its_occurrences(cli, session: Session) -> None:
    result = cli("plan", "import", EXAMPLE_PLAN, "--now", NOW)

    assert result.exit_code == 0, result.output
    assert "已导入计划 edu-2022" in result.stdout
    n = counts(session)
    assert n["Unit"] == 22 and n["Task"] == 44 and n["Indicator"] == 33
    assert n["PlanItem"] == 54
    assert n["PlanChange"] == 1 + 54 + 22 + 33 + 44  # the plan and every entity, "added"
    quarterly = session.exec(
        select(Occurrence)
        .join(Task)
        .where(Task.code == "T-aq-paicha", Occurrence.duty == "lead")
        .order_by(col(Occurrence.due_at))
    ).all()
    assert [o.key for o in quarterly] == ["2022-03-31", "2022-06-30", "2022-09-30", "2022-12-31"]
    # 2022-12-31 is a Saturday: rolled to Friday 30 December, 18:00 Beijing = 10:00 UTC
    assert quarterly[-1].due_at.isoformat() == "2022-12-30T10:00:00+00:00"
    assert all(o.status == "scheduled" and o.unit == "aqc" for o in quarterly)
    # 协办: each of its eight cooperating units sends an input per quarter, due 5 workdays
    # before the 主办 (31 March 2022 is a Thursday: the 24th), to the 主办's occurrence
    inputs = session.exec(
        select(Occurrence)
        .join(Task)
        .where(Task.code == "T-aq-paicha", Occurrence.duty == "cooperating")
        .order_by(col(Occurrence.due_at), col(Occurrence.unit))
    ).all()
    assert len(inputs) == 8 * 4
    first = [o for o in inputs if o.key == "2022-03-31"]
    assert sorted(o.unit for o in first) == ["cx", "gjc", "hs", "jb", "jjc", "yy", "yz", "zcc"]
    assert {o.due_at.isoformat() for o in first} == {"2022-03-24T10:00:00+00:00"}
    assert {o.parent_id for o in first} == {quarterly[0].id}
    # 分办: the new standard schools go to each district bureau, a quarter each
    split = session.exec(select(Occurrence).join(Task).where(Task.code == "T-jj-biaozhunhua")).all()
    assert len(split) == 5 * 4 and {o.unit for o in split} == {"hs", "jb", "yz", "yy", "cx"}
    assert {o.duty for o in split} == {"lead"}


def test_reimporting_the_same_file_changes_nothing(cli, session: Session) -> None:
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", NOW).exit_code == 0
    before = counts(session)
    stamp = session.get(Plan, "edu-2022").imported_at  # type: ignore[union-attr]

    again = cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-02-01T08:00+08:00")

    assert again.exit_code == 0
    assert "无变化" in again.stdout
    assert counts(session) == before
    assert session.get(Plan, "edu-2022").imported_at == stamp  # type: ignore[union-attr]


def test_an_edited_plan_updates_in_place_and_records_each_change(
    cli, session: Session, tmp_path: Path
) -> None:
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", NOW).exit_code == 0
    task_id = session.exec(select(Task.id).where(Task.code == "T-gj-zhongqi")).one()
    plan = edited(
        tmp_path,
        (
            "title: 开展市级高校重点建设专业中期检查",
            "title: 开展市级高校重点建设专业中期检查（含整改回头看）",
        ),
        (
            "    schedule: {due: 2022-06-30}\n    deliverable: 中期检查报告和整改意见",
            "    schedule: {due: 2022-07-15}\n    deliverable: 中期检查报告和整改意见",
        ),
        (
            "  - {code: cx, name: 慈溪市教育局, parent: jjc}\n",
            "  - {code: cx, name: 慈溪市教育局, parent: jjc}\n  - {code: nh, name: 宁海县教育局, parent: jjc}\n",
        ),
        (task_block("T-gg-zhongqihui"), ""),
    )

    result = cli("plan", "import", plan, "--now", "2022-03-01T08:00+08:00")

    assert result.exit_code == 0, result.output
    assert "新增 1，修改 1，停用 1" in result.stdout
    assert "期次新增 0，更新 1，取消 1" in result.stdout
    session.expire_all()
    task = session.get(Task, task_id)
    assert task is not None and task.title.endswith("（含整改回头看）")  # same row, updated
    assert task.schedule["due"] == "2022-07-15"
    removed = session.exec(select(Task).where(Task.code == "T-gg-zhongqihui")).one()
    assert removed.active is False  # kept for the record, not deleted
    changes = {
        (c.entity, c.code, c.action): c.changes
        for c in session.exec(select(PlanChange).where(col(PlanChange.at) > NOW_UTC))
    }
    assert set(changes) == {
        ("task", "T-gj-zhongqi", "changed"),
        ("unit", "nh", "added"),
        ("task", "T-gg-zhongqihui", "removed"),
    }
    assert changes[("task", "T-gj-zhongqi", "changed")]["title"][1].endswith("（含整改回头看）")
    # the moved deadline moved its not-yet-started occurrence; the removed task's was cancelled
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task_id)).one()
    assert occurrence.due_at.isoformat() == "2022-07-15T10:00:00+00:00"
    cancelled = session.exec(select(Occurrence).where(Occurrence.task_id == removed.id)).one()
    assert cancelled.status == "cancelled"
    history = session.exec(
        select(StatusEvent).where(StatusEvent.occurrence_id == cancelled.id)
    ).one()
    assert (history.from_status, history.to_status) == ("scheduled", "cancelled")

    listed = cli("plan", "changes")
    assert "T-gj-zhongqi" in listed.stdout and "停用" in listed.stdout


def test_restoring_a_removed_task_reactivates_the_same_row(
    cli, session: Session, tmp_path: Path
) -> None:
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", NOW).exit_code == 0
    without = edited(tmp_path, (task_block("T-gz-jieti"), ""))
    assert cli("plan", "import", without, "--now", NOW).exit_code == 0
    result = cli("plan", "import", EXAMPLE_PLAN, "--now", NOW)
    assert result.exit_code == 0
    assert "恢复 1" in result.stdout
    rows = session.exec(select(Task).where(Task.code == "T-gz-jieti")).all()
    assert len(rows) == 1 and rows[0].active


def test_a_failure_halfway_through_an_import_leaves_nothing_behind(
    cli, session: Session, tmp_path: Path
) -> None:
    # The plan passes the check, but its one task falls due in 2028, a year with no
    # holiday data: the import fails after the plan rows were written, inside the
    # same transaction, so nothing may remain.
    plan = tmp_path / "plan-2027.yaml"
    plan.write_text(
        "plan: {id: edu-2027, title: 2027年工作要点, year: 2027}\n"
        "calendar: {covers: [2027], holidays: [2027-01-01]}\n"
        "units:\n  - {code: dcs, name: 督查室, role: coordinator}\n"
        "tasks:\n  - {id: T1, title: 年终总结, kind: other, owner: dcs, schedule: {due: 2028-01-10}}\n",
        encoding="utf-8",
    )
    result = cli("plan", "import", plan, "--now", NOW)

    assert result.exit_code == 1
    assert "2028年的法定节假日" in result.stderr
    assert "Traceback" not in result.output
    assert counts(session) == dict.fromkeys(counts(session), 0)


def test_commands_refuse_an_old_schema_and_name_the_fix(cli_nodb) -> None:
    result = cli_nodb("tasks", "list")
    assert result.exit_code == 1
    assert "duban db upgrade" in result.stderr


def test_lists_and_json(cli) -> None:
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", NOW).exit_code == 0
    units = json.loads(cli("units", "list", "--json").stdout)
    assert {
        "code": "jjc",
        "name": "基础教育处",
        "parent": "ld-jy",
        "role": "unit",
        "notify": ["jjc-dingtalk", "jjc-mail"],
        "contact": "0574-8718xxxx",
        "digest": False,
        "active": True,
    } in units
    tasks = json.loads(cli("tasks", "list", "--json", "--kind", "recruitment").stdout)
    assert {t["code"] for t in tasks} == {"T-rs-baichuan", "T-rs-pinyong", "T-gb-houbei"}
    table = cli("tasks", "list", "--unit", "aqc").stdout
    assert "开展安全稳定隐患排查治理" in table and "检查督查" in table
    shown = cli("plan", "show").stdout
    assert "2022年市教育局工作报告" in shown and "(一) 在推进基础教育整体提升" in shown
    occurrences = json.loads(cli("schedule", "show", "--task", "T-ty-tiyujie", "--json").stdout)
    lead = [{k: v for k, v in o.items() if k != "id"} for o in occurrences if o["duty"] == "lead"]
    assert lead == [
        {
            "task": "T-ty-tiyujie",
            "key": "once",
            "opens_at": "2022-01-04T01:00:00+00:00",
            "due_at": "2022-10-28T10:00:00+00:00",
            "original_due_at": "2022-10-28T10:00:00+00:00",
            "status": "scheduled",
            "unit": "tyc",
            "duty": "lead",
            "owner": "tyc",
        }
    ]
    # its five districts' inputs (协办) are due a week of workdays earlier: Friday 21 October
    inputs = [o for o in occurrences if o["duty"] == "cooperating"]
    assert sorted(o["unit"] for o in inputs) == ["cx", "hs", "jb", "yy", "yz"]
    assert {o["due_at"] for o in inputs} == {"2022-10-21T10:00:00+00:00"}
    unknown = cli("schedule", "show", "--task", "T-nope")
    assert unknown.exit_code == 1 and "duban tasks list" in unknown.stderr


NOW_UTC = NEW_YEAR

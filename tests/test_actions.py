"""What units and coordinators do, through the CLI: 签收, 报送, 审核/退办, 延期申请 and 批复."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from duban.models import Extension, Occurrence, StatusEvent, Task
from duban.models.db import session_scope
from duban.tasks.remind.sweep import sweep
from duban.tasks.timeline.opening import open_due
from tests.conftest import EXAMPLE_PLAN

JUNE_20 = dt.datetime(2022, 6, 20, 1, 0, tzinfo=dt.UTC)  # Monday 09:00 Beijing


@pytest.fixture
def q2(cli, engine: Engine) -> int:
    """安全稳定处's Q2 inspection, open since 1 April, due Thursday 30 June 18:00."""
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    with session_scope(engine) as s:
        open_due(session=s, plan_id="edu-2022", now=JUNE_20)
        return s.exec(
            select(Occurrence.id)
            .join(Task)
            .where(
                Task.code == "T-aq-paicha", Occurrence.key == "2022-06-30", Occurrence.unit == "aqc"
            )
        ).one()


def statuses(session: Session, occurrence_id: int) -> list[tuple[str | None, str, str]]:
    session.expire_all()
    events = session.exec(
        select(StatusEvent)
        .where(StatusEvent.occurrence_id == occurrence_id)
        .order_by(StatusEvent.id)
    )
    return [(e.from_status, e.to_status, e.actor) for e in events]


def test_submit_return_resubmit_accept(cli, q2: int, session: Session) -> None:
    now = ["--now", "2022-06-21T10:00+08:00"]
    assert cli("ack", str(q2), "--by", "aqc-clerk", *now).exit_code == 0
    sent = cli("submit", str(q2), "--note", "排查报告", "--evidence", "https://oa/1", *now)
    assert sent.exit_code == 0 and "已报送" in sent.stdout
    twice = cli("submit", str(q2), *now)
    assert twice.exit_code == 1 and "不能重复报送" in twice.stderr

    no_reason = cli("review", str(q2), "--return", " ", *now)
    assert no_reason.exit_code == 1 and "退办需要写明理由" in no_reason.stderr
    both = cli("review", str(q2), "--accept", "--return", "x")
    assert both.exit_code == 1 and "二选一" in both.stderr
    back = cli("review", str(q2), "--return", "缺整改时限", "--by", "dcs", *now)
    assert back.exit_code == 0 and "已退办" in back.stdout
    assert cli("submit", str(q2), "--note", "已补整改时限", *now).exit_code == 0
    assert cli("review", str(q2), "--accept", "--by", "dcs", *now).exit_code == 0
    late = cli("ack", str(q2), *now)
    assert late.exit_code == 1 and "已办结" in late.stderr

    events = statuses(session, q2)
    assert [(a, b) for a, b, _ in events] == [
        ("scheduled", "open"),
        ("open", "acknowledged"),
        ("acknowledged", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "accepted"),
    ]
    assert [actor for *_, actor in events][1:4] == ["cli:aqc-clerk", events[2][2], "cli:dcs"]
    session.expire_all()
    occurrence = session.get_one(Occurrence, q2)
    assert occurrence.status == "accepted" and occurrence.closed_at is not None
    history = json.loads(cli("audit", "history", str(q2), "--json").stdout)
    assert any(h.get("note") == "缺整改时限" for h in history)
    assert cli("audit", "verify").exit_code == 0


def test_an_extension_is_asked_decided_and_the_original_date_kept(
    cli, q2: int, session: Session, engine: Engine
) -> None:
    now = ["--now", "2022-06-27T10:00+08:00"]
    for to, message in (
        ("2022-06-29", "应晚于当前截止日期 2022-06-30"),
        ("2022-07-09", "2022-07-09 不是工作日。修正：改为 2022-07-11"),
        ("2028-03-01", "2028"),
        ("2022-13-01", "日期“2022-13-01”无效"),
    ):
        refused = cli("extension", "request", str(q2), "--to", to, "--reason", "台风", *now)
        assert refused.exit_code == 1 and message in refused.stderr, refused.stderr
    no_reason = cli("extension", "request", str(q2), "--to", "2022-07-15", *now)
    assert no_reason.exit_code == 1 and "需要写明理由" in no_reason.stderr

    asked = cli("extension", "request", str(q2), "--to", "2022-07-15", "--reason", "台风停课", *now)
    assert asked.exit_code == 0, asked.output
    again = cli("extension", "request", str(q2), "--to", "2022-07-20", "--reason", "再延", *now)
    assert again.exit_code == 1 and "已有待审批的延期申请" in again.stderr
    refused = cli("extension", "decide", str(q2), "--refuse", "时限不能再推迟", *now)
    assert refused.exit_code == 0 and "未同意" in refused.stdout
    session.expire_all()
    assert session.get_one(Occurrence, q2).due_at == dt.datetime(2022, 6, 30, 10, tzinfo=dt.UTC)

    cli("extension", "request", str(q2), "--to", "2022-07-15", "--reason", "台风停课", *now)
    approved = cli("extension", "decide", str(q2), "--approve", "--to", "2022-07-14", *now)
    assert approved.exit_code == 0 and "已同意" in approved.stdout
    session.expire_all()
    occurrence = session.get_one(Occurrence, q2)
    assert occurrence.due_at == dt.datetime(2022, 7, 14, 10, tzinfo=dt.UTC)  # 18:00 Beijing kept
    assert occurrence.original_due_at == dt.datetime(2022, 6, 30, 10, tzinfo=dt.UTC)
    decisions = session.exec(select(Extension).order_by(Extension.id)).all()
    assert [d.status for d in decisions] == ["refused", "approved"]
    nothing = cli("extension", "decide", str(q2), "--approve", *now)
    assert nothing.exit_code == 1 and "没有待审批的延期申请" in nothing.stderr

    # the countdown starts again from the new date, and the ledger is intact
    with session_scope(engine) as s:
        found = sweep(session=s, plan_id="edu-2022", now=dt.datetime(2022, 7, 12, 1, tzinfo=dt.UTC))
    mine = {d.stage for d in found.due if d.occurrence_id == q2}
    assert "before-3/2022-07-14" in mine and not any("overdue" in m for m in mine)
    assert cli("audit", "verify").exit_code == 0
    overdue = json.loads(
        cli("audit", "overdue", "--now", "2022-07-18T09:00+08:00", "--json").stdout
    )
    row = next(r for r in overdue if r["id"] == q2)
    assert row["original_due_at"].startswith("2022-06-30") and row["workdays_overdue"] == 2


def test_inspection_findings_become_rectifications_that_close_the_inspection(
    cli, q2: int, session: Session, engine: Engine
) -> None:
    now = ["--now", "2022-06-28T10:00+08:00"]
    sent = cli(
        "submit",
        str(q2),
        "--note",
        "自查",
        "--finding",
        "消防通道堵塞",
        "--finding",
        "监控盲区",
        *now,
    )
    assert sent.exit_code == 0, sent.output
    assert cli("review", str(q2), "--accept", "--by", "dcs", *now).exit_code == 0
    session.expire_all()
    parent = session.get_one(Occurrence, q2)
    children = session.exec(
        select(Occurrence)
        .where(Occurrence.parent_id == q2, Occurrence.duty == "rectification")
        .order_by(Occurrence.id)
    ).all()
    assert [c.subject for c in children] == ["消防通道堵塞", "监控盲区"]
    assert {c.unit for c in children} == {"aqc"}  # found at the inspected unit itself
    assert {c.status for c in children} == {"open"} and parent.closed_at is None
    # 20 workdays from Tuesday 28 June 2022 is Tuesday 26 July, at the inspection's 18:00
    assert {c.due_at for c in children} == {dt.datetime(2022, 7, 26, 10, tzinfo=dt.UTC)}
    assert children[0].key == f"{parent.key}/整改1"

    # they are reminded like any occurrence, by name
    with session_scope(engine) as s:
        due = sweep(
            session=s, plan_id="edu-2022", now=dt.datetime(2022, 7, 21, 1, tzinfo=dt.UTC)
        ).due
    assert {(d.stage, d.recipient) for d in due if d.occurrence_id == children[0].id} >= {
        ("before-3/2022-07-26", "aqc")
    }

    for child in children:
        assert cli("submit", str(child.id), "--note", "已整改", *now).exit_code == 0
    assert cli("review", str(children[0].id), "--accept", *now).exit_code == 0
    session.expire_all()
    assert session.get_one(Occurrence, q2).closed_at is None  # one still open
    assert cli("review", str(children[1].id), "--accept", *now).exit_code == 0
    session.expire_all()
    assert session.get_one(Occurrence, q2).closed_at is not None
    history = json.loads(cli("audit", "history", str(q2), "--json").stdout)
    notes = [h.get("note") for h in history if h["what"] == "status"]
    assert "发现问题 2 项，已交办整改" in notes and "2 项整改全部完成，检查办结" in notes
    assert cli("audit", "verify").exit_code == 0


def open_task(engine: Engine, code: str, now: dt.datetime) -> int:
    with session_scope(engine) as s:
        open_due(session=s, plan_id="edu-2022", now=now)
        return s.exec(
            select(Occurrence.id).join(Task).where(Task.code == code).order_by(Occurrence.due_at)
        ).first()


def test_each_kind_reports_what_it_really_has(cli, engine: Engine, session: Session) -> None:
    """评定 against the quota (新评定2所 → exactly which two), 引进 hires against 20 名, and a
    training count — each also a measurement of the task's indicator."""
    from duban.models import Indicator, Measurement
    from duban.tasks.work.actions import ActionRefused, submit_report

    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    december = dt.datetime(2022, 12, 1, 1, tzinfo=dt.UTC)
    evaluation = open_task(engine, "T-zj-tese", december)
    hires = open_task(engine, "T-rs-baichuan", december)
    training = open_task(engine, "T-zc-qiyepeixun", december)
    candidates = ["宁波职教中心", "鄞州职教中心", "奉化技工学校"]
    with session_scope(engine) as s:
        for designated, message in (
            (["宁波职教中心"], "评定结果应为 2 个，实际 1 个"),
            (["宁波职教中心", "某某学校"], "“某某学校”不在候选名单中"),
        ):
            with pytest.raises(ActionRefused, match=message):
                submit_report(
                    session=s,
                    occurrence_id=evaluation,
                    actor="unit:zcc",
                    now=december,
                    form="evaluation",
                    data={"candidates": candidates, "designated": designated},
                    value=float(len(designated)),
                )
        for pipeline, message in (
            (
                {"applied": 140, "shortlisted": 40, "interviewed": 30, "hired": 31},
                "录用（引进）人数 31 多于面试人数 30",
            ),
            (
                {"posted": 20, "applied": 140, "shortlisted": 40, "interviewed": 30, "hired": 21},
                "多于发布岗位数 20",
            ),
            ({"hired": 20}, "录用（引进）人数 20 多于面试人数 0"),
        ):
            with pytest.raises(ActionRefused, match=re.escape(message)):
                submit_report(
                    session=s,
                    occurrence_id=hires,
                    actor="unit:rsc",
                    now=december,
                    form="recruitment",
                    data=pipeline,
                    value=float(pipeline["hired"]),
                )
    with session_scope(engine) as s:
        for occurrence, form, data, value in (
            (
                evaluation,
                "evaluation",
                {
                    "candidates": candidates,
                    "designated": candidates[:2],
                    "scores": {"宁波职教中心": 92},
                },
                2.0,
            ),
            (
                hires,
                "recruitment",
                {"posted": 25, "applied": 140, "shortlisted": 40, "interviewed": 30, "hired": 21},
                21.0,
            ),
            (training, "general", {"count": 41200, "note": "前三季度累计"}, 41200.0),
        ):
            event = submit_report(
                session=s,
                occurrence_id=occurrence,
                actor="unit:x",
                now=december,
                form=form,
                data=data,
                value=value,
            )
            assert event is not None and event.evidence[-1]["form"] == form
    measured = {
        code: value
        for code, value in session.exec(
            select(Indicator.code, Measurement.value).join(
                Measurement, Measurement.indicator_id == Indicator.id
            )
        )
    }
    assert measured == {"G3-2": 2.0, "G4-4": 21.0, "G6-1": 41200.0}
    indicators = {
        r["code"]: r
        for r in json.loads(
            cli("audit", "indicators", "--now", "2022-12-02T09:00+08:00", "--json").stdout
        )
    }
    assert (
        indicators["G4-4"]["attainment"] == "met" and indicators["G6-1"]["attainment"] == "not_met"
    )

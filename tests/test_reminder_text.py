"""The words of a reminder, in Chinese and in English."""

from __future__ import annotations

import datetime as dt

from duban.tasks.remind.texts import StageFacts, compose, left_text

DUE = dt.datetime(2022, 6, 30, 10, 0, tzinfo=dt.UTC)  # 18:00 Beijing


def facts(stage: str, left: int, **extra: object) -> StageFacts:
    base = dict(
        reminder_id=7,
        stage=stage,
        task_title="开展安全稳定隐患排查治理",
        item="五/(四)/1",
        kind="inspection",
        deliverable=None,
        owner_name="安全稳定处",
        due_at=DUE,
        workdays_left=left,
        link="http://127.0.0.1:4200/runs/flow-run/abc",
    )
    return StageFacts(**{**base, **extra})  # type: ignore[arg-type]


def test_a_single_reminder_in_chinese() -> None:
    message = compose(
        "安全稳定处",
        [facts("before-3/2022-06-30", 3)],
        timezone="Asia/Shanghai",
        contact="局办公室（督查室） 0574-8718xxxx",
    )
    assert message.title == "【督办】工作提醒：开展安全稳定隐患排查治理"
    assert "截止：2022年6月30日 星期四 18:00（还剩3个工作日）" in message.body
    assert "需报送：自查报告和问题整改清单" in message.body
    assert "办理：http://127.0.0.1:4200/runs/flow-run/abc" in message.body
    assert "联系：局办公室（督查室） 0574-8718xxxx" in message.body
    assert message.body.endswith("督办编号：R7")


def test_an_escalation_names_the_late_unit_and_how_late() -> None:
    message = compose(
        "分管综合保障副局长",
        [facts("escalate-3/2022-06-30", -3)],
        timezone="Asia/Shanghai",
        contact=None,
    )
    assert message.title == "【督办】逾期升级督办：开展安全稳定隐患排查治理"
    assert "责任单位：安全稳定处" in message.body and "已逾期3个工作日" in message.body


def test_several_stages_for_one_recipient_are_one_message() -> None:
    message = compose(
        "安全稳定处",
        [facts("overdue-2/2022-03-31", -2), facts("ack", 30, reminder_id=9)],
        timezone="Asia/Shanghai",
        contact=None,
    )
    assert message.title == "【督办】2项工作逾期"
    assert message.body.count("开展安全稳定隐患排查治理") == 2
    assert message.body.endswith("督办编号：R7,R9")


def test_english_on_request() -> None:
    message = compose(
        "Safety Office",
        [facts("before-1/2022-06-30", 1)],
        timezone="Asia/Shanghai",
        contact=None,
        lang="en",
    )
    assert "Due Thu 30 Jun 2022 18:00 (1 workday(s) left)" in message.body
    assert left_text(0, "zh-CN") == "今天到期" and left_text(-2, "en") == "2 workday(s) overdue"

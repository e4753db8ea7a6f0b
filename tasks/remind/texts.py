"""The words of a reminder: zh-CN by default, English on request. Pure.

All the stages due for one recipient in one sweep go into one message (a DingTalk group
reminded fifty times a minute is a group that mutes the bot). Each line says what is due,
by when in the plan's time zone with the weekday, how many workdays are left or overdue,
what to submit and where to act.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from duban.tasks.remind.alerts import alert_parts
from duban.tasks.remind.delivery import Message

WEEKDAYS_ZH = "一二三四五六日"
KIND_DELIVERABLE = {
    "inspection": ("自查报告和问题整改清单", "self-inspection report and findings"),
    "evaluation": ("评审结果（名单、得分）", "evaluation results (list and scores)"),
    "recruitment": ("招聘/引进进展和录用名单", "recruitment progress and hires"),
    "training": ("累计培训人次和培训台账", "cumulative trainees and records"),
    "construction": ("项目进度和完成数量", "project progress and completed count"),
    "event": ("活动方案和举办情况", "event plan and report"),
    "other": ("完成情况说明", "a report on completion"),
}


@dataclass(frozen=True)
class StageFacts:
    """One due stage, with everything its line needs."""

    reminder_id: int
    stage: str
    task_title: str
    item: str | None
    kind: str
    deliverable: str | None
    owner_name: str
    due_at: dt.datetime
    workdays_left: int  # negative when overdue
    link: str | None = None
    duty: str = "lead"  # lead | cooperating (协办: an input to the 主办) | rectification


def stage_type(stage: str) -> str:
    name = stage.split("/", 1)[0]
    for prefix in (
        "ack-escalate",
        "ack",
        "before",
        "overdue",
        "escalate",
        "returned",
        "undeliverable",
        "broken",
        "alert",
    ):
        if name.startswith(prefix):
            return prefix
    return "before"


def due_text(moment: dt.datetime, timezone: str, lang: str) -> str:
    local = moment.astimezone(ZoneInfo(timezone))
    if lang == "en":
        return local.strftime("%a %-d %b %Y %H:%M")
    return f"{local.year}年{local.month}月{local.day}日 星期{WEEKDAYS_ZH[local.weekday()]} {local:%H:%M}"


def left_text(workdays_left: int, lang: str) -> str:
    if lang == "en":
        if workdays_left >= 0:
            return f"{workdays_left} workday(s) left"
        return f"{-workdays_left} workday(s) overdue"
    if workdays_left > 0:
        return f"还剩{workdays_left}个工作日"
    if workdays_left == 0:
        return "今天到期"
    return f"已逾期{-workdays_left}个工作日"


LEADS = {
    "ack": ("请签收以下工作任务", "Please acknowledge this assignment"),
    "ack-escalate": ("以下任务交办后尚未签收，请督促", "Not yet acknowledged; please follow up"),
    "before": ("工作提醒", "Reminder"),
    "overdue": ("逾期催办", "Overdue"),
    "escalate": ("逾期升级督办", "Escalation: overdue"),
    "returned": (
        "报送材料已退回，请修改后重新报送",
        "Your submission was returned; please resubmit",
    ),
    "undeliverable": ("提醒无法送达责任单位，请人工联系", "A reminder could not be delivered"),
    "broken": ("通知通道失效，请更新其配置", "A notification channel is broken"),
    "alert": ("流程运行失败", "A flow run failed"),
}


def alert_line(stage: str, lang: str) -> str:
    """The line of a failed (or crashed) flow run: what to do, and why nothing is lost."""
    run_id, crashed, name = alert_parts(stage)
    if lang == "en":
        return (
            f"- **Flow run {'crashed' if crashed else 'failed'}**: {name} (run {run_id}). Read "
            "its logs in the Prefect UI and run it again; the next sweep opens what was missed "
            "and sends what is due (the database is the record)."
        )
    return (
        f"- **流程运行{'崩溃' if crashed else '失败'}**：{name}（运行编号 {run_id}）。"
        "请在 Prefect 界面查看日志并重新运行；"
        "期次和台账以数据库为准：巡检会在下次运行时补开遗漏的期次、补发提醒"
    )


def broken_line(tag: str, lang: str) -> str:
    """The line of a note that a channel refuses for good (the tag names it; never its URL)."""
    if lang == "en":
        return (
            f"- **{LEADS['broken'][1]}**: channel `{tag}` refused permanently (revoked token, "
            "removed webhook or refused recipient); its messages now go to the next channel. "
            "Update it in the apprise configuration."
        )
    return (
        f"- **{LEADS['broken'][0]}**：通道 `{tag}` 永久性拒收（令牌失效、地址已删除或收件人被拒），"
        "其消息已改由下一通道发送；请在 apprise 配置中更新该通道"
    )


def compose(
    recipient_name: str,
    stages: list[StageFacts],
    *,
    timezone: str,
    contact: str | None,
    lang: str = "zh-CN",
    link: str | None = None,
) -> Message:
    """`link`: one link for the whole message (a daily digest's portal page)."""
    en = lang == "en"
    worst = min(s.workdays_left for s in stages)
    if len(stages) == 1 and stage_type(stages[0].stage) == "alert":
        _, crashed, name = alert_parts(stages[0].stage)
        outcome = ("crashed" if crashed else "failed") if en else ("崩溃" if crashed else "失败")
        title = (
            f"[Duban] Flow run {outcome}: {name}" if en else f"【督办】流程运行{outcome}：{name}"
        )
    elif len(stages) == 1:
        lead = LEADS[stage_type(stages[0].stage)][1 if en else 0]
        title = f"{'[Duban] ' if en else '【督办】'}{lead}：{stages[0].task_title}"
    else:
        title = (
            f"[Duban] {len(stages)} items need attention"
            if en
            else f"【督办】{len(stages)}项工作{'逾期' if worst < 0 else '提醒'}"
        )
    lines = [f"**{recipient_name}**：" if not en else f"**{recipient_name}**:"]
    for facts in stages:
        kind = stage_type(facts.stage)
        if kind == "broken":
            lines.append(broken_line(facts.stage.split("/")[1], lang))
            continue
        if kind == "alert":  # with the failed run's page in the Prefect UI
            lines.append(alert_line(facts.stage, lang))
            lines += [f"  {'Open' if en else '查看'}：{facts.link}"] if facts.link else []
            continue
        deliverable = facts.deliverable or KIND_DELIVERABLE[facts.kind][1 if en else 0]
        if facts.duty == "cooperating":
            deliverable = "协办意见（报送主办）" if not en else "your input to the lead unit"
        if en:
            lines += [
                f"- **{LEADS[kind][1]}** — {facts.task_title}"
                + (f" (plan item {facts.item})" if facts.item else ""),
                f"  Due {due_text(facts.due_at, timezone, lang)} ({left_text(facts.workdays_left, lang)})",
                f"  {'Cooperating' if facts.duty == 'cooperating' else 'Responsible'} unit: {facts.owner_name}; submit: {deliverable}",
            ]
        else:
            lines += [
                f"- **{LEADS[kind][0]}**：{facts.task_title}"
                + (f"（计划条目 {facts.item}）" if facts.item else ""),
                f"  截止：{due_text(facts.due_at, timezone, lang)}（{left_text(facts.workdays_left, lang)}）",
                f"  {'协办单位' if facts.duty == 'cooperating' else '责任单位'}：{facts.owner_name}；需报送：{deliverable}",
            ]
        if facts.link:
            lines.append(f"  {'Open' if en else '办理'}：{facts.link}")
    if link:
        lines.append(f"{'Open all' if en else '全部办理'}：{link}")
    if contact:
        lines.append(("Questions: " if en else "联系：") + contact)
    ids = ",".join(f"R{s.reminder_id}" for s in stages)
    lines.append(f"{'Ref' if en else '督办编号'}：{ids}")
    return Message(title=title, body="\n".join(lines))


def run_link(ui_url: str | None) -> Callable[[str | None], str | None]:
    """The Prefect UI page of a flow run, for the lines of a message to leaders and
    coordinators (`PREFECT_UI_URL`); nothing when no UI address is known."""

    def link(run_id: str | None) -> str | None:
        return f"{ui_url.rstrip('/')}/runs/flow-run/{run_id}" if ui_url and run_id else None

    return link

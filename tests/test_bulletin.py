"""督办通报 for the week of 27 June 2022 in the example plan's year: who is late, the lights, the
ranking; sent through real loopback receivers (SMTP with the report attached, a json:// webhook
with the Markdown), stored, shown again exactly as sent, its SHA-256 in the ledger."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from duban.models import Bulletin, Indicator, Measurement, Occurrence, Plan, StatusEvent, Task
from duban.models.db import session_scope
from duban.tasks.bulletin.period import parse
from duban.tasks.bulletin.store import content_for
from duban.tasks.timeline.opening import open_due
from duban.tasks.work.actions import review, submit
from tests.conftest import EXAMPLE_PLAN
from tests.receivers import HttpReceiver, SmtpReceiver

WEEK = "2022-06-27"  # Monday; the week's bulletin goes out on Monday 4 July
MONDAY_AFTER = "2022-07-04T09:00+08:00"


def beijing(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text + "+08:00").astimezone(dt.UTC)


def occurrence(session: Session, task: str, unit: str, key: str = "2022-06-30") -> int:
    found = session.exec(
        select(Occurrence.id)
        .join(Task)
        .where(Task.code == task, Occurrence.unit == unit, Occurrence.key == key)
    ).one()
    assert found is not None
    return found


@pytest.fixture
def june(cli, engine: Engine) -> None:
    """The Q2 deadline (Thursday 30 June): 安全稳定处 on time, 教师工作处 a workday late,
    基础教育处 on time after one 退办; 新增数字化校园 at 60 of 180 schools by mid-year."""
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    with session_scope(engine) as s:
        open_due(session=s, plan_id="edu-2022", now=beijing("2022-06-20T09:00"))
        aq = occurrence(s, "T-aq-paicha", "aqc")
        submit(session=s, occurrence_id=aq, actor="unit:aqc", now=beijing("2022-06-29T10:00"))
        review(session=s, occurrence_id=aq, actor="coordinator:dcs", now=beijing("2022-06-30T09:00"), accept=True)  # fmt: skip
        js = occurrence(s, "T-js-xuanxue", "jsc")
        submit(session=s, occurrence_id=js, actor="unit:jsc", now=beijing("2022-07-01T10:00"))
        jj = occurrence(s, "T-jj-shuzihua", "jjc")
        submit(session=s, occurrence_id=jj, actor="unit:jjc", now=beijing("2022-06-28T10:00"))
        review(session=s, occurrence_id=jj, actor="coordinator:dcs", now=beijing("2022-06-28T15:00"), accept=False, reason="缺佐证")  # fmt: skip
        submit(session=s, occurrence_id=jj, actor="unit:jjc", now=beijing("2022-06-30T10:00"))
        g53 = s.exec(select(Indicator).where(Indicator.code == "G5-3")).one()
        assert g53.id is not None
        s.add(
            Measurement(
                indicator_id=g53.id, value=60, at=beijing("2022-06-30T11:00"), reported_by="jjc"
            )
        )


def test_the_weeks_bulletin_names_the_overdue_ranks_the_units_and_counts_their_lights(
    june: None, session: Session
) -> None:
    plan = session.get_one(Plan, "edu-2022")
    content = content_for(session, plan, parse(WEEK, None), beijing("2022-07-04T09:00"))

    assert content.title == "督办通报 · 2022年第26周（6月27日—7月3日）"
    assert content.as_of_text == "2022-07-03 24:00"  # judged at the end of the week
    overdue = {(o.unit, o.task, o.due): o.workdays for o in content.overdue}
    # 高等教育处's mid-term inspection, due Thursday 30 June: Friday is the week's one workday late
    assert overdue[("gjc", "T-gj-zhongqi", "2022-06-30")] == 1
    assert ("aqc", "T-aq-paicha", "2022-06-30") not in overdue  # reported on time
    assert ("jsc", "T-js-xuanxue", "2022-06-30") not in overdue  # reported, late
    assert ("jjc", "T-jj-shuzihua", "2022-06-30") not in overdue  # reported after a 退办

    lights = {x.unit: (x.red, x.yellow, x.green) for x in content.lights}
    assert lights["aqc"][0] == 2  # Q1's inspection and Q2's training, still not reported
    assert lights["jsc"][0] == 0 and lights["jsc"][2] >= 1  # reported late, under review: green

    ranks = [r.rank for r in content.ranking]
    assert ranks == sorted(ranks) and ranks[0] == 1
    scores = {r.unit: r.score for r in content.ranking}
    assert scores["jsc"] == -1  # one workday late
    # the five district bureaux share the last rank, all named at the bottom
    districts = {"hs", "jb", "yz", "yy", "cx"}
    assert {r.unit for r in content.bottom} == districts
    assert len({scores[u] for u in districts}) == 1 and min(scores.values()) == scores["hs"]

    behind = {b.code: (b.latest, b.expected) for b in content.behind}
    assert behind["G5-3"][0] == 60 and behind["G5-3"][1] is not None and behind["G5-3"][1] > 80
    assert content.changes.first


def write_config(path: Path, http: HttpReceiver, smtp: SmtpReceiver) -> Path:
    """The leaders on a json:// webhook (as a DingTalk robot would be), 督查室 by e-mail."""
    lines = ["urls:"]
    for tag in ("ld-jy", "ld-gz", "ld-rs", "ld-zh"):
        lines += [f"  - {http.url(tag)}:", f"      tag: {tag}"]
    lines += [f"  - {smtp.url('dcs@bureau.example')}:", "      tag: dcs"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_bulletin_goes_by_mail_with_the_report_and_by_webhook_once_and_is_kept(
    june: None, cli, session: Session, tmp_path: Path
) -> None:
    with HttpReceiver().running() as http, SmtpReceiver().running() as smtp:
        cli.env["DUBAN_APPRISE_CONFIG"] = str(write_config(tmp_path / "apprise.yaml", http, smtp))
        sent = cli("bulletin", "send", "--week", WEEK, "--now", MONDAY_AFTER)
        assert sent.exit_code == 0, sent.output
        assert "已送达 5/5" in sent.stdout
        again = cli("bulletin", "send", "--week", WEEK, "--now", "2022-07-04T10:00+08:00")
        assert again.exit_code == 0 and "此前已存档" in again.stdout

    [mail] = smtp.messages  # once, though asked twice
    assert mail["to"] == ["dcs@bureau.example"]
    assert "督办通报" in mail["subject"]
    assert "高等教育处" in mail["body"] and "逾期 1 个工作日" in mail["body"]
    files = mail["attachments"]
    assert set(files) == {f"duban-week-{WEEK}.xlsx", f"duban-week-{WEEK}.html"}
    assert files[f"duban-week-{WEEK}.xlsx"][:2] == b"PK"  # a real workbook (zip)
    assert "考核评分" in files[f"duban-week-{WEEK}.html"].decode("utf-8")

    posts = sorted(http.posts, key=lambda p: p["path"])
    assert [p["path"].split("?")[0] for p in posts] == ["/ld-gz", "/ld-jy", "/ld-rs", "/ld-zh"]
    session.expire_all()
    [row] = session.exec(select(Bulletin)).all()
    assert all(p["message"] == row.markdown for p in posts)  # the Markdown, exactly as stored
    assert row.markdown.startswith("## 督办通报 · 2022年第26周")
    assert "### 排名靠后" in row.markdown

    # stored: who got it and when (codes, never URLs), its SHA-256 in the ledger
    assert {r["unit"]: r["status"] for r in row.recipients} == dict.fromkeys(
        ["dcs", "ld-jy", "ld-gz", "ld-rs", "ld-zh"], "sent"
    )
    assert "127.0.0.1" not in json.dumps(row.recipients)
    assert row.sha256 == hashlib.sha256(row.markdown.encode()).hexdigest()
    event = session.get_one(StatusEvent, row.ledger_event_id)
    assert event.occurrence_id is None and row.sha256 in (event.note or "")
    assert cli("audit", "verify").exit_code == 0

    shown = cli("bulletin", "show", "--id", str(row.id))
    assert shown.exit_code == 0 and shown.stdout == row.markdown + "\n"
    listed = json.loads(cli("bulletin", "list", "--json").stdout)
    assert [(b["period"], b["sha256"]) for b in listed] == [(WEEK, row.sha256)]


def test_the_next_bulletin_says_what_changed_since_the_last(
    june: None, cli, engine: Engine, tmp_path: Path
) -> None:
    with HttpReceiver().running() as http, SmtpReceiver().running() as smtp:
        cli.env["DUBAN_APPRISE_CONFIG"] = str(write_config(tmp_path / "apprise.yaml", http, smtp))
        assert cli("bulletin", "send", "--week", WEEK, "--now", MONDAY_AFTER).exit_code == 0
    with session_scope(engine) as s:
        gj = occurrence(s, "T-gj-zhongqi", "gjc", key="once")
        submit(session=s, occurrence_id=gj, actor="unit:gjc", now=beijing("2022-07-05T10:00"))
    shown = cli("bulletin", "show", "--week", "2022-07-04", "--now", "2022-07-11T09:00+08:00")
    assert shown.exit_code == 0, shown.output
    assert (
        "- 不再逾期：高等教育处 T-gj-zhongqi 开展市级高校重点建设专业中期检查（截止 2022-06-30）"
        in shown.stdout
    )
    assert "本期为首期通报" not in shown.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ((), "--week 2022-06-27 或 --month 2022-06"),
        (("--week", "2022-13-01"), "写成 2022-06-27"),
        (("--month", "2022-6"), "写成 2022-06"),
    ],
)
def test_a_period_mistyped_is_one_sentence_with_the_fix(
    cli, args: tuple[str, ...], said: str
) -> None:
    result = cli("bulletin", "show", *args)
    assert result.exit_code == 1
    assert said in result.output and "Traceback" not in result.output


def test_audit_scores_explains_each_units_points_by_the_plans_rules(june: None, cli) -> None:
    """考核评分 for June: 教师工作处 a workday late (−1); 基础教育处 on time (+1) after one 退办
    (−2); 安全稳定处 on time (+1) — each score the sum of the events listed under it."""
    result = cli("audit", "scores", "--period", "2022-06", "--now", MONDAY_AFTER, "--json")
    assert result.exit_code == 0, result.output
    rows = {r["unit"]: r for r in json.loads(result.stdout)}
    assert [(e["rule"], e["points"]) for e in rows["jsc"]["events"]] == [("late_workday", -1.0)]
    jjc = [(e["task"], e["rule"], e["points"]) for e in rows["jjc"]["events"]]
    assert ("T-jj-shuzihua", "on_time", 1.0) in jjc and ("T-jj-shuzihua", "returned", -2.0) in jjc
    for row in rows.values():
        assert row["score"] == pytest.approx(sum(e["points"] for e in row["events"]))
    assert [r["rank"] for r in rows.values()] == sorted(r["rank"] for r in rows.values())
    table = cli("audit", "scores", "--period", "2022-06", "--now", MONDAY_AFTER)
    assert "逾期 1 个工作日报送 T-js-xuanxue 2022-06-30（主办 ×1）-1" in table.stdout


def test_a_failed_recipient_is_tried_again_and_one_cut_off_mid_send_never_is(
    june: None, engine: Engine, session: Session, tmp_path: Path
) -> None:
    """分管综合保障副局长's webhook answers 500: failed, and reached on the next run once it
    works; 分管人事师资副局长 was being sent to when the sender died: uncertain, never resent."""
    from duban.tasks.bulletin.deliver import deliver
    from duban.tasks.bulletin.issue import issue, tags_of
    from duban.tasks.remind.delivery import AppriseTransport

    with session_scope(engine) as s:
        row, _ = issue(s, s.get_one(Plan, "edu-2022"), parse(WEEK, None), now=beijing("2022-07-04T09:00"))  # fmt: skip
        tags = tags_of(s, "edu-2022")
        recipients = [dict(r) for r in row.recipients]
        recipients[[r["unit"] for r in recipients].index("ld-rs")]["status"] = "sending"
        row.recipients = recipients  # as a sender killed during that call left it
        s.add(row)
    assert row.id is not None
    with HttpReceiver().running() as http, SmtpReceiver().running() as smtp:
        config = write_config(tmp_path / "apprise.yaml", http, smtp)
        config.write_text(config.read_text().replace(http.url("ld-zh"), http.url("fail")))
        at = beijing("2022-07-04T09:00")
        first = deliver(engine, row.id, AppriseTransport(config), tags_of=tags, clock=lambda: at)
        config.write_text(config.read_text().replace(http.url("fail"), http.url("ld-zh")))
        second = deliver(engine, row.id, AppriseTransport(config), tags_of=tags, clock=lambda: at)
        paths = sorted(p["path"].split("?")[0] for p in http.posts)
    status = {r["unit"]: r["status"] for r in first.recipients}
    assert status == {"dcs": "sent", "ld-jy": "sent", "ld-gz": "sent", "ld-rs": "uncertain", "ld-zh": "failed"}  # fmt: skip
    assert "500" in next(r["error"] for r in first.recipients if r["unit"] == "ld-zh")
    assert {r["unit"]: r["status"] for r in second.recipients}["ld-zh"] == "sent"
    assert paths == ["/ld-gz", "/ld-jy", "/ld-zh"] and len(smtp.messages) == 1  # each once

"""Reminders through apprise to real receivers on loopback: written once, sent once, never lost."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from duban.models import Reminder
from duban.models.db import make_engine, session_scope
from duban.tasks.remind.delivery import AppriseTransport
from duban.tasks.remind.dispatch import dispatch
from duban.tasks.remind.sweep import sweep
from duban.tasks.timeline.opening import open_due
from tests.conftest import EXAMPLE_PLAN, ROOT
from tests.receivers import HttpReceiver, MqttReceiver, SmtpReceiver, reminder_ids

# Monday 20 June 2022, 09:00 Beijing: Q2 deadlines are 8 workdays away, Q1's long overdue
JUNE_20 = dt.datetime(2022, 6, 20, 1, 0, tzinfo=dt.UTC)
SECRET = "S3cr3tT0ken"


def import_and_open(cli, engine: Engine, now: dt.datetime = JUNE_20) -> None:
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    with session_scope(engine) as session:
        open_due(session=session, plan_id="edu-2022", now=now)


def write_config(path: Path, http: HttpReceiver, smtp: SmtpReceiver | None = None) -> Path:
    """Every unit tag to the HTTP receiver, except 基础教育处: its DingTalk fails, mail works."""
    tags = [
        "dcs",
        "ld-jy",
        "ld-gz",
        "ld-rs",
        "ld-zh",
        "xqc",
        "tyc",
        "gjc",
        "zcc-wecom",
        "zcc-mail",
        "gjhz",
        "jsc",
        "rsc",
        "aqc",
        "xcc",
        "fgc",
        "cwc",
        "hs-dingtalk",
        "hs-sms",
        "jb",
        "yz",
        "yy",
        "cx",
    ]
    lines = ["urls:"]
    for tag in tags:
        lines += [f"  - {http.url(tag)}:", f"      tag: {tag}"]
    lines += [f"  - {http.url('fail', secret=SECRET)}:", "      tag: jjc-dingtalk"]
    if smtp is not None:
        lines += [f"  - {smtp.url('jjc@bureau.example')}:", "      tag: jjc-mail"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rows(session: Session) -> list[Reminder]:
    session.expire_all()
    return list(session.exec(select(Reminder).order_by(Reminder.id)))


def test_remind_sends_each_due_stage_once_on_the_units_own_channel(
    cli, engine: Engine, session: Session, tmp_path: Path
) -> None:
    import_and_open(cli, engine)
    with HttpReceiver().running() as http, SmtpReceiver().running() as smtp:
        cli.env["DUBAN_APPRISE_CONFIG"] = str(write_config(tmp_path / "apprise.yaml", http, smtp))
        first = cli("remind", "--now", "2022-06-20T09:00+08:00")
        assert first.exit_code == 0, first.output
        again = cli("remind", "--now", "2022-06-20T09:30+08:00")
        assert again.exit_code == 0

        reminders = rows(session)
        assert reminders and {r.status for r in reminders} == {"sent"}, [
            (r.recipient, r.status, r.error) for r in reminders if r.status != "sent"
        ]
        received = http.counts()
        for message in smtp.messages:
            received.update(reminder_ids(message["body"]))
        assert sorted(received) == [r.id for r in reminders]  # every row, once
        assert set(received.values()) == {1}
        assert "新写入发件箱 0 条" in again.stdout

        # 基础教育处: DingTalk answered 500, so the same reminders fell through to e-mail at once
        [mail] = [m for m in smtp.messages if m["to"] == ["jjc@bureau.example"]]
        assert mail["subject"].startswith("【督办】")
        assert "基础教育处" in mail["body"] and "截止：2022年" in mail["body"]
        jjc = [r for r in reminders if r.recipient == "jjc"]
        assert jjc and all(r.channel == 1 and r.outcome["channel"] == "jjc-mail" for r in jjc)
        assert all(SECRET not in (r.error or "") for r in reminders)

        # one message per recipient: 安全稳定处's stages came together
        aqc = [p for p in http.posts if p["path"].startswith("/aqc")]
        assert len(aqc) == 1 and "星期" in aqc[0]["message"]
    listed = json.loads(cli("reminders", "list", "--json", "--status", "sent").stdout)
    assert len(listed) == len(reminders)


def test_a_dead_channel_fails_only_its_own_rows_within_bounded_time(
    cli, engine: Engine, session: Session, tmp_path: Path
) -> None:
    import_and_open(cli, engine)
    with HttpReceiver().running() as http:
        config = write_config(tmp_path / "apprise.yaml", http)  # jjc-mail is not configured
        text = config.read_text().replace(http.url("aqc"), http.url("hang"))
        config.write_text(text)
        with session_scope(engine) as s:
            sweep(session=s, plan_id="edu-2022", now=JUNE_20)
        started = time.monotonic()
        result = dispatch(
            engine,
            AppriseTransport(config, timeout=5),
            worker="t",
            now=JUNE_20,
            clock=lambda: dt.datetime.now(dt.UTC),
        )
        elapsed = time.monotonic() - started

    assert elapsed < 15
    by_unit = {}
    for r in rows(session):
        by_unit.setdefault(r.recipient, set()).add(r.status)
    assert by_unit["aqc"] == {"pending"}  # timed out: retried later with backoff
    # DingTalk answered 500, and jjc-mail has no channel configured: failed, coordinators told
    assert by_unit["jjc"] == {"failed"}
    assert by_unit["gjc"] == {"sent"} and by_unit["ld-zh"] == {"sent"}
    aqc = [r for r in rows(session) if r.recipient == "aqc"]
    assert all(r.next_attempt_at and r.next_attempt_at > JUNE_20 and r.attempts == 1 for r in aqc)
    assert result.sent > 0 and result.failed == len(
        [r for r in rows(session) if r.recipient == "jjc"]
    )


def test_a_unit_without_any_channel_is_reported_to_the_coordinators(
    cli, engine: Engine, session: Session, tmp_path: Path
) -> None:
    import_and_open(cli, engine)
    with HttpReceiver().running() as http:
        config = write_config(tmp_path / "apprise.yaml", http)
        config.write_text(config.read_text().replace("tag: aqc", "tag: nobody-listens"))
        with session_scope(engine) as s:
            sweep(session=s, plan_id="edu-2022", now=JUNE_20)
        transport = AppriseTransport(config)
        dispatch(engine, transport, worker="t", now=JUNE_20, clock=lambda: JUNE_20)
        dispatch(engine, transport, worker="t", now=JUNE_20, clock=lambda: JUNE_20)
        notices = [
            p for p in http.posts if p["path"].startswith("/dcs") and "无法送达" in p["message"]
        ]
    failed = [r for r in rows(session) if r.recipient == "aqc"]
    assert failed and {r.status for r in failed} == {"failed"}
    assert all("没有配置任何通道" in (r.error or "") for r in failed)
    assert notices, "the coordinators were not told"


DISPATCHER = """
import datetime as dt, sys
from duban.models.db import make_engine
from duban.tasks.remind.delivery import AppriseTransport
from duban.tasks.remind.dispatch import dispatch
url, config, hours = sys.argv[1], sys.argv[2], int(sys.argv[3])
now = dt.datetime(2022, 6, 20, 1, tzinfo=dt.UTC) + dt.timedelta(hours=hours)
engine = make_engine(url)
while dispatch(engine, AppriseTransport(config), worker=f"w{hours}", now=now,
               clock=lambda: dt.datetime.now(dt.UTC), concurrency=4).claimed:
    pass
"""


def test_killing_the_dispatcher_anywhere_never_duplicates_and_never_loses(
    cli, engine: Engine, session: Session, tmp_path: Path, db_url: str
) -> None:
    import_and_open(cli, engine, now=dt.datetime(2022, 12, 30, 1, tzinfo=dt.UTC))
    with session_scope(engine) as s:
        written = sweep(
            session=s, plan_id="edu-2022", now=dt.datetime(2022, 12, 30, 2, tzinfo=dt.UTC)
        ).written
    assert written > 100
    rng = random.Random(7)
    kills = 0
    with HttpReceiver(delay=(0.02, 0.15)).running() as http:
        config = write_config(tmp_path / "apprise.yaml", http)
        config.write_text(
            config.read_text().replace(http.url("fail", secret=SECRET), http.url("jjc"))
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        for hour in range(1, 40):
            process = subprocess.Popen(
                [sys.executable, "-c", DISPATCHER, db_url, str(config), str(hour * 1000)], env=env
            )
            try:
                process.wait(timeout=rng.uniform(0.3, 2.5))
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
                continue
            if not [r for r in rows(session) if r.status in ("pending", "sending")]:
                break
        else:  # a busy machine: the last dispatcher finishes what the killed ones left
            last = [sys.executable, "-c", DISPATCHER, db_url, str(config), "99000"]
            assert subprocess.run(last, env=env, timeout=300).returncode == 0
        received = http.counts()
    final = rows(session)
    assert kills >= 3, "the test did not kill anything"
    assert {r.status for r in final} <= {"sent", "uncertain"}, {r.status for r in final}
    for reminder in final:
        if reminder.status == "sent":
            assert received[reminder.id] == 1, reminder  # never twice, never lost
        else:
            assert received[reminder.id] <= 1 and "可能已发送" in (reminder.error or "")
    assert max(received.values()) == 1


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_dispatchers_at_once_send_each_reminder_once(
    cli, engine: Engine, session: Session, tmp_path: Path, db_url: str
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    import_and_open(cli, engine, now=dt.datetime(2022, 12, 30, 1, tzinfo=dt.UTC))
    with session_scope(engine) as s:
        sweep(session=s, plan_id="edu-2022", now=dt.datetime(2022, 12, 30, 2, tzinfo=dt.UTC))
    with HttpReceiver(delay=(0.0, 0.05)).running() as http:
        config = write_config(tmp_path / "apprise.yaml", http)
        config.write_text(
            config.read_text().replace(http.url("fail", secret=SECRET), http.url("jjc"))
        )
        transport = AppriseTransport(config)
        engines = [make_engine(db_url), make_engine(db_url)]
        now = dt.datetime(2022, 12, 30, 3, tzinfo=dt.UTC)

        start = threading.Barrier(2)  # both dispatchers begin together

        def run(n: int) -> int:
            total = 0
            start.wait()
            while (
                result := dispatch(
                    engines[n],
                    transport,
                    worker=f"w{n}",
                    now=now,
                    clock=lambda: dt.datetime.now(dt.UTC),
                    concurrency=4,
                    batch=10,  # small claims, so the two really interleave
                )
            ).claimed:
                total += result.claimed
            return total

        with ThreadPoolExecutor(2) as pool:
            claimed = list(pool.map(run, [0, 1]))
        received = http.counts()
    final = rows(session)
    assert {r.status for r in final} == {"sent"}
    assert sum(claimed) == len(final) and min(claimed) > 0  # both worked, neither took a row twice
    assert sorted(received) == [r.id for r in final] and set(received.values()) == {1}
    assert {r.claimed_by for r in final} == {"w0", "w1"}


def test_unacknowledged_reminders_go_out_again_on_the_units_next_channel(
    cli, engine: Engine, session: Session, tmp_path: Path
) -> None:
    """消息必达: 政策法规处 has WeCom then e-mail; two hours without 签收 → the mail channel."""
    import_and_open(cli, engine)
    with HttpReceiver().running() as http:
        cli.env["DUBAN_APPRISE_CONFIG"] = str(write_config(tmp_path / "apprise.yaml", http))
        assert cli("remind", "--now", "2022-06-20T09:00+08:00").exit_code == 0
        first = [r for r in rows(session) if r.recipient == "zcc"]
        assert first and {r.channel for r in first} == {0}
        acked, *others = sorted({r.occurrence_id for r in first})
        assert others, "the test needs two of the unit's occurrences"
        result = cli("ack", str(acked), "--by", "zcc-clerk", "--now", "2022-06-20T10:00+08:00")
        assert result.exit_code == 0 and "已签收" in result.stdout

        assert cli("remind", "--now", "2022-06-20T10:30+08:00").exit_code == 0
        assert not [r for r in rows(session) if "@" in r.stage]  # not two hours yet
        assert cli("remind", "--now", "2022-06-20T11:30+08:00").exit_code == 0
        mail = [p for p in http.posts if p["path"].startswith("/zcc-mail")]

    everyone = [r for r in rows(session) if "@" in r.stage]
    # 海曙区教育局 (DingTalk, then SMS) has work of its own now (分办, 协办): it relays too
    assert {(r.recipient, r.channel, r.status) for r in everyone} == {
        ("zcc", 1, "sent"),
        ("hs", 1, "sent"),
    }
    relays = [r for r in everyone if r.recipient == "zcc"]
    assert {r.occurrence_id for r in relays} == set(others)  # the acknowledged one stays quiet
    assert {r.stage.split("@")[0] for r in relays} <= {r.stage for r in first}
    assert len(mail) == 1 and sorted(reminder_ids(mail[0]["message"])) == [r.id for r in relays]
    # 基础教育处 fell through to its last channel at once; single-channel units get no relay
    assert not [r for r in rows(session) if r.recipient == "jjc" and "@" in r.stage]

    again = cli("ack", str(acked), "--now", "2022-06-20T12:00+08:00")
    assert again.exit_code == 0 and "此前已签收" in again.stdout
    done = cli("ack", "999999")
    assert done.exit_code == 1 and "期次 999999 不存在" in done.stderr


def test_rows_outdated_by_an_acknowledgement_are_cancelled_not_sent(
    cli, engine: Engine, session: Session, tmp_path: Path
) -> None:
    from duban.tasks.work.actions import acknowledge

    import_and_open(cli, engine)
    with session_scope(engine) as s:
        sweep(session=s, plan_id="edu-2022", now=JUNE_20)
    ack_rows = [r for r in rows(session) if r.stage in ("ack", "ack-escalate")]
    target = ack_rows[0].occurrence_id
    with session_scope(engine) as s:
        acknowledge(session=s, occurrence_id=target, actor="unit:test", now=JUNE_20)
    with HttpReceiver().running() as http:
        config = write_config(tmp_path / "apprise.yaml", http)
        dispatch(engine, AppriseTransport(config), worker="t", now=JUNE_20, clock=lambda: JUNE_20)
        received = http.counts()
    mine = [r for r in rows(session) if r.occurrence_id == target]
    for r in mine:
        if r.stage.startswith("ack"):
            assert r.status == "cancelled" and r.id not in received
        elif r.recipient != "jjc":
            assert r.status == "sent" and received[r.id] == 1


def test_reminders_reach_an_mqtt_topic_on_the_local_broker(
    cli, engine: Engine, session: Session, tmp_path: Path
) -> None:
    """安全稳定处 listens on MQTT (apprise's mqtt:// through Mosquitto on 127.0.0.1:1883)."""
    import_and_open(cli, engine)
    with HttpReceiver().running() as http, MqttReceiver().running() as mqtt:
        config = write_config(tmp_path / "apprise.yaml", http)
        config.write_text(config.read_text().replace(http.url("aqc"), mqtt.url("aqc")))
        with session_scope(engine) as s:
            sweep(session=s, plan_id="edu-2022", now=JUNE_20)
        dispatch(engine, AppriseTransport(config), worker="t", now=JUNE_20, clock=lambda: JUNE_20)
        deadline = time.monotonic() + 10
        aqc = [r.id for r in rows(session) if r.recipient == "aqc"]
        while sorted(mqtt.counts()) != aqc and time.monotonic() < deadline:
            time.sleep(0.1)
        got = mqtt.counts()
        topics = {m["topic"] for m in mqtt.messages}
    assert aqc and sorted(got) == aqc and set(got.values()) == {1}
    assert topics == {f"{mqtt.root}/aqc"}
    assert {r.status for r in rows(session) if r.recipient == "aqc"} == {"sent"}
    assert not [i for i in http.counts() if i in aqc]  # and nowhere else


def test_the_incremental_sweep_writes_every_stage_a_full_sweep_finds(
    cli, engine: Engine, session: Session
) -> None:
    """Sweeps every 5 hours for six weeks, with 签收 and 退办 on the way: after each sweep the
    outbox holds every stage a sweep ignoring the bookmarks would find, and a sweep right
    after another one examines nothing."""
    from sqlalchemy import update

    from duban.models import Occurrence
    from duban.tasks.remind.sweep import due_now
    from duban.tasks.work.actions import acknowledge
    from duban.tasks.work.ledger import transition

    import_and_open(cli, engine, now=dt.datetime(2022, 6, 1, 1, tzinfo=dt.UTC))
    now, examined = dt.datetime(2022, 6, 1, 1, tzinfo=dt.UTC), []
    step = 0
    while now < dt.datetime(2022, 7, 15, tzinfo=dt.UTC):
        with session_scope(engine) as s:
            waiting = s.exec(select(Occurrence).where(Occurrence.status == "open")).all()
            if step % 20 == 7 and waiting:  # now and then a unit acknowledges…
                acknowledge(session=s, occurrence_id=waiting[0].id, actor="t", now=now)
            if step % 20 == 13 and len(waiting) > 1:  # …or a report is returned (退办)
                transition(
                    session=s, occurrence=waiting[1], to_status="returned", actor="t", now=now
                )
        with session_scope(engine) as s:
            with s.begin_nested() as full:
                s.execute(update(Occurrence).values(next_reminder_at=None))
                expected = {
                    (d.occurrence_id, d.stage, d.recipient)
                    for d in due_now(session=s, plan_id="edu-2022", now=now).stages
                }
                full.rollback()
            examined.append(sweep(session=s, plan_id="edu-2022", now=now).examined)
            again = sweep(session=s, plan_id="edu-2022", now=now)
        written = {(r.occurrence_id, r.stage, r.recipient) for r in rows(session)}
        assert expected <= written, (now, expected - written)
        assert again.examined == 0 and again.written == 0
        now += dt.timedelta(hours=5)
        step += 1
    assert len(rows(session)) > 100
    # the first sweep looks at every waiting occurrence, the later ones at a few on average
    assert sum(examined[1:]) / len(examined[1:]) < examined[0] / 4, examined


def test_the_cli_replays_a_day_as_the_scheduled_sweep_would(cli, session: Session) -> None:
    """With `--now` and no Prefect, `duban remind` opens what is due, then reminds: a day of
    the year can be replayed from the command line."""
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    result = cli("remind", "--now", "2022-03-25T09:30+08:00")
    assert result.exit_code == 0, result.output
    opened = int(result.stdout.split("打开期次 ")[1].split(" ")[0])
    due = int(result.stdout.split("到期提醒 ")[1].split(" ")[0])
    assert opened > 0 and due > 0
    first = min(r.occurrence_id for r in rows(session))
    acked = cli("ack", first, "--now", "2022-03-25T10:00+08:00")
    assert acked.exit_code == 0 and "已签收" in acked.stdout
    again = cli("remind", "--now", "2022-03-25T09:45+08:00")
    assert "打开期次 0 个" in again.stdout  # idempotent, as the sweep is
    overdue = cli("audit", "overdue", "--now", "2022-04-15T09:00+08:00", "--json")
    assert json.loads(overdue.stdout), "nothing overdue three weeks after the Q1 deadlines"


def test_a_failed_run_reaches_the_coordinators_through_the_outbox(
    cli, engine: Engine, session: Session, tmp_path: Path
) -> None:
    """Written once per run and coordinator; a channel down keeps it for a retry (not lost);
    sent, it names the run and links its page in the Prefect UI."""
    from duban.tasks.remind.alerts import write_alert
    from duban.tasks.remind.texts import run_link

    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    name = "2022Q2 · 开展安全稳定隐患排查治理 · 安全稳定处"
    for expected in (1, 0):  # the automation may run the alert twice: written once
        with session_scope(engine) as s:
            assert (
                write_alert(
                    s, plan_id="edu-2022", run_id="8f3c", run_name=name, crashed=False, now=JUNE_20
                )
                == expected
            )
    link = run_link("http://127.0.0.1:4200")
    with HttpReceiver().running() as http:
        config = write_config(tmp_path / "apprise.yaml", http)
        down = tmp_path / "down.yaml"
        down.write_text(config.read_text().replace(http.url("dcs"), http.url("fail")))
        dispatch(
            engine,
            AppriseTransport(down),
            worker="t",
            now=JUNE_20,
            clock=lambda: JUNE_20,
            link=link,
        )
        [waiting] = [r for r in rows(session) if r.stage.startswith("alert/")]
        assert waiting.status == "pending" and waiting.attempts == 1 and waiting.error
        later = JUNE_20 + dt.timedelta(minutes=10)
        dispatch(
            engine, AppriseTransport(config), worker="t", now=later, clock=lambda: later, link=link
        )
        posts = [p for p in http.posts if p["path"].startswith("/dcs")]
    [sent] = [r for r in rows(session) if r.stage.startswith("alert/")]
    assert sent.status == "sent" and sent.recipient == "dcs" and sent.attempts == 2
    assert len(posts) == 1 and posts[0]["title"] == f"【督办】流程运行失败：{name}"
    assert "http://127.0.0.1:4200/runs/flow-run/8f3c" in posts[0]["message"]

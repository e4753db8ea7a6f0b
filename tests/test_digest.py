"""每日汇总: a unit that reads a daily digest hears once each working morning — every stage held
for that morning in one message with one portal link — and a killed dispatcher sends it at
most once, as the outbox promises for single reminders."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from duban.models import Occurrence, Reminder, Task
from duban.models.db import session_scope
from duban.models.status import WAITING
from duban.tasks.access.links import LinkMaker
from duban.tasks.remind.delivery import AppriseTransport
from duban.tasks.remind.digest import morning, urgent
from duban.tasks.remind.dispatch import dispatch
from duban.tasks.remind.policy import Policy
from duban.tasks.remind.sweep import sweep
from duban.tasks.timeline.calendar import Clock, WorkCalendar
from duban.tasks.timeline.opening import open_due
from duban.tasks.work.actions import review, submit
from tests.conftest import EXAMPLE_PLAN, ROOT
from tests.receivers import HttpReceiver, reminder_ids
from tests.test_reminders import DISPATCHER, SECRET, write_config

HS = "{code: hs, name: 海曙区教育局, parent: jjc, notify: [hs-dingtalk, hs-sms]}"
CLOCK = Clock(WorkCalendar.from_spec({}), "Asia/Shanghai")


def beijing(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text + "+08:00").astimezone(dt.UTC)


def digest_plan(tmp_path: Path) -> Path:
    """The example plan with 海曙区教育局 reading a daily digest."""
    text = EXAMPLE_PLAN.read_text(encoding="utf-8")
    assert text.count(HS) == 1
    path = tmp_path / "plan.yaml"
    path.write_text(text.replace(HS, HS[:-1] + ", digest: true}"), encoding="utf-8")
    return path


def test_urgent_stages_go_at_once_and_the_rest_wait_for_the_working_morning() -> None:
    assert urgent("escalate-3/2022-06-30") and urgent("ack-escalate")
    assert urgent("before-1/2022-06-30") and urgent("ack@1")
    assert not urgent("before-3/2022-06-30") and not urgent("returned/r1")
    policy = Policy()
    # Friday 30 September 2022, 15:00: the next working morning is Saturday 8 October (调休)
    held = morning(beijing("2022-09-30T15:00"), policy=policy, clock=CLOCK)
    assert held == beijing("2022-10-08T08:30")
    at = {t: morning(beijing(t), policy=policy, clock=CLOCK) for t in ("2022-06-20T08:00", "2022-06-20T08:40")}  # fmt: skip
    assert at == {"2022-06-20T08:00": beijing("2022-06-20T08:30"), "2022-06-20T08:40": beijing("2022-06-20T08:40")}  # fmt: skip


def _return_five(engine: Engine, unit: str) -> list[int]:
    """Five of the unit's waiting occurrences reported at 09:00 and sent back (退办) one by
    one through Monday 20 June — five stages that would each be a message of their own."""
    with session_scope(engine) as s:
        ids = list(
            s.exec(
                select(Occurrence.id)
                .join(Task)
                .where(Occurrence.unit == unit, col(Occurrence.status).in_(WAITING))
                .order_by(col(Occurrence.due_at), col(Occurrence.id))
                .limit(5)
            ).all()
        )
        for oid in ids:
            assert oid is not None
            submit(
                session=s, occurrence_id=oid, actor=f"unit:{unit}", now=beijing("2022-06-20T09:00")
            )
    return [oid for oid in ids if oid is not None]


MONDAY = ["2022-06-20T10:00", "2022-06-20T11:00", "2022-06-20T14:00", "2022-06-20T15:00", "2022-06-20T16:00"]  # fmt: skip
TUESDAY = "2022-06-21T08:30"


def test_a_digest_unit_gets_the_days_five_returns_as_one_morning_message_with_one_link(
    cli, engine: Engine, session: Session, tmp_path: Path
) -> None:
    assert cli("plan", "import", str(digest_plan(tmp_path)), "--now", "2022-01-01T08:00+08:00").exit_code == 0  # fmt: skip
    with session_scope(engine) as s:
        open_due(session=s, plan_id="edu-2022", now=beijing("2022-06-20T08:30"))
    portal = LinkMaker("https://duban.example", b"k" * 32, dt.timedelta(days=14))
    with HttpReceiver().running() as http:
        transport = AppriseTransport(write_config(tmp_path / "apprise.yaml", http))

        def run(at: str) -> None:
            with session_scope(engine) as s:
                sweep(session=s, plan_id="edu-2022", now=beijing(at))
            dispatch(engine, transport, worker="t", now=beijing(at), clock=lambda: beijing(at), portal=portal)  # fmt: skip

        run("2022-06-20T08:30")  # Monday morning: the digest of what was due by then
        hs_ids, jb_ids = _return_five(engine, "hs"), _return_five(engine, "jb")
        before = len(http.posts)
        for at, hs, jb in zip(MONDAY, hs_ids, jb_ids, strict=True):
            with session_scope(engine) as s:
                for oid in (hs, jb):
                    review(session=s, occurrence_id=oid, actor="coordinator:dcs", now=beijing(at), accept=False, reason="佐证不全")  # fmt: skip
            run(at[:-2] + "15")
        during = [p["path"].split("?")[0] for p in http.posts[before:]]
        run(TUESDAY)
        tuesday = [p for p in http.posts[before + len(during) :] if p["path"].startswith("/hs")]

    assert "/jb" in during and during.count("/jb") == 5  # without a digest: one message each
    # the digest unit: no new message all day — only the morning's, repeated on its next
    # channel because nobody acknowledged it (消息必达)
    assert not [p for p in during if p.startswith("/hs-dingtalk")]
    relays = [p for p in http.posts[before:] if p["path"].startswith("/hs-sms")]
    relayed = {r.id: r.stage for r in session.exec(select(Reminder)).all()}
    assert all("@" in relayed[i] for p in relays for i in reminder_ids(p["message"]))
    [message] = tuesday  # … and one message on Tuesday morning
    held = session.exec(
        select(Reminder).where(Reminder.recipient == "hs", Reminder.planned_at == beijing(TUESDAY))
    ).all()
    returned = [r for r in held if r.stage.startswith("returned")]
    assert {r.occurrence_id for r in returned} == set(hs_ids)  # all five 退办 …
    assert sorted(reminder_ids(message["message"])) == sorted(r.id for r in held)  # … and the rest
    assert len(held) >= 5 and {r.status for r in held} == {"sent"}
    assert message["message"].count("https://duban.example/portal/l/") == 1  # one portal link
    assert "?o=" not in message["message"]


def test_killing_the_dispatcher_mid_digest_sends_it_at_most_once(
    cli, engine: Engine, session: Session, tmp_path: Path, db_url: str
) -> None:
    assert cli("plan", "import", str(digest_plan(tmp_path)), "--now", "2022-01-01T08:00+08:00").exit_code == 0  # fmt: skip
    with session_scope(engine) as s:
        open_due(session=s, plan_id="edu-2022", now=beijing("2022-06-20T08:30"))
    hs_ids = _return_five(engine, "hs")
    with session_scope(engine) as s:
        for oid in hs_ids:
            review(session=s, occurrence_id=oid, actor="coordinator:dcs", now=beijing("2022-06-20T14:00"), accept=False, reason="佐证不全")  # fmt: skip
        sweep(session=s, plan_id="edu-2022", now=beijing("2022-06-20T14:15"))
        sweep(session=s, plan_id="edu-2022", now=beijing(TUESDAY))
    digest = [r.id for r in session.exec(select(Reminder).where(Reminder.recipient == "hs")).all()]
    assert len(digest) >= 5
    with HttpReceiver(delay=(1.5, 1.5)).running() as http:
        config = write_config(tmp_path / "apprise.yaml", http)
        config.write_text(config.read_text().replace(http.url("fail", secret=SECRET), http.url("jjc")))  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        hours = "24"  # 20 June 09:00 Beijing + 24 h: Tuesday morning, every held row due
        process = subprocess.Popen([sys.executable, "-c", DISPATCHER, db_url, str(config), hours], env=env)  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # kill it while the digest is on the wire
            session.expire_all()
            started = session.exec(
                select(Reminder).where(
                    col(Reminder.id).in_(digest), col(Reminder.attempt_started_at).is_not(None)
                )
            ).all()
            if started and not [r for r in started if r.status == "sent"]:
                break
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        # the next dispatcher, past the dead one's lease: the digest is "may have been sent"
        rerun = [sys.executable, "-c", DISPATCHER, db_url, str(config), "26"]
        assert subprocess.run(rerun, env=env, timeout=300).returncode == 0
        time.sleep(2)  # the receiver's reply to the killed request, if it was coming
        received = [p for p in http.posts if p["path"].startswith("/hs")]
    session.expire_all()
    final = session.exec(select(Reminder).where(col(Reminder.id).in_(digest))).all()
    assert {r.status for r in final} == {"uncertain"}, {(r.stage, r.status) for r in final}
    assert all("可能已发送" in (r.error or "") for r in final)
    assert len(received) <= 1  # at most once: never sent again


def test_plan_check_names_the_line_of_a_digest_that_is_not_true_or_false(tmp_path: Path) -> None:
    from duban.tasks.plan.check import check_file

    text = (
        digest_plan(tmp_path).read_text(encoding="utf-8").replace("digest: true", "digest: daily")
    )
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    [problem] = check_file(path).problems
    assert problem.line == next(
        i for i, s in enumerate(text.splitlines(), 1) if "digest: daily" in s
    )
    assert "digest" in problem.render()

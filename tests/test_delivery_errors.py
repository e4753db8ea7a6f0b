"""Failures that can never succeed are not retried; those that may pass later are.

Each status is answered by a real HTTP receiver (apprise's json://) or SMTP server on loopback.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from duban.models.db import session_scope
from duban.tasks.remind.delivery import AppriseTransport, DeliveryError, Message
from duban.tasks.remind.dispatch import dispatch
from duban.tasks.remind.sweep import sweep
from tests.loopback import free_port
from tests.receivers import HttpReceiver, SmtpReceiver
from tests.test_reminders import JUNE_20, SECRET, import_and_open, rows, write_config

PATH_TOKEN = "0c1f9b5e7d2a4e8f9a6b3c5d7e9f1a2b"  # as a robot webhook's access token
MESSAGE = Message(title="【督办】工作提醒", body="测试")


def failure(config: str) -> DeliveryError:
    with pytest.raises(DeliveryError) as caught:
        AppriseTransport(text=config, timeout=5).send("t", MESSAGE)
    return caught.value


@pytest.mark.parametrize(
    ("status", "permanent"),
    [
        (400, True),  # a malformed request is refused the same way next time
        (401, True),  # a revoked token
        (403, True),
        (404, True),  # a removed webhook
        (410, True),
        (408, False),  # the receiver timed out waiting: try again
        (429, False),  # too many requests: later
        (500, False),
        (502, False),
        (503, False),
    ],
)
def test_an_http_status_is_classified_permanent_or_transient(status: int, permanent: bool) -> None:
    with HttpReceiver().running() as http:
        error = failure(
            f"urls:\n  - {http.url(f'status-{status}', secret=SECRET)}:\n      tag: t\n"
        )
    assert error.permanent is permanent
    assert str(status) in str(error) and SECRET not in str(error)


def test_a_refused_connection_may_pass_later() -> None:
    error = failure(f"urls:\n  - json://127.0.0.1:{free_port()}/hook?cto=2&rto=2:\n      tag: t\n")
    assert error.permanent is False


def test_a_refused_mail_recipient_is_retried_since_apprise_does_not_tell_it_apart() -> None:
    """apprise 2.0 logs a refused recipient's 550 at DEBUG only; at WARNING it says "sending
    failed", as for a greylisting 451 that passes later — so it is retried (README)."""
    with SmtpReceiver().running() as smtp:
        error = failure(f"urls:\n  - {smtp.url('nobody@bureau.example')}:\n      tag: t\n")
        AppriseTransport(text=f"urls:\n  - {smtp.url('jjc@bureau.example')}:\n      tag: t\n").send(
            "t", MESSAGE
        )
    assert error.permanent is False and "nobody@bureau.example" in str(error)
    assert [m["to"] for m in smtp.messages] == [["jjc@bureau.example"]]


def test_a_broken_channel_hands_over_at_once_and_the_coordinators_hear_of_it_once(
    cli, engine: Engine, session: Session, tmp_path: Path
) -> None:
    """基础教育处's DingTalk token is revoked (401): its mail channel takes over in the same
    dispatch, the coordinators are told once that `jjc-dingtalk` is broken. A unit whose only
    channel was removed (404) fails at once; one whose only channel is down (503) is retried."""
    import_and_open(cli, engine)
    with HttpReceiver().running() as http, SmtpReceiver().running() as smtp:
        config = write_config(tmp_path / "apprise.yaml", http, smtp)
        revoked = http.url(f"status-401/{PATH_TOKEN}", secret=SECRET)  # a robot's token in the path
        text = config.read_text().replace(http.url("fail", secret=SECRET), revoked)
        text = text.replace(http.url("jb"), http.url(f"fail/{PATH_TOKEN}"))
        text = text.replace(http.url("aqc"), http.url("status-404"))
        config.write_text(text.replace(http.url("gjc"), http.url("status-503")))
        with session_scope(engine) as s:
            sweep(session=s, plan_id="edu-2022", now=JUNE_20)
        transport = AppriseTransport(config, timeout=5)
        for _ in range(2):  # the second pass sends the coordinators' note; nothing is repeated
            dispatch(engine, transport, worker="t", now=JUNE_20, clock=lambda: JUNE_20)
        later = JUNE_20 + dt.timedelta(hours=1)  # after the 503's backoff: tried again, refused
        dispatch(engine, transport, worker="t", now=later, clock=lambda: later)
        notes = [
            p for p in http.posts if p["path"].startswith("/dcs") and "jjc-dingtalk" in p["message"]
        ]

    by_unit: dict[str, list] = {}
    for r in rows(session):
        by_unit.setdefault(r.recipient, []).append(r)
    jjc = [r for r in by_unit["jjc"]]
    assert jjc and all(r.status == "sent" and r.channel == 1 and r.attempts == 2 for r in jjc)
    assert any("jjc@bureau.example" in m["to"] for m in smtp.messages)
    aqc = by_unit["aqc"]
    assert aqc and all(r.status == "failed" and r.attempts == 1 for r in aqc)
    gjc = by_unit["gjc"]
    assert gjc and all(r.status == "pending" and r.attempts == 2 for r in gjc)
    assert all(r.next_attempt_at and r.next_attempt_at > later for r in gjc)
    assert len(notes) == 1 and "永久性拒收" in notes[0]["message"]
    assert SECRET not in notes[0]["message"]
    jb = by_unit["jb"]  # its webhook, token in the path, answers 500: the error names the tag
    assert jb and all(r.error and r.error.startswith("FAILURE jb: FAILURE") for r in jb)
    with engine.connect() as connection:  # every table, every column, as text
        dump = "\n".join(
            str(row)
            for table in SQLModel.metadata.sorted_tables
            for row in connection.execute(table.select())
        )
    assert "error=404" in dump and "error=500" in dump and "error=503" in dump
    assert SECRET not in dump and PATH_TOKEN not in dump
    assert not [r.error for r in rows(session) if "://" in (r.error or "")]
    broken = [r for r in by_unit["dcs"] if r.stage.startswith("broken/")]
    assert sorted(r.stage for r in broken) == [
        "broken/aqc/2022-06-20",
        "broken/jjc-dingtalk/2022-06-20",
    ]

"""Flows and deployments against a real Prefect test server (one per session)."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from duban.models import Occurrence, Reminder, StatusEvent, Task
from duban.runtime import get_settings
from tests.conftest import EXAMPLE_PLAN, NEW_YEAR, environment

pytestmark = pytest.mark.prefect


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture
def imported(cli, db_url: str) -> Iterator[str]:
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    with environment({"DUBAN_DATABASE_URL": db_url, "DUBAN_DATA_DIR": cli.env["DUBAN_DATA_DIR"]}):
        yield db_url


def poll_events(name: str, keep, timeout: float = 20) -> list:  # type: ignore[no-untyped-def]
    """Events of this name (from the last hour) that `keep` accepts, once there are any."""
    import time

    from prefect.client.orchestration import get_client
    from prefect.events.filters import EventFilter, EventNameFilter

    deadline, found = time.monotonic() + timeout, []
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline and not found:
            page = client.read_events(
                filter=EventFilter(event=EventNameFilter(name=[name])), limit=50
            )
            found = [e for e in page.events if keep(e)]
            time.sleep(0.5)
    return found


def test_occurrence_flow_opens_the_due_occurrence_once(
    prefect_server: None, imported: str, session: Session
) -> None:
    from duban.flows.occurrence import inspection_flow

    # 2022-04-01 09:00 Beijing: the second quarter's inspection opens
    april = datetime(2022, 4, 1, 1, 0, tzinfo=UTC)
    first = inspection_flow(plan_id="edu-2022", task_code="T-aq-paicha", now=april)
    again = inspection_flow(plan_id="edu-2022", task_code="T-aq-paicha", now=april)

    # the first quarter had opened already (4 January) and was never opened by a run:
    # the catch-up opens it too, in order; the third quarter is still in the future
    # (each quarter: the 主办's occurrence and its eight 协办 inputs)
    assert first == ["2022-03-31"] * 9 + ["2022-06-30"] * 9
    assert again == []
    rows = session.exec(
        select(Occurrence)
        .join(Task)
        .where(Task.code == "T-aq-paicha", Occurrence.duty == "lead")
        .order_by(Occurrence.key)
    ).all()
    assert [o.status for o in rows] == ["open", "open", "scheduled", "scheduled"]
    # one run per occurrence: the first run follows the latest it opened, the second takes up
    # the one left without a run (waking a run must only ever mean its own occurrence)
    assert (
        rows[0].flow_run_id and rows[1].flow_run_id and rows[0].flow_run_id != rows[1].flow_run_id
    )
    events = session.exec(select(StatusEvent).order_by(StatusEvent.id)).all()
    assert [(e.from_status, e.to_status, e.actor) for e in events] == [
        ("scheduled", "open", "system:schedule")
    ] * 18
    assert events[1].prev_hash == events[0].hash
    inputs = session.exec(select(Occurrence).where(Occurrence.duty == "cooperating")).all()
    assert not any(o.flow_run_id for o in inputs)  # followed through the portal, not by a run


def test_sweep_catches_up_every_task(prefect_server: None, imported: str, session: Session) -> None:
    from duban.flows.sweep import sweep_flow

    opened = sweep_flow(plan_id="edu-2022", now=datetime(2022, 1, 5, 1, 0, tzinfo=UTC))

    # every one-off task and the first period of every recurring one opens on 4 January
    due = session.exec(
        select(Occurrence).where(Occurrence.opens_at <= NEW_YEAR.replace(day=5))
    ).all()
    assert len(opened) == len(due) > 40
    assert {o.status for o in due} == {"open"}
    # and the reminders due by then are in the outbox: one acknowledgement request per opening
    reminders = session.exec(select(Reminder)).all()
    assert {r.stage for r in reminders} == {"ack"} and len(reminders) == len(due)
    assert {r.status for r in reminders} == {"pending"}  # no channel config: written, not sent


def test_each_occurrence_gets_a_run_at_its_opening_moment_named_by_its_period(
    prefect_server: None, imported: str, session: Session
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterIdempotencyKey

    from duban.deployments.build import plan_deployments
    from duban.deployments.serve import to_runner
    from duban.flows.runs import plan_runs, schedule_runs
    from duban.tasks.timeline.clock import SystemTime

    specs = {s.name: s for s in plan_deployments(session=session, plan_id="edu-2022")}
    assert len(specs) == 47  # 44 tasks, the sweep, the alert and the bulletin
    quarterly = specs["edu-2022-T-aq-paicha"]
    assert set(quarterly.tags) >= {"unit:aqc", "kind:inspection", "item:五/(四)/1"}
    to_runner(quarterly).apply()

    # 1 October 2022: the fourth quarter opens on Saturday 8 October, a 调休 working day
    october = datetime(2022, 10, 1, tzinfo=UTC)
    clock = SystemTime(lambda: october)
    q4 = session.exec(
        select(Occurrence)
        .join(Task)
        .where(Task.code == "T-aq-paicha", Occurrence.key == "2022-12-31", Occurrence.unit == "aqc")
    ).one()
    key = FlowRunFilter(
        idempotency_key=FlowRunFilterIdempotencyKey(any_=[f"duban-edu-2022-occurrence-{q4.id}"])
    )
    with get_client(sync_client=True) as client:
        for old in client.read_flow_runs(flow_run_filter=key):  # the other database's test
            client.delete_flow_run(old.id)
    first = schedule_runs(
        "edu-2022", plan_runs(session=session, plan_id="edu-2022", time=clock, now=october)
    )
    again = schedule_runs(
        "edu-2022", plan_runs(session=session, plan_id="edu-2022", time=clock, now=october)
    )
    assert first["created"] == 1 and again["created"] == 0  # only the applied deployment; once
    with get_client(sync_client=True) as client:
        [run] = client.read_flow_runs(flow_run_filter=key)
    assert run.name == "2022Q4 · 开展安全稳定隐患排查治理 · 安全稳定处"
    assert run.expected_start_time.astimezone(UTC).isoformat() == "2022-10-08T01:00:00+00:00"
    assert run.parameters["occurrence_id"] == q4.id and run.state_name == "Scheduled"


def test_a_removed_task_keeps_a_paused_deployment(
    prefect_server: None, imported: str, session: Session
) -> None:
    from duban.deployments.build import plan_deployments

    task = session.exec(select(Task).where(Task.code == "T-gz-jieti")).one()
    task.active = False
    session.add(task)
    session.commit()

    specs = {s.name: s for s in plan_deployments(session=session, plan_id="edu-2022")}

    assert specs["edu-2022-T-gz-jieti"].paused
    assert not specs["edu-2022-T-gj-zhongqi"].paused


def test_each_kind_has_its_flow_and_a_kind_change_pauses_the_old_deployment(
    prefect_server: None, imported: str, session: Session
) -> None:
    from prefect.client.orchestration import get_client

    from duban.deployments.build import plan_deployments
    from duban.deployments.serve import FLOWS, pause_strays, to_runner

    specs = plan_deployments(session=session, plan_id="edu-2022")
    flows = {s.parameters.get("task_code"): FLOWS[s.flow].name for s in specs}
    assert flows["T-aq-paicha"] == "duban-inspection"
    kinds = dict(session.exec(select(Task.code, Task.kind)).all())
    for code, kind in kinds.items():
        want = kind if kind in ("inspection", "evaluation", "recruitment") else "general"
        assert flows[code] == f"duban-{want}", code
    [before] = [s for s in specs if s.name == "edu-2022-T-aq-paicha"]
    old_id = to_runner(before).apply()

    task = session.exec(select(Task).where(Task.code == "T-aq-paicha")).one()
    task.kind = "other"  # the plan now calls it general work
    session.add(task)
    session.commit()
    specs = plan_deployments(session=session, plan_id="edu-2022")
    [after] = [s for s in specs if s.name == "edu-2022-T-aq-paicha"]
    assert FLOWS[after.flow].name == "duban-general"
    new_id = to_runner(after).apply()

    assert "duban-inspection/edu-2022-T-aq-paicha" in pause_strays(specs)
    with get_client(sync_client=True) as client:
        assert client.read_deployment(old_id).paused
        assert not client.read_deployment(new_id).paused
    assert pause_strays(specs) == []  # once is enough


def test_sweep_reads_the_channels_from_a_prefect_secret_block(
    prefect_server: None, imported: str, session: Session, tmp_path, monkeypatch
) -> None:
    from prefect.blocks.system import Secret

    from duban.flows.sweep import sweep_flow
    from tests.receivers import HttpReceiver, reminder_ids
    from tests.test_reminders import SECRET, write_config

    with HttpReceiver().running() as http:
        text = write_config(tmp_path / "apprise.yaml", http).read_text()
        Secret(value=text).save("duban-channels", overwrite=True)
        monkeypatch.setenv("DUBAN_APPRISE_SECRET", "duban-channels")
        get_settings.cache_clear()
        sweep_flow(plan_id="edu-2022", now=datetime(2022, 1, 5, 1, 0, tzinfo=UTC))
        received = [i for p in http.posts for i in reminder_ids(p.get("message", ""))]

    reminders = session.exec(select(Reminder)).all()
    sent = [r.id for r in reminders if r.status == "sent"]
    assert sent and sorted(received) == sorted(sent)
    # and each message is an event in the feed, naming its channel tag, never its URL
    events = poll_events("duban.reminder.sent", lambda e: set(e.payload["reminders"]) & set(sent))
    assert events and all(SECRET not in e.model_dump_json() for e in events)
    assert {e.payload["channel_tag"] for e in events} <= {
        "dcs",
        "aqc",
        "jjc-mail",
        "jjc-dingtalk",
    } | {r.outcome.get("channel") for r in reminders}
    # 基础教育处's DingTalk (with its token) fails: the failure is stored without the token
    assert all(SECRET not in (r.error or "") + str(r.outcome) for r in reminders)

    monkeypatch.setenv("DUBAN_APPRISE_SECRET", "no-such-block")
    get_settings.cache_clear()
    from duban.runtime import load_transport
    from duban.tasks.remind.delivery import DeliveryError

    with pytest.raises(DeliveryError, match="no-such-block"):
        load_transport(get_settings())


def test_the_scheduled_sweeps_reminders_link_each_run_in_the_prefect_ui(
    prefect_server: None, imported: str, session: Session, tmp_path, monkeypatch
) -> None:
    """What the sweep sends to leaders and coordinators (escalations) links the run following
    the occurrence in the Prefect UI when `PREFECT_UI_URL` is set — as `duban remind` does."""
    from prefect import flow
    from sqlalchemy import update

    from duban.flows.sweep import sweep_flow
    from duban.models.db import make_engine, session_scope
    from duban.tasks.timeline.opening import open_due
    from tests.receivers import HttpReceiver
    from tests.test_reminders import write_config

    @flow(name="duban-follower")
    def follower() -> None:
        """Stands for the run following each occurrence."""

    run = str(follower(return_state=True).state_details.flow_run_id)
    april = datetime(2022, 4, 15, 1, 0, tzinfo=UTC)  # the first quarter's work overdue
    engine = make_engine(imported)
    with session_scope(engine) as s:
        open_due(session=s, plan_id="edu-2022", now=april)
        s.execute(update(Occurrence).values(flow_run_id=run))
    engine.dispose()
    with HttpReceiver().running() as http:
        monkeypatch.setenv("DUBAN_APPRISE_CONFIG", str(write_config(tmp_path / "a.yaml", http)))
        monkeypatch.setenv("PREFECT_UI_URL", "http://ui.bureau.example")
        get_settings.cache_clear()
        sweep_flow(plan_id="edu-2022", now=april)
        upward = [p for p in http.posts if p["path"].startswith(("/ld-", "/dcs"))]
    assert upward, "no escalation reached a leader or the coordinators"
    missing = [
        p for p in upward if f"http://ui.bureau.example/runs/flow-run/{run}" not in p["message"]
    ]
    assert not missing, missing[:2]


def test_opening_emits_an_event_with_the_unit_task_and_item(
    prefect_server: None, imported: str, session: Session
) -> None:
    import time

    from prefect.client.orchestration import get_client
    from prefect.events.filters import EventFilter, EventNameFilter, EventResourceFilter

    from duban.flows.occurrence import inspection_flow

    april = datetime(2022, 4, 1, 1, 0, tzinfo=UTC)
    started = datetime.now(UTC)
    opened = inspection_flow(plan_id="edu-2022", task_code="T-aq-paicha", now=april)
    assert opened
    followed = {
        o.key: o.flow_run_id
        for o in session.exec(
            select(Occurrence).where(Occurrence.status == "open", Occurrence.duty == "lead")
        )
    }
    # it opened the first quarter (caught up) and the second, and follows the second; the
    # first is left for a run of its own
    assert followed["2022-06-30"] and followed["2022-03-31"] is None
    wanted = EventFilter(
        event=EventNameFilter(name=["duban.occurrence.opened"]),
        resource=EventResourceFilter(labels={"duban.plan": ["edu-2022"]}),
    )
    deadline, events = time.monotonic() + 20, []
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            events = [
                e
                for e in client.read_events(filter=wanted, limit=50).events
                if e.resource.name.startswith("开展安全稳定隐患排查治理") and e.occurred >= started
            ]
            if len(events) >= len(opened):
                break
            time.sleep(0.5)
    assert len(events) == len(opened), events
    # both were opened by this run (its flow run is related to each), which follows the second
    run = f"prefect.flow-run.{followed['2022-06-30']}"
    assert all(any(r.id == run for r in e.related) for e in events)
    # the 主办's own (its eight 协办 inputs opened with it, each related to its own unit)
    [mine] = [
        e
        for e in events
        if e.resource.name.endswith("2022-06-30")
        and any(r.id == "duban.unit.aqc" for r in e.related)
    ]
    units = {r.id for e in events for r in e.related if r.role == "unit"}
    assert {"duban.unit.hs", "duban.unit.jjc"} <= units
    related = {r.role: r.id for r in mine.related}
    assert related["unit"] == "duban.unit.aqc" and related["task"] == "duban.task.T-aq-paicha"
    assert related["item"].startswith("duban.item.") and "flow-run" in related
    assert mine.resource.name == "开展安全稳定隐患排查治理 · 2022-06-30"


def test_the_sweep_leaves_progress_overdue_and_summary_artifacts(
    prefect_server: None, imported: str, session: Session
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactCollectionFilter,
        ArtifactCollectionFilterKey,
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        ArtifactFilterKey,
    )

    from duban.flows.sweep import sweep_flow
    from duban.models import Indicator, Measurement

    g23 = session.exec(select(Indicator).where(Indicator.code == "G2-3")).one()
    session.add(
        Measurement(
            indicator_id=g23.id,
            value=4000,
            at=datetime(2022, 6, 30, 4, tzinfo=UTC),
            reported_by="unit:gjc",
        )
    )
    session.commit()
    state = sweep_flow(
        plan_id="edu-2022", now=datetime(2022, 7, 12, 1, 0, tzinfo=UTC), return_state=True
    )
    this_run = ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])

    # the table and the summary are this run's; the progress artifacts are updated in place,
    # so the Artifacts page's latest one per key is the current view
    keys = ["indicator-g2-3", "indicator-g1-1", "overdue-by-unit", "sweep-summary", "ledger-anchor"]
    with get_client(sync_client=True) as client:
        found = {
            a.key: a
            for a in client.read_artifacts(
                artifact_filter=ArtifactFilter(
                    key=ArtifactFilterKey(any_=keys[2:]), flow_run_id=this_run
                )
            )
        }
        found |= {
            a.key: a
            for a in client.read_latest_artifacts(
                artifact_filter=ArtifactCollectionFilter(
                    key=ArtifactCollectionFilterKey(any_=keys[:2])
                )
            )
        }
    assert set(found) == set(keys)
    assert float(found["indicator-g2-3"].data) == pytest.approx(57.1)  # 4000 of ≥7000
    assert "在校研究生" in found["indicator-g2-3"].description
    assert (
        float(found["indicator-g1-1"].data) == 0 and "无数据" in found["indicator-g1-1"].description
    )
    table = found["overdue-by-unit"].data
    rows = json.loads(table) if isinstance(table, str) else table
    assert rows and all(r["逾期项数"] >= 1 for r in rows)
    assert {"责任单位", "逾期项数", "最长逾期（工作日）", "任务"} <= set(rows[0])
    overdue = poll_events(
        "duban.occurrence.overdue",
        lambda e: e.payload.get("stages", [""])[0].startswith("overdue-"),
    )
    assert overdue and overdue[0].resource["duban.plan"] == "edu-2022"
    assert any(r.role == "unit" for r in overdue[0].related)
    summary = found["sweep-summary"].data
    assert "巡检" in summary and "当前逾期" in summary and "2022-07-12 周二 09:00" in summary
    # the ledger's head, outside Duban's database: the same as the anchor file's last line
    rows = session.exec(select(func.count()).select_from(StatusEvent)).one()
    last = json.loads(
        (Path(os.environ["DUBAN_DATA_DIR"]) / "ledger-anchors.jsonl").read_text().splitlines()[-1]
    )
    assert last["rows"] == rows and f"{rows}:{last['hash']}" in found["ledger-anchor"].data


def followed_inspection(session: Session) -> Occurrence:
    """安全稳定处's inspection for 2022Q2, opened (on 1 April) by a run that follows it."""
    from duban.flows.occurrence import inspection_flow

    inspection_flow(
        plan_id="edu-2022", task_code="T-aq-paicha", now=datetime(2022, 4, 1, 1, tzinfo=UTC)
    )
    target = session.exec(
        select(Occurrence).where(Occurrence.status == "open", Occurrence.flow_run_id.is_not(None))  # type: ignore[union-attr]
    ).first()
    assert target is not None
    return target


def test_a_submission_from_the_cli_is_an_event_too(
    prefect_server: None, imported: str, cli, session: Session
) -> None:
    import time

    from prefect.client.orchestration import get_client
    from prefect.events.filters import EventFilter, EventNameFilter, EventResourceFilter

    target = followed_inspection(session)
    result = cli("submit", str(target.id), "--note", "报告", "--by", "aqc-clerk")
    assert result.exit_code == 0, result.output
    wanted = EventFilter(
        event=EventNameFilter(name=["duban.occurrence.submitted"]),
        resource=EventResourceFilter(id=[f"duban.occurrence.{target.id}"]),
    )
    deadline, events = time.monotonic() + 20, []
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline and not events:
            events = [
                e
                for e in client.read_events(filter=wanted, limit=50).events
                if e.payload.get("actor") == "cli:aqc-clerk"
                and any(r.id == f"prefect.flow-run.{target.flow_run_id}" for r in e.related)
            ]
            time.sleep(0.5)
    assert len(events) == 1 and events[0].resource["duban.status"] == "submitted"


def test_a_failed_run_of_the_plan_makes_the_automation_run_the_alert(
    prefect_server: None, imported: str, session: Session, tmp_path
) -> None:
    import time

    from prefect import flow, tags
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

    from duban.deployments.automation import ensure_failure_automation
    from duban.deployments.build import plan_deployments
    from duban.deployments.serve import to_runner
    from duban.flows.alert import alert_flow
    from tests.receivers import HttpReceiver
    from tests.test_reminders import write_config

    specs = plan_deployments(session=session, plan_id="edu-2022")
    [alert] = [s for s in specs if s.flow == "alert"]
    alert_id = to_runner(alert).apply()
    ensure_failure_automation("edu-2022", alert_id)
    ensure_failure_automation("edu-2022", alert_id)  # re-deploying replaces, never duplicates

    @flow(name="duban-broken")
    def broken() -> None:
        raise RuntimeError("数据库连接中断")

    time.sleep(2)  # the automation is loaded by the triggers service
    with tags("plan:edu-2022"):
        failed = broken(return_state=True)
    failed_id = str(failed.state_details.flow_run_id)

    deadline, runs = time.monotonic() + 45, []
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline and not runs:
            runs = [
                r
                for r in client.read_flow_runs(
                    deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[alert_id]))
                )
                if r.parameters.get("flow_run_id") == f"prefect.flow-run.{failed_id}"
            ]
            time.sleep(1)
        automations = client.read_automations_by_name("duban-edu-2022-flow-run-failed")
    assert len(automations) == 1
    assert len(runs) == 1, "the automation did not run the alert deployment"
    assert runs[0].parameters["state"] == "prefect.flow-run.Failed"

    # what the alert run then does: tell the coordinators (督查室) on their channel
    with HttpReceiver().running() as http:
        os.environ["DUBAN_APPRISE_CONFIG"] = str(write_config(tmp_path / "apprise.yaml", http))
        get_settings.cache_clear()
        try:
            sent = alert_flow(**runs[0].parameters)
        finally:
            os.environ.pop("DUBAN_APPRISE_CONFIG")
            get_settings.cache_clear()
        posts = [p for p in http.posts if p["path"].startswith("/dcs")]
    assert sent == ["dcs"] and len(posts) == 1
    assert "流程运行失败" in posts[0]["title"] and failed_id in posts[0]["message"]


SERVE = """
import sys
from duban.flows.occurrence import inspection_flow
inspection_flow.serve(name="follow", pause_on_shutdown=False, print_starting_message=False)
"""


def wait_state(run_id, want: str, timeout: float = 90):  # type: ignore[no-untyped-def]
    import time

    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            run = client.read_flow_run(run_id)
            if run.state and run.state.name == want:
                return run
            time.sleep(0.5)
    raise AssertionError(f"flow run {run_id} is {run.state}, not {want}")


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_served_occurrence_waits_for_the_report_and_review_forms(
    prefect_server: None, imported: str, session: Session, cli
) -> None:
    """Open → suspended for the inspection report → reported with the CLI (which wakes the run)
    → review returned in the UI (a return without a reason is refused and asked again) →
    reported in the UI with a finding → accepted → the 整改 gets a run of its own, which waits
    for its report and review; input the schema refuses keeps a run waiting."""
    import subprocess
    import sys
    import time
    from uuid import UUID

    from prefect.deployments import run_deployment
    from prefect.flow_runs import resume_flow_run
    from prefect.settings import PREFECT_API_URL

    env = {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "DUBAN_DATABASE_URL": imported,
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",  # a resumed run is picked up in a second, not ten
    }
    runner = subprocess.Popen([sys.executable, "-c", SERVE], env=env)
    try:
        run = None
        for _ in range(60):
            try:
                run = run_deployment(
                    "duban-inspection/follow",
                    parameters={
                        "plan_id": "edu-2022",
                        "task_code": "T-aq-paicha",
                        "now": "2022-04-01T09:00:00+08:00",
                    },
                    timeout=0,
                )
                break
            except Exception:  # the runner has not registered the deployment yet
                time.sleep(1)
        assert run is not None
        waiting = wait_state(run.id, "Suspended")
        assert waiting.state.state_details.pause_key == "report-0-0"
        assert waiting.name == "2022Q2 · T-aq-paicha"  # the period it opened in, then the task

        with pytest.raises(RuntimeError, match="Cannot resume"):  # too much evidence: refused
            resume_flow_run(run.id, run_input={"evidence": ["x"] * 21})
        assert wait_state(run.id, "Suspended").state.state_details.pause_key == "report-0-0"

        occurrence_id = session.exec(
            select(Occurrence.id)
            .where(Occurrence.flow_run_id == str(run.id))
            .order_by(Occurrence.opens_at.desc())
        ).first()
        # 签收 is not a report: it must not wake the run with an empty form
        assert cli("ack", str(occurrence_id), "--by", "aqc-clerk").exit_code == 0
        time.sleep(3)
        assert wait_state(run.id, "Suspended").state.state_details.pause_key == "report-0-0"
        session.expire_all()
        assert session.get_one(Occurrence, occurrence_id).status == "acknowledged"
        reported = cli("submit", str(occurrence_id), "--note", "二季度自查", "--by", "aqc-clerk")
        assert reported.exit_code == 0, reported.output
        assert wait_state(run.id, "Suspended").state.state_details.pause_key == "review-1-0"
        resume_flow_run(run.id, run_input={"accept": False, "reason": ""})
        assert wait_state(run.id, "Suspended").state.state_details.pause_key == "review-1-1"
        resume_flow_run(run.id, run_input={"accept": False, "reason": "缺整改时限"})
        assert wait_state(run.id, "Suspended").state.state_details.pause_key == "report-1-0"
        resume_flow_run(run.id, run_input={"note": "已补整改时限", "findings": ["消防通道堵塞"]})
        assert wait_state(run.id, "Suspended").state.state_details.pause_key == "review-2-0"
        resume_flow_run(run.id, run_input={"accept": True})
        wait_state(run.id, "Completed")

        # the finding became a 整改 with a run of its own, waiting for its own report
        session.expire_all()
        [fix] = session.exec(
            select(Occurrence).where(
                Occurrence.parent_id == occurrence_id, Occurrence.duty == "rectification"
            )
        ).all()
        assert fix.flow_run_id and fix.flow_run_id != str(run.id)
        child = wait_state(UUID(fix.flow_run_id), "Suspended")
        assert child.state.state_details.pause_key == "report-0-0"
        assert "整改：消防通道堵塞" in child.name
        assert (
            cli("submit", str(fix.id), "--note", "已清理通道", "--by", "aqc-clerk").exit_code == 0
        )
        assert wait_state(child.id, "Suspended").state.state_details.pause_key == "review-1-0"
        resume_flow_run(child.id, run_input={"accept": True})
        wait_state(child.id, "Completed")
    finally:
        runner.terminate()
        runner.wait(30)

    session.expire_all()
    occurrence = session.exec(select(Occurrence).where(Occurrence.id == occurrence_id)).one()
    # the accepted report listed one finding: one 整改 occurrence, open, linked to this run
    [rectification] = session.exec(
        select(Occurrence).where(
            Occurrence.parent_id == occurrence_id, Occurrence.duty == "rectification"
        )
    ).all()
    assert rectification.subject == "消防通道堵塞" and rectification.status == "accepted"
    assert occurrence.closed_at is not None  # closed when its last 整改 was accepted
    events = session.exec(
        select(StatusEvent)
        .where(StatusEvent.occurrence_id == occurrence.id)
        .order_by(StatusEvent.id)
    ).all()
    assert [e.to_status for e in events] == [
        "open",
        "acknowledged",
        "submitted",
        "returned",
        "submitted",
        "accepted",
        "accepted",  # the ledger's note that its last 整改 was accepted: 检查办结
    ]
    assert events[-1].note == "1 项整改全部完成，检查办结"
    assert events[2].note == "二季度自查" and events[2].actor == "cli:aqc-clerk"
    assert events[3].note == "缺整改时限" and events[4].evidence[-1]["form"] == "inspection"
    assert all(e.actor == f"prefect-ui:{run.id}" for e in events[3:-1])
    assert events[-1].actor == f"prefect-ui:{fix.flow_run_id}"


def test_a_report_from_the_unit_portal_is_the_same_event(
    prefect_server: None, imported: str, cli, engine, session: Session, tmp_path
) -> None:
    import re

    from fastapi.testclient import TestClient

    from duban.api import create_app
    from duban.portal import PortalConfig
    from duban.tasks.work.evidence import EvidenceStore

    target = followed_inspection(session)
    made = cli("link", "create", "--unit", "aqc", "--now", "2022-04-01T10:00+08:00")
    path = next(line for line in made.stdout.splitlines() if line.startswith("/portal/l/"))
    key = (tmp_path / "data" / "portal.key").read_text().strip().encode()
    app = create_app(
        engine,
        clock=lambda: datetime(2022, 4, 1, 2, tzinfo=UTC),
        portal=PortalConfig(
            key,
            EvidenceStore(str(tmp_path / "evidence"), 1 << 20),
            wall=lambda: datetime(2022, 4, 1, 2, tzinfo=UTC),
        ),
    )
    with TestClient(app) as http:
        page = http.get(path + f"?o={target.id}")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert page.status_code == 200 and token, page.text
        sent = http.post(
            f"/portal/o/{target.id}/submit",
            data={"csrf": token.group(1), "note": "一季度排查报告"},
            follow_redirects=False,
        )
        assert sent.status_code == 303, sent.text
    events = poll_events(
        "duban.occurrence.submitted",
        lambda e: (
            e.resource.id == f"duban.occurrence.{target.id}"
            and str(e.payload.get("actor", "")).startswith("portal:aqc:link")
            and any(r.id == f"prefect.flow-run.{target.flow_run_id}" for r in e.related)
        ),
    )
    assert len(events) == 1 and events[0].resource["duban.status"] == "submitted"


SERVE_GENERAL = """
from duban.flows.occurrence import general_flow
general_flow.serve(name="follow", pause_on_shutdown=False, print_starting_message=False)
"""


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_split_period_is_one_run_that_rolls_up_its_units_and_takes_their_reviews(
    prefect_server: None, imported: str, session: Session, cli
) -> None:
    """分办: the five districts' second quarter of 新增省定义务段标准化学校 is one run. It waits with
    the roll-up in a progress artifact; units' reports wake it; its review form offers the
    reports waiting (a return without a reason is refused and asked again); it completes
    when every unit's occurrence is closed."""
    import subprocess
    import sys
    import time

    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.flow_runs import resume_flow_run
    from prefect.settings import PREFECT_API_URL

    key = "rollup-edu-2022-t-jj-biaozhunhua-2022-06-30"

    def progress() -> float:
        """The roll-up's progress artifact as the UI shows it (the latest under its key)."""
        from prefect.client.schemas.filters import (
            ArtifactCollectionFilter,
            ArtifactCollectionFilterKey,
        )

        with get_client(sync_client=True) as client:
            found = client.read_latest_artifacts(
                artifact_filter=ArtifactCollectionFilter(
                    key=ArtifactCollectionFilterKey(any_=[key])
                )
            )
        return float(found[0].data or 0) if found else -1.0

    env = {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "DUBAN_DATABASE_URL": imported,
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",  # a resumed run is picked up in a second, not ten
    }
    runner = subprocess.Popen([sys.executable, "-c", SERVE_GENERAL], env=env)
    try:
        run = None
        for _ in range(60):
            try:
                run = run_deployment(
                    "duban-general/follow",
                    parameters={
                        "plan_id": "edu-2022",
                        "task_code": "T-jj-biaozhunhua",
                        "period": "2022-06-30",
                        "now": "2022-06-20T09:00:00+08:00",
                    },
                    tags=["plan:edu-2022"],  # as the plan's own deployments tag their runs
                    timeout=0,
                )
                break
            except Exception:  # the runner has not registered the deployment yet
                time.sleep(1)
        assert run is not None
        # it opened the quarter's five occurrences (its period only) and waits
        assert wait_state(run.id, "Suspended").state.state_details.pause_key == "rollup-5-0"
        assert progress() == 0.0
        units = {
            o.unit: o.id
            for o in session.exec(
                select(Occurrence)
                .join(Task)
                .where(Task.code == "T-jj-biaozhunhua", Occurrence.key == "2022-06-30")
            )
        }
        assert set(units) == {"hs", "jb", "yz", "yy", "cx"}
        for unit, wait in (("hs", "rollup-6-0"), ("jb", "rollup-7-0")):  # each report wakes it:
            assert cli("submit", str(units[unit]), "--value", "9", "--by", unit).exit_code == 0
            deadline = time.monotonic() + 90  # a new wait, the roll-up refreshed
            while wait_state(run.id, "Suspended").state.state_details.pause_key != wait:
                assert time.monotonic() < deadline, f"the run did not refresh to {wait}"
                time.sleep(1)
        assert progress() == 40.0
        hs = f"海曙区教育局（期次 {units['hs']}）"
        resume_flow_run(run.id, run_input={"unit": hs, "accept": False, "reason": ""})
        assert wait_state(run.id, "Suspended").state.state_details.pause_key == "rollup-7-1"
        resume_flow_run(run.id, run_input={"unit": hs, "accept": True})
        assert wait_state(run.id, "Suspended").state.state_details.pause_key == "rollup-8-0"
        session.expire_all()
        assert session.get_one(Occurrence, units["hs"]).status == "accepted"
        assert session.get_one(Occurrence, units["jb"]).status == "submitted"
        # a report whose wake was missed (made while the run was between two waits): the
        # sweep finds the run waiting under a stale key and wakes it
        from duban.flows.sweep import wake_stale
        from duban.models.db import make_engine, session_scope
        from duban.tasks.work import actions

        with session_scope(make_engine(imported)) as s:
            actions.submit(session=s, occurrence_id=units["yz"], actor="yz", now=datetime.now(UTC))
        assert wait_state(run.id, "Suspended").state.state_details.pause_key == "rollup-8-0"
        assert wake_stale("edu-2022") == 1
        deadline = time.monotonic() + 90
        while wait_state(run.id, "Suspended").state.state_details.pause_key != "rollup-9-0":
            assert time.monotonic() < deadline, "the stale run was not woken"
            time.sleep(1)
        assert wake_stale("edu-2022") == 0  # up to date now: nothing to wake
        for unit in ("jb", "yz", "yy", "cx"):  # the rest done elsewhere: the run completes
            if unit in ("yy", "cx"):
                assert cli("submit", str(units[unit]), "--by", unit).exit_code == 0
            assert cli("review", str(units[unit]), "--accept", "--by", "dcs").exit_code == 0
        wait_state(run.id, "Completed", timeout=120)
        assert progress() == 100.0
    finally:
        runner.terminate()
        runner.wait(30)


def test_the_bulletin_runs_on_the_first_workday_and_leaves_its_markdown_as_an_artifact(
    prefect_server: None, imported: str, session: Session
) -> None:
    """The week of 26 September 2022 ends in the National Day holiday: its bulletin goes out on
    Saturday 8 October (a 调休 workday) at 09:00; the run leaves the bulletin as an artifact."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from duban.deployments.build import plan_deployments
    from duban.flows.bulletin import artifact_key, bulletin_flow
    from duban.flows.runs import plan_runs
    from duban.models import Bulletin
    from duban.tasks.timeline.clock import SystemTime

    [spec] = [
        s for s in plan_deployments(session=session, plan_id="edu-2022") if s.flow == "bulletin"
    ]
    assert spec.name == "edu-2022-bulletin"
    october = datetime(2022, 10, 1, tzinfo=UTC)
    planned = plan_runs(
        session=session, plan_id="edu-2022", time=SystemTime(lambda: october), now=october
    )
    first = next(r for r in planned.runs if r.flow == "bulletin")
    assert first.name == "督办通报 2022-09-26"
    assert first.at.isoformat() == "2022-10-08T01:00:00+00:00"
    assert first.key == "duban-bulletin-edu-2022-week-2022-09-26"

    result = bulletin_flow("edu-2022", week="2022-09-26", now="2022-10-08T09:00+08:00")
    assert result["made"] is True and result["sent"] == 0  # no channel configured: stored
    session.expire_all()
    [row] = session.exec(select(Bulletin)).all()
    with get_client(sync_client=True) as client:
        [artifact] = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=[artifact_key("edu-2022", "week")])
            ),
            limit=1,
        )
    assert artifact.data == row.markdown
    assert "2022年第39周" in row.markdown


@contextmanager
def warnings_logged(name: str) -> Iterator[list[logging.LogRecord]]:
    """The warnings a logger gives inside the block (pytest's caplog sees nothing once the
    harness has configured Prefect's logging)."""
    warned: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = warned.append  # type: ignore[method-assign]
    logging.getLogger(name).addHandler(handler)
    try:
        yield warned
    finally:
        logging.getLogger(name).removeHandler(handler)


def test_a_run_that_left_its_pause_before_the_resume_is_not_warned_about(
    prefect_server: None,
) -> None:
    """Two wakers race (the report, then at once its review): the first resumes the run, the
    second saw it paused a moment before. The server refuses the second ("not paused"); that is
    no failure to show a coordinator. A run still paused after a refused resume is."""
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.states import Paused

    from duban.flows.events import resume_if_paused

    @flow(name="duban-wake-race")
    def waiting() -> None: ...

    class FirstWakerWins:
        """The real client; on its first look at the run the other waker resumes it."""

        def __init__(self, client) -> None:  # type: ignore[no-untyped-def]
            self.client, self.looked = client, False

        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(self.client, name)

        def read_flow_run(self, run_id):  # type: ignore[no-untyped-def]
            run = self.client.read_flow_run(run_id)
            if not self.looked:
                self.looked = True
                assert self.client.resume_flow_run(run_id, run_input={}).status.value == "ACCEPT"
            return run

    with get_client(sync_client=True) as client:
        run = client.create_flow_run(waiting)
        client.set_flow_run_state(run.id, Paused(timeout_seconds=600, pause_key="p"), force=True)
        with warnings_logged("duban.events") as warned:
            assert resume_if_paused(FirstWakerWins(client), run.id, 7) is False
        assert warned == []
        assert not client.read_flow_run(run.id).state.is_paused()

        client.set_flow_run_state(run.id, Paused(timeout_seconds=600, pause_key="q"), force=True)
        assert resume_if_paused(client, run.id, 7) is True  # no race: woken
        assert not client.read_flow_run(run.id).state.is_paused()
        assert resume_if_paused(client, run.id, 7) is False  # nothing left to wake


def test_a_run_that_paused_but_has_not_saved_its_form_yet_is_woken_once_it_has(
    prefect_server: None,
) -> None:
    """Prefect pauses a run, then saves the form it waits for: a resume in between is refused
    ("Run input schema not found.") though the run is waiting. Seen in `make up` as a warning
    and a run left asleep; the wake tries again and succeeds once the form is there."""
    import threading

    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.input.run_input import keyset_from_paused_state
    from prefect.states import Paused

    from duban.flows.events import resume_if_paused

    @flow(name="duban-wake-before-form")
    def waiting() -> None: ...

    with get_client(sync_client=True) as client:
        run = client.create_flow_run(waiting)
        state = Paused(timeout_seconds=600, pause_key="form")
        keyset = keyset_from_paused_state(state)
        state.state_details.run_input_keyset = keyset
        client.set_flow_run_state(run.id, state, force=True)
        refused = client.resume_flow_run(run.id, run_input={})  # the race, as Prefect has it
        assert refused.details.reason == "Run input schema not found."

        def save_the_form() -> None:  # what the run does a moment after its pause
            with get_client(sync_client=True) as other:
                form = json.dumps({"type": "object", "properties": {}})
                other.create_flow_run_input(run.id, key=keyset["schema"], value=form)

        saver = threading.Timer(0.3, save_the_form)
        saver.start()
        try:
            with warnings_logged("duban.events") as warned:
                assert resume_if_paused(client, run.id, 7) is True
        finally:
            saver.join()
        assert warned == []
        assert not client.read_flow_run(run.id).state.is_paused()

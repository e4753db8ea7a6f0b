"""The Prefect automation that alerts the coordinators when a Duban flow run fails or crashes."""

from __future__ import annotations

from uuid import UUID

from prefect.automations import Automation
from prefect.events.actions import RunDeployment
from prefect.events.schemas.automations import EventTrigger, Posture


def failure_automation_name(plan_id: str) -> str:
    return f"duban-{plan_id}-flow-run-failed"


def failure_automation(plan_id: str, alert_deployment_id: UUID) -> Automation:
    return Automation(
        name=failure_automation_name(plan_id),
        description=f"计划 {plan_id} 的流程运行失败或崩溃时，通知督办协调单位",
        trigger=EventTrigger(
            expect={"prefect.flow-run.Failed", "prefect.flow-run.Crashed"},
            match={"prefect.resource.id": "prefect.flow-run.*"},
            # the plan's deployments tag their runs; the alert's own runs are not tagged so
            match_related={
                "prefect.resource.role": "tag",
                "prefect.resource.id": f"prefect.tag.plan:{plan_id}",
            },
            posture=Posture.Reactive,
            threshold=1,
        ),
        actions=[
            RunDeployment(
                source="selected",
                deployment_id=alert_deployment_id,
                parameters={
                    "plan_id": plan_id,
                    "flow_run_id": "{{ event.resource.id }}",
                    "flow_run_name": "{{ event.resource.name }}",
                    "state": "{{ event.event }}",
                },
            )
        ],
    )


def ensure_failure_automation(plan_id: str, alert_deployment_id: UUID) -> UUID:
    """Create the automation, or replace an older one of the same name (re-import, re-deploy)."""
    name = failure_automation_name(plan_id)
    while True:
        try:
            Automation.read(name=name).delete()
        except ValueError:
            break
    created = failure_automation(plan_id, alert_deployment_id).create()
    assert created.id is not None
    return created.id

"""Run an imported plan's deployments: served from this process (the single-machine default),
or registered on a Prefect work pool whose workers run them (`duban deploy`, production)."""

from __future__ import annotations

from uuid import UUID

from prefect import deploy, serve
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterTags
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.exceptions import ObjectNotFound

from deployments.automation import ensure_failure_automation
from deployments.build import DeploymentSpec
from flows.alert import alert_flow
from flows.occurrence import KIND_FLOW_OBJECTS, sweep_flow

FLOWS = {**KIND_FLOW_OBJECTS, "sweep": sweep_flow, "alert": alert_flow}


def to_runner(spec: DeploymentSpec, *, module_path: bool = False) -> RunnerDeployment:
    """`module_path`: name the flow by its module (`flows.occurrence.inspection_flow`), so that a
    worker with the duban package installed imports it — no code storage to pull."""
    return FLOWS[spec.flow].to_deployment(
        entrypoint_type=EntrypointType.MODULE_PATH if module_path else EntrypointType.FILE_PATH,
        name=spec.name,
        parameters=spec.parameters,
        tags=spec.tags,
        schedules=[spec.schedule] if spec.schedule else None,
        paused=spec.paused,
        description=spec.description,
    )


def pause_strays(specs: list[DeploymentSpec]) -> list[str]:
    """Pause the plan's deployments these specs no longer name: a task whose kind changed is
    deployed under its new kind's flow, and the old one must not keep firing. Their names."""
    keep = {(FLOWS[s.flow].name, s.name) for s in specs}
    plans = sorted({str(s.parameters["plan_id"]) for s in specs})
    paused = []
    with get_client(sync_client=True) as client:
        for plan_id in plans:
            found = client.read_deployments(
                deployment_filter=DeploymentFilter(
                    tags=DeploymentFilterTags(all_=[f"plan:{plan_id}"])
                )
            )
            flows: dict[UUID, str] = {}
            for d in found:
                if d.flow_id not in flows:
                    flows[d.flow_id] = client.read_flow(d.flow_id).name
                if (flows[d.flow_id], d.name) not in keep and not d.paused:
                    client.pause_deployment(d.id)
                    paused.append(f"{flows[d.flow_id]}/{d.name}")
    return paused


def serve_plan(specs: list[DeploymentSpec]) -> None:
    """Blocks until interrupted; stopping does not pause the deployments."""
    pause_strays(specs)
    for spec in specs:
        if spec.flow == "alert":
            alert_id = to_runner(spec).apply()
            ensure_failure_automation(spec.parameters["plan_id"], alert_id)
    serve(*(to_runner(s) for s in specs), pause_on_shutdown=False)


def deploy_plan(specs: list[DeploymentSpec], work_pool: str) -> list[UUID]:
    """Register (or update) every deployment on `work_pool`, creating it as a process pool."""
    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(work_pool)
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(name=work_pool, type="process"))
    ids = deploy(
        *(to_runner(s, module_path=True) for s in specs),
        work_pool_name=work_pool,
        build=False,
        push=False,
        print_next_steps_message=False,
        ignore_warnings=True,
    )
    for spec, deployment_id in zip(specs, ids, strict=True):
        if spec.flow == "alert":
            ensure_failure_automation(spec.parameters["plan_id"], deployment_id)
    pause_strays(specs)
    return ids

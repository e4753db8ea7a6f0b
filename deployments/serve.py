"""Run an imported plan's deployments: served from this process (the single-machine default),
or registered on a Prefect work pool whose workers run them (`duban deploy`, production)."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

from prefect import deploy
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterTags
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.exceptions import ObjectNotFound
from prefect.settings import get_current_settings

from duban.deployments.automation import ensure_failure_automation
from duban.deployments.build import DeploymentSpec
from duban.flows.alert import alert_flow
from duban.flows.bulletin import bulletin_flow
from duban.flows.occurrence import KIND_FLOW_OBJECTS
from duban.flows.runs import RunPlan, schedule_runs
from duban.flows.sweep import sweep_flow

FLOWS = {**KIND_FLOW_OBJECTS, "sweep": sweep_flow, "alert": alert_flow, "bulletin": bulletin_flow}


def to_runner(spec: DeploymentSpec, *, module_path: bool = False) -> RunnerDeployment:
    """`module_path`: name the flow by its module (`duban.flows.occurrence.inspection_flow`), so that a
    worker with the duban package installed imports it — no code storage to pull. Versioned by
    the flow's source, as Prefect does without a version control system: left to itself, it
    would run three `git` commands for every deployment of the plan."""
    return FLOWS[spec.flow].to_deployment(
        entrypoint_type=EntrypointType.MODULE_PATH if module_path else EntrypointType.FILE_PATH,
        name=spec.name,
        parameters=spec.parameters,
        tags=spec.tags,
        paused=spec.paused,
        description=spec.description,
        version_type="prefect:simple",  # type: ignore[arg-type]  # VersionType.SIMPLE
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


def serve_plan(
    specs: list[DeploymentSpec], planned: RunPlan, ready: Callable[[str], None] = print
) -> dict[str, int]:
    """Register the deployments, schedule the plan's next runs, then run them from this process
    until interrupted; stopping does not pause the deployments.

    Two runners: one for the occurrences' work, limited to PREFECT_RUNNER_PROCESS_LIMIT
    processes (Prefect's `serve()` passes `limit=None`, which means none: forty runs due at the
    same minute would start forty processes on two cores), and one slot of its own for the
    sweep, which must never wait in the queue behind the work it sweeps."""
    from prefect.runner import Runner

    started = time.monotonic()
    work = Runner(pause_on_shutdown=False, limit=get_current_settings().runner.process_limit)
    sweeps = Runner(pause_on_shutdown=False, limit=1)
    for spec in specs:
        runner = sweeps if spec.flow == "sweep" else work
        deployment_id = runner.add_deployment(to_runner(spec))
        if spec.flow == "alert":
            ensure_failure_automation(spec.parameters["plan_id"], deployment_id)
    registered = time.monotonic()
    pause_strays(specs)
    counts = schedule_runs(str(specs[0].parameters["plan_id"]), planned)
    ready(
        f"已注册 {len(specs)} 个部署（{registered - started:.1f} 秒）；已安排运行：新建 "
        f"{counts['created']} 个，改期 {counts['moved']} 个，删除 {counts['deleted']} 个"
        f"（{time.monotonic() - registered:.1f} 秒）"
    )
    try:
        asyncio.run(_run_all(work, sweeps))
    except KeyboardInterrupt:
        pass
    return counts


async def _run_all(*runners: Any) -> None:
    """Run the runners together. Each one takes SIGTERM over for itself as it starts (and the
    last one would win): once they are running, every stop signal stops all of them."""

    async def then_take_the_signals() -> None:
        await asyncio.sleep(1)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.default_int_handler)  # raises KeyboardInterrupt

    await asyncio.gather(*(r.start() for r in runners), then_take_the_signals())


def deploy_plan(specs: list[DeploymentSpec], work_pool: str, planned: RunPlan) -> list[UUID]:
    """Register (or update) every deployment on `work_pool`, creating it as a process pool;
    then schedule the plan's next runs."""
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
    schedule_runs(str(specs[0].parameters["plan_id"]), planned)
    return ids

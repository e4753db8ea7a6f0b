"""Serve an imported plan's deployments from this process (the single-machine default)."""

from __future__ import annotations

from prefect import serve
from prefect.deployments.runner import RunnerDeployment

from deployments.build import DeploymentSpec
from flows.occurrence import occurrence_flow, sweep_flow

FLOWS = {"occurrence": occurrence_flow, "sweep": sweep_flow}


def to_runner(spec: DeploymentSpec) -> RunnerDeployment:
    return FLOWS[spec.flow].to_deployment(
        name=spec.name,
        parameters=spec.parameters,
        tags=spec.tags,
        schedules=[spec.schedule] if spec.schedule else None,
        paused=spec.paused,
        description=spec.description,
    )


def serve_plan(specs: list[DeploymentSpec]) -> None:
    """Blocks until interrupted; stopping does not pause the deployments."""
    serve(*(to_runner(s) for s in specs), pause_on_shutdown=False)

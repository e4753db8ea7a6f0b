"""Artifacts that update in place: Prefect updates only progress artifacts, so each indicator's
and each 分办 period's progress is one artifact, written only when its value or words change."""

from __future__ import annotations

from prefect.artifacts import create_progress_artifact

from duban.tasks.audit.progress import Progress


def show_progress(items: list[Progress]) -> int:
    """One progress artifact per indicator, updated in place (the only kind Prefect updates):
    created once, then written only when its value or its words change — not thirty new
    artifacts every sweep. How many were written."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import ArtifactUpdate
    from prefect.client.schemas.filters import ArtifactCollectionFilter, ArtifactCollectionFilterKey

    written = 0
    with get_client(sync_client=True) as client:
        latest = {
            a.key: a
            for a in client.read_latest_artifacts(
                artifact_filter=ArtifactCollectionFilter(
                    key=ArtifactCollectionFilterKey(any_=[i.key for i in items])
                ),
                limit=len(items) or 1,
            )
        }
        for item in items:
            found = latest.get(item.key)
            if found is None or found.type != "progress":
                create_progress_artifact(item.percent, key=item.key, description=item.description)
            elif (float(found.data or 0), found.description) != (item.percent, item.description):
                client.update_artifact(
                    found.latest_id, ArtifactUpdate(data=item.percent, description=item.description)
                )
            else:
                continue
            written += 1
    return written

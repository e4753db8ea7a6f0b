"""The 督办通报 flow: issue a period's bulletin (stored, its SHA-256 in the ledger), send it to
the plan's audience, and show it as a Prefect markdown artifact. Duban creates its runs on the
first workday of each week or month (`flows.runs.bulletin_runs`); a second run for the same
period finds the stored bulletin and sends only to recipients not reached yet."""

from __future__ import annotations

import re
from datetime import datetime

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from duban import runtime
from duban.tasks.bulletin.period import parse


def artifact_key(plan_id: str, cadence: str) -> str:
    """Prefect's artifact keys take lowercase letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9-]+", "-", f"bulletin-{plan_id}-{cadence}".lower()).strip("-")


@flow(name="duban-bulletin", log_prints=False)
def bulletin_flow(
    plan_id: str, week: str | None = None, month: str | None = None, now: str | None = None
) -> dict[str, object]:
    """督办通报 for a week (its Monday, e.g. 2022-06-27) or a month (2022-06)."""
    logger = get_run_logger()
    settings = runtime.get_settings()
    time = settings.time()
    moment = datetime.fromisoformat(now) if now else time.now()
    period = parse(week, month)
    transport = runtime.load_transport(settings)
    if transport is None:
        logger.warning("未配置 apprise 通道：通报已存档，未发送")
    row, made = runtime.send_bulletin(
        settings, transport, plan_id=plan_id, period=period, now=moment, clock=time.now
    )
    create_markdown_artifact(
        markdown=row.markdown,
        key=artifact_key(plan_id, period.cadence),
        description=f"{row.title}（sha256 {row.sha256[:16]}…）",
    )
    sent = sum(r["status"] == "sent" for r in row.recipients)
    logger.info("%s：送达 %d/%d", row.title, sent, len(row.recipients))
    return {"id": row.id, "made": made, "sent": sent, "recipients": len(row.recipients)}


if __name__ == "__main__":
    bulletin_flow("edu-2022", week="2022-06-27", now="2022-07-04T09:00+08:00")

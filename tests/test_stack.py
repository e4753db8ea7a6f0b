"""The production stack without containers: Prefect server on PostgreSQL, a process worker, the API.

`docker/local-stack.sh` starts what `docker/compose.yaml` runs — the server on this machine's
PostgreSQL, the one-shot job (migrate, import, `duban deploy` onto a process work pool), a
`prefect worker` and `duban api` — and this test drives one scheduled occurrence and one
reminder through it, then stops it with SIGTERM and checks that nothing is left running.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_ADMIN_URL, ROOT
from tests.loopback import free_port
from tests.receivers import HttpReceiver
from tests.test_reminders import write_config

pytestmark = pytest.mark.prefect


@pytest.fixture
def databases() -> Iterator[dict[str, str]]:
    names = {kind: f"duban_stack_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("prefect", "duban")}
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names.values():
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield {
        "duban": f"{base}/{names['duban']}",
        "prefect": f"{base.replace('+psycopg', '+asyncpg')}/{names['prefect']}",
    }
    with admin.connect() as connection:
        for name in names.values():
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_the_stack_runs_an_occurrence_and_a_reminder_and_stops_cleanly(
    databases: dict[str, str], tmp_path: Path
) -> None:
    prefect_port, api_port = free_port(), free_port()
    bin_dir = Path(sys.executable).parent
    with HttpReceiver().running() as http:
        env = {
            **os.environ,
            "BIN": str(bin_dir),
            "DUBAN_DATABASE_URL": databases["duban"],
            "DUBAN_DATA_DIR": str(tmp_path / "data"),
            "PREFECT_API_DATABASE_CONNECTION_URL": databases["prefect"],
            "PREFECT_HOME": str(tmp_path / "prefect-home"),
            "PREFECT_PORT": str(prefect_port),
            "API_PORT": str(api_port),
            "DUBAN_NOW": "2022-03-25T09:00+08:00",
            "DUBAN_APPRISE_CONFIG": str(write_config(tmp_path / "apprise.yaml", http)),
        }
        env.pop("PREFECT_API_URL", None)
        log = (tmp_path / "stack.log").open("w")
        stack = subprocess.Popen(
            [str(ROOT / "docker" / "local-stack.sh")],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: we can check that all of it ended
        )
        try:
            deadline = time.monotonic() + 150
            while "ready:" not in (tmp_path / "stack.log").read_text():
                assert stack.poll() is None, (tmp_path / "stack.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "the stack did not start"
                time.sleep(1)

            # the scheduled occurrence and the sweep, as the worker runs them
            driver = """
import json, time
from prefect import get_client
from prefect.deployments import run_deployment
out = {}
# the occurrence's run opens it, then waits (suspended) for the unit's report
run = run_deployment("duban-inspection/edu-2022-T-aq-paicha", timeout=0, parameters={
    "plan_id": "edu-2022", "task_code": "T-aq-paicha", "now": "2022-04-01T09:00:00+08:00"})
with get_client(sync_client=True) as client:
    for _ in range(240):
        state = client.read_flow_run(run.id).state
        if state.is_final() or state.name == "Suspended":
            break
        time.sleep(0.5)
out["occurrence"] = state.name
run = run_deployment("duban-sweep/edu-2022-sweep", timeout=120,
                     parameters={"plan_id": "edu-2022", "now": "2022-04-01T09:30:00+08:00"})
out["sweep"] = run.state.name
# and the runs `duban deploy` scheduled by itself: the sweeps after --now, named by their moment
with get_client(sync_client=True) as client:
    for _ in range(240):
        planned = {r.name: r.state.name for r in client.read_flow_runs()
                   if r.name.startswith("巡检 2022-03-25")}
        if "Completed" in planned.values():
            break
        time.sleep(0.5)
out["planned sweep"] = "Completed" if "Completed" in planned.values() else str(planned)
print(json.dumps(out))
"""
            runs = subprocess.run(
                [sys.executable, "-c", driver],
                env={**env, "PREFECT_API_URL": f"http://127.0.0.1:{prefect_port}/api"},
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert runs.returncode == 0, runs.stderr[-3000:]
            states = json.loads(runs.stdout.strip().splitlines()[-1])
            assert states == {
                "occurrence": "Suspended",
                "sweep": "Completed",
                "planned sweep": "Completed",
            }, states

            # the occurrence opened by the worker's run is visible through the API
            cli = [str(bin_dir / "duban"), "token", "create", "--role", "coordinator"]
            made = subprocess.run(cli, env=env, capture_output=True, text=True, check=True)
            token = made.stdout.strip().splitlines()[-1]
            answer = httpx.get(
                f"http://127.0.0.1:{api_port}/api/occurrences",
                params={"task": "T-aq-paicha", "status": "open"},
                headers={"Authorization": f"Bearer {token}"},
            ).json()
            # (the planned sweeps, running on today's clock, catch the rest of that past year up)
            due = [o["due_at"][:10] for o in answer["items"]]
            assert {"2022-03-31", "2022-06-30"} <= set(due), due
            # and its reminder went out through the sweep's dispatcher to 安全稳定处's channel
            aqc = [p for p in http.posts if p["path"].startswith("/aqc")]
            assert aqc and "开展安全稳定隐患排查治理" in aqc[0]["message"]
        finally:
            stack.send_signal(signal.SIGTERM)
            try:
                code = stack.wait(timeout=120)
            finally:
                if stack.poll() is None:
                    os.killpg(stack.pid, signal.SIGKILL)
            log.close()
    text_log = (tmp_path / "stack.log").read_text()
    assert code == 0 and "stopped" in text_log, text_log[-3000:]
    assert "did not stop" not in text_log  # every service stopped on its own, none killed
    time.sleep(1)
    with pytest.raises(ProcessLookupError):  # nothing of the stack is left running
        os.killpg(stack.pid, 0)

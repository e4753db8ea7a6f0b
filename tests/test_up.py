"""The README's main job, `duban up`, end to end: a real Prefect server, then Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import EXAMPLE_PLAN, ROOT
from tests.loopback import free_port

pytestmark = pytest.mark.prefect
DUBAN = [sys.executable, "-m", "duban.cli"]


def wait_for(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def deployments(api: str) -> list[dict]:  # type: ignore[type-arg]
    response = httpx.post(f"{api}/deployments/filter", json={"limit": 200}, timeout=10)
    response.raise_for_status()
    return response.json()


def test_up_serves_the_example_plan_and_ctrl_c_stops_everything_without_pausing(
    tmp_path: Path,
) -> None:
    port, portal = free_port(), free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "DUBAN_DATA_DIR": str(tmp_path / "data"),
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    env.pop("DUBAN_DATABASE_URL", None)
    env.pop("PREFECT_API_URL", None)
    log = (tmp_path / "up.log").open("w")
    up = subprocess.Popen(
        [*DUBAN, "up", str(EXAMPLE_PLAN), "--port", str(port), "--portal-port", str(portal)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(lambda: len(deployments(api)) == 44, 150, "44 deployments to be served")
        names = {d["name"] for d in deployments(api)}
        assert {"edu-2022-sweep", "edu-2022-T-aq-paicha"} <= names
        login = httpx.get(f"http://127.0.0.1:{portal}/portal/login", timeout=5)
        assert login.status_code == 200 and "督查室登录" in login.text  # the units' portal
    finally:
        os.killpg(up.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        code = up.wait(timeout=60)
        log.close()
    output = (tmp_path / "up.log").read_text()
    assert code == 0, output
    assert "已导入计划 edu-2022" in output
    assert "Traceback" not in output
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{api}/health", timeout=2)  # the server it started is gone
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{portal}/portal/login", timeout=2)  # and the portal

    # Start the same server again: the deployments are still there and not paused.
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env={**env, "PREFECT_API_URL": api},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(lambda: httpx.get(f"{api}/health", timeout=2).status_code == 200, 90, "server")
        found = deployments(api)
        assert len(found) == 44
        assert not any(d["paused"] for d in found)
        automations = httpx.post(f"{api}/automations/filter", json={}, timeout=10).json()
        assert [a["name"] for a in automations] == ["duban-edu-2022-flow-run-failed"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

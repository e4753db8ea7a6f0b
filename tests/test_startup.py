"""A command imports only what it uses: the quick ones never load the orchestrator, the web
stack or the spreadsheet writer (each costs a person at the terminal time at every call)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("prefect", "fastapi", "uvicorn", "openpyxl", "jinja2", "apprise", "sqlalchemy", "sqlmodel")
PROBE = """
import json, sys
from typer.testing import CliRunner
from duban.cli import app
heavy = json.loads(sys.argv[1])
result = CliRunner().invoke(app, sys.argv[2:])
print(json.dumps({"code": result.exit_code, "loaded": sorted(m for m in heavy if m in sys.modules)}))
"""


@pytest.mark.parametrize("args", [["--help"], ["calendar", "check", "2022-10-08"]])
def test_a_quick_command_loads_no_heavy_package(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(HEAVY), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer == {"code": 0, "loaded": []}, done.stderr[-1000:]

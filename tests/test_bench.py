"""The benchmarks still run: each at a tiny size, on SQLite (their figures are in the README;
a schema change that breaks a benchmark must not wait for someone to run `make bench`)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize(
    "args",
    [
        ["audit.py", "--occurrences", "200", "--events", "1000", "--units", "10"],
        ["portal.py", "--occurrences", "300", "--events", "1000", "--units", "10"],
        ["api_paging.py", "--sizes", "300"],
        ["due_stages.py", "500"],
        ["scale.py", "--units", "12", "--tasks", "20", "--sample", "5"],
    ],
    ids=lambda args: args[0],
)
def test_a_benchmark_runs_and_prints_its_figures(args: list[str]) -> None:
    only = [] if args[0] == "due_stages.py" else ["--only", "sqlite"]
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / args[0]), *args[1:], *only],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert " ms" in done.stdout or " s" in done.stdout

"""The package as a user gets it: a wheel built from the repository (`pip wheel .`), installed
into a fresh environment, run away from the source tree — not the editable install the tests
and the Makefile use, which would hide a package the build left out."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_PLAN, ROOT

SITE = Path(sysconfig.get_paths()["purelib"])
SOURCES = (
    "pyproject.toml",
    "setup.py",
    "README.md",
    "duban",
    "models",
    "tasks",
    "flows",
    "deployments",
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment holding the built wheel. Its dependencies are borrowed from the
    test environment by a path entry (a .pth line adds the directory without running the
    .pth files in it, so the editable install's finder stays out)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # what the Dockerfile copies: the build writes nothing into the repo
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(source)],
        check=True,
        capture_output=True,
    )
    [wheel] = work.glob("duban-*.whl")
    env = work / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", wheel],
        check=True,
        capture_output=True,
    )
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "borrowed-dependencies.pth").write_text(f"{SITE}\n")
    return env


def run(env: Path, *args: str, cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    variables = {"PATH": os.environ["PATH"], "HOME": str(cwd), "LANG": "C.UTF-8", **extra}
    return subprocess.run(
        [str(env / "bin" / "duban"), *args], cwd=cwd, env=variables, capture_output=True, text=True
    )


def test_the_wheel_holds_every_package_under_duban_only(installed: Path) -> None:
    [wheel] = installed.parent.glob("duban-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"duban", "duban-0.1.0.dist-info"}
    for folder in ("models", "tasks", "flows", "deployments", "duban"):
        for source in (ROOT / folder).rglob("*.py"):
            inside = source.relative_to(ROOT / folder)
            packaged = "duban/" + (str(inside) if folder == "duban" else f"{folder}/{inside}")
            assert packaged in names, f"{source.relative_to(ROOT)} is not in the wheel"
    assert "duban/models/migrations/script.py.mako" in names
    assert "duban/portal/templates/occurrence.html" in names
    assert "duban/tasks/extract/figures.json" in names  # the learned second opinion


def test_the_installed_wheel_extracts_checks_and_upgrades(installed: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    extracted = run(
        installed, "plan", "extract", str(ROOT / "examples" / "report-2022.txt"), "--format",
        "yaml", "-o", str(draft),
        cwd=tmp_path,
    )  # fmt: skip
    assert extracted.returncode == 0, extracted.stderr
    assert "tasks:" in draft.read_text(encoding="utf-8")
    checked = run(installed, "plan", "check", str(EXAMPLE_PLAN), cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    data = tmp_path / "data"
    upgraded = run(installed, "db", "upgrade", cwd=tmp_path, DUBAN_DATA_DIR=str(data))
    assert upgraded.returncode == 0, upgraded.stderr
    assert (data / "duban.db").exists()


def test_a_working_directory_with_flows_and_tasks_shadows_nothing(
    installed: Path, tmp_path: Path
) -> None:
    """A worker started in a directory holding its own `flows/`, `tasks.py` or `models.py`
    still runs Duban's (which live under `duban.`)."""
    for name in ("tasks.py", "models.py"):
        (tmp_path / name).write_text("raise SystemExit('shadowed')\n")
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "__init__.py").write_text("raise SystemExit('shadowed')\n")
    found = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import duban.flows.sweep as m; print(m.__file__)",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip().startswith(str(installed)), found.stdout

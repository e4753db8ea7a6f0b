"""docker/ checked without a container engine: what the compose file and the image refer to
exists, their commands are the CLI's, the image installs as the README says, no secret is baked."""

from __future__ import annotations

import re
import shlex
from typing import Any

import pytest
import yaml

from duban.cli import app
from tests.conftest import EXAMPLE_PLAN, ROOT, subcommands

DOCKER = ROOT / "docker"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text(encoding="utf-8"))


def command_words(service: dict[str, Any]) -> list[list[str]]:
    """The commands a service runs (a `sh -c` string split at `&&`)."""
    command = service.get("command", [])
    if isinstance(command, str):
        command = shlex.split(command)
    if command[:2] == ["sh", "-c"]:
        return [shlex.split(part) for part in command[2].split("&&")]
    return [command]


def duban_command_exists(words: list[str]) -> bool:
    import typer.main

    group = typer.main.get_command(app)
    for word in words[1:]:
        if word.startswith("-") or not hasattr(group, "commands"):
            break
        found = subcommands(group)
        if word not in found:
            return False
        group = found[word]
    return not hasattr(group, "commands")  # ends on a command, not a group


def test_the_compose_file_has_the_stack_and_every_file_it_refers_to_exists(compose) -> None:
    services = compose["services"]
    assert set(services) == {"postgres", "prefect-server", "setup", "worker", "api"}
    for name, service in services.items():
        build = service.get("build")
        if build:
            assert (DOCKER / build["context"]).resolve() == ROOT
            assert (DOCKER / build["context"] / build["dockerfile"]).is_file()
        for env_file in service.get("env_file", []):
            assert (DOCKER / f"{env_file}.example").is_file(), f"{name}: {env_file}.example"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./") and not source.endswith(("plan.yaml",)):
                assert (DOCKER / source).exists(), f"{name}: {source}"
    for secret in compose["secrets"].values():
        real = DOCKER / secret["file"]
        example = real.with_name(real.stem + ".example" + real.suffix)
        assert example.is_file()
    ignored = (ROOT / ".gitignore").read_text()
    for private in ("docker/*.env", "docker/apprise.yaml", "docker/plan.yaml"):
        assert private in ignored
    assert "pgdata" in compose["volumes"]
    # the worker scales: no fixed name and no published port
    assert "container_name" not in services["worker"] and "ports" not in services["worker"]


def test_every_variable_the_compose_file_needs_is_in_the_env_example() -> None:
    text = (DOCKER / "compose.yaml").read_text()
    needed = set(re.findall(r"\$\{(\w+)", text))
    example = (DOCKER / "duban.env.example").read_text()
    defined = set(re.findall(r"^(\w+)=", example, flags=re.MULTILINE))
    assert needed <= defined, needed - defined


def test_the_services_run_real_commands(compose) -> None:
    seen = []
    for name, service in compose["services"].items():
        if "command" not in service:
            continue
        for words in command_words(service):
            seen.append(words[0])
            if words[0] == "duban":
                assert duban_command_exists(words), f"{name}: {' '.join(words)}"
            else:
                assert words[0] == "prefect", f"{name}: {words}"
    assert seen.count("duban") >= 4  # upgrade, import, deploy, api
    setup = " ".join(" ".join(w) for w in command_words(compose["services"]["setup"]))
    assert "duban deploy --work-pool duban" in setup
    assert "--pool duban" in " ".join(compose["services"]["worker"]["command"])


def test_the_image_installs_as_the_readme_says_runs_as_a_user_and_bakes_no_secret() -> None:
    dockerfile = (DOCKER / "Dockerfile").read_text()
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, flags=re.MULTILINE)
    assert re.search(r"^RUN make install$", dockerfile, flags=re.MULTILINE)
    assert "make install" in readme
    users = re.findall(r"^USER (\S+)", dockerfile, flags=re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert "HEALTHCHECK" in dockerfile
    for line in dockerfile.splitlines():
        if line.startswith(("ENV", "ARG")) or line.startswith(" "):
            assert not re.search(r"(PASSWORD|TOKEN|SECRET|AUTH_STRING)\w*=\S", line), line
    copied = [
        source
        for line in re.findall(r"^COPY (?:--\S+ )*(.+)$", dockerfile, flags=re.MULTILINE)
        for source in line.split()[:-1]  # the last word is the destination
    ]
    for source in copied:
        assert (ROOT / source).exists(), source
    # everything the build reads and the package installs is copied in
    for needed in (
        "pyproject.toml",
        "setup.py",
        "duban",
        "models",
        "tasks",
        "flows",
        "deployments",
    ):
        assert needed in copied, needed


def test_the_deployments_duban_deploy_registers_match_the_example_plan(cli_nodb, tmp_path) -> None:
    """`duban deploy` is the Python equivalent of a prefect.yaml: one deployment per task plus
    the sweep and the alert; and the runs it schedules — one per occurrence at its opening
    moment (one per period for a task given to several units), named by its period, and the
    sweeps on official workdays (调休 included)."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from sqlmodel import select

    from duban.deployments.build import plan_deployments
    from duban.flows.runs import HORIZON, plan_runs
    from duban.models import Occurrence, Task
    from duban.models.db import make_engine, session_scope, upgrade
    from duban.tasks.timeline.clock import SystemTime

    url = f"sqlite:///{tmp_path / 'd.db'}"
    upgrade(make_engine(url))
    cli_nodb.env["DUBAN_DATABASE_URL"] = url
    assert (
        cli_nodb("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    )
    plan_tasks = [t["id"] for t in yaml.safe_load(EXAMPLE_PLAN.read_text())["tasks"]]
    new_year = datetime(2022, 1, 1, tzinfo=UTC)
    with session_scope(make_engine(url)) as session:
        specs = plan_deployments(session=session, plan_id="edu-2022")
        planned = plan_runs(
            session=session, plan_id="edu-2022", time=SystemTime(lambda: new_year), now=new_year
        )
        soon = session.exec(
            select(Occurrence, Task).join(Task).where(Occurrence.opens_at <= new_year + HORIZON)
        ).all()
    names = {s.name for s in specs}
    assert names == {
        "edu-2022-sweep",
        "edu-2022-alert",
        "edu-2022-bulletin",
        *(f"edu-2022-{code}" for code in plan_tasks),
    }
    assert all(s.flow in ("sweep", "alert", "bulletin") or s.parameters["task_code"] for s in specs)
    runs = {r.key: r for r in planned.runs}
    leads = [(o, t) for o, t in soon if o.duty == "lead"]
    assert len(leads) > 40  # everything opening in the first five weeks has its run
    for occurrence, task in leads:
        if len(task.units) > 1:  # 分办: one roll-up run per task-period, not one per unit
            run = runs[f"duban-edu-2022-period-{task.id}-{occurrence.key}"]
            assert run.parameters == {"period": occurrence.key}
            assert run.name.endswith(f"{len(task.units)}个单位")
        else:  # one run per occurrence; 协办 inputs ride along with their 主办's
            run = runs[f"duban-edu-2022-occurrence-{occurrence.id}"]
            assert run.parameters == {"occurrence_id": occurrence.id}
        assert run.deployment == f"edu-2022-{task.code}"
        assert run.at == occurrence.opens_at  # live: at its opening moment (before pacing)
        assert run.name.startswith("2022Q1 · ") and task.title in run.name
    assert not {f"duban-edu-2022-occurrence-{o.id}" for o, _ in soon if o.duty != "lead"} & set(
        runs
    )
    zone = ZoneInfo("Asia/Shanghai")
    sweeps = [r.name for r in planned.runs if r.flow == "sweep"]
    # 1–3 January are the New Year holiday: the first sweeps are Tuesday 4 January's
    assert sweeps[:2] == ["巡检 2022-01-04 08:00", "巡检 2022-01-04 08:15"]
    work = [r for r in planned.runs if r.flow != "bulletin"]
    assert all(r.at.astimezone(zone).date().isoformat() == "2022-01-04" for r in work)
    # 督办通报 on the first workday of each week: the week of 27 December holds the year's
    # first two days, and its bulletin goes out on Tuesday 4 January (Monday is a holiday)
    bulletins = [(r.name, r.at.astimezone(zone).isoformat()) for r in planned.runs if r.flow == "bulletin"]  # fmt: skip
    assert bulletins == [
        ("督办通报 2021-12-27", "2022-01-04T09:00:00+08:00"),
        ("督办通报 2022-01-03", "2022-01-10T09:00:00+08:00"),
    ]

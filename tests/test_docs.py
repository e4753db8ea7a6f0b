"""Docs that cannot rot: every command has help and appears in the README."""

from __future__ import annotations

import re
from typing import Any

import typer.main

from duban.cli import COMMANDS, app, load
from tests.conftest import ROOT, subcommands

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> list[tuple[str, Any]]:
    root = typer.main.get_command(app)
    found = []

    def walk(prefix: str, command: Any) -> None:
        if hasattr(command, "commands"):  # a group
            for name, sub in subcommands(command).items():
                walk(f"{prefix} {name}", sub)
        else:
            found.append((prefix, command))

    walk("duban", root)
    return found


def test_every_command_has_help_and_is_in_the_readme() -> None:
    found = commands()
    assert len(found) >= 13
    for name, command in found:
        assert command.help, f"{name} has no help"
        assert f"`{name}" in README, f"{name} is missing from README.md"


def test_readme_starts_with_the_two_setup_commands() -> None:
    block = re.search(r"```bash\n(.*?)```", README, re.S)
    assert block is not None and README.index("```bash") < 200
    lines = [line.split("#")[0].strip() for line in block.group(1).strip().splitlines()]
    assert lines == ["make up", "make test"]
    makefile = (ROOT / "Makefile").read_text()
    assert "duban up examples/plan-2022.yaml" in makefile
    assert "pytest" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_the_command_list_says_what_each_command_says_of_itself() -> None:
    """`duban --help` lists the commands without importing them: its line for each is the
    first sentence of the command's own help."""
    for name, (_, _, line) in COMMANDS.items():
        own = " ".join((load(name).help or "").split())
        assert own.split("。")[0] + "。" == line, name

"""The layers hold: the shells (CLI, API, portal) on top, then deployments, flows, the runtime,
the domain (`tasks`), the tables (`models`); a module imports from its own layer or below,
never above — counting imports inside functions too. The domain and the tables know nothing of
Prefect or of the web; the portal knows nothing of Prefect."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

# highest first; a module belongs to the first layer whose prefix it has
LAYERS = [
    ("shell", ("duban.cli", "duban.commands", "duban.api", "duban.portal", "duban.inbox",
               "duban.replay", "duban.supervise", "duban.context")),
    ("deployments", ("duban.deployments",)),
    ("flows", ("duban.flows",)),
    ("runtime", ("duban.runtime",)),
    ("domain", ("duban.tasks",)),
    ("tables", ("duban.models",)),
]  # fmt: skip
FOLDERS = {"duban": "duban", "models": "duban.models", "tasks": "duban.tasks",
           "flows": "duban.flows", "deployments": "duban.deployments"}  # fmt: skip
FORBIDDEN = {  # third-party packages a layer must not import
    "domain": ("prefect", "fastapi", "starlette", "typer", "uvicorn"),
    "tables": ("prefect", "fastapi", "starlette", "typer", "uvicorn"),
}
PORTAL_FORBIDDEN = ("prefect",)


def layer(module: str) -> int:
    for rank, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def modules() -> dict[str, Path]:
    found = {}
    for folder, package in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            if "migrations" in parts:
                continue
            name = ".".join((package, *parts)).removesuffix(".__init__")
            if name != "duban":  # the distribution's own __init__: a docstring
                found[name] = path
    return found


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in the file, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [(node.lineno, node.module)]
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def violations() -> list[str]:
    found = []
    for name, path in modules().items():
        rank = layer(name)
        own = LAYERS[rank][0]
        where = path.relative_to(ROOT)
        for line, target in imports(path):
            top = target.split(".")[0]
            if top in ("models", "tasks", "flows", "deployments"):
                found.append(f"{where}:{line} imports {target}: import it as duban.{target}")
            elif top == "duban" and target != "duban":
                try:
                    above = layer(target) < rank
                except AssertionError:
                    continue  # a name imported from a package (`from duban.tasks import x`)
                if above:
                    found.append(f"{where}:{line} ({own}) imports {target} from a layer above")
            elif top in FORBIDDEN.get(own, ()):
                found.append(f"{where}:{line} ({own}) imports {target}")
            elif name.startswith("duban.portal") and top in PORTAL_FORBIDDEN:
                found.append(f"{where}:{line} (portal) imports {target}")
    return found


def test_no_layer_imports_a_layer_above_it() -> None:
    assert violations() == []


@pytest.mark.parametrize(
    ("module", "line", "target", "expected"),
    [
        ("duban.tasks.work.actions", 1, "duban.flows.events", "from a layer above"),
        ("duban.models.plan", 1, "duban.tasks.plan.schema", "from a layer above"),
        ("duban.tasks.remind.sweep", 1, "prefect", "(domain) imports prefect"),
        ("duban.flows.sweep", 1, "tasks.remind.sweep", "import it as duban.tasks"),
    ],
)
def test_the_contract_catches_an_upward_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, line: int, target: str,
    expected: str,
) -> None:  # fmt: skip
    """The check can fail: a planted upward import is reported with its file and line."""
    planted = tmp_path / "planted.py"
    planted.write_text(f"import {target}\n", encoding="utf-8")
    monkeypatch.setattr("tests.test_layers.modules", lambda: {module: planted})
    monkeypatch.setattr("tests.test_layers.ROOT", tmp_path)
    [found] = violations()
    assert expected in found and found.startswith(f"planted.py:{line}")

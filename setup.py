"""Duban installs as one package, `duban`, while its layers keep the design card's top-level
folders: `models/` is installed as `duban.models`, `tasks/` as `duban.tasks`, `flows/` as
`duban.flows`, `deployments/` as `duban.deployments`. No top-level `models`, `tasks` or `flows`
is installed, so a worker's working directory holding a `flows/` or a `tasks.py` shadows
nothing. Every package below these folders is found, none listed by hand
(`tests/test_packaging.py` builds the wheel and runs it in a fresh environment).
"""

from setuptools import find_packages, setup

LAYERS = {
    "duban.models": "models",
    "duban.tasks": "tasks",
    "duban.flows": "flows",
    "duban.deployments": "deployments",
}

packages = find_packages(include=["duban", "duban.*"])
for name, folder in LAYERS.items():
    packages += [name, *(f"{name}.{found}" for found in find_packages(folder))]

setup(packages=packages, package_dir=LAYERS)

# Duban — the two commands a newcomer needs are `make up` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: install install-test up test lint bench clean

install: $(BIN)/duban

$(BIN)/duban: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

install-test: $(VENV)/.test-deps

$(VENV)/.test-deps: $(BIN)/duban pyproject.toml setup.py
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $@

## The main job on the embedded defaults: a local Prefect server, SQLite, the example plan.
up: install
	$(BIN)/duban up examples/plan-2022.yaml

## The whole test suite: lint, then pytest on SQLite and the PostgreSQL at 127.0.0.1:5432 —
## on both cores, then by itself the one test that replays a year as a newcomer sees it.
test: install-test
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 -m "not alone"
	$(BIN)/pytest -m alone

## mypy cannot follow the editable install's import hook, so it reads the package from
## build/mypy/duban: links to duban/'s entries and to the layers' folders, by their installed
## names (setup.py's LAYERS). Made afresh each time, so new files are always seen.
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	rm -rf build/mypy && mkdir -p build/mypy/duban
	for entry in duban/*; do ln -s ../../../$$entry build/mypy/duban/; done
	for layer in models tasks flows deployments; do ln -s ../../../$$layer build/mypy/duban/; done
	$(BIN)/mypy

bench: install-test
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis

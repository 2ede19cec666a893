# The two commands a newcomer needs: `make serve` and `make test`. Both create the virtual
# environment in .venv on first use (Python 3.11+ must be on PATH as python3), installing the
# exact versions pinned in requirements-dev.lock (with their hashes), then this project itself.
# `make help` lists every target.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --custom-compile-command 'make lock'

.DEFAULT_GOAL := help
.PHONY: help serve test check bench lock clean

help:  ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-6s  %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.installed: requirements-dev.lock pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check  # fails when pyproject.toml's bounds and the lock disagree: run `make lock`
	touch $@

serve: $(VENV)/.installed  ## start the API on the embedded SQLite database (./shopping.db)
	$(BIN)/shopping-api serve

test: $(VENV)/.installed  ## every test, on SQLite and Postgres
	$(BIN)/pytest

check: $(VENV)/.installed  ## lint and type-check (ruff, mypy --strict on src and tests)
	$(BIN)/ruff check src tests migrations benchmarks
	$(BIN)/ruff format --check src tests migrations benchmarks
	$(BIN)/mypy src tests

bench: $(VENV)/.installed  ## load-test a local server (SQLite, or SHOPPING_DATABASE_URL)
	$(BIN)/python benchmarks/load.py

lock: $(VENV)/.installed  ## pin the newest releases pyproject.toml allows into the lock files
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) --upgrade --extra dev -o requirements-dev.lock
	# the server's own lock: the same versions, without the development tools
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) -c requirements-dev.lock -o requirements.lock

clean:  ## remove the virtual environment and tool caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

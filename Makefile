# The two commands a newcomer needs: `make serve` and `make test`. Both create the virtual
# environment in .venv on first use (Python 3.11+ must be on PATH as python3).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: serve test check bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

serve: $(VENV)/.installed  ## start the API on the embedded SQLite database (./shopping.db)
	$(BIN)/shopping-api serve

test: $(VENV)/.installed  ## every test, on SQLite and Postgres
	$(BIN)/pytest

check: $(VENV)/.installed  ## lint and type-check
	$(BIN)/ruff check src tests migrations benchmarks
	$(BIN)/ruff format --check src tests migrations benchmarks
	$(BIN)/mypy src

bench: $(VENV)/.installed  ## load-test a local server (SQLite, or SHOPPING_DATABASE_URL)
	$(BIN)/python benchmarks/load.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

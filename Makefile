# Two commands do all the set-up on a fresh machine (see README.md):
#   make run    install into .venv and open the app on an embedded SQLite database
#   make test   install into .venv and run the linters and the whole test suite
# PostgreSQL tests run when SKILLPROBE_TEST_DATABASE_URL is set (.ci/run sets it).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/skillprobe

# mypy's configuration (the files it checks, engine/irt and engine/quiz strict) is in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The suite runs on every core (pytest-xdist); PostgreSQL tests get a schema per worker
# (tests/conftest.py). The architecture contracts run as tests/test_architecture.py.
# pytest exits 5 when it collects no tests; make treats that as a failure, as it should.
test: lint
	$(BIN)/python -m pytest -n auto

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .mypy_cache .import_linter_cache

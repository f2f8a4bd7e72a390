# newinfra — every target sets up what it needs; nothing else to install by hand.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Two test processes, one per core (pytest-xdist); a whole test file stays in one process.
PYTEST_WORKERS ?= -n 2 --dist loadfile

.DEFAULT_GOAL := help
.PHONY: help run test test-pg lint bench bench-db clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP) ## set up (database, both plans, demo data and users) and serve http://127.0.0.1:8000
	scripts/ensure-fonts.sh
	$(BIN)/newinfra migrate
	$(BIN)/newinfra seed-demo
	$(BIN)/newinfra serve

test: $(STAMP) ## run the whole test suite: SQLite, then the platform again on PostgreSQL (exits non-zero on any failure)
	$(BIN)/ruff check newinfra tests benchmarks
	scripts/ensure-chromium.sh
	scripts/ensure-libreoffice.sh
	$(BIN)/pytest $(PYTEST_WORKERS)
	$(MAKE) --no-print-directory test-pg

test-pg: $(STAMP) ## the platform tests on a real PostgreSQL server (Debian's postgresql, installed if missing)
	DATABASE_URL=$$(scripts/ensure-postgres.sh) $(BIN)/pytest $(PYTEST_WORKERS) -q -m "not browser" newinfra

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check newinfra tests benchmarks
	$(BIN)/ruff format --check newinfra tests benchmarks

bench: $(STAMP) ## measure parser, map, platform, project library, monitoring and load (SQLite, then PostgreSQL); writes docs/benchmarks.md
	$(BIN)/python benchmarks/bench_parse.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/bench_geo.py --write docs/benchmarks.md
	$(MAKE) --no-print-directory bench-db
	DATABASE_URL=$$(scripts/ensure-postgres.sh) $(MAKE) --no-print-directory bench-db

bench-db: $(STAMP) ## the benchmarks that use the database, on DATABASE_URL (SQLite if unset); each on a throwaway database
	$(BIN)/python benchmarks/bench_platform.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/bench_projects.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/bench_monitoring.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/bench_load.py --write docs/benchmarks.md

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis out

# Rapport — make run · make test · make bench · make lint
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rapport
BENCH_TICKETS ?= 100000
BENCH_MESSAGES ?= 1000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install install-dev run test test-sqlite test-postgres mail-tools lint format openapi bench bench-sqlite bench-postgres bench-mail bench-mail-sqlite bench-mail-postgres clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Serve on http://127.0.0.1:$(PORT) with a worker, on SQLite under var/, with demo data.
run: install
	$(BIN)/rapport serve --port $(PORT) --demo-if-empty

## The whole suite: lint, then SQLite, then PostgreSQL.
test: install-dev lint test-sqlite test-postgres

test-sqlite: install-dev mail-tools
	@echo "=== tests on SQLite ==="
	env -u DATABASE_URL RAPPORT_EXPECT_DB=sqlite $(BIN)/pytest -q

test-postgres: install-dev mail-tools
	@echo "=== tests on PostgreSQL ==="
	scripts/ensure-postgres
	DATABASE_URL=$(TEST_DATABASE_URL) RAPPORT_EXPECT_DB=postgresql $(BIN)/pytest -q

## Dovecot (the IMAP peer of the mail tests) and CPython's e-mail test corpus.
mail-tools:
	scripts/ensure-mail-tools $(BIN)/python

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

## Regenerate docs/openapi.json after changing the API (a test fails while it drifts).
openapi: install
	$(BIN)/rapport openapi > docs/openapi.json

bench: bench-sqlite bench-postgres bench-mail

## Mail intake: BENCH_MESSAGES generated messages through the real pipeline, and
## the memory of one message with a 50 MB attachment.
bench-mail: bench-mail-sqlite bench-mail-postgres

bench-mail-sqlite: install-dev
	env -u DATABASE_URL RAPPORT_DATA_DIR=var/bench-mail $(BIN)/python bench/mail.py --messages $(BENCH_MESSAGES)

bench-mail-postgres: install-dev
	scripts/ensure-postgres
	DATABASE_URL=$(TEST_DATABASE_URL)_mailbench RAPPORT_DATA_DIR=var/bench-mail $(BIN)/python bench/mail.py --messages $(BENCH_MESSAGES)

bench-sqlite: install-dev
	env -u DATABASE_URL RAPPORT_DATA_DIR=var/bench $(BIN)/python bench/run.py --tickets $(BENCH_TICKETS)

bench-postgres: install-dev
	scripts/ensure-postgres
	DATABASE_URL=$(TEST_DATABASE_URL)_bench RAPPORT_DATA_DIR=var/bench $(BIN)/python bench/run.py --tickets $(BENCH_TICKETS)

clean:
	rm -rf $(VENV) var

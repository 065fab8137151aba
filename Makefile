# Rapport — make run · make test · make bench · make lint
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rapport
BENCH_TICKETS ?= 100000
SLA_BENCH_TICKETS ?= 1000000
SCORECARD_BENCH_TICKETS ?= 1000000
BENCH_MESSAGES ?= 1000
DESK_BENCH_TICKETS ?= 1000000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install install-dev chromium mail-tools run test test-sqlite test-postgres lint format openapi bench bench-sqlite bench-postgres bench-desk bench-desk-sqlite bench-desk-postgres bench-sla bench-sla-sqlite bench-sla-postgres bench-mail bench-mail-sqlite bench-mail-postgres bench-chain bench-chain-sqlite bench-chain-postgres bench-scorecards bench-scorecards-sqlite bench-scorecards-postgres clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

# Front-end assets (htmx) from npm, exactly as locked; served as static files.
node_modules/.installed: package.json package-lock.json
	command -v npm >/dev/null || (apt-get update && apt-get install -y npm)
	npm ci --no-audit --no-fund
	touch $@

install: $(VENV)/.installed node_modules/.installed
install-dev: $(VENV)/.installed-dev node_modules/.installed

## The browser the UI tests drive (Debian's Chromium), installed only when missing.
chromium:
	test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)

## Serve on http://127.0.0.1:$(PORT) with a worker, on SQLite under var/, with demo data.
run: install
	$(BIN)/rapport serve --port $(PORT) --demo-if-empty

## The whole suite: lint, then SQLite, then PostgreSQL.
test: install-dev chromium lint test-sqlite test-postgres

test-sqlite: install-dev chromium mail-tools
	@echo "=== tests on SQLite ==="
	env -u DATABASE_URL RAPPORT_EXPECT_DB=sqlite $(BIN)/pytest -q

test-postgres: install-dev chromium mail-tools
	@echo "=== tests on PostgreSQL ==="
	scripts/ensure-postgres
	DATABASE_URL=$(TEST_DATABASE_URL) RAPPORT_EXPECT_DB=postgresql $(BIN)/pytest -q

## Dovecot and spamd (the IMAP and spam-filter peers of the mail tests) and CPython's e-mail test corpus.
mail-tools:
	scripts/ensure-mail-tools $(BIN)/python

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

format: install-dev
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

## Regenerate docs/openapi.json after changing the API (a test fails while it drifts).
openapi: install
	$(BIN)/rapport openapi > docs/openapi.json

bench: bench-sqlite bench-postgres bench-desk bench-sla bench-mail bench-chain bench-scorecards

## The desk's pages (queues with counts, ticket pages) again at DESK_BENCH_TICKETS.
bench-desk: bench-desk-sqlite bench-desk-postgres

bench-desk-sqlite: install-dev
	env -u DATABASE_URL RAPPORT_DATA_DIR=var/bench $(BIN)/python bench/run.py --only desk --tickets $(DESK_BENCH_TICKETS)

bench-desk-postgres: install-dev
	scripts/ensure-postgres
	DATABASE_URL=$(TEST_DATABASE_URL)_bench RAPPORT_DATA_DIR=var/bench $(BIN)/python bench/run.py --only desk --tickets $(DESK_BENCH_TICKETS)

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

## The SLA engine at SLA_BENCH_TICKETS: due-time computation and one sweeper pass.
bench-sla: bench-sla-sqlite bench-sla-postgres

bench-sla-sqlite: install-dev
	env -u DATABASE_URL RAPPORT_DATA_DIR=var/bench $(BIN)/python bench/sla.py --tickets $(SLA_BENCH_TICKETS)

bench-sla-postgres: install-dev
	scripts/ensure-postgres
	DATABASE_URL=$(TEST_DATABASE_URL)_bench RAPPORT_DATA_DIR=var/bench $(BIN)/python bench/sla.py --tickets $(SLA_BENCH_TICKETS)

## The service chain: chain analytics and the relationship map for a quarter over
## BENCH_TICKETS customer tickets, 30 % of them handed off.
bench-chain: bench-chain-sqlite bench-chain-postgres

bench-chain-sqlite: install-dev
	env -u DATABASE_URL RAPPORT_DATA_DIR=var/bench-chain $(BIN)/python bench/chain.py --tickets $(BENCH_TICKETS)

bench-chain-postgres: install-dev
	scripts/ensure-postgres
	DATABASE_URL=$(TEST_DATABASE_URL)_chainbench RAPPORT_DATA_DIR=var/bench-chain $(BIN)/python bench/chain.py --tickets $(BENCH_TICKETS)

## A month's scorecards (every provider, agreement and agent) over SCORECARD_BENCH_TICKETS.
bench-scorecards: bench-scorecards-sqlite bench-scorecards-postgres

bench-scorecards-sqlite: install-dev
	env -u DATABASE_URL RAPPORT_DATA_DIR=var/bench $(BIN)/python bench/scorecards.py --tickets $(SCORECARD_BENCH_TICKETS)

bench-scorecards-postgres: install-dev
	scripts/ensure-postgres
	DATABASE_URL=$(TEST_DATABASE_URL)_bench RAPPORT_DATA_DIR=var/bench $(BIN)/python bench/scorecards.py --tickets $(SCORECARD_BENCH_TICKETS)

clean:
	rm -rf $(VENV) var node_modules

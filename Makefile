# Rapport — make run · make test · make bench · make lint
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rapport
# The Redis database the multi-process test flushes and shares between its machines.
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
BENCH_TICKETS ?= 100000
SLA_BENCH_TICKETS ?= 1000000
SCORECARD_BENCH_TICKETS ?= 1000000
BENCH_MESSAGES ?= 1000
DESK_BENCH_TICKETS ?= 1000000
REACTION_RATE ?= 1000
REACTION_SECONDS ?= 60
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install install-dev chromium mail-tools run test test-sqlite test-postgres lint format openapi bench bench-sqlite bench-postgres bench-desk bench-desk-sqlite bench-desk-postgres bench-sla bench-sla-sqlite bench-sla-postgres bench-mail bench-mail-sqlite bench-mail-postgres bench-chain bench-chain-sqlite bench-chain-postgres bench-scorecards bench-scorecards-sqlite bench-scorecards-postgres eval-quotes bench-http bench-http-sqlite bench-http-postgres bench-http-profile bench-queue bench-reactions bench-policies bench-policies-sqlite bench-policies-postgres bench-training bench-training-sqlite bench-training-postgres test-sqlite-nofast bench-fast clean
POLICY_BENCH_DOCUMENTS ?= 10000
POLICY_BENCH_STAFF ?= 5000

FAST_BENCH_TICKETS ?= 20000


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

## The whole suite: lint, then SQLite (with the fast paths on, then off), then PostgreSQL.
test: install-dev chromium lint test-sqlite test-sqlite-nofast test-postgres

test-sqlite: install-dev chromium mail-tools
	@echo "=== tests on SQLite ==="
	env -u DATABASE_URL RAPPORT_EXPECT_DB=sqlite $(BIN)/pytest -q

## Django's own code in place of rapport.core.fast (docs/performance.md): an upgrade of
## Django can always proceed with the fast paths off.
test-sqlite-nofast: install-dev chromium mail-tools
	@echo "=== tests on SQLite, fast paths off ==="
	env -u DATABASE_URL RAPPORT_EXPECT_DB=sqlite RAPPORT_FAST_PATHS=0 $(BIN)/pytest -q

test-postgres: install-dev chromium mail-tools
	@echo "=== tests on PostgreSQL ==="
	scripts/ensure-postgres
	scripts/ensure-redis
	DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) RAPPORT_EXPECT_DB=postgresql $(BIN)/pytest -q

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

bench: bench-sqlite bench-postgres bench-desk bench-sla bench-mail bench-chain bench-scorecards bench-queue bench-reactions bench-policies bench-training

## Every bench runs with fast paths off too: RAPPORT_FAST_PATHS=0 make bench-sqlite
## (or RAPPORT_FAST_PATHS_OFF=rows,reference for some). bench-fast times each fast path's
## workloads with it on and off, interleaved, at FAST_BENCH_TICKETS (docs/performance.md).
bench-fast: install-dev
	env -u DATABASE_URL RAPPORT_DATA_DIR=var/bench $(BIN)/python bench/fastpaths.py --tickets $(FAST_BENCH_TICKETS)

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

## Quote stripping: mail/quotes.py and the reply-parsing libraries scored on the
## fixture set (mail/tests/quote_fixtures/), per category and language, and the
## worst time on pathological inputs. Talon pins old packages: its own venv.
eval-quotes: install-dev
	$(BIN)/pip install -q -e ".[eval-quotes]"
	test -x var/talon-venv/bin/python || ($(PYTHON) -m venv var/talon-venv && var/talon-venv/bin/pip install -q talon==1.4.4) || echo "talon could not be installed: scored without it"
	TALON_PYTHON=var/talon-venv/bin/python $(BIN)/python bench/quotes_eval.py

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

## The worker's throughput (a trivial task, the mail batch) on the SQLite queue and on
## Redis (BENCH_REDIS_URL, flushed), then on PostgreSQL with Redis.
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14
bench-queue: install-dev
	env -u DATABASE_URL -u REDIS_URL RAPPORT_DATA_DIR=var/bench-queue $(BIN)/python bench/queues.py
	scripts/ensure-redis
	env -u DATABASE_URL REDIS_URL=$(BENCH_REDIS_URL) RAPPORT_DATA_DIR=var/bench-queue $(BIN)/python bench/queues.py
	scripts/ensure-postgres
	DATABASE_URL=$(TEST_DATABASE_URL)_queuebench REDIS_URL=$(BENCH_REDIS_URL) RAPPORT_DATA_DIR=var/bench-queue $(BIN)/python bench/queues.py

## Where the HTTP run's time goes: py-spy over the web processes during the mix.
bench-http-profile: install-dev
	$(BIN)/pip install -q py-spy==0.4.3
	env -u DATABASE_URL RAPPORT_DATA_DIR=var/bench-http $(BIN)/python bench/http_bench.py --tickets $(BENCH_TICKETS) --profile 20

## Over HTTP: `rapport serve` on BENCH_TICKETS tickets (seeded once into var/bench-http
## and reused), an open-loop mixed load stepped up to the highest arrival rate held at
## p95 <= 100 ms with no error, beside the floor and the ticket page alone.
HTTP_BENCH_ARGS ?=
bench-http: bench-http-sqlite bench-http-postgres

bench-http-sqlite: install-dev
	env -u DATABASE_URL RAPPORT_DATA_DIR=var/bench-http $(BIN)/python bench/http_bench.py --tickets $(BENCH_TICKETS) $(HTTP_BENCH_ARGS)

bench-http-postgres: install-dev
	scripts/ensure-postgres
	DATABASE_URL=$(TEST_DATABASE_URL)_httpbench RAPPORT_DATA_DIR=var/bench-http $(BIN)/python bench/http_bench.py --tickets $(BENCH_TICKETS) $(HTTP_BENCH_ARGS)
## Reaction lag: REACTION_RATE events/s for REACTION_SECONDS on SQLite with a real worker.
bench-reactions: install-dev
	env -u DATABASE_URL RAPPORT_DATA_DIR=var/bench-reactions $(BIN)/python bench/reactions.py --rate $(REACTION_RATE) --seconds $(REACTION_SECONDS)
## The library: search over POLICY_BENCH_DOCUMENTS documents; a must-read to POLICY_BENCH_STAFF staff.
bench-policies: bench-policies-sqlite bench-policies-postgres

bench-policies-sqlite: install-dev
	env -u DATABASE_URL RAPPORT_DATA_DIR=var/bench-policies $(BIN)/python bench/policies.py --documents $(POLICY_BENCH_DOCUMENTS) --staff $(POLICY_BENCH_STAFF)

bench-policies-postgres: install-dev
	DATABASE_URL=$(TEST_DATABASE_URL)_policiesbench RAPPORT_DATA_DIR=var/bench-policies $(BIN)/python bench/policies.py --documents $(POLICY_BENCH_DOCUMENTS) --staff $(POLICY_BENCH_STAFF)

bench-training: bench-training-sqlite bench-training-postgres

bench-training-sqlite: install-dev
	env -u DATABASE_URL RAPPORT_DATA_DIR=var/bench-training $(BIN)/python bench/training.py --staff 5000 --team 200

bench-training-postgres: install-dev
	DATABASE_URL=$(TEST_DATABASE_URL)_trainingbench RAPPORT_DATA_DIR=var/bench-training $(BIN)/python bench/training.py --staff 5000 --team 200

clean:
	rm -rf $(VENV) var node_modules

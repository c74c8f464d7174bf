# The two commands: `make run` (install, migrate, load the demo, serve) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# `make test` runs the suite in parallel (pytest-xdist), one SQLite file set and one PostgreSQL database per worker;
# PostgreSQL tests wait on the server, so more workers than cores pay. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 4
XDIST = $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder)

.PHONY: run test test-quick lint bench install system-deps demo clean

run: install
	$(BIN)/rating db upgrade
	$(BIN)/rating demo
	@echo ""
	@echo "  枞阳县物业服务企业信用评价系统 / Property-company credit rating"
	@echo "  网址 / URL:  http://$(HOST):$(PORT)   公开信息 / public site: http://$(HOST):$(PORT)/public"
	@echo "  演示账户 / demo logins: admin / admin-demo-2025 · officer / officer-demo-2025 · company1, company2 / company-demo-2025"
	@echo ""
	RATING_SITE_OWNER="$${RATING_SITE_OWNER-枞阳县住房和城乡建设局}" $(BIN)/rating serve --host $(HOST) --port $(PORT)

test: install
	@PYTHON=$(PYTHON) bash scripts/system-deps.sh chromium chromium-driver wrk nginx-light
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

# Everything but the benchmark smoke tests, the browser tests and the tests marked slow (CI runs them all).
test-quick: install
	$(BIN)/python -m pytest $(XDIST) -m "not slow and not bench and not browser" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: install
	@PYTHON=$(PYTHON) bash scripts/system-deps.sh wrk
	$(BIN)/python bench/import_bench.py $(BENCH_ARGS)
	$(BIN)/python bench/cycle_bench.py $(CYCLE_BENCH_ARGS)
	$(BIN)/python bench/notice_bench.py $(NOTICE_BENCH_ARGS)
	$(BIN)/python bench/public_bench.py $(PUBLIC_BENCH_ARGS)
	$(BIN)/python bench/import_limits_bench.py $(IMPORT_LIMITS_BENCH_ARGS)
	$(BIN)/python bench/edge_bench.py $(EDGE_BENCH_ARGS)
	$(BIN)/python bench/cache_rebuild_bench.py $(CACHE_BENCH_ARGS)
	$(BIN)/python bench/bench_intake.py $(INTAKE_BENCH_ARGS)
	$(BIN)/python bench/monitor_bench.py $(MONITOR_BENCH_ARGS)
	$(BIN)/python bench/queue_bench.py $(QUEUE_BENCH_ARGS)

install: system-deps $(STAMP)

system-deps:
	@PYTHON=$(PYTHON) bash scripts/system-deps.sh

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

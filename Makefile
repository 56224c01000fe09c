# Engage's front door. `make run` starts the demo; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1
# Use uv from PATH if present; otherwise install it once into .tools with the machine's Python.
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
VENV := .venv
ENGAGE := $(VENV)/bin/engage
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes: one per core by default (pytest-xdist); JOBS=0 runs in this process.
JOBS ?= auto

.PHONY: help install run test test-fast check lint format assets bench messages clean

help:
	@echo "make run     set up, migrate, load the demo and serve Engage on http://$(HOST):$(PORT)"
	@echo "make test    run the whole test suite (browser tests need /usr/bin/chromium)"
	@echo "make check   lint, format check, type check, migrations check"
	@echo "make assets  rebuild the GOV.UK Frontend CSS/JS (needs Node and npm)"
	@echo "make bench   generate the council-scale dataset (once) and print the benchmark figures"

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.synced

run: install
	$(ENGAGE) migrate --noinput
	$(ENGAGE) demo
	@echo "Engage is starting on http://$(HOST):$(PORT)/ (press Ctrl+C to stop)"
	$(ENGAGE) runserver $(HOST):$(PORT) --noreload

test: install
	$(VENV)/bin/pytest -n $(JOBS) $(PYTEST_ARGS)

test-fast: install
	$(VENV)/bin/pytest -n $(JOBS) -m "not browser" $(PYTEST_ARGS)

check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy engage
	$(ENGAGE) makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

assets:
	bash assets/build.sh

# Benchmarks are not tests: they print figures and ratios measured in the same run (docs/benchmarks.md).
# BENCH_ARGS="--postgres" adds the PostgreSQL runs; SCALE=0.1 a tenth of the dataset.
SCALE ?= 1
bench: install
	test -f bench/data/meta-sqlite.json || $(VENV)/bin/python bench/generate.py --scale $(SCALE)
	$(VENV)/bin/python bench/run.py $(BENCH_ARGS)

messages: install
	cd engage && ../$(ENGAGE) makemessages -l cy --no-obsolete && ../$(ENGAGE) compilemessages

clean:
	rm -rf .venv .tools artifacts

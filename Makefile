# МАГ dashboard: developer entry points. `make` (or `make help`) lists the targets.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON   ?= python3
VENV     := .venv
VPY      := $(VENV)/bin/python
STAMP    := $(VENV)/.requirements.stamp
HOST     ?= 127.0.0.1
PORT     ?= 8501
CHROMIUM ?= /usr/bin/chromium
TESTS    ?= tests
PYTEST_ARGS ?=
# e.g. BENCH_ARGS='--sizes today --reps 5 --no-browser', '--only burst' or '--only interactive,burst'
# (parts: reruns, browser, deck, interactive, burst), or '--snapshot' (benchmark HEAD only)
BENCH_ARGS ?=
OUT      := test-output
# apt-get needs root; fall back to sudo when not running as root.
SUDO     := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: help venv chromium run test lint members bench

help: ## List the targets (default)
	@echo "Targets:"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "Variables: PORT=$(PORT) HOST=$(HOST) TESTS=$(TESTS) PYTEST_ARGS='$(PYTEST_ARGS)' CHROMIUM=$(CHROMIUM)"

venv: $(STAMP) ## Create .venv and install requirements-dev.txt (reruns only when requirements change)

$(STAMP): requirements.txt requirements-dev.txt
	@if [ ! -x $(VPY) ]; then \
		echo "creating $(VENV) with $$($(PYTHON) --version)"; \
		$(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: on Debian run 'apt-get install python3-venv'" >&2; exit 1; }; \
	fi
	$(VPY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

chromium: ## Install Debian's chromium, fonts and nginx for the browser and service tests (apt-get; no-op if present)
	@if [ -x "$(CHROMIUM)" ] && [ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] && { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; }; then \
		echo "chromium present: $(CHROMIUM); nginx present"; \
	else \
		echo "installing Debian chromium and nginx-light (apt-get)"; \
		$(SUDO) apt-get update; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-noto-color-emoji nginx-light; \
		[ -x /usr/bin/chromium ] || { echo "chromium still missing after apt-get" >&2; exit 1; }; \
		{ command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; } || echo "nginx missing after apt-get: tests/service will be skipped" >&2; \
	fi

run: venv ## Serve the app on http://127.0.0.1:8501 (override: make run PORT=8600 HOST=0.0.0.0)
	$(VENV)/bin/streamlit run serve.py --server.address $(HOST) --server.port $(PORT)

test: venv chromium ## Run all tests (unit, app, browser, service) under tests/; logs, JUnit XML, screenshots in test-output/
	@mkdir -p $(OUT)
	CHROMIUM_PATH=$(CHROMIUM) $(VPY) -m pytest $(TESTS) --junitxml=$(OUT)/junit.xml $(PYTEST_ARGS) 2>&1 | tee $(OUT)/pytest.log

lint: venv ## ruff check, ruff format --check, mypy mag_data
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy mag_data

members: venv ## Rebuild the members register (scripts/build_members.py)
	$(VPY) scripts/build_members.py

bench: venv ## Run the benchmarks (python -m benchmarks.run $(BENCH_ARGS)); results in docs/BENCHMARKS.md
	@if [ -f benchmarks/run.py ] || [ -f benchmarks/run/__main__.py ]; then \
		$(VPY) -m benchmarks.run $(BENCH_ARGS); \
	else \
		echo "bench: benchmarks/ does not exist yet (expected benchmarks/run.py); nothing to run"; \
	fi

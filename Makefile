# 全国测绘资质管理信息系统 — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
STAMP := $(VENV)/.installed
SYSTEM_STAMP := .data/.system-packages
RUN_SYSTEM_PACKAGES := softhsm2 fonts-wqy-zenhei
TEST_SYSTEM_PACKAGES := $(RUN_SYSTEM_PACKAGES) chromium fonts-noto-cjk wrk poppler-utils

.PHONY: help install install-system system-packages run stop test lint unit integration e2e contract bench clean asyncapi

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(UV):
	python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

$(STAMP): pyproject.toml uv.lock | $(UV)
	@command -v python3.11 >/dev/null || { echo "Python 3.11 is required (python3.11 on PATH); uv can install it: uv python install 3.11"; exit 1; }
	$(UV) sync --frozen --python python3.11
	@touch $(STAMP)

install: $(STAMP) ## create .venv from the lock file and install the Debian packages the platform runs on
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(RUN_SYSTEM_PACKAGES)"

install-system: ## Debian packages the browser tests and benchmarks need (chromium, CJK fonts, wrk, poppler)
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(TEST_SYSTEM_PACKAGES)"

system-packages:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: install ## start the whole platform on the embedded default and print the portal URL
	$(PY) -m deploy.local run

stop: ## stop a platform started by `make run` in another terminal
	$(PY) -m deploy.local stop

lint: install ## ruff, mypy and import boundaries
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test: install install-system lint ## install what is missing and run every test (unit, integration, e2e)
	$(VENV)/bin/pytest tests

unit: install ## the unit tier only
	$(VENV)/bin/pytest tests/unit

integration: install ## the integration tier only
	$(VENV)/bin/pytest tests/integration

contract: install ## the API-document tier only (schemathesis against every service and the gateway)
	$(VENV)/bin/pytest tests/contract

e2e: install install-system ## the end-to-end tier only
	$(VENV)/bin/pytest tests/e2e

bench: install install-system ## run the benchmarks and print the figures
	$(PY) -m bench

asyncapi: install ## regenerate contracts/asyncapi.json
	$(PY) -m contracts.asyncapi

clean: ## remove the virtual environment (keeps .data)
	rm -rf $(VENV)

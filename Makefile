# dti — DTI reporting. `make` alone lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PERIOD ?= 2023-Q4
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install templates report demo test test-fast lint typecheck pytest check bench clean all

help: ## List the targets
	@echo "dti — Digital Transformation Index reporting"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
	@echo
	@echo "  PERIOD=$(PERIOD) (override: make report PERIOD=2023)"

$(STAMP): pyproject.toml
	@echo ">> creating $(VENV) and installing dti with its dev tools"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install dti with its dev tools

check: $(STAMP) ## Check the reference data in schemas/
	@echo ">> checking the catalogue (schemas/)"
	@$(BIN)/dti catalogue check

templates: $(STAMP) ## Write the templates for PERIOD into input_templates/
	@echo ">> writing templates for $(PERIOD) into input_templates/$(PERIOD)/"
	@$(BIN)/dti templates --period $(PERIOD)

report: $(STAMP) ## Run the whole pipeline for PERIOD (inbox/PERIOD → output/PERIOD, else a demo season → output/demo/)
	@if [ -d inbox/$(PERIOD) ] && [ -n "$$(ls -A inbox/$(PERIOD) 2>/dev/null)" ]; then \
		echo ">> Tổng hợp kỳ $(PERIOD) từ các báo cáo trong inbox/$(PERIOD)/ (running on the analyst's inbox)"; \
		$(BIN)/dti report --period $(PERIOD) --inbox inbox/$(PERIOD) --out output; \
	else \
		echo ">> Chưa có thư mục inbox/$(PERIOD)/: chạy thử trên một mùa báo cáo MẪU (các tháng của quý và báo cáo quý) trong output/demo-inbox/, kết quả và kho dữ liệu riêng ghi vào output/demo/, mọi trang ghi DỮ LIỆU MẪU – KHÔNG GỬI"; \
		rm -rf output/demo-inbox output/demo; \
		$(BIN)/dti demo --season --period $(PERIOD) --out output/demo-inbox --report output; \
	fi

lint: $(STAMP) ## Lint (ruff) and type-check (mypy)
	@echo ">> ruff check"
	@$(BIN)/ruff check .
	@echo ">> ruff format --check"
	@$(BIN)/ruff format --check .
	@echo ">> mypy pipeline/"
	@$(BIN)/mypy
	@echo ">> lint-imports (the rooms of pipeline/ import only from the rooms below them)"
	@$(BIN)/lint-imports --no-cache

pytest: $(STAMP)
	@echo ">> pytest"
	@$(BIN)/pytest -q

test: lint pytest ## Lint, type-check and run the tests

test-fast: $(STAMP) ## The quick loop: the tests not marked slow or libreoffice (under 30 s), no lint
	@echo ">> pytest -m 'not slow and not libreoffice'"
	@$(BIN)/pytest -q -m "not slow and not libreoffice"

bench: $(STAMP) ## Benchmark the report at 40, 2,000 and 10,000 returns vs a naive baseline (minutes)
	@echo ">> benchmarks/bench.py: medians of 3 runs per size, see docs/benchmarks.md"
	@$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)
	@echo ">> benchmarks/ablation.py: what each speed-up buys, at 2,000 returns"
	@$(BIN)/python benchmarks/ablation.py
	@echo ">> benchmarks/read_cost.py: where a return's read time goes, per file, against the unzip floor"
	@$(BIN)/python benchmarks/read_cost.py

all: check templates report test ## Everything

clean: ## Remove the venv, caches and generated files
	@echo ">> removing .venv, caches, output/ and input_templates/ contents"
	@rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info .cache
	@find output input_templates -mindepth 1 ! -name .gitkeep -exec rm -rf {} + 2>/dev/null || true

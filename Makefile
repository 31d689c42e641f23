# One command each: `make demo` (install + run the demo), `make test` (install + lint + tests).
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: install demo test lint format bench bench-scale clean

$(BIN)/govreports: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/govreports

demo: install
	$(BIN)/govreports demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format .

test: install lint
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/extract_throughput.py
	$(BIN)/python bench/crawl_throughput.py
	$(BIN)/python bench/load_throughput.py

bench-scale: install
	$(BIN)/python bench/scale_out.py

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
